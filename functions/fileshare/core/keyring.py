"""KMS adapter: share and request tokens are kept encrypted so that owners can see their links again.

The encryption context binds each ciphertext to its record: ``{fileId, shareId}`` for a file's
link, ``{ownerId, shareId}`` for a link to several files, ``{requestId}`` for a file request, so a
ciphertext copied onto another record does not decrypt. The IAM policies of the functions that use
the key require exactly these contexts' keys (template.yaml; a template test compares them with
``token_context`` and ``request_token_context``).

A page of files or links shows every live link on it, and KMS has no batch decrypt: a page's
tokens are decrypted side by side (``decrypt_tokens``), and each plaintext is kept in this
process's memory only (never written anywhere, at most ``TOKENS_KEPT``), so the next listing in a
warm environment asks KMS only for links it has not seen. A ciphertext with its context always
decrypts to the same token, so a kept one is never stale; a revoked link is never decrypted.
"""

from __future__ import annotations

import base64
import threading
from collections import OrderedDict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor

from fileshare.core.aws import client

TOKENS_KEPT = 10_000  # about 1 MB; the least recently read is forgotten first
PARALLEL_DECRYPTS = 8
Sealed = tuple[str, tuple[tuple[str, str], ...]]  # a ciphertext and its context's items, sorted
_kept: OrderedDict[Sealed, str] = OrderedDict()
_kept_lock = threading.Lock()


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


def _sealed(ciphertext: str, context: dict[str, str]) -> Sealed:
    return ciphertext, tuple(sorted(context.items()))


def decrypt_token(*, ciphertext: str, context: dict[str, str]) -> str:
    sealed = _sealed(ciphertext, context)
    with _kept_lock:
        token = _kept.get(sealed)
        if token is not None:
            _kept.move_to_end(sealed)
            return token
    answer = client("kms").decrypt(CiphertextBlob=base64.b64decode(ciphertext), EncryptionContext=context)
    token = bytes(answer["Plaintext"]).decode("ascii")
    with _kept_lock:
        _kept[sealed] = token
        while len(_kept) > TOKENS_KEPT:
            _kept.popitem(last=False)
    return token


def decrypt_tokens(wanted: Iterable[tuple[str, dict[str, str]]]) -> None:
    """Decrypt (ciphertext, context) pairs side by side, so that ``decrypt_token`` finds them kept."""
    with _kept_lock:
        missing = {_sealed(c, ctx): (c, ctx) for c, ctx in wanted if _sealed(c, ctx) not in _kept}
    if not missing:
        return
    client("kms")  # made here, once: boto3 does not make clients safely from several threads at once
    with ThreadPoolExecutor(max_workers=min(PARALLEL_DECRYPTS, len(missing))) as pool:
        list(pool.map(lambda pair: decrypt_token(ciphertext=pair[0], context=pair[1]), missing.values()))
