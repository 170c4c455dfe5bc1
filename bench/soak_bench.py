"""Sustained load on the local broker: flat RSS and no growing lag at a fraction of measured capacity.

    python -m bench.soak_bench [--rate 150] [--minutes 30]

Bounded (loopback only, stops by itself). Prints one JSON object: worker and broker RSS, consumer lag and the
backlog (articles pushed but not yet through story clustering or dead-lettered, from the worker's counters)
sampled every 10 s, RSS growth over the second half of the run, and how many articles were pushed.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
from aiokafka import AIOKafkaProducer

from bench.corpus import build_stream, corpus_source
from bench.pipeline_bench import RULES, Worker
from streams.broker import LocalBroker


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _metrics(port: int) -> str | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            return response.read().decode()
    except OSError:
        return None


def _metric_sum(text: str | None, name: str, **labels: str) -> float:
    if text is None:
        return float("nan")
    wanted = [f'{key}="{value}"' for key, value in labels.items()]
    return sum(
        float(line.split()[-1])
        for line in text.splitlines()
        if line.startswith(name + "{") and all(label in line for label in wanted)
    )


def _finished(text: str | None) -> float:
    """Articles through the last hop (story clustering) or dead-lettered, from the worker's own counters."""
    stories = _metric_sum(text, "newsstream_records_total", stage="stories")
    letters = _metric_sum(text, "newsstream_dead_letters_total")
    return stories + (letters if letters == letters else 0.0)


async def run(rate: float, minutes: float) -> dict[str, Any]:
    base = build_stream(20_000, seed=31)
    start = datetime(2018, 3, 1, tzinfo=UTC)
    samples: list[dict[str, float]] = []
    with tempfile.TemporaryDirectory() as tmpdir, LocalBroker() as broker:
        tmp = Path(tmpdir)
        (tmp / "rules.yaml").write_text(RULES)
        worker = Worker(
            broker.url,
            "soak",
            ["streams.cli", "worker"],
            tmp,
            env_extra={"NEWSSTREAM_RULES": str(tmp / "rules.yaml")},
        )
        worker.start()
        assert worker.proc is not None and broker.process is not None
        broker_pid = broker.process.pid
        log_text = (tmp / "soak.log").read_text()
        port = int(log_text.split("web/API on http://127.0.0.1:")[1].split("/")[0])
        producer = AIOKafkaProducer(bootstrap_servers=broker.bootstrap, linger_ms=5)
        await producer.start()
        began = time.monotonic()
        pushed = 0
        next_sample = began
        try:
            while time.monotonic() - began < minutes * 60:
                record = dict(base[pushed % len(base)])
                cycle = pushed // len(base)
                record["id"] = f"{record['id']}-c{cycle}"
                record["fetched_at"] = (start + timedelta(seconds=30 * pushed)).isoformat()
                await producer.send("soak.raw", key=record["source"].encode(), value=orjson.dumps(record))
                pushed += 1
                delay = began + pushed / rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                if time.monotonic() >= next_sample:
                    metrics = _metrics(port)
                    samples.append(
                        {
                            "t": round(time.monotonic() - began, 1),
                            "pushed": pushed,
                            "rss_mb": round(_rss_mb(worker.proc.pid), 1),
                            "lag": _metric_sum(metrics, "newsstream_consumer_lag"),
                            "backlog": pushed - _finished(metrics),
                            "broker_rss_mb": round(_rss_mb(broker_pid), 1),
                        }
                    )
                    print(samples[-1], file=sys.stderr, flush=True)
                    next_sample += 10
            await producer.flush()
        finally:
            await producer.stop()
        await asyncio.sleep(5)
        metrics = _metrics(port)
        final_lag = _metric_sum(metrics, "newsstream_consumer_lag")
        final_backlog = pushed - _finished(metrics)
        worker.stop()
    half = [s for s in samples if s["t"] >= samples[-1]["t"] / 2]
    growth = (
        (half[-1]["rss_mb"] - half[0]["rss_mb"]) / half[0]["rss_mb"] if half and half[0]["rss_mb"] else None
    )
    lags = [s["lag"] for s in samples if s["lag"] == s["lag"]]
    return {
        "corpus": corpus_source(),
        "rate": rate,
        "minutes": minutes,
        "pushed": pushed,
        "rss_mb_first": samples[0]["rss_mb"] if samples else None,
        "rss_mb_last": samples[-1]["rss_mb"] if samples else None,
        "rss_growth_second_half": round(growth, 4) if growth is not None else None,
        "lag_max": max(lags) if lags else None,
        "lag_final": final_lag,
        "lag_second_half_max": max((s["lag"] for s in half), default=None),
        "backlog_max": max((s["backlog"] for s in samples), default=None),
        "backlog_second_half_max": max((s["backlog"] for s in half), default=None),
        "backlog_final": final_backlog,
        "samples": samples,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=150.0)
    parser.add_argument("--minutes", type=float, default=30.0)
    args = parser.parse_args(argv)
    print(orjson.dumps(asyncio.run(run(args.rate, args.minutes)), option=orjson.OPT_INDENT_2).decode())
    return 0


if __name__ == "__main__":
    sys.exit(main())
