"""File names: what we display, what we store, and how a download names the file.

The original name is untrusted text from a browser. ``sanitize_name`` keeps what a person would
recognise and removes what could mislead or escape: path components, control and bidi characters,
Windows reserved device names, leading dots, and excess length.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

MAX_NAME_BYTES = 255
FALLBACK_NAME = "file"

# Bidi embedding/override/isolate controls and other invisible format characters that can make
# "evil<U+202E>fdp.exe" display as "evilexe.pdf".
_BIDI = {chr(c) for c in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.IGNORECASE)
_UNSAFE_ASCII = set('<>:"/\\|?*')


def sanitize_name(name: str) -> str:
    """A safe display and download name for ``name``; never empty, at most 255 UTF-8 bytes."""
    text = unicodedata.normalize("NFC", name)
    # Keep only the last path component, whichever separator the client used.
    text = re.split(r"[/\\]", text)[-1]
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in _BIDI or category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"):
            continue
        kept.append("_" if ch in _UNSAFE_ASCII else (" " if category == "Zs" else ch))
    # Normalise again: a removed character may have separated a letter from its combining mark.
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", "".join(kept))).strip(" .")
    if not text:
        text = FALLBACK_NAME
    if _RESERVED.match(text):
        text = f"_{text}"
    return _truncate(text, MAX_NAME_BYTES)


def _truncate(text: str, limit: int) -> str:
    if len(text.encode("utf-8")) <= limit:
        return text
    stem, dot, ext = text.rpartition(".")
    if not dot or len(ext.encode("utf-8")) > 16 or not stem:
        stem, ext, dot = text, "", ""
    suffix = f"{dot}{ext}"
    budget = limit - len(suffix.encode("utf-8"))
    out = stem.encode("utf-8")[:budget].decode("utf-8", errors="ignore").rstrip(" .")
    return f"{out or FALLBACK_NAME}{suffix}"


def extension(name: str) -> str:
    """The lower-case extension without its dot, or ``""``."""
    _, dot, ext = name.rpartition(".")
    return ext.lower() if dot and _ else ""


def content_disposition(name: str) -> str:
    """An RFC 6266 ``attachment`` header value with an ASCII fallback and an RFC 5987 ``filename*``."""
    safe = sanitize_name(name)
    ascii_name = unicodedata.normalize("NFKD", safe).encode("ascii", "ignore").decode("ascii")
    ascii_name = re.sub(r"[^A-Za-z0-9 ._()+,=@~-]", "_", ascii_name).strip() or FALLBACK_NAME
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(safe, safe='')}"
