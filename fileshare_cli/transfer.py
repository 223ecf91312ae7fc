"""Moving bytes: uploads with the plan ``POST /uploads`` answers, and downloads of presigned GETs.

The API chooses the method, as it does for the web app: a presigned POST (one multipart/form-data
request, the file last) or presigned multipart (PUT each part with exactly ``partSize`` bytes, the
last one shorter, several at once; then POST the CompleteMultipartUpload XML to ``completeUrl``).
Files are streamed from disk, never read whole into memory.

A multipart upload can be resumed: its plan and the ETags of the parts already sent are kept in
``$XDG_CACHE_HOME/fileshare/uploads/`` (0600: the plan's URLs are bearer credentials) until it is
completed, and running the same upload again sends only the missing parts. The record is used only
for the same file (path, size and modification time), the same API and the same account, and while
the plan has at least ``RESUME_MARGIN_SECONDS`` left; otherwise the old upload is aborted.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import mimetypes
import os
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree
from xml.sax.saxutils import escape

import requests

from fileshare_cli import private_files
from fileshare_cli.api import TIMEOUT, Api, unreachable
from fileshare_cli.errors import CliError, Exit

CHUNK_BYTES = 256 * 1024
PARALLEL_PARTS = 4
PART_ATTEMPTS = 3
RESUME_MARGIN_SECONDS = 600
REGISTER_WAIT_SECONDS = 15

Advance = Callable[[int], None]


class Cancelled(Exception):
    """Raised inside a transfer when the user pressed Ctrl-C, to end in-flight requests quickly."""


def content_type_for(path: Path) -> str:
    guessed, _ = mimetypes.guess_type(path.name, strict=False)
    return guessed or "application/octet-stream"


class FileSlice:
    """``length`` bytes of a file from ``offset``, between an optional prefix and suffix, read in
    chunks as requests sends them (so it knows the Content-Length and never holds the whole file)."""

    def __init__(
        self,
        path: Path,
        offset: int,
        length: int,
        *,
        advance: Advance,
        cancelled: threading.Event,
        prefix: bytes = b"",
        suffix: bytes = b"",
    ) -> None:
        self.path, self.offset, self.length = path, offset, length
        self.advance, self.cancelled = advance, cancelled
        self.prefix, self.suffix = prefix, suffix
        self._position = 0
        self._handle: Any = None

    def __len__(self) -> int:
        return len(self.prefix) + self.length + len(self.suffix)

    def read(self, size: int = -1) -> bytes:
        if self.cancelled.is_set():
            raise Cancelled
        total = len(self)
        if self._position >= total:
            if self._handle is not None:
                self._handle.close()
                self._handle = None
            return b""
        size = total - self._position if size is None or size < 0 else min(size, total - self._position)
        out = bytearray()
        while len(out) < size:
            position = self._position + len(out)
            if position < len(self.prefix):
                out += self.prefix[position : position + size - len(out)]
            elif position < len(self.prefix) + self.length:
                if self._handle is None:
                    self._handle = self.path.open("rb")
                within = position - len(self.prefix)
                self._handle.seek(self.offset + within)
                data = self._handle.read(min(size - len(out), self.length - within))
                if not data:
                    raise CliError(f"{self.path} became shorter while it was being uploaded.")
                out += data
                self.advance(len(data))
            else:
                start = position - len(self.prefix) - self.length
                out += self.suffix[start : start + size - len(out)]
        self._position += len(out)
        return bytes(out)


def s3_refusal(answer: requests.Response, what: str) -> CliError:
    """S3's XML error as a sentence."""
    code, message = f"HTTP {answer.status_code}", ""
    try:
        root = ElementTree.fromstring(answer.content)  # noqa: S314 - S3's own answer, parsed for two fields
        code = root.findtext("Code") or code
        message = root.findtext("Message") or ""
    except ElementTree.ParseError:
        pass
    detail = f"{code}: {message}" if message else code
    return CliError(f"S3 refused {what} ({detail}).", Exit.ERROR, "s3_" + code.lower().replace(" ", "_"))


# --- resume records ------------------------------------------------------------------------------


@dataclass
class ResumeRecord:
    path: str
    size: int
    mtime_ns: int
    api_url: str
    account: str
    file_id: str
    plan: dict[str, Any]
    etags: dict[str, str] = field(default_factory=dict)  # part number (as text: JSON keys) -> ETag

    @staticmethod
    def location(path: Path, api_url: str, account: str) -> Path:
        key = hashlib.sha256(f"{api_url}\n{account}\n{path}".encode()).hexdigest()[:32]
        return private_files.cache_dir() / "uploads" / f"{key}.json"

    def save(self) -> None:
        private_files.write_json(self.location(Path(self.path), self.api_url, self.account), asdict(self))

    def forget(self) -> None:
        private_files.remove(self.location(Path(self.path), self.api_url, self.account))

    def seconds_left(self, now: float) -> float:
        expires = datetime.fromisoformat(str(self.plan["expiresAt"]).replace("Z", "+00:00"))
        return expires.timestamp() - now

    def matches(self, size: int, mtime_ns: int, now: float) -> bool:
        return (
            self.size == size
            and self.mtime_ns == mtime_ns
            and self.plan.get("method") == "MULTIPART"
            and self.seconds_left(now) > RESUME_MARGIN_SECONDS
        )

    @classmethod
    def find(cls, path: Path, api_url: str, account: str) -> ResumeRecord | None:
        stored = private_files.read_json(cls.location(path, api_url, account))
        if not isinstance(stored, dict):
            return None
        try:
            return cls(**stored)
        except TypeError:
            return None


