"""Helpers of the cleaning-core tests: the regression corpus and the shared seed pages."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from agents.clean import PageInput

REPO = Path(__file__).resolve().parents[3]
FIXTURES = REPO / "tests" / "fixtures" / "clean"
HELD_OUT = REPO / "tests" / "fixtures" / "clean_heldout"
SEEDS = REPO / ".." / "shared" / "seeds"


def load_corpus(folder: Path = FIXTURES) -> list[tuple[str, Path, dict[str, Any]]]:
    """Pages written for the project, with their checks: (name, page path, expectations)."""
    pages = []
    for expected in sorted(folder.glob("*.expected.json")):
        name = expected.name.removesuffix(".expected.json")
        page = next(p for p in folder.glob(name + ".*") if not p.name.endswith(".expected.json"))
        pages.append((name, page, json.loads(expected.read_text(encoding="utf-8"))))
    return pages


def corpus_input(page: Path, expected: dict[str, Any]) -> PageInput:
    content = page.read_text(encoding="utf-8")
    is_html = page.suffix == ".html"
    return PageInput(
        source=expected["source"],
        text=None if is_html else content,
        html=content if is_html else None,
        fetched_at=datetime.fromisoformat(expected["fetched_at"]),
    )


def load_seeds() -> list[dict[str, Any]]:
    path = SEEDS / "articles.jsonl"
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI runs with ../shared beside the repository")
        pytest.skip("shared seeds not present beside the repo")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def seed_input(record: dict[str, Any]) -> PageInput:
    return PageInput(
        source=record["source"],
        text=record["text"],
        fetched_at=datetime.fromisoformat(record["fetched_at"].replace("Z", "+00:00")),
        article_id=record["id"],
    )
