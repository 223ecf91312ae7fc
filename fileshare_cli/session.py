"""Signing in with Cognito and staying signed in.

``fileshare login`` signs in with ``USER_PASSWORD_AUTH`` (over TLS in AWS), or with SRP when the app
client does not allow it, and keeps only the **refresh token** (plus where the app is) in
``$XDG_CONFIG_HOME/fileshare/credentials.json``, mode 0600. Each command trades it for a fresh ID
token (``REFRESH_TOKEN_AUTH``), kept in memory only. ``fileshare logout`` revokes the refresh token
at Cognito (``RevokeToken``) and deletes the file.

Cognito's public calls need no AWS credentials: the client is unsigned.
"""

from __future__ import annotations

import base64
import json
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from fileshare_cli import private_files
from fileshare_cli.api import AppConfig, unreachable
from fileshare_cli.errors import CliError, Exit

SESSION_ENDED = "Your session has ended: run `fileshare login` again."
REFRESH_MARGIN_SECONDS = 60


def credentials_path() -> Path:
    return private_files.config_dir() / "credentials.json"


@dataclass(frozen=True)
class Credentials:
    app_url: str
    api_url: str
    region: str
    user_pool_id: str
    client_id: str
    cognito_endpoint: str | None
    username: str
    refresh_token: str

    @classmethod
    def for_app(cls, config: AppConfig, username: str, refresh_token: str) -> Credentials:
        return cls(
            app_url=config.app_url,
            api_url=config.api_url,
            region=config.region,
            user_pool_id=config.user_pool_id,
            client_id=config.client_id,
            cognito_endpoint=config.cognito_endpoint,
            username=username,
            refresh_token=refresh_token,
        )

    def save(self) -> None:
        private_files.write_json(credentials_path(), asdict(self))

    @classmethod
    def load(cls) -> Credentials | None:
        stored = private_files.read_json(credentials_path())
        try:
            return cls(**stored) if isinstance(stored, dict) else None
        except TypeError:
            return None  # written by another version: sign in again


def cognito_client(region: str, endpoint: str | None) -> Any:
    import boto3
    from botocore import UNSIGNED
    from botocore.config import Config

    return boto3.client(
        "cognito-idp",
        region_name=region,
        endpoint_url=endpoint,
        config=Config(signature_version=UNSIGNED, retries={"mode": "standard"}),
    )


