"""Scanning an upload with the project's own rules, behind one small interface:

* ``yara``: yara-python with the project's rules (``fileshare/rules/*.yar``): the EICAR test file,
  and the content classes the allow-list refuses (executables, scripts), recognised by their
  headers wherever validation does not look, inside archives;
* ``clamav``: ClamAV's ``clamscan`` where it is installed, with the project's signatures
  (``fileshare/rules/clamav``) plus the system database if one exists.

Managed signatures come from GuardDuty Malware Protection for S3, which scans in AWS on its own;
the workflow runs these rules beside it (``statemachines/process_upload.asl.json``).

``scan_upload`` scans the object and then, for an archive (zip, tar, gzip, bzip2, xz), every
member, nested archives included, under ``ArchiveLimits``; each member must also pass the same
allow-list and type rules as a top-level file. Engines read files in windows, so memory stays flat
whatever the size.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from fileshare.core.archives import ArchiveLimits, Unscannable, extracted_members, is_archive
from fileshare.core.bounded import clip, clip_all
from fileshare.core.content_types import (
    DEFAULT_ALLOWED,
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


class ScanResult(NamedTuple):
    """One verdict. ``refused``: why a content class or archive member is refused here."""

    engine: str
    infected: bool
    signatures: tuple[str, ...] = ()
    unscannable: str | None = None
    refused: str | None = None  # a content class or archive member the allow-list or type rules refuse

    @property
    def verdict(self) -> str:
        if self.infected:
            return "INFECTED"
        if self.refused:
            return "REFUSED"
        return "UNSCANNABLE" if self.unscannable else "CLEAN"

    def to_dict(self) -> dict[str, Any]:
        """The step's answer, bounded (``fileshare.core.bounded``): at most 20 signatures of at most
        500 characters, with ``signatureCount`` when there were more; reasons clipped alike."""
        signatures = clip_all(self.signatures)
        out: dict[str, Any] = {"engine": self.engine, "verdict": self.verdict, "signatures": signatures}
        if len(signatures) < len(self.signatures):
            out["signatureCount"] = len(self.signatures)
        if self.verdict == "REFUSED":
            out["reason"] = clip(str(self.refused))
        elif self.verdict == "UNSCANNABLE":
            out["reason"] = clip(f"the file cannot be scanned: {self.unscannable}")
        return out


class Engine(Protocol):
    name: str
    # Rules that recognise a content class rather than malware: rule name -> allow-list category.
    categories: Mapping[str, str]

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
    """YARA rules compiled once per process from ``fileshare/rules/*.yar``. A rule whose meta has a
    ``category`` recognises a content class of the allow-list, not malware. Rules see one window at
    a time; ``window_offset`` (an external variable) is where it starts in the file, so that rules
    reading a file's header match only at its real start."""

    name = "yara"

    def __init__(self, rules_dir: Path = RULES_DIR) -> None:
        import yara  # heavy native module: loaded only by the function that scans

        sources = {p.stem: str(p) for p in sorted(rules_dir.glob("*.yar"))}
        if not sources:
            raise RuntimeError(f"no YARA rules in {rules_dir}")
        self._rules = yara.compile(filepaths=sources, externals={"window_offset": 0})
        self.categories: Mapping[str, str] = {
            rule.identifier: str(rule.meta["category"]) for rule in self._rules if "category" in rule.meta
        }

    def scan(self, chunks: Iterable[bytes]) -> ScanResult:
        found = {s for s in self._match(chunks) if s not in self.categories}
        return ScanResult(self.name, bool(found), tuple(sorted(found)))

    def _match(self, chunks: Iterable[bytes]) -> set[str]:
        found: set[str] = set()
        for index, window in enumerate(windows(chunks)):
            offset = index * WINDOW_BYTES - OVERLAP_BYTES if index else 0
            for match in self._rules.match(data=window, externals={"window_offset": offset}):
                found.add(match.rule)
        return found

    def scan_paths(self, paths: list[Path]) -> dict[Path, set[str]]:
        return {path: self._match(read_file(path)) for path in paths}


class ClamAvScanner:
    """``clamscan`` with the project's signatures, plus the system database when there is one."""

    name = "clamav"
    categories: Mapping[str, str] = {}  # ClamAV's signatures are all malware

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
    raise ValueError(f"unknown scanner engine {name!r} (known: yara, clamav; GuardDuty scans in AWS on its own)")


def _judge(
    engine: Engine, hits: Sequence[tuple[str, str]], allowed: frozenset[str], unscannable: str | None = None
) -> ScanResult:
    """One result from (signature, where) hits: malware first, then a refused content class."""
    malware = sorted(f"{s}{where}" for s, where in hits if s not in engine.categories)
    if malware:
        return ScanResult(engine.name, True, tuple(malware))
    # Only content-class rules matched: those whose category the allow-list refuses count.
    refused = sorted((engine.categories[s], f"{s}{where}") for s, where in hits if engine.categories[s] not in allowed)
    if refused:
        kinds = " and ".join(sorted({kind for kind, _ in refused}))
        found = ", ".join(f for _, f in refused)
        return ScanResult(
            engine.name, False, tuple(f for _, f in refused), refused=f"{kinds} are not allowed here: {found}"
        )
    return ScanResult(engine.name, False, unscannable=unscannable)


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


def scan_upload(
    path: Path, engine: Engine, limits: ArchiveLimits, allowed: frozenset[str] = DEFAULT_ALLOWED
) -> ScanResult:
    """Scan a spooled upload: the file itself, then, for an archive, every member, with the engine
    and with the allow-list and type rules of a top-level file. Malware wins; then a content class or
    member the allow-list (``allowed``) refuses; then an archive we cannot inspect."""
    own = [(s, "") for s in engine.scan_paths([path]).get(path, set())]
    result = _judge(engine, own, allowed)
    if result.infected or not is_archive(path):
        return result
    try:
        with extracted_members(path, limits, workdir=path.parent) as members:
            hits = engine.scan_paths([p for _, p in members])
            inside = [(s, f" in {name}") for name, p in members for s in hits.get(p, set())]
            refused = refused_member(members, allowed)
    except Unscannable as problem:
        return _judge(engine, own, allowed, unscannable=problem.reason)
    judged = _judge(engine, own + inside, allowed)
    if judged.infected or refused is None:
        return judged
    # A member the allow-list or type rules refuse: the reason names it (a rule may have matched it too).
    return ScanResult(engine.name, False, refused=refused)


def fit_to_scratch(size: int, limits: ArchiveLimits, free_bytes: int) -> ArchiveLimits:
    """The archive limits for scanning a ``size``-byte object in ``free_bytes`` of scratch space:
    the spooled object and everything unpacked from it must fit, with a reserve. Raises
    ``Unscannable`` when the object itself does not fit, so it is refused rather than failing."""
    room = free_bytes - SCRATCH_RESERVE_BYTES - size
    if room < 0:
        raise Unscannable(f"the file is {size} bytes, more than the {free_bytes} bytes of scratch space to scan it in")
    return limits._replace(max_expanded_bytes=min(limits.max_expanded_bytes, room))


def scratch_dir() -> Path:
    """Where uploads are spooled for scanning: Lambda's ephemeral /tmp, or TMPDIR locally."""
    return Path(os.environ.get("TMPDIR", "/tmp"))  # noqa: S108 - Lambda's only writable directory
