"""KMS adapter: share tokens are kept encrypted so that owners can see their links again.

The encryption context binds each ciphertext to its file and share, so a ciphertext copied onto
another record does not decrypt. The IAM policies of the functions that use the key require exactly
this context's keys (template.yaml; a template test compares them with ``token_context``).
"""

from __future__ import annotations

import base64

from fileshare.core.aws import client


def token_context(*, file_id: str, share_id: str) -> dict[str, str]:
    """The encryption context of one share token's ciphertext."""
    return {"fileId": file_id, "shareId": share_id}


def encrypt_token(*, key_id: str, token: str, file_id: str, share_id: str) -> str:
    answer = client("kms").encrypt(
        KeyId=key_id,
        Plaintext=token.encode("ascii"),
        EncryptionContext=token_context(file_id=file_id, share_id=share_id),
    )
    return base64.b64encode(answer["CiphertextBlob"]).decode("ascii")


def decrypt_token(*, ciphertext: str, file_id: str, share_id: str) -> str:
    answer = client("kms").decrypt(
        CiphertextBlob=base64.b64decode(ciphertext),
        EncryptionContext=token_context(file_id=file_id, share_id=share_id),
    )
    return bytes(answer["Plaintext"]).decode("ascii")
