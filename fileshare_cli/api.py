"""The one HTTP client: the app's ``/config.json``, the Fileshare HTTP API, and the error answers
turned into sentences with exit statuses (``fileshare_cli.errors``).

Owner routes carry ``Authorization: Bearer <ID token>`` from ``fileshare_cli.session``; the public
share routes carry nothing. Every body is the API's own JSON (``schemas/api/openapi.yaml``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import requests

from fileshare_cli.errors import CliError, Exit

TIMEOUT = (10, 60)  # connect, read (seconds)
USER_AGENT = "fileshare-cli/0.1"

NOT_SIGNED_IN = "You are not signed in, or your session has ended: run `fileshare login`."
DEAD_LINK = "This link does not exist or is no longer available (expired, revoked, used up or deleted)."
PROTECTED_LINK = "This link needs a password: rerun with --password-prompt (or set FILESHARE_PASSWORD)."

# (HTTP status, error code) -> (sentence, exit status); None: the server's own message.
_KNOWN: dict[tuple[int, str], tuple[str | None, Exit]] = {
    (403, "password_required"): (PROTECTED_LINK, Exit.PASSWORD),
    (403, "wrong_password"): ("The password is wrong.", Exit.PASSWORD),
    (429, "too_many_attempts"): (
        "Too many wrong passwords: the link is locked for a while, try again later.",
        Exit.PASSWORD,
    ),
    (409, "file_processing"): ("The file is still being checked: try again when it is done.", Exit.ERROR),
    (409, "file_not_ready"): (None, Exit.ERROR),
    (403, "forbidden"): ("This is for operators only: your account is not in the operators group.", Exit.AUTH),
    (409, "not_redrivable"): (None, Exit.ERROR),
}


def sentence(text: str) -> str:
    """``"the file is empty"`` -> ``"The file is empty."``"""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else f"{text}."


def http_session() -> requests.Session:
    http = requests.Session()
    http.headers["User-Agent"] = USER_AGENT
    return http


def unreachable(url: str, error: Exception) -> CliError:
    host = urlsplit(url).netloc or url
    return CliError(f"Cannot reach {host} ({type(error).__name__}): check the URL and your connection.")


@dataclass(frozen=True)
class AppConfig:
    """What the web app's ``/config.json`` tells a client about where everything is."""

    app_url: str
    api_url: str
    region: str
    user_pool_id: str
    client_id: str
    cognito_endpoint: str | None  # the local stack's moto; None in AWS (the regional endpoint)


def fetch_app_config(app_url: str, http: requests.Session | None = None) -> AppConfig:
    app_url = app_url.rstrip("/")
    if urlsplit(app_url).scheme not in ("http", "https"):
        raise CliError(f"{app_url} is not an http(s) URL.", Exit.USAGE)
    url = f"{app_url}/config.json"
    try:
        answer = (http or http_session()).get(url, timeout=TIMEOUT)
    except requests.RequestException as error:
        raise unreachable(url, error) from error
    try:
        answer.raise_for_status()
        body = answer.json()
        return AppConfig(
            app_url=app_url,
            api_url=str(body["apiUrl"]).rstrip("/"),
            region=str(body["region"]),
            user_pool_id=str(body["userPoolId"]),
            client_id=str(body["userPoolClientId"]),
            cognito_endpoint=body.get("cognitoEndpoint") or None,
        )
    except (requests.HTTPError, ValueError, KeyError, TypeError) as error:
        raise CliError(f"{app_url} does not look like a Fileshare app: no usable /config.json.") from error


