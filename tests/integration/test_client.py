"""The terminal client, run as a person runs it: the installed ``fileshare`` command in a process
of its own, against the session's local stack, with its own home, config and cache directories.

The test stack's limits (tests/conftest.py: 1 MiB per file, presigned POST up to 256 KiB) make a
300 KiB file go up as multipart, in one part: S3 wants at least 5 MiB in every part but the last.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import signal
import stat
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from devstack.stack import LocalStack
from tests.contracts import validate
from tests.stack_support import eicar

pytestmark = pytest.mark.stack
FILESHARE = Path(sys.executable).with_name("fileshare")
PASSWORD = "Correct-horse-9"
MULTIPART_BYTES = 300 * 1024  # above the test stack's 256 KiB presigned-POST limit


class Terminal:
    """One person's machine: a home directory, and the ``fileshare`` command run with it."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("FILESHARE_") and "proxy" not in k.lower()}
        self.env.update(
            HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), XDG_CACHE_HOME=str(home / ".cache"), COLUMNS="200"
        )

    def command(self, *args: str) -> list[str]:
        assert FILESHARE.exists(), f"{FILESHARE} is not installed: make install"
        return [str(FILESHARE), *args]

    def run(
        self, *args: str, stdin: str | None = None, env: dict[str, str] | None = None, timeout: float = 120
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(*args),
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            cwd=self.home,
            env={**self.env, **(env or {})},
            timeout=timeout,
            check=False,
        )

    def json(self, *args: str, **kwargs: Any) -> Any:
        done = self.run(*args, "--json", **kwargs)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    @property
    def credentials(self) -> Path:
        return self.home / ".config" / "fileshare" / "credentials.json"


def sign_up(stack: LocalStack) -> str:
    email = f"{uuid.uuid4().hex[:12]}@example.com"
    stack.client("cognito-idp").sign_up(
        ClientId=stack.stack.outputs["UserPoolClientId"],
        Username=email,
        Password=PASSWORD,
        UserAttributes=[{"Name": "email", "Value": email}],
    )
    return email


@pytest.fixture
def me(local_stack: LocalStack, tmp_path: Path) -> Terminal:
    """A new account, signed in with ``fileshare login``."""
    terminal = Terminal(tmp_path)
    email = sign_up(local_stack)
    done = terminal.run("login", "--url", local_stack.app_url, "--email", email, stdin=f"{PASSWORD}\n")
    assert done.returncode == 0, done.stderr
    assert f"as {email}" in done.stdout
    return terminal


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def stderr_sentence(done: subprocess.CompletedProcess[str]) -> str:
    """Errors are one line on stderr."""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


# --- signing in -----------------------------------------------------------------------------------


def test_login_keeps_only_a_refresh_token_private_and_logout_revokes_it(
    local_stack: LocalStack, tmp_path: Path
) -> None:
    terminal = Terminal(tmp_path)
    email = sign_up(local_stack)

    wrong = terminal.run("login", "--url", local_stack.app_url, "--email", email, stdin="Wrong-password-1\n")
    assert wrong.returncode == 3
    assert stderr_sentence(wrong) == "fileshare: Wrong email or password."
    assert not terminal.credentials.exists()

    done = terminal.run("login", "--url", local_stack.app_url, "--email", email, stdin=f"{PASSWORD}\n")
    assert done.returncode == 0, done.stderr
    # Only the owner may read the file or its directory; it holds no password and no ID token.
    assert stat.S_IMODE(terminal.credentials.stat().st_mode) == 0o600
    assert stat.S_IMODE(terminal.credentials.parent.stat().st_mode) == 0o700
    kept = json.loads(terminal.credentials.read_text())
    assert kept["refresh_token"] and kept["username"] == email
    assert PASSWORD not in terminal.credentials.read_text() and "id_token" not in kept
    assert terminal.json("ls") == []

    stolen = terminal.credentials.read_text()
    out = terminal.run("logout")
    assert out.returncode == 0 and "revoked" in out.stdout
    assert not terminal.credentials.exists()
    assert terminal.run("ls").returncode == 3
    # A copy taken before the logout no longer works: Cognito revoked the refresh token.
    terminal.credentials.write_text(stolen)
    after = terminal.run("ls")
    assert after.returncode == 3
    assert stderr_sentence(after) == "fileshare: Your session has ended: run `fileshare login` again."


# --- uploads --------------------------------------------------------------------------------------


