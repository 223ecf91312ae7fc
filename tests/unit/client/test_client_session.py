"""Signing in against a Cognito that does only SRP (pycognito does the client's arithmetic), and the
private files the client keeps."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import stat
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from pycognito.aws_srp import G_HEX, N_HEX, calculate_u, compute_hkdf, hex_hash, hex_to_long, long_to_hex, pad_hex

from fileshare_cli import private_files
from fileshare_cli.api import AppConfig
from fileshare_cli.errors import CliError, Exit
from fileshare_cli.session import Credentials, sign_in

CONFIG = AppConfig(
    app_url="http://app",
    api_url="http://api",
    region="us-east-1",
    user_pool_id="us-east-1_TestPool",
    client_id="client",
    cognito_endpoint=None,
)


N = hex_to_long(N_HEX)
G = hex_to_long(G_HEX)
K = hex_to_long(hex_hash("00" + N_HEX + "0" + G_HEX))


class SrpOnlyCognito:
    """A user pool whose app client does not allow USER_PASSWORD_AUTH: it keeps only the SRP
    verifier of the password and checks the client's proof the way Cognito's server side does."""

    def __init__(self, username: str, password: str) -> None:
        self.user_id = "a1b2c3d4-user-id"
        self.salt = secrets.token_hex(16)
        pool_name = CONFIG.user_pool_id.split("_", 1)[1]
        inner = hashlib.sha256(f"{pool_name}{self.user_id}:{password}".encode()).hexdigest()
        self.verifier = pow(G, int(hex_hash(pad_hex(self.salt) + inner), 16), N)
        self.username, self.pool_name = username, pool_name
        self.srp_a = 0
        self.b = secrets.randbits(1024)

    def initiate_auth(self, **call: Any) -> dict[str, Any]:
        if call["AuthFlow"] == "USER_PASSWORD_AUTH":
            raise ClientError(
                {"Error": {"Code": "InvalidParameterException", "Message": "USER_PASSWORD_AUTH flow not enabled"}},
                "InitiateAuth",
            )
        assert call["AuthFlow"] == "USER_SRP_AUTH" and call["AuthParameters"]["USERNAME"] == self.username
        self.srp_a = int(call["AuthParameters"]["SRP_A"], 16)
        big_b = (K * self.verifier + pow(G, self.b, N)) % N
        self.big_b = big_b
        return {
            "ChallengeName": "PASSWORD_VERIFIER",
            "ChallengeParameters": {
                "USER_ID_FOR_SRP": self.user_id,
                "USERNAME": self.user_id,
                "SALT": self.salt,
                "SRP_B": f"{big_b:x}",
                "SECRET_BLOCK": base64.b64encode(b"opaque block").decode(),
            },
        }

    def respond_to_auth_challenge(self, **call: Any) -> dict[str, Any]:
        responses = call["ChallengeResponses"]
        u = calculate_u(self.srp_a, self.big_b)
        s = pow(self.srp_a * pow(self.verifier, u, N), self.b, N)  # the server's side of the key
        key = compute_hkdf(bytearray.fromhex(pad_hex(s)), bytearray.fromhex(pad_hex(long_to_hex(u))))
        message = (
            self.pool_name.encode()
            + self.user_id.encode()
            + base64.b64decode(responses["PASSWORD_CLAIM_SECRET_BLOCK"])
            + responses["TIMESTAMP"].encode()
        )
        expected = base64.b64encode(hmac.digest(key, message, "sha256")).decode()
        if responses["PASSWORD_CLAIM_SIGNATURE"] != expected:
            raise ClientError(
                {"Error": {"Code": "NotAuthorizedException", "Message": "Incorrect username or password."}},
                "RespondToAuthChallenge",
            )
        return {"AuthenticationResult": {"IdToken": "id", "AccessToken": "access", "RefreshToken": "refresh-1"}}


def test_a_pool_that_requires_srp_gets_srp_and_never_sees_the_password() -> None:
    cognito = SrpOnlyCognito("me@example.com", "Correct-horse-9")
    credentials = sign_in(CONFIG, "me@example.com", "Correct-horse-9", cognito=cognito)
    assert credentials.refresh_token == "refresh-1"


def test_srp_with_a_wrong_password_is_refused_with_status_3() -> None:
    cognito = SrpOnlyCognito("me@example.com", "Correct-horse-9")
    with pytest.raises(CliError) as refused:
        sign_in(CONFIG, "me@example.com", "Correct-horse-8", cognito=cognito)
    assert refused.value.status is Exit.AUTH
    assert str(refused.value) == "Wrong email or password."


def test_private_files_are_0600_in_a_0700_directory_whatever_the_umask(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    target = private_files.config_dir() / "credentials.json"
    target.parent.mkdir(parents=True, mode=0o755)
    target.write_text("{}")
    target.chmod(0o644)  # left readable by something else
    old = os.umask(0)
    try:
        Credentials.for_app(CONFIG, "me@example.com", "refresh-1").save()
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert json.loads(target.read_text())["refresh_token"] == "refresh-1"
    assert Credentials.load() == Credentials.for_app(CONFIG, "me@example.com", "refresh-1")
    assert [p.name for p in target.parent.iterdir()] == ["credentials.json"]  # no temporary file left


def test_new_private_directories_are_0700(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    private_files.write_json(private_files.cache_dir() / "uploads" / "x.json", {"a": 1})
    assert stat.S_IMODE((private_files.cache_dir() / "uploads").stat().st_mode) == 0o700
