"""Who is an operator: a caller whose verified JWT lists the ``operators`` Cognito group.

API Gateway's JWT authorizer hands claims to the function as strings; an array claim such as
``cognito:groups`` arrives as ``[operators other]`` (space separated, in brackets). A list is
accepted too (a test or another integration may pass JSON).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

OPERATORS_GROUP = "operators"
GROUPS_CLAIM = "cognito:groups"


def groups(claims: Mapping[str, Any]) -> frozenset[str]:
    value = claims.get(GROUPS_CLAIM)
    if value is None:
        return frozenset()
    if isinstance(value, (list, tuple)):
        return frozenset(str(v) for v in value)
    text = str(value).strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    return frozenset(part for part in text.replace(",", " ").split() if part)


def is_operator(claims: Mapping[str, Any]) -> bool:
    return OPERATORS_GROUP in groups(claims)
