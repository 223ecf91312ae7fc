"""Looking inside archives before a verdict, with hard limits so that a crafted archive cannot
exhaust the scanner: nesting depth, member count, total expanded size and compression ratio.

Zip, tar (plain, gzip, bzip2, xz) and single-file gzip/bzip2/xz streams are unpacked here, nested
ones included. An archive that cannot be inspected fully — encrypted, corrupt, over a limit, or a
format we cannot open (7z, RAR) — is *unscannable*: the workflow rejects it, never READY.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import shutil
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, BinaryIO, cast

COPY_CHUNK = 1024 * 1024
BOMB_FLOOR = 1024 * 1024  # ratios are only judged above this many expanded bytes

# The openers return file objects that _stream_member closes with ``with``.
_STREAMS: dict[bytes, tuple[str, Callable[[Path], BinaryIO]]] = {
    b"\x1f\x8b": ("gzip", lambda p: cast(BinaryIO, gzip.open(p, "rb"))),  # noqa: SIM115
    b"BZh": ("bzip2", lambda p: cast(BinaryIO, bz2.open(p, "rb"))),  # noqa: SIM115
    b"\xfd7zXZ\x00": ("xz", lambda p: cast(BinaryIO, lzma.open(p, "rb"))),  # noqa: SIM115
}
_OPAQUE = {b"7z\xbc\xaf\x27\x1c": "7z", b"Rar!\x1a\x07": "RAR"}


@dataclass(frozen=True)
class ArchiveLimits:
    max_depth: int = 3
    max_members: int = 1000
    max_expanded_bytes: int = 1024 * 1024 * 1024
    max_ratio: int = 100


class Unscannable(Exception):
    """The archive cannot be inspected within the limits; ``reason`` says why, for the owner."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Budget:
    members: int = 0
    expanded: int = 0


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
        with tarfile.open(path, mode="r:") as archive:
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


def _new_member(name: str, limits: ArchiveLimits, budget: _Budget, scratch: Path) -> Path:
    budget.members += 1
    if budget.members > limits.max_members:
        raise Unscannable(f"the archive holds more than {limits.max_members} files")
    return scratch / f"m{budget.members}"


def _zip_members(
    path: Path, prefix: str, *, limits: ArchiveLimits, budget: _Budget, scratch: Path
) -> Iterator[tuple[str, Path]]:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise Unscannable(f"the archive {prefix}is corrupt: {exc}") from exc
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            name = f"{prefix}{info.filename}"
            target = _new_member(name, limits, budget, scratch)
            if info.flag_bits & 0x1:
                raise Unscannable(f"{name} is encrypted and cannot be scanned")
            if info.file_size > limits.max_ratio * max(info.compress_size, 1) and info.file_size > BOMB_FLOOR:
                raise Unscannable(f"{name} expands more than {limits.max_ratio} times (a zip bomb?)")
            try:
                with archive.open(info) as source:
                    _copy(source, target, name=name, packed=info.compress_size, limits=limits, budget=budget)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError) as exc:
                raise Unscannable(f"{name} cannot be read: {exc}") from exc
            yield name, target


def _tar_members(
    path: Path, prefix: str, *, limits: ArchiveLimits, budget: _Budget, scratch: Path
) -> Iterator[tuple[str, Path]]:
    packed = path.stat().st_size
    try:
        with tarfile.open(path, mode="r:") as archive:
            for info in archive:
                if not info.isfile():
                    continue  # directories, links and devices carry no content to scan
                name = f"{prefix}{info.name}"
                target = _new_member(name, limits, budget, scratch)
                source = archive.extractfile(info)
                if source is None:
                    continue
                with source:
                    _copy(source, target, name=name, packed=packed, limits=limits, budget=budget)
                yield name, target
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise Unscannable(f"the archive {prefix}is corrupt: {exc}") from exc


def _stream_member(
    path: Path, prefix: str, *, limits: ArchiveLimits, budget: _Budget, scratch: Path
) -> Iterator[tuple[str, Path]]:
    head = _head(path)
    for magic, (kind, opener) in _STREAMS.items():
        if head.startswith(magic):
            name = f"{prefix}(the {kind} content)"
            target = _new_member(name, limits, budget, scratch)
            try:
                with opener(path) as source:
                    _copy(source, target, name=name, packed=path.stat().st_size, limits=limits, budget=budget)
            except (OSError, EOFError, lzma.LZMAError) as exc:
                raise Unscannable(f"{name} cannot be read: {exc}") from exc
            yield name, target
            return


def _copy(source: IO[bytes], target: Path, *, name: str, packed: int, limits: ArchiveLimits, budget: _Budget) -> None:
    """Copy one member out, counting real bytes (a member's declared size can lie)."""
    written = 0
    with target.open("wb") as sink:
        while chunk := source.read(COPY_CHUNK):
            written += len(chunk)
            budget.expanded += len(chunk)
            if budget.expanded > limits.max_expanded_bytes:
                raise Unscannable(f"the archive expands to more than {limits.max_expanded_bytes} bytes")
            if written > limits.max_ratio * max(packed, 1) and written > BOMB_FLOOR:
                raise Unscannable(f"{name} expands more than {limits.max_ratio} times (a zip bomb?)")
            sink.write(chunk)