def _cognito_call(cognito: Any, operation: str, **kwargs: Any) -> dict[str, Any]:
    """One Cognito call; connection failures become a sentence, Cognito's refusals stay ClientErrors."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return dict(getattr(cognito, operation)(**kwargs))
    except ClientError:
        raise
    except BotoCoreError as error:
        raise unreachable(str(cognito.meta.endpoint_url), error) from error


def _error_code(error: Exception) -> tuple[str, str]:
    response = getattr(error, "response", {}) or {}
    details = response.get("Error", {})
    return str(details.get("Code", "")), str(details.get("Message", ""))


def sign_in(config: AppConfig, username: str, password: str, cognito: Any | None = None) -> Credentials:
    """Sign in and return credentials to keep; raises CliError with a sentence when refused."""
    from botocore.exceptions import ClientError

    cognito = cognito or cognito_client(config.region, config.cognito_endpoint)
    try:
        try:
            answer = _cognito_call(
                cognito,
                "initiate_auth",
                ClientId=config.client_id,
                AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": username, "PASSWORD": password},
            )
        except ClientError as error:
            code, message = _error_code(error)
            if code != "InvalidParameterException" or "USER_PASSWORD_AUTH" not in message:
                raise
            answer = _sign_in_with_srp(cognito, config, username, password)
    except ClientError as error:
        raise _refusal(error) from error
    result = answer.get("AuthenticationResult")
    if not result:
        challenge = answer.get("ChallengeName", "another step")
        raise CliError(
            f"This account needs {challenge} to sign in, which the terminal client does not do: "
            "finish signing in once in the web app, then try again.",
            Exit.AUTH,
            "challenge_required",
        )
    return Credentials.for_app(config, username, str(result["RefreshToken"]))


def _sign_in_with_srp(cognito: Any, config: AppConfig, username: str, password: str) -> dict[str, Any]:
    """``USER_SRP_AUTH`` with pycognito's implementation of Cognito's SRP variant: the password never
    leaves this machine."""
    from pycognito.aws_srp import AWSSRP

    srp = AWSSRP(username, password, config.user_pool_id, config.client_id, client=cognito)
    parameters = srp.get_auth_params()
    started = _cognito_call(
        cognito, "initiate_auth", ClientId=config.client_id, AuthFlow="USER_SRP_AUTH", AuthParameters=parameters
    )
    if started.get("ChallengeName") != "PASSWORD_VERIFIER":
        return started
    arguments: dict[str, Any] = {
        "ClientId": config.client_id,
        "ChallengeName": "PASSWORD_VERIFIER",
        "ChallengeResponses": srp.process_challenge(started["ChallengeParameters"], parameters),
    }
    if started.get("Session"):
        arguments["Session"] = started["Session"]
    return _cognito_call(cognito, "respond_to_auth_challenge", **arguments)


def _refusal(error: Exception) -> CliError:
    code, message = _error_code(error)
    if code in ("NotAuthorizedException", "UserNotFoundException"):
        return CliError("Wrong email or password.", Exit.AUTH, "wrong_credentials")
    if code == "UserNotConfirmedException":
        return CliError("This account is not confirmed yet: confirm it from the email you received.", Exit.AUTH)
    if code == "PasswordResetRequiredException":
        return CliError("This account's password must be reset: do it in the web app first.", Exit.AUTH)
    if code in ("TooManyRequestsException", "LimitExceededException", "TooManyFailedAttemptsException"):
        return CliError("Too many sign-in attempts: wait a while and try again.", Exit.AUTH)
    return CliError(f"Cognito refused the sign-in ({code or 'error'}: {message}).", Exit.AUTH)


def _expiry(jwt: str) -> float:
    """The ``exp`` claim of a token Cognito just gave us (read, not verified: the API verifies it)."""
    try:
        payload = jwt.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return float(claims["exp"])
    except (IndexError, ValueError, KeyError, TypeError):
        return 0.0


class Session:
    """The signed-in user: hands out a valid ID token, refreshing it when it is about to expire."""

    def __init__(self, credentials: Credentials, cognito: Any | None = None) -> None:
        self.credentials = credentials
        self._cognito = cognito
        self._id_token: str | None = None
        self._expires = 0.0

    @classmethod
    def current(cls) -> Session:
        credentials = Credentials.load()
        if credentials is None:
            raise CliError("You are not signed in: run `fileshare login` first.", Exit.AUTH, "not_signed_in")
        return cls(credentials)

    @property
    def cognito(self) -> Any:
        if self._cognito is None:
            self._cognito = cognito_client(self.credentials.region, self.credentials.cognito_endpoint)
        return self._cognito

    def id_token(self) -> str:
        if self._id_token is None or time.time() > self._expires - REFRESH_MARGIN_SECONDS:
            from botocore.exceptions import ClientError

            try:
                answer = _cognito_call(
                    self.cognito,
                    "initiate_auth",
                    ClientId=self.credentials.client_id,
                    AuthFlow="REFRESH_TOKEN_AUTH",
                    AuthParameters={"REFRESH_TOKEN": self.credentials.refresh_token},
                )
            except ClientError as error:
                code, _ = _error_code(error)
                if code == "NotAuthorizedException":
                    raise CliError(SESSION_ENDED, Exit.AUTH, "session_ended") from error
                raise _refusal(error) from error
            self._id_token = str(answer["AuthenticationResult"]["IdToken"])
            self._expires = _expiry(self._id_token)
        return self._id_token

    def sign_out(self) -> bool:
        """Revoke the refresh token at Cognito and forget it here; False if Cognito could not be told."""
        from botocore.exceptions import ClientError

        revoked = True
        try:
            _cognito_call(
                self.cognito,
                "revoke_token",
                Token=self.credentials.refresh_token,
                ClientId=self.credentials.client_id,
            )
        except (ClientError, CliError):
            revoked = False
        private_files.remove(credentials_path())
        return revoked
