"""The web app on CloudFront (template.yaml) and in the local stack come from one definition:
the same security headers, the same routing, origins that follow the distribution."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from devstack.template import Resolver, load_template
from devstack.web import entry_point, security_headers

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = load_template(ROOT / "template.yaml")
RESOURCES: dict[str, Any] = TEMPLATE["Resources"]
DISTRIBUTION = RESOURCES["AppDistribution"]["Properties"]["DistributionConfig"]
LOCAL_ORIGINS = ["http://127.0.0.1:4001", "http://127.0.0.1:4002"]


def resolver(region: str = "eu-west-1", **parameters: Any) -> Resolver:
    defaults = {name: spec.get("Default") for name, spec in TEMPLATE["Parameters"].items()}
    values = {**defaults, **parameters}
    if isinstance(values["AllowedOrigins"], str):  # a CommaDelimitedList, as CloudFormation splits it
        values["AllowedOrigins"] = values["AllowedOrigins"].split(",")

    def lookup(logical_id: str, attribute: str | None) -> Any:
        if (logical_id, attribute) == ("AppDistribution", "DomainName"):
            return "d111111abcdef8.cloudfront.net"
        return f"<{logical_id}.{attribute}>" if attribute else f"<{logical_id}>"

    return Resolver(
        parameters=values, region=region, stack_name="fileshare-dev", lookup=lookup, conditions=TEMPLATE["Conditions"]
    )


def cloudfront_policy(region: str = "eu-west-1") -> dict[str, Any]:
    policy_id = DISTRIBUTION["DefaultCacheBehavior"]["ResponseHeadersPolicyId"]["Ref"]
    return dict(resolver(region).resolve(RESOURCES[policy_id]["Properties"]["ResponseHeadersPolicyConfig"]))


def directives(csp: str) -> dict[str, list[str]]:
    return {name: sources for name, *sources in (d.split() for d in csp.split(";"))}


def test_the_local_stack_sends_cloudfronts_headers_with_only_its_own_origins_to_connect_to() -> None:
    policy = cloudfront_policy()
    aws = directives(policy["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"])
    local_headers = security_headers(policy, LOCAL_ORIGINS)
    local = directives(local_headers["Content-Security-Policy"])

    assert {k: v for k, v in local.items() if k != "connect-src"} == {
        k: v for k, v in aws.items() if k != "connect-src"
    }
    assert local["connect-src"] == ["'self'", *LOCAL_ORIGINS]
    assert local["script-src"] == local["style-src"] == ["'self'"]  # no inline code anywhere
    assert local["frame-ancestors"] == ["'none'"]
    assert local_headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains"
    assert local_headers["X-Content-Type-Options"] == "nosniff"
    assert local_headers["X-Frame-Options"] == "DENY"
    assert local_headers["Referrer-Policy"] == "no-referrer"  # share tokens live in /s/{token}


def test_on_aws_the_app_may_call_only_the_regions_api_gateway_s3_and_cognito() -> None:
    csp = cloudfront_policy("eu-west-1")["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    assert directives(csp)["connect-src"] == [
        "'self'",
        "https://*.execute-api.eu-west-1.amazonaws.com",
        "https://*.s3.amazonaws.com",  # boto3 presigns POSTs at <bucket>.s3.amazonaws.com
        "https://*.s3.eu-west-1.amazonaws.com",
        "https://cognito-idp.eu-west-1.amazonaws.com",
    ]


def test_no_piece_of_the_local_stack_writes_a_policy_of_its_own() -> None:
    for source in (ROOT / "devstack").glob("*.py"):
        text = source.read_text()
        for directive in ("default-src", "script-src", "frame-ancestors", "max-age=63072000"):
            assert directive not in text, f"{source.name} defines {directive}: read it from template.yaml"


ROUTES = [
    "/",
    "/files",
    "/files/abc-123",
    "/s/AbCdEf_-123",
    "/s/AbCdEf_-123/",
    "/assets/index-3f2a9c.js",
    "/assets/gone-0000.js",
    "/config.json",
    "/share.html",
    "/s/looks.like-a-file.js",
    "/r/AbCdEf_-123",
    "/r/AbCdEf_-123/",
    "/request.html",
    "/requests",
]


def local_route(path: str) -> str:
    """What devstack/web.py serves for a path with no file of its own."""
    return path if "." in path.rsplit("/", 1)[-1] else "/" + entry_point(path)


def test_the_cloudfront_function_routes_every_path_as_the_local_web_server_does() -> None:
    node = shutil.which("node")  # the web app's build needs it too
    assert node, "node runs the CloudFront Function's code"
    code = RESOURCES["AppRouterFunction"]["Properties"]["FunctionCode"]
    harness = code + (
        "\nconst paths = JSON.parse(process.argv[1]);\n"
        "console.log(JSON.stringify(paths.map((uri) => handler({ request: { uri } }).uri)));\n"
    )
    answer = subprocess.run([node, "-e", harness, json.dumps(ROUTES)], capture_output=True, text=True, check=True)
    assert dict(zip(ROUTES, json.loads(answer.stdout), strict=True)) == {p: local_route(p) for p in ROUTES}
    assert local_route("/s/AbCdEf_-123") == "/share.html" and local_route("/files/x") == "/index.html"
    assert local_route("/r/AbCdEf_-123") == "/request.html" and local_route("/requests") == "/index.html"


def test_the_distribution_serves_a_private_bucket_over_https_http2_and_3_compressed() -> None:
    behaviour = DISTRIBUTION["DefaultCacheBehavior"]
    (origin,) = DISTRIBUTION["Origins"]
    assert DISTRIBUTION["HttpVersion"] == "http2and3"
    assert behaviour["ViewerProtocolPolicy"] in ("https-only", "redirect-to-https")
    assert behaviour["Compress"] is True
    assert behaviour["AllowedMethods"] == ["GET", "HEAD"]
    assert origin["OriginAccessControlId"] == {"Fn::GetAtt": ["AppOriginAccessControl", "Id"]}
    assert origin["S3OriginConfig"]["OriginAccessIdentity"] == ""  # OAC, not the legacy identity
    assert "CustomErrorResponses" not in DISTRIBUTION  # a missing asset stays a 404
    assert [a["EventType"] for a in behaviour["FunctionAssociations"]] == ["viewer-request"]
    blocked = RESOURCES["AppBucket"]["Properties"]["PublicAccessBlockConfiguration"]
    assert all(blocked[k] is True for k in blocked) and len(blocked) == 4
    statements = RESOURCES["AppBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    for allow in (s for s in statements if s["Effect"] == "Allow"):
        assert allow["Principal"] == {"Service": "cloudfront.amazonaws.com"}
        assert "${AppDistribution}" in allow["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
    assert any(
        s["Effect"] == "Deny" and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}} for s in statements
    )


def app_urls(**parameters: Any) -> dict[str, Any]:
    r = resolver(**parameters)
    return {
        "FilesApiFunction": r.resolve(RESOURCES["FilesApiFunction"]["Properties"]["Environment"])["Variables"][
            "APP_URL"
        ],
        "SharesApiFunction": r.resolve(RESOURCES["SharesApiFunction"]["Properties"]["Environment"])["Variables"][
            "APP_URL"
        ],
        "AppUrl output": r.resolve(TEMPLATE["Outputs"]["AppUrl"]["Value"]),
        "api cors": r.resolve(RESOURCES["HttpApi"]["Properties"]["CorsConfiguration"])["AllowOrigins"],
        "bucket cors": r.resolve(RESOURCES["UploadsBucket"]["Properties"]["CorsConfiguration"])["CorsRules"][0][
            "AllowedOrigins"
        ],
    }


def test_a_first_deploy_links_and_allows_the_distributions_own_origin() -> None:
    cloudfront = "https://d111111abcdef8.cloudfront.net"
    assert app_urls() == {
        "FilesApiFunction": cloudfront,
        "SharesApiFunction": cloudfront,
        "AppUrl output": cloudfront,
        "api cors": [cloudfront],
        "bucket cors": [cloudfront],
    }


def test_a_custom_domain_replaces_the_distributions_and_explicit_values_win() -> None:
    custom = app_urls(DomainName="files.example.com", CertificateArn="arn:aws:acm:us-east-1:1:certificate/x")
    assert set(map(str, custom.values())) == {"https://files.example.com", "['https://files.example.com']"}
    given = app_urls(AppUrl="http://127.0.0.1:8000", AllowedOrigins=["http://127.0.0.1:8000", "http://localhost:8000"])
    assert given["FilesApiFunction"] == given["AppUrl output"] == "http://127.0.0.1:8000"
    assert given["api cors"] == given["bucket cors"] == ["http://127.0.0.1:8000", "http://localhost:8000"]


def rule_allows(rule: str, **parameters: Any) -> bool:
    """Evaluates a template rule as CloudFormation does before it deploys anything."""
    spec = TEMPLATE["Rules"][rule]
    r = resolver(**parameters)
    conditions = {
        "when": spec.get("RuleCondition", True),
        **{f"a{i}": a["Assert"] for i, a in enumerate(spec["Assertions"])},
    }
    r.condition_definitions = conditions
    return not r.condition("when") or all(r.condition(f"a{i}") for i in range(len(spec["Assertions"])))


def test_aws_refuses_clamav_which_only_the_local_stack_and_ci_can_run() -> None:
    assert not rule_allows("ClamAvIsForTheLocalStackAndCi", ScannerEngine="clamav")
    assert rule_allows("ClamAvIsForTheLocalStackAndCi", ScannerEngine="yara")
    assert rule_allows("ClamAvIsForTheLocalStackAndCi", ScannerEngine="guardduty")
    assert "local stack and CI only" in " ".join(TEMPLATE["Parameters"]["ScannerEngine"]["Description"].split())


def test_a_custom_domain_without_a_certificate_is_refused() -> None:
    assert not rule_allows("CustomDomainNeedsCertificate", DomainName="files.example.com")
    assert rule_allows("CustomDomainNeedsCertificate", DomainName="files.example.com", CertificateArn="arn:x")
    assert rule_allows("CustomDomainNeedsCertificate")
