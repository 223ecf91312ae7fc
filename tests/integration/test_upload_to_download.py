"""The whole system over real HTTP: Cognito sign-up and sign-in, the HTTP API behind its JWT
authorizer, a browser-style multipart/form-data POST to S3, the workflow, and the recipient's
download through the share link."""

from __future__ import annotations

import hashlib
import time
import uuid
from typing import Any
from xml.sax.saxutils import escape

import pytest
import requests

from devstack.stack import LocalStack
from tests.contracts import validate_response
from tests.stack_support import eicar

pytestmark = pytest.mark.stack
PASSWORD = "Correct-horse-9"


def send(plan: dict[str, Any], body: bytes, name: str, content_type: str) -> None:
    """Send a file with an upload plan (``POST /uploads``, or a file request's ticket) as a browser does."""
    if plan["method"] == "POST":
        # Exactly what a browser form sends: the policy fields, then the file last.
        sent = requests.post(plan["url"], data=plan["fields"], files={"file": (name, body, content_type)}, timeout=30)
        assert sent.status_code == 204, sent.text
        return
    etags = []
    for part in plan["parts"]:
        start = (part["partNumber"] - 1) * plan["partSize"]
        sent = requests.put(part["url"], data=body[start : start + plan["partSize"]], timeout=30)
        assert sent.status_code == 200, sent.text
        etags.append((part["partNumber"], sent.headers["ETag"]))
    xml = (
        "<CompleteMultipartUpload>"
        + "".join(f"<Part><PartNumber>{n}</PartNumber><ETag>{escape(tag)}</ETag></Part>" for n, tag in etags)
        + "</CompleteMultipartUpload>"
    )
    done = requests.post(plan["completeUrl"], data=xml, timeout=30)
    assert done.status_code == 200, done.text


