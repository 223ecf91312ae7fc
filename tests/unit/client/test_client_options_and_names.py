"""The client's pure pieces: durations as typed, names a download is saved under, link parsing."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fileshare_cli.commands.get import destination_for, parse_link
from fileshare_cli.durations import describe, parse_duration
from fileshare_cli.errors import CliError, Exit
from fileshare_cli.filenames import from_content_disposition, from_presigned_url, sanitize
from fileshare_cli.main import main

TOKEN = "A" * 43


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90),
        ("30m", 1800),
        ("12h", 43_200),
        ("1d", 86_400),
        ("2w", 1_209_600),
        ("1d12h", 129_600),
        ("1D", 86_400),
    ],
)
def test_durations_as_people_type_them(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "5", "1x", "d", "0m", "1d 2", "-1d", "1.5h"])
def test_anything_else_is_not_a_duration(text: str) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


def test_a_bad_duration_is_a_usage_error_with_status_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["share", "0123456789abcdef0123456789abcdef", "--expires", "soon"])
    assert stopped.value.code == Exit.USAGE
    assert "'soon' is not a duration" in capsys.readouterr().err


def test_describe_round_trips() -> None:
    assert describe(parse_duration("1w2d3h4m5s")) == "1w 2d 3h 4m 5s"


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("report.pdf", "report.pdf"),
        ("../../.bashrc", "bashrc"),
        ("C:\\Users\\x\\evil.exe", "evil.exe"),
        (".hidden", "hidden"),
        ("..", "download"),
        ("", "download"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),  # a bidi override would show it as "...exe.jpg"
        ("line\nbreak\x00.txt", "linebreak.txt"),
        ("Grüße 2026.txt", "Grüße 2026.txt"),
    ],
)
def test_saved_names_are_sanitized(name: str, safe: str) -> None:
    assert sanitize(name) == safe


@given(st.text())
def test_a_sanitized_name_is_always_one_harmless_file_name(name: str) -> None:
    safe = sanitize(name)
    assert safe and "/" not in safe and "\\" not in safe
    assert not safe.startswith(".")
    assert all(unicodedata.category(ch)[0] != "C" for ch in safe)
    assert len(safe.encode("utf-8")) <= 255


def test_a_long_name_keeps_its_extension() -> None:
    safe = sanitize("ä" * 300 + ".tar")
    assert safe.endswith(".tar") and len(safe.encode("utf-8")) <= 255


def test_filename_star_wins_over_the_ascii_fallback() -> None:
    value = "attachment; filename=\"Gr__e 2026.txt\"; filename*=UTF-8''Gr%C3%BC%C3%9Fe%202026.txt"
    assert from_content_disposition(value) == "Grüße 2026.txt"
    assert from_content_disposition('attachment; filename="plain.txt"') == "plain.txt"
    assert from_content_disposition("attachment") is None


def test_the_name_comes_from_the_presigned_urls_content_disposition() -> None:
    url = (
        "http://127.0.0.1:5000/bucket/key?versionId=1&response-content-disposition="
        "attachment%3B%20filename%3D%22a.txt%22%3B%20filename%2A%3DUTF-8%27%27%25E2%2582%25AC.txt&X-Amz-Signature=x"
    )
    assert from_presigned_url(url) == "€.txt"
    assert from_presigned_url("http://127.0.0.1:5000/bucket/key") is None


@pytest.mark.parametrize(
    ("link", "app"),
    [
        (f"http://127.0.0.1:8000/s/{TOKEN}", "http://127.0.0.1:8000"),
        (f"https://files.example.com/app/s/{TOKEN}?utm=x#y", "https://files.example.com/app"),
    ],
)
def test_a_share_link_gives_the_app_and_the_token(link: str, app: str) -> None:
    assert parse_link(link) == (app, TOKEN)


@pytest.mark.parametrize("link", ["nonsense", f"/s/{TOKEN}", "http://x/s/short", f"ftp://x/s/{TOKEN}"])
def test_anything_else_is_not_a_share_link(link: str) -> None:
    with pytest.raises(CliError) as refused:
        parse_link(link)
    assert refused.value.status is Exit.USAGE


def test_destinations(tmp_path: Path) -> None:
    assert destination_for(str(tmp_path / "x.bin"), "ignored.txt") == tmp_path / "x.bin"
    assert destination_for(str(tmp_path), "../a.txt") == tmp_path / "a.txt"
    assert destination_for(None, None) is None
    with pytest.raises(CliError, match="There is no directory"):
        destination_for(str(tmp_path / "missing") + "/", "a.txt")
