"""`newsstream bench --articles 200 --workers 2 --json` runs end to end and reports every figure (no timing
asserts); two workers, so the consumer-group path of the benchmark runs too."""

from __future__ import annotations

import subprocess
import sys

import orjson
import pytest

pytestmark = [pytest.mark.broker, pytest.mark.slow]


def test_bench_json_has_every_figure(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "streams.cli",
            "bench",
            "--articles",
            "200",
            "--latency-articles",
            "50",
            "--workers",
            "2",
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**__import__("os").environ, "NEWSSTREAM_DATA_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = orjson.loads(result.stdout)
    assert figures["articles"] == 200 and figures["cores"] >= 1 and figures["workers"] == 2
    for stage in ("clean", "dedup", "tag", "stories", "alerts", "all_stages"):
        assert figures["stage_articles_per_s"][stage] > 0
    # all stages in turn: the per-article times add up (a count stored under a stage's key would not)
    rates = figures["stage_articles_per_s"]
    per_article = sum(1 / rates[stage] for stage in ("clean", "dedup", "tag", "stories", "alerts"))
    assert 1 / rates["all_stages"] == pytest.approx(per_article, rel=0.02)
    assert rates["story_count"] >= 1
    assert figures["process_records_written"] == 200
    assert figures["process_articles_per_s"] > 0 and figures["process_warm_articles_per_s"] > 0
    assert figures["process_jobs"] >= 1 and figures["process_jobs_articles_per_s"] > 0
    assert figures["process_jobs_same_output"] is True
    assert figures["pipeline_complete"] is True
    assert figures["passthrough_msgs_per_s"] > 0 and figures["pipeline_articles_per_s"] > 0
    assert figures["pipeline_to_passthrough"] == pytest.approx(
        figures["pipeline_articles_per_s"] / figures["passthrough_msgs_per_s"], rel=0.01
    )
    for key in ("push_to_tagged_latency_s", "push_to_story_latency_s"):
        assert set(figures[key]) == {"p50", "p95", "p99", "n"} and figures[key]["n"] > 0
    assert figures["worker_peak_rss_mb"] > 0
