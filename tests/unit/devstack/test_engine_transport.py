"""The engine's process reaches the other services over HTTP: what it does when a call is not
delivered, as against a service's own error."""

from __future__ import annotations

from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError, ReadTimeoutError

from devstack.moto_host import _sent_again_if_undelivered


def test_a_call_that_was_not_delivered_is_sent_again_up_to_three_times() -> None:
    refused = EndpointConnectionError(endpoint_url="http://127.0.0.1:1")
    reset = ConnectionClosedError(endpoint_url="http://127.0.0.1:1")
    timed_out = ReadTimeoutError(endpoint_url="http://127.0.0.1:1")

    assert _sent_again_if_undelivered(attempts=1, caught_exception=refused) is not None
    assert _sent_again_if_undelivered(attempts=2, caught_exception=reset) is not None
    assert _sent_again_if_undelivered(attempts=1, caught_exception=timed_out) is not None
    assert _sent_again_if_undelivered(attempts=3, caught_exception=reset) is None  # then it fails


def test_a_services_own_answer_reaches_the_workflow_unretried() -> None:
    # throttled (the fault switch's too): the workflow's Retry decides, as in AWS
    throttled = ClientError({"Error": {"Code": "ThrottlingException", "Message": "slow down"}}, "PutEvents")

    assert _sent_again_if_undelivered(attempts=1, caught_exception=throttled) is None
    assert _sent_again_if_undelivered(attempts=1, caught_exception=None, response=({}, {})) is None
