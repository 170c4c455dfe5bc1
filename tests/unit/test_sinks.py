"""Alert sinks: the JSONL file and the webhook (against a real aiohttp server on 127.0.0.1)."""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio
from aiohttp import web
from pydantic import BaseModel

from agents.errors import ConfigError
from streams.sinks import JsonlAlertSink, RecentIds, WebhookAlertSink


def alert(alert_id: str, **extra: Any) -> dict[str, Any]:
    return {"id": alert_id, "rule": "breaking", "severity": "critical", "headline": "عاجل", **extra}


@dataclass
class Receiver:
    """A webhook endpoint whose responses are scripted by a list of status codes (then 200)."""

    statuses: list[int] = field(default_factory=list)
    delay: float = 0.0
    attempts: int = 0
    received: list[dict[str, Any]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        self.attempts += 1
        if self.delay:
            await asyncio.sleep(self.delay)
        status = self.statuses.pop(0) if self.statuses else 200
        if status == 200:
            self.received.append(json.loads(await request.read()))
            self.keys.append(request.headers.get("Idempotency-Key", ""))
            assert request.headers["Content-Type"] == "application/json"
        return web.Response(status=status)


@pytest_asyncio.fixture(loop_scope="function")
async def receiver() -> AsyncIterator[Receiver]:
    target = Receiver()
    app = web.Application()
    app.router.add_post("/hook", target.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    target.url = f"http://{host}:{port}/hook"
    yield target
    await runner.cleanup()


def webhook(url: str, **options: Any) -> WebhookAlertSink:
    settings: dict[str, Any] = {"backoff": 0.01, "jitter": False, "timeout": 2.0, **options}
    return WebhookAlertSink(url, **settings)


async def wait_for(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


async def test_webhook_posts_each_alert_as_json_with_its_idempotency_key(receiver: Receiver) -> None:
    sink = webhook(receiver.url)
    await sink.start()
    for index in range(3):
        sink.submit(alert(f"id{index}", level=1))
    await sink.stop()
    assert [record["id"] for record in receiver.received] == ["id0", "id1", "id2"]
    assert receiver.received[0]["headline"] == "عاجل"
    assert receiver.keys == ["id0", "id1", "id2"]
    assert (sink.sent, sink.failed, sink.dropped) == (3, 0, 0)


async def test_webhook_retries_a_failing_then_ok_endpoint(receiver: Receiver) -> None:
    receiver.statuses = [503, 500, 429]
    sink = webhook(receiver.url, max_retries=5)
    await sink.start()
    sink.submit(alert("a"))
    await wait_for(lambda: sink.sent == 1)
    await sink.stop()
    assert receiver.attempts == 4
    assert [record["id"] for record in receiver.received] == ["a"]
    assert sink.failed == 0


async def test_webhook_gives_up_after_max_retries_and_a_resend_goes_through(receiver: Receiver) -> None:
    receiver.statuses = [500, 500, 500]
    sink = webhook(receiver.url, max_retries=2)
    await sink.start()
    sink.submit(alert("a"))
    await wait_for(lambda: sink.failed == 1)
    assert receiver.attempts == 3 and receiver.received == []
    sink.submit(alert("a"))
    await wait_for(lambda: sink.sent == 1)
    await sink.stop()
    assert [record["id"] for record in receiver.received] == ["a"]


async def test_webhook_does_not_retry_a_rejected_record(receiver: Receiver) -> None:
    receiver.statuses = [400]
    sink = webhook(receiver.url, max_retries=5)
    await sink.start()
    sink.submit(alert("bad"))
    await wait_for(lambda: sink.failed == 1)
    await sink.stop()
    assert receiver.attempts == 1


async def test_webhook_skips_an_alert_resent_with_the_same_id(receiver: Receiver) -> None:
    sink = webhook(receiver.url)
    await sink.start()
    for _ in range(3):
        sink.submit(alert("same"))
    await sink.stop()
    assert len(receiver.received) == 1 and sink.skipped == 2


async def test_webhook_submit_never_blocks_and_drops_the_oldest_when_full(receiver: Receiver) -> None:
    receiver.delay = 0.3
    sink = webhook(receiver.url, queue_size=2, drain_timeout=3.0)
    await sink.start()
    started = time.perf_counter()
    for index in range(50):
        sink.submit(alert(f"id{index}"))
    elapsed = time.perf_counter() - started
    assert sink.dropped == 48
    await sink.stop()
    assert [record["id"] for record in receiver.received] == ["id48", "id49"]
    assert elapsed < 0.25, "submit must not wait for the network"


async def test_webhook_survives_a_receiver_that_is_down() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sink = webhook(f"http://127.0.0.1:{port}/hook", max_retries=2)
    await sink.start()
    sink.submit(alert("a"))
    await wait_for(lambda: sink.failed == 1)
    await sink.stop()
    assert sink.sent == 0


@pytest.mark.parametrize(
    ("option", "value"),
    [("timeout", 0), ("max_retries", -1), ("backoff", -1.0), ("queue_size", 0), ("drain_timeout", -1)],
)
def test_webhook_options_are_validated(option: str, value: Any) -> None:
    with pytest.raises(ConfigError, match=f"alert sink option {option}"):
        WebhookAlertSink("http://127.0.0.1:9/hook", **{option: value})
    with pytest.raises(ConfigError, match="alert sink option url"):
        WebhookAlertSink("ftp://example.org")


async def test_jsonl_sink_appends_one_record_per_line_and_skips_resent_ids(tmp_path: Path) -> None:
    path = tmp_path / "out" / "alerts.jsonl"
    sink = JsonlAlertSink(path)
    with pytest.raises(RuntimeError, match="before start"):
        sink.submit(alert("x"))
    await sink.start()
    sink.submit(alert("a", reason="3 distinct sources"))
    sink.submit(alert("b"))
    sink.submit(alert("a"))
    assert [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()] == ["a", "b"]
    await sink.stop()
    assert (sink.written, sink.skipped) == (2, 1)
    assert json.loads(path.read_text(encoding="utf-8").splitlines()[0])["reason"] == "3 distinct sources"


async def test_jsonl_sink_remembers_ids_already_in_the_file_after_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "alerts.jsonl"
    first = JsonlAlertSink(path)
    await first.start()
    for index in range(5):
        first.submit(alert(f"id{index}"))
    await first.stop()
    restarted = JsonlAlertSink(path, resume_bytes=200)
    await restarted.start()
    restarted.submit(alert("id4"))
    restarted.submit(alert("id5"))
    await restarted.stop()
    ids = [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]
    assert ids == ["id0", "id1", "id2", "id3", "id4", "id5"]


def test_recent_ids_are_bounded() -> None:
    recent = RecentIds(3)
    assert all(recent.add(f"id{index}") for index in range(10))
    assert len(recent) == 3
    assert not recent.add("id9") and recent.add("id0")


async def test_sinks_accept_pydantic_records_and_datetimes(tmp_path: Path, receiver: Receiver) -> None:
    class Record(BaseModel):
        id: str
        created_at: datetime

    moment = datetime(2025, 4, 28, 13, 40, tzinfo=UTC)
    jsonl = JsonlAlertSink(tmp_path / "alerts.jsonl")
    hook = webhook(receiver.url)
    await jsonl.start()
    await hook.start()
    jsonl.submit(Record(id="m", created_at=moment))
    jsonl.submit({"id": "d", "created_at": moment})
    hook.submit(Record(id="m", created_at=moment))
    await hook.stop()
    await jsonl.stop()
    lines = [
        json.loads(line) for line in (tmp_path / "alerts.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [datetime.fromisoformat(line["created_at"].replace("Z", "+00:00")) for line in lines] == [
        moment
    ] * 2
    assert datetime.fromisoformat(receiver.received[0]["created_at"].replace("Z", "+00:00")) == moment
