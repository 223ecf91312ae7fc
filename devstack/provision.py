"""Creating the template's resources in moto and describing what the other local pieces need.

Each supported resource type has one small ``_create_*`` function. Resources are created on first
reference, so the template's own dependency order is followed without being written down again.
"""

from __future__ import annotations

import functools
import io
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from devstack.template import ACCOUNT_ID, WORK_TREE_BUCKET, Resolver, load_template, transform


@dataclass(frozen=True)
class FunctionSpec:
    logical_id: str
    name: str
    arn: str
    handler: str
    code_dir: Path
    environment: dict[str, str]
    timeout: int
    memory: int
    role_arn: str = ""  # the function's execution role: its workers act with this role's credentials
    aws_services: tuple[str, ...] = ()  # boto3's names of the services its role may call
    reserved_concurrency: int | None = None  # ReservedConcurrentExecutions: at most this many at once


@dataclass(frozen=True)
class Route:
    method: str  # upper case, or ANY
    path: str  # an API Gateway path template such as /files/{fileId}, or $default
    function: str  # logical id
    authorized: bool


@dataclass
class HttpApiSpec:
    logical_id: str
    issuer: str | None = None
    audience: list[str] = field(default_factory=list)
    cors: dict[str, Any] = field(default_factory=dict)  # x-amazon-apigateway-cors: allowOrigins, allowHeaders...
    routes: list[Route] = field(default_factory=list)


@dataclass(frozen=True)
class ScheduleSpec:
    rule_name: str
    expression: str
    target_arn: str
    input: str | None


@dataclass
class Stack:
    name: str
    region: str
    root: Path
    parameters: dict[str, Any]
    physical: dict[str, dict[str, Any]] = field(default_factory=dict)
    functions: dict[str, FunctionSpec] = field(default_factory=dict)
    http_apis: dict[str, HttpApiSpec] = field(default_factory=dict)
    state_machines: dict[str, str] = field(default_factory=dict)
    # logical id -> (definition as written, its resolved DefinitionSubstitutions), so that a test can
    # run a workflow as another deploy's parameters would define it (render_definition).
    state_machine_sources: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)
    schedules: list[ScheduleSpec] = field(default_factory=list)
    bucket_policies: dict[str, Any] = field(default_factory=dict)
    # role ARN -> the AWS services its inline policies allow calls to (boto3's names): a function's
    # fork server loads their SDK models once (devstack.lambda_worker)
    role_services: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # CloudFront is not emulated: the web server serves the app as the distribution would, with the
    # headers of its response-headers policy (both kept here, resolved).
    distributions: dict[str, dict[str, Any]] = field(default_factory=dict)
    response_headers_policies: dict[str, dict[str, Any]] = field(default_factory=dict)
    outputs: dict[str, Any] = field(default_factory=dict)

    def ref(self, logical_id: str) -> Any:
        return self.physical[logical_id]["Ref"]

    def attr(self, logical_id: str, attribute: str) -> Any:
        return self.physical[logical_id][attribute]


