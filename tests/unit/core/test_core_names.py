"""fileshare.core.names: the untrusted name a browser sends becomes a safe display and download name."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from fileshare.core.names import content_disposition, extension, sanitize_name

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")
# Device names Windows will not let a file be called, with or without an extension (Microsoft's
# "Naming Files, Paths, and Namespaces" lists the superscript-digit ports too).
WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.IGNORECASE)

# Pieces that plain st.text() rarely produces together: separators, dots, invisible and bidi controls
# next to combining marks, the characters Windows forbids, reserved device names, wide characters.
TRICKY_PIECES = st.sampled_from(
    [
        "/",
        "\\",
        ".",
        "..",
        " ",
        "\t",
        "\n",
        "\x00",
        "\x7f",
        "\u3000",
        "\u2028",
        "\u200b",
        "\ufeff",
        "\u0301",
        "\u0338",
        "e",
        "A",
        "<",
        ">",
        ":",
        '"',
        "|",
        "?",
        "*",
        "CON",
        "nul",
        "Com1",
        "lpt9",
        "COM\u00b9",
        ".txt",
        ".pdf",
        "報",
        "😀",
        "報" * 90,
        *BIDI_CONTROLS,
    ]
)
NAMES = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(TRICKY_PIECES, st.text(max_size=4)), max_size=60).map("".join),
)


# ------------------------------------------------------------------------------ sanitize_name


@given(NAMES)
@example("e\u200b\u0301.txt")  # removing an invisible character must not leave a non-normalised name
@example("invoice\u202e\u0301fdp.exe")
@example("報" * 1000 + ".pdf")
def test_a_sanitized_name_is_always_safe_to_show_and_store(name: str) -> None:
    # When any name at all is sanitized
    safe = sanitize_name(name)

    # Then it can be stored and shown: never empty, fits a file system's 255-byte limit,
    # names no directory, hides nothing and cannot reorder what is displayed
    assert safe
    assert len(safe.encode("utf-8")) <= 255
    assert "/" not in safe and "\\" not in safe
    assert not [c for c in safe if unicodedata.category(c) in ("Cc", "Cf")]
    assert not BIDI_CONTROLS & set(safe)
    assert not WINDOWS_RESERVED.match(safe)
    # and sanitizing it again changes nothing (stored names are stable across re-processing)
    assert sanitize_name(safe) == safe


@pytest.mark.parametrize(
    ("given_name", "expected"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\boot.ini", "boot.ini"),
        ("C:\\Users\\me\\Desktop\\report.pdf", "report.pdf"),
        ("/absolute/path/to/photo.png", "photo.png"),
        ("reports/", "file"),
    ],
)
def test_path_components_are_dropped(given_name: str, expected: str) -> None:
    assert sanitize_name(given_name) == expected


def test_a_bidi_override_cannot_disguise_the_real_extension() -> None:
    # Given a name that displays as "invoiceexe.pdf" but really ends in .exe
    name = "invoice\u202efdp.exe"

    # When it is sanitized
    safe = sanitize_name(name)

    # Then the override is gone and what is shown is what the file is
    assert "\u202e" not in safe
    assert safe == "invoicefdp.exe"
    assert extension(safe) == "exe"


@pytest.mark.parametrize(
    ("given_name", "expected"),
    [
        ("CON.txt", "_CON.txt"),
        ("con", "_con"),
        ("nul.tar.gz", "_nul.tar.gz"),
        ("COM1", "_COM1"),
        ("lpt9.log", "_lpt9.log"),
        ("COM\u00b9.txt", "_COM\u00b9.txt"),
        ("lpt\u00b3", "_lpt\u00b3"),
    ],
)
def test_windows_device_names_are_prefixed(given_name: str, expected: str) -> None:
    assert sanitize_name(given_name) == expected


@pytest.mark.parametrize("ordinary", ["CONSOLE.txt", "console", "nullable.py", "com10.txt", "lpt.txt"])
def test_names_that_only_start_like_device_names_are_left_alone(ordinary: str) -> None:
    assert sanitize_name(ordinary) == ordinary


@pytest.mark.parametrize("empty", ["", ".", "..", "...", "   ", " . . ", "/", "\\", "\u202e", "\x00\x01", "../.."])
def test_names_with_nothing_left_become_file(empty: str) -> None:
    assert sanitize_name(empty) == "file"


def test_a_long_cjk_name_is_cut_to_255_bytes_and_keeps_its_extension() -> None:
    # Given a name of 1000 CJK characters (3,000 UTF-8 bytes) with an extension
    name = "報" * 1000 + ".pdf"

    # When it is sanitized
    safe = sanitize_name(name)

    # Then it fits in 255 bytes, still ends in .pdf, and keeps as many whole characters as fit
    encoded = safe.encode("utf-8")
    assert len(encoded) <= 255
    assert safe.endswith(".pdf")
    assert set(safe.removesuffix(".pdf")) == {"報"}
    assert len(encoded) > 255 - len("報".encode())


def test_a_long_emoji_name_is_cut_between_characters() -> None:
    safe = sanitize_name("😀" * 300 + ".txt")
    assert len(safe.encode("utf-8")) <= 255
    assert safe.endswith(".txt") and set(safe.removesuffix(".txt")) == {"😀"}


def test_a_long_name_without_a_real_extension_is_cut_as_a_whole() -> None:
    # A "suffix" longer than any extension is part of the name, not kept whole at the expense of the stem.
    name = "a" * 200 + "." + "b" * 200
    safe = sanitize_name(name)
    assert safe == name.encode()[:255].decode()


@pytest.mark.parametrize(
    ("given_name", "expected"),
    [
        ('a<b>c:d"e|f?g*h.txt', "a_b_c_d_e_f_g_h.txt"),
        ("  report \t final  .pdf ", "report final .pdf"),
        ("  report  final .pdf ", "report final .pdf"),
        ("tab\there.txt", "tabhere.txt"),
        ("a\x00b\x1fc.txt", "abc.txt"),
        (".bashrc", "bashrc"),
        ("notes.txt.", "notes.txt"),
        ("wide\u3000space.txt", "wide space.txt"),
        ("zero\u200bwidth.txt", "zerowidth.txt"),
        ("Cafe\u0301.txt", "Café.txt"),
        ("Résumé 2024.pdf", "Résumé 2024.pdf"),
    ],
)
def test_what_a_person_would_recognise_is_kept(given_name: str, expected: str) -> None:
    assert sanitize_name(given_name) == expected


# ------------------------------------------------------------------------------ extension


@pytest.mark.parametrize(
    ("name", "ext"),
    [
        ("report.PDF", "pdf"),
        ("archive.tar.gz", "gz"),
        ("README", ""),
        (".bashrc", ""),
        ("trailing.", ""),
        ("photo.JPeg", "jpeg"),
    ],
)
def test_extension_is_the_lower_case_last_suffix(name: str, ext: str) -> None:
    assert extension(name) == ext


# ------------------------------------------------------------------------------ content_disposition

HEADER = re.compile(r"attachment; filename=\"([^\"\\\x00-\x1f\x7f]*)\"; filename\*=UTF-8''([A-Za-z0-9%._~-]+)")


@given(NAMES)
def test_content_disposition_is_an_ascii_attachment_that_names_the_sanitized_file(name: str) -> None:
    # When a download header is made for any name
    header = content_disposition(name)

    # Then the browser saves (never renders) the file; the value is plain ASCII with no way to
    # break out of the quoted fallback or inject another header
    assert header.startswith("attachment;")
    assert header.isascii()
    parsed = HEADER.fullmatch(header)
    assert parsed is not None, header
    fallback, encoded = parsed.groups()
    assert fallback
    # and the RFC 5987 name decodes to exactly the sanitized name
    assert unquote(encoded, encoding="utf-8", errors="strict") == sanitize_name(name)


def test_content_disposition_for_an_accented_name() -> None:
    assert content_disposition("résumé.pdf") == (
        "attachment; filename=\"resume.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf"
    )


def test_content_disposition_cannot_be_used_to_inject_a_second_filename() -> None:
    # Given a name that tries to close the quoted string and add its own parameter
    header = content_disposition('evil"; filename="payload.exe')

    # Then the value still has exactly the two parameters we wrote: the quote is replaced, so the
    # attacker's text stays inside the quoted fallback and the encoded name
    parsed = HEADER.fullmatch(header)
    assert parsed is not None, header
    assert '"' not in parsed.group(1)
    assert parsed.group(1) == "evil__ filename=_payload.exe"


def test_content_disposition_cannot_be_used_to_inject_a_header() -> None:
    header = content_disposition("a\r\nSet-Cookie: x=1.txt")
    assert "\r" not in header and "\n" not in header
