"""fileshare.core.content_types: what a file really is, whether that agrees with what the uploader
claimed, and the type a download is served with. Every sample is built here, byte by byte."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from fileshare.core.content_types import (
    DEFAULT_ALLOWED,
    EXECUTABLE_TYPES,
    allow_problem,
    category,
    normalize,
    serving_type,
    sniff,
    type_problem,
)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# A 64-bit little-endian ELF identification followed by an (empty) header.
ELF = b"\x7fELF\x02\x01\x01" + bytes(57)
# A DOS stub whose e_lfanew (offset 0x3c) points at a "PE\0\0" signature.
PE = b"MZ" + bytes(58) + struct.pack("<I", 64) + b"PE\x00\x00" + bytes(60)
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + struct.pack(">II", 1, 1) + b"\x08\x06\x00\x00\x00" + bytes(4)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + bytes(16)
ZIP = zip_bytes({"notes.txt": b"hello", "data/values.csv": b"a,b\n1,2\n"})
TEXT = "Grüße, 世界! Plain UTF-8 text.\n".encode()
CSV = b"name,size\nreport.pdf,12345\n"
SCRIPT = b"#!/bin/sh\necho hello\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
XML_SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ------------------------------------------------------------------------------ sniff


@pytest.mark.parametrize(
    ("body", "detected"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (ZIP, "application/zip"),
        (TEXT, "text/plain"),
        (CSV, "text/plain"),
        (SCRIPT, "text/x-shellscript"),
        (b"\n\n  #!/usr/bin/env python3\n", "text/x-shellscript"),
        (HTML, "text/html"),
        (b"\xef\xbb\xbf<html><body>hi</body></html>", "text/html"),  # behind a byte-order mark
        (b"<SCRIPT>alert(1)</SCRIPT>", "text/html"),
        (SVG, "image/svg+xml"),
        (XML_SVG, "image/svg+xml"),
        (b"", None),
        (b"\x00\x01\x02\x03 binary with no signature", None),
        (b"caf\xe9 in Latin-1, not UTF-8, followed by more text", None),
    ],
)
def test_content_is_recognised_by_its_bytes(body: bytes, detected: str | None) -> None:
    assert sniff(body) == detected


@pytest.mark.parametrize("body", [ELF, PE])
def test_executables_are_recognised_whatever_they_are_called(body: bytes) -> None:
    assert sniff(body) in EXECUTABLE_TYPES


def test_text_cut_inside_a_character_at_the_end_of_the_sniffed_head_is_still_text() -> None:
    # Given the first 8191 bytes of a text of two-byte characters (the last one cut in half)
    head = ("é" * 5000).encode()[:8191]

    # Then it is still recognised as text
    assert sniff(head) == "text/plain"


@pytest.mark.parametrize(
    ("head", "tail", "detected"),
    [
        (bytes(0x8001) + b"CD001\x01", b"", "application/x-iso9660-image"),  # the primary volume descriptor
        (bytes(0x9001) + b"CD001\x01", b"", "application/x-iso9660-image"),  # behind two others
        (bytes(0x8001) + b"BEA01\x01", b"", "application/x-iso9660-image"),  # UDF
        (b"vhdxfile" + bytes(64), b"", "application/x-vhdx"),
        (b"conectix" + bytes(64), b"", "application/x-vhd"),  # dynamic: a copy of the footer first
        (bytes(4096), b"conectix" + bytes(504), "application/x-vhd"),  # fixed: the footer only
        (bytes(4096), bytes(8) + b"koly" + bytes(508), "application/x-apple-diskimage"),
        (b"KDMV\x01\x00\x00\x00" + bytes(64), b"", "application/x-vmdk"),
        (b"QFI\xfb\x00\x00\x00\x03" + bytes(64), b"", "application/x-qemu-disk"),
        (b"ITSF\x03\x00\x00\x00" + bytes(64), b"", "application/vnd.ms-htmlhelp"),
        (bytes.fromhex("e4525c7b8cd8a74daeb15378d02996d3") + bytes(64), b"", "application/onenote"),
        (bytes(0x8001) + b"CD002", b"", None),
    ],
)
def test_disk_and_container_images_are_recognised(head: bytes, tail: bytes, detected: str | None) -> None:
    assert sniff(head, tail) == detected


def test_disk_images_are_their_own_category_refused_by_default() -> None:
    iso = sniff(bytes(0x8001) + b"CD001")
    assert category(str(iso)) == "disk-images" and "disk-images" not in DEFAULT_ALLOWED
    assert "cannot be scanned" in str(allow_problem("application/octet-stream", "x.bin", iso, DEFAULT_ALLOWED))
    # the extension alone refuses, whatever the content looks like
    assert allow_problem("application/octet-stream", "disk.img", None, DEFAULT_ALLOWED) is not None
    assert allow_problem("application/octet-stream", "disk.img", None, DEFAULT_ALLOWED | {"disk-images"}) is None


# ------------------------------------------------------------------------------ type_problem


@pytest.mark.parametrize(
    ("declared", "name", "body", "mentions"),
    [
        ("application/pdf", "report.pdf", ELF, "executable"),
        ("text/plain", "notes.txt", ELF, "executable"),
        ("image/png", "cat.png", PE, "executable"),
        ("text/plain", "notes.txt", SCRIPT, "executable"),
        ("application/pdf", "x.png", PNG, "application/pdf"),
        ("application/pdf", "x.pdf", PNG, "image/png"),
        ("image/png", "x.pdf", PNG, "extension .pdf"),
        ("image/png", "photo.png", TEXT, "image/png"),
        ("image/png", "photo.png", b"\x00\x01 not an image at all", "not a valid image/png"),
        ("application/pdf", "report.pdf", b"\x00garbage", "not a valid application/pdf"),
        ("text/plain", "page.txt", HTML, "text/html"),
        ("image/png", "logo.png", SVG, "image/svg+xml"),
        ("application/octet-stream", "page.txt", HTML, "extension .txt"),
        ("text/plain", "a.pdf", PDF, "application/pdf"),
    ],
)
def test_disagreements_between_claim_and_content_are_explained(
    declared: str, name: str, body: bytes, mentions: str
) -> None:
    problem = type_problem(declared, name, sniff(body))
    assert problem is not None
    assert mentions in problem


@pytest.mark.parametrize(
    ("declared", "name", "body"),
    [
        ("image/png", "x.png", PNG),
        ("application/pdf", "report.pdf", PDF),
        ("image/jpg", "photo.jpeg", JPEG),  # a common alias of image/jpeg
        ("application/zip", "bundle.zip", ZIP),
        (DOCX, "letter.docx", ZIP),  # Office documents are zip containers
        (XLSX, "sheet.xlsx", ZIP),
        ("text/csv", "a.csv", CSV),
        ("text/csv; charset=utf-8", "a.csv", CSV),
        ("application/json", "data.json", b'{"a": 1}'),
        ("text/markdown", "README.md", b"# Title\n"),
        ("text/plain", "notes.txt", TEXT),
        ("application/octet-stream", "blob", b"\x00\x01 unrecognised bytes"),
        ("", "photo.png", PNG),  # no declared type: the content and the extension decide
        ("text/html", "page.html", HTML),  # consistent; served as octet-stream (see serving_type)
    ],
)
def test_honest_uploads_have_no_type_problem(declared: str, name: str, body: bytes) -> None:
    assert type_problem(declared, name, sniff(body)) is None


def test_an_honestly_labelled_executable_is_left_to_the_allow_list() -> None:
    # Given an ELF binary declared as opaque bytes
    detected = sniff(ELF)

    # Then its type claim is not a lie, but the default allow-list refuses executables
    assert type_problem("application/octet-stream", "tool", detected) is None
    refused = allow_problem("application/octet-stream", "tool", detected, DEFAULT_ALLOWED)
    assert refused is not None and "executables" in refused


# ------------------------------------------------------------------------------ serving_type and normalize


@pytest.mark.parametrize(
    ("stored", "served"),
    [
        ("text/html", "application/octet-stream"),
        ("text/html; charset=utf-8", "application/octet-stream"),
        ("TEXT/HTML", "application/octet-stream"),
        ("image/svg+xml", "application/octet-stream"),
        ("application/xhtml+xml", "application/octet-stream"),
        ("application/javascript", "application/octet-stream"),
        ("text/xml", "application/octet-stream"),
        ("application/x-msdownload", "application/octet-stream"),
        ("", "application/octet-stream"),
        ("image/png", "image/png"),
        ("IMAGE/PNG", "image/png"),
        ("image/jpg", "image/jpeg"),
        ("application/pdf", "application/pdf"),
        ("text/plain; charset=utf-8", "text/plain"),
        ("text/csv", "text/csv"),
    ],
)
def test_only_inert_types_are_served_as_themselves(stored: str, served: str) -> None:
    assert serving_type(stored) == served


@pytest.mark.parametrize(
    ("given_type", "normal"),
    [
        ("Image/JPG; q=1", "image/jpeg"),
        ("application/x-zip-compressed", "application/zip"),
        ("application/x-sh", "text/x-shellscript"),
        ("  text/plain ; charset=utf-8", "text/plain"),
        ("application/pdf", "application/pdf"),
    ],
)
def test_types_are_compared_in_one_spelling(given_type: str, normal: str) -> None:
    assert normalize(given_type) == normal
