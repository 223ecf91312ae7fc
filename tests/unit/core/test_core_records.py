"""fileshare.core.records: index items round-trip, and access is refused from the expiry instant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fileshare.core import clock
from fileshare.core.records import STATUSES, TTL_GRACE_SECONDS, FileRecord, ShareRecord
from fileshare.core.store import from_attribute_values, to_attribute_values

NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)
EXPIRY = NOW + timedelta(days=7)


def dynamodb_round_trip(item: dict[str, object]) -> dict[str, object]:
    """What comes back from DynamoDB: numbers return as Decimal."""
    return from_attribute_values(to_attribute_values(item))


def a_file(**changes: object) -> FileRecord:
    record = FileRecord(
        file_id="0123456789abcdef0123456789abcdef",
        owner_id="0f4a6d1e-1111-2222-3333-444455556666",
        name="report.pdf",
        size=12345,
        content_type="application/pdf",
        status="READY",
        created_at=clock.to_iso(NOW - timedelta(hours=1)),
        updated_at=clock.to_iso(NOW - timedelta(minutes=59)),
        object_key="uploads/0f4a6d1e-1111-2222-3333-444455556666/0123456789abcdef0123456789abcdef",
        object_version="v1",
        etag="abc",
        expires_at=clock.to_iso(EXPIRY),
        sha256="a" * 64,  # a READY file has been hashed and sniffed
        detected_type="application/pdf",
    )
    return record._replace(**changes)


def a_share(**changes: object) -> ShareRecord:
    share = ShareRecord(
        share_id="0123456789abcdef",
        file_id="0123456789abcdef0123456789abcdef",
        token_hash="ab" * 32,
        token_ciphertext="ciphertext",
        created_at=clock.to_iso(NOW - timedelta(hours=1)),
        expires_at=clock.to_iso(EXPIRY),
    )
    return share._replace(**changes)


# ------------------------------------------------------------------------------ round trips

MOMENTS = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)).map(
    clock.to_iso
)
OPTIONAL_TEXT = st.none() | st.text(min_size=1, max_size=30)

FILE_RECORDS = st.builds(
    FileRecord,
    file_id=st.binary(min_size=16, max_size=16).map(bytes.hex),
    owner_id=st.uuids().map(str),
    name=st.text(min_size=1, max_size=50),
    size=st.integers(min_value=0, max_value=5 * 2**40),
    content_type=st.sampled_from(["application/pdf", "text/plain", "image/png", "application/octet-stream"]),
    status=st.sampled_from(STATUSES),
    created_at=MOMENTS,
    updated_at=MOMENTS,
    object_key=st.text(min_size=1, max_size=80),
    object_version=st.text(min_size=1, max_size=20),
    etag=st.text(min_size=1, max_size=40),
    detected_type=OPTIONAL_TEXT,
    sha256=st.none() | st.binary(min_size=32, max_size=32).map(bytes.hex),
    reason=OPTIONAL_TEXT,
    expires_at=st.none() | MOMENTS,
    failed_execution=OPTIONAL_TEXT,
    original_name=OPTIONAL_TEXT,
    share_keys=st.none(),  # never in to_item: each link's own transaction appends its key
)

SHARE_RECORDS = st.builds(
    ShareRecord,
    share_id=st.binary(min_size=8, max_size=8).map(bytes.hex),
    file_id=st.binary(min_size=16, max_size=16).map(bytes.hex),
    token_hash=st.binary(min_size=32, max_size=32).map(bytes.hex),
    token_ciphertext=st.text(min_size=1, max_size=60),
    created_at=MOMENTS,
    expires_at=MOMENTS,
    downloads=st.integers(min_value=0, max_value=10_000),
    max_downloads=st.none() | st.integers(min_value=1, max_value=10_000),
    revoked=st.booleans(),
    password_hash=OPTIONAL_TEXT,
    failed_attempts=st.integers(min_value=0, max_value=100),
    locked_until=st.none() | MOMENTS,
    file_ids=st.just(()),  # a file's own link: no file list, no owner (several: test_core_links)
    owner_id=st.none(),
)


@given(FILE_RECORDS)
def test_a_file_record_survives_a_trip_through_the_table(record: FileRecord) -> None:
    assert FileRecord.from_item(record.to_item()) == record
    assert FileRecord.from_item(dynamodb_round_trip(record.to_item())) == record


@given(SHARE_RECORDS)
def test_a_share_record_survives_a_trip_through_the_table(share: ShareRecord) -> None:
    assert ShareRecord.from_item(share.to_item()) == share
    assert ShareRecord.from_item(dynamodb_round_trip(share.to_item())) == share


def test_a_file_item_is_found_by_id_and_listed_under_its_owner_newest_first() -> None:
    record = a_file()
    item = record.to_item()
    assert (item["pk"], item["sk"]) == (f"FILE#{record.file_id}", "FILE")
    assert item["gsi1pk"] == f"OWNER#{record.owner_id}"
    assert item["gsi1sk"] == f"{record.created_at}#{record.file_id}"


def test_a_share_item_is_keyed_by_the_token_hash_only() -> None:
    share = a_share()
    item = share.to_item()
    assert (item["pk"], item["sk"]) == (f"SHARE#{share.token_hash}", "SHARE")
    assert item["gsi1pk"] == f"FILE#{share.file_id}"


def test_only_live_files_with_an_expiry_are_in_the_sweep_index() -> None:
    # The sweep deletes expired objects; it finds them through gsi2 only.
    live = a_file().to_item()
    assert live["gsi2pk"] == "EXPIRES" and live["gsi2sk"].startswith(clock.to_iso(EXPIRY))
    for status in ("DELETED", "EXPIRED"):
        assert "gsi2pk" not in a_file(status=status).to_item()
    assert "gsi2pk" not in a_file(expires_at=None).to_item()


def test_items_outlive_their_expiry_by_the_grace_period() -> None:
    # DynamoDB's TTL must not remove an item before the sweep has deleted its object.
    assert a_file().to_item()["ttl"] == int(EXPIRY.timestamp()) + TTL_GRACE_SECONDS
    assert a_share().to_item()["ttl"] == int(EXPIRY.timestamp()) + TTL_GRACE_SECONDS
    assert "ttl" not in a_file(expires_at=None).to_item()


def test_a_new_file_is_processing_and_expires_after_its_retention() -> None:
    record = FileRecord.new(
        file_id="0123456789abcdef0123456789abcdef",
        owner_id="owner",
        name="a.txt",
        size=5,
        content_type="text/plain",
        object_key="uploads/owner/0123456789abcdef0123456789abcdef",
        object_version="v1",
        etag="e",
        created_at=NOW,
        retention_seconds=3600,
    )
    assert record.status == "PROCESSING"
    assert record.created_at == record.updated_at == clock.to_iso(NOW)
    assert record.expires_at == clock.to_iso(NOW + timedelta(hours=1))
    assert not record.is_downloadable(NOW)


# ------------------------------------------------------------------------------ FileRecord.is_downloadable


def test_a_ready_file_is_downloadable_until_its_expiry() -> None:
    record = a_file()
    assert record.is_downloadable(NOW)
    assert record.is_downloadable(EXPIRY - timedelta(milliseconds=1))


def test_a_file_is_not_downloadable_from_the_exact_expiry_instant() -> None:
    record = a_file()
    assert not record.is_downloadable(EXPIRY)
    assert not record.is_downloadable(EXPIRY + timedelta(seconds=1))


def test_a_ready_file_without_an_expiry_stays_downloadable() -> None:
    assert a_file(expires_at=None).is_downloadable(NOW + timedelta(days=3650))


@pytest.mark.parametrize("status", [s for s in STATUSES if s != "READY"])
def test_only_ready_files_are_downloadable(status: str) -> None:
    assert not a_file(status=status).is_downloadable(NOW)
    assert not a_file(status=status, expires_at=None).is_downloadable(NOW)


# ------------------------------------------------------------------------------ ShareRecord.is_live


def test_a_fresh_share_is_live() -> None:
    assert a_share().is_live(NOW)
    assert a_share(max_downloads=3, downloads=2).is_live(NOW)
    assert a_share(max_downloads=None, downloads=1_000_000).is_live(NOW)


def test_a_revoked_share_is_dead() -> None:
    assert not a_share(revoked=True).is_live(NOW)


def test_a_share_is_dead_from_the_exact_expiry_instant() -> None:
    share = a_share()
    assert share.is_live(EXPIRY - timedelta(milliseconds=1))
    assert not share.is_live(EXPIRY)
    assert not share.is_live(EXPIRY + timedelta(days=1))


@pytest.mark.parametrize("downloads", [3, 4])
def test_a_share_is_dead_once_its_downloads_are_used_up(downloads: int) -> None:
    share = a_share(max_downloads=3, downloads=downloads)
    assert not share.is_live(NOW)
    assert share.downloads_left() == 0


def test_downloads_left_counts_down_and_is_unlimited_without_a_maximum() -> None:
    assert a_share(max_downloads=3, downloads=1).downloads_left() == 2
    assert a_share(max_downloads=None).downloads_left() is None


def test_a_share_is_locked_only_until_the_lock_ends() -> None:
    lock_end = NOW + timedelta(minutes=15)
    share = a_share(locked_until=clock.to_iso(lock_end))
    assert share.is_locked(NOW)
    assert not share.is_locked(lock_end)
    assert not a_share().is_locked(NOW)


def test_a_processing_file_is_in_the_stuck_index_until_its_deadline_and_stuck_after() -> None:
    record = FileRecord.new(
        file_id="0123456789abcdef0123456789abcdef",
        owner_id="0f4a6d1e-1111-2222-3333-444455556666",
        name="a.txt",
        size=5,
        content_type="text/plain",
        object_key="uploads/0f4a6d1e-1111-2222-3333-444455556666/0123456789abcdef0123456789abcdef",
        object_version="v1",
        etag="e",
        created_at=NOW,
        processing_timeout_seconds=3600,
    )
    item = record.to_item()
    assert item["gsi3pk"] == "PROCESSING"
    assert item["gsi3sk"] == f"2026-03-01T13:00:00.000Z#{record.file_id}"
    assert item["storedBytes"] == 0 and item["sharesCreated"] == 0  # counted once admitted
    assert not record.is_stuck(NOW + timedelta(minutes=59))
    assert record.is_stuck(NOW + timedelta(hours=1))
    assert "gsi3pk" not in record._replace(status="READY").to_item()
    assert not record._replace(status="FAILED").is_stuck(NOW + timedelta(days=1))
