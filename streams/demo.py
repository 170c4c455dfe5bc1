"""``newsstream demo``: local broker + worker, the sample corpus pushed as a live stream, alerts shown.

The sample corpus spans about eight days of event time; the demo replays it in ``duration`` seconds, keeping
the gaps between articles in proportion, so stories grow, go quiet and fire alerts as they would live.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from importlib import resources
from pathlib import Path

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from streams.admin import ensure_topics
from streams.broker import LocalBroker, bootstrap_servers, clear_state, free_port, port_open, write_state
from streams.console import console
from streams.exceptions import BrokerUnavailable
from streams.render import render_record
from streams.settings import Settings
from streams.topics import TopicNames


def sample_articles() -> list[dict]:
    data = resources.files("streams").joinpath("data/sample/articles.jsonl").read_bytes()
    return [orjson.loads(line) for line in data.splitlines() if line.strip()]


def _schedule(articles: list[dict], duration: float) -> list[float]:
    """Seconds from the start at which each article is pushed (event-time gaps, scaled)."""
    times = [datetime.fromisoformat(a["fetched_at"].replace("Z", "+00:00")).timestamp() for a in articles]
    start, end = min(times), max(times)
    span = max(1.0, end - start)
    return [(t - start) / span * duration for t in times]


def _start_worker(settings: Settings, broker_url: str, web_port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    rules = settings.rules or Path(str(resources.files("streams").joinpath("data/demo_rules.yaml")))
    env.update(
        {
            "NEWSSTREAM_BROKER": broker_url,
            "NEWSSTREAM_LOCAL_BROKER": "true",
            "NEWSSTREAM_WEB_PORT": str(web_port),
            "NEWSSTREAM_RULES": str(rules),
            "NEWSSTREAM_DATA_DIR": str(settings.data_dir),
        }
    )
    log = (settings.data_dir / "demo-worker.log").open("wb")
    return subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "worker"], env=env, stdout=log, stderr=subprocess.STDOUT
    )


async def _wait_ready(web_port: int, worker: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise BrokerUnavailable("the demo worker exited at start; see demo-worker.log in the data dir")
        if port_open(web_port):
            return
        await asyncio.sleep(0.2)
    raise BrokerUnavailable(f"the demo worker did not start within {timeout:.0f} s")


async def _show_alerts(settings: Settings, broker_url: str, stop: asyncio.Event) -> int:
    names = TopicNames.for_prefix(settings.topic_prefix)
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap_servers(broker_url),
        group_id=None,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    consumer.subscribe([names.alerts])
    seen: set[bytes] = set()
    try:
        while not stop.is_set():
            batch = await consumer.getmany(timeout_ms=300)
            for records in batch.values():
                for record in records:
                    if record.key not in seen:  # an alert id is shown once, even if redelivered
                        seen.add(record.key)
                        render_record(record.topic, record.value)
    finally:
        await consumer.stop()
    return len(seen)


async def _push(settings: Settings, broker_url: str, duration: float) -> int:
    names = TopicNames.for_prefix(settings.topic_prefix)
    articles = sample_articles()
    offsets = _schedule(articles, duration)
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap_servers(broker_url), linger_ms=5)
    await producer.start()
    began = time.monotonic()
    try:
        for article, offset in zip(articles, offsets, strict=True):
            delay = began + offset - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            article.setdefault("metadata", {})["pushed_at"] = time.time()
            await producer.send(names.raw, key=article["source"].encode(), value=orjson.dumps(article))
        await producer.flush()
    finally:
        await producer.stop()
    return len(articles)


async def _demo(
    settings: Settings, broker_url: str, web_port: int, duration: float, linger: float | None
) -> int:
    await ensure_topics(settings, broker_url, TopicNames.for_prefix(settings.topic_prefix).all())
    worker = _start_worker(settings, broker_url, web_port)
    try:
        await _wait_ready(web_port, worker)
        console.print(
            f"[bold green]dashboard:[/] http://{settings.web_host}:{web_port}/   "
            f"[dim](API: /stories /alerts /metrics)[/]"
        )
        console.print(
            f"[dim]pushing {len(sample_articles())} sample articles over {duration:.0f} s; "
            "alerts appear below as they fire (Ctrl-C to stop)[/]"
        )
        stop = asyncio.Event()
        shower = asyncio.create_task(_show_alerts(settings, broker_url, stop))
        pushed = await _push(settings, broker_url, duration)
        console.print(f"[dim]pushed {pushed} articles; the dashboard stays up[/]")
        if linger is not None:
            await asyncio.sleep(linger)
        else:
            await asyncio.Event().wait()
        stop.set()
        shown = await shower
        console.print(f"[dim]{shown} alerts shown[/]")
        return 0
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(20)
        except subprocess.TimeoutExpired:
            worker.kill()


def run_demo(settings: Settings, *, duration: float, linger: float | None) -> int:
    """Start the local broker (unless one is configured), a worker, and replay the sample corpus."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    broker: LocalBroker | None = None
    if settings.broker:
        broker_url = settings.broker
    else:
        broker = LocalBroker(log_path=settings.data_dir / "broker.log").start()
        write_state(settings, broker)
        broker_url = broker.url
    web_port = settings.web_port if not port_open(settings.web_port) else free_port()
    try:
        return asyncio.run(_demo(settings, broker_url, web_port, duration, linger))
    except KeyboardInterrupt:
        return 0
    finally:
        if broker is not None:
            clear_state(settings, broker)
            broker.stop()
