"""The pieces the local stack adds to moto, each checked where a user of the stack would notice."""

from __future__ import annotations

import json
import os
import time
from typing import Any

import boto3
import jwt
import pytest
import requests
from botocore.exceptions import ClientError

from devstack import moto_host
from devstack.stack import LocalStack
from devstack.template import load_template
from tests.stack_support import sync_client

pytestmark = pytest.mark.stack


def test_functions_get_exactly_the_environment_the_template_gives_them(local_stack: LocalStack) -> None:
    runner, stack = local_stack.runner, local_stack.stack
    files_api = runner.environment_for(stack.functions["FilesApiFunction"])
    mint = runner.environment_for(stack.functions["MintShareFunction"])

    assert files_api["TABLE_NAME"] == stack.ref("Table")  # !Ref resolved to the local table
    assert files_api["APP_URL"] == local_stack.app_url  # a parameter the local stack sets
    assert files_api["POWERTOOLS_SERVICE_NAME"] == "fileshare"  # from Globals
    assert mint["TOKEN_KEY_ID"] == stack.attr("TokenKey", "Arn")  # !GetAtt resolved
    assert "UPLOADS_BUCKET" not in mint  # not given to this function in the template
    assert files_api["AWS_ENDPOINT_URL"] == local_stack.moto.endpoint


def test_api_functions_run_within_their_reserved_concurrency(local_stack: LocalStack) -> None:
    functions = local_stack.stack.functions
    reserved = int(local_stack.stack.parameters["ApiReservedConcurrency"])
    for name in ("UploadsApiFunction", "FilesApiFunction", "SharesApiFunction", "PublicSharesApiFunction"):
        assert functions[name].reserved_concurrency == reserved, name  # the runner's cap for it
    assert functions["ScanUploadFunction"].reserved_concurrency is None  # workflow steps: unreserved


def test_a_rule_whose_target_keeps_failing_dead_letters_the_event(local_stack: LocalStack) -> None:
    events, sqs = local_stack.client("events"), local_stack.client("sqs")
    dlq_arn = local_stack.stack.attr("UploadEventsDeadLetterQueue", "Arn")
    dlq_url = local_stack.stack.ref("UploadEventsDeadLetterQueue")
    missing = "arn:aws:states:us-east-1:123456789012:stateMachine:does-not-exist"
    events.put_rule(Name="to-nowhere", EventPattern=json.dumps({"source": ["test.dead-letters"]}))
    events.put_targets(
        Rule="to-nowhere",
        Targets=[
            {
                "Id": "nowhere",
                "Arn": missing,
                "RetryPolicy": {"MaximumRetryAttempts": 2, "MaximumEventAgeInSeconds": 60},
                "DeadLetterConfig": {"Arn": dlq_arn},
            }
        ],
    )

    events.put_events(Entries=[{"Source": "test.dead-letters", "DetailType": "Ping", "Detail": json.dumps({"n": 1})}])

    deadline = time.monotonic() + 20
    messages: list[dict[str, object]] = []
    while not messages and time.monotonic() < deadline:
        messages = sqs.receive_message(QueueUrl=dlq_url, MessageAttributeNames=["All"], WaitTimeSeconds=1).get(
            "Messages", []
        )
    [message] = messages
    assert json.loads(str(message["Body"]))["detail"] == {"n": 1}
    attributes = message["MessageAttributes"]
    assert attributes["TARGET_ARN"]["StringValue"] == missing  # type: ignore[index]
    assert "to-nowhere" in attributes["RULE_ARN"]["StringValue"]  # type: ignore[index]


def test_express_workflows_run_synchronously(local_stack: LocalStack) -> None:
    # AWS serves StartSyncExecution on sync-states.<region>; locally the prefix is switched off.
    sfn = sync_client(local_stack)
    role = "arn:aws:iam::123456789012:role/express"
    double = sfn.create_state_machine(
        name="double",
        roleArn=role,
        type="EXPRESS",
        definition=json.dumps(
            {
                "StartAt": "D",
                "States": {"D": {"Type": "Pass", "Parameters": {"twice.$": "States.MathAdd($.n, $.n)"}, "End": True}},
            }
        ),
    )["stateMachineArn"]
    refuse = sfn.create_state_machine(
        name="refuse",
        roleArn=role,
        type="EXPRESS",
        definition=json.dumps({"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Refused", "Cause": "no"}}}),
    )["stateMachineArn"]

    ok = sfn.start_sync_execution(stateMachineArn=double, input=json.dumps({"n": 21}))
    failed = sfn.start_sync_execution(stateMachineArn=refuse, input="{}")

    assert ok["status"] == "SUCCEEDED" and json.loads(ok["output"]) == {"twice": 42}
    assert (failed["status"], failed["error"], failed["cause"]) == ("FAILED", "Refused", "no")
    standard = local_stack.stack.state_machines["ProcessUploadStateMachine"]
    with pytest.raises(sfn.exceptions.ClientError, match="StateMachineTypeNotSupported"):
        sfn.start_sync_execution(stateMachineArn=standard, input="{}")


