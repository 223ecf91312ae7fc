"""The local stack's HTTP servers: werkzeug's threaded server, keeping connections open.

Werkzeug's development server closes the connection after every response. Its own comment gives
the reason: after a response it reads and throws away whatever the client still sends, so that a
client whose body was refused sees the answer rather than a reset, and on a kept connection that
would swallow the next request. So every AWS call to the local stack paid for a TCP connection, a
new thread and the server's accept loop, on both sides: measured on one ``GetItem`` after another,
2.7 ms of the stack's CPU per call, 1.55 ms once connections are kept, and 1.9 against 1.4 ms in
the caller (botocore). Every SDK, the engine's calls and the browser keep connections open.

``KeepAlive`` keeps them open as any HTTP/1.1 server does:

- the request's body is bounded by its ``Content-Length`` (or werkzeug's de-chunking), and what
  the application left unread is read and thrown away after the answer, so the next request starts
  where it should; werkzeug's own drain is pointed at a stand-in that is empty at once;
- ``Connection: close`` is sent only when the client asked for it (or spoke HTTP/1.0), or when a
  body could not be read to its end;
- Nagle's algorithm is off: werkzeug sends a response's headers and its body apart, and on a kept
  connection the second send would wait for the client's delayed acknowledgement, 40 ms a call;
- a connection idle for ``IDLE_SECONDS`` is closed, as AWS's load balancers do; a client's pool
  opens a new one when it next needs it;
- stopping a server closes the connections it holds, so a stopped stack answers no one.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import socket
import threading
from typing import Any

from moto.moto_server.werkzeug_app import MotoRequestHandler
from werkzeug.exceptions import ClientDisconnected
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wsgi import LimitedStream, get_content_length

_access_log = logging.getLogger("werkzeug")
IDLE_SECONDS = 60  # an Application Load Balancer's default idle timeout
_DISCARD_CHUNK = 1 << 16


@functools.cache
def _always_readable() -> int:
    """The read end of a pipe holding one byte that is never read."""
    read_end, write_end = os.pipe()
    os.write(write_end, b".")
    return read_end


class _AtOnce:
    """Stands in for the connection in werkzeug's drain after a response: readable at once."""

    fileno = staticmethod(_always_readable)


class _Empty:
    """Stands in for the request stream in werkzeug's drain: nothing more to read."""

    @staticmethod
    def read(size: int = -1) -> bytes:
        return b""


class KeepAlive(WSGIRequestHandler):
    """Werkzeug's request handler, keeping the connection open between requests (served by
    ``Server``, which holds the set of open connections)."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    timeout = IDLE_SECONDS

    _body: Any = None
    _held: tuple[Any, Any] | None = None

    def setup(self) -> None:
        super().setup()
        self.server.kept_connections.add(self.connection)  # type: ignore[attr-defined]

    def finish(self) -> None:
        self.server.kept_connections.discard(self.connection)  # type: ignore[attr-defined]
        super().finish()

    def make_environ(self) -> dict[str, Any]:
        environ = super().make_environ()
        if environ.get("wsgi.input_terminated"):  # chunked: werkzeug's de-chunker ends at the last chunk
            self._body = environ["wsgi.input"]
        else:
            self._body = LimitedStream(self.rfile, get_content_length(environ) or 0)  # type: ignore[arg-type]
            environ["wsgi.input"] = self._body
            environ["wsgi.input_terminated"] = True
        # What werkzeug's drain reads after the response: stand-ins, until run_wsgi returns.
        self._held = (self.connection, self.rfile)
        self.connection, self.rfile = _AtOnce(), _Empty()  # type: ignore[assignment]
        return environ

    def run_wsgi(self) -> None:
        self._body, self._held = None, None
        try:
            super().run_wsgi()
        finally:
            if self._held is not None:
                self.connection, self.rfile = self._held
        self._discard_unread_body()

    def _discard_unread_body(self) -> None:
        if self.close_connection or self._body is None:
            return
        try:
            while self._body.read(_DISCARD_CHUNK):
                pass
        except (OSError, ClientDisconnected):
            self.close_connection = True

    def send_header(self, keyword: str, value: str) -> None:
        if keyword.lower() == "connection" and value.lower() == "close" and not self.close_connection:
            return  # werkzeug's "close" on every response; kept unless the client asked otherwise
        super().send_header(keyword, value)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        self.close_connection = True  # a request http.server could not parse: what follows is unknown
        super().send_error(code, message, explain)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if _access_log.isEnabledFor(logging.INFO):  # werkzeug formatted every line, then dropped it
            super().log_request(code, size)

    def log_error(self, format: str, *args: Any) -> None:
        if format.startswith("Request timed out"):
            return  # an idle kept connection reaching IDLE_SECONDS: not an error
        super().log_error(format, *args)


class MotoKeepAlive(KeepAlive, MotoRequestHandler):
    """moto's request handler (it keeps headers whose names hold an underscore), keeping
    connections open."""


class Server:
    """A threaded werkzeug server on 127.0.0.1, bound when made, serving once started."""

    def __init__(self, app: Any, port: int = 0, *, name: str, handler: type[KeepAlive] = KeepAlive) -> None:
        self.name = name
        self._server: BaseWSGIServer = make_server("127.0.0.1", port, app, threaded=True, request_handler=handler)
        self._server.kept_connections = set()  # type: ignore[attr-defined]  # the handlers' open connections
        self.port: int = self._server.server_port

    def start(self) -> None:
        threading.Thread(target=self._server.serve_forever, daemon=True, name=self.name).start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        for connection in list(self._server.kept_connections):  # type: ignore[attr-defined]
            with contextlib.suppress(OSError):  # already closed by the client
                connection.shutdown(socket.SHUT_RDWR)
