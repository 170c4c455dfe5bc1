"""Optional alert sinks a user switches on in settings: a JSONL file and a webhook.

Both take alert records (``Alert`` models or their dicts) through ``submit``, which never blocks the
stream: the JSONL sink appends one line, the webhook sink only enqueues and a background task does the
network I/O. Alerts may be submitted more than once (at-least-once processing re-sends an alert with
the same id), so both sinks skip ids they delivered recently and the webhook sends the id as the
``Idempotency-Key`` header for receivers that de-duplicate.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections import OrderedDict
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

import aiohttp
from pydantic import BaseModel

from agents.errors import ConfigError
from streams import codec

log = logging.getLogger(__name__)

AlertRecord = Mapping[str, Any] | BaseModel


class AlertSink(Protocol):
    """What the alert agent needs from a sink."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    def submit(self, alert: AlertRecord) -> None: ...


class RecentIds:
    """The last ``size`` alert ids seen, to skip re-sent alerts (a bounded LRU, not a full history)."""

    __slots__ = ("_ids", "size")

    def __init__(self, size: int) -> None:
        self.size = size
        self._ids: OrderedDict[str, None] = OrderedDict()

    def add(self, alert_id: str) -> bool:
        """Remember ``alert_id``; False if it was already among the recent ids."""
        if alert_id in self._ids:
            self._ids.move_to_end(alert_id)
            return False
        self._ids[alert_id] = None
        if len(self._ids) > self.size:
            self._ids.popitem(last=False)
        return True

    def discard(self, alert_id: str) -> None:
        """Forget ``alert_id`` (it was not delivered, so a re-send must go through)."""
        self._ids.pop(alert_id, None)

    def __len__(self) -> int:
        return len(self._ids)


def _as_dict(alert: AlertRecord) -> dict[str, Any]:
    if isinstance(alert, BaseModel):
        return alert.model_dump(mode="json")
    return dict(alert)


def _check(name: str, value: float, low: float, high: float) -> None:
    if isinstance(value, bool) or not low <= value <= high:
        raise ConfigError(f"alert sink option {name}: {value!r} is not between {low:g} and {high:g}")