class Provisioner:
    def __init__(
        self,
        *,
        template_path: Path,
        endpoint_url: str,
        stack_name: str = "fileshare-local",
        region: str = "us-east-1",
        parameters: dict[str, Any] | None = None,
        install_managed_policy: Callable[[str], None] | None = None,
    ) -> None:
        self.template_path = template_path
        # AWS's managed policies are not in moto until installed (devstack.moto_host).
        self.install_managed_policy = install_managed_policy
        written = load_template(template_path)
        self.endpoint_url = endpoint_url
        params = {k: v.get("Default") for k, v in written.get("Parameters", {}).items()}
        unknown = set(parameters or {}) - set(params)
        if unknown:
            raise ValueError(f"not parameters of the template: {sorted(unknown)}")
        params.update(parameters or {})
        for name, spec in written.get("Parameters", {}).items():
            if spec.get("Type") == "CommaDelimitedList" and isinstance(params[name], str):
                params[name] = [p.strip() for p in params[name].split(",")]
            elif params[name] is not None:
                params[name] = params[name] if isinstance(params[name], list) else str(params[name])
        self.template = transform(written, {**params, "AWS::StackName": stack_name}, region)
        self.resources: dict[str, Any] = self.template.get("Resources", {})
        self.stack = Stack(stack_name, region, template_path.parent, params)
        self.resolver = Resolver(
            parameters=params,
            region=region,
            stack_name=stack_name,
            lookup=self._lookup,
            conditions=self.template.get("Conditions", {}),
        )
        self._in_progress: set[str] = set()
        self._session = boto3.session.Session(
            aws_access_key_id="local", aws_secret_access_key="local", region_name=region
        )
        self._config = Config(retries={"max_attempts": 2})

    def client(self, service: str) -> Any:
        return self._session.client(service, endpoint_url=self.endpoint_url, config=self._config)

    # ------------------------------------------------------------------ driving
    def provision(self) -> Stack:
        for logical_id, resource in self.resources.items():
            if "Condition" not in resource or self.resolver.condition(resource["Condition"]):
                self._ensure(logical_id)
        for name, output in self.template.get("Outputs", {}).items():
            if "Condition" not in output or self.resolver.condition(output["Condition"]):
                self.stack.outputs[name] = self.resolver.resolve(output["Value"])
        return self.stack

    def _physical_name(self, logical_id: str, *, lower: bool = False, limit: int = 63) -> str:
        name = f"{self.stack.name}-{logical_id}"
        return (name.lower() if lower else name)[:limit]

    def _lookup(self, logical_id: str, attribute: str | None) -> Any:
        self._ensure(logical_id)
        values = self.stack.physical[logical_id]
        return values["Ref"] if attribute is None else values[attribute]

    def _ensure(self, logical_id: str) -> None:
        if logical_id in self.stack.physical:
            return
        if logical_id not in self.resources:
            raise KeyError(f"template has no resource {logical_id}")
        if logical_id in self._in_progress:
            raise RuntimeError(f"circular reference through {logical_id}")
        self._in_progress.add(logical_id)
        resource = self.resources[logical_id]
        kind = resource["Type"]
        creator = _CREATORS.get(kind)
        if creator is None:
            raise NotImplementedError(f"the local stack cannot create {kind} ({logical_id})")
        self.stack.physical[logical_id] = creator(self, logical_id, resource.get("Properties", {}))
        self._in_progress.discard(logical_id)

    def props(self, properties: dict[str, Any]) -> dict[str, Any]:
        return dict(self.resolver.resolve(properties))


