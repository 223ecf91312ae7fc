"""The local stack's HTTP servers keep connections open between requests, as AWS's endpoints do,
without letting one request's unread body leak into the next."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any, BinaryIO

import pytest
import requests

from devstack.serving import Server


def _app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """Answers with the request's path and the body it read; ``/ignore`` reads none of it."""
    body = b"" if environ["PATH_INFO"] == "/ignore" else environ["wsgi.input"].read()
    answer = f"{environ['PATH_INFO']} {body.decode()}".encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(answer)))])
    return [answer]


@pytest.fixture
def server() -> Iterator[Server]:
    serving = Server(_app, name="test")
    serving.start()
    yield serving
    serving.stop()


def _read_answer(stream: BinaryIO) -> tuple[str, dict[str, str], bytes]:
    """One answer from a connection's reader (one reader per connection: it reads ahead)."""
    status = stream.readline().decode().strip()
    headers: dict[str, str] = {}
    while (line := stream.readline().decode().strip()) != "":
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = stream.read(int(headers["content-length"]))
    return status, headers, body


def test_one_connection_carries_request_after_request(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as connection:
        stream = connection.makefile("rb")
        answers = []
        for n in range(5):
            connection.sendall(b"POST /call/%d HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s" % (n, n, b"x" * n))
            answers.append(_read_answer(stream))

    assert [body for _, _, body in answers] == [b"/call/%d %s" % (n, b"x" * n) for n in range(5)]
    assert all(headers.get("connection") != "close" for _, headers, _ in answers)


def _client_end(answer: requests.Response) -> Any:
    connection = answer.raw._connection
    assert connection is not None and connection.sock is not None
    return connection.sock.getsockname()


def test_an_sdk_client_reuses_its_connection(server: Server) -> None:
    with requests.Session() as http:
        first = http.get(f"http://127.0.0.1:{server.port}/first", timeout=5, stream=True)
        used = _client_end(first)  # while the answer is open
        first_text = first.text  # read to its end: the connection goes back to the pool
        second = http.get(f"http://127.0.0.1:{server.port}/second", timeout=5, stream=True)
        reused = _client_end(second)
        second_text = second.text

    assert (first_text, second_text) == ("/first ", "/second ")
    assert reused == used


def test_a_body_the_application_did_not_read_does_not_reach_the_next_request(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as connection:
        stream = connection.makefile("rb")
        unread = b"GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"  # looks like a request, is a body
        connection.sendall(
            b"POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s" % (len(unread), unread)
            + b"POST /next HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nnext"
        )
        first = _read_answer(stream)
        second = _read_answer(stream)

    assert first[0].endswith("200 OK") and first[2] == b"/ignore "
    assert second[0].endswith("200 OK") and second[2] == b"/next next"  # not /smuggled


def test_a_client_that_asks_to_close_gets_its_answer_and_the_connection_ends(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as connection:
        stream = connection.makefile("rb")
        connection.sendall(b"GET /last HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        status, headers, body = _read_answer(stream)
        rest = stream.read(1)

    assert status.endswith("200 OK") and body == b"/last "
    assert headers["connection"] == "close"
    assert rest == b""  # the server closed its end


def test_a_stopped_server_ends_the_connections_it_kept() -> None:
    serving = Server(_app, name="test")
    serving.start()
    with socket.create_connection(("127.0.0.1", serving.port), timeout=5) as connection:
        stream = connection.makefile("rb")
        connection.sendall(b"GET /first HTTP/1.1\r\nHost: x\r\n\r\n")
        assert _read_answer(stream)[2] == b"/first "

        serving.stop()

        try:
            connection.sendall(b"GET /after HTTP/1.1\r\nHost: x\r\n\r\n")
            after = stream.read(1)
        except ConnectionError:
            after = b""
    assert after == b""  # no answer from a stopped server


def test_a_request_that_cannot_be_parsed_is_refused_and_its_connection_closed(server: Server) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as connection:
        too_many = b"".join(b"X-H%d: v\r\n" % n for n in range(101))  # http.server allows 100
        # the header block goes on past the limit, and what follows the refused line reads as a request
        connection.sendall(b"GET /x HTTP/1.1\r\nHost: x\r\n" + too_many + b"GET /y HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = connection.recv(65536)
        while chunk := connection.recv(65536):
            answer += chunk

    assert answer.startswith((b"HTTP/1.1 431", b"HTTP/1.0 431"))
    assert b"/y" not in answer  # nothing after the bad request was served
