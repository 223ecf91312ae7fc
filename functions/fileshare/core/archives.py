"""Looking inside archives before a verdict, with hard limits so that a crafted archive cannot
exhaust the scanner: nesting depth, entry count, total expanded size, compression ratio, the size
of a zip's central directory and the memory an xz stream may ask for.

Zip, tar (plain, gzip, bzip2, xz) and single-file gzip/bzip2/xz streams are unpacked here, nested
ones included. Every entry counts against the limit, directories and links too. An archive that
cannot be inspected fully — encrypted, corrupt, over a limit, or a format we cannot open (7z,
RAR) — is *unscannable*: the workflow rejects it, never READY.

Memory stays bounded: a zip's central directory (which ``zipfile`` reads whole) is measured from
its end record before it is parsed, tar is read as a stream (``"r|"``), xz is decompressed with a
memory limit, and members are copied in chunks. Disk stays bounded by ``max_expanded_bytes``: every
byte written is counted, nested layers included.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import shutil
import struct
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing, contextmanager
from functools import partial
from pathlib import Path
from typing import NamedTuple

COPY_CHUNK = 1024 * 1024
BOMB_FLOOR = 1024 * 1024  # ratios are only judged above this many expanded bytes
# A central directory entry is 46 bytes plus its name, extra field and comment; real ones stay well
# under this on average, and it bounds what zipfile holds in memory per allowed entry.
DIRECTORY_BYTES_PER_ENTRY = 1024
_END_RECORD = struct.Struct("<4s4H2LH")  # "PK\5\6": entries, directory size and offset
_ZIP64_END_RECORD = struct.Struct("<4sQ2H2L4Q")  # "PK\6\6", right before its locator
_ZIP64_LOCATOR_BYTES = 20

_OPAQUE = {b"7z\xbc\xaf\x27\x1c": "7z", b"Rar!\x1a\x07": "RAR"}


class ArchiveLimits(NamedTuple):
    max_depth: int = 3
    max_members: int = 1000
    max_expanded_bytes: int = 1024 * 1024 * 1024
    max_ratio: int = 100
    max_xz_memory: int = 128 * 1024 * 1024  # `xz -9` needs 65 MiB to decompress


class Unscannable(Exception):
    """The archive cannot be inspected within the limits; ``reason`` says why, for the owner."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Budget:
    """What one inspection has used so far, across every nested archive."""

    __slots__ = ("entries", "expanded")

    def __init__(self) -> None:
        self.entries = 0
        self.expanded = 0


def _gzip_chunks(path: Path, _: ArchiveLimits) -> Generator[bytes]:
    with gzip.open(path, "rb") as source:
        yield from iter(partial(source.read, COPY_CHUNK), b"")


def _bzip2_chunks(path: Path, _: ArchiveLimits) -> Generator[bytes]:
    with bz2.open(path, "rb") as source:
        yield from iter(partial(source.read, COPY_CHUNK), b"")


def _xz_chunks(path: Path, limits: ArchiveLimits) -> Generator[bytes]:
    """An xz file's content, decompressed with a memory limit (``lzma.open`` takes none); streams
    concatenated one after another, with their zero padding, are read as ``xz`` reads them."""
    with path.open("rb") as raw:
        decompressor = lzma.LZMADecompressor(lzma.FORMAT_XZ, memlimit=limits.max_xz_memory)
        started = False
        data = b""
        while True:
            if not data and decompressor.needs_input:
                data = raw.read(COPY_CHUNK)
                if not data:
                    if started and not decompressor.eof:
                        raise EOFError("the xz stream ends before its end marker")
                    return
            if not started:
                data = data.lstrip(b"\0")  # stream padding between concatenated streams
                if not data:
                    continue
                started = True
            chunk = decompressor.decompress(data, max_length=COPY_CHUNK)
            data = b""
            if chunk:
                yield chunk
            if decompressor.eof:
                data = decompressor.unused_data
                decompressor = lzma.LZMADecompressor(lzma.FORMAT_XZ, memlimit=limits.max_xz_memory)
                started = False


