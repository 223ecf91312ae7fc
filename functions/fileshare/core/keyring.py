"""KMS adapter: share tokens are kept encrypted so that owners can see their links again.

The encryption context binds each ciphertext to its file and share, so a ciphertext copied onto
another record does not decrypt. The IAM policies of the functions that use the key require exactly
this context's keys (template.yaml; a template test compares them with ``token_context``).

Listing files shows every live link on the page, and KMS has no batch decrypt: a page's tokens are
decrypted side by side, and each plaintext is kept in this process's memory (never written
anywhere), so the next listing in a warm environment asks KMS only for links it has not seen. A
ciphertext with its context always decrypts to the same token, so a kept one is never stale.
"""

from __future__ import annotations

import base64
import threading
from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from fileshare.core.aws import client

TOKENS_KEPT = 10_000  # about 1 MB; the oldest read is forgotten first
PARALLEL_DECRYPTS = 8
_kept: OrderedDict[tuple[str, str, str], str] = OrderedDict()
_kept_lock = threading.Lock()


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
    key = (ciphertext, file_id, share_id)
    with _kept_lock:
        token = _kept.get(key)
        if token is not None:
            _kept.move_to_end(key)
            return token
    answer = client("kms").decrypt(
        CiphertextBlob=base64.b64decode(ciphertext),
        EncryptionContext=token_context(file_id=file_id, share_id=share_id),
    )
    token = bytes(answer["Plaintext"]).decode("ascii")
    with _kept_lock:
        _kept[key] = token
        while len(_kept) > TOKENS_KEPT:
            _kept.popitem(last=False)
    return token


def decrypt_tokens(wanted: Iterable[tuple[str, str, str]]) -> None:
    """Decrypt (ciphertext, file id, share id) triples side by side, so that ``decrypt_token``
    finds them kept."""
    with _kept_lock:
        missing = list(dict.fromkeys(w for w in wanted if w not in _kept))
    if not missing:
        return
    with ThreadPoolExecutor(max_workers=min(PARALLEL_DECRYPTS, len(missing))) as pool:
        list(pool.map(lambda w: decrypt_token(ciphertext=w[0], file_id=w[1], share_id=w[2]), missing))
