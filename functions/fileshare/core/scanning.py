"""Malware scanning behind one small interface; the engine is chosen by configuration.

* ``yara``: yara-python with the project's rules (``fileshare/rules/*.yar``), the default;
* ``clamav``: ClamAV's ``clamscan`` where it is installed, with the project's signatures
  (``fileshare/rules/clamav``) plus the system database if one exists;
* ``guardduty``: GuardDuty Malware Protection for S3 scans in AWS; the workflow waits for its
  result event instead of calling an engine here.

``scan_upload`` scans the object and then, for an archive (zip, tar, gzip, bzip2, xz), every
member, nested archives included, under ``ArchiveLimits``; each member must also pass the same
allow-list and type rules as a top-level file. Engines read files in windows, so memory stays flat
whatever the size.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Protocol

from fileshare.core.archives import ArchiveLimits, Unscannable, extracted_members, is_archive
from fileshare.core.bounded import clip, clip_all
from fileshare.core.content_types import (
    PACKAGE_MANIFESTS,
    SNIFF_BYTES,
    TAIL_BYTES,
    allow_problem,
    member_problem,
)

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
SCRATCH_RESERVE_BYTES = 64 * 1024 * 1024  # left free on the scratch disk for the runtime and engines
CLAMAV_SYSTEM_DB = Path("/var/lib/clamav")
WINDOW_BYTES = 4 * 1024 * 1024
OVERLAP_BYTES = 64 * 1024
READ_BYTES = 1024 * 1024


@dataclass(frozen=True)
class ScanResult:
    """One verdict. ``refused``: an archive member the allow-list or type rules refuse;
    ``awaiting``: the content passed our checks and GuardDuty's malware verdict is still to come."""

    engine: str
    infected: bool
    signatures: tuple[str, ...] = field(default_factory=tuple)
    unscannable: str | None = None
    refused: str | None = None
    awaiting: bool = False

    @property
    def verdict(self) -> str:
        if self.infected:
            return "INFECTED"
        if self.unscannable:
            return "UNSCANNABLE"
        if self.refused:
            return "REFUSED"
        return "AWAIT" if self.awaiting else "CLEAN"

    def to_dict(self) -> dict[str, Any]:
        """The step's answer, bounded (``fileshare.core.bounded``): at most 20 signatures of at most
        500 characters, with ``signatureCount`` when there were more; reasons clipped alike."""
        signatures = clip_all(self.signatures)
        out: dict[str, Any] = {"engine": self.engine, "verdict": self.verdict, "signatures": signatures}
        if len(signatures) < len(self.signatures):
            out["signatureCount"] = len(self.signatures)
        if self.verdict == "UNSCANNABLE":
            out["reason"] = clip(f"the file cannot be scanned: {self.unscannable}")
        elif self.verdict == "REFUSED":
            out["reason"] = clip(str(self.refused))
        return out


class Engine(Protocol):
    name: str

    def scan_paths(self, paths: list[Path]) -> dict[Path, set[str]]:
        """The signatures found in each file (files with none may be left out)."""
        ...


def windows(chunks: Iterable[bytes], size: int = WINDOW_BYTES, overlap: int = OVERLAP_BYTES) -> Iterable[bytes]:
    """Re-chunk a stream into windows of ``size`` new bytes, each prefixed by ``overlap`` old ones."""
    buffer = bytearray()
    tail = b""
    for chunk in chunks:
        buffer += chunk
        while len(buffer) >= size:
            window = tail + bytes(buffer[:size])
            del buffer[:size]
            yield window
            tail = window[-overlap:] if overlap else b""  # window[-0:] would be the whole window
    if buffer or not tail:
        yield tail + bytes(buffer)


