"""Malware scanning behind one small interface; the engine is chosen by configuration.

Engines scan a stream of chunks with bounded memory: each window handed to the engine is at most
``WINDOW_BYTES`` plus an overlap that is carried over from the previous window, so a signature that
straddles two chunks is still seen.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
WINDOW_BYTES = 4 * 1024 * 1024
OVERLAP_BYTES = 64 * 1024


@dataclass(frozen=True)
class ScanResult:
    engine: str
    infected: bool
    signatures: tuple[str, ...] = field(default_factory=tuple)

    def to_dict(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "verdict": "INFECTED" if self.infected else "CLEAN",
            "signatures": list(self.signatures),
        }


class Scanner(Protocol):
    name: str

    def scan(self, chunks: Iterable[bytes]) -> ScanResult: ...


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
            tail = window[-overlap:]
    if buffer or not tail:
        yield tail + bytes(buffer)


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
        found: set[str] = set()
        for window in windows(chunks):
            for match in self._rules.match(data=window):
                found.add(match.rule)
        return ScanResult(self.name, bool(found), tuple(sorted(found)))


def scanner_for(engine: str) -> Scanner:
    if engine == "yara":
        return YaraScanner()
    raise ValueError(f"unknown scanner engine {engine!r} (known: yara)")