class Owner:
    """A signed-in person using the HTTP API as the web app does."""

    def __init__(self, stack: LocalStack) -> None:
        self.stack = stack
        config = requests.get(f"{stack.app_url}/config.json", timeout=10).json()
        self.api = config["apiUrl"]
        self.email = f"{uuid.uuid4().hex[:12]}@example.com"
        cognito = stack.client("cognito-idp")
        cognito.sign_up(
            ClientId=config["userPoolClientId"],
            Username=self.email,
            Password=PASSWORD,
            UserAttributes=[{"Name": "email", "Value": self.email}],
        )
        tokens = cognito.initiate_auth(
            ClientId=config["userPoolClientId"],
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": self.email, "PASSWORD": PASSWORD},
        )
        self.id_token = tokens["AuthenticationResult"]["IdToken"]
        self.access_token = tokens["AuthenticationResult"]["AccessToken"]

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"Bearer {self.id_token}", **kwargs.pop("headers", {})}
        answer = requests.request(method, f"{self.api}{path}", headers=headers, timeout=30, **kwargs)
        if answer.content:  # every answer body matches the contract
            validate_response(method, path.split("?", 1)[0], answer.status_code, answer.json())
        return answer

    def upload(self, body: bytes, name: str = "photo notes.txt", content_type: str = "text/plain") -> str:
        plan = self.call("POST", "/uploads", json={"name": name, "size": len(body), "contentType": content_type})
        assert plan.status_code == 201, plan.text
        plan_body = plan.json()
        send(plan_body, body, name, content_type)
        return str(plan_body["fileId"])

    def wait_until_done(self, file_id: str, timeout: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            answer = self.call("GET", f"/files/{file_id}")
            if answer.status_code == 200 and answer.json()["status"] != "PROCESSING":
                return dict(answer.json())
            assert answer.status_code in (200, 404), answer.text  # 404 until the workflow registers it
            if time.monotonic() > deadline:
                raise TimeoutError(f"{file_id}: {answer.status_code} {answer.text}")
            time.sleep(0.1)


@pytest.fixture
def owner(local_stack: LocalStack) -> Owner:
    return Owner(local_stack)


def test_upload_share_and_download_the_same_bytes(owner: Owner) -> None:
    body = ("Grüße aus Köln — " * 500).encode()
    file_id = owner.upload(body, name="Grüße 2026.txt")

    record = owner.wait_until_done(file_id)
    assert record["status"] == "READY"
    assert record["sha256"] == hashlib.sha256(body).hexdigest()
    [share] = record["shares"]
    assert share["url"].endswith(f"/s/{share['token']}")
    assert share["downloads"] == 0 and share["revoked"] is False and share["passwordProtected"] is False

    # The recipient, with no account
    info = requests.get(f"{owner.api}/public/shares/{share['token']}", timeout=10)
    assert info.status_code == 200
    assert info.json()["name"] == "Grüße 2026.txt"
    assert info.json()["size"] == len(body)
    assert info.json()["passwordRequired"] is False
    link = requests.post(f"{owner.api}/public/shares/{share['token']}/download", json={}, timeout=10)
    assert link.status_code == 200
    download = requests.get(link.json()["url"], timeout=10)
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == record["sha256"]
    disposition = download.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=UTF-8''Gr%C3%BC%C3%9Fe%202026.txt" in disposition


def test_a_file_above_the_single_post_limit_goes_up_in_parts(owner: Owner, local_stack: LocalStack) -> None:
    body = bytes(range(256)) * 1500  # 384,000 bytes: above the test stack's 256 KiB POST limit
    plan = owner.call(
        "POST", "/uploads", json={"name": "big.bin", "size": len(body), "contentType": "application/octet-stream"}
    )
    assert plan.json()["method"] == "MULTIPART"
    requests.delete(plan.json()["abortUrl"], timeout=10)  # that plan is abandoned; start a real one

    file_id = owner.upload(body, name="big.bin", content_type="application/octet-stream")

    record = owner.wait_until_done(file_id)
    assert record["status"] == "READY"
    assert record["sha256"] == hashlib.sha256(body).hexdigest()


def test_eicar_ends_infected_and_cannot_be_shared(owner: Owner) -> None:
    file_id = owner.upload(eicar(), name="totally-safe.txt")

    record = owner.wait_until_done(file_id)

    assert record["status"] == "INFECTED"
    assert record["shares"] == []
    assert "EICAR" in record["reason"]


def test_owners_see_only_their_own_files(local_stack: LocalStack) -> None:
    alice, bob = Owner(local_stack), Owner(local_stack)
    file_id = alice.upload(b"alice's secret\n")
    alice.wait_until_done(file_id)

    assert bob.call("GET", f"/files/{file_id}").status_code == 404
    assert file_id not in [f["fileId"] for f in bob.call("GET", "/files").json()["items"]]
    assert file_id in [f["fileId"] for f in alice.call("GET", "/files").json()["items"]]


def test_listing_is_newest_first_and_pages(owner: Owner) -> None:
    # One after another: a file is listed by when its workflow registered it, and workflows of
    # uploads sent at the same moment may register in any order.
    ids = []
    for n in range(3):
        ids.append(owner.upload(f"file {n}\n".encode(), name=f"f{n}.txt"))
        owner.wait_until_done(ids[-1])

    first = owner.call("GET", "/files", params={"limit": 2}).json()
    second = owner.call("GET", "/files", params={"limit": 2, "nextToken": first["nextToken"]}).json()

    listed = [f["fileId"] for f in first["items"] + second["items"]]
    assert listed == list(reversed(ids))
    assert "nextToken" not in second


@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer not-a-jwt", "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0."],
    ids=["missing", "garbage", "unsigned"],
)
def test_owner_routes_need_a_valid_jwt(local_stack: LocalStack, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    for method, path in [("GET", "/files"), ("POST", "/uploads"), ("GET", f"/files/{'0' * 32}")]:
        answer = requests.request(method, f"{local_stack.api_url}{path}", headers=headers, json={}, timeout=10)
        assert answer.status_code == 401, (method, path)


def test_a_token_for_another_app_client_is_refused(local_stack: LocalStack, owner: Owner) -> None:
    cognito = local_stack.client("cognito-idp")
    pool = local_stack.stack.outputs["UserPoolId"]
    other = cognito.create_user_pool_client(
        UserPoolId=pool, ClientName="other-app", ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH"]
    )["UserPoolClient"]["ClientId"]
    tokens = cognito.initiate_auth(
        ClientId=other, AuthFlow="USER_PASSWORD_AUTH", AuthParameters={"USERNAME": owner.email, "PASSWORD": PASSWORD}
    )
    foreign = tokens["AuthenticationResult"]["IdToken"]

    answer = requests.get(f"{local_stack.api_url}/files", headers={"Authorization": f"Bearer {foreign}"}, timeout=10)

    assert answer.status_code == 401


def test_an_access_token_gets_401_with_error_json_on_every_owner_route(owner: Owner) -> None:
    # It passes the authorizer (its client_id is the app client) but is not the ID token the app sends.
    file_id = "0" * 32
    routes = [
        ("POST", "/uploads", {"name": "a.txt", "size": 3, "contentType": "text/plain"}),
        ("GET", "/files", None),
        ("GET", f"/files/{file_id}", None),
        ("GET", f"/files/{file_id}/downloads", None),
        ("POST", f"/files/{file_id}/shares", {}),
        ("DELETE", f"/files/{file_id}/shares/{'1' * 32}", None),
        ("DELETE", f"/files/{file_id}", None),
    ]
    for method, path, body in routes:
        answer = owner.call(method, path, json=body, headers={"Authorization": f"Bearer {owner.access_token}"})
        assert answer.status_code == 401, (method, path, answer.text)
        assert answer.json()["error"]["code"] == "unauthorized", (method, path)
    assert owner.call("GET", "/files").status_code == 200  # the same person's ID token is accepted


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("{not json", "invalid_request"),
        ('{"name": "a.txt", "size": 3}', "invalid_request"),
        ('{"name": "a.txt", "size": -1, "contentType": "text/plain"}', "invalid_request"),
        ('{"name": "", "size": 3, "contentType": "text/plain"}', "invalid_request"),
        ('{"name": "a.txt", "size": 3, "contentType": "text/plain; charset=utf-8"}', "invalid_request"),
        ('{"name": "a.txt", "size": 3, "contentType": "text/plain", "extra": 1}', "invalid_request"),
        ('{"name": "a.txt", "size": 1048577, "contentType": "text/plain"}', "upload_too_large"),
        ('["a list"]', "invalid_request"),
    ],
)
def test_bad_upload_requests_get_a_clear_400(owner: Owner, body: str, code: str) -> None:
    answer = owner.call("POST", "/uploads", data=body, headers={"Content-Type": "application/json"})

    assert answer.status_code == 400
    assert answer.json()["error"]["code"] == code
    assert answer.json()["error"]["message"]


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ('{"name": "a.txt", "size": -1, "contentType": "text/plain"}', "size"),
        ('{"name": "a.txt", "size": 3}', "contentType"),
    ],
)
def test_a_bad_upload_requests_message_names_the_field_and_repeats_no_data(owner: Owner, body: str, named: str) -> None:
    # Twice: the second answer comes from the schema as compiled for the first
    for _ in range(2):
        answer = owner.call("POST", "/uploads", data=body, headers={"Content-Type": "application/json"})
        message = answer.json()["error"]["message"]
        assert answer.status_code == 400
        assert message.startswith("the request body is invalid: ") and named in message
        assert "a.txt" not in message  # what was sent is not echoed back


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/nope", 404),
        ("DELETE", "/uploads", 404),
        ("GET", "/files/not-an-id", 404),
        ("GET", "/files?limit=0", 400),
        ("GET", "/files?limit=abc", 400),
        ("GET", "/files?nextToken=!!!", 400),
    ],
)
def test_unknown_routes_and_bad_parameters_get_json_errors(owner: Owner, method: str, path: str, status: int) -> None:
    answer = owner.call(method, path)

    assert answer.status_code == status
    assert set(answer.json()["error"]) == {"code", "message"}