# ---------------------------------------------------------------------- resource types
def _create_bucket(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    props = p.props(raw)
    name = props.get("BucketName") or p._physical_name(logical_id, lower=True)
    s3 = p.client("s3")
    s3.create_bucket(Bucket=name)
    if props.get("VersioningConfiguration", {}).get("Status") == "Enabled":
        s3.put_bucket_versioning(Bucket=name, VersioningConfiguration={"Status": "Enabled"})
    if props.get("NotificationConfiguration", {}).get("EventBridgeConfiguration", {}).get("EventBridgeEnabled"):
        s3.put_bucket_notification_configuration(
            Bucket=name, NotificationConfiguration={"EventBridgeConfiguration": {}}
        )
    rules = props.get("CorsConfiguration", {}).get("CorsRules", [])
    if rules:
        s3.put_bucket_cors(
            Bucket=name,
            CORSConfiguration={
                "CORSRules": [
                    {
                        "AllowedOrigins": r["AllowedOrigins"],
                        "AllowedMethods": r["AllowedMethods"],
                        "AllowedHeaders": r.get("AllowedHeaders", []),
                        "ExposeHeaders": r.get("ExposedHeaders", []),
                        "MaxAgeSeconds": int(r.get("MaxAge", 0)),
                    }
                    for r in rules
                ]
            },
        )
    lifecycle = props.get("LifecycleConfiguration", {}).get("Rules", [])
    if lifecycle:
        s3.put_bucket_lifecycle_configuration(
            Bucket=name, LifecycleConfiguration={"Rules": [_lifecycle_rule(r) for r in lifecycle]}
        )
    return {
        "Ref": name,
        "Arn": f"arn:aws:s3:::{name}",
        "DomainName": f"{name}.s3.amazonaws.com",
        "RegionalDomainName": f"{name}.s3.{p.stack.region}.amazonaws.com",
    }


def _lifecycle_rule(rule: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"ID": rule.get("Id", "rule"), "Status": rule["Status"]}
    tags = rule.get("TagFilters", [])
    if tags:
        tag_list = [{"Key": t["Key"], "Value": t["Value"]} for t in tags]
        out["Filter"] = {"Tag": tag_list[0]} if len(tag_list) == 1 else {"And": {"Tags": tag_list}}
    else:
        out["Filter"] = {"Prefix": rule.get("Prefix", "")}
    if "AbortIncompleteMultipartUpload" in rule:
        out["AbortIncompleteMultipartUpload"] = {
            "DaysAfterInitiation": int(rule["AbortIncompleteMultipartUpload"]["DaysAfterInitiation"])
        }
    if "NoncurrentVersionExpiration" in rule:
        out["NoncurrentVersionExpiration"] = {
            "NoncurrentDays": int(rule["NoncurrentVersionExpiration"]["NoncurrentDays"])
        }
    if "ExpirationInDays" in rule:
        out["Expiration"] = {"Days": int(rule["ExpirationInDays"])}
    return out


def _create_bucket_policy(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    props = p.props(raw)
    # Kept on the stack for the S3 front, which evaluates its Deny statements; not given to moto:
    # moto applies a bucket policy's Deny statements but ignores their Conditions, so the TLS-only
    # and tag-conditioned denies would refuse every request (docs/local-stack.md).
    p.stack.bucket_policies[props["Bucket"]] = props["PolicyDocument"]
    return {"Ref": props["Bucket"]}


def _create_table(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    props = p.props(raw)
    name = props.get("TableName") or p._physical_name(logical_id)
    ddb = p.client("dynamodb")
    args: dict[str, Any] = {
        "TableName": name,
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
    }
    if props.get("GlobalSecondaryIndexes"):
        args["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
    arn = ddb.create_table(**args)["TableDescription"]["TableArn"]
    ttl = props.get("TimeToLiveSpecification")
    if ttl and ttl.get("Enabled"):
        ddb.update_time_to_live(
            TableName=name, TimeToLiveSpecification={"AttributeName": ttl["AttributeName"], "Enabled": True}
        )
    return {"Ref": name, "Arn": arn}


def _create_key(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    props = p.props(raw)
    meta = p.client("kms").create_key(Description=props.get("Description", logical_id))["KeyMetadata"]
    return {"Ref": meta["KeyId"], "Arn": meta["Arn"], "KeyId": meta["KeyId"]}


def _create_alias(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    props = p.props(raw)
    p.client("kms").create_alias(AliasName=props["AliasName"], TargetKeyId=props["TargetKeyId"])
    return {"Ref": props["AliasName"]}


def _create_user_pool(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    props = p.props(raw)
    args = {
        k: props[k]
        for k in (
            "Policies",
            "UsernameAttributes",
            "AutoVerifiedAttributes",
            "MfaConfiguration",
            "AccountRecoverySetting",
        )
        if k in props
    }
    pool = p.client("cognito-idp").create_user_pool(
        PoolName=props.get("UserPoolName", p._physical_name(logical_id)), **args
    )["UserPool"]
    return {
        "Ref": pool["Id"],
        "Arn": pool["Arn"],
        "ProviderName": f"cognito-idp.{p.stack.region}.amazonaws.com/{pool['Id']}",
        "ProviderURL": f"https://cognito-idp.{p.stack.region}.amazonaws.com/{pool['Id']}",
    }


def _create_user_pool_client(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    props = p.props(raw)
    args = {
        k: props[k]
        for k in (
            "GenerateSecret",
            "ExplicitAuthFlows",
            "PreventUserExistenceErrors",
            "AccessTokenValidity",
            "IdTokenValidity",
            "RefreshTokenValidity",
            "TokenValidityUnits",
        )
        if k in props
    }
    for k in ("AccessTokenValidity", "IdTokenValidity", "RefreshTokenValidity"):
        if k in args:
            args[k] = int(args[k])
    client = p.client("cognito-idp").create_user_pool_client(
        UserPoolId=props["UserPoolId"], ClientName=props.get("ClientName", logical_id), **args
    )["UserPoolClient"]
    return {"Ref": client["ClientId"]}


def _create_group(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    props = p.props(raw)
    p.client("cognito-idp").create_group(
        UserPoolId=props["UserPoolId"], GroupName=props["GroupName"], Description=props.get("Description", "")
    )
    return {"Ref": props["GroupName"]}


def _create_log_group(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    # Functions log to the console locally; the group is only named, never created.
    props = p.props(raw)
    name = props.get("LogGroupName") or p._physical_name(logical_id)
    arn = f"arn:aws:logs:{p.stack.region}:{ACCOUNT_ID}:log-group:{name}:*"
    return {"Ref": name, "Arn": arn}


def _create_event_bus(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    props = p.props(raw)
    arn = p.client("events").create_event_bus(Name=props["Name"])["EventBusArn"]
    return {"Ref": props["Name"], "Arn": arn, "Name": props["Name"]}


def _create_queue(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    props = p.props(raw)
    name = props.get("QueueName") or p._physical_name(logical_id, limit=80)
    sqs = p.client("sqs")
    url = sqs.create_queue(QueueName=name)["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return {"Ref": url, "Arn": arn, "QueueName": name, "QueueUrl": url}


def _create_queue_policy(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    p.props(raw)  # resolves (and so creates) the queues it names; SQS policies are not enforced by moto
    return {"Ref": logical_id}


def _zip_stub() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("README.txt", "The local stack runs this function's code from the work tree.")
    return buffer.getvalue()


def _create_function(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    props = p.props(raw)
    name = props.get("FunctionName") or p._physical_name(logical_id, limit=64)
    code = props["Code"]
    if code.get("S3Bucket") != WORK_TREE_BUCKET:
        raise NotImplementedError(f"{logical_id}: the local stack runs only code from the work tree")
    timeout, memory = int(props.get("Timeout", 3)), int(props.get("MemorySize", 128))
    arn = p.client("lambda").create_function(
        FunctionName=name,
        Runtime=props.get("Runtime", "python3.13"),
        Role=props["Role"],
        Handler=props["Handler"],
        Code={"ZipFile": _zip_stub()},
        Timeout=timeout,
        MemorySize=memory,
    )["FunctionArn"]
    variables = props.get("Environment", {}).get("Variables", {})
    p.stack.functions[logical_id] = FunctionSpec(
        logical_id=logical_id,
        name=name,
        arn=arn,
        handler=props["Handler"],
        code_dir=(p.stack.root / code["S3Key"]).resolve(),
        environment={k: _env_text(v) for k, v in variables.items()},
        timeout=timeout,
        memory=memory,
        role_arn=props["Role"],
        aws_services=p.stack.role_services.get(props["Role"], ()),
        reserved_concurrency=(
            int(props["ReservedConcurrentExecutions"]) if "ReservedConcurrentExecutions" in props else None
        ),
    )
    return {"Ref": name, "Arn": arn}


def _env_text(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(map(str, value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _create_resolved_only(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Nothing to create locally (a Lambda permission, an event invoke configuration, an API stage):
    resolved, so that what it references exists."""
    p.props(raw)
    return {"Ref": logical_id}


_INTEGRATION_URI = re.compile(r"/functions/(?P<function>.+)/invocations$")
_METHODS = {"x-amazon-apigateway-any-method": "ANY"}


def _create_http_api(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    """An HTTP API from its OpenAPI body, as API Gateway imports it: routes (``paths`` with their
    Lambda proxy integrations and ``security``), the JWT authorizer and ``x-amazon-apigateway-cors``."""
    body = p.props(raw)["Body"]
    api = p.stack.http_apis[logical_id] = HttpApiSpec(logical_id)
    schemes = body.get("components", {}).get("securitySchemes", {})
    jwt_schemes = {
        name: scheme["x-amazon-apigateway-authorizer"]["jwtConfiguration"]
        for name, scheme in schemes.items()
        if scheme.get("x-amazon-apigateway-authorizer", {}).get("type") == "jwt"
    }
    if len(jwt_schemes) > 1:
        raise NotImplementedError(f"{logical_id}: the local gateway verifies one JWT authorizer per API")
    for jwt in jwt_schemes.values():
        api.issuer, api.audience = jwt["issuer"], list(jwt["audience"])
    arns = {spec.arn: spec.logical_id for spec in p.stack.functions.values()}
    for path, operations in body.get("paths", {}).items():
        for method, operation in operations.items():
            uri = _INTEGRATION_URI.search(operation["x-amazon-apigateway-integration"]["uri"])
            assert uri is not None, f"{logical_id} {method} {path}: not a Lambda proxy integration"
            security = [name for requirement in operation.get("security", []) for name in requirement]
            api.routes.append(
                Route(
                    method=_METHODS.get(method, method.upper()),
                    path="$default" if path == "/$default" else path,
                    function=arns[uri.group("function")],
                    authorized=any(name in jwt_schemes for name in security),
                )
            )
    api.cors = body.get("x-amazon-apigateway-cors", {})
    return {"Ref": logical_id, "ApiId": logical_id}


def _create_state_machine(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    props = p.props(raw)
    if "DefinitionS3Location" in props:
        location = props["DefinitionS3Location"]
        if location["Bucket"] != WORK_TREE_BUCKET:
            raise NotImplementedError(f"{logical_id}: the local stack reads definitions from the work tree only")
        written = (p.stack.root / location["Key"]).read_text()
    elif "DefinitionString" in props:
        written = props["DefinitionString"]
    else:
        written = json.dumps(props["Definition"])
    substitutions = {name: str(value) for name, value in props.get("DefinitionSubstitutions", {}).items()}
    name = props.get("StateMachineName") or p._physical_name(logical_id, limit=80)
    arn = p.client("stepfunctions").create_state_machine(
        name=name,
        definition=render_definition(written, substitutions),
        roleArn=props["RoleArn"],
        type=props.get("StateMachineType", "STANDARD"),
    )["stateMachineArn"]
    p.stack.state_machines[logical_id] = arn
    p.stack.state_machine_sources[logical_id] = (written, substitutions)
    return {"Ref": arn, "Arn": arn, "Name": name}


def render_definition(written: str, substitutions: dict[str, str]) -> str:
    """An ASL definition with its ``${Placeholder}``s replaced, as CloudFormation's DefinitionSubstitutions do."""
    for name, value in substitutions.items():
        written = written.replace("${" + name + "}", value)
    return written


def _create_role(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    """A role with its inline policies and managed policies attached, as IAM would hold it."""
    props = p.props(raw)
    name = props.get("RoleName") or p._physical_name(logical_id, limit=64)
    iam = p.client("iam")
    role = iam.create_role(
        RoleName=name,
        Path=props.get("Path", "/"),
        AssumeRolePolicyDocument=json.dumps(props["AssumeRolePolicyDocument"]),
    )["Role"]
    services: set[str] = set()
    for policy in props.get("Policies", []):
        # SAM writes its policies without a Version, which IAM accepts and moto refuses.
        document = {"Version": "2012-10-17", **policy["PolicyDocument"]}
        iam.put_role_policy(RoleName=name, PolicyName=policy["PolicyName"], PolicyDocument=json.dumps(document))
        services |= _services_allowed(document)
    p.stack.role_services[role["Arn"]] = tuple(sorted(services))
    for arn in props.get("ManagedPolicyArns", []):
        if arn.startswith("arn:aws:iam::aws:policy/") and p.install_managed_policy is not None:
            p.install_managed_policy(arn)
        iam.attach_role_policy(RoleName=name, PolicyArn=arn)
    return {"Ref": name, "Arn": role["Arn"], "RoleId": role["RoleId"]}


# IAM's action prefixes that boto3 names otherwise (``ses:`` covers both versions of SES's API)
_SDK_NAMES = {"states": ("stepfunctions",), "ses": ("ses", "sesv2")}


def _services_allowed(document: dict[str, Any]) -> set[str]:
    """boto3's names of the services a policy allows actions on."""
    statements = document.get("Statement", [])
    found: set[str] = set()
    for statement in statements if isinstance(statements, list) else [statements]:
        if statement.get("Effect") != "Allow":
            continue
        actions = statement.get("Action", [])
        for action in actions if isinstance(actions, list) else [actions]:
            prefix = action.split(":", 1)[0]
            found.update(_SDK_NAMES.get(prefix, (prefix,)))
    return found & _sdk_services()


@functools.cache
def _sdk_services() -> frozenset[str]:
    """boto3's service names, read from its data once (a session per role policy cost a lookup each)."""
    return frozenset(boto3.session.Session().get_available_services())


def _create_not_emulated(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    """A resource with no local counterpart (GuardDuty Malware Protection): its results are fed to
    the stack as the EventBridge events it would publish (docs/local-stack.md)."""
    p.props(raw)
    arn = f"arn:aws:local:{p.stack.region}:{ACCOUNT_ID}:not-emulated/{logical_id}"
    return {"Ref": arn, "Arn": arn}


def _create_layer(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    """A function's dependency layer: locally every worker imports from the environment the stack
    runs in, which installs every layer's requirements (tests/unit/test_packaging.py checks that each
    function's layers hold all it imports, as Lambda would need)."""
    props = p.props(raw)
    arn = f"arn:aws:lambda:{p.stack.region}:{ACCOUNT_ID}:layer:{props.get('LayerName', logical_id)}:1"
    return {"Ref": arn}


def _create_topic(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    props = p.props(raw)
    name = props.get("TopicName") or p._physical_name(logical_id, limit=256)
    arn = p.client("sns").create_topic(Name=name)["TopicArn"]
    return {"Ref": arn, "TopicArn": arn, "TopicName": name}


def _create_subscription(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    props = p.props(raw)
    arn = p.client("sns").subscribe(TopicArn=props["TopicArn"], Protocol=props["Protocol"], Endpoint=props["Endpoint"])
    return {"Ref": arn["SubscriptionArn"]}


def _create_alarm(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Created in moto so that it can be listed; it never fires locally (no metrics are published)."""
    props = p.props(raw)
    name = props.get("AlarmName") or p._physical_name(logical_id, limit=255)
    keys = (
        "Namespace",
        "MetricName",
        "Dimensions",
        "Statistic",
        "Period",
        "EvaluationPeriods",
        "Threshold",
        "ComparisonOperator",
        "TreatMissingData",
        "AlarmActions",
        "OKActions",
        "AlarmDescription",
    )
    args = {k: props[k] for k in keys if k in props}
    args["Dimensions"] = [{"Name": d["Name"], "Value": str(d["Value"])} for d in args.get("Dimensions", [])]
    for number in ("Period", "EvaluationPeriods"):
        args[number] = int(args[number])
    args["Threshold"] = float(args["Threshold"])
    p.client("cloudwatch").put_metric_alarm(AlarmName=name, **args)
    return {"Ref": name, "Arn": f"arn:aws:cloudwatch:{p.stack.region}:{ACCOUNT_ID}:alarm:{name}"}


def _create_dashboard(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    """Stored in moto (which checks that the body is JSON); nothing is drawn locally."""
    props = p.props(raw)
    name = props.get("DashboardName") or p._physical_name(logical_id)
    p.client("cloudwatch").put_dashboard(DashboardName=name, DashboardBody=props["DashboardBody"])
    return {"Ref": name}


def _create_cloudfront_part(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    """An origin access control or a CloudFront Function: nothing to run locally (the web server
    routes as the function does; a unit test runs the function's code against its routing)."""
    p.props(raw)
    arn = f"arn:aws:cloudfront::{ACCOUNT_ID}:function/{logical_id}"
    return {"Ref": logical_id, "Id": logical_id, "FunctionMetadata.FunctionARN": arn}


def _create_response_headers_policy(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    p.stack.response_headers_policies[logical_id] = p.props(raw)["ResponseHeadersPolicyConfig"]
    return {"Ref": logical_id, "Id": logical_id}


def _create_distribution(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    p.stack.distributions[logical_id] = p.props(raw)["DistributionConfig"]
    return {"Ref": logical_id, "Id": logical_id, "DomainName": f"{logical_id.lower()}.cloudfront.local"}


def _create_events_rule(p: Provisioner, logical_id: str, raw: dict[str, Any]) -> dict[str, Any]:
    props = p.props(raw)
    events = p.client("events")
    bus = props.get("EventBusName", "default")
    name = props.get("Name") or p._physical_name(logical_id, limit=64)
    args: dict[str, Any] = {"Name": name, "EventBusName": bus, "State": props.get("State", "ENABLED")}
    if "EventPattern" in props:
        args["EventPattern"] = json.dumps(props["EventPattern"])
    if "ScheduleExpression" in props:
        args["ScheduleExpression"] = props["ScheduleExpression"]
    arn = events.put_rule(**args)["RuleArn"]
    targets = props.get("Targets", [])
    if targets:
        events.put_targets(Rule=name, EventBusName=bus, Targets=targets)
    if "ScheduleExpression" in props:
        for target in targets:
            p.stack.schedules.append(
                ScheduleSpec(name, props["ScheduleExpression"], target["Arn"], target.get("Input"))
            )
    return {"Ref": name, "Arn": arn}


_CREATORS: dict[str, Callable[[Provisioner, str, dict[str, Any]], dict[str, Any]]] = {
    "AWS::S3::Bucket": _create_bucket,
    "AWS::S3::BucketPolicy": _create_bucket_policy,
    "AWS::DynamoDB::Table": _create_table,
    "AWS::KMS::Key": _create_key,
    "AWS::KMS::Alias": _create_alias,
    "AWS::Cognito::UserPool": _create_user_pool,
    "AWS::Cognito::UserPoolClient": _create_user_pool_client,
    "AWS::Cognito::UserPoolGroup": _create_group,
    "AWS::Logs::LogGroup": _create_log_group,
    "AWS::Events::EventBus": _create_event_bus,
    "AWS::Events::Rule": _create_events_rule,
    "AWS::SQS::Queue": _create_queue,
    "AWS::IAM::Role": _create_role,
    "AWS::GuardDuty::MalwareProtectionPlan": _create_not_emulated,
    "AWS::CloudFront::OriginAccessControl": _create_cloudfront_part,
    "AWS::CloudFront::Function": _create_cloudfront_part,
    "AWS::CloudFront::ResponseHeadersPolicy": _create_response_headers_policy,
    "AWS::CloudFront::Distribution": _create_distribution,
    "AWS::SQS::QueuePolicy": _create_queue_policy,
    "AWS::Lambda::Function": _create_function,
    "AWS::Lambda::LayerVersion": _create_layer,
    "AWS::Lambda::Permission": _create_resolved_only,
    "AWS::Lambda::EventInvokeConfig": _create_resolved_only,
    "AWS::ApiGatewayV2::Api": _create_http_api,
    "AWS::ApiGatewayV2::Stage": _create_resolved_only,
    "AWS::StepFunctions::StateMachine": _create_state_machine,
    "AWS::SNS::Topic": _create_topic,
    "AWS::SNS::Subscription": _create_subscription,
    "AWS::CloudWatch::Alarm": _create_alarm,
    "AWS::CloudWatch::Dashboard": _create_dashboard,
}
