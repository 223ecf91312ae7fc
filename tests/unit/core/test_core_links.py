"""Links to several files (fileshare.core.shares, records, ownership): they show and serve only
the files still present, die with the one 404 when none is left, count one download per
redemption, and are made only of the owner's own READY files, each claimed in one transaction."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from fileshare.core import clock, keyring, shares, storage
from fileshare.core.errors import Conflict, NotFound
from fileshare.core.ownership import owned_files
from fileshare.core.records import FileRecord, ShareRecord, create_share_transaction
from fileshare.core.shares import (
    PasswordPolicy,
    Requester,
    ShareLimits,
    ShareLookup,
    create_share_input,
    public_view,
    redeem,
)
from fileshare.core.tokens import hash_token
from tests.unit.core.test_core_records import NOW, a_file

TOKEN = "Q2hhbmdlTWUtdGhpcy1pcy1hLTQzLWNoYXItdG9rZW4"
OWNER = "0f4a6d1e-1111-2222-3333-444455556666"
IDS = ["a" * 32, "b" * 32, "c" * 32]
LIMITS = ShareLimits(default_ttl_seconds=3600, max_ttl_seconds=86400, max_shares_per_file=20)


def files() -> dict[str, FileRecord]:
    names = dict(zip(IDS, "xyz", strict=True))
    return {i: a_file(file_id=i, name=f"{names[i]}.pdf", object_key=f"uploads/{OWNER}/{i}") for i in IDS}


def a_link(**changes: Any) -> ShareRecord:
    link = ShareRecord(
        share_id="0123456789abcdef",
        file_id=None,
        file_ids=tuple(IDS),
        owner_id=OWNER,
        token_hash=hash_token(TOKEN),
        token_ciphertext="Y2lwaGVy",
        created_at=clock.to_iso(NOW - timedelta(hours=1)),
        expires_at=clock.to_iso(NOW + timedelta(days=1)),
    )
    return link._replace(**changes)


class Index:
    """The index as the API reads it: one link and the files it names."""

    def __init__(self, link: ShareRecord, records: dict[str, FileRecord]) -> None:
        self.link, self.records = link, records

    def get_share(self, token_hash: str) -> ShareRecord | None:
        return self.link if token_hash == self.link.token_hash else None

    def get_files(self, file_ids: list[str]) -> list[FileRecord | None]:
        return [self.records.get(f) for f in file_ids]


class Workflow:
    def __init__(self) -> None:
        self.payloads: list[dict[str, Any]] = []

    def __call__(self, payload: dict[str, Any]) -> dict[str, Any]:
        self.payloads.append(payload)
        return {}


def test_a_deleted_or_expired_file_drops_out_of_the_link() -> None:
    records = files()
    records[IDS[0]] = records[IDS[0]]._replace(status="DELETED")
    records[IDS[2]] = records[IDS[2]]._replace(expires_at=clock.to_iso(NOW - timedelta(seconds=1)))

    view = public_view(ShareLookup(Index(a_link(), records)).find(TOKEN, NOW))

    assert [f["fileId"] for f in view["files"]] == [IDS[1]]
    assert view["files"][0] == {"fileId": IDS[1], "name": "y.pdf", "size": 12345, "contentType": "application/pdf"}


def test_a_file_gone_from_the_index_or_of_another_owner_is_skipped_too() -> None:
    records = files()
    del records[IDS[0]]
    records[IDS[1]] = records[IDS[1]]._replace(owner_id="someone-else")

    link = ShareLookup(Index(a_link(), records)).find(TOKEN, NOW)

    assert [r.file_id for r in link.files] == [IDS[2]]


def test_a_link_with_none_of_its_files_left_is_the_one_404() -> None:
    records = {i: r._replace(status="DELETED") for i, r in files().items()}

    with pytest.raises(NotFound) as dead:
        ShareLookup(Index(a_link(), records)).find(TOKEN, NOW)

    assert dead.value.message == ShareLookup.dead().message


def test_one_redemption_counts_one_download_and_presigns_every_file_left(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "presign_get", lambda **kw: f"https://s3.example/{kw['key']}?signed")
    records = files()
    records[IDS[1]] = records[IDS[1]]._replace(status="DELETED")
    workflow = Workflow()

    answer = redeem(
        lookup=ShareLookup(Index(a_link(max_downloads=1), records)),
        run=workflow,
        token=TOKEN,
        password=None,
        requester=Requester(request_id="r1", source_ip="203.0.113.9", user_agent="test"),
        policy=PasswordPolicy(max_attempts=5, lock_seconds=900),
        bucket="bucket",
        at=NOW,
    )

    [counted] = workflow.payloads  # one command: one download for the whole link
    assert counted["mode"] == "download" and counted["shareId"] == "0123456789abcdef"
    assert counted["fileIds"] == [IDS[0], IDS[2]]
    assert [(f["fileId"], f["name"], f["url"]) for f in answer["files"]] == [
        (IDS[0], "x.pdf", f"https://s3.example/uploads/{OWNER}/{IDS[0]}?signed"),
        (IDS[2], "z.pdf", f"https://s3.example/uploads/{OWNER}/{IDS[2]}?signed"),
    ]


def test_a_link_is_made_only_of_the_owners_own_files_and_names_the_one_that_is_not() -> None:
    records = files()
    records[IDS[1]] = records[IDS[1]]._replace(owner_id="someone-else")

    class Files:
        def get_files(self, file_ids: list[str]) -> list[FileRecord | None]:
            return [records.get(f) for f in file_ids]

    with pytest.raises(NotFound) as refused:
        owned_files(Files(), IDS, OWNER)  # type: ignore[arg-type]
    assert IDS[1] in refused.value.message
    with pytest.raises(NotFound):
        owned_files(Files(), [IDS[0], "d" * 32], OWNER)  # type: ignore[arg-type]


def test_a_file_not_ready_or_at_its_link_limit_is_refused_by_name() -> None:
    records = list(files().values())

    with pytest.raises(Conflict) as not_ready:
        create_share_input([records[0], records[1]._replace(status="PROCESSING")], {}, LIMITS)
    with pytest.raises(Conflict) as full:
        create_share_input([records[0], records[2]._replace(shares_created=20)], {}, LIMITS)

    assert not_ready.value.code == "file_not_ready" and "y.pdf" in not_ready.value.message
    assert full.value.code == "share_limit_reached" and "z.pdf" in full.value.message


def test_the_workflow_input_names_every_file_and_the_last_expiry() -> None:
    records = list(files().values())
    later = records[1]._replace(expires_at=clock.to_iso(NOW + timedelta(days=40)))

    payload = create_share_input([records[0], later], {"maxDownloads": 1, "expiresInSeconds": 600}, LIMITS)

    assert payload["fileIds"] == [IDS[0], IDS[1]] and "fileId" not in payload
    assert payload["ownerId"] == OWNER and payload["maxDownloads"] == 1 and payload["ttlSeconds"] == 600
    assert payload["fileExpiresAt"] == later.expires_at


def test_the_create_share_transaction_claims_every_file_and_stores_the_link_once() -> None:
    item = {"pk": {"S": "SHARE#x"}}

    transaction = create_share_transaction(table_name="t", share_item=item, file_ids=IDS, owner_id=OWNER, max_shares=20)

    *claims, store = transaction
    assert [c["Update"]["Key"]["pk"]["S"] for c in claims] == [f"FILE#{i}" for i in IDS]
    for claim in claims:
        update = claim["Update"]
        assert update["ConditionExpression"].startswith("ownerId = :owner AND #status = :ready")
        assert update["ExpressionAttributeValues"][":owner"] == {"S": OWNER}
        assert update["ExpressionAttributeValues"][":max"] == {"N": "20"}
    assert store == {"Put": {"TableName": "t", "Item": item, "ConditionExpression": "attribute_not_exists(pk)"}}


def test_a_link_to_several_files_is_listed_under_its_owner_and_its_token_bound_to_them() -> None:
    link = a_link()

    item = link.to_item()

    assert item["gsi1pk"] == f"LINKS#{OWNER}" and item["fileIds"] == IDS and "fileId" not in item
    assert ShareRecord.from_item(item) == link
    assert shares.token_context_of(link) == {"ownerId": OWNER, "shareId": link.share_id}
    assert keyring.token_context(share_id="s", file_id="f") == {"fileId": "f", "shareId": "s"}
    with pytest.raises(ValueError):
        link._replace(file_id=IDS[0]).to_item()  # either a file's link or a link to several, never both
    with pytest.raises(ValueError):
        keyring.token_context(share_id="s")