def _try_save(record: ResumeRecord) -> bool:
    """Keep the resume record; False when it cannot be written (the upload then cannot resume)."""
    try:
        record.save()
    except OSError:
        return False
    return True


# --- uploads -------------------------------------------------------------------------------------


@dataclass
class Uploader:
    """Uploads files for one signed-in account; ``cancelled`` is set on Ctrl-C."""

    api: Api
    account: str
    http: requests.Session
    cancelled: threading.Event = field(default_factory=threading.Event)
    parallel: int = PARALLEL_PARTS

    def upload(self, path: Path, advance: Advance, notice: Callable[[str], None]) -> str:
        """Upload ``path``; returns its file id. ``advance`` is told every byte that leaves."""
        path = path.resolve()
        stat = path.stat()
        record = ResumeRecord.find(path, self.api.api_url, self.account)
        if record is not None:
            if record.matches(stat.st_size, stat.st_mtime_ns, time.time()):
                notice(f"resuming {path.name}: {len(record.etags)} of {len(record.plan['parts'])} parts already sent")
                return self._multipart(path, record, advance, resumed=True)
            self._abandon(record)
            notice(f"{path.name} changed or its earlier upload expired: starting again")
        plan = self.api.create_upload(path.name, stat.st_size, content_type_for(path))
        if plan["method"] == "POST":
            self._post(path, stat.st_size, plan, advance)
            return str(plan["fileId"])
        record = ResumeRecord(
            path=str(path),
            size=stat.st_size,
            mtime_ns=stat.st_mtime_ns,
            api_url=self.api.api_url,
            account=self.account,
            file_id=str(plan["fileId"]),
            plan=plan,
        )
        return self._multipart(path, record, advance, resumed=False)

    def _post(self, path: Path, size: int, plan: dict[str, Any], advance: Advance) -> None:
        boundary = uuid.uuid4().hex
        prefix = b"".join(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in plan["fields"].items()
        )
        # The file goes last; S3 ignores its file name, so none of the user's text is needed here.
        prefix += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="upload"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        body = FileSlice(
            path,
            0,
            size,
            advance=advance,
            cancelled=self.cancelled,
            prefix=prefix,
            suffix=f"\r\n--{boundary}--\r\n".encode(),
        )
        try:
            answer = self.http.post(
                plan["url"],
                data=body,
                headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
                timeout=TIMEOUT,
            )
        except requests.RequestException as error:
            raise unreachable(plan["url"], error) from error
        if answer.status_code not in (200, 201, 204):
            raise s3_refusal(answer, f"the upload of {path.name}")

    def _multipart(self, path: Path, record: ResumeRecord, advance: Advance, *, resumed: bool) -> str:
        plan = record.plan
        part_size, size = int(plan["partSize"]), record.size
        parts = sorted(plan["parts"], key=lambda p: int(p["partNumber"]))
        if len(parts) != max(1, math.ceil(size / part_size)):
            raise CliError(f"The upload plan for {path.name} does not fit its size: try again.")

        def span(number: int) -> tuple[int, int]:
            offset = (number - 1) * part_size
            return offset, min(part_size, size - offset)

        resumable = _try_save(record)
        for done in record.etags:
            advance(span(int(done))[1])
        todo = [p for p in parts if str(p["partNumber"]) not in record.etags]
        pool = ThreadPoolExecutor(max_workers=self.parallel, thread_name_prefix="part")
        try:
            running: set[Future[tuple[int, str]]] = {
                pool.submit(
                    self._put_part, path, (int(p["partNumber"]), p["url"], *span(int(p["partNumber"]))), advance
                )
                for p in todo
            }
            while running:
                finished, running = wait(running, timeout=0.5, return_when=FIRST_COMPLETED)
                for future in finished:
                    number, etag = future.result()
                    record.etags[str(number)] = etag
                    resumable = resumable and _try_save(record)
        except BaseException:
            self.cancelled.set()  # in-flight parts stop at their next read
            pool.shutdown(wait=False, cancel_futures=True)
            if not resumable:
                self._abandon(record)  # nothing on disk to resume from: give the parts back
            raise
        pool.shutdown()
        self._complete(path, record, resumed=resumed)
        record.forget()
        return record.file_id

    def _put_part(self, path: Path, part: tuple[int, str, int, int], advance: Advance) -> tuple[int, str]:
        """PUT one part (number, url, offset, length): exactly its bytes; network failures and S3 5xx
        are retried twice."""
        number, url, offset, length = part
        for attempt in range(1, PART_ATTEMPTS + 1):
            sent = 0

            def counted(n: int) -> None:
                nonlocal sent
                sent += n
                advance(n)

            body = FileSlice(path, offset, length, advance=counted, cancelled=self.cancelled)
            try:
                answer = self.http.put(url, data=body, timeout=TIMEOUT)
            except requests.RequestException as error:
                if attempt == PART_ATTEMPTS:
                    raise unreachable(url, error) from error
            else:
                if answer.status_code == 200 and answer.headers.get("ETag"):
                    return number, answer.headers["ETag"]
                if answer.status_code < 500 or attempt == PART_ATTEMPTS:
                    raise s3_refusal(answer, f"part {number} of {path.name}")
            advance(-sent)  # the part goes again
            time.sleep(attempt)
        raise AssertionError("unreachable")  # the loop returns or raises

    def _complete(self, path: Path, record: ResumeRecord, *, resumed: bool) -> None:
        xml = (
            "<CompleteMultipartUpload>"
            + "".join(
                f"<Part><PartNumber>{n}</PartNumber><ETag>{escape(record.etags[n])}</ETag></Part>"
                for n in sorted(record.etags, key=int)
            )
            + "</CompleteMultipartUpload>"
        )
        url = record.plan["completeUrl"]
        try:
            answer = self.http.post(
                url, data=xml.encode(), headers={"Content-Type": "application/xml"}, timeout=TIMEOUT
            )
        except requests.RequestException as error:
            raise unreachable(url, error) from error
        # S3 may answer 200 and still report an error in the body.
        failed = answer.status_code != 200 or b"<Error>" in answer.content
        if failed and resumed and b"NoSuchUpload" in answer.content and self._registered(record.file_id):
            return  # completed by the interrupted run, just before it stopped
        if failed:
            if b"NoSuchUpload" in answer.content or b"InvalidPart" in answer.content:
                record.forget()  # nothing left to resume
            raise s3_refusal(answer, f"to complete the upload of {path.name}")

    def _registered(self, file_id: str) -> bool:
        deadline = time.monotonic() + REGISTER_WAIT_SECONDS
        while time.monotonic() < deadline:
            if self.api.find_file(file_id) is not None:
                return True
            time.sleep(0.5)
        return False

    def _abandon(self, record: ResumeRecord) -> None:
        """Abort an upload that can no longer be resumed (best effort: S3's lifecycle rule aborts
        incomplete uploads after a day anyway)."""
        if record.seconds_left(time.time()) > 0:
            with contextlib.suppress(requests.RequestException):
                self.http.delete(record.plan["abortUrl"], timeout=TIMEOUT)
        record.forget()


