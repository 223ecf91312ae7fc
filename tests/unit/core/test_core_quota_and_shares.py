"""fileshare.core.quota and the per-file link limit: what an owner may still upload and share, and
what they are told when they may not."""

from __future__ import annotations

import base64
import threading
from collections import OrderedDict
from datetime import UTC, datetime, timedelta

import pytest

from fileshare.core import clock, keyring
from fileshare.core.errors import Conflict, QuotaExceeded, UploadRateExceeded
from fileshare.core.quota import QuotaLimits, Usage, check_new_upload, rate_problem, storage_problem, window_start
from fileshare.core.records import FileRecord, ShareRecord
from fileshare.core.shares import ShareLimits, create_share_input, file_view, file_views, owner_view
from tests.contracts import validate
from tests.unit.core.test_core_records import a_file

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
GIB = 2**30
LIMITS = QuotaLimits(max_bytes_stored=10 * GIB, max_uploads_per_hour=5)


# ------------------------------------------------------------------------------ before a plan


def test_an_upload_that_fits_is_allowed() -> None:
    check_new_upload(Usage(bytes_stored=9 * GIB, uploads_last_hour=4), LIMITS, GIB, NOW)


def test_an_upload_past_the_storage_quota_is_413_with_a_sentence() -> None:
    with pytest.raises(QuotaExceeded) as refused:
        check_new_upload(Usage(bytes_stored=9 * GIB + 1, uploads_last_hour=0), LIMITS, GIB, NOW)
    assert (refused.value.status, refused.value.code) == (413, "quota_exceeded")
    assert refused.value.message == (
        "This file (1.0 GiB) does not fit in your storage: you use 9.0 GiB of 10.0 GiB. Delete some files to make room."
    )


def test_the_hourly_upload_limit_is_429_and_says_when_to_come_back() -> None:
    oldest = clock.to_iso(NOW - timedelta(minutes=50))  # leaves the window in 10 minutes
    with pytest.raises(UploadRateExceeded) as refused:
        check_new_upload(Usage(0, 5, oldest_upload_at=oldest), LIMITS, 1, NOW)
    assert (refused.value.status, refused.value.code) == (429, "upload_rate_exceeded")
    assert refused.value.message == (
        "You have started 5 uploads in the last hour, the most allowed (5). Try again in about 10 minutes."
    )


def test_the_window_is_the_last_hour() -> None:
    assert window_start(NOW) == "2026-03-01T11:00:00.000Z"


# ------------------------------------------------------------------------------ after registration


@pytest.mark.parametrize(
    ("stored_before", "size", "uploads", "code"),
    [
        (9 * GIB, GIB, 5, None),  # exactly at both limits, this upload included
        (9 * GIB, GIB + 1, 1, "quota_exceeded"),
        (0, 1, 6, "upload_rate_exceeded"),
    ],
)
def test_a_registered_upload_is_judged_with_what_registered_before_it(
    stored_before: int, size: int, uploads: int, code: str | None
) -> None:
    problem = rate_problem(uploads, LIMITS) or storage_problem(stored_before, size, LIMITS)
    assert (problem[0] if problem else None) == code
    if problem:
        assert problem[1].endswith("the file was discarded")


# ------------------------------------------------------------------------------ links per file


def test_a_file_at_its_link_limit_gets_no_more_links() -> None:
    limits = ShareLimits(default_ttl_seconds=3600, max_ttl_seconds=7200, max_shares_per_file=3)
    assert create_share_input([a_file(shares_created=2)], {}, limits)["maxShares"] == 3
    with pytest.raises(Conflict) as refused:
        create_share_input([a_file(shares_created=3)], {}, limits)
    assert (refused.value.status, refused.value.code) == (409, "share_limit_reached")
    assert "3 links" in refused.value.message


def a_share(**changes: object) -> ShareRecord:
    share = ShareRecord(
        share_id="0123456789abcdef",
        file_id="0123456789abcdef0123456789abcdef",
        token_hash="0" * 64,
        token_ciphertext=base64.b64encode(b"ciphertext").decode(),
        created_at="2026-03-01T11:00:00.000Z",
        expires_at="2026-03-08T11:00:00.000Z",
    )
    return share._replace(**changes)


