"""fileshare.core.config.load: settings come from the environment, and a missing or malformed one is
reported by the name of its variable (so a broken deployment says what to fix at cold start)."""

from __future__ import annotations

from typing import NamedTuple

import pytest

from fileshare.core.config import ConfigError, load


class Settings(NamedTuple):
    table_name: str
    max_upload_bytes: int
    scanner_engine: str = "yara"
    file_retention_seconds: int = 86_400
    strict: bool = False
    allowed_origins: tuple[str, ...] = ()


REQUIRED = {"TABLE_NAME": "fileshare-index", "MAX_UPLOAD_BYTES": "1048576"}


def test_required_settings_are_read_and_defaults_fill_the_rest() -> None:
    settings = load(Settings, REQUIRED)

    assert settings == Settings(table_name="fileshare-index", max_upload_bytes=1_048_576)
    assert settings.scanner_engine == "yara"
    assert settings.file_retention_seconds == 86_400
    assert settings.strict is False
    assert settings.allowed_origins == ()


@pytest.mark.parametrize("missing", ["TABLE_NAME", "MAX_UPLOAD_BYTES"])
def test_a_missing_variable_is_named_in_the_error(missing: str) -> None:
    environ = {k: v for k, v in REQUIRED.items() if k != missing}
    with pytest.raises(ConfigError, match=missing):
        load(Settings, environ)


def test_an_empty_variable_counts_as_missing() -> None:
    with pytest.raises(ConfigError, match="TABLE_NAME"):
        load(Settings, {**REQUIRED, "TABLE_NAME": ""})
    assert load(Settings, {**REQUIRED, "SCANNER_ENGINE": ""}).scanner_engine == "yara"


def test_integers_are_parsed() -> None:
    settings = load(Settings, {**REQUIRED, "FILE_RETENTION_SECONDS": "3600"})
    assert settings.max_upload_bytes == 1_048_576 and isinstance(settings.max_upload_bytes, int)
    assert settings.file_retention_seconds == 3600


@pytest.mark.parametrize("bad", ["1MB", "1.5", "lots"])
def test_a_malformed_integer_is_named_in_the_error(bad: str) -> None:
    with pytest.raises(ConfigError, match="MAX_UPLOAD_BYTES") as error:
        load(Settings, {**REQUIRED, "MAX_UPLOAD_BYTES": bad})
    assert bad in str(error.value)


def test_set_variables_override_defaults() -> None:
    settings = load(
        Settings,
        {
            **REQUIRED,
            "SCANNER_ENGINE": "clamav",
            "STRICT": "true",
            "ALLOWED_ORIGINS": "https://a.example, ,https://b.example",
        },
    )
    assert settings.scanner_engine == "clamav"
    assert settings.strict is True
    assert settings.allowed_origins == ("https://a.example", "https://b.example")


@pytest.mark.parametrize(("raw", "value"), [("1", True), ("TRUE", True), ("yes", True), ("0", False), ("false", False)])
def test_booleans_are_parsed(raw: str, value: bool) -> None:
    assert load(Settings, {**REQUIRED, "STRICT": raw}).strict is value


def test_the_process_environment_is_read_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FILE_RETENTION_SECONDS", "STRICT", "ALLOWED_ORIGINS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in REQUIRED.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("SCANNER_ENGINE", "clamav")
    assert load(Settings) == Settings("fileshare-index", 1_048_576, scanner_engine="clamav")


def test_variables_are_upper_case_field_names() -> None:
    with pytest.raises(ConfigError, match="TABLE_NAME"):
        load(Settings, {"table_name": "x", "MAX_UPLOAD_BYTES": "1"})
