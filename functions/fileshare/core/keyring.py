"""KMS adapter: share tokens are kept encrypted so that owners can see their links again.

The encryption context binds each ciphertext to its file and share, so a ciphertext copied onto
another record does not decrypt.
"""

from __future__ import annotations

import base64

from fileshare.core.aws import client


def encrypt_token(*, key_id: str, token: str, file_id: str, share_id: str) -> str:
    answer = client("kms").encrypt(
        KeyId=key_id,
        Plaintext=token.encode("ascii"),
        EncryptionContext={"fileId": file_id, "shareId": share_id},
    )
    return base64.b64encode(answer["CiphertextBlob"]).decode("ascii")


def decrypt_token(*, ciphertext: str, file_id: str, share_id: str) -> str:
    answer = client("kms").decrypt(
        CiphertextBlob=base64.b64decode(ciphertext),
        EncryptionContext={"fileId": file_id, "shareId": share_id},
    )
    return bytes(answer["Plaintext"]).decode("ascii")
