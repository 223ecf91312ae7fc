"""`fileshare local` (what `make run` calls), run as a person would run it: as a process."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import yaml

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
    deadline = time.monotonic() + 60
    for line in process.stdout:
        found = re.match(r"\s+(Fileshare is running|HTTP API):\s+(\S+)", line)
        if found:
            urls[found.group(1)] = found.group(2)
        if "Ctrl-C stops everything" in line or time.monotonic() > deadline:
            break
    return process, urls


def stop(process: subprocess.Popen[str]) -> int:
    process.send_signal(signal.SIGINT)
    return process.wait(timeout=20)


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
        # And Ctrl-C stops everything cleanly
        assert stop(process) == 0
