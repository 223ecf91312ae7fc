"""Text an uploader can influence, cut to size before it enters workflow state.

Step Functions fails an execution whose state grows past 256 KB, and that failure cannot be
caught: the file would stay PROCESSING. Archive member names (a zip allows 65,535 bytes each, and
thousands of members) and engine signatures are the uploader's to choose, so every reason and
signature list a step returns goes through here.
"""

from __future__ import annotations

from collections.abc import Sequence

MAX_TEXT = 500  # characters in one reason or signature
MAX_SIGNATURES = 20  # signatures kept in a scan result; the count says how many there were
ELLIPSIS = "…"


def clip(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` cut to at most ``limit`` characters, marked with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - len(ELLIPSIS)] + ELLIPSIS


def clip_all(texts: Sequence[str], count: int = MAX_SIGNATURES, limit: int = MAX_TEXT) -> list[str]:
    """The first ``count`` of ``texts``, each clipped."""
    return [clip(t, limit) for t in texts[:count]]
