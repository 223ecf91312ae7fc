"""The local stack's faster versions of moto's hot paths give moto's own answers."""

from __future__ import annotations

import base64
import datetime

from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.utilities import dynamo_to_dict

from devstack.moto_host import _dynamo_to_dict

ATTRIBUTES = {
    "pk": {"S": "FILE#0123"},
    "size": {"N": "1024"},
    "sealed": {"B": base64.b64encode(b"\x00\x01binary").decode()},
    "seals": {"BS": [base64.b64encode(b"one").decode(), base64.b64encode(b"two").decode()]},
    "tags": {"SS": ["a", "b"]},
    "counts": {"NS": ["1", "2"]},
    "shareKeys": {"L": [{"S": "SHARE#1"}, {"M": {"nested": {"L": [{"N": "3"}, {"BOOL": True}]}}}]},
    "options": {"M": {"limit": {"N": "5"}, "none": {"NULL": True}, "blob": {"B": base64.b64encode(b"x").decode()}}},
    "revoked": {"BOOL": False},
}


def test_an_answer_made_of_items_is_what_moto_makes_of_it() -> None:
    item = Item(DynamoType(ATTRIBUTES["pk"]), None, ATTRIBUTES)
    answer = {
        "Items": [item.to_json()["Attributes"], {k: DynamoType(v) for k, v in ATTRIBUTES.items()}],
        "Item": item,
        "Count": 2,
        "LastEvaluatedKey": {"pk": DynamoType({"S": "FILE#0123"})},
        "At": datetime.datetime(2026, 11, 29, tzinfo=datetime.UTC),
        "Raw": DynamoType({"B": b"raw bytes"}),
        "Empty": None,
    }
    assert _dynamo_to_dict(answer) == dynamo_to_dict(answer)
