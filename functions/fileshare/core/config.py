"""Typed configuration read from the environment once, at cold start.

Each function declares a frozen dataclass of the settings it needs; ``load`` reads every field from
the environment variable of the same name in upper case and fails with a message naming the
variable that is missing or malformed.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from typing import Any, TypeVar, get_type_hints

T = TypeVar("T")


class ConfigError(RuntimeError):
    pass


def load(cls: type[T], environ: Mapping[str, str] | None = None) -> T:
    env = os.environ if environ is None else environ
    hints = get_type_hints(cls)
    values: dict[str, Any] = {}
    for field in dataclasses.fields(cls):  # type: ignore[arg-type]
        name = field.name.upper()
        raw = env.get(name)
        if raw is None or raw == "":
            if field.default is not dataclasses.MISSING:
                continue
            raise ConfigError(f"environment variable {name} is not set")
        kind = hints[field.name]
        try:
            if kind is int:
                values[field.name] = int(raw)
            elif kind is bool:
                values[field.name] = raw.strip().lower() in ("1", "true", "yes")
            elif kind == tuple[str, ...]:
                values[field.name] = tuple(p.strip() for p in raw.split(",") if p.strip())
            else:
                values[field.name] = raw
        except ValueError as exc:
            raise ConfigError(f"environment variable {name}={raw!r} is not a {kind}") from exc
    return cls(**values)
