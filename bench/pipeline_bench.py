"""End-to-end benchmark on the local broker: pass-through floor, full pipeline throughput, latency, RSS.

    python -m bench.pipeline_bench [--articles N] [--rate 100] [--latency-articles M] [--workers W]

Prints one JSON object. Figures are from one run on this machine; compare ratios, not absolutes. With
``--workers W`` the pass-through and the pipeline each run as W worker processes in one consumer group (the
way a deployment scales); both are measured after the group has settled.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from bench.corpus import ANT_CITATION, build_stream, corpus_source
from streams.broker import LocalBroker, free_port

RULES = """
rules:
  - name: bench-two-sources
    min_sources: 2
    window: 24h
    severity: medium
"""


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Worker:
    """A worker subprocess (pipeline or pass-through) with its own topic prefix.

    Workers of one prefix with different ``index`` join the same consumer group, each with its own data
    directory and log.
    """

    broker_url: str
    prefix: str
    module: list[str]
    tmp: Path
    env_extra: dict[str, str] = field(default_factory=dict)
    index: int = 0
    proc: subprocess.Popen[bytes] | None = None
    startup_seconds: float = 0.0

    @property
    def name(self) -> str:
        return self.prefix if self.index == 0 else f"{self.prefix}-{self.index}"

    @property
    def log_path(self) -> Path:
        return self.tmp / f"{self.name}.log"

    def ready_count(self) -> int:
        """How often the worker reported ready: once at start and once after each rebalance."""
        return self.log_path.read_bytes().count(b"Worker ready")

    def start(self) -> None:
        env = dict(os.environ)
        env.update(
            {
                "NEWSSTREAM_BROKER": self.broker_url,
                "NEWSSTREAM_LOCAL_BROKER": "true",
                "NEWSSTREAM_APP_ID": f"bench-{self.prefix}",
                "NEWSSTREAM_TOPIC_PREFIX": self.prefix,
                "NEWSSTREAM_DATA_DIR": str(self.tmp / self.name),
                "NEWSSTREAM_WEB_PORT": str(free_port()),
                "NEWSSTREAM_LOG_LEVEL": "INFO",
            }
        )
        env.update(self.env_extra)
        log_path = self.log_path
        began = time.monotonic()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", *self.module],
            env=env,
            stdout=log_path.open("wb"),
            stderr=subprocess.STDOUT,
        )
        while b"Worker ready" not in log_path.read_bytes():
            if self.proc.poll() is not None or time.monotonic() - began > 120:
                raise RuntimeError(log_path.read_text()[-3000:])
            time.sleep(0.05)
        self.startup_seconds = time.monotonic() - began

    def peak_rss_mb(self) -> float:
        assert self.proc is not None
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return 0.0

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def start_group(count: int, **worker: Any) -> list[Worker]:
    """Start ``count`` workers of one group, one after the other, and wait until the group has settled.

    Each worker that joins makes every earlier one rebalance and report ready again, so worker ``i`` has
    settled when it has reported ready ``count - i`` times (up to a minute; a coalesced rebalance reports
    once, so the wait then ends by time).
    """
    workers = [Worker(index=index, **worker) for index in range(count)]
    for started in workers:
        started.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(w.ready_count() < count - w.index for w in workers):
        time.sleep(0.2)
    return workers


def _peak_rss_mb(workers: list[Worker]) -> float:
    return max(worker.peak_rss_mb() for worker in workers)


class Collector:
    """Consumes topics in the background and remembers when each record arrived."""

    def __init__(self, bootstrap: str, topics: list[str]) -> None:
        self.bootstrap = bootstrap
        self.topics = topics
        self.arrivals: dict[str, list[tuple[float, dict[str, Any]]]] = {t: [] for t in topics}
        self._task: asyncio.Task[None] | None = None
        self._consumer: AIOKafkaConsumer | None = None

    async def start(self) -> None:
        self._consumer = AIOKafkaConsumer(
            *self.topics,
            bootstrap_servers=self.bootstrap,
            group_id=None,
            auto_offset_reset="earliest",
            enable_auto_commit=False,
        )
        await self._consumer.start()
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        assert self._consumer is not None
        while True:
            batch = await self._consumer.getmany(timeout_ms=100)
            now = time.time()
            for tp, records in batch.items():
                for record in records:
                    self.arrivals[tp.topic].append((now, orjson.loads(record.value)))

    def count(self, topic: str) -> int:
        return len(self.arrivals[topic])

    async def wait(self, predicate: Any, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            await asyncio.sleep(0.05)
        return False

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
        if self._consumer:
            await self._consumer.stop()


async def _produce(
    bootstrap: str, topic: str, records: list[tuple[bytes, bytes]], rate: float | None, stamp: bool
) -> float:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=2)
    await producer.start()
    began = time.time()
    try:
        pending = []
        for index, (key, value) in enumerate(records):
            if rate:
                delay = began + index / rate - time.time()
                if delay > 0:
                    await asyncio.sleep(delay)
            if stamp:
                article = orjson.loads(value)
                article.setdefault("metadata", {})["pushed_at"] = time.time()
                value = orjson.dumps(article)
            pending.append(await producer.send(topic, key=key, value=value))
        await asyncio.gather(*pending)
    finally:
        await producer.stop()
    return began


def _percentiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p95": None, "p99": None, "n": 0}
    ordered = sorted(values)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 4)

    return {"p50": pick(0.50), "p95": pick(0.95), "p99": pick(0.99), "n": len(values)}


async def run(articles: int, rate: float, latency_articles: int, workers: int = 1) -> dict[str, Any]:
    stream = build_stream(articles + latency_articles)
    encoded = [(a["source"].encode(), orjson.dumps(a)) for a in stream]
    result: dict[str, Any] = {
        "cores": os.cpu_count(),
        "articles": articles,
        "workers": workers,
        "corpus": corpus_source(),
    }
    if corpus_source() == "ant":
        result["corpus_citation"] = ANT_CITATION
    with tempfile.TemporaryDirectory() as tmpdir, LocalBroker() as broker:
        tmp = Path(tmpdir)
        bootstrap = broker.bootstrap

        passthrough = start_group(
            workers, broker_url=broker.url, prefix="pt", module=["bench.passthrough"], tmp=tmp
        )
        collector = Collector(bootstrap, ["pt.out"])
        await collector.start()
        began = await _produce(bootstrap, "pt.raw", encoded[:articles], None, False)
        await collector.wait(lambda: collector.count("pt.out") >= articles, 600)
        last = collector.arrivals["pt.out"][-1][0]
        result["passthrough_msgs_per_s"] = round(articles / (last - began), 1)
        await collector.stop()
        for worker in passthrough:
            worker.stop()
        log(f"pass-through: {result['passthrough_msgs_per_s']} msg/s")

        rules = tmp / "rules.yaml"
        rules.write_text(RULES)
        pipeline = start_group(
            workers,
            broker_url=broker.url,
            prefix="pl",
            module=["streams.cli", "worker"],
            tmp=tmp,
            env_extra={"NEWSSTREAM_RULES": str(rules)},
        )
        result["worker_startup_s"] = round(pipeline[0].startup_seconds, 2)
        names = {s: f"pl.{s}" for s in ("tagged", "dlq", "stories", "alerts")}
        collector = Collector(bootstrap, list(names.values()))
        await collector.start()
        began = await _produce(bootstrap, "pl.raw", encoded[:articles], None, True)

        def done() -> bool:
            return collector.count(names["tagged"]) + collector.count(names["dlq"]) >= articles

        finished = await collector.wait(done, 900)
        arrivals = collector.arrivals[names["tagged"]] + collector.arrivals[names["dlq"]]
        last = max(t for t, _ in arrivals) if arrivals else time.time()
        result["pipeline_to_tagged_articles_per_s"] = round(articles / (last - began), 1)
        # The pipeline's rate is measured at its end: every tagged article has had its story event.
        tagged_ids = {record["id"] for _, record in collector.arrivals[names["tagged"]]}

        def storied() -> bool:
            seen = {record.get("article_id") for _, record in collector.arrivals[names["stories"]]}
            return tagged_ids <= seen

        finished = await collector.wait(storied, 600) and finished
        story_times = [
            t for t, record in collector.arrivals[names["stories"]] if record.get("article_id") in tagged_ids
        ]
        last = max([last, *story_times])
        result["pipeline_articles_per_s"] = round(articles / (last - began), 1)
        result["pipeline_complete"] = finished
        result["dead_letters"] = collector.count(names["dlq"])
        result["pipeline_to_passthrough"] = round(
            result["pipeline_articles_per_s"] / result["passthrough_msgs_per_s"], 3
        )
        log(f"pipeline: {result['pipeline_articles_per_s']} articles/s")

        # Let the later stages drain the throughput run first, so the latency run measures latency, not
        # a backlog: wait until story events stop arriving for two seconds.
        stable_since, last_count = time.monotonic(), -1
        while time.monotonic() - stable_since < 2.0:
            await asyncio.sleep(0.2)
            if collector.count(names["stories"]) != last_count:
                last_count, stable_since = collector.count(names["stories"]), time.monotonic()
        seen_stories = collector.count(names["stories"])
        seen_alerts = collector.count(names["alerts"])
        latency_began = time.time()
        await _produce(bootstrap, "pl.raw", encoded[articles:], rate, True)
        await collector.wait(
            lambda: (
                collector.count(names["tagged"]) + collector.count(names["dlq"])
                >= articles + latency_articles
            ),
            300,
        )
        await asyncio.sleep(2)
        story_latency = [
            t - r["ingested_at"]
            for t, r in collector.arrivals[names["stories"]][seen_stories:]
            if r.get("ingested_at") and r["ingested_at"] >= latency_began
        ]
        alert_latency = [
            t - r["ingested_at"]
            for t, r in collector.arrivals[names["alerts"]][seen_alerts:]
            if r.get("ingested_at") and r["ingested_at"] >= latency_began
        ]
        tagged_latency = [
            t - r["ingested_at"]
            for t, r in collector.arrivals[names["tagged"]][articles:]
            if r.get("ingested_at")
        ]
        result["offered_rate"] = rate
        result["push_to_tagged_latency_s"] = _percentiles(tagged_latency)
        result["push_to_story_latency_s"] = _percentiles(story_latency)
        result["push_to_alert_latency_s"] = _percentiles(alert_latency)
        result["worker_peak_rss_mb"] = round(_peak_rss_mb(pipeline), 1)
        await collector.stop()
        for worker in pipeline:
            worker.stop()
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=100.0)
    parser.add_argument("--latency-articles", type=int, default=None)
    parser.add_argument("--workers", type=int, default=1, help="worker processes (one consumer group)")
    args = parser.parse_args(argv)
    latency = args.latency_articles
    if latency is None:
        latency = max(50, min(1000, args.articles))
    result = asyncio.run(run(args.articles, args.rate, latency, args.workers))
    print(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
