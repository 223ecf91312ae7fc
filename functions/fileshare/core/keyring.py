"""KMS adapter: share and request tokens are kept encrypted so that owners can see their links again.

The encryption context binds each ciphertext to its record: ``{fileId, shareId}`` for a file's
link, ``{ownerId, shareId}`` for a link to several files, ``{requestId}`` for a file request, so a
ciphertext copied onto another record does not decrypt. The IAM policies of the functions that use
the key require exactly these contexts' keys (template.yaml; a template test compares them with
``token_context`` and ``request_token_context``).
"""

from __future__ import annotations

import base64

from fileshare.core.aws import client


def token_context(*, share_id: str, file_id: str | None = None, owner_id: str | None = None) -> dict[str, str]:
    """The encryption context of one share token's ciphertext: a file's link names its file, a link
    to several files its owner."""
    if (file_id is None) == (owner_id is None):
        raise ValueError("a token's context names either its file or its owner")
    if file_id is not None:
        return {"fileId": file_id, "shareId": share_id}
    return {"ownerId": str(owner_id), "shareId": share_id}


def request_token_context(*, request_id: str) -> dict[str, str]:
    """The encryption context of one file request token's ciphertext."""
    return {"requestId": request_id}


def encrypt_token(*, key_id: str, token: str, context: dict[str, str]) -> str:
    answer = client("kms").encrypt(KeyId=key_id, Plaintext=token.encode("ascii"), EncryptionContext=context)
    return base64.b64encode(answer["CiphertextBlob"]).decode("ascii")


def decrypt_token(*, ciphertext: str, context: dict[str, str]) -> str:
    answer = client("kms").decrypt(CiphertextBlob=base64.b64decode(ciphertext), EncryptionContext=context)
    return bytes(answer["Plaintext"]).decode("ascii")