def test_three_files_one_of_them_eicar_the_exit_status_reflects_the_verdicts(me: Terminal) -> None:
    notes = write(me.home / "notes.txt", b"meeting notes\n" * 100)
    big = write(me.home / "big.bin", os.urandom(MULTIPART_BYTES))
    infected = write(me.home / "totally-safe.txt", eicar())

    done = me.run("upload", str(notes), str(big), str(infected), "--wait", "--json")

    assert done.returncode == 6, done.stderr  # one file is not READY
    results = json.loads(done.stdout)
    assert [r["path"] for r in results] == [str(notes), str(big), str(infected)]
    for result in results:
        validate("api/file.json", result["file"])  # the API's own File, as the contract says
        assert result["error"] is None
    statuses = [r["file"]["status"] for r in results]
    assert statuses == ["READY", "READY", "INFECTED"]
    assert results[0]["file"]["sha256"] == hashlib.sha256(notes.read_bytes()).hexdigest()
    assert results[1]["file"]["sha256"] == hashlib.sha256(big.read_bytes()).hexdigest()  # went up in parts
    assert results[0]["link"].startswith("http") and results[1]["link"].startswith("http")
    assert results[2]["link"] is None and "EICAR" in results[2]["file"]["reason"]

    listed = me.json("ls")
    for file in listed:
        validate("api/file.json", file)
    assert {f["fileId"]: f["status"] for f in listed} == {r["fileId"]: r["file"]["status"] for r in results}

    # For people: one line per file; the clean ones alone exit 0.
    human = me.run("upload", str(notes), "--wait")
    assert human.returncode == 0, human.stderr
    assert "notes.txt  READY  http" in human.stdout


def test_a_missing_file_is_refused_before_anything_is_uploaded(me: Terminal) -> None:
    done = me.run("upload", str(me.home / "nope.pdf"))
    assert done.returncode == 2
    assert stderr_sentence(done) == f"fileshare: {me.home / 'nope.pdf'} is not a file."
    assert me.json("ls") == []


