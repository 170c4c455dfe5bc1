"""Scoring cleaned output against hand-written checks (used by the tests and by ``bench/clean_bench.py``).

A check file names, per page, strings that must be gone (boilerplate) and strings that must stay (body
sentences), plus the expected title, date and language. The same drop/keep checks score jusText and
trafilatura, which only return text, so the comparison is like for like; title, date and language are
reported separately for our cleaner.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_SPACE_RE = re.compile(r"\s+")


def _squash(text: str) -> str:
    return _SPACE_RE.sub(" ", text).strip()


@dataclass(slots=True)
class Score:
    """Passed and total checks, with a readable line per failure."""

    passed: int = 0
    total: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, ok: bool, description: str) -> None:
        self.total += 1
        if ok:
            self.passed += 1
        else:
            self.failures.append(description)

    def merge(self, other: Score) -> None:
        self.passed += other.passed
        self.total += other.total
        self.failures.extend(other.failures)


def score_text(output: str, checks: dict[str, Any], label: str = "") -> Score:
    """Drop/keep checks on an extractor's whole output (title and text together)."""
    score = Score()
    flat = _squash(output)
    for needle in checks.get("drop", []):
        score.add(_squash(needle) not in flat, f"{label}: boilerplate kept: {needle!r}")
    for needle in checks.get("keep", []):
        score.add(_squash(needle) in flat, f"{label}: body lost: {needle!r}")
    lines = {_squash(line) for line in output.split("\n")}
    for needle in checks.get("drop_lines", []):
        score.add(_squash(needle) not in lines, f"{label}: boilerplate line kept: {needle!r}")
    return score


def score_fields(
    title: str, published: str | None, language: str, checks: dict[str, Any], label: str = ""
) -> Score:
    """Title, date (``YYYY-MM-DD`` or ``None``) and language checks for our cleaner."""
    score = Score()
    if "title" in checks:
        score.add(
            _squash(title) == _squash(checks["title"]), f"{label}: title {title!r} != {checks['title']!r}"
        )
    if "published" in checks:
        score.add(published == checks["published"], f"{label}: date {published!r} != {checks['published']!r}")
    if "language" in checks:
        score.add(language == checks["language"], f"{label}: language {language!r} != {checks['language']!r}")
    return score
