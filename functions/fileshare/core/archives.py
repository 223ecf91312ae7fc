"""Looking inside archives before a verdict, with hard limits so that a crafted archive cannot
exhaust the scanner: nesting depth, member count, total expanded size and compression ratio.

An archive that cannot be inspected fully (encrypted, corrupt, or over a limit) is *unscannable*:
the workflow rejects it, it never becomes READY.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

COPY_CHUNK = 1024 * 1024


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


def is_zip(path: Path) -> bool:
    return zipfile.is_zipfile(path)


@contextmanager
def extracted_members(
    path: Path, limits: ArchiveLimits, workdir: Path | None = None
) -> Iterator[list[tuple[str, Path]]]:
    """Every member of the zip at ``path`` (recursively, nested zips included), extracted to a
    temporary directory under the limits, as ``(member path, file path)`` pairs."""
    scratch = Path(tempfile.mkdtemp(prefix="unzip-", dir=workdir))
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
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise Unscannable(f"the archive {prefix or ''}is corrupt: {exc}") from exc
    with archive:
        for info in archive.infolist():
            if info.is_dir():
                continue
            name = f"{prefix}{info.filename}"
            budget.members += 1
            if budget.members > limits.max_members:
                raise Unscannable(f"the archive holds more than {limits.max_members} files")
            if info.flag_bits & 0x1:
                raise Unscannable(f"{name} is encrypted and cannot be scanned")
            if info.file_size > limits.max_ratio * max(info.compress_size, 1) and info.file_size > 1024 * 1024:
                raise Unscannable(f"{name} expands more than {limits.max_ratio} times (a zip bomb?)")
            target = scratch / f"m{budget.members}"
            _extract(archive, info, target, limits=limits, budget=budget, name=name)
            found.append((name, target))
            if is_zip(target):
                _walk(target, f"{name}/", depth + 1, limits=limits, budget=budget, scratch=scratch, found=found)


def _extract(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, *, limits: ArchiveLimits, budget: _Budget, name: str
) -> None:
    """Copy one member out, counting real bytes (a member's declared size can lie)."""
    written = 0
    try:
        with archive.open(info) as source, target.open("wb") as sink:
            while chunk := source.read(COPY_CHUNK):
                written += len(chunk)
                budget.expanded += len(chunk)
                if budget.expanded > limits.max_expanded_bytes:
                    raise Unscannable(f"the archive expands to more than {limits.max_expanded_bytes} bytes")
                if written > limits.max_ratio * max(info.compress_size, 1) and written > 1024 * 1024:
                    raise Unscannable(f"{name} expands more than {limits.max_ratio} times (a zip bomb?)")
                sink.write(chunk)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError) as exc:
        raise Unscannable(f"{name} cannot be read: {exc}") from exc