_STREAMS: dict[bytes, tuple[str, Callable[[Path, ArchiveLimits], Generator[bytes]]]] = {
    b"\x1f\x8b": ("gzip", _gzip_chunks),
    b"BZh": ("bzip2", _bzip2_chunks),
    b"\xfd7zXZ\x00": ("xz", _xz_chunks),
}


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(8)


def archive_kind(path: Path) -> str | None:
    """``zip``, ``tar``, ``gzip``, ``bzip2``, ``xz``, ``7z``, ``RAR``, or None for anything else."""
    head = _head(path)
    for magic, name in _OPAQUE.items():
        if head.startswith(magic):
            return name
    # Compressed streams first: a .tar.gz is a gzip stream whose content is a tar, walked next.
    for magic, (name, _) in _STREAMS.items():
        if head.startswith(magic):
            return name
    if zipfile.is_zipfile(path):
        return "zip"
    if _is_plain_tar(path):
        return "tar"
    return None


def _is_plain_tar(path: Path) -> bool:
    try:
        with tarfile.open(path, mode="r|") as archive:
            return archive.next() is not None
    except (tarfile.TarError, OSError):
        return False


def is_archive(path: Path) -> bool:
    return archive_kind(path) is not None


@contextmanager
def extracted_members(
    path: Path, limits: ArchiveLimits, workdir: Path | None = None
) -> Iterator[list[tuple[str, Path]]]:
    """Every member of the archive at ``path`` (recursively, nested archives included), extracted
    to a temporary directory under the limits, as ``(member path, file path)`` pairs."""
    scratch = Path(tempfile.mkdtemp(prefix="unpack-", dir=workdir))
    try:
        found: list[tuple[str, Path]] = []
        _walk(path, "", 1, limits=limits, budget=_Budget(), scratch=scratch, found=found)
        yield found
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _walk(
    path: Path,
    prefix: str,
    depth: int,
    *,
    limits: ArchiveLimits,
    budget: _Budget,
    scratch: Path,
    found: list[tuple[str, Path]],
) -> None:
    if depth > limits.max_depth:
        raise Unscannable(f"archives are nested deeper than {limits.max_depth} levels")
    kind = archive_kind(path)
    if kind in _OPAQUE.values():
        raise Unscannable(f"{prefix or 'the file '}is a {kind} archive, which cannot be inspected")
    members = {"zip": _zip_members, "tar": _tar_members}.get(kind or "", _stream_member)
    for name, target in members(path, prefix, limits=limits, budget=budget, scratch=scratch):
        found.append((name, target))
        if is_archive(target):
            _walk(target, f"{name}/", depth + 1, limits=limits, budget=budget, scratch=scratch, found=found)


def _count_entry(limits: ArchiveLimits, budget: _Budget) -> None:
    """Every entry counts, files, directories and links alike."""
    budget.entries += 1
    if budget.entries > limits.max_members:
        raise Unscannable(f"the archive holds more than {limits.max_members} entries (files, folders and links)")