class HoldingProxy(ThreadingHTTPServer):
    """A plain-HTTP forward proxy between the client and the local stack: it records every request
    and, while ``hold`` is set, keeps CompleteMultipartUpload requests (POST ...?uploadId=) waiting,
    so that the test can press Ctrl-C after the parts went up and before the upload was completed."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.seen: list[tuple[str, str]] = []
        self.hold = True
        self.holding = threading.Event()
        self.release = threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _ProxyHandler(BaseHTTPRequestHandler):
    server: HoldingProxy

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        self.server.seen.append((self.command, self.path))
        if self.server.hold and self.command == "POST" and "uploadId=" in self.path:
            self.server.holding.set()
            self.server.release.wait(60)
            return  # the client was interrupted meanwhile
        target = urlsplit(self.path)
        connection = http.client.HTTPConnection(target.netloc, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("proxy-connection", "connection")}
        connection.request(
            self.command, f"{target.path}?{target.query}" if target.query else target.path, body, headers
        )
        answer = connection.getresponse()
        content = answer.read()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = forward


@pytest.fixture
def proxy() -> Iterator[HoldingProxy]:
    server = HoldingProxy()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.release.set()
        server.shutdown()
        server.server_close()


def test_an_interrupted_multipart_upload_resumes_without_sending_its_parts_again(
    me: Terminal, proxy: HoldingProxy
) -> None:
    big = write(me.home / "big.bin", os.urandom(MULTIPART_BYTES))
    through_proxy = {"HTTP_PROXY": proxy.url, "http_proxy": proxy.url, "NO_PROXY": "", "no_proxy": ""}

    # Given an upload interrupted with Ctrl-C after its part went up, before it was completed
    first = subprocess.Popen(
        me.command("upload", str(big), "--wait", "--json"),
        cwd=me.home,
        env={**me.env, **through_proxy},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proxy.holding.wait(60), "the client never tried to complete the upload"
        first.send_signal(signal.SIGINT)
        _, stderr = first.communicate(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 130
    assert "run the same command again to resume" in stderr
    part_puts = [path for method, path in proxy.seen if method == "PUT" and "partNumber=" in path]
    assert len(part_puts) == 1
    # The resume record is private (its URLs are bearer credentials) and holds the part's ETag.
    [record_path] = (me.home / ".cache" / "fileshare" / "uploads").iterdir()
    assert stat.S_IMODE(record_path.stat().st_mode) == 0o600
    record = json.loads(record_path.read_text())
    assert list(record["etags"]) == ["1"]

    # When the same command runs again
    proxy.hold, proxy.seen = False, []
    second = me.run("upload", str(big), "--wait", "--json", env=through_proxy)

    # Then it sends no part again, completes the same upload, and the file is READY with these bytes
    assert second.returncode == 0, second.stderr
    assert "resuming big.bin: 1 of 1 parts already sent" in second.stderr
    assert not [path for method, path in proxy.seen if method == "PUT"]
    assert len([path for method, path in proxy.seen if method == "POST" and "uploadId=" in path]) == 1
    [result] = json.loads(second.stdout)
    assert result["fileId"] == record["file_id"]
    assert result["file"]["status"] == "READY"
    assert result["file"]["sha256"] == hashlib.sha256(big.read_bytes()).hexdigest()
    assert not record_path.exists()


# --- downloads ------------------------------------------------------------------------------------


def test_get_with_and_without_a_password_saves_the_same_bytes(me: Terminal, tmp_path: Path) -> None:
    body = ("Grüße aus Köln — " * 300).encode()
    report = write(me.home / "Grüße 2026.txt", body)
    [uploaded] = me.json("upload", str(report), "--wait")
    link = uploaded["link"]
    recipient = Terminal(tmp_path / "recipient")  # no account, nothing configured
    recipient.home.mkdir()

    got = recipient.json("get", link)
    saved = recipient.home / "Grüße 2026.txt"  # the name from the link, sanitized
    assert saved.read_bytes() == body
    assert got["verified"] is True and got["sha256"] == hashlib.sha256(body).hexdigest()
    validate("api/public-share.response.json", got["share"])

    again = recipient.run("get", link)
    assert again.returncode == 2  # never overwrites without --force
    assert "already exists" in stderr_sentence(again)
    assert recipient.run("get", link, "--force").returncode == 0

    share = me.json("share", uploaded["fileId"], "--password-prompt", "--max-downloads", "5", stdin="Open-sesame-7\n")
    validate("api/share.json", share)
    assert share["passwordProtected"] is True and share["maxDownloads"] == 5

    without = recipient.run("get", share["url"], "-o", "locked.txt")
    assert without.returncode == 5
    assert stderr_sentence(without) == (
        "fileshare: This link needs a password: rerun with --password-prompt (or set FILESHARE_PASSWORD)."
    )
    wrong = recipient.run("get", share["url"], "-o", "locked.txt", "--password-prompt", stdin="guess\n")
    assert wrong.returncode == 5
    assert stderr_sentence(wrong) == "fileshare: The password is wrong."
    assert not (recipient.home / "locked.txt").exists()

    right = recipient.run("get", share["url"], "-o", "unlocked.txt", env={"FILESHARE_PASSWORD": "Open-sesame-7"})
    assert right.returncode == 0, right.stderr
    assert (recipient.home / "unlocked.txt").read_bytes() == body
    assert "SHA-256 verified" in right.stdout


def test_dead_links_give_a_clear_message_and_status_4(me: Terminal, tmp_path: Path) -> None:
    notes = write(me.home / "notes.txt", b"only once\n")
    # Link options at upload: the default link is replaced by one with a limit of one download.
    [uploaded] = me.json("upload", str(notes), "--max-downloads", "1")
    shares = uploaded["file"]["shares"]
    assert [s["revoked"] for s in shares] == [True, False] and shares[1]["maxDownloads"] == 1
    recipient = Terminal(tmp_path / "recipient")
    recipient.home.mkdir()
    dead = "fileshare: This link does not exist or is no longer available (expired, revoked, used up or deleted)."

    assert "url" not in shares[0]  # a revoked link is listed, never shown again (its revoked death: below)
    assert recipient.run("get", uploaded["link"]).returncode == 0
    used_up = recipient.run("get", uploaded["link"], "-o", "second.txt")
    assert used_up.returncode == 4 and stderr_sentence(used_up) == dead

    extra = me.json("share", uploaded["fileId"])
    assert recipient.run("revoke", uploaded["fileId"], extra["shareId"]).returncode == 3  # not signed in there
    assert me.json("revoke", uploaded["fileId"], extra["shareId"]) == {
        "fileId": uploaded["fileId"],
        "shareId": extra["shareId"],
        "revoked": True,
    }
    assert recipient.run("get", extra["url"], "-o", "third.txt").returncode == 4

    last = me.json("share", uploaded["fileId"])
    assert me.run("rm", uploaded["fileId"]).returncode == 0
    gone = recipient.run("get", last["url"], "-o", "fourth.txt")
    assert gone.returncode == 4 and stderr_sentence(gone) == dead
    assert me.run("ls", uploaded["fileId"]).returncode == 4

    malformed = recipient.run("get", "https://example.com/not-a-link")
    assert malformed.returncode == 2
    assert "is not a share link" in stderr_sentence(malformed)
