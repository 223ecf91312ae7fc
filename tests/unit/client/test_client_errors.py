"""API error answers become one sentence and a documented exit status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from fileshare_cli.api import DEAD_LINK, api_error
from fileshare_cli.errors import MEANINGS, Exit
from fileshare_cli.main import EPILOG, main


def answer(status: int, body: object) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = json.dumps(body).encode()
    return response


def error_body(code: str, message: str) -> dict[str, object]:
    return {"error": {"code": code, "message": message}}


@pytest.mark.parametrize(
    ("status", "body", "sentence", "exit_status"),
    [
        (401, {"message": "Unauthorized"}, "You are not signed in, or your session has ended", Exit.AUTH),
        (404, error_body("not_found", "this link does not exist"), DEAD_LINK, Exit.NOT_FOUND),
        (403, error_body("password_required", "x"), "This link needs a password", Exit.PASSWORD),
        (403, error_body("wrong_password", "wrong password"), "The password is wrong.", Exit.PASSWORD),
        (429, error_body("too_many_attempts", "x"), "Too many wrong passwords", Exit.PASSWORD),
        (400, error_body("upload_too_large", "the file is 9 bytes"), "The file is 9 bytes.", Exit.USAGE),
        (409, error_body("file_processing", "x"), "The file is still being checked", Exit.ERROR),
        (500, {"message": "Internal Server Error"}, "The service failed (HTTP 500)", Exit.ERROR),
        (502, "not json at all", "The service failed (HTTP 502)", Exit.ERROR),
    ],
)
def test_error_answers_become_sentences_and_statuses(
    status: int, body: object, sentence: str, exit_status: Exit
) -> None:
    error = api_error(answer(status, body), not_found=DEAD_LINK)
    assert str(error).startswith(sentence)
    assert str(error).endswith(".")
    assert error.status is exit_status


def test_every_exit_status_is_documented_in_the_help() -> None:
    assert set(MEANINGS) == set(Exit)
    for status in Exit:
        assert f"{int(status):>3}  {MEANINGS[status]}" in EPILOG


def test_a_command_without_a_session_says_so_in_one_line_and_exits_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert main(["ls"]) == Exit.AUTH
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == ["fileshare: You are not signed in: run `fileshare login` first."]


def test_the_client_does_not_import_moto_or_the_lambda_code() -> None:
    import subprocess
    import sys

    probe = (
        "import sys, fileshare_cli.main as m; m.build_parser(); "
        "print(sorted({n.split('.')[0] for n in sys.modules} & {'moto', 'fileshare', 'devstack', 'flask'}))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