def _zip_directory_size(path: Path, prefix: str) -> tuple[int, int]:
    """The entry count and central directory size a zip's end record declares (zip64 too), read
    before ``zipfile`` parses the whole directory into memory."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(size - (_END_RECORD.size + 0xFFFF + _ZIP64_LOCATOR_BYTES + _ZIP64_END_RECORD.size), 0))
        tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + _END_RECORD.size > len(tail):
        raise Unscannable(f"the archive {prefix}is corrupt: no end of central directory")
    _, _, _, _, entries, directory, _, _ = _END_RECORD.unpack_from(tail, at)
    zip64 = at - _ZIP64_LOCATOR_BYTES - _ZIP64_END_RECORD.size
    if (entries == 0xFFFF or directory == 0xFFFFFFFF) and zip64 >= 0 and tail[zip64 : zip64 + 4] == b"PK\x06\x06":
        record = _ZIP64_END_RECORD.unpack_from(tail, zip64)
        entries, directory = record[7], record[8]
    return int(entries), int(directory)


def _zip_members(
    path: Path, prefix: str, *, limits: ArchiveLimits, budget: _Budget, scratch: Path
) -> Iterator[tuple[str, Path]]:
    entries, directory = _zip_directory_size(path, prefix)
    if budget.entries + entries > limits.max_members:
        raise Unscannable(f"the archive holds more than {limits.max_members} entries (files, folders and links)")
    if directory > limits.max_members * DIRECTORY_BYTES_PER_ENTRY:
        raise Unscannable(f"the archive {prefix}has a central directory of {directory} bytes, too large to read")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise Unscannable(f"the archive {prefix}is corrupt: {exc}") from exc
    with archive:
        for info in archive.infolist():
            _count_entry(limits, budget)
            if info.is_dir():
                continue
            name = f"{prefix}{info.filename}"
            if info.flag_bits & 0x1:
                raise Unscannable(f"{name} is encrypted and cannot be scanned")
            if info.file_size > limits.max_ratio * max(info.compress_size, 1) and info.file_size > BOMB_FLOOR:
                raise Unscannable(f"{name} expands more than {limits.max_ratio} times (a zip bomb?)")
            target = scratch / f"m{budget.entries}"
            try:
                with archive.open(info) as source:
                    chunks = iter(partial(source.read, COPY_CHUNK), b"")
                    _copy(chunks, target, name=name, packed=info.compress_size, limits=limits, budget=budget)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError) as exc:
                raise Unscannable(f"{name} cannot be read: {exc}") from exc
            yield name, target


def _tar_members(
    path: Path, prefix: str, *, limits: ArchiveLimits, budget: _Budget, scratch: Path
) -> Iterator[tuple[str, Path]]:
    packed = path.stat().st_size
    try:
        with tarfile.open(path, mode="r|") as archive:  # a stream: one header at a time, no seeking
            for info in archive:
                _count_entry(limits, budget)
                if not info.isfile():
                    continue  # directories, links and devices carry no content to scan
                name = f"{prefix}{info.name}"
                target = scratch / f"m{budget.entries}"
                source = archive.extractfile(info)
                if source is None:
                    continue
                with source:
                    chunks = iter(partial(source.read, COPY_CHUNK), b"")
                    _copy(chunks, target, name=name, packed=packed, limits=limits, budget=budget)
                yield name, target
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise Unscannable(f"the archive {prefix}is corrupt: {exc}") from exc


def _stream_member(
    path: Path, prefix: str, *, limits: ArchiveLimits, budget: _Budget, scratch: Path
) -> Iterator[tuple[str, Path]]:
    head = _head(path)
    for magic, (kind, chunks_of) in _STREAMS.items():
        if head.startswith(magic):
            name = f"{prefix}(the {kind} content)"
            _count_entry(limits, budget)
            target = scratch / f"m{budget.entries}"
            try:
                with closing(chunks_of(path, limits)) as chunks:
                    _copy(chunks, target, name=name, packed=path.stat().st_size, limits=limits, budget=budget)
            except lzma.LZMAError as exc:
                if "memory" in str(exc).lower():
                    raise Unscannable(
                        f"{name} needs more than {limits.max_xz_memory} bytes of memory to decompress"
                    ) from exc
                raise Unscannable(f"{name} cannot be read: {exc}") from exc
            except (OSError, EOFError) as exc:
                raise Unscannable(f"{name} cannot be read: {exc}") from exc
            yield name, target
            return


def _copy(
    chunks: Iterable[bytes], target: Path, *, name: str, packed: int, limits: ArchiveLimits, budget: _Budget
) -> None:
    """Copy one member out, counting real bytes (a member's declared size can lie)."""
    written = 0
    with target.open("wb") as sink:
        for chunk in chunks:
            written += len(chunk)
            budget.expanded += len(chunk)
            if budget.expanded > limits.max_expanded_bytes:
                raise Unscannable(f"the archive expands to more than {limits.max_expanded_bytes} bytes")
            if written > limits.max_ratio * max(packed, 1) and written > BOMB_FLOOR:
                raise Unscannable(f"{name} expands more than {limits.max_ratio} times (a zip bomb?)")
            sink.write(chunk)
