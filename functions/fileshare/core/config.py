"""Typed configuration read from the environment once, at cold start.

Each function declares a ``NamedTuple`` of the settings it needs; ``load`` reads every field from
the environment variable of the same name in upper case and fails with a message naming the
variable that is missing or malformed.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any, TypeVar, get_type_hints

T = TypeVar("T")


class ConfigError(RuntimeError):
    pass


def load(cls: type[T], environ: Mapping[str, str] | None = None) -> T:
    env = os.environ if environ is None else environ
    hints = get_type_hints(cls)
    fields: tuple[str, ...] = cls._fields  # type: ignore[attr-defined]  # a NamedTuple's
    defaults: dict[str, Any] = cls._field_defaults  # type: ignore[attr-defined]
    values: dict[str, Any] = {}
    for field in fields:
        name = field.upper()
        raw = env.get(name)
        if raw is None or raw == "":
            if field in defaults:
                continue
            raise ConfigError(f"environment variable {name} is not set")
        kind = hints[field]
        try:
            if kind is int:
                values[field] = int(raw)
            elif kind is bool:
                values[field] = raw.strip().lower() in ("1", "true", "yes")
            elif kind == tuple[str, ...]:
                values[field] = tuple(p.strip() for p in raw.split(",") if p.strip())
            else:
                values[field] = raw
        except ValueError as exc:
            raise ConfigError(f"environment variable {name}={raw!r} is not a {kind}") from exc
    return cls(**values)