class Api:
    """The HTTP API at ``api_url``; ``token`` supplies a fresh ID token for owner routes."""

    def __init__(self, api_url: str, token: Callable[[], str] | None = None, http: requests.Session | None = None):
        self.api_url = api_url.rstrip("/")
        self.token = token
        self.http = http or http_session()

    # --- the routes ----------------------------------------------------------------------------

    def create_upload(self, name: str, size: int, content_type: str) -> dict[str, Any]:
        return self._object("POST", "/uploads", {"name": name, "size": size, "contentType": content_type})

    def get_file(self, file_id: str) -> dict[str, Any]:
        return self._object("GET", f"/files/{_segment(file_id)}", not_found=f"You have no file {file_id}.")

    def find_file(self, file_id: str) -> dict[str, Any] | None:
        """The file, or None while it is not registered yet (the workflow creates the record)."""
        try:
            return self.get_file(file_id)
        except CliError as error:
            if error.status is Exit.NOT_FOUND:
                return None
            raise

    def list_files(self) -> Iterator[dict[str, Any]]:
        """Every file of the caller, newest first, following ``nextToken``."""
        params: dict[str, Any] = {"limit": 100}
        while True:
            page = self._object("GET", "/files", params=params)
            yield from page["items"]
            if not page.get("nextToken"):
                return
            params["nextToken"] = page["nextToken"]

    def create_share(self, file_id: str, options: dict[str, Any]) -> dict[str, Any]:
        return self._object(
            "POST", f"/files/{_segment(file_id)}/shares", options, not_found=f"You have no file {file_id}."
        )

    def revoke_share(self, file_id: str, share_id: str) -> None:
        self._call(
            "DELETE",
            f"/files/{_segment(file_id)}/shares/{_segment(share_id)}",
            not_found=f"File {file_id} has no link {share_id}.",
        )

    def delete_file(self, file_id: str) -> None:
        self._call("DELETE", f"/files/{_segment(file_id)}", not_found=f"You have no file {file_id}.")

    def describe_share(self, token: str) -> dict[str, Any]:
        return self._object("GET", f"/public/shares/{_segment(token)}", public=True, not_found=DEAD_LINK)

    def redeem_download(self, token: str, password: str | None) -> dict[str, Any]:
        body = {"password": password} if password else {}
        return self._object(
            "POST", f"/public/shares/{_segment(token)}/download", body, public=True, not_found=DEAD_LINK
        )

    # --- operators (the operators group) -----------------------------------------------------

    def list_executions(self, filters: dict[str, Any], limit: int) -> Iterator[dict[str, Any]]:
        """Executions of the Standard workflows, newest first, up to ``limit``, following ``nextToken``."""
        params: dict[str, Any] = {**filters, "limit": min(limit, 100)}
        count = 0
        while True:
            page = self._object("GET", "/ops/executions", params=params)
            for item in page["items"]:
                if count == limit:
                    return
                count += 1
                yield item
            if not page.get("nextToken"):
                return
            params["nextToken"] = page["nextToken"]

    def file_runs(self, file_id: str) -> dict[str, Any]:
        return self._object("GET", f"/ops/files/{_segment(file_id)}", not_found=f"There is no file {file_id}.")

    def redrive(self, execution_arn: str) -> dict[str, Any]:
        return self._object(
            "POST",
            f"/ops/executions/{_segment(execution_arn)}/redrive",
            not_found=f"There is no execution {execution_arn} of a Standard workflow.",
        )

    def reconcile(self, body: dict[str, Any]) -> dict[str, Any]:
        return self._object("POST", "/ops/reconcile", body)

    # --- one request, one error mapping --------------------------------------------------------

    def _object(self, method: str, path: str, body: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
        answer = self._call(method, path, body, **kwargs)
        if not isinstance(answer, dict):
            raise CliError(f"The service gave an unexpected answer to {method} {path}.")
        return answer

    def _call(
        self,
        method: str,
        path: str,
        body: dict[str, Any] | None = None,
        *,
        params: dict[str, Any] | None = None,
        public: bool = False,
        not_found: str = "Not found.",
    ) -> Any:
        headers = {}
        if not public:
            if self.token is None:
                raise CliError(NOT_SIGNED_IN, Exit.AUTH)
            headers["Authorization"] = f"Bearer {self.token()}"
        url = f"{self.api_url}{path}"
        try:
            answer = self.http.request(method, url, json=body, params=params, headers=headers, timeout=TIMEOUT)
        except requests.RequestException as error:
            raise unreachable(url, error) from error
        if answer.status_code < 300:
            return answer.json() if answer.content else None
        raise api_error(answer, not_found)


def api_error(answer: requests.Response, not_found: str) -> CliError:
    """One sentence and an exit status for an error answer of the API."""
    try:
        body = answer.json()
    except ValueError:
        body = None
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        error = {}
    code = str(error.get("code") or "")
    message = str(error.get("message") or "")
    status = answer.status_code
    if status == 401:
        return CliError(NOT_SIGNED_IN, Exit.AUTH, "unauthorized")
    if status == 404:
        return CliError(not_found, Exit.NOT_FOUND, "not_found")
    if (status, code) in _KNOWN:
        text, exit_status = _KNOWN[(status, code)]
        return CliError(text or sentence(message), exit_status, code)
    if 400 <= status < 500:
        return CliError(sentence(message) if message else f"The request was refused (HTTP {status}).", Exit.USAGE, code)
    return CliError(f"The service failed (HTTP {status}): try again later.", Exit.ERROR, code or "server_error")


def _segment(value: str) -> str:
    """A path segment as typed by a user, encoded so that it can never reach another route."""
    return quote(value, safe="")