def test_sign_up_is_confirmed_at_once(local_stack: LocalStack) -> None:
    outputs = local_stack.stack.outputs
    cognito = local_stack.client("cognito-idp")
    cognito.sign_up(
        ClientId=outputs["UserPoolClientId"],
        Username="new@example.com",
        Password="Correct-horse-9",
        UserAttributes=[{"Name": "email", "Value": "new@example.com"}],
    )

    user = cognito.admin_get_user(UserPoolId=outputs["UserPoolId"], Username="new@example.com")

    assert user["UserStatus"] == "CONFIRMED"
    assert {"Name": "email_verified", "Value": "true"} in user["UserAttributes"]


def test_the_web_server_sends_the_distributions_security_headers(local_stack: LocalStack) -> None:
    template = load_template(local_stack.template_path)
    config = template["Resources"]["AppResponseHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    cloudfront_csp = config["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"]

    page = requests.get(f"{local_stack.app_url}/s/some-token", timeout=10)

    served = {
        name: sources for name, *sources in (d.split() for d in page.headers["Content-Security-Policy"].split(";"))
    }
    defined = {name: sources for name, *sources in (d.split() for d in cloudfront_csp.split(";"))}
    assert served.pop("connect-src") == ["'self'", local_stack.api_url, local_stack.moto.endpoint]
    assert served == {k: v for k, v in defined.items() if k != "connect-src"}
    assert page.headers["Strict-Transport-Security"].startswith("max-age=63072000")
    assert page.headers["X-Frame-Options"] == "DENY"


def test_a_session_refreshes_as_amplify_asks(local_stack: LocalStack) -> None:
    # Given a signed-in user of the app client
    outputs = local_stack.stack.outputs
    cognito = local_stack.client("cognito-idp")
    client_id = outputs["UserPoolClientId"]
    cognito.sign_up(
        ClientId=client_id,
        Username="refresh@example.com",
        Password="Correct-horse-9",
        UserAttributes=[{"Name": "email", "Value": "refresh@example.com"}],
    )
    signed_in = cognito.initiate_auth(
        ClientId=client_id,
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "refresh@example.com", "PASSWORD": "Correct-horse-9"},
    )["AuthenticationResult"]

    # When the app trades its refresh token with GetTokensFromRefreshToken (Amplify Auth v6)
    fresh = cognito.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken=signed_in["RefreshToken"])

    # Then it gets a new ID token for the same person, and a bad refresh token is refused
    claims = jwt.decode(fresh["AuthenticationResult"]["IdToken"], options={"verify_signature": False})
    assert claims["email"] == "refresh@example.com"
    with pytest.raises(cognito.exceptions.NotAuthorizedException):
        cognito.get_tokens_from_refresh_token(ClientId=client_id, RefreshToken="not-a-token")