def test_another_owners_page_token_is_refused(local_stack: LocalStack) -> None:
    alice, bob = Owner(local_stack), Owner(local_stack)
    for n in range(2):
        alice.wait_until_done(alice.upload(f"{n}\n".encode()))
    token = alice.call("GET", "/files", params={"limit": 1}).json()["nextToken"]

    answer = bob.call("GET", "/files", params={"nextToken": token})

    assert answer.status_code == 400


@pytest.mark.parametrize("token", ["x" * 43, "short", "A" * 200, "%00%2e%2e"])
def test_every_dead_link_gets_the_same_404(local_stack: LocalStack, token: str) -> None:
    info = requests.get(f"{local_stack.api_url}/public/shares/{token}", timeout=10)
    download = requests.post(f"{local_stack.api_url}/public/shares/{token}/download", json={}, timeout=10)

    assert info.status_code == download.status_code == 404
    assert (
        info.json()
        == download.json()
        == {"error": {"code": "not_found", "message": "this link does not exist or is no longer available"}}
    )


def test_a_malformed_download_body_is_a_400(owner: Owner) -> None:
    answer = requests.post(f"{owner.api}/public/shares/{'x' * 43}/download", data="{", timeout=10)
    assert answer.status_code == 400


def test_cors_preflight_allows_the_app_origin_only(local_stack: LocalStack) -> None:
    def preflight(origin: str) -> requests.Response:
        return requests.options(
            f"{local_stack.api_url}/uploads",
            headers={
                "Origin": origin,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization,content-type",
            },
            timeout=10,
        )

    allowed = preflight(local_stack.app_url)
    assert allowed.status_code == 204
    assert allowed.headers["Access-Control-Allow-Origin"] == local_stack.app_url
    assert "authorization" in allowed.headers["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Origin" not in preflight("https://evil.example").headers


def test_the_web_app_serves_its_config_and_the_api_contract(local_stack: LocalStack) -> None:
    config = requests.get(f"{local_stack.app_url}/config.json", timeout=10)
    assert config.status_code == 200
    assert set(config.json()) >= {
        "apiUrl",
        "region",
        "userPoolId",
        "userPoolClientId",
        "cognitoEndpoint",
        "maxUploadBytes",
        "singlePostMaxBytes",
    }
    assert config.json()["maxUploadBytes"] == 1048576
    assert config.json()["singlePostMaxBytes"] == 262144
    contract = requests.get(f"{local_stack.app_url}/openapi.yaml", timeout=10)
    assert contract.status_code == 200 and "openapi: 3.1" in contract.text
    assert requests.get(contract.url.rsplit("/", 1)[0] + "/file.json", timeout=10).json()["title"] == "File"
    page = requests.get(f"{local_stack.app_url}/s/some-token", timeout=10)
    assert page.status_code == 200 and "<html" in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    policy = dict(part.strip().split(" ", 1) for part in page.headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == policy["style-src"] == "'self'"  # no inline code of any kind
    assert local_stack.api_url in policy["connect-src"]
    assert requests.get(f"{local_stack.app_url}/../template.yaml", timeout=10).status_code == 404
