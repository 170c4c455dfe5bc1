"""``newsstream bench``: every figure in one run — stage cores, ``process``, pass-through floor, pipeline.

Prints a table (rich) and, with ``--json``, one JSON object with all figures.
"""

from __future__ import annotations

import asyncio
import os
import sys
from typing import Any

import orjson
from rich.console import Console
from rich.table import Table

from bench.corpus import ANT_CITATION, build_stream, corpus_source
from bench.pipeline_bench import run as run_pipeline
from bench.stages_bench import measure_process, measure_stages


def run_suite(
    articles: int, rate: float = 100.0, latency_articles: int | None = None, workers: int = 1
) -> dict[str, Any]:
    console = Console(stderr=True)
    stream = build_stream(articles)
    result: dict[str, Any] = {
        "cores": os.cpu_count(),
        "articles": articles,
        "workers": workers,
        "corpus": corpus_source(),
    }
    if result["corpus"] == "ant":
        result["corpus_citation"] = ANT_CITATION
    with console.status("stage cores in-process…"):
        result["stage_articles_per_s"] = measure_stages(stream)
    with console.status("newsstream process…"):
        result.update(measure_process(stream))
    with console.status("pass-through and pipeline on the local broker…"):
        latency = latency_articles if latency_articles is not None else max(50, min(1000, articles))
        pipeline = asyncio.run(run_pipeline(articles, rate, latency, workers))
    for key in (
        "passthrough_msgs_per_s",
        "worker_startup_s",
        "pipeline_articles_per_s",
        "pipeline_complete",
        "pipeline_to_passthrough",
        "dead_letters",
        "offered_rate",
        "push_to_tagged_latency_s",
        "push_to_story_latency_s",
        "push_to_alert_latency_s",
        "worker_peak_rss_mb",
    ):
        result[key] = pipeline.get(key)
    return result


def print_table(result: dict[str, Any]) -> None:
    console = Console()
    table = Table(
        title=f"newsstream bench · {result['articles']} articles · {result['cores']} cores · "
        f"{result['workers']} worker(s) · "
        f"corpus {result['corpus']}"
    )
    table.add_column("measure")
    table.add_column("value", justify="right")
    for stage, rate in result["stage_articles_per_s"].items():
        table.add_row(f"core {stage}", str(rate))
    for key in (
        "process_articles_per_s",
        "process_warm_articles_per_s",
        "process_jobs_articles_per_s",
        "passthrough_msgs_per_s",
        "pipeline_articles_per_s",
        "pipeline_to_passthrough",
        "worker_startup_s",
        "worker_peak_rss_mb",
    ):
        table.add_row(key, str(result.get(key)))
    for key in ("push_to_tagged_latency_s", "push_to_story_latency_s", "push_to_alert_latency_s"):
        value = result.get(key) or {}
        table.add_row(key, f"p50 {value.get('p50')} · p95 {value.get('p95')} · p99 {value.get('p99')}")
    console.print(table)


def main(
    articles: int,
    as_json: bool,
    rate: float = 100.0,
    latency_articles: int | None = None,
    workers: int = 1,
) -> int:
    result = run_suite(articles, rate, latency_articles, workers)
    if as_json:
        sys.stdout.write(orjson.dumps(result, option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        print_table(result)
    return 0
