"""Static checks of template.yaml and the ASL files: wiring, retries, least privilege, deny by default."""

from __future__ import annotations

import fnmatch
import json
import re
from pathlib import Path
from typing import Any

import pytest
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

from devstack.template import load_template
from fileshare.core.keyring import request_token_context, token_context
from fileshare.core.records import file_pk, share_pk
from fileshare.core.scan_rendezvous import PARTITION_PREFIX, rendezvous_key
from fileshare.core.scanning import SCRATCH_RESERVE_BYTES

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = load_template(ROOT / "template.yaml")
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]
STATE_MACHINES = {k: v for k, v in RESOURCES.items() if v["Type"] == "AWS::Serverless::StateMachine"}
FUNCTIONS = {k: v for k, v in RESOURCES.items() if v["Type"] == "AWS::Serverless::Function"}
API_FUNCTIONS = {
    k: v
    for k, v in FUNCTIONS.items()
    if any(e["Type"] == "HttpApi" for e in v["Properties"].get("Events", {}).values())
}
# API functions may start command workflows (that is how they change anything) and read executions
# (operators), but write nothing.
WRITE_ACTIONS = re.compile(
    r"^(dynamodb:(Put|Update|Delete|BatchWrite|TransactWrite)|s3:(PutObjectTagging|PutObjectVersionTagging|Delete)"
    r"|events:PutEvents|states:(?!(StartSyncExecution|ListExecutions|DescribeExecution|GetExecutionHistory)$))"
)


def definition(logical_id: str) -> dict[str, Any]:
    return dict(json.loads((ROOT / STATE_MACHINES[logical_id]["Properties"]["DefinitionUri"]).read_text()))


