"""Serving the web app as CloudFront would: static files with the security headers of the
template's response-headers policy, SPA routing, ``/config.json`` built from the stack's outputs,
the API contract at ``/openapi.yaml``, and (local only, never deployed) what the app would have
emailed at ``/local/mail``.

Routing matches the CloudFront Function of the template: the recipients' ``/s/{token}`` pages get
``share.html`` and the uploaders' ``/r/{token}`` pages ``request.html`` (each its own small bundle),
other extension-less paths get ``index.html`` (the owner app), and a missing file with an extension
is a real 404. Files get the Cache-Control that ``make deploy-frontend`` uploads them with
(``delivery.frontend.cache_control``)."""

from __future__ import annotations

import json
import mimetypes
import socket
from collections.abc import Callable
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Request, Response

from delivery.frontend import cache_control
from devstack.mail import SentMail, mail_page
from devstack.serving import Server


class WebApp:
    def __init__(
        self,
        *,
        static_dir: Path,
        schemas_dir: Path,
        config: Callable[[], dict[str, Any]],
        headers: Callable[[], dict[str, str]],
        mail: Callable[[], list[SentMail]] | None = None,
    ) -> None:
        self.static_dir = static_dir.resolve()
        self.schemas_dir = schemas_dir.resolve()
        self.config = config
        self.headers = headers
        self.mail = mail
        self._server: Server | None = None
        self.port = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        response = self.handle(request)
        response.headers.update(self.headers())
        return response(environ, start_response)

    def handle(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return Response("method not allowed", status=405)
        path = request.path
        if path == "/config.json":
            return Response(
                json.dumps(self.config()), content_type="application/json", headers={"Cache-Control": "no-store"}
            )
        if path == "/local/mail" and self.mail is not None:
            return Response(mail_page(self.mail()), content_type="text/html", headers={"Cache-Control": "no-store"})
        if path == "/openapi.yaml":
            # Served from beside the schemas it references, so its relative $refs resolve.
            return Response(status=302, headers={"Location": "/schemas/api/openapi.yaml"})
        if path.startswith("/schemas/"):
            return self._file(self._inside(self.schemas_dir, path[len("/schemas/") :]))
        candidate = self._inside(self.static_dir, path.lstrip("/")) if path != "/" else None
        if candidate is not None and candidate.is_file():
            return self._file(candidate, headers={"Cache-Control": cache_control(path.lstrip("/"))})
        if "." in path.rsplit("/", 1)[-1]:
            return Response("not found", status=404)
        page = self.static_dir / entry_point(path)
        if not page.is_file():
            return Response("the web app is not built: `make run` builds it (npm run build in frontend/)", status=503)
        return self._file(page, headers={"Cache-Control": cache_control(page.name)})

    @staticmethod
    def _inside(root: Path, relative: str) -> Path | None:
        target = (root / relative).resolve()
        return target if target.is_relative_to(root) else None

    @staticmethod
    def _file(path: Path | None, content_type: str | None = None, headers: dict[str, str] | None = None) -> Response:
        if path is None or not path.is_file():
            return Response("not found", status=404)
        kind = content_type or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return Response(path.read_bytes(), content_type=kind, headers=headers or {})

    # ------------------------------------------------------------------ serving
    def bind(self, port: int) -> int:
        """Claim the port first: the stack needs the app's URL before it provisions anything."""
        self._server = Server(self, port, name="web")
        self.port = self._server.port
        return self.port

    def start(self) -> None:
        assert self._server is not None, "bind() first"
        self._server.start()

    def stop(self) -> None:
        if self._server:
            self._server.stop()


def entry_point(path: str) -> str:
    """The HTML entry point for an app route: recipients' share pages and uploaders' request pages
    have their own."""
    if path.startswith("/s/"):
        return "share.html"
    return "request.html" if path.startswith("/r/") else "index.html"


def security_headers(policy: dict[str, Any], connect_sources: list[str]) -> dict[str, str]:
    """The headers CloudFront adds for a response-headers policy's ``SecurityHeadersConfig``, with
    the CSP's ``connect-src`` hosts replaced by ``connect_sources`` (the local API and moto stand in
    for API Gateway, S3 and Cognito); its keywords such as ``'self'`` stay."""
    config = policy["SecurityHeadersConfig"]
    headers: dict[str, str] = {}
    if "ContentSecurityPolicy" in config:
        directives = []
        for directive in config["ContentSecurityPolicy"]["ContentSecurityPolicy"].split(";"):
            name, *sources = directive.split()
            if name == "connect-src":
                sources = [s for s in sources if s.startswith("'")] + connect_sources
            directives.append(" ".join([name, *sources]))
        headers["Content-Security-Policy"] = "; ".join(directives)
    if "StrictTransportSecurity" in config:
        hsts = config["StrictTransportSecurity"]
        value = f"max-age={hsts['AccessControlMaxAgeSec']}"
        value += "; includeSubDomains" if _true(hsts.get("IncludeSubdomains")) else ""
        value += "; preload" if _true(hsts.get("Preload")) else ""
        headers["Strict-Transport-Security"] = value
    if "ContentTypeOptions" in config:
        headers["X-Content-Type-Options"] = "nosniff"
    if "FrameOptions" in config:
        headers["X-Frame-Options"] = config["FrameOptions"]["FrameOption"]
    if "ReferrerPolicy" in config:
        headers["Referrer-Policy"] = config["ReferrerPolicy"]["ReferrerPolicy"]
    return headers


def _true(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True
