"""Each stage core in-process on the benchmark stream, and ``newsstream process`` end to end.

Per-stage rates time the same stage classes the workers run (``streams.stages``), fed the previous stage's
output, so each figure is that stage's own cost on realistic input.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

from agents.errors import BadArticle
from streams.intake import validate_raw
from streams.pipeline import Pipeline
from streams.settings import Settings


def measure_stages(stream: list[dict[str, Any]]) -> dict[str, Any]:
    """Articles/s of each stage on one core (single-threaded), feeding each stage the previous output."""
    pipeline = Pipeline(Settings(web_enabled=False))
    raws = []
    for record in stream:
        try:
            raws.append(validate_raw(record))
        except BadArticle:
            continue
    timings: dict[str, float] = {}

    def timed(name: str, items: list[Any], step: Any) -> list[Any]:
        out = []
        began = time.perf_counter()
        for item in items:
            try:
                out.append(step(item))
            except BadArticle:
                continue
        timings[name] = time.perf_counter() - began
        return out

    cleaned = timed("clean", raws, pipeline.clean)
    deduped = timed("dedup", cleaned, pipeline.dedup)
    tagged = timed("tag", deduped, pipeline.tag)
    storied = timed("stories", tagged, pipeline.stories)
    events = [event for _, story_events in storied for event in story_events]
    timed("alerts", events, pipeline.alerts)
    rates = {name: round(len(raws) / seconds, 1) if seconds else None for name, seconds in timings.items()}
    rates["alerts_events_per_s"] = round(len(events) / timings["alerts"], 1) if timings["alerts"] else None
    total = sum(timings[name] for name in ("clean", "dedup", "tag", "stories", "alerts"))
    rates["all_stages"] = round(len(raws) / total, 1)
    rates["duplicates_found"] = sum(1 for article in deduped if article.duplicate_of)
    # Not "stories": that key is the stage's rate, which this count used to overwrite.
    rates["story_count"] = len({story_id for story_id, _ in storied})
    return rates


def measure_process(stream: list[dict[str, Any]]) -> dict[str, Any]:
    """``newsstream process`` as a user runs it (a subprocess, including start-up), articles/s.

    Run twice with one new cache directory: the first run compiles the gazetteer and caches it (what a
    user's first run on a machine pays), the second loads the cache (every later run). A third run uses
    every core (``--jobs``), and its output is compared with the second's.
    """
    jobs = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "in.jsonl"
        source.write_bytes(b"\n".join(orjson.dumps(record) for record in stream) + b"\n")
        env = dict(
            os.environ,
            NEWSSTREAM_DATA_DIR=str(Path(tmp) / "data"),
            NEWSSTREAM_CACHE_DIR=str(Path(tmp) / "cache"),
        )
        seconds = []
        outputs = [Path(tmp) / f"out{run}.jsonl" for run in range(3)]
        for output, extra in zip(outputs, ([], [], ["--jobs", str(jobs)]), strict=True):
            began = time.perf_counter()
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "streams.cli",
                    "process",
                    str(source),
                    "--output",
                    str(output),
                    *extra,
                ],
                env=env,
                check=True,
                capture_output=True,
            )
            seconds.append(time.perf_counter() - began)
        written = sum(1 for _ in outputs[1].open("rb"))
        same = outputs[1].read_bytes() == outputs[2].read_bytes()
    return {
        "process_articles_per_s": round(len(stream) / seconds[0], 1),
        "process_seconds": round(seconds[0], 2),
        "process_warm_articles_per_s": round(len(stream) / seconds[1], 1),
        "process_warm_seconds": round(seconds[1], 2),
        "process_records_written": written,
        "process_jobs": jobs,
        "process_jobs_articles_per_s": round(len(stream) / seconds[2], 1),
        "process_jobs_same_output": same,
    }