class JsonlAlertSink:
    """Appends each alert as one JSON line (flushed, so ``tail -f`` sees it at once).

    On start it reads the ids in the last ``resume_bytes`` of an existing file, so a restarted worker
    that re-sends its last alerts does not write them twice.
    """

    def __init__(self, path: Path | str, recent_ids: int = 10_000, resume_bytes: int = 1 << 20) -> None:
        _check("recent_ids", recent_ids, 1, 10_000_000)
        _check("resume_bytes", resume_bytes, 0, 1 << 30)
        self.path = Path(path)
        self.resume_bytes = resume_bytes
        self.written = 0
        self.skipped = 0
        self._recent = RecentIds(recent_ids)
        self._file: Any = None

    async def start(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for alert_id in self._tail_ids():
            self._recent.add(alert_id)
        self._file = self.path.open("ab")

    async def stop(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def submit(self, alert: AlertRecord) -> None:
        """Append the alert unless its id was written recently. Requires ``start()``."""
        if self._file is None:
            raise RuntimeError("JsonlAlertSink.submit called before start()")
        record = _as_dict(alert)
        if not self._recent.add(str(record.get("id"))):
            self.skipped += 1
            return
        self._file.write(codec.dumps(record) + b"\n")
        self._file.flush()
        self.written += 1

    def _tail_ids(self) -> list[str]:
        if not self.path.exists() or self.resume_bytes == 0:
            return []
        with self.path.open("rb") as handle:
            handle.seek(0, 2)
            size = handle.tell()
            handle.seek(max(0, size - self.resume_bytes))
            chunk = handle.read()
        lines = chunk.split(b"\n")
        if size > self.resume_bytes:
            lines = lines[1:]
        ids: list[str] = []
        for line in lines:
            try:
                record = codec.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and "id" in record:
                ids.append(str(record["id"]))
        return ids


class WebhookAlertSink:
    """POSTs each alert as JSON to ``url`` from a background task; ``submit`` never blocks or raises.

    Delivery: 2xx is success; connection errors, timeouts, 408, 429 and 5xx are retried up to
    ``max_retries`` times with exponential backoff (``backoff * 2^attempt``, capped at ``max_backoff``,
    with jitter when ``jitter`` is true); other 4xx are not retried (the receiver rejected the record).
    When the queue is full the oldest waiting alert is dropped and counted (``dropped``), because a stalled
    receiver must not stall the stream. ``stop`` waits up to ``drain_timeout`` for queued alerts.
    """

    def __init__(
        self,
        url: str,
        timeout: float = 5.0,
        max_retries: int = 5,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        queue_size: int = 1000,
        drain_timeout: float = 5.0,
        headers: Mapping[str, str] | None = None,
        jitter: bool = True,
        recent_ids: int = 10_000,
    ) -> None:
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"alert sink option url: {url!r} is not an http(s) URL")
        _check("timeout", timeout, 0.01, 300)
        _check("max_retries", max_retries, 0, 100)
        _check("backoff", backoff, 0, 600)
        _check("max_backoff", max_backoff, 0, 3600)
        _check("queue_size", queue_size, 1, 1_000_000)
        _check("drain_timeout", drain_timeout, 0, 3600)
        self.url = url
        self.timeout = timeout
        self.max_retries = max_retries
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.drain_timeout = drain_timeout
        self.headers = dict(headers or {})
        self.jitter = jitter
        self.sent = 0
        self.failed = 0
        self.dropped = 0
        self.skipped = 0
        self._recent = RecentIds(recent_ids)
        self._queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=queue_size)
        self._session: aiohttp.ClientSession | None = None
        self._task: asyncio.Task[None] | None = None
        self._busy = False

    async def start(self) -> None:
        if self._task is not None:
            return
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self.timeout),
            headers={"Content-Type": "application/json", **self.headers},
        )
        self._task = asyncio.create_task(self._run(), name="webhook-alert-sink")

    async def stop(self) -> None:
        """Deliver what is queued (up to ``drain_timeout``), then cancel the worker and close the session."""
        if self._task is None:
            return
        deadline = asyncio.get_running_loop().time() + self.drain_timeout
        while (not self._queue.empty() or self._busy) and asyncio.get_running_loop().time() < deadline:
            await asyncio.sleep(0.01)
        if not self._queue.empty():
            log.warning("webhook sink stopped with %d alerts undelivered", self._queue.qsize())
        self._task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._task
        self._task = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    def submit(self, alert: AlertRecord) -> None:
        """Queue the alert for delivery; drops the oldest queued alert when full. Never blocks."""
        record = _as_dict(alert)
        if not self._recent.add(str(record.get("id"))):
            self.skipped += 1
            return
        if self._queue.full():
            oldest = self._queue.get_nowait()
            self._recent.discard(str(oldest.get("id")))
            self.dropped += 1
            if self.dropped == 1 or self.dropped % 100 == 0:
                log.warning("webhook %s is not keeping up: %d alerts dropped so far", self.url, self.dropped)
        self._queue.put_nowait(record)

    async def _run(self) -> None:
        while True:
            record = await self._queue.get()
            self._busy = True
            try:
                if await self._deliver(record):
                    self.sent += 1
                else:
                    self.failed += 1
                    self._recent.discard(str(record.get("id")))
            finally:
                self._busy = False

    async def _deliver(self, record: dict[str, Any]) -> bool:
        assert self._session is not None
        body = codec.dumps(record)
        headers = {"Idempotency-Key": str(record.get("id", ""))}
        for attempt in range(self.max_retries + 1):
            problem: str
            try:
                async with self._session.post(self.url, data=body, headers=headers) as response:
                    if 200 <= response.status < 300:
                        return True
                    problem = f"HTTP {response.status}"
                    if response.status < 500 and response.status not in (408, 429):
                        log.error("webhook %s rejected alert %s: %s", self.url, record.get("id"), problem)
                        return False
            except (aiohttp.ClientError, TimeoutError) as exc:
                problem = f"{type(exc).__name__}: {exc}"
            if attempt == self.max_retries:
                log.error(
                    "webhook %s: giving up on alert %s after %d attempts (%s)",
                    self.url,
                    record.get("id"),
                    attempt + 1,
                    problem,
                )
                return False
            delay = min(self.max_backoff, self.backoff * (2**attempt))
            if self.jitter:
                delay *= random.uniform(0.5, 1.0)
            log.warning("webhook %s: %s; retry %d in %.2fs", self.url, problem, attempt + 1, delay)
            await asyncio.sleep(delay)
        return False


def sinks_from_settings(settings: Any) -> list[AlertSink]:
    """The sinks a user switched on: ``NEWSSTREAM_ALERTS_JSONL`` and/or ``NEWSSTREAM_ALERTS_WEBHOOK``."""
    sinks: list[AlertSink] = []
    if settings.alerts_jsonl:
        sinks.append(JsonlAlertSink(settings.alerts_jsonl))
    if settings.alerts_webhook:
        sinks.append(WebhookAlertSink(settings.alerts_webhook))
    return sinks
