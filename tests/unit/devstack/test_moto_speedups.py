"""The local stack's faster versions of moto's hot paths give moto's own answers."""

from __future__ import annotations

import base64
import collections
import copy
import datetime
import functools
import json
import threading
import types
from types import SimpleNamespace
from typing import Any

import moto.dynamodb.parsing.validators as dynamodb_validators
import pytest
from moto.core.responses import BaseResponse
from moto.dynamodb.comparisons import ConditionExpressionParser
from moto.dynamodb.exceptions import MockValidationException
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType, Item
from moto.dynamodb.models.utilities import dynamo_to_dict
from moto.dynamodb.parsing.ast_nodes import DepthFirstTraverser  # type: ignore[attr-defined]
from moto.dynamodb.parsing.expressions import UpdateExpressionParser  # type: ignore[attr-defined]
from moto.s3.models import MultipartChecksumBuilder
from moto.stepfunctions.parser.asl.component.component import Component
from moto.stepfunctions.parser.asl.component.eval_component import EvalComponent

from devstack.moto_host import (
    _dynamo_to_dict,
    _enrich_response,
    _evaluation_entrypoint,
    _forget_finished_threads,
    _item_size,
    _json_copy,
    _lex_condition,
    _originals,
    _RunningChecksum,
    _traverse_node_recursively,
    _tree_copy,
)

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


def test_an_items_size_against_a_query_page_is_what_moto_counts() -> None:
    item = Item(
        DynamoType(ATTRIBUTES["pk"]), None, {**ATTRIBUTES, "name": {"S": "résumé ✓.pdf"}, "gone": {"NULL": True}}
    )
    morsel = Item(DynamoType(ATTRIBUTES["pk"]), None, {"pk": ATTRIBUTES["pk"]})
    moto_size = _originals.get("item_size", Item.size)  # Item.size is ours once a stack started here
    assert _item_size(item) == moto_size(item)
    assert _item_size(morsel) == moto_size(morsel) == len("pk") + len("FILE#0123")


def test_an_answer_gets_moto_s_request_id_and_an_xml_body_carries_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # moto's own, also before a stack started in this process (which installs it once, when
    # ``_originals`` is empty: the test must leave it as it found it)
    monkeypatch.setitem(_originals, "enrich_response", _originals.get("enrich_response", BaseResponse._enrich_response))
    json_body = json.dumps({"Items": [{"name": {"S": "report.pdf"}}]})
    headers, body = _enrich_response({"status": 200}, json_body)
    assert headers["status"] == "200" and len(headers["x-amzn-requestid"]) == 52
    assert body is json_body
    xml = "<ErrorResponse><RequestId>old</RequestId></ErrorResponse>"
    headers, body = _enrich_response({}, xml)
    assert body == f"<ErrorResponse><RequestId>{headers['x-amzn-requestid']}</RequestId></ErrorResponse>"
    assert _enrich_response({}, b"<RequestId>bytes are left alone</RequestId>")[1].startswith(b"<RequestId>bytes")


def test_a_completed_multipart_uploads_checksum_is_what_moto_computes() -> None:
    parts = [bytes(range(256)) * 4096, b"second part", b""]
    for algorithm, kind in (
        (None, None),  # S3's default: CRC64NVME over the whole object
        ("CRC32", "FULL_OBJECT"),
        ("CRC32", "COMPOSITE"),
        ("CRC32C", None),
        ("SHA256", "COMPOSITE"),
        ("SHA1", None),
    ):
        ours, moto = _RunningChecksum(algorithm, kind), MultipartChecksumBuilder(algorithm, kind)
        for part in parts:
            ours.addPart(part)
            moto.addPart(part)
        assert ours.build() == moto.build(), (algorithm, kind)
    default = _RunningChecksum(None, None)
    default.addPart(parts[0])
    assert default.complete_object == bytearray()  # no second copy of the object kept


