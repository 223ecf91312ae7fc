"""fileshare.core.scanning: the YARA engine finds the EICAR test file wherever it sits in a stream,
and ``windows`` re-chunks streams so that no signature falls between two windows.

The EICAR string is assembled from two halves here, so that no file in the repository holds it whole.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fileshare.core import scanning
from fileshare.core.scanning import YaraScanner, windows

EICAR_SHA256 = "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f"


def eicar() -> bytes:
    return ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*").encode("ascii")


def chunked(data: bytes, size: int) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


@pytest.fixture(scope="module")
def yara() -> YaraScanner:
    return YaraScanner()


def test_the_assembled_string_is_the_standard_68_byte_eicar_file() -> None:
    sample = eicar()
    assert len(sample) == 68
    assert hashlib.sha256(sample).hexdigest() == EICAR_SHA256


# ------------------------------------------------------------------------------ YaraScanner


def test_eicar_is_infected(yara: YaraScanner) -> None:
    # When the EICAR test file is scanned
    result = yara.scan([eicar()])

    # Then it is reported infected, by name
    assert result.infected
    assert result.signatures == ("EICAR_Test_File",)
    assert result.to_dict() == {"engine": "yara", "verdict": "INFECTED", "signatures": ["EICAR_Test_File"]}


def test_clean_text_is_clean(yara: YaraScanner) -> None:
    result = yara.scan([b"Quarterly report: revenue up, costs down.\n" * 100])
    assert not result.infected
    assert result.signatures == ()
    assert result.verdict == "CLEAN"


def test_a_truncated_eicar_is_clean(yara: YaraScanner) -> None:
    # Guards against a rule that matches on a prefix: one byte short is not the test file.
    assert not yara.scan([eicar()[:-1]]).infected


@pytest.mark.parametrize("chunk_size", [1, 7, 67, 1000])
def test_eicar_split_across_chunk_boundaries_is_found(yara: YaraScanner, chunk_size: int) -> None:
    # Given EICAR in the middle of a stream that arrives in small chunks
    data = b"padding " * 100 + eicar() + b" trailer"

    # Then the scan still finds it
    result = yara.scan(iter(chunked(data, chunk_size)))
    assert result.signatures == ("EICAR_Test_File",)


@pytest.mark.parametrize("before_boundary", [1, 34, 67])
def test_eicar_straddling_the_4_mib_window_boundary_is_found(yara: YaraScanner, before_boundary: int) -> None:
    # Given EICAR placed so that it starts a few bytes before the end of the first 4 MiB window
    # (the production window size, read in the production 1 MiB chunks)
    start = scanning.WINDOW_BYTES - before_boundary
    data = bytes(start) + eicar() + bytes(1000)

    # Then the overlap between windows carries it whole into the second window
    result = yara.scan(iter(chunked(data, scanning.READ_BYTES)))
    assert result.signatures == ("EICAR_Test_File",)


def test_eicar_at_the_very_end_of_a_window_sized_stream_is_found(yara: YaraScanner) -> None:
    data = bytes(scanning.WINDOW_BYTES - 68) + eicar()
    assert yara.scan(iter(chunked(data, scanning.READ_BYTES))).infected


@pytest.mark.parametrize("chunks", [[], [b""]])
def test_an_empty_stream_is_clean(yara: YaraScanner, chunks: list[bytes]) -> None:
    result = yara.scan(iter(chunks))
    assert not result.infected and result.verdict == "CLEAN"


def test_files_on_disk_are_scanned_one_by_one(yara: YaraScanner, tmp_path: Path) -> None:
    infected = tmp_path / "infected.txt"
    infected.write_bytes(b"hello\n" + eicar())
    clean = tmp_path / "clean.txt"
    clean.write_bytes(b"hello\n")

    found = yara.scan_paths([infected, clean])

    assert found[infected] == {"EICAR_Test_File"}
    assert not found.get(clean)


# ------------------------------------------------------------------------------ content-class rules

PE = b"MZ" + bytes(0x3A) + (0x40).to_bytes(4, "little") + b"PE\x00\x00" + bytes(200)
ELF = b"\x7fELF\x02\x01\x01" + bytes(57)
MACHO = bytes.fromhex("cffaedfe") + bytes(60)
SCRIPT = b"#!/bin/sh\necho hello\n"


@pytest.mark.parametrize(
    ("body", "rule", "category"),
    [
        (PE, "Windows_PE_Executable", "executables"),
        (ELF, "ELF_Executable", "executables"),
        (MACHO, "MachO_Executable", "executables"),
        (SCRIPT, "Script_With_Interpreter_Line", "scripts"),
    ],
)
def test_the_refused_content_classes_are_recognised_by_their_headers(
    yara: YaraScanner, tmp_path: Path, body: bytes, rule: str, category: str
) -> None:
    path = tmp_path / "member"
    path.write_bytes(body)

    assert yara.scan_paths([path])[path] == {rule}
    assert yara.categories[rule] == category
    assert not yara.scan([body]).infected  # a content class is not malware


@pytest.mark.parametrize(
    "body",
    [
        b"MZ is how this plain text starts\n" * 10,
        b"notes\n#!/bin/sh is a shebang line\n",
        b"text, then an ELF header: \x7fELF\x02\x01\x01",
    ],
)
def test_a_header_anywhere_but_the_start_is_not_a_content_class(yara: YaraScanner, tmp_path: Path, body: bytes) -> None:
    path = tmp_path / "member"
    path.write_bytes(body)
    assert not yara.scan_paths([path]).get(path)


def test_header_rules_match_only_at_the_start_of_the_file_not_of_a_later_window(
    yara: YaraScanner, tmp_path: Path
) -> None:
    # The second window starts OVERLAP_BYTES before 4 MiB: a "#!" there is not the file's first line
    start_of_second_window = scanning.WINDOW_BYTES - scanning.OVERLAP_BYTES
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * start_of_second_window + SCRIPT + b"b" * 1000)

    assert not yara.scan_paths([path]).get(path)


# ------------------------------------------------------------------------------ windows


@st.composite
def streams(draw: st.DrawFn) -> tuple[list[bytes], int, int]:
    data = draw(st.binary(max_size=3000))
    size = draw(st.integers(min_value=1, max_value=300))
    overlap = draw(st.integers(min_value=0, max_value=size))
    chunk = draw(st.integers(min_value=1, max_value=400))
    return chunked(data, chunk), size, overlap


@given(streams())
def test_windows_reproduce_the_stream_and_stay_bounded(stream: tuple[list[bytes], int, int]) -> None:
    chunks, size, overlap = stream
    data = b"".join(chunks)

    pieces = list(windows(iter(chunks), size=size, overlap=overlap))

    # Each window holds at most `size` new bytes after at most `overlap` repeated ones (memory is flat)
    assert pieces
    assert all(len(p) <= size + overlap for p in pieces)
    # and the windows minus their overlaps are exactly the stream: every byte is scanned, none invented
    assert pieces[0] + b"".join(p[overlap:] for p in pieces[1:]) == data


@given(
    st.integers(min_value=1, max_value=2000),
    st.integers(min_value=1, max_value=200),
    st.integers(min_value=1, max_value=300),
    st.data(),
)
def test_every_run_of_up_to_overlap_plus_one_bytes_lies_whole_in_some_window(
    length_of_stream: int, size: int, chunk: int, data: st.DataObject
) -> None:
    # This is what makes scanning by windows sound: a signature no longer than the overlap + 1
    # bytes is seen whole by the engine wherever it starts.
    overlap = data.draw(st.integers(min_value=0, max_value=size), label="overlap")
    length = data.draw(st.integers(min_value=1, max_value=min(overlap + 1, length_of_stream)), label="length")
    start = data.draw(st.integers(min_value=0, max_value=length_of_stream - length), label="start")
    stream = bytearray(length_of_stream)
    stream[start : start + length] = b"\xff" * length  # the only run of 0xff bytes: the "signature"

    pieces = list(windows(iter(chunked(bytes(stream), chunk)), size=size, overlap=overlap))

    assert any(b"\xff" * length in p for p in pieces)
