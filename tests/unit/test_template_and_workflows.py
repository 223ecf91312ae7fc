"""Static checks of template.yaml and the ASL files: wiring, retries, least privilege, deny by default."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from moto.stepfunctions.parser.asl.parse.asl_parser import AmazonStateLanguageParser

from devstack.template import load_template
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
# API functions may start command workflows (that is how they change anything) but write nothing.
WRITE_ACTIONS = re.compile(
    r"^(dynamodb:(Put|Update|Delete|BatchWrite|TransactWrite)|s3:(PutObjectTagging|PutObjectVersionTagging|Delete)"
    r"|events:PutEvents|states:(?!StartSyncExecution$))"
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


@pytest.mark.parametrize("logical_id", sorted(STATE_MACHINES))
def test_every_task_retries_transient_errors_and_catches_the_rest(logical_id: str) -> None:
    tasks = {name: s for name, s in all_states(definition(logical_id)["States"]).items() if s["Type"] == "Task"}
    assert tasks
    for name, task in tasks.items():
        assert task.get("Retry"), f"{name} has no Retry"
        assert all(r.get("BackoffRate", 1) > 1 and r.get("JitterStrategy") == "FULL" for r in task["Retry"]), name
        assert any("States.ALL" in c["ErrorEquals"] for c in task.get("Catch", [])), f"{name} catches nothing"


def test_every_lambda_task_invokes_a_function_of_the_template() -> None:
    for logical_id, machine in STATE_MACHINES.items():
        substitutions = machine["Properties"]["DefinitionSubstitutions"]
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
        "SharesApiFunction",
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
    assert [i["IndexName"] for i in props["GlobalSecondaryIndexes"]] == ["gsi1", "gsi2", "gsi3"]


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


def test_guardduty_is_wired_only_when_it_is_the_engine() -> None:
    plan = RESOURCES["UploadsMalwareProtectionPlan"]
    assert plan["Condition"] == "UseGuardDuty"
    assert plan["Properties"]["ProtectedResource"]["S3Bucket"]["ObjectPrefixes"] == ["uploads/"]
    assert plan["Properties"]["Actions"]["Tagging"]["Status"] == "DISABLED"  # only the workflow tags
    [event] = FUNCTIONS["GuardDutyResultFunction"]["Properties"]["Events"].values()
    assert event["Properties"]["Pattern"]["detail-type"] == ["GuardDuty Malware Protection Object Scan Result"]
    assert event["Properties"]["DeadLetterConfig"]


def test_the_largest_upload_and_its_unpacked_members_fit_in_the_scan_steps_storage() -> None:
    # The scan step spools the object and unpacks archives beside it; neither may fill /tmp.
    parameter = TEMPLATE["Parameters"]["MaxUploadBytes"]
    scan = FUNCTIONS["ScanUploadFunction"]["Properties"]
    budget = int(scan["Environment"]["Variables"]["ARCHIVE_MAX_EXPANDED_BYTES"])
    storage = scan["EphemeralStorage"]["Size"] * 2**20
    assert parameter["Default"] <= parameter["MaxValue"]
    assert parameter["MaxValue"] + budget + SCRATCH_RESERVE_BYTES <= storage