DEFINITION = json.dumps(
    {
        "StartAt": "Each",
        "States": {
            "Each": {
                "Type": "Map",
                "ItemsPath": "$.items",
                "ItemProcessor": {"StartAt": "Echo", "States": {"Echo": {"Type": "Pass", "End": True}}},
                "ResultPath": "$.echoed",
                "Next": "Call",
            },
            "Call": {
                "Type": "Task",
                "Resource": "arn:aws:states:::lambda:invoke",
                "Parameters": {"FunctionName": "f", "Payload.$": "$"},
                "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 2}],
                "End": True,
            },
        },
    }
)


def _worker(definition: str) -> SimpleNamespace:
    details = SimpleNamespace(state_machine_details=SimpleNamespace(definition=definition))
    return SimpleNamespace(_evaluation_details=details)


def test_executions_of_one_definition_share_a_program_whose_retry_counters_are_already_keyed() -> None:
    """Each execution keeps its retry counts in its own heap under each component's heap key; with
    one program shared by concurrent executions, every key must exist before the first runs, or two
    executions could each make one and one of them lose its count."""
    first = _evaluation_entrypoint(_worker(DEFINITION))  # type: ignore[arg-type]
    again = _evaluation_entrypoint(_worker(DEFINITION))  # type: ignore[arg-type]
    assert again is first
    components = _components(first)
    assert {type(c).__name__ for c in components} >= {"StateMap", "StateTaskServiceLambda", "RetrierDecl"}
    keyless = [c for c in components if isinstance(c, EvalComponent) and c._EvalComponent__heap_key is None]  # type: ignore[attr-defined]
    assert keyless == []


def _components(root: Any) -> list[Component]:
    found: dict[int, Component] = {}
    pending = [root]
    while pending:
        node = pending.pop()
        if isinstance(node, Component) and id(node) not in found:
            found[id(node)] = node
            pending.extend(vars(node).values())
        elif isinstance(node, list | tuple):
            pending.extend(node)
        elif isinstance(node, dict):
            pending.extend(node.values())
    return list(found.values())


def test_a_state_value_copied_for_the_engine_is_equal_and_shares_nothing_mutable() -> None:
    value = {"upload": {"tags": ["a", "b"], "size": 1.5, "n": 3, "clean": True, "note": None}, "list": [{"x": []}]}
    before = copy.deepcopy(value)
    copied = _json_copy(value)
    assert copied == copy.deepcopy(value)
    copied["upload"]["tags"].append("c")
    copied["list"][0]["x"].append(1)
    assert value == before
    other = (datetime.datetime(2026, 11, 29, tzinfo=datetime.UTC), {"a": [1]})
    assert _json_copy(other) == other
    assert _json_copy(other)[1] is not other[1]
    ordered = collections.OrderedDict(b=[1], a=True)
    assert type(_json_copy(ordered)) is collections.OrderedDict and _json_copy(ordered) == ordered
    assert type(_json_copy({"flag": True})["flag"]) is bool  # not 1


def test_no_thread_the_engine_starts_is_kept_once_it_has_ended() -> None:
    # moto's engine appended every thread it started (an execution's, each Task's, each Map
    # iteration's and Parallel branch's) to a module list nothing empties: memory grew with every
    # upload, for the life of the stack. Each place that records one keeps nothing now.
    from moto.stepfunctions.parser.asl.component.program import program
    from moto.stepfunctions.parser.asl.component.state.exec.state_map.iteration import inline_iteration_component
    from moto.stepfunctions.parser.asl.component.state.exec.state_parallel import branch_worker
    from moto.stepfunctions.parser.asl.component.state.exec.state_task.service import state_task_service_callback

    _forget_finished_threads()

    for module in (program, inline_iteration_component, branch_worker, state_task_service_callback):
        module.TMP_THREADS.append(threading.Thread())  # as each does for every thread it starts
        assert len(module.TMP_THREADS) == 0, module.__name__


