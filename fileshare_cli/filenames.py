"""The name a download is saved under: from the presigned URL's ``response-content-disposition``
(RFC 6266, with RFC 5987's ``filename*``) or the share's view, made safe to create here.

The server already sanitizes names; the client does not trust that and cleans again for the local
file system: only the last path component, no control or invisible format characters (bidi
overrides included), no leading dots (no hidden files, no ``..``), at most 255 UTF-8 bytes.
"""

from __future__ import annotations

import re
import unicodedata
from email.message import Message
from email.utils import collapse_rfc2231_value
from urllib.parse import parse_qs, urlsplit

FALLBACK = "download"
MAX_BYTES = 255


def sanitize(name: str) -> str:
    text = unicodedata.normalize("NFC", name)
    text = re.split(r"[/\\]", text)[-1]
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C" and ch not in "\u2028\u2029")
    text = re.sub(r"\s+", " ", text).strip().lstrip(".").strip()
    if not text:
        return FALLBACK
    encoded = text.encode("utf-8")
    if len(encoded) > MAX_BYTES:
        stem, dot, ext = text.rpartition(".")
        suffix = f".{ext}" if dot and stem and len(ext.encode("utf-8")) <= 16 else ""
        budget = MAX_BYTES - len(suffix.encode("utf-8"))
        head = (stem if suffix else text).encode("utf-8")[:budget].decode("utf-8", errors="ignore").rstrip()
        text = f"{head}{suffix}" if head else FALLBACK
    return text


def from_content_disposition(value: str) -> str | None:
    """The file name in a Content-Disposition value (``filename*`` wins over ``filename``)."""
    message = Message()
    message["Content-Disposition"] = value
    found = [v for k, v in message.get_params([], header="content-disposition") if k.lower() == "filename"]
    # RFC 6266: filename* (decoded by the email package into a (charset, language, text) tuple) wins.
    found.sort(key=lambda v: not isinstance(v, tuple))
    return collapse_rfc2231_value(found[0]) or None if found else None


def from_presigned_url(url: str) -> str | None:
    """The file name S3 will send for this presigned GET (its ``response-content-disposition``)."""
    values = parse_qs(urlsplit(url).query).get("response-content-disposition")
    return from_content_disposition(values[0]) if values else None
