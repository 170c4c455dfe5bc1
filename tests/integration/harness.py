"""Run real workers as subprocesses against the test broker, and read topics back."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from streams.admin import ensure_topics
from streams.broker import bootstrap_servers, free_port
from streams.settings import Settings
from streams.topics import TopicNames


@dataclass
class Deployment:
    """A unique app id and topic prefix on the shared broker, and its workers."""

    broker_url: str
    tmp: Path
    prefix: str = field(default_factory=lambda: f"t{uuid.uuid4().hex[:8]}")
    extra_env: dict[str, str] = field(default_factory=dict)
    workers: list[subprocess.Popen[bytes]] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)
    web_ports: dict[int, int] = field(default_factory=dict)

    @property
    def names(self) -> TopicNames:
        return TopicNames.for_prefix(self.prefix)

    def env(self, index: int) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "NEWSSTREAM_BROKER": self.broker_url,
                "NEWSSTREAM_LOCAL_BROKER": "true",
                "NEWSSTREAM_APP_ID": f"app-{self.prefix}",
                "NEWSSTREAM_TOPIC_PREFIX": self.prefix,
                "NEWSSTREAM_DATA_DIR": str(self.tmp / f"data-{index}"),
                "NEWSSTREAM_SESSION_TIMEOUT": "2",
                "NEWSSTREAM_HEARTBEAT_INTERVAL": "0.5",
                "NEWSSTREAM_WEB_PORT": str(self.web_ports.setdefault(index, free_port())),
                "NEWSSTREAM_LOG_LEVEL": "INFO",
            }
        )
        env.update(self.extra_env)
        return env

    def settings(self) -> Settings:
        return Settings(broker=self.broker_url, topic_prefix=self.prefix, local_broker=True)

    def start_worker(self, index: int | None = None, timeout: float = 60.0) -> subprocess.Popen[bytes]:
        index = len(self.workers) if index is None else index
        log = self.tmp / f"worker-{index}-{len(self.logs)}.log"
        self.logs.append(log)
        proc = subprocess.Popen(
            [sys.executable, "-m", "streams.cli", "worker"],
            env=self.env(index),
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        self.workers.append(proc)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"worker exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
            if b"Worker ready" in log.read_bytes():
                return proc
            time.sleep(0.2)
        raise RuntimeError(f"worker not ready in {timeout} s:\n{log.read_text()[-4000:]}")

    def web_url(self, index: int = 0) -> str:
        return f"http://127.0.0.1:{self.web_ports[index]}"

    def stop_all(self) -> None:
        for proc in self.workers:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.workers:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)

    async def create_topics(self) -> None:
        await ensure_topics(self.settings(), self.broker_url, self.names.all())

    async def produce(self, topic: str, values: list[bytes], keys: list[bytes | None] | None = None) -> None:
        producer = AIOKafkaProducer(
            bootstrap_servers=bootstrap_servers(self.broker_url), max_request_size=64 * 1024 * 1024
        )
        await producer.start()
        try:
            futures = [
                await producer.send(topic, value=v, key=(keys[i] if keys else None))
                for i, v in enumerate(values)
            ]
            await asyncio.gather(*futures)
        finally:
            await producer.stop()

    async def read(
        self, topic: str, *, until: int | None = None, timeout: float = 60.0, done: Any = None
    ) -> list[Any]:
        """Records of ``topic`` from the beginning until ``until`` arrived, ``done(values)`` holds, or
        ``timeout`` passed."""
        consumer = AIOKafkaConsumer(
            topic,
            bootstrap_servers=bootstrap_servers(self.broker_url),
            group_id=None,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
        await consumer.start()
        values: list[Any] = []
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                if until is not None and len(values) >= until:
                    break
                if done is not None and done(values):
                    break
                batch = await consumer.getmany(timeout_ms=300)
                for records in batch.values():
                    values.extend(orjson.loads(r.value) for r in records)
        finally:
            await consumer.stop()
        return values
