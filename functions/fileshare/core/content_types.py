"""Content types: sniffing, compatibility of declared and detected types, and safe serving types.

Binary formats are recognised by their magic numbers with ``filetype`` (pure Python, so it runs
unchanged in Lambda, where libmagic is not installed). Text has no magic number; it is recognised
here as decodable UTF-8 without NUL bytes, and scripts and markup by their first bytes.
"""

from __future__ import annotations

import mimetypes

import filetype

from fileshare.core.names import extension

OCTET_STREAM = "application/octet-stream"
SNIFF_BYTES = 8192

EXECUTABLE_TYPES = frozenset(
    {
        "application/x-executable",
        "application/x-msdownload",
        "application/x-mach-binary",
        "application/x-sharedlib",
        "application/vnd.microsoft.portable-executable",
        "application/x-sh",
        "text/x-shellscript",
    }
)
_ALIASES = {
    "image/jpg": "image/jpeg",
    "image/pjpeg": "image/jpeg",
    "application/x-zip-compressed": "application/zip",
    "application/x-pdf": "application/pdf",
    "audio/mp3": "audio/mpeg",
    "application/x-msdos-program": "application/x-msdownload",
    "application/vnd.microsoft.portable-executable": "application/x-msdownload",
    "application/x-sh": "text/x-shellscript",
    "application/x-shellscript": "text/x-shellscript",
    "text/x-sh": "text/x-shellscript",
}
# Formats that are zip archives inside: a zip signature is what they should sniff as.
_ZIP_CONTAINERS = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.spreadsheet",
        "application/vnd.oasis.opendocument.presentation",
        "application/epub+zip",
        "application/java-archive",
    }
)
# Types a browser may render inline; downloads always carry Content-Disposition: attachment,
# and anything that is not plainly inert is served as application/octet-stream as well.
_SAFE_TO_LABEL = frozenset(
    {
        "application/pdf",
        "application/zip",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "audio/mpeg",
        "audio/ogg",
        "video/mp4",
        "video/webm",
        "text/plain",
        "text/csv",
    }
)


def normalize(content_type: str) -> str:
    base = content_type.split(";", 1)[0].strip().lower()
    return _ALIASES.get(base, base)


def sniff(head: bytes) -> str | None:
    """The detected type of content starting with ``head``, or None when nothing is recognisable."""
    kind = filetype.guess(head)
    if kind is not None:
        return normalize(kind.mime)
    if not head:
        return None
    if b"\x00" in head:
        return None
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character may be cut at the end of the sniffed window.
        if exc.start < len(head) - 4:
            return None
        text = head[: exc.start].decode("utf-8")
    start = text.lstrip("\ufeff \t\r\n")[:256].lower()
    if start.startswith("#!"):
        return "text/x-shellscript"
    if start.startswith(("<!doctype html", "<html", "<script")):
        return "text/html"
    if start.startswith("<svg") or (start.startswith("<?xml") and "<svg" in start):
        return "image/svg+xml"
    return "text/plain"


def _compatible(claimed: str, detected: str) -> bool:
    if claimed in (detected, OCTET_STREAM):
        return True
    if detected == "application/zip" and claimed in _ZIP_CONTAINERS:
        return True
    # Every text format (csv, json, markdown, source code) sniffs as plain text.
    textual = claimed.startswith("text/") or claimed.endswith(("+json", "/json", "+xml", "/xml"))
    return detected == "text/plain" and textual


def type_problem(declared: str, name: str, detected: str | None) -> str | None:
    """Why the declared type, the name's extension and the content disagree; None when they agree."""
    claimed = normalize(declared) if declared else OCTET_STREAM
    if detected in EXECUTABLE_TYPES and claimed not in (*EXECUTABLE_TYPES, OCTET_STREAM):
        return f"executable content ({detected}) is declared as {claimed}"
    guessed = mimetypes.guess_type(f"x.{extension(name)}")[0] if extension(name) else None
    by_extension = normalize(guessed) if guessed else None
    if detected is None:
        if claimed.startswith(("image/", "audio/", "video/")) or claimed in ("application/pdf", "application/zip"):
            return f"content is not a valid {claimed} file"
        return None
    if not _compatible(claimed, detected):
        return f"declared type {claimed} does not match the content ({detected})"
    if by_extension is not None and not _compatible(by_extension, detected):
        return f"extension .{extension(name)} does not match the content ({detected})"
    return None