def test_functions_and_workflows_act_as_their_own_roles(local_stack: LocalStack) -> None:
    stack = local_stack.stack
    files_api = local_stack.runner.environment_for(stack.functions["FilesApiFunction"])
    sts = boto3.client(
        "sts",
        endpoint_url=local_stack.moto.endpoint,
        region_name="us-east-1",
        aws_access_key_id=files_api["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=files_api["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=files_api["AWS_SESSION_TOKEN"],
    )

    # A function's workers hold a session of the function's role, and that role may do only what
    # the template lets it: FilesApiFunction reads the index but cannot write it.
    identity = sts.get_caller_identity()["Arn"]
    assert identity.endswith(
        f":assumed-role/{stack.ref('FilesApiFunctionRole')}/{files_api['AWS_LAMBDA_FUNCTION_NAME']}"
    )
    dynamodb = boto3.client(
        "dynamodb",
        endpoint_url=local_stack.moto.endpoint,
        region_name="us-east-1",
        aws_access_key_id=files_api["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=files_api["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=files_api["AWS_SESSION_TOKEN"],
    )
    key = {"pk": {"S": "OWNER#nobody"}, "sk": {"S": "USAGE"}}
    assert "Item" not in dynamodb.get_item(TableName=stack.ref("Table"), Key=key)
    with pytest.raises(ClientError, match="AccessDenied"):
        dynamodb.put_item(TableName=stack.ref("Table"), Item=key)


def test_a_function_makes_ahead_the_sdk_clients_of_exactly_the_services_its_role_may_call(
    local_stack: LocalStack,
) -> None:
    # (Its fork server makes the function's client of each before it forks workers.)
    functions = local_stack.stack.functions
    assert functions["FilesApiFunction"].aws_services == ("dynamodb", "kms")
    assert functions["PublicSharesApiFunction"].aws_services == ("dynamodb", "s3", "stepfunctions")
    mailer = ("cognito-idp", "dynamodb", "kms", "ses", "sesv2", "sqs")  # sqs: its dead-letter queue
    assert functions["MailerFunction"].aws_services == mailer


def test_a_workflow_step_its_role_may_not_take_fails_with_access_denied(local_stack: LocalStack) -> None:
    # Given the revoke-share workflow, whose one step updates the table
    iam, sfn = local_stack.client("iam"), sync_client(local_stack)
    role = local_stack.stack.ref("RevokeShareStateMachineRole")
    machine = local_stack.stack.state_machines["RevokeShareStateMachine"]
    command = json.dumps({"fileIds": ["f" * 32], "ownerId": "someone", "shareId": "s" * 16, "tokenHash": "0" * 64})

    def step_error() -> str:
        # Started asynchronously (moto keeps the history of such executions, not of sync ones)
        run = sfn.start_execution(stateMachineArn=machine, input=command)["executionArn"]
        while sfn.describe_execution(executionArn=run)["status"] == "RUNNING":
            time.sleep(0.1)
        history = sfn.get_execution_history(executionArn=run)["events"]
        [failed] = [e["taskFailedEventDetails"] for e in history if e["type"] == "TaskFailed"]
        return f"{failed['error']}: {failed.get('cause', '')}"

    # As the template grants it, the step reaches the table (no such share: its condition fails)
    assert step_error().startswith("DynamoDB.ConditionalCheckFailedException")
    # When the role loses dynamodb:UpdateItem, the same step is refused by IAM
    [name] = [
        n
        for n in iam.list_role_policies(RoleName=role)["PolicyNames"]
        if "RevokeShares" in json.dumps(iam.get_role_policy(RoleName=role, PolicyName=n)["PolicyDocument"])
    ]
    granted = iam.get_role_policy(RoleName=role, PolicyName=name)["PolicyDocument"]
    narrowed = json.dumps(granted).replace('"dynamodb:UpdateItem"', '"dynamodb:GetItem"')
    iam.put_role_policy(RoleName=role, PolicyName=name, PolicyDocument=narrowed)
    try:
        refused = step_error()
    finally:
        iam.put_role_policy(RoleName=role, PolicyName=name, PolicyDocument=json.dumps(granted))
    assert "AccessDenied" in refused and "dynamodb:UpdateItem" in refused


def test_a_cancelled_transaction_leaves_every_item_as_it_was(local_stack: LocalStack) -> None:
    # (moto undid a cancelled transaction by copying whole tables; the stack puts back the items named.)
    ddb, table = local_stack.client("dynamodb"), local_stack.stack.ref("Table")
    kept = {"pk": {"S": "TEST#kept"}, "sk": {"S": "ITEM"}, "count": {"N": "1"}}
    ddb.put_item(TableName=table, Item=kept)

    key = {"pk": kept["pk"], "sk": kept["sk"]}
    count_up = {
        "TableName": table,
        "Key": key,
        "UpdateExpression": "ADD #c :one",
        "ExpressionAttributeNames": {"#c": "count"},
        "ExpressionAttributeValues": {":one": {"N": "1"}},
    }
    new_item = {"TableName": table, "Item": {"pk": {"S": "TEST#new"}, "sk": {"S": "ITEM"}}}

    def transact(condition: str) -> None:
        check = {"TableName": table, "Key": {**key, "sk": {"S": "OTHER"}}, "ConditionExpression": condition}
        ddb.transact_write_items(TransactItems=[{"Update": count_up}, {"Put": new_item}, {"ConditionCheck": check}])

    def item(pk: str) -> dict[str, Any] | None:
        found = ddb.get_item(TableName=table, Key={"pk": {"S": pk}, "sk": {"S": "ITEM"}}, ConsistentRead=True)
        return found.get("Item")

    # When the last entry's condition fails, after the first two were applied
    with pytest.raises(ClientError) as refused:
        transact("attribute_exists(pk)")

    # Then the transaction is cancelled by name and neither write is left
    assert refused.value.response["Error"]["Code"] == "TransactionCanceledException"
    assert item("TEST#kept") == kept and item("TEST#new") is None

    # and a transaction whose conditions hold applies every write
    transact("attribute_not_exists(pk)")
    assert item("TEST#kept")["count"] == {"N": "2"}  # type: ignore[index]
    assert item("TEST#new") is not None


def test_an_index_query_sees_every_write_since_the_last_identical_query(local_stack: LocalStack) -> None:
    """The local stack keeps an index query's sorted candidates until the next write: each kind of
    write, in place or not, must show in the next query."""
    ddb, table = local_stack.client("dynamodb"), local_stack.stack.ref("Table")
    owner = f"TEST#{time.time_ns()}"

    def item(name: str, order: str) -> dict[str, Any]:
        return {"pk": {"S": f"{owner}#{name}"}, "sk": {"S": "X"}, "gsi1pk": {"S": owner}, "gsi1sk": {"S": order}}

    def query(forward: bool = True, **page: Any) -> dict[str, Any]:
        return dict(
            ddb.query(
                TableName=table,
                IndexName="gsi1",
                KeyConditionExpression="gsi1pk = :o",
                ExpressionAttributeValues={":o": {"S": owner}},
                ScanIndexForward=forward,
                **page,
            )
        )

    def listed(forward: bool = True) -> list[str]:
        return [i["gsi1sk"]["S"] for i in query(forward)["Items"]]

    for name, order in (("a", "1"), ("b", "2"), ("c", "3")):
        ddb.put_item(TableName=table, Item=item(name, order))
    assert listed() == ["1", "2", "3"]
    assert listed(forward=False) == ["3", "2", "1"]
    assert listed() == ["1", "2", "3"]  # the reverse did not turn the kept order around

    ddb.update_item(
        TableName=table,
        Key={"pk": {"S": f"{owner}#b"}, "sk": {"S": "X"}},
        UpdateExpression="SET gsi1sk = :s",
        ExpressionAttributeValues={":s": {"S": "4"}},
    )
    assert listed() == ["1", "3", "4"]
    ddb.delete_item(TableName=table, Key={"pk": {"S": f"{owner}#a"}, "sk": {"S": "X"}})
    assert listed() == ["3", "4"]
    ddb.transact_write_items(TransactItems=[{"Put": {"TableName": table, "Item": item("d", "0")}}])
    assert listed() == ["0", "3", "4"]
    ddb.batch_write_item(RequestItems={table: [{"PutRequest": {"Item": item("e", "5")}}]})
    assert listed() == ["0", "3", "4", "5"]
    for forward in (True, False):  # page by page, each page starting after the last one's key
        paged: list[str] = []
        page: dict[str, Any] = {}
        while True:
            answer = query(forward, Limit=1, **page)
            paged += [i["gsi1sk"]["S"] for i in answer["Items"]]
            if "LastEvaluatedKey" not in answer:
                break
            page = {"ExclusiveStartKey": answer["LastEvaluatedKey"]}
        assert paged == listed(forward)


def test_an_index_querys_page_counts_its_limit_before_the_filter_and_within_the_key_condition(
    local_stack: LocalStack,
) -> None:
    """The local stack hands moto only the kept candidates a page can reach; DynamoDB's rules for
    ``Limit`` must hold as before: a filter applies after the limit, a range condition before it."""
    ddb, table = local_stack.client("dynamodb"), local_stack.stack.ref("Table")
    owner = f"TEST#{time.time_ns()}"
    for order in "123456":
        ddb.put_item(TableName=table, Item=_key_of(owner, order) | {"even": {"BOOL": int(order) % 2 == 0}})

    def page(condition: str = "", forward: bool = True, **more: Any) -> tuple[list[str], str | None]:
        answer = ddb.query(
            TableName=table,
            IndexName="gsi1",
            KeyConditionExpression="gsi1pk = :o" + condition,
            ExpressionAttributeValues={":o": {"S": owner}, ":two": {"S": "2"}, ":yes": {"BOOL": True}},
            ScanIndexForward=forward,
            Limit=3,
            **more,
        )
        last = answer.get("LastEvaluatedKey")
        return [i["gsi1sk"]["S"] for i in answer["Items"]], last["gsi1sk"]["S"] if last else None

    assert page() == (["1", "2", "3"], "3")
    assert page(forward=False) == (["6", "5", "4"], "4")
    # Three items read, the filter keeps the even ones among them, and the page ends at the third
    assert page(FilterExpression="even = :yes") == (["2"], "3")
    assert page(forward=False, FilterExpression="even = :yes") == (["6", "4"], "4")
    # The range condition chooses the items the limit counts
    assert page(" AND gsi1sk > :two") == (["3", "4", "5"], "5")
    assert page(" AND gsi1sk > :two", forward=False) == (["6", "5", "4"], "4")
    assert page(" AND gsi1sk > :two", ExclusiveStartKey=_key_of(owner, "5")) == (["6"], None)


def _key_of(owner: str, order: str) -> dict[str, Any]:
    return {"pk": {"S": f"{owner}#{order}"}, "sk": {"S": "X"}, "gsi1pk": {"S": owner}, "gsi1sk": {"S": order}}


def test_the_engine_runs_in_its_own_process_and_iam_checks_each_of_its_calls(local_stack: LocalStack) -> None:
    # Given the engine's process and a workflow run as the revoke-share workflow's role
    engine = local_stack.moto.engine
    assert engine.process is not None and engine.process.poll() is None
    assert engine.pid() != os.getpid()
    sfn = sync_client(local_stack)
    role = f"arn:aws:iam::123456789012:role/{local_stack.stack.ref('RevokeShareStateMachineRole')}"
    table = local_stack.stack.ref("Table")

    def caught(resource: str, parameters: dict[str, Any], then: str) -> dict[str, Any]:
        """A Task whose error is kept under ``$.failed`` and its own name."""
        catch = [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.failed", "Next": then}]
        return {"Type": "Task", "Resource": resource, "Parameters": parameters, "Catch": catch, "Next": then}

    revoke = {
        "TableName": table,
        "Key": {"pk": {"S": "SHARE#" + "0" * 64}, "sk": {"S": "SHARE"}},
        "UpdateExpression": "SET revoked = :yes",
        "ConditionExpression": "attribute_exists(pk)",
        "ExpressionAttributeValues": {":yes": {"BOOL": True}},
    }
    definition = {
        "StartAt": "Allowed",
        "States": {
            "Allowed": caught("arn:aws:states:::dynamodb:updateItem", revoke, "KeepAllowed"),
            "KeepAllowed": {"Type": "Pass", "Parameters": {"allowed.$": "$.failed"}, "Next": "Refused"},
            "Refused": caught("arn:aws:states:::aws-sdk:dynamodb:scan", {"TableName": table}, "Done"),
            "Done": {"Type": "Pass", "Parameters": {"allowed.$": "$.allowed", "refused.$": "$.failed"}, "End": True},
        },
    }
    machine = sfn.create_state_machine(name="iam", roleArn=role, type="EXPRESS", definition=json.dumps(definition))

    # When it runs
    run = sfn.start_sync_execution(stateMachineArn=machine["stateMachineArn"], input="{}")

    # Then a step the role may take reached the table (no such share: the condition failed)
    output = json.loads(run["output"])
    assert output["allowed"]["Error"] == "DynamoDB.ConditionalCheckFailedException"
    # and one it may not take was refused by IAM in the stack's process, as the role
    assert "AccessDenied" in output["refused"]["Cause"]
    assert "assumed-role/fileshare-local-RevokeShareStateMachineRole/states" in output["refused"]["Cause"]
    # Nobody else gets the role's credentials the engine's process is given
    asked = requests.get(
        local_stack.moto.endpoint + moto_host.ROLE_CREDENTIALS_PATH, params={"roleArn": role}, timeout=10
    )
    assert asked.status_code == 403 and "AWS_SECRET_ACCESS_KEY" not in asked.text
