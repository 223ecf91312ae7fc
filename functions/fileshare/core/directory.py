"""Cognito adapter: an owner's address and locale, found by their ``sub`` (the id every record and
event carries). ``ListUsers`` with a ``sub`` filter is Cognito's way to find a user by sub when
the pool signs people in by email; the mailer's role may call it on this one pool only."""

from __future__ import annotations

import re
from typing import NamedTuple

from fileshare.core.aws import client

_SUB = re.compile(r"^[A-Za-z0-9-]{1,128}\Z")


class Person(NamedTuple):
    email: str
    locale: str | None


def find_person(user_pool_id: str, sub: str) -> Person | None:
    """The user with this ``sub``, if they exist and have an address."""
    if not _SUB.match(sub):  # it goes into a filter expression
        return None
    users = client("cognito-idp").list_users(UserPoolId=user_pool_id, Filter=f'sub = "{sub}"', Limit=1)["Users"]
    if not users:
        return None
    attributes = {a["Name"]: a["Value"] for a in users[0].get("Attributes", [])}
    if not attributes.get("email"):
        return None
    return Person(email=attributes["email"], locale=attributes.get("locale"))