def test_revoked_links_are_listed_but_never_decrypted(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a KMS stand-in that counts decryptions
    decrypted: list[str] = []

    def decrypt(*, ciphertext: str, context: dict[str, str]) -> str:
        decrypted.append(context["shareId"])
        return "T" * 43

    monkeypatch.setattr(keyring, "decrypt_token", decrypt)
    live, revoked = a_share(), a_share(share_id="fedcba9876543210", revoked=True)

    # When the owner lists the file
    view = file_view(a_file(), [live, revoked], app_url="https://app.example")

    # Then only the live link was decrypted, and the revoked one shows no token or url
    assert decrypted == [live.share_id]
    [shown_live, shown_revoked] = view["shares"]
    assert shown_live["url"] == "https://app.example/s/" + "T" * 43
    assert "token" not in shown_revoked and "url" not in shown_revoked and shown_revoked["revoked"] is True
    validate("api/file.json", view)
    validate("api/share.json", owner_view(revoked, app_url="https://app.example"))


class CountingKms:
    """A KMS stand-in whose ciphertext is the token itself, bound to its context; it counts calls."""

    def __init__(self) -> None:
        self.decrypts = 0
        self.lock = threading.Lock()

    def decrypt(self, *, CiphertextBlob: bytes, EncryptionContext: dict[str, str]) -> dict[str, bytes]:
        with self.lock:
            self.decrypts += 1
        token, share_id = CiphertextBlob.decode().split("@")
        if EncryptionContext.get("shareId") != share_id:
            raise ValueError("InvalidCiphertextException")
        return {"Plaintext": token.encode()}


@pytest.fixture
def kms(monkeypatch: pytest.MonkeyPatch) -> CountingKms:
    counting = CountingKms()
    monkeypatch.setattr(keyring, "client", lambda service: counting)
    monkeypatch.setattr(keyring, "_kept", OrderedDict())
    return counting


def a_page(count: int) -> tuple[list[FileRecord], dict[str, list[ShareRecord]]]:
    """``count`` files, each with one live link whose token is ``n`` in 43 digits, and a revoked one."""
    records: list[FileRecord] = []
    shares_of: dict[str, list[ShareRecord]] = {}
    for n in range(count):
        file_id, share_id = f"{n:032x}", f"{n:016x}"
        sealed = base64.b64encode(f"{n:043d}@{share_id}".encode()).decode()
        records.append(a_file(file_id=file_id))
        shares_of[file_id] = [
            a_share(file_id=file_id, share_id=share_id, token_ciphertext=sealed),
            a_share(file_id=file_id, share_id=f"{n + 1000:016x}", token_ciphertext="", revoked=True),
        ]
    return records, shares_of


def test_listing_a_page_decrypts_each_live_link_once_and_a_warm_listing_asks_kms_nothing(kms: CountingKms) -> None:
    # Given a page of 50 files, each with a live link and a revoked one
    records, shares_of = a_page(50)

    # When the owner lists the page twice
    first = file_views(records, shares_of, app_url="https://app.example")
    after_first = kms.decrypts
    second = file_views(records, shares_of, app_url="https://app.example")

    # Then every live link shows its own token; KMS decrypted each once, the revoked ones never,
    # and the second listing asked it nothing
    assert [v["shares"][0]["token"] for v in first] == [f"{n:043d}" for n in range(50)]
    assert all("token" not in v["shares"][1] for v in first)
    assert second == first
    assert (after_first, kms.decrypts) == (50, 50)


def test_a_kept_token_is_found_only_with_its_own_context_and_the_oldest_is_forgotten(
    kms: CountingKms, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keyring, "TOKENS_KEPT", 2)
    sealed = [base64.b64encode(f"{n:043d}@{n:016x}".encode()).decode() for n in range(3)]
    for n, ciphertext in enumerate(sealed):
        keyring.decrypt_token(ciphertext=ciphertext, context={"fileId": "f", "shareId": f"{n:016x}"})
    assert kms.decrypts == 3

    # A ciphertext copied under another link's context is asked of KMS again, which refuses it
    with pytest.raises(ValueError, match="InvalidCiphertext"):
        keyring.decrypt_token(ciphertext=sealed[2], context={"fileId": "f", "shareId": f"{1:016x}"})
    # The newest two are kept; the first was forgotten and is asked again
    keyring.decrypt_token(ciphertext=sealed[2], context={"fileId": "f", "shareId": f"{2:016x}"})
    assert kms.decrypts == 4
    keyring.decrypt_token(ciphertext=sealed[0], context={"fileId": "f", "shareId": f"{0:016x}"})
    assert kms.decrypts == 5
