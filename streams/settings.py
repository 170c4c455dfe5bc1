"""The one place newsstream reads its environment.

Everything else receives a :class:`Settings` object. Variables use the ``NEWSSTREAM_`` prefix (for example
``NEWSSTREAM_BROKER=kafka://kafka:9092``). When no broker is configured the local broker profile applies:
newsstream starts Tansu on loopback and turns on the settings that make Faust correct on it
(see README "The local broker": short session timeout, no recovery consistency check; the ListOffsets
correction in ``streams.tuning``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_data_dir() -> Path:
    return Path.home() / ".local" / "share" / "newsstream"


def _default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path.home() / ".cache") / "newsstream"


class Settings(BaseSettings):
    """newsstream settings; frozen, validated at construction."""

    model_config = SettingsConfigDict(env_prefix="NEWSSTREAM_", frozen=True, extra="ignore")

    broker: str | None = Field(
        default=None,
        description="Kafka bootstrap URL (kafka://host:9092[;host2:9092]). Unset: use the local broker.",
    )
    app_id: str = Field(default="newsstream", min_length=1, description="Faust app id / consumer group.")
    partitions: int = Field(default=4, ge=1, le=1024, description="Partitions of every newsstream topic.")
    replication_factor: int = Field(default=1, ge=1, le=16)
    store: str = Field(default="rocksdb://", description="Faust table store: rocksdb:// or memory://.")
    data_dir: Path = Field(default_factory=_default_data_dir, description="Tables, state file, logs.")
    cache_dir: Path = Field(
        default_factory=_default_cache_dir,
        description="Compiled gazetteer, shared by every data dir (pickles: keep it writable by you only).",
    )
    web_host: str = Field(default="127.0.0.1", description="Web/API bind address (loopback by default).")
    web_port: int = Field(default=6066, ge=0, le=65535)
    web_enabled: bool = True
    api_token: SecretStr | None = Field(default=None, description="Bearer token required by the HTTP API.")
    board_replay_records: int = Field(
        default=100_000,
        ge=0,
        le=100_000_000,
        description="Records per partition of news.stories and the alert topics the web board reads back.",
    )
    max_body_bytes: int = Field(default=2 * 1024 * 1024, ge=1024, le=256 * 1024 * 1024)
    topic_prefix: str = Field(default="news", pattern=r"^[A-Za-z0-9._-]+$")
    rules: Path | None = Field(default=None, description="Alert rules YAML, reloaded without restart.")
    gazetteer: Path | None = Field(default=None, description="User gazetteer YAML added to the built-in one.")
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    local_broker: bool | None = Field(
        default=None,
        description="Apply the Tansu profile. Unset: on when no broker is configured.",
    )
    # Kafka security, passed through to aiokafka/Faust.
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = None
    sasl_username: str | None = None
    sasl_password: SecretStr | None = None
    ssl_cafile: Path | None = None
    # Tuning.
    commit_interval: float = Field(default=0.5, gt=0, le=60)
    session_timeout: float | None = Field(default=None, gt=0, le=300)
    heartbeat_interval: float | None = Field(default=None, gt=0, le=60)
    fetch_max_wait_ms: int = Field(
        default=100, ge=1, le=10_000, description="Longest a worker's fetch waits on an idle partition."
    )
    fuse_stages: bool = Field(
        default=True,
        description="Tag in the dedup hop and alert in the story hop (two hops fewer; news.deduped unused).",
    )
    chrome_write_every: int = Field(
        default=20,
        ge=1,
        le=10_000,
        description="Write a source's learned chrome to its table every N articles (1: every article).",
    )
    state_cache_entries: int = Field(
        default=5000,
        ge=0,
        le=1_000_000,
        description="Decoded story/dedup records kept in memory per table and derived store (0: none).",
    )
    rocksdb_write_buffer_mb: int = Field(
        default=4, ge=1, le=1024, description="RocksDB memtable size per table partition (two are kept)."
    )
    rocksdb_block_cache_mb: int = Field(
        default=8, ge=1, le=16_384, description="RocksDB block cache per table partition."
    )
    dedup_window_days: float = Field(default=7.0, gt=0, le=365)
    story_dormant_hours: float = Field(default=24.0, gt=0)
    story_expire_hours: float = Field(default=72.0, gt=0)
    alerts_jsonl: Path | None = Field(default=None, description="Also append alerts to this JSONL file.")
    alerts_webhook: str | None = Field(default=None, description="Also POST alerts to this URL.")

    @field_validator("broker")
    @classmethod
    def _broker_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith("kafka://"):
            raise ValueError(f"broker must look like kafka://host:9092, got {value!r}")
        return value

    @field_validator("store")
    @classmethod
    def _store_url(cls, value: str) -> str:
        if not (value.startswith("rocksdb://") or value.startswith("memory://")):
            raise ValueError(f"store must be rocksdb:// or memory://, got {value!r}")
        return value

    @property
    def uses_local_broker(self) -> bool:
        """True when the Tansu profile applies (no broker configured, or forced on)."""
        if self.local_broker is not None:
            return self.local_broker
        return self.broker is None

    def topic(self, stage: str) -> str:
        """Full topic name for a stage suffix (``raw`` -> ``news.raw``)."""
        return f"{self.topic_prefix}.{stage}"

    @property
    def state_file(self) -> Path:
        """Where ``newsstream run``/``broker`` record the local broker they started."""
        return self.data_dir / "broker.json"

    def faust_options(self, broker_url: str) -> dict[str, Any]:
        """Keyword arguments for ``faust.App``; the Tansu profile only when the local broker is used."""
        options: dict[str, Any] = {
            "broker": broker_url,
            "store": self.store,
            "datadir": str(self.data_dir / "worker" / str(self.web_port)),  # one rocksdb dir per worker
            "topic_partitions": self.partitions,
            "topic_replication_factor": self.replication_factor,
            "processing_guarantee": "at_least_once",
            "broker_commit_interval": self.commit_interval,
            "web_enabled": self.web_enabled,
            "web_host": self.web_host,
            "web_port": self.web_port,
            "web_bind": self.web_host,
            "topic_allow_declare": True,
            "value_serializer": "raw",
            "key_serializer": "raw",
            "consumer_auto_offset_reset": "earliest",
            # A stage's output carries the article's text (and entities): room for the largest accepted body.
            "producer_max_request_size": 3 * self.max_body_bytes + 1024 * 1024,
        }
        if self.security_protocol != "PLAINTEXT":
            options["broker_credentials"] = self._credentials()
        if self.uses_local_broker:
            # Tansu quirks (see README "Local broker"): JoinGroup is held for half the session timeout;
            # ListOffsets "latest" answers the last batch's base offset + 1 (corrected for table recovery
            # by streams.tuning.apply_true_highwaters, so producer batches are safe); compaction is not
            # applied.
            options.update(
                broker_session_timeout=self.session_timeout or 6,
                broker_heartbeat_interval=self.heartbeat_interval or 1,
                recovery_consistency_check=False,
            )
        else:
            if self.session_timeout:
                options["broker_session_timeout"] = self.session_timeout
            if self.heartbeat_interval:
                options["broker_heartbeat_interval"] = self.heartbeat_interval
        return options

    def rocksdb_options(self) -> dict[str, int]:
        """Options for every RocksDB a worker opens (Faust table partitions and derived-key stores).

        RocksDB's defaults (64 MB memtables x3, a 2 GB block cache in Faust) are sized for one big database;
        a worker opens one per table partition, so with the defaults its RSS climbs by hundreds of MB
        before the first memtable is flushed. Memory per database stays under about
        ``2 * write_buffer + block_cache``.
        """
        mib = 1024 * 1024
        return {
            "write_buffer_size": self.rocksdb_write_buffer_mb * mib,
            "max_write_buffer_number": 2,
            "block_cache_size": self.rocksdb_block_cache_mb * mib,
            "block_cache_compressed_size": self.rocksdb_block_cache_mb * mib,
        }

    def kafka_client_options(self) -> dict[str, Any]:
        """Security keyword arguments for plain aiokafka clients (push, tail, admin)."""
        options: dict[str, Any] = {"security_protocol": self.security_protocol}
        if self.sasl_mechanism:
            options["sasl_mechanism"] = self.sasl_mechanism
            options["sasl_plain_username"] = self.sasl_username
            options["sasl_plain_password"] = (
                self.sasl_password.get_secret_value() if self.sasl_password else None
            )
        if self.security_protocol in ("SSL", "SASL_SSL"):
            from aiokafka.helpers import create_ssl_context

            options["ssl_context"] = create_ssl_context(
                cafile=str(self.ssl_cafile) if self.ssl_cafile else None
            )
        return options

    def _credentials(self) -> Any:
        import faust

        ssl_context = None
        if self.security_protocol in ("SSL", "SASL_SSL"):
            from aiokafka.helpers import create_ssl_context

            ssl_context = create_ssl_context(cafile=str(self.ssl_cafile) if self.ssl_cafile else None)
        if self.sasl_mechanism:
            password = self.sasl_password.get_secret_value() if self.sasl_password else ""
            return faust.SASLCredentials(
                username=self.sasl_username or "",
                password=password,
                mechanism=self.sasl_mechanism,
                ssl_context=ssl_context,
            )
        return faust.SSLCredentials(ssl_context)
