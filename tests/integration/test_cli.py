"""`fileshare local` (what `make run` calls), run as a person would run it: as a process."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
import requests
import yaml
from botocore import UNSIGNED
from botocore.config import Config

from devstack.cli import DEMO_EMAIL, DEMO_PASSWORD
from devstack.template import load_template

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.stack


def start(template: Path) -> tuple[subprocess.Popen[str], dict[str, str]]:
    process = subprocess.Popen(
        [sys.executable, "-m", "devstack.cli", "local", "--port", "0", "--template", str(template)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None
    urls: dict[str, str] = {}
    deadline = time.monotonic() + 120  # a start on a loaded shared machine (SAM translation, IAM setup)
    for line in process.stdout:
        found = re.match(r"\s+(Fileshare is running|HTTP API):\s+(\S+)", line)
        if found:
            urls[found.group(1)] = found.group(2)
        engine = re.match(r"\[engine\] .* in process (\d+)", line)
        if engine:
            urls["engine pid"] = engine.group(1)
        if "Ctrl-C stops everything" in line or time.monotonic() > deadline:
            break
    return process, urls


def stop(process: subprocess.Popen[str]) -> int:
    process.send_signal(signal.SIGINT)
    return process.wait(timeout=20)


def ended(pid: int, within: float = 15.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.1)
    return False


def test_a_route_added_to_the_template_is_served_with_no_other_change(tmp_path: Path) -> None:
    # Given a copy of the template with one more route on an existing function
    template = load_template(ROOT / "template.yaml")  # short-form tags read as their long forms
    events = template["Resources"]["FilesApiFunction"]["Properties"]["Events"]
    events["ListFilesAgain"] = {
        "Type": "HttpApi",
        "Properties": {"ApiId": {"Ref": "HttpApi"}, "Method": "GET", "Path": "/my/files"},
    }
    for name in ("functions", "statemachines", "schemas", "frontend"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / "template.yaml").write_text(yaml.safe_dump(template, sort_keys=False))

    # When the stack runs from that copy
    process, urls = start(tmp_path / "template.yaml")
    try:
        api = urls["HTTP API"]
        # Then the new route exists, behind the same JWT authorizer, and old routes still work
        assert requests.get(f"{api}/my/files", timeout=10).status_code == 401
        assert requests.get(f"{api}/files", timeout=10).status_code == 401
        assert requests.get(f"{api}/not/a/route", timeout=10).status_code == 404
        assert requests.get(f"{urls['Fileshare is running']}/config.json", timeout=10).json()["apiUrl"] == api
    finally:
        # And Ctrl-C stops everything cleanly, Step Functions' own process too
        assert stop(process) == 0
    assert ended(int(urls["engine pid"]))


def test_the_engines_process_does_not_outlive_a_stack_that_was_killed() -> None:
    # Given a running stack, its Step Functions engine in a process of its own
    process, urls = start(ROOT / "template.yaml")
    engine = int(urls["engine pid"])
    assert not ended(engine, within=0.5)

    # When the stack's process is killed outright (no Ctrl-C, nothing cleaned up)
    process.kill()
    process.wait(timeout=20)

    # Then the engine's process ends too: no orphan is left holding a core and the executions
    assert ended(engine)


def test_a_permission_taken_from_a_functions_policy_is_refused_locally(tmp_path: Path) -> None:
    # Given a copy of the template whose list-files function may no longer query the table
    template = load_template(ROOT / "template.yaml")
    [read_index] = [
        s
        for s in template["Resources"]["FilesApiFunction"]["Properties"]["Policies"][0]["Statement"]
        if s["Sid"] == "ReadIndex"
    ]
    read_index["Action"] = ["dynamodb:GetItem"]  # dynamodb:Query dropped
    for name in ("functions", "statemachines", "schemas", "frontend"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / "template.yaml").write_text(yaml.safe_dump(template, sort_keys=False))

    # When the demo account lists its files, and asks for one of them (GetItem, still granted)
    process, urls = start(tmp_path / "template.yaml")
    try:
        api, config = urls["HTTP API"], requests.get(f"{urls['Fileshare is running']}/config.json", timeout=10).json()
        cognito = boto3.client(
            "cognito-idp",
            endpoint_url=config["cognitoEndpoint"],
            region_name=config["region"],
            config=Config(signature_version=UNSIGNED),
        )
        token = cognito.initiate_auth(
            ClientId=config["userPoolClientId"],
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": DEMO_EMAIL, "PASSWORD": DEMO_PASSWORD},
        )["AuthenticationResult"]["IdToken"]
        headers = {"Authorization": f"Bearer {token}"}

        # Then the query is refused by IAM (the function fails: API Gateway's 500), the rest works
        assert requests.get(f"{api}/files", headers=headers, timeout=30).status_code == 500
        assert requests.get(f"{api}/files/{'0' * 32}", headers=headers, timeout=30).status_code == 404
    finally:
        assert stop(process) == 0
