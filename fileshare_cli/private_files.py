"""Files only the user may read: the refresh token (config dir) and resume state (cache dir).

Both hold bearer credentials (a Cognito refresh token; presigned part URLs), so they are written
0600 inside 0700 directories, atomically (a temporary file renamed over the old one), and never
readable by anyone else even for a moment: the mode is set when the file is created.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

APP = "fileshare"


def config_dir() -> Path:
    """``$XDG_CONFIG_HOME/fileshare``, default ``~/.config/fileshare``."""
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / APP


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/fileshare``, default ``~/.cache/fileshare``."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / APP


def write_json(path: Path, value: Any) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            json.dump(value, handle, indent=1)
        os.chmod(temporary, 0o600)  # an existing temporary file keeps its mode otherwise
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def read_json(path: Path) -> Any | None:
    """The file's JSON, or None when it is missing or unreadable (a broken file is as good as none)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def remove(path: Path) -> bool:
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    return True
