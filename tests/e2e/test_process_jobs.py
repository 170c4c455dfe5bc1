"""`newsstream process --jobs N`: cleaning and tagging in worker processes, the same output as one process."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import orjson
import pytest

from streams import parallel
from streams.cli import main

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "streams" / "data" / "sample" / "articles.jsonl"
RULES = REPO / "tests" / "fixtures" / "seed_rules.yaml"
BAD_LINES = [
    b'{"id": "broken", "source": ',
    orjson.dumps({"id": "no-source", "text": "x", "source": 42}),
    orjson.dumps({"id": "empty", "source": "site-x", "text": "   "}),
    b"[1, 2, 3]",
    orjson.dumps(
        {"id": "chrome-only", "source": "site-x", "html": "<html><body><nav>Home</nav></body></html>"}
    ),
]


def _run(tmp_path: Path, source: Path, jobs: int) -> dict[str, object]:
    out = tmp_path / f"jobs{jobs}"
    out.mkdir()
    args = ["process", str(source), "-o", str(out / "out.jsonl"), "--rules", str(RULES)]
    args += ["--alerts", str(out / "alerts.jsonl"), "--stories", str(out / "stories.jsonl")]
    assert main([*args, "--jobs", str(jobs)]) == 0
    files: dict[str, object] = {path.name: path.read_bytes() for path in sorted(out.iterdir())}
    # A dead letter says when it was written; everything else must be equal.
    letters = [orjson.loads(line) for line in files.pop("out.dead-letters.jsonl").splitlines()]
    files["dead letters"] = [{k: v for k, v in letter.items() if k != "created_at"} for letter in letters]
    return files


def test_any_number_of_jobs_writes_the_same_records_alerts_stories_and_dead_letters(
    tmp_path, monkeypatch, seeds_path
):
    monkeypatch.setenv("NEWSSTREAM_DATA_DIR", str(tmp_path / "data"))
    lines = SAMPLE.read_bytes().splitlines() + seeds_path.read_bytes().splitlines()
    # Bad lines among the good ones: their dead letters must keep their place and line numbers.
    for position, bad in zip((3, 40, 77, 100, 115), BAD_LINES, strict=True):
        lines.insert(position, bad)
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    one = _run(tmp_path, source, 1)
    records = one["out.jsonl"].splitlines()
    assert len(records) > 100 and one["alerts.jsonl"] and one["stories.jsonl"]
    letters = one["dead letters"]
    assert [letter["reason"] for letter in letters] == [
        "invalid_json",
        "schema",
        "empty_body",
        "not_object",
        "no_body",
    ]
    assert [letter["line"] for letter in letters] == [4, 41, 78, 101, 116]
    # A small window and chunks, so the run waits for its workers many times (the input is 121 lines).
    monkeypatch.setattr(parallel, "WINDOW_PER_JOB", 8)
    monkeypatch.setattr(parallel, "CHUNK", 3)
    for jobs in (2, 3):
        assert _run(tmp_path, source, jobs) == one, f"--jobs {jobs} differs from one process"


@pytest.mark.parametrize(("jobs", "pause"), [(1, 0.0), (1, 0.5), (2, 0.5)])
def test_a_worker_that_dies_stops_the_run_with_a_clear_error_and_the_process_exits(tmp_path, jobs, pause):
    """A killed worker process (out of memory, say) must end the run with an error, never hang it.

    After a pause the worker is busy writing results: killed half-way through a message, it once left the
    run waiting for the rest of it for ever.
    """
    script = textwrap.dedent(
        f"""
        import os, signal, sys, time
        from streams.loaders import read_items
        from streams.parallel import ParallelRun, WorkerDied
        from streams.pipeline import Pipeline
        from streams.settings import Settings

        if __name__ == "__main__":
            settings = Settings()
            run = ParallelRun(Pipeline(settings), settings, {jobs})
            outcomes = run.process_items(read_items([{str(SAMPLE)!r}] * 20))
            next(outcomes)
            time.sleep({pause})
            os.kill(run.workers[0].pid, signal.SIGKILL)
            try:
                for _ in outcomes:
                    pass
            except WorkerDied as error:
                print("stopped:", error)
                sys.exit(0)
            sys.exit("the run went on without its worker")
        """
    )
    (tmp_path / "kill_worker.py").write_text(script)
    result = subprocess.run(
        [sys.executable, str(tmp_path / "kill_worker.py")],
        cwd=REPO,
        env={"NEWSSTREAM_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "newsstream-process-0 exited with code -9" in result.stdout


def test_jobs_must_be_positive():
    with pytest.raises(SystemExit):
        main(["process", "in.jsonl", "-o", "out.jsonl", "--jobs", "0"])


def test_workers_stop_when_the_run_is_killed(tmp_path):
    """A killed `process --jobs` must not leave its workers waiting for ever (and holding their memory)."""
    script = textwrap.dedent(
        f"""
        import os, sys
        from streams.loaders import read_items
        from streams.parallel import ParallelRun
        from streams.pipeline import Pipeline
        from streams.settings import Settings

        if __name__ == "__main__":
            settings = Settings()
            run = ParallelRun(Pipeline(settings), settings, 2)
            outcomes = run.process_items(read_items([{str(SAMPLE)!r}] * 50))
            next(outcomes)
            print(" ".join(str(worker.pid) for worker in run.workers), flush=True)
            os.kill(os.getpid(), 9)
        """
    )
    (tmp_path / "kill_run.py").write_text(script)
    result = subprocess.run(
        [sys.executable, str(tmp_path / "kill_run.py")],
        cwd=REPO,
        env={"NEWSSTREAM_DATA_DIR": str(tmp_path / "data"), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        timeout=60,
    )
    pids = [int(pid) for pid in result.stdout.split()]
    assert len(pids) == 2
    deadline = time.monotonic() + 20
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [pid for pid in pids if _running(pid)]
    assert alive == [], "process workers outlived their killed parent"


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(") ")[-1][:1] not in ("Z", "X")
    except FileNotFoundError:
        return False
