"""`newsstream run` as a user runs it: local broker started, found by push/tail, both stopped on Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import orjson
import pytest

from streams.broker import free_port, port_open

pytestmark = pytest.mark.broker


def _env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEWSSTREAM_")}
    env.update(
        {
            "NEWSSTREAM_DATA_DIR": str(tmp_path / "data"),
            "NEWSSTREAM_WEB_PORT": str(free_port()),
            "NEWSSTREAM_SESSION_TIMEOUT": "2",
            "NEWSSTREAM_HEARTBEAT_INTERVAL": "0.5",
        }
    )
    return env


def _cli(env, *args, timeout=60):
    return subprocess.run(
        [sys.executable, "-m", "streams.cli", *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def test_run_starts_broker_and_worker_push_and_tail_find_it_ctrl_c_stops_both(tmp_path):
    env = _env(tmp_path)
    log = tmp_path / "run.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "run"], env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
    )
    state_file = tmp_path / "data" / "broker.json"
    try:
        deadline = time.monotonic() + 60
        while b"Worker ready" not in log.read_bytes():
            assert proc.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, log.read_text()[-3000:]
            time.sleep(0.2)
        state = orjson.loads(state_file.read_bytes())
        assert port_open(state["port"])

        article = tmp_path / "one.jsonl"
        article.write_bytes(
            orjson.dumps(
                {"id": "e2e-1", "source": "site-e2e", "text": "A short article body.\nWith a second line."}
            )
        )
        pushed = _cli(env, "push", str(article))
        assert pushed.returncode == 0, pushed.stderr
        tailed = _cli(
            env, "tail", "news.tagged", "--json", "--from-beginning", "--limit", "1", "--timeout", "30"
        )
        assert tailed.returncode == 0, tailed.stderr
        assert orjson.loads(tailed.stdout.splitlines()[0])["id"] == "e2e-1"
    finally:
        proc.send_signal(signal.SIGINT)
        code = proc.wait(30)
    assert code in (0, 130), log.read_text()[-3000:]
    assert not state_file.exists()
    assert not port_open(state["port"]), "the local broker outlived Ctrl-C"
    gone = _cli(env, "tail", "--timeout", "1")
    assert gone.returncode == 1 and "newsstream run" in gone.stderr


def test_broker_command_runs_only_the_broker_until_interrupted(tmp_path):
    env = _env(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-m", "streams.cli", "broker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    state_file = tmp_path / "data" / "broker.json"
    try:
        deadline = time.monotonic() + 30
        while not state_file.exists():
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        port = orjson.loads(state_file.read_bytes())["port"]
        assert port_open(port)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(20)
    assert not port_open(port) and not state_file.exists()