# --- downloads -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Downloaded:
    path: Path
    size: int
    sha256: str
    verified: bool


def download(
    url: str,
    destination: Path,
    *,
    force: bool,
    expected_sha256: str | None,
    start: Callable[[int | None], None],
    advance: Advance,
    http: requests.Session,
) -> Downloaded:
    """Stream ``url`` into ``destination`` through a temporary file beside it. Nothing is left behind
    on failure; an existing file is replaced only with ``force`` (otherwise refused atomically)."""
    if destination.exists() and not force:
        raise exists(destination)
    temporary = destination.with_name(f".{destination.name}.{os.getpid()}.part")
    digest = hashlib.sha256()
    size = 0
    try:
        try:
            answer = http.get(url, stream=True, timeout=TIMEOUT)
        except requests.RequestException as error:
            raise unreachable(url, error) from error
        with answer:
            if answer.status_code != 200:
                raise s3_refusal(answer, "the download")
            length = answer.headers.get("Content-Length")
            start(int(length) if length and length.isdigit() else None)
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(descriptor, "wb") as handle:
                for chunk in answer.iter_content(chunk_size=CHUNK_BYTES):
                    handle.write(chunk)
                    digest.update(chunk)
                    size += len(chunk)
                    advance(len(chunk))
        if length and length.isdigit() and size != int(length):
            raise CliError(f"The download stopped after {size} of {length} bytes: nothing was saved.")
        sha256 = digest.hexdigest()
        if expected_sha256 and sha256 != expected_sha256.lower():
            raise CliError("The download does not match its SHA-256: nothing was saved.", Exit.ERROR, "checksum")
        _place(temporary, destination, force=force)
    finally:
        temporary.unlink(missing_ok=True)
    return Downloaded(destination, size, sha256, verified=bool(expected_sha256))


def exists(destination: Path) -> CliError:
    return CliError(f"{destination} already exists: choose another name with -o, or add --force.", Exit.USAGE)


def _place(temporary: Path, destination: Path, *, force: bool) -> None:
    if force:
        os.replace(temporary, destination)
        return
    try:
        os.link(temporary, destination)  # atomic: fails if the name appeared meanwhile
    except FileExistsError as error:
        raise exists(destination) from error
    except OSError:
        # A file system without hard links: claim the name first, then move into it.
        descriptor = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        os.close(descriptor)
        os.replace(temporary, destination)
