"""Share tokens: 256 bits from the OS CSPRNG, URL-safe, stored only as a SHA-256 hash."""

from __future__ import annotations

import hashlib
import re
import secrets

TOKEN_BYTES = 32
TOKEN_RE = re.compile(r"^[A-Za-z0-9_-]{43}\Z")


def mint_share_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def looks_like_token(value: str) -> bool:
    """Cheap shape check before any lookup, so junk never reaches the table."""
    return bool(TOKEN_RE.match(value))
