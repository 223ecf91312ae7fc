"""Shared fixtures. The local stack is started once per test session (it takes a few seconds) and
shared by the workflow and integration tests; each test works under its own owner id."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from devstack.stack import ConsoleLog, LocalStack

# Property tests judge behaviour, not speed: no per-example deadline on a loaded 2-core CI machine.
settings.register_profile("fileshare", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("fileshare")

# Small limits so that "too large" and "multipart" cases need only small files.
TEST_PARAMETERS = {
    "MaxUploadBytes": "1048576",
    "SinglePostMaxBytes": "262144",
}


@pytest.fixture(scope="session")
def stack_log_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("stack") / "stack.log"


@pytest.fixture(scope="session")
def local_stack(stack_log_path: Path) -> Iterator[LocalStack]:
    with stack_log_path.open("w") as log_file:
        stack = LocalStack(parameters=TEST_PARAMETERS, log=ConsoleLog(log_file))
        stack.start()
        try:
            yield stack
        finally:
            stack.stop()


@pytest.fixture
def owner_id() -> str:
    return str(uuid.uuid4())
