"""The local web server routes and caches the built app as the CDN does."""

from __future__ import annotations

from pathlib import Path

import pytest
from werkzeug.test import Client

from devstack.mail import SentMail
from devstack.web import WebApp

HEADERS = {"Content-Security-Policy": "default-src 'self'; style-src 'self'", "Referrer-Policy": "no-referrer"}


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text("<html>owner app</html>")
    (root / "share.html").write_text("<html>share page</html>")
    (root / "request.html").write_text("<html>request page</html>")
    (root / "assets" / "share-3f2a.js").write_text("console.log(1)")
    return root


def client(static_dir: Path, tmp_path: Path) -> Client:
    app = WebApp(static_dir=static_dir, schemas_dir=tmp_path, config=lambda: {"apiUrl": "x"}, headers=lambda: HEADERS)
    return Client(app)


def test_share_links_get_the_recipients_page_and_other_routes_the_owner_app(dist: Path, tmp_path: Path) -> None:
    web = client(dist, tmp_path)
    assert web.get("/s/AbCdEf_-123").text == "<html>share page</html>"
    assert web.get("/r/AbCdEf_-123").text == "<html>request page</html>"
    assert web.get("/").text == "<html>owner app</html>"
    assert web.get("/files/abc").text == "<html>owner app</html>"
    assert web.get("/s/AbCdEf_-123").headers["Cache-Control"] == "no-cache"


def test_hashed_assets_are_cached_for_good_and_missing_ones_are_real_404s(dist: Path, tmp_path: Path) -> None:
    web = client(dist, tmp_path)
    asset = web.get("/assets/share-3f2a.js")
    assert asset.status_code == 200
    assert asset.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert web.get("/assets/gone-0000.js").status_code == 404
    assert web.get("/config.json").headers["Cache-Control"] == "no-store"


def test_every_answer_carries_the_security_headers(dist: Path, tmp_path: Path) -> None:
    web = client(dist, tmp_path)
    for path in ("/s/token", "/assets/share-3f2a.js", "/config.json", "/assets/gone-0000.js"):
        answer = web.get(path)
        assert {k: answer.headers[k] for k in HEADERS} == HEADERS, path


def test_an_unbuilt_app_says_how_to_build_it(tmp_path: Path) -> None:
    answer = client(tmp_path / "missing", tmp_path).get("/")
    assert answer.status_code == 503
    assert "make run" in answer.text


def test_local_mail_lists_what_was_sent_escaped_in_the_order_given(dist: Path, tmp_path: Path) -> None:
    sent = [
        SentMail("2", "no-reply@x.local", "b@example.com", "<b>second</b>", "second\n<script>", ""),
        SentMail("1", "no-reply@x.local", "a@example.com", "first", "first", ""),
    ]
    app = WebApp(static_dir=dist, schemas_dir=tmp_path, config=dict, headers=lambda: HEADERS, mail=lambda: sent)

    page = Client(app).get("/local/mail")

    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert page.text.index("b@example.com") < page.text.index("a@example.com")
    assert "&lt;b&gt;second&lt;/b&gt;" in page.text and "<script>" not in page.text
    assert "<style" not in page.text and "style=" not in page.text  # the app's CSP allows no inline style
    assert page.headers["Content-Security-Policy"] == HEADERS["Content-Security-Policy"]
    without = WebApp(static_dir=dist, schemas_dir=tmp_path, config=dict, headers=lambda: HEADERS)
    assert Client(without).get("/local/mail").text == "<html>owner app</html>"  # only where a stack gives mail
