"""Type sniffing, the allow-list, validation and archive inspection on generated content."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import lzma
import struct
import tarfile
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fileshare.core.archives import ArchiveLimits, Unscannable, extracted_members
from fileshare.core.content_types import (
    DEFAULT_ALLOWED,
    SNIFF_BYTES,
    TAIL_BYTES,
    allow_problem,
    serving_type,
    sniff,
    type_problem,
)
from fileshare.core.scan_rendezvous import guardduty_verdict
from fileshare.core.scanning import (
    SCRATCH_RESERVE_BYTES,
    ScanResult,
    YaraScanner,
    fit_to_scratch,
    scan_upload,
    windows,
)
from fileshare.core.storage import sha256_from_s3_checksum
from fileshare.core.validation import (
    ContentFacts,
    UploadFacts,
    inspect_stream,
    validate_upload,
)
from tests.contracts import validator_for
from tests.corpus import (
    ELF,
    PDF,
    PE,
    PNG,
    encrypted_zip,
    iso_image,
    msix_package,
    tar_gz_of,
    zip_of,
    zip_of_directories,
)
from tests.stack_support import eicar


@pytest.mark.parametrize(
    ("declared", "name", "body", "problem"),
    [
        ("application/pdf", "report.pdf", ELF, "executable"),
        ("image/png", "x.png", PNG, None),
        ("application/pdf", "x.png", PNG, "does not match"),
        (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "a.docx",
            zip_of({"a": b"b"}),
            None,
        ),
        ("text/csv", "a.csv", b"a,b\n1,2\n", None),
        ("image/png", "a.png", b"just text", "does not match the content (text/plain)"),
        ("image/png", "a.png", b"\x00\x01binary but no image", "not a valid image/png"),
        ("text/plain", "a.pdf", PDF, "does not match"),
    ],
)
def test_declared_type_extension_and_content_must_agree(
    declared: str, name: str, body: bytes, problem: str | None
) -> None:
    found = type_problem(declared, name, sniff(body))
    assert (found is None) if problem is None else (problem in (found or ""))


@pytest.mark.parametrize(
    ("name", "body", "refused"),
    [
        ("tool", ELF, "executables"),
        ("run.sh", b"#!/bin/sh\n", "scripts"),
        ("setup.exe", b"text", "executables"),
        ("page.html", b"<!doctype html>", None),
        ("photo.png", PNG, None),
        ("data.bin", b"\x00\x01\x02", None),
    ],
)
def test_the_default_allow_list_refuses_executables_and_scripts(name: str, body: bytes, refused: str | None) -> None:
    found = allow_problem("application/octet-stream", name, sniff(body), DEFAULT_ALLOWED)
    assert (found is None) if refused is None else (refused in (found or ""))


@pytest.mark.parametrize(
    ("kind", "served"),
    [
        ("text/html", "application/octet-stream"),
        ("image/svg+xml", "application/octet-stream"),
        ("image/png", "image/png"),
        ("application/pdf", "application/pdf"),
    ],
)
def test_only_inert_types_are_served_as_themselves(kind: str, served: str) -> None:
    assert serving_type(kind) == served


@given(st.lists(st.binary(max_size=9000), max_size=20))
def test_streaming_inspection_equals_whole_file_hashing(chunks: list[bytes]) -> None:
    whole = b"".join(chunks)
    facts = inspect_stream(iter(chunks))
    assert facts.size == len(whole) and facts.sha256 == hashlib.sha256(whole).hexdigest()
    assert facts.head == whole[:SNIFF_BYTES]
    assert facts.tail == whole[-TAIL_BYTES:]


def upload(size: int | None = 5, owner: str = "o", stored: int = 5) -> UploadFacts:
    return UploadFacts(
        owner_id="o",
        metadata_owner=owner,
        declared_name="a.txt",
        declared_size=size,
        declared_type="text/plain",
        stored_size=stored,
    )


def test_s3_checksums_are_read_as_whole_object_sha256_only() -> None:
    digest = hashlib.sha256(b"hello").digest()
    assert sha256_from_s3_checksum(base64.b64encode(digest).decode()) == digest.hex()
    assert sha256_from_s3_checksum("abcd==-3") is None  # a multipart checksum of checksums
    assert sha256_from_s3_checksum(None) is None


def test_an_s3_checksum_that_disagrees_with_the_bytes_is_rejected() -> None:
    facts = UploadFacts(
        owner_id="o",
        metadata_owner="o",
        declared_name="a.txt",
        declared_size=5,
        declared_type="text/plain",
        stored_size=5,
        s3_sha256="0" * 64,
    )
    body = b"hello"
    result = validate_upload(facts, ContentFacts(5, hashlib.sha256(body).hexdigest(), body), max_upload_bytes=10)
    assert (result.accepted, result.code) == (False, "checksum_mismatch")


@pytest.mark.parametrize(
    ("facts", "body", "code"),
    [
        (upload(owner="mallory"), b"hello", "owner_mismatch"),
        (upload(stored=6), b"hello!", "size_mismatch"),
        (upload(size=0, stored=0), b"", "empty"),
        (upload(size=20, stored=20), b"x" * 20, "too_large"),
        (upload(), b"hello", None),
    ],
)
def test_validation_verdicts(facts: UploadFacts, body: bytes, code: str | None) -> None:
    result = validate_upload(
        facts, ContentFacts(len(body), hashlib.sha256(body).hexdigest(), body), max_upload_bytes=10
    )
    assert result.accepted is (code is None) and result.code == code


@given(st.binary(max_size=3000), st.integers(min_value=16, max_value=300), st.integers(min_value=1, max_value=15))
def test_windows_cover_every_byte_with_overlap(data: bytes, size: int, overlap: int) -> None:
    pieces = list(windows([data[i : i + 7] for i in range(0, len(data), 7)], size=size, overlap=overlap))
    rebuilt = pieces[0] + b"".join(p[overlap:] for p in pieces[1:])
    assert rebuilt == data
    assert all(len(p) <= size + overlap for p in pieces)


@pytest.fixture(scope="module")
def yara() -> YaraScanner:
    return YaraScanner()


def test_eicar_split_into_tiny_chunks_is_still_found(yara: YaraScanner) -> None:
    data = b"padding " * 100 + eicar() + b" more"
    assert yara.scan(data[i : i + 7] for i in range(0, len(data), 7)).signatures == ("EICAR_Test_File",)


def scan(
    tmp_path: Path,
    yara: YaraScanner,
    body: bytes,
    limits: ArchiveLimits | None = None,
    allowed: frozenset[str] = DEFAULT_ALLOWED,
) -> dict[str, object]:
    path = tmp_path / "object"
    path.write_bytes(body)
    return scan_upload(path, yara, limits or ArchiveLimits(), allowed).to_dict()


def test_eicar_three_zips_deep_is_found_and_named(tmp_path: Path, yara: YaraScanner) -> None:
    body = zip_of({"l1.zip": zip_of({"l2.zip": zip_of({"e.txt": eicar()})})})
    result = scan(tmp_path, yara, body)
    assert result["verdict"] == "INFECTED" and result["signatures"] == ["EICAR_Test_File in l1.zip/l2.zip/e.txt"]


@pytest.mark.parametrize(
    ("body", "limits", "why"),
    [
        (encrypted_zip(), ArchiveLimits(), "encrypted"),
        (zip_of({"z": bytes(4 * 1024 * 1024)}), ArchiveLimits(), "zip bomb"),
        (zip_of({f"f{n}": b"x" for n in range(11)}), ArchiveLimits(max_members=10), "more than 10 entries"),
        (zip_of({"a": zip_of({"b": zip_of({"c": b"x"})})}), ArchiveLimits(max_depth=2), "nested deeper"),
        (zip_of({"a": b"x" * 600, "b": b"y" * 600}), ArchiveLimits(max_expanded_bytes=1000), "expands to more"),
    ],
)
def test_archives_that_cannot_be_inspected_are_unscannable(
    tmp_path: Path, yara: YaraScanner, body: bytes, limits: ArchiveLimits, why: str
) -> None:
    result = scan(tmp_path, yara, body, limits)
    assert result["verdict"] == "UNSCANNABLE" and why in str(result["reason"])


def test_eicar_inside_a_tar_gz_is_found_in_its_member(tmp_path: Path, yara: YaraScanner) -> None:
    path = tmp_path / "object"
    path.write_bytes(tar_gz_of({"docs/eicar.txt": eicar(), "readme.txt": b"hi"}))
    with extracted_members(path, ArchiveLimits(), workdir=tmp_path) as members:
        names = [name for name, _ in members]
    assert names == ["(the gzip content)", "(the gzip content)/docs/eicar.txt", "(the gzip content)/readme.txt"]
    result = scan(tmp_path, yara, tar_gz_of({"docs/eicar.txt": eicar()}))
    assert "EICAR_Test_File in (the gzip content)/docs/eicar.txt" in result["signatures"]


@pytest.mark.parametrize(
    ("members", "verdict", "reason"),
    [
        ({"a.txt": b"hi", "bin/tool": ELF}, "REFUSED", "the archive holds bin/tool: executables are not allowed here"),
        ({"run": b"#!/bin/sh\n"}, "REFUSED", "the archive holds run: executables are not allowed here"),
        ({"run": b"#!/bin/sh\n", "e.txt": eicar()}, "INFECTED", None),  # malware wins
        ({"index.html": b"<!DOCTYPE html><script>x</script>"}, "CLEAN", None),  # markup is allowed
    ],
    ids=["executable", "script", "malware wins", "allowed"],
)
def test_archives_may_not_smuggle_what_the_allow_list_refuses(
    tmp_path: Path, yara: YaraScanner, members: dict[str, bytes], verdict: str, reason: str | None
) -> None:
    result = scan(tmp_path, yara, zip_of(members))
    assert result["verdict"] == verdict
    assert result.get("reason") == reason


def test_a_content_class_the_allow_list_permits_is_not_refused(tmp_path: Path, yara: YaraScanner) -> None:
    path = tmp_path / "object"
    path.write_bytes(zip_of({"bin/tool": ELF}))
    permissive = DEFAULT_ALLOWED | {"executables"}
    assert scan_upload(path, yara, ArchiveLimits(), permissive).verdict == "CLEAN"


def test_formats_we_cannot_open_are_unscannable(tmp_path: Path, yara: YaraScanner) -> None:
    result = scan(tmp_path, yara, b"Rar!\x1a\x07\x01\x00" + bytes(32))
    assert result["verdict"] == "UNSCANNABLE" and "RAR archive" in str(result["reason"])


def test_extracted_members_are_cleaned_up(tmp_path: Path) -> None:
    archive = tmp_path / "a.zip"
    archive.write_bytes(zip_of({"a.txt": b"a"}))
    with extracted_members(archive, ArchiveLimits(), workdir=tmp_path) as members:
        [(name, path)] = members
        assert name == "a.txt" and path.read_bytes() == b"a"
    assert not path.exists()


# ------------------------------------------------------------------------------ members meet the allow-list


@pytest.mark.parametrize(
    ("body", "member", "why"),
    [
        (zip_of({"invoice.pdf.exe": PE}), "invoice.pdf.exe", "executables are not allowed"),
        (zip_of({"a.txt": b"hi", "docs/invoice.pdf.exe": ELF}), "docs/invoice.pdf.exe", "executables are not allowed"),
        (zip_of({"report.pdf": ELF}), "report.pdf", "executables are not allowed"),
        (zip_of({"outer.zip": zip_of({"x/run.ps1": b"Write-Host hi"})}), "outer.zip/x/run.ps1", "scripts"),
        (tar_gz_of({"bin/tool": ELF}), "(the gzip content)/bin/tool", "executables"),
        (zip_of({"photo.png": PDF}), "photo.png", "extension .png does not match the content (application/pdf)"),
        (zip_of({"disc.iso": iso_image()}), "disc.iso", "an ISO 9660 disk image cannot be scanned"),
        (zip_of({"notes.one": b"anything"}), "notes.one", "a OneNote notebook cannot be scanned"),
    ],
)
def test_a_refused_member_refuses_the_archive_by_name(
    tmp_path: Path, yara: YaraScanner, body: bytes, member: str, why: str
) -> None:
    result = scan(tmp_path, yara, body)
    assert result["verdict"] == "REFUSED"
    assert f"the archive holds {member}: " in str(result["reason"]) and why in str(result["reason"])


def test_members_pass_when_their_category_is_allowed(tmp_path: Path, yara: YaraScanner) -> None:
    body = zip_of({"tool.exe": PE, "disc.iso": iso_image()})
    assert scan(tmp_path, yara, body)["verdict"] == "REFUSED"
    everything = DEFAULT_ALLOWED | {"executables", "disk-images"}
    assert scan(tmp_path, yara, body, allowed=everything)["verdict"] == "CLEAN"


def test_an_msix_package_is_refused_whatever_it_is_called(tmp_path: Path, yara: YaraScanner) -> None:
    top = scan(tmp_path, yara, msix_package())
    assert top["verdict"] == "REFUSED" and "MSIX/APPX package cannot be scanned" in str(top["reason"])
    nested = scan(tmp_path, yara, zip_of({"setup/app.zip": msix_package()}))
    assert "the archive holds setup/app.zip: an MSIX/APPX package" in str(nested["reason"])
    # A zip that merely holds a file of that name deeper down is no package.
    assert scan(tmp_path, yara, zip_of({"docs/AppxManifest.xml": b"<x/>"}))["verdict"] == "CLEAN"
    assert scan(tmp_path, yara, msix_package(), allowed=DEFAULT_ALLOWED | {"disk-images"})["verdict"] == "CLEAN"


def test_malware_outranks_a_refused_member(tmp_path: Path, yara: YaraScanner) -> None:
    result = scan(tmp_path, yara, zip_of({"tool.exe": PE, "e.txt": eicar()}))
    assert result["verdict"] == "INFECTED"


@pytest.mark.parametrize(
    ("name", "body", "declared"),
    [
        ("disc.iso", iso_image(), "application/x-iso9660-image"),
        ("backup.bin", iso_image(), "application/octet-stream"),
        ("disk.img", bytes(1024), "application/octet-stream"),
        ("disk.vhdx", b"vhdxfile" + bytes(100), "application/octet-stream"),
        ("mac.dmg", bytes(600) + b"koly" + bytes(508), "application/octet-stream"),
        ("help.chm", b"ITSF\x03\x00\x00\x00" + bytes(100), "application/octet-stream"),
        ("app.msix", zip_of({"AppxManifest.xml": b"<x/>"}), "application/zip"),
    ],
)
def test_disk_and_container_images_are_refused_as_unscannable_unless_allowed(
    name: str, body: bytes, declared: str
) -> None:
    facts = UploadFacts(
        owner_id="o",
        metadata_owner="o",
        declared_name=name,
        declared_size=len(body),
        declared_type=declared,
        stored_size=len(body),
    )
    content = inspect_stream([body])

    refused = validate_upload(facts, content, max_upload_bytes=10**6)
    allowed = validate_upload(facts, content, max_upload_bytes=10**6, allowed=DEFAULT_ALLOWED | {"disk-images"})

    assert (refused.accepted, refused.code) == (False, "type_not_allowed")
    assert "cannot be scanned, and disk images are not allowed here" in str(refused.reason)
    assert allowed.accepted, allowed.reason


# ------------------------------------------------------------------------------ limits count everything


def tar_of_entries(files: int, directories: int, links: int) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for n in range(directories):
            info = tarfile.TarInfo(f"dir{n}")
            info.type = tarfile.DIRTYPE
            archive.addfile(info)
        for n in range(links):
            info = tarfile.TarInfo(f"link{n}")
            info.type, info.linkname = tarfile.SYMTYPE, "/etc/passwd"
            archive.addfile(info)
        for n in range(files):
            info = tarfile.TarInfo(f"file{n}.txt")
            info.size = 2
            archive.addfile(info, io.BytesIO(b"hi"))
    return buffer.getvalue()


@pytest.mark.parametrize(
    "body",
    [
        zip_of_directories(11),
        zip_of({"a.txt": b"a", **{f"d{n}/": b"" for n in range(10)}}),
        tar_of_entries(files=1, directories=5, links=5),
        tar_of_entries(files=0, directories=0, links=11),
    ],
    ids=["zip-directories", "zip-mixed", "tar-mixed", "tar-links"],
)
def test_directories_and_links_count_against_the_entry_limit(tmp_path: Path, yara: YaraScanner, body: bytes) -> None:
    limits = ArchiveLimits(max_members=10)
    result = scan(tmp_path, yara, body, limits)
    assert result["verdict"] == "UNSCANNABLE" and "more than 10 entries" in str(result["reason"])
    assert scan(tmp_path, yara, body, ArchiveLimits(max_members=11))["verdict"] == "CLEAN"


def test_a_zip_of_many_directories_is_refused_before_its_directory_is_read(tmp_path: Path) -> None:
    # Given 60,000 empty directory entries (5 MB) that would make zipfile build 60,000 ZipInfos
    path = tmp_path / "object"
    path.write_bytes(zip_of_directories(60_000))

    # When it is unpacked with the default limits, memory traced
    tracemalloc.start()
    try:
        with pytest.raises(Unscannable) as refused, extracted_members(path, ArchiveLimits(), workdir=tmp_path):
            pass
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()

    # Then it is refused from its end record, having held almost nothing in memory
    assert "more than 1000 entries" in refused.value.reason
    assert peak < 1024 * 1024


def test_a_lying_entry_count_is_caught_by_the_directory_size(tmp_path: Path, yara: YaraScanner) -> None:
    body = bytearray(zip_of_directories(25_000))  # a 1.3 MB directory: more than 1000 x 1 KiB
    end = body.rfind(b"PK\x05\x06")
    struct.pack_into("<2H", body, end + 8, 1, 1)  # the end record claims a single entry
    result = scan(tmp_path, yara, bytes(body))
    assert result["verdict"] == "UNSCANNABLE" and "central directory of" in str(result["reason"])


def test_xz_is_decompressed_within_a_memory_limit(tmp_path: Path, yara: YaraScanner) -> None:
    # `xz -9` streams declare a 64 MiB dictionary: the decoder needs about 65 MiB
    body = lzma.compress(b"a harmless line\n" * 100, preset=9)
    refused = scan(tmp_path, yara, body, ArchiveLimits(max_xz_memory=16 * 1024 * 1024))
    assert refused["verdict"] == "UNSCANNABLE"
    assert "needs more than 16777216 bytes of memory to decompress" in str(refused["reason"])
    assert scan(tmp_path, yara, body)["verdict"] == "CLEAN"


def test_concatenated_xz_streams_are_all_read(tmp_path: Path, yara: YaraScanner) -> None:
    body = lzma.compress(b"first stream\n") + bytes(4) + lzma.compress(b"padding " * 1000 + eicar())
    result = scan(tmp_path, yara, body)
    assert result["verdict"] == "INFECTED" and result["signatures"] == ["EICAR_Test_File in (the xz content)"]
    truncated = scan(tmp_path, yara, lzma.compress(b"x" * 100_000)[:-20])
    assert truncated["verdict"] == "UNSCANNABLE"


def test_a_file_larger_than_the_scratch_space_is_unscannable() -> None:
    limits = ArchiveLimits(max_expanded_bytes=1000)
    with pytest.raises(Unscannable, match="more than the"):
        fit_to_scratch(500, limits, free_bytes=SCRATCH_RESERVE_BYTES + 499)


def test_unpacking_is_held_to_the_scratch_space_left_after_the_spool(tmp_path: Path, yara: YaraScanner) -> None:
    # Given 100 KB of free scratch space beyond the reserve, and an archive of 150 KB of members
    body = zip_of({"a.bin": b"a" * 75_000, "b.bin": b"b" * 75_000})
    fitted = fit_to_scratch(len(body), ArchiveLimits(), free_bytes=SCRATCH_RESERVE_BYTES + len(body) + 100_000)

    # Then the expansion budget is what is left, and the archive is refused rather than filling the disk
    assert fitted.max_expanded_bytes == 100_000
    result = scan(tmp_path, yara, body, fitted)
    assert result["verdict"] == "UNSCANNABLE" and "expands to more than 100000 bytes" in str(result["reason"])


# ------------------------------------------------------------------------------ bounded answers


def test_scan_answers_stay_small_however_many_and_long_the_signatures() -> None:
    result = ScanResult("yara", True, tuple(f"EICAR_Test_File in {'d' * 3000}/e{n}.txt" for n in range(5000)))
    answer = result.to_dict()
    assert len(answer["signatures"]) == 20 and answer["signatureCount"] == 5000
    assert all(len(s) <= 500 and s.endswith("…") for s in answer["signatures"])
    assert len(json.dumps(answer)) < 16 * 1024
    validator_for("workflow/scan-upload.output.json").validate(answer)


def test_a_refusal_naming_a_very_long_member_is_clipped(tmp_path: Path, yara: YaraScanner) -> None:
    result = scan(tmp_path, yara, zip_of({"n" * 10_000 + ".exe": PE}))
    assert result["verdict"] == "REFUSED"
    assert len(str(result["reason"])) == 500 and str(result["reason"]).startswith("the archive holds nnn")
    validator_for("workflow/scan-upload.output.json").validate(result)


def test_guardduty_threat_lists_are_clipped_too() -> None:
    detail = {"scanResultDetails": {"scanResultStatus": "THREATS_FOUND", "threats": [{"name": "T" * 900}] * 300}}
    verdict = guardduty_verdict(detail)
    assert len(verdict["signatures"]) == 20 and verdict["signatureCount"] == 300
    validator_for("workflow/scan-upload.output.json").validate(verdict)