def _with_motos_lexer(monkeypatch: pytest.MonkeyPatch) -> None:
    # moto's own lexer behind ours; ``_originals`` is left as it was (an empty one means no stack
    # has installed the hooks in this process yet, and a stack started later must find it empty)
    moto_lexer = _originals.get("lex_condition", ConditionExpressionParser._lex_condition_expression)
    monkeypatch.setitem(_originals, "lex_condition", moto_lexer)


def test_a_condition_lexed_once_is_judged_again_by_each_requests_own_values(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_motos_lexer(monkeypatch)
    item = Item(DynamoType({"S": "FILE#1"}), None, {"pk": {"S": "FILE#1"}, "status": {"S": "READY"}})

    def judged(status: str) -> bool:
        parser = ConditionExpressionParser("#s = :s AND attribute_exists(pk)", {"#s": "status"}, {":s": {"S": status}})
        parser._lex_condition_expression = types.MethodType(_lex_condition, parser)  # type: ignore[method-assign]
        return bool(parser.parse().expr(item))

    assert judged("READY") is True
    assert judged("FAILED") is False  # the same text with another value: not the first answer again
    assert judged("READY") is True


def test_a_condition_that_cannot_be_lexed_is_refused_every_time(monkeypatch: pytest.MonkeyPatch) -> None:
    _with_motos_lexer(monkeypatch)
    for _ in range(2):
        parser = ConditionExpressionParser("status = ;", None, None)
        with pytest.raises(ValueError, match="Cannot parse condition"):
            _lex_condition(parser)


def test_an_update_expression_parsed_once_and_copied_by_pickle_updates_each_item_with_its_own_values(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parse = UpdateExpressionParser.make.__func__
    monkeypatch.setattr(UpdateExpressionParser, "make", classmethod(functools.lru_cache(maxsize=8)(parse)))
    monkeypatch.setattr(dynamodb_validators, "deepcopy", _tree_copy)
    monkeypatch.setattr(DepthFirstTraverser, "traverse_node_recursively", _traverse_node_recursively)
    backend = DynamoDBBackend("us-east-1", "123456789012")
    backend.create_table(
        "files",
        schema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        attr=[{"AttributeName": "pk", "AttributeType": "S"}],
        throughput=None,
        billing_mode="PAY_PER_REQUEST",
        indexes=None,
        global_indexes=None,
        streams=None,
        sse_specification=None,
        tags=None,
        deletion_protection_enabled=False,
        warm_throughput=None,
    )
    for n, status in enumerate(["READY", "REJECTED", "READY", "READY"]):
        backend.update_item(
            "files",
            {"pk": {"S": f"FILE#{n % 3}"}},
            "SET #s = :s, #z = :n, tags = list_append(if_not_exists(tags, :none), :tag) REMOVE gone",
            {"#s": "status", "#z": "size"},
            {":s": {"S": status}, ":n": {"N": str(n)}, ":none": {"L": []}, ":tag": {"L": [{"S": f"t{n}"}]}},
        )

    stored = [backend.get_item("files", {"pk": {"S": f"FILE#{n}"}}).to_json()["Attributes"] for n in range(3)]
    assert [(s["status"]["S"], s["size"]["N"], [t["S"] for t in s["tags"]["L"]]) for s in stored] == [
        ("READY", "3", ["t0", "t3"]),  # updated twice: the second time appended to the first's list
        ("REJECTED", "1", ["t1"]),
        ("READY", "2", ["t2"]),
    ]
    # and what moto's validators refuse, they still refuse
    with pytest.raises(MockValidationException, match="key"):
        backend.update_item("files", {"pk": {"S": "FILE#0"}}, "SET pk = :s", None, {":s": {"S": "other"}})
    with pytest.raises(MockValidationException, match=r"[Oo]verlap"):
        backend.update_item("files", {"pk": {"S": "FILE#0"}}, "SET a = :s, a = :s", None, {":s": {"S": "x"}})
    with pytest.raises(MockValidationException, match="does not exist"):
        backend.update_item("files", {"pk": {"S": "FILE#0"}}, "SET b = absentcount + :n", None, {":n": {"N": "1"}})
