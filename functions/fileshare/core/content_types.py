"""Content types: sniffing, compatibility of declared and detected types, and safe serving types.

Binary formats are recognised by their magic numbers with ``filetype`` (pure Python, so it runs
unchanged in Lambda, where libmagic is not installed). Text has no magic number; it is recognised
here as decodable UTF-8 without NUL bytes, and scripts and markup by their first bytes. Disk and
container images, which ``filetype`` does not know (an ISO 9660 image announces itself 32 KiB in,
a fixed VHD and a DMG only in their last 512 bytes), are recognised here too.
"""

from __future__ import annotations

import mimetypes

from fileshare.core.names import extension

OCTET_STREAM = "application/octet-stream"
# Enough for ISO 9660's volume descriptors (0x8001, 0x8801, 0x9001); filetype reads the first 8 KiB.
SNIFF_BYTES = 64 * 1024
TAIL_BYTES = 512  # where fixed VHD footers and DMG trailers sit

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
        "application/msix",
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


# Disk and container images: they hold whole file systems or packages that no engine here can
# inspect, so they are refused as unscannable unless the "disk-images" category is allowed.
DISK_IMAGE_TYPES = {
    "application/x-iso9660-image": "an ISO 9660 disk image",
    "application/x-raw-disk-image": "a raw disk image",
    "application/x-vhd": "a VHD disk image",
    "application/x-vhdx": "a VHDX disk image",
    "application/x-vmdk": "a VMDK disk image",
    "application/x-qemu-disk": "a QCOW disk image",
    "application/x-apple-diskimage": "an Apple disk image (DMG)",
    "application/onenote": "a OneNote notebook",
    "application/vnd.ms-htmlhelp": "a compiled HTML help file (CHM)",
    "application/msix": "an MSIX/APPX package",
}
DISK_IMAGE_EXTENSIONS = {
    "iso": "application/x-iso9660-image",
    "udf": "application/x-iso9660-image",
    "img": "application/x-raw-disk-image",
    "vhd": "application/x-vhd",
    "vhdx": "application/x-vhdx",
    "avhd": "application/x-vhd",
    "avhdx": "application/x-vhdx",
    "vmdk": "application/x-vmdk",
    "qcow": "application/x-qemu-disk",
    "qcow2": "application/x-qemu-disk",
    "dmg": "application/x-apple-diskimage",
    "one": "application/onenote",
    "onepkg": "application/onenote",
    "chm": "application/vnd.ms-htmlhelp",
    "msix": "application/msix",
    "msixbundle": "application/msix",
    "appx": "application/msix",
    "appxbundle": "application/msix",
}
# What an MSIX/APPX package holds at its root, whatever the outer zip is called.
PACKAGE_MANIFESTS = ("AppxManifest.xml", "AppxMetadata/AppxBundleManifest.xml")
_ONENOTE = bytes.fromhex("e4525c7b8cd8a74daeb15378d02996d3")
_ISO_DESCRIPTORS = (0x8001, 0x8801, 0x9001)


def disk_image_type(head: bytes, tail: bytes = b"") -> str | None:
    """The media type of a disk or container image starting with ``head`` and ending with
    ``tail`` (its last 512 bytes), or None."""
    if any(head[at : at + 5] in (b"CD001", b"BEA01") for at in _ISO_DESCRIPTORS):
        return "application/x-iso9660-image"  # ISO 9660, or UDF's extended area
    starts = {
        b"vhdxfile": "application/x-vhdx",
        b"conectix": "application/x-vhd",  # a dynamic VHD's copy of its footer
        b"KDMV": "application/x-vmdk",
        b"QFI\xfb": "application/x-qemu-disk",
        b"ITSF": "application/vnd.ms-htmlhelp",
        _ONENOTE: "application/onenote",
    }
    for magic, kind in starts.items():
        if head.startswith(magic):
            return kind
    footer = tail[-TAIL_BYTES:]
    if footer.startswith(b"conectix") or footer[1:].startswith(b"conectix"):
        return "application/x-vhd"  # a fixed VHD: a 512-byte (old tools: 511) footer only
    if footer.startswith(b"koly"):
        return "application/x-apple-diskimage"
    return None


def normalize(content_type: str) -> str:
    base = content_type.split(";", 1)[0].strip().lower()
    return _ALIASES.get(base, base)


def sniff(head: bytes, tail: bytes = b"") -> str | None:
    """The detected type of content starting with ``head`` (and ending with ``tail``), or None
    when nothing is recognisable."""
    image = disk_image_type(head, tail)
    if image is not None:
        return image
    import filetype  # only the steps that sniff load it; the API functions serve types (cold start)

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
    ext = extension(name)
    guessed = (DISK_IMAGE_EXTENSIONS.get(ext) or mimetypes.guess_type(f"x.{ext}")[0]) if ext else None
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
CATEGORIES = (
    "documents",
    "images",
    "audio",
    "video",
    "archives",
    "markup",
    "other",
    "executables",
    "scripts",
    "disk-images",
)
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
        *(t for t in _ZIP_CONTAINERS if t not in ("application/java-archive", "application/msix")),
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
    }
)


def category(content_type: str) -> str:
    """The allow-list category of one media type."""
    kind = normalize(content_type)
    if kind in DISK_IMAGE_TYPES:
        return "disk-images"
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
            if ext in {"exe", "dll", "com", "scr", "msi", "app", "deb", "rpm", "apk", "jar", "lnk"}
            else "scripts"
        )
    if ext in DISK_IMAGE_EXTENSIONS:
        kinds.add("disk-images")
    refused = sorted(k for k in kinds if k not in allowed)
    if "disk-images" in refused:
        image = next(
            t for t in (detected, normalize(declared), DISK_IMAGE_EXTENSIONS.get(ext)) if t in DISK_IMAGE_TYPES
        )
        return f"{DISK_IMAGE_TYPES[image]} cannot be scanned, and disk images are not allowed here"
    if refused:
        return f"{' and '.join(refused)} are not allowed here"
    return None


def member_problem(name: str, head: bytes, tail: bytes, allowed: frozenset[str]) -> str | None:
    """Why an archive member is refused, or None: the allow-list and the type rules of a top-level
    file declared as application/octet-stream (an archive declares no types), so its extension
    and its content must agree and neither may be refused."""
    detected = sniff(head, tail)
    return allow_problem(OCTET_STREAM, name, detected, allowed) or type_problem(OCTET_STREAM, name, detected)


def parse_allowed(text: str) -> frozenset[str]:
    chosen = frozenset(p.strip() for p in text.split(",") if p.strip())
    unknown = chosen - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown content categories {sorted(unknown)}; known: {', '.join(CATEGORIES)}")
    return chosen