def statements(resource: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for policy in resource["Properties"].get("Policies", []):
        if isinstance(policy, dict) and "Statement" in policy:
            found += policy["Statement"]
    return found


def actions(statement: dict[str, Any]) -> list[str]:
    value = statement["Action"]
    return value if isinstance(value, list) else [value]


def all_states(states: dict[str, Any]) -> dict[str, Any]:
    out = dict(states)
    for state in states.values():
        for branch in state.get("Branches", []):
            out.update(all_states(branch["States"]))
        if "Iterator" in state:
            out.update(all_states(state["Iterator"]["States"]))
        if "ItemProcessor" in state:
            out.update(all_states(state["ItemProcessor"]["States"]))
    return out


@pytest.mark.parametrize("logical_id", sorted(STATE_MACHINES))
def test_every_placeholder_has_a_substitution_and_back(logical_id: str) -> None:
    text = (ROOT / STATE_MACHINES[logical_id]["Properties"]["DefinitionUri"]).read_text()
    placeholders = set(re.findall(r"\$\{(\w+)\}", text))
    substitutions = set(STATE_MACHINES[logical_id]["Properties"].get("DefinitionSubstitutions", {}))
    assert placeholders == substitutions


@pytest.mark.parametrize("logical_id", sorted(STATE_MACHINES))
def test_the_definition_parses_as_jsonpath_asl(logical_id: str) -> None:
    text = (ROOT / STATE_MACHINES[logical_id]["Properties"]["DefinitionUri"]).read_text()
    program, _ = AmazonStateLanguageParser.parse(
        re.sub(r"\$\{(\w+)\}", "arn:aws:lambda:us-east-1:123456789012:function:x", text)
    )
    assert program is not None
    assert "JSONata" not in text


# process-upload's steps after Register fail the execution where they fail, so that RedriveExecution
# reruns that very step (a caught error would end in a Fail state, which a redrive only re-enters);
# the record-upload-failure workflow marks the file FAILED from the execution's status change.
REDRIVE_POINTS = {
    "Admit",
    "Validate",
    "DiscardRefusedUpload",
    "TagVerdict",
    "MintShareToken",
    "StoreShare",
    "IndexReady",
    "PublishFileReady",
    "IndexRejection",
    "PublishFileRejected",
    "LoadRequest",
    "PublishRequestFileReceived",
}


@pytest.mark.parametrize("logical_id", sorted(STATE_MACHINES))
def test_every_task_retries_transient_errors_and_catches_the_rest(logical_id: str) -> None:
    tasks = {name: s for name, s in all_states(definition(logical_id)["States"]).items() if s["Type"] == "Task"}
    assert tasks
    redrive_points = REDRIVE_POINTS if logical_id == "ProcessUploadStateMachine" else set()
    for name, task in tasks.items():
        assert task.get("Retry"), f"{name} has no Retry"
        assert all(r.get("BackoffRate", 1) > 1 and r.get("JitterStrategy") == "FULL" for r in task["Retry"]), name
        catches_all = any("States.ALL" in c["ErrorEquals"] for c in task.get("Catch", []))
        assert catches_all != (name in redrive_points), f"{name}: catches everything: {catches_all}"


THROTTLES = {
    "Lambda.TooManyRequestsException",
    "DynamoDB.ProvisionedThroughputExceededException",
    "DynamoDb.ProvisionedThroughputExceededException",
    "S3.SlowDownException",
    "EventBridge.ThrottlingException",
}
STANDARD_MACHINES = sorted(k for k, v in STATE_MACHINES.items() if v["Properties"]["Type"] == "STANDARD")


@pytest.mark.parametrize("logical_id", STANDARD_MACHINES)
def test_a_background_workflow_rides_out_a_burst_of_throttling(logical_id: str) -> None:
    # Nobody waits on a Standard workflow, so a throttle is retried six times (a step fails only when
    # seven answers in a row are refused) with full jitter, each pause at most 8 s.
    tasks = {name: s for name, s in all_states(definition(logical_id)["States"]).items() if s["Type"] == "Task"}
    for name, task in tasks.items():
        [retrier] = [r for r in task["Retry"] if THROTTLES & set(r["ErrorEquals"])]
        assert retrier["MaxAttempts"] >= 6 and retrier["MaxDelaySeconds"] <= 8, name


def test_a_failed_upload_execution_is_recorded_from_its_status_change() -> None:
    machine = STATE_MACHINES["RecordUploadFailureStateMachine"]["Properties"]
    [event] = machine["Events"].values()
    pattern = event["Properties"]["Pattern"]
    assert pattern["source"] == ["aws.states"]
    assert pattern["detail"]["stateMachineArn"] == [{"Ref": "ProcessUploadStateMachine"}]
    assert set(pattern["detail"]["status"]) == {"FAILED", "TIMED_OUT", "ABORTED"}
    assert event["Properties"]["DeadLetterConfig"] and event["Properties"]["RetryPolicy"]
    states = definition("ProcessUploadStateMachine")["States"]
    # Fail states only where a redrive could not help: an upload we never issued, an inconclusive scan.
    assert {name for name, s in states.items() if s["Type"] == "Fail"} == {"UnrecognisedUpload", "ScanFailed"}
    assert "Catch" not in states["Scan"]  # a branch that fails is rerun by a redrive


def test_every_lambda_task_invokes_a_function_of_the_template() -> None:
    for logical_id, machine in STATE_MACHINES.items():
        substitutions = machine["Properties"].get("DefinitionSubstitutions", {})
        for name, state in all_states(definition(logical_id)["States"]).items():
            if state.get("Resource") == "arn:aws:states:::lambda:invoke":
                placeholder = state["Parameters"]["FunctionName"].strip("${}")
                target = substitutions[placeholder]["Fn::GetAtt"][0]
                assert target in FUNCTIONS, name
                invoked = [
                    p["LambdaInvokePolicy"]["FunctionName"]["Ref"]
                    for p in machine["Properties"]["Policies"]
                    if "LambdaInvokePolicy" in p
                ]
                assert target in invoked, f"{logical_id} may not invoke {target}"


def test_api_functions_only_read_state() -> None:
    assert set(API_FUNCTIONS) == {
        "UploadsApiFunction",
        "FilesApiFunction",
        "PublicSharesApiFunction",
        "PublicRequestsApiFunction",
        "SharesApiFunction",
        "OpsApiFunction",
    }
    for logical_id, function in API_FUNCTIONS.items():
        for statement in statements(function):
            for action in actions(statement):
                assert not WRITE_ACTIONS.match(action), f"{logical_id} may {action}"


def test_every_function_has_its_own_scoped_policy() -> None:
    for logical_id, function in FUNCTIONS.items():
        own = statements(function)
        assert own, f"{logical_id} has no policy of its own"
        for statement in own:
            assert statement["Resource"] != "*", f"{logical_id}: {statement['Sid']} is not scoped"
            assert not any(a.endswith(":*") for a in actions(statement)), logical_id


def test_runtime_and_observability_are_set_once_for_all_functions() -> None:
    globals_ = TEMPLATE["Globals"]["Function"]
    assert globals_["Runtime"] == "python3.13"
    assert globals_["Architectures"] == ["arm64"]
    assert globals_["Tracing"] == "Active"
    assert {"POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE"} <= set(globals_["Environment"]["Variables"])


def test_no_function_records_its_answers_in_traces() -> None:
    # Answers hold share links, presigned URLs and POST policies (tests/unit/test_tracing.py runs the
    # handlers with the tracer on); no function may turn response capture back on.
    assert TEMPLATE["Globals"]["Function"]["Environment"]["Variables"]["POWERTOOLS_TRACER_CAPTURE_RESPONSE"] == "false"
    for logical_id, function in FUNCTIONS.items():
        own = function["Properties"].get("Environment", {}).get("Variables", {})
        assert "POWERTOOLS_TRACER_CAPTURE_RESPONSE" not in own, logical_id


def test_the_uploads_bucket_is_private_encrypted_versioned_and_notifies_eventbridge() -> None:
    props = RESOURCES["UploadsBucket"]["Properties"]
    assert all(props["PublicAccessBlockConfiguration"].values())
    assert props["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert props["VersioningConfiguration"]["Status"] == "Enabled"
    assert props["NotificationConfiguration"]["EventBridgeConfiguration"]["EventBridgeEnabled"] is True
    [cors] = props["CorsConfiguration"]["CorsRules"]
    assert "ETag" in cors["ExposedHeaders"]
    assert {"POST", "PUT"} <= set(cors["AllowedMethods"])
    rules = props["LifecycleConfiguration"]["Rules"]
    assert any(r.get("AbortIncompleteMultipartUpload", {}).get("DaysAfterInitiation") for r in rules)


def test_the_bucket_policy_denies_plain_http_unclean_reads_and_foreign_tag_writes() -> None:
    statements_ = {s["Sid"]: s for s in RESOURCES["UploadsBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]}
    tls = statements_["DenyInsecureTransport"]
    assert tls["Effect"] == "Deny" and tls["Condition"]["Bool"]["aws:SecureTransport"] == "false"
    reads = statements_["DenyReadingUnlessClean"]
    assert reads["Effect"] == "Deny" and "s3:GetObject" in reads["Action"]
    assert reads["Condition"]["StringNotEquals"]["s3:ExistingObjectTag/verdict"] == "clean"
    principals = reads["Condition"]["ArnNotEquals"]["aws:PrincipalArn"]
    exempt = {r["Fn::GetAtt"][0] for r in principals if "Fn::GetAtt" in r}
    # Only the steps that must read unscanned bytes are exempt (and GuardDuty's scanner, when it is
    # the engine); the download signer is not.
    assert exempt == {"DescribeUploadFunctionRole", "ValidateUploadFunctionRole", "ScanUploadFunctionRole"}
    [guardduty] = [r["Fn::If"] for r in principals if "Fn::If" in r]
    assert guardduty == [
        "UseGuardDuty",
        {"Fn::GetAtt": ["GuardDutyMalwareProtectionRole", "Arn"]},
        {"Ref": "AWS::NoValue"},
    ]
    tags = statements_["OnlyTheWorkflowTags"]
    assert "s3:PutObjectTagging" in tags["Action"]
    assert tags["Condition"]["ArnNotEquals"]["aws:PrincipalArn"] == {
        "Fn::GetAtt": ["ProcessUploadStateMachineRole", "Arn"]
    }


def test_the_table_is_on_demand_with_ttl_and_point_in_time_recovery() -> None:
    props = RESOURCES["Table"]["Properties"]
    assert props["BillingMode"] == "PAY_PER_REQUEST"
    assert props["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}
    assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert [i["IndexName"] for i in props["GlobalSecondaryIndexes"]] == ["gsi1", "gsi2", "gsi3", "gsi4"]


def test_the_upload_rule_retries_and_dead_letters() -> None:
    event = STATE_MACHINES["ProcessUploadStateMachine"]["Properties"]["Events"]["UploadCreated"]
    props = event["Properties"]
    assert props["Pattern"]["source"] == ["aws.s3"]
    assert props["Pattern"]["detail"]["object"]["key"] == [{"prefix": "uploads/"}]
    assert props["RetryPolicy"]["MaximumRetryAttempts"] > 0
    assert props["DeadLetterConfig"]["Arn"] == {"Fn::GetAtt": ["UploadEventsDeadLetterQueue", "Arn"]}


def test_the_http_api_checks_cognito_jwts_by_default() -> None:
    auth = RESOURCES["HttpApi"]["Properties"]["Auth"]
    jwt = auth["Authorizers"][auth["DefaultAuthorizer"]]["JwtConfiguration"]
    assert "cognito-idp" in jwt["issuer"]["Fn::Sub"]
    public = [
        (e["Properties"]["Method"], e["Properties"]["Path"])
        for f in FUNCTIONS.values()
        for e in f["Properties"].get("Events", {}).values()
        if e["Type"] == "HttpApi" and e["Properties"].get("Auth", {}).get("Authorizer") == "NONE"
    ]
    assert all(path.startswith("/public/") or path == "$default" for _, path in public)


def test_the_app_client_has_no_secret_and_operators_have_a_group() -> None:
    assert RESOURCES["UserPoolClient"]["Properties"]["GenerateSecret"] is False
    assert RESOURCES["OperatorsGroup"]["Properties"]["GroupName"] == "operators"


def test_commands_are_synchronous_express_workflows_started_only_by_their_api_functions() -> None:
    commands = {
        "CreateShareStateMachine",
        "RevokeShareStateMachine",
        "DeleteFileStateMachine",
        "RedeemShareStateMachine",
        "RedriveExecutionStateMachine",
        "ReconcileStateMachine",
        "SendShareEmailStateMachine",
        "UpdateNotificationsStateMachine",
        "CreateRequestStateMachine",
        "CloseRequestStateMachine",
        "RedeemRequestStateMachine",
    }
    assert {k for k, v in STATE_MACHINES.items() if v["Properties"]["Type"] == "EXPRESS"} == commands
    starters: dict[str, set[str]] = {}
    for logical_id, function in FUNCTIONS.items():
        for statement in statements(function):
            if "states:StartSyncExecution" in actions(statement):
                resources = (
                    statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
                )
                for resource in resources:
                    starters.setdefault(resource["Ref"], set()).add(logical_id)
    assert starters == {
        "CreateShareStateMachine": {"SharesApiFunction"},
        "RevokeShareStateMachine": {"SharesApiFunction"},
        "DeleteFileStateMachine": {"SharesApiFunction"},
        "RedeemShareStateMachine": {"PublicSharesApiFunction"},
        "RedriveExecutionStateMachine": {"OpsApiFunction"},
        "ReconcileStateMachine": {"OpsApiFunction"},
        "SendShareEmailStateMachine": {"SharesApiFunction"},
        "UpdateNotificationsStateMachine": {"SharesApiFunction"},
        "CreateRequestStateMachine": {"SharesApiFunction"},
        "CloseRequestStateMachine": {"SharesApiFunction"},
        "RedeemRequestStateMachine": {"PublicRequestsApiFunction"},
    }


def test_the_sweep_runs_on_a_schedule_and_s3_lifecycle_is_the_backstop() -> None:
    sweep = STATE_MACHINES["SweepExpiredStateMachine"]["Properties"]
    assert sweep["Type"] == "STANDARD"
    [event] = sweep["Events"].values()
    assert event["Type"] == "Schedule"
    rules = RESOURCES["UploadsBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    assert any(r.get("ExpirationInDays") == {"Ref": "LifecycleBackstopDays"} for r in rules)


def test_infected_uploads_are_quarantined_under_a_lifecycle_rule() -> None:
    rules = {r["Id"]: r for r in RESOURCES["UploadsBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]}
    quarantine = rules["quarantine-infected"]
    assert quarantine["TagFilters"] == [{"Key": "verdict", "Value": "infected"}]
    assert quarantine["ExpirationInDays"] == {"Ref": "QuarantineDays"}


def test_reconciliation_runs_hourly_and_only_reports() -> None:
    [event] = STATE_MACHINES["ReconcileStateMachine"]["Properties"]["Events"].values()
    assert event["Type"] == "Schedule" and json.loads(event["Properties"]["Input"]) == {"repair": False}


# --- alarms, dashboard, logs --------------------------------------------------------------------

ALARMS = {k: v["Properties"] for k, v in RESOURCES.items() if v["Type"] == "AWS::CloudWatch::Alarm"}
# The AWS metrics the alarms and the dashboard use, and the resource type each dimension names.
AWS_METRICS = {
    ("AWS/States", "ExecutionsFailed"): {"StateMachineArn": "AWS::Serverless::StateMachine"},
    ("AWS/States", "ExecutionsTimedOut"): {"StateMachineArn": "AWS::Serverless::StateMachine"},
    ("AWS/States", "ExecutionTime"): {"StateMachineArn": "AWS::Serverless::StateMachine"},
    ("AWS/SQS", "ApproximateNumberOfMessagesVisible"): {"QueueName": "AWS::SQS::Queue"},
    ("AWS/Lambda", "Errors"): {"FunctionName": "AWS::Serverless::Function"},
    ("AWS/Lambda", "Throttles"): {"FunctionName": "AWS::Serverless::Function"},
    ("AWS/ApiGateway", "5xx"): {"ApiId": "AWS::Serverless::HttpApi", "Stage": None},
}


def emitted_metrics() -> set[str]:
    """The metric names the functions emit with Powertools (``metrics.add_metric(name=...)``)."""
    code = "\n".join(p.read_text() for p in (ROOT / "functions" / "fileshare").rglob("*.py"))
    return set(re.findall(r'add_metric\(\s*name="(\w+)"', code))


def referenced(value: Any) -> str | None:
    """The logical id a dimension value names (``!Ref X``, ``!GetAtt X.Attr``), if any."""
    if isinstance(value, dict) and "Ref" in value:
        return str(value["Ref"])
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return str(value["Fn::GetAtt"][0])
    return None


def test_every_alarm_watches_a_metric_that_exists_and_notifies_the_topic() -> None:
    own = emitted_metrics()
    documented = (ROOT / "docs" / "operations.md").read_text()
    namespace = TEMPLATE["Globals"]["Function"]["Environment"]["Variables"]["POWERTOOLS_METRICS_NAMESPACE"]
    assert len(ALARMS) > 30
    for name, alarm in ALARMS.items():
        assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}], name
        key = (alarm["Namespace"], alarm["MetricName"])
        dimensions = {d["Name"]: d["Value"] for d in alarm["Dimensions"]}
        if alarm["Namespace"] == namespace:
            # Our own metrics: emitted by a function, with Powertools' service dimension, and documented.
            assert alarm["MetricName"] in own, f"{name}: nothing emits {alarm['MetricName']}"
            assert dimensions == {"service": "fileshare"}, name
            assert f"`{alarm['MetricName']}`" in documented, f"{alarm['MetricName']} is not in docs/operations.md"
        else:
            assert key in AWS_METRICS, f"{name}: {key} is not a metric we know AWS publishes"
            assert set(dimensions) == set(AWS_METRICS[key]), name
            for dimension, value in dimensions.items():
                kind = AWS_METRICS[key][dimension]
                if kind is not None:
                    target = referenced(value)
                    assert target in RESOURCES and RESOURCES[target]["Type"] == kind, (name, dimension)


def test_every_function_has_error_and_throttle_alarms_and_the_issue_s_alarms_exist() -> None:
    watched = {(a["MetricName"], referenced(a["Dimensions"][0]["Value"])) for a in ALARMS.values()}
    for function in FUNCTIONS:
        assert ("Errors", function) in watched and ("Throttles", function) in watched, function
    assert {
        ("ExecutionsFailed", "ProcessUploadStateMachine"),
        ("ExecutionsTimedOut", "ProcessUploadStateMachine"),
        ("ApproximateNumberOfMessagesVisible", "UploadEventsDeadLetterQueue"),
        ("5xx", "HttpApi"),
    } <= watched
    assert any(a["MetricName"] == "CommandsFailed" for a in ALARMS.values())


def test_the_dashboard_draws_only_metrics_that_exist() -> None:
    body = json.loads(
        re.sub(r"\$\{[^}]+\}", "x", RESOURCES["OperationsDashboard"]["Properties"]["DashboardBody"]["Fn::Sub"])
    )
    titles = {w["properties"]["title"] for w in body["widgets"]}
    assert {"Uploads per verdict", "Downloads", "Errors", "Upload dead-letter queue depth"} <= titles
    assert any("duration" in t for t in titles)
    own = emitted_metrics()
    for widget in body["widgets"]:
        for metric in widget["properties"]["metrics"]:
            namespace, name = metric[0], metric[1]
            assert name in own if namespace == "Fileshare" else (namespace, name) in AWS_METRICS, metric


def test_every_log_group_has_a_retention_and_every_function_and_workflow_has_one() -> None:
    groups = {k: v["Properties"] for k, v in RESOURCES.items() if v["Type"] == "AWS::Logs::LogGroup"}
    for name, group in groups.items():
        assert group.get("RetentionInDays") == {"Ref": "LogRetentionDays"}, name
    # Lambda creates /aws/lambda/<name> without a retention unless the template declares it first.
    declared = {g["LogGroupName"]["Fn::Sub"] for g in groups.values() if "LogGroupName" in g}
    for function in FUNCTIONS:
        assert f"/aws/lambda/${{{function}}}" in declared, f"{function} has no log group with a retention"
    for logical_id, machine in STATE_MACHINES.items():
        [destination] = machine["Properties"]["Logging"]["Destinations"]
        assert referenced(destination["CloudWatchLogsLogGroup"]["LogGroupArn"]) in groups, logical_id
    access = RESOURCES["HttpApi"]["Properties"]["AccessLogSettings"]["DestinationArn"]
    assert referenced(access) in groups


def test_the_alarm_topic_is_encrypted_and_its_email_subscription_optional() -> None:
    assert RESOURCES["AlarmTopic"]["Properties"]["KmsMasterKeyId"]
    assert RESOURCES["AlarmEmailSubscription"]["Condition"] == "HasAlarmEmail"
    assert TEMPLATE["Parameters"]["AlarmEmail"]["Default"] == ""


def test_guardduty_is_wired_only_when_it_is_the_engine() -> None:
    plan = RESOURCES["UploadsMalwareProtectionPlan"]
    assert plan["Condition"] == "UseGuardDuty"
    assert plan["Properties"]["ProtectedResource"]["S3Bucket"]["ObjectPrefixes"] == ["uploads/"]
    assert plan["Properties"]["Actions"]["Tagging"]["Status"] == "DISABLED"  # only the workflow tags
    [event] = FUNCTIONS["GuardDutyResultFunction"]["Properties"]["Events"].values()
    assert event["Properties"]["Pattern"]["detail-type"] == ["GuardDuty Malware Protection Object Scan Result"]
    assert event["Properties"]["DeadLetterConfig"]


def test_only_our_own_rules_may_dead_letter_into_the_queue() -> None:
    queue = {"Fn::GetAtt": ["UploadEventsDeadLetterQueue", "Arn"]}
    dead_lettering = {
        f"{owner}{event_id}"  # the logical id SAM gives the rule it generates for the event
        for owner, resource in RESOURCES.items()
        for event_id, event in resource.get("Properties", {}).get("Events", {}).items()
        if event["Type"] == "EventBridgeRule" and event["Properties"].get("DeadLetterConfig", {}).get("Arn") == queue
    }
    assert dead_lettering == {
        "ProcessUploadStateMachineUploadCreated",
        "GuardDutyResultFunctionScanResult",
        "RecordUploadFailureStateMachineProcessUploadStopped",
    }
    policy = RESOURCES["UploadEventsDeadLetterQueuePolicy"]["Properties"]["PolicyDocument"]
    [allow] = [s for s in policy["Statement"] if s["Effect"] == "Allow"]
    assert allow["Principal"] == {"Service": "events.amazonaws.com"} and allow["Action"] == "sqs:SendMessage"
    sources = allow["Condition"]["ArnEquals"]["aws:SourceArn"]
    assert sorted(sources, key=str) == sorted(({"Fn::GetAtt": [rule, "Arn"]} for rule in dead_lettering), key=str)


def role_statements() -> dict[str, list[dict[str, Any]]]:
    """Every role's own statements: SAM functions' and state machines' Policies, and IAM roles."""
    found = {k: statements(v) for k, v in RESOURCES.items() if k in FUNCTIONS or k in STATE_MACHINES}
    for logical_id, resource in RESOURCES.items():
        if resource["Type"] == "AWS::IAM::Role":
            found[logical_id] = [
                s for p in resource["Properties"].get("Policies", []) for s in p["PolicyDocument"]["Statement"]
            ]
    return found


KMS_DATA_ACTIONS = {"kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey"}


def key_users(key: str) -> dict[str, list[dict[str, Any]]]:
    """Roles whose own statements may use ``key`` for data, with the condition of each such statement."""
    users: dict[str, list[dict[str, Any]]] = {}
    for logical_id, own in role_statements().items():
        for statement in own:
            if KMS_DATA_ACTIONS & set(actions(statement)):
                assert statement["Resource"] in ({"Fn::GetAtt": [k, "Arn"]} for k in ("TokenKey", "DeadLetterKey"))
                if statement["Resource"] == {"Fn::GetAtt": [key, "Arn"]}:
                    users.setdefault(logical_id, []).append(statement.get("Condition", {}))
    return users


def test_the_token_key_is_used_only_with_the_encryption_context_the_code_passes() -> None:
    file_link = token_context(file_id="0" * 32, share_id="1" * 16)
    several = token_context(owner_id="o", share_id="1" * 16)
    request = request_token_context(request_id="2" * 16)
    # Which context each role may use: a file's link everywhere; a link to several files only where
    # such links are minted (MintShareFunction) and shown to their owner (SharesApiFunction); a file
    # request's token where requests are minted and shown to their owner.
    expected = {
        "FilesApiFunction": [file_link, request],
        "SharesApiFunction": [file_link, several, request],
        "MintShareFunction": [file_link, several, request],
        "MailerFunction": [file_link],
    }
    users: dict[str, list[dict[str, Any]]] = {}
    for logical_id, own in role_statements().items():
        for statement in own:
            token_key = statement["Resource"] == {"Fn::GetAtt": ["TokenKey", "Arn"]}
            if token_key and KMS_DATA_ACTIONS & set(actions(statement)):
                users.setdefault(logical_id, []).append(statement.get("Condition", {}))
    assert set(users) == set(expected)
    for logical_id, conditions in users.items():
        contexts = []
        for condition in conditions:
            keys = sorted(condition.get("ForAllValues:StringEquals", {}).get("kms:EncryptionContextKeys") or [])
            assert condition.get("Null") == {f"kms:EncryptionContext:{key}": "false" for key in keys}, logical_id
            contexts.append(keys)
        assert sorted(contexts) == sorted(sorted(c) for c in expected[logical_id]), logical_id


def test_the_guardduty_rendezvous_functions_may_write_only_scan_items() -> None:
    for logical_id in ("AwaitScanFunction", "GuardDutyResultFunction"):
        writes = [s for s in statements(FUNCTIONS[logical_id]) if any(a.startswith("dynamodb:") for a in actions(s))]
        assert writes, logical_id
        for statement in writes:
            assert actions(statement) == ["dynamodb:UpdateItem"], logical_id
            [pattern] = statement["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"]
            assert pattern == f"{PARTITION_PREFIX}*", logical_id
            # The items the code really writes match; file, share and owner items do not.
            assert fnmatch.fnmatchcase(rendezvous_key("bucket", "uploads/o/f", "v1")["pk"]["S"], pattern)
            for other in (file_pk("0" * 32), share_pk("a" * 64)):
                assert not fnmatch.fnmatchcase(other, pattern), other


def test_the_lifecycle_backstop_expires_uploads_at_least_a_day_after_the_sweep_would() -> None:
    # CloudFormation Rules cannot compare numbers, so the defaults are checked here: if S3 expired an
    # object first, a READY file with live links would lose its bytes before the sweep marks it EXPIRED.
    parameters = TEMPLATE["Parameters"]
    retention_seconds = int(parameters["FileRetentionSeconds"]["Default"])
    backstop_days = int(parameters["LifecycleBackstopDays"]["Default"])
    rules = {r["Id"]: r for r in RESOURCES["UploadsBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]}
    backstop = rules["expiry-backstop"]
    assert backstop["Prefix"] == "uploads/" and backstop["ExpirationInDays"] == {"Ref": "LifecycleBackstopDays"}
    # S3 counts from the object's creation (rounding up to midnight UTC, never earlier); the sweep
    # runs hourly (SweepSchedule), so one day covers it.
    assert parameters["SweepSchedule"]["Default"] == "rate(1 hour)"
    assert backstop_days * 86400 >= retention_seconds + 86400


def test_each_api_function_has_a_reserved_concurrency_that_fits_a_default_account() -> None:
    # Reserved per function: a flood on one public route cannot starve the other routes or the
    # upload workflow's functions, which stay unreserved.
    for logical_id in API_FUNCTIONS:
        assert FUNCTIONS[logical_id]["Properties"].get("ReservedConcurrentExecutions") == {
            "Ref": "ApiReservedConcurrency"
        }, logical_id
    for logical_id in set(FUNCTIONS) - set(API_FUNCTIONS):
        assert "ReservedConcurrentExecutions" not in FUNCTIONS[logical_id]["Properties"], logical_id
    parameter = TEMPLATE["Parameters"]["ApiReservedConcurrency"]
    assert parameter["MinValue"] >= 1  # 0 would throttle every call
    # Lambda keeps 100 of the account's concurrency (1000 by default) unreserved.
    assert len(API_FUNCTIONS) * int(parameter["Default"]) + 100 <= 1000


def test_the_dead_letter_queue_is_encrypted_with_its_own_key_that_only_its_senders_use() -> None:
    queue = RESOURCES["UploadEventsDeadLetterQueue"]["Properties"]
    assert queue["KmsMasterKeyId"] == {"Fn::GetAtt": ["DeadLetterKey", "Arn"]}  # a customer managed key
    key = RESOURCES["DeadLetterKey"]["Properties"]
    assert key["EnableKeyRotation"] is True
    statements_ = {s["Sid"]: s for s in key["KeyPolicy"]["Statement"]}
    assert set(statements_) == {"AccountAdministers", "EventBridgeDeadLetters"}
    events = statements_["EventBridgeDeadLetters"]
    assert events["Principal"] == {"Service": "events.amazonaws.com"}
    assert set(events["Action"]) == {"kms:GenerateDataKey", "kms:Decrypt"}
    assert events["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    assert "kms:EncryptionContext:aws:sqs:arn" in events["Condition"]["ArnLike"]
    # The functions that dead-letter through their EventInvokeConfig may encrypt for their own queue only.
    own_queues = {
        "GuardDutyResultFunction": "UploadEventsDeadLetterQueue",
        "MailerFunction": "MailEventsDeadLetterQueue",
    }
    assert RESOURCES["MailEventsDeadLetterQueue"]["Properties"]["KmsMasterKeyId"] == queue["KmsMasterKeyId"]
    assert key_users("DeadLetterKey") == {
        function: [{"StringEquals": {"kms:EncryptionContext:aws:sqs:arn": {"Fn::GetAtt": [own, "Arn"]}}}]
        for function, own in own_queues.items()
    }
    for function, own in own_queues.items():
        destination = FUNCTIONS[function]["Properties"]["EventInvokeConfig"]["DestinationConfig"]
        assert destination["OnFailure"]["Destination"] == {"Fn::GetAtt": [own, "Arn"]}


def test_the_uploads_bucket_logs_access_into_a_private_bucket_only_s3_logging_writes() -> None:
    logging = RESOURCES["UploadsBucket"]["Properties"]["LoggingConfiguration"]
    assert logging["DestinationBucketName"] == {"Ref": "AccessLogsBucket"}
    logs = RESOURCES["AccessLogsBucket"]["Properties"]
    assert all(logs["PublicAccessBlockConfiguration"].values())
    assert logs["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    [encryption] = logs["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"  # the only kind S3 logs to
    [expiry] = logs["LifecycleConfiguration"]["Rules"]
    assert expiry["ExpirationInDays"] == {"Ref": "LogRetentionDays"}
    policy = RESOURCES["AccessLogsBucketPolicy"]["Properties"]
    assert policy["Bucket"] == {"Ref": "AccessLogsBucket"}
    statements_ = {s["Sid"]: s for s in policy["PolicyDocument"]["Statement"]}
    assert set(statements_) == {"UploadsBucketAccessLogs", "DenyInsecureTransport"}
    delivery = statements_["UploadsBucketAccessLogs"]
    assert delivery["Principal"] == {"Service": "logging.s3.amazonaws.com"} and delivery["Action"] == "s3:PutObject"
    assert delivery["Resource"] == {"Fn::Sub": f"${{AccessLogsBucket.Arn}}/{logging['LogFilePrefix']}*"}
    assert delivery["Condition"]["ArnLike"]["aws:SourceArn"] == {"Fn::GetAtt": ["UploadsBucket", "Arn"]}
    assert delivery["Condition"]["StringEquals"]["aws:SourceAccount"] == {"Ref": "AWS::AccountId"}
    assert statements_["DenyInsecureTransport"]["Condition"]["Bool"]["aws:SecureTransport"] == "false"


def test_every_security_scanner_skip_gives_a_reason_and_no_fix_is_skipped() -> None:
    # make lint runs checkov: a failed check fails the build unless its resource skips it here.
    skips = [
        (logical_id, skip)
        for logical_id, resource in RESOURCES.items()
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", [])
    ]
    assert skips
    for logical_id, skip in skips:
        assert re.fullmatch(r"CKV_AWS_\d+", skip["id"]), logical_id
        assert len(skip.get("comment", "").split()) >= 8, f"{logical_id} skips {skip['id']} without a reason"
    # What protects users was fixed, never skipped: reserved concurrency on the API functions,
    # access logs for the uploads bucket, encryption of the dead-letter queue.
    fixed = {(f, "CKV_AWS_115") for f in API_FUNCTIONS} | {
        ("UploadsBucket", "CKV_AWS_18"),
        ("UploadEventsDeadLetterQueue", "CKV_AWS_27"),
    }
    assert not fixed & {(logical_id, skip["id"]) for logical_id, skip in skips}


def test_a_default_deploy_scans_with_guardduty_and_the_project_rules_beside_it() -> None:
    engine = TEMPLATE["Parameters"]["ScannerEngine"]
    assert engine["Default"] == "guardduty"
    # yara alone must say what it is: the project's own rules, not a malware scanner
    assert "yara: the project's own rules ONLY" in engine["Description"]
    assert "real malware is NOT detected" in engine["Description"]
    # the rules run in every deploy; with guardduty they are YARA's
    scan = FUNCTIONS["ScanUploadFunction"]["Properties"]["Environment"]["Variables"]["SCANNER_ENGINE"]
    assert scan == {"Fn::If": ["UseGuardDuty", "yara", {"Ref": "ScannerEngine"}]}
    substitutions = STATE_MACHINES["ProcessUploadStateMachine"]["Properties"]["DefinitionSubstitutions"]
    assert substitutions["ScannerEngine"] == {"Ref": "ScannerEngine"}
    # and the choice is visible after a deploy
    output = TEMPLATE["Outputs"]["ScannerEngine"]
    assert output["Value"] == {"Ref": "ScannerEngine"} and "real malware is not detected" in output["Description"]


def test_only_an_explicit_clean_from_every_engine_leads_to_ready() -> None:
    states = definition("ProcessUploadStateMachine")["States"]
    clean = states["Clean"]
    assert clean["Default"] != "OutcomeReady"
    [to_ready] = [c for c in clean["Choices"] if c["Next"] == "OutcomeReady"]
    assert to_ready == {
        "And": [
            {"Variable": "$.scan.rules.verdict", "StringEquals": "CLEAN"},
            {
                "Or": [
                    {"Variable": "$.scan.guardduty.verdict", "StringEquals": "CLEAN"},
                    {"Variable": "$.scan.guardduty.verdict", "StringEquals": "NOT_USED"},
                ]
            },
        ],
        "Next": "OutcomeReady",
    }
    # malware from either engine is judged before anything else can be
    verdicts = [(c.get("Variable"), c.get("StringEquals"), c["Next"]) for c in clean["Choices"]]
    assert verdicts[1:3] == [
        ("$.scan.rules.verdict", "INFECTED", "OutcomeInfected"),
        ("$.scan.guardduty.verdict", "INFECTED", "OutcomeInfectedByGuardDuty"),
    ]
    assert [s for s, state in all_states(states).items() if state.get("Next") == "OutcomeReady"] == []


def test_the_largest_upload_and_its_unpacked_members_fit_in_the_scan_steps_storage() -> None:
    # The scan step spools the object and unpacks archives beside it; neither may fill /tmp.
    parameter = TEMPLATE["Parameters"]["MaxUploadBytes"]
    scan = FUNCTIONS["ScanUploadFunction"]["Properties"]
    budget = int(scan["Environment"]["Variables"]["ARCHIVE_MAX_EXPANDED_BYTES"])
    storage = scan["EphemeralStorage"]["Size"] * 2**20
    assert parameter["Default"] <= parameter["MaxValue"]
    assert parameter["MaxValue"] + budget + SCRATCH_RESERVE_BYTES <= storage


def test_the_mailer_reads_the_app_bus_with_a_retry_policy_and_its_own_alarmed_dead_letter_queue() -> None:
    mailer = FUNCTIONS["MailerFunction"]
    assert mailer["Condition"] == "SendsMail" and TEMPLATE["Parameters"]["MailFromAddress"]["Default"] == ""
    events = mailer["Properties"]["Events"]
    assert {e["Properties"]["Pattern"]["detail-type"][0] for e in events.values()} == {
        "ShareEmailRequested",
        "FileRejected",
        "RequestFileReceived",
    }  # FileReady is not mailed (docs/decisions.md)
    for event in events.values():
        props = event["Properties"]
        assert props["EventBusName"] == {"Ref": "AppEventBus"} and props["Pattern"]["source"] == ["fileshare"]
        assert props["RetryPolicy"]["MaximumRetryAttempts"] > 0
        assert props["DeadLetterConfig"]["Arn"] == {"Fn::GetAtt": ["MailEventsDeadLetterQueue", "Arn"]}
    policy = RESOURCES["MailEventsDeadLetterQueuePolicy"]["Properties"]["PolicyDocument"]
    [allow] = [s for s in policy["Statement"] if s["Effect"] == "Allow"]
    assert allow["Condition"]["ArnEquals"]["aws:SourceArn"] == [
        {"Fn::GetAtt": [f"MailerFunction{event_id}", "Arn"]} for event_id in events
    ]
    watched = {referenced(a["Dimensions"][0]["Value"]) for a in ALARMS.values()}
    assert "MailEventsDeadLetterQueue" in watched


def test_the_mailer_sends_only_from_the_configured_address_and_finds_owners_in_its_own_pool() -> None:
    own = {s["Sid"]: s for s in statements(FUNCTIONS["MailerFunction"])}
    send = own["SendFromTheConfiguredAddress"]
    assert actions(send) == ["ses:SendEmail"]
    assert send["Condition"] == {"StringEquals": {"ses:FromAddress": {"Ref": "MailFromAddress"}}}
    assert all("identity/" in json.dumps(r) or "configuration-set/" in json.dumps(r) for r in send["Resource"])
    assert own["FindOwnersAddresses"]["Resource"] == {"Fn::GetAtt": ["UserPool", "Arn"]}
    assert actions(own["FindOwnersAddresses"]) == ["cognito-idp:ListUsers"]
    assert not any(WRITE_ACTIONS.match(a) for s in own.values() for a in actions(s) if a.startswith("dynamodb:"))
