"""Shared fixtures: where the shared data lives, and the real local broker for integration tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"


@pytest.fixture(scope="session")
def seeds_path() -> Path:
    path = SEEDS / "articles.jsonl"
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI runs with ../shared beside the repository")
        pytest.skip("../shared/seeds is not present on this machine")
    return path


@pytest.fixture(scope="session")
def broker() -> Iterator[object]:
    """One real Tansu broker per session on a free loopback port; fails (never skips) if it cannot start."""
    from streams.broker import LocalBroker

    log_dir = Path(os.environ.get("NEWSSTREAM_TEST_LOGS", "/tmp/newsstream-test-logs"))
    log_dir.mkdir(parents=True, exist_ok=True)
    with LocalBroker(log_path=log_dir / "broker.log") as local:
        yield local
