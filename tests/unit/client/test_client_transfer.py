"""Streaming a byte range of a file with a form around it, and when an upload may be resumed."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fileshare_cli.transfer import RESUME_MARGIN_SECONDS, Cancelled, FileSlice, ResumeRecord

DATA = bytes(range(256)) * 40


@given(
    offset=st.integers(0, len(DATA)),
    length=st.integers(0, len(DATA)),
    prefix=st.binary(max_size=50),
    suffix=st.binary(max_size=50),
    chunk=st.integers(1, 4000),
)
def test_a_slice_reads_exactly_its_bytes_in_any_chunk_size(
    tmp_path_factory: pytest.TempPathFactory, *, offset: int, length: int, prefix: bytes, suffix: bytes, chunk: int
) -> None:
    path = tmp_path_factory.mktemp("slice") / "data"
    path.write_bytes(DATA)
    length = min(length, len(DATA) - offset)
    counted: list[int] = []
    body = FileSlice(
        path, offset, length, advance=counted.append, cancelled=threading.Event(), prefix=prefix, suffix=suffix
    )
    out = b""
    while piece := body.read(chunk):
        out += piece
    assert out == prefix + DATA[offset : offset + length] + suffix
    assert len(body) == len(out)
    assert sum(counted) == length  # progress counts the file's bytes, not the form around them


def test_ctrl_c_stops_a_slice_at_its_next_read(tmp_path: Path) -> None:
    path = tmp_path / "data"
    path.write_bytes(DATA)
    cancelled = threading.Event()
    body = FileSlice(path, 0, len(DATA), advance=lambda _: None, cancelled=cancelled)
    body.read(100)
    cancelled.set()
    with pytest.raises(Cancelled):
        body.read(100)


def record(expires_in: float) -> ResumeRecord:
    expires = datetime.now(UTC) + timedelta(seconds=expires_in)
    plan = {"method": "MULTIPART", "expiresAt": expires.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z", "parts": []}
    return ResumeRecord(path="/f", size=10, mtime_ns=5, api_url="http://api", account="me", file_id="a" * 32, plan=plan)


def test_an_upload_resumes_only_for_the_same_file_while_its_plan_lasts() -> None:
    now = time.time()
    assert record(3600).matches(10, 5, now)
    assert not record(3600).matches(11, 5, now)  # the file grew
    assert not record(3600).matches(10, 6, now)  # the file was changed
    assert not record(RESUME_MARGIN_SECONDS - 5).matches(10, 5, now)  # too little time left to finish


def test_resume_records_are_kept_per_api_account_and_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    kept = record(3600)
    kept.save()
    assert ResumeRecord.find(Path("/f"), "http://api", "me") == kept
    assert ResumeRecord.find(Path("/f"), "http://api", "someone-else") is None
    assert ResumeRecord.find(Path("/f"), "http://other-api", "me") is None
    kept.forget()
    assert ResumeRecord.find(Path("/f"), "http://api", "me") is None