def serving_type(content_type: str) -> str:
    """The Content-Type a download is served with: the real type only when it is inert."""
    base = normalize(content_type)
    return base if base in _SAFE_TO_LABEL else OCTET_STREAM


# ---------------------------------------------------------------------------- the allow-list
CATEGORIES = ("documents", "images", "audio", "video", "archives", "markup", "other", "executables", "scripts")
DEFAULT_ALLOWED = frozenset({"documents", "images", "audio", "video", "archives", "markup", "other"})

_DOCUMENTS = frozenset(
    {
        "application/pdf",
        "application/rtf",
        "application/json",
        "application/msword",
        "application/vnd.ms-excel",
        "application/vnd.ms-powerpoint",
        "application/epub+zip",
        *(t for t in _ZIP_CONTAINERS if t != "application/java-archive"),
    }
)
_ARCHIVES = frozenset(
    {
        "application/zip",
        "application/gzip",
        "application/x-tar",
        "application/x-7z-compressed",
        "application/x-rar-compressed",
        "application/vnd.rar",
        "application/x-bzip2",
        "application/x-xz",
        "application/zstd",
    }
)
_MARKUP = frozenset({"text/html", "image/svg+xml", "application/xhtml+xml", "text/xml", "application/xml"})
_SCRIPTS = frozenset(
    {"text/x-shellscript", "application/x-sh", "application/javascript", "text/javascript", "application/x-python"}
)
_SCRIPT_EXTENSIONS = frozenset(
    {
        "sh",
        "bash",
        "zsh",
        "ps1",
        "psm1",
        "bat",
        "cmd",
        "vbs",
        "vbe",
        "js",
        "jse",
        "wsf",
        "wsh",
        "hta",
        "py",
        "pl",
        "rb",
        "php",
        "scr",
        "lnk",
        "msi",
        "jar",
        "apk",
        "com",
        "exe",
        "dll",
        "app",
        "deb",
        "rpm",
        "dmg",
    }
)


def category(content_type: str) -> str:
    """The allow-list category of one media type."""
    kind = normalize(content_type)
    if kind in EXECUTABLE_TYPES or kind in ("application/java-archive", "application/vnd.android.package-archive"):
        return "executables"
    if kind in _SCRIPTS:
        return "scripts"
    if kind in _MARKUP:
        return "markup"
    if kind in _DOCUMENTS or kind.startswith("text/"):
        return "documents"
    if kind in _ARCHIVES:
        return "archives"
    for family in ("image", "audio", "video"):
        if kind.startswith(f"{family}/"):
            return "images" if family == "image" else family
    return "other"


def allow_problem(declared: str, name: str, detected: str | None, allowed: frozenset[str]) -> str | None:
    """Why the content is not on the allow-list; None when it is. The detected type decides; an
    executable or script extension counts too, whatever the content looks like."""
    kinds = {category(detected or declared or OCTET_STREAM)}
    ext = extension(name)
    if ext in _SCRIPT_EXTENSIONS:
        kinds.add(
            "executables"
            if ext in {"exe", "dll", "com", "scr", "msi", "app", "deb", "rpm", "dmg", "apk", "jar", "lnk"}
            else "scripts"
        )
    refused = sorted(k for k in kinds if k not in allowed)
    if refused:
        return f"{' and '.join(refused)} are not allowed here"
    return None


def parse_allowed(text: str) -> frozenset[str]:
    chosen = frozenset(p.strip() for p in text.split(",") if p.strip())
    unknown = chosen - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown content categories {sorted(unknown)}; known: {', '.join(CATEGORIES)}")
    return chosen
