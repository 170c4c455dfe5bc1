from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from streams.settings import Settings


def test_no_broker_means_local_profile_with_tansu_settings(monkeypatch):
    monkeypatch.delenv("NEWSSTREAM_BROKER", raising=False)
    settings = Settings()
    assert settings.uses_local_broker
    options = settings.faust_options("kafka://127.0.0.1:1")
    # batches stay on: table recovery reads each changelog's true end (streams.tuning)
    assert "producer_max_batch_size" not in options
    assert options["recovery_consistency_check"] is False
    assert options["broker_session_timeout"] <= 6


def test_configured_broker_turns_the_tansu_profile_off(monkeypatch):
    monkeypatch.setenv("NEWSSTREAM_BROKER", "kafka://kafka:9092")
    settings = Settings()
    assert settings.broker == "kafka://kafka:9092"
    assert not settings.uses_local_broker
    options = settings.faust_options(settings.broker)
    assert "recovery_consistency_check" not in options
    assert options["processing_guarantee"] == "at_least_once"


def test_settings_are_frozen_and_validated(monkeypatch):
    settings = Settings(partitions=8)
    with pytest.raises(ValidationError):
        settings.partitions = 2  # type: ignore[misc]
    with pytest.raises(ValidationError, match="kafka://"):
        Settings(broker="localhost:9092")
    with pytest.raises(ValidationError, match="partitions"):
        Settings(partitions=0)
    with pytest.raises(ValidationError, match="store"):
        Settings(store="redis://")


def test_env_prefix_and_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("NEWSSTREAM_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("NEWSSTREAM_PARTITIONS", "6")
    settings = Settings()
    assert settings.data_dir == Path(tmp_path)
    assert settings.partitions == 6
    assert settings.web_host == "127.0.0.1"
    assert settings.max_body_bytes == 2 * 1024 * 1024
    assert settings.topic("raw") == "news.raw"


def test_secrets_do_not_leak_in_repr(monkeypatch):
    settings = Settings(sasl_password="hunter2", api_token="tok3n")
    assert "hunter2" not in repr(settings) and "tok3n" not in repr(settings)