def read_file(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(READ_BYTES):
            yield chunk


class YaraScanner:
    """YARA rules compiled once per process from ``fileshare/rules/*.yar``."""

    name = "yara"

    def __init__(self, rules_dir: Path = RULES_DIR) -> None:
        import yara  # heavy native module: loaded only by the function that scans

        sources = {p.stem: str(p) for p in sorted(rules_dir.glob("*.yar"))}
        if not sources:
            raise RuntimeError(f"no YARA rules in {rules_dir}")
        self._rules = yara.compile(filepaths=sources)

    def scan(self, chunks: Iterable[bytes]) -> ScanResult:
        found = self._match(chunks)
        return ScanResult(self.name, bool(found), tuple(sorted(found)))

    def _match(self, chunks: Iterable[bytes]) -> set[str]:
        found: set[str] = set()
        for window in windows(chunks):
            for match in self._rules.match(data=window):
                found.add(match.rule)
        return found

    def scan_paths(self, paths: list[Path]) -> dict[Path, set[str]]:
        return {path: self._match(read_file(path)) for path in paths}


class ClamAvScanner:
    """``clamscan`` with the project's signatures, plus the system database when there is one."""

    name = "clamav"

    def __init__(self, rules_dir: Path = RULES_DIR / "clamav", executable: str | None = None) -> None:
        found = executable or shutil.which("clamscan")
        if not found:
            raise RuntimeError("SCANNER_ENGINE=clamav but clamscan is not installed")
        self.executable = found
        self.databases = [rules_dir]
        if CLAMAV_SYSTEM_DB.is_dir() and any(CLAMAV_SYSTEM_DB.glob("*.c[lv]d")):
            self.databases.append(CLAMAV_SYSTEM_DB)

    def scan_paths(self, paths: list[Path]) -> dict[Path, set[str]]:
        if not paths:
            return {}
        command = [self.executable, "--no-summary", "--infected", "--stdout"]
        command += [f"--database={d}" for d in self.databases]
        answer = subprocess.run([*command, "--", *map(str, paths)], capture_output=True, text=True, check=False)  # noqa: S603
        if answer.returncode not in (0, 1):  # 1: something was found; 2: an error
            raise RuntimeError(
                f"clamscan failed ({answer.returncode}): {answer.stderr.strip() or answer.stdout.strip()}"
            )
        found: dict[Path, set[str]] = {}
        for line in answer.stdout.splitlines():
            if line.endswith(" FOUND"):
                where, _, signature = line[: -len(" FOUND")].rpartition(": ")
                found.setdefault(Path(where), set()).add(signature)
        return found


def engine_for(name: str) -> Engine:
    if name == "yara":
        return YaraScanner()
    if name == "clamav":
        return ClamAvScanner()
    raise ValueError(f"unknown scanner engine {name!r} (known here: yara, clamav; guardduty scans in AWS)")


def _ends(path: Path) -> tuple[bytes, bytes]:
    """The first ``SNIFF_BYTES`` and the last ``TAIL_BYTES`` of a file, as sniffing reads them."""
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
        size = handle.seek(0, os.SEEK_END)
        handle.seek(max(size - TAIL_BYTES, 0))
        return head, handle.read(TAIL_BYTES)


def _package_container(name: str, names: set[str]) -> str | None:
    """For a package manifest at the root of an archive, that archive (``""``: the upload itself)."""
    for manifest in PACKAGE_MANIFESTS:
        container = name.removesuffix(manifest)
        if container != name and (container == "" or container.removesuffix("/") in names):
            return container.removesuffix("/")
    return None


def refused_member(members: list[tuple[str, Path]], allowed: frozenset[str]) -> str | None:
    """Why the first refused member refuses the archive, naming it; None when every member passes."""
    names = {name for name, _ in members}
    for name, path in members:
        container = _package_container(name, names)
        if container is not None:
            problem = allow_problem("application/msix", "", "application/msix", allowed)
            if problem:
                return f"the archive holds {container}: {problem}" if container else f"the archive: {problem}"
        problem = member_problem(name, *_ends(path), allowed)
        if problem:
            return f"the archive holds {name}: {problem}"
    return None


def scan_upload(path: Path, engine: Engine | None, limits: ArchiveLimits, allowed: frozenset[str]) -> ScanResult:
    """Scan a spooled upload: the file itself, then, for an archive, every member with the engine and
    with the allow-list and type rules of a top-level file. With no engine (GuardDuty scans in AWS)
    only the members are judged here, and a pass means: await GuardDuty's verdict."""
    name = engine.name if engine else "guardduty"
    if engine is not None:
        found = engine.scan_paths([path]).get(path, set())
        if found:
            return ScanResult(name, True, tuple(sorted(found)))
    if not is_archive(path):
        return ScanResult(name, False, awaiting=engine is None)
    try:
        with extracted_members(path, limits, workdir=path.parent) as members:
            hits = engine.scan_paths([p for _, p in members]) if engine else {}
            signatures = sorted(f"{s} in {member}" for member, p in members for s in hits.get(p, set()))
            refused = None if signatures else refused_member(members, allowed)
    except Unscannable as problem:
        return ScanResult(name, False, unscannable=problem.reason)
    if signatures:
        return ScanResult(name, True, tuple(signatures))
    return ScanResult(name, False, refused=refused, awaiting=engine is None)


def fit_to_scratch(size: int, limits: ArchiveLimits, free_bytes: int) -> ArchiveLimits:
    """The archive limits for scanning a ``size``-byte object in ``free_bytes`` of scratch space:
    the spooled object and everything unpacked from it must fit, with a reserve. Raises
    ``Unscannable`` when the object itself does not fit, so it is refused rather than failing."""
    room = free_bytes - SCRATCH_RESERVE_BYTES - size
    if room < 0:
        raise Unscannable(f"the file is {size} bytes, more than the {free_bytes} bytes of scratch space to scan it in")
    return replace(limits, max_expanded_bytes=min(limits.max_expanded_bytes, room))


def scratch_dir() -> Path:
    """Where uploads are spooled for scanning: Lambda's ephemeral /tmp, or TMPDIR locally."""
    return Path(os.environ.get("TMPDIR", "/tmp"))  # noqa: S108 - Lambda's only writable directory
