"""The line cache and the table route of page normalisation are speed-ups only: results must not change."""

from __future__ import annotations

from dataclasses import astuple

from agents.clean.line_cache import LineCache
from agents.clean.lines import split_lines
from agents.clean.matching import fast_normalize
from agents.text.normalize import normalize

_PAGE = [
    "الرئيسية | أخبار | عاجل",
    "شارك",
    "قالت الوزارة إنّ ٣ مدارس فازت بالجائزة هذا العام، وإن النتائج ستعلن الأسبوع المقبل.",
    "المصدر: وكالات",
    "Home > World > Middle East",
    "   ",
    "جميع الحقوق محفوظة © 2025",
]


def _rows(lines):
    return [astuple(line) for line in lines]


def test_cached_lines_equal_fresh_ones_and_stay_independent() -> None:
    cache = LineCache(capacity=3)
    fresh = _rows(split_lines(_PAGE))
    first = split_lines(_PAGE, cache=cache)
    assert _rows(first) == fresh
    first[0].role = "drop:before_title"
    first[0].notes.append("repeated")
    first[1].learned_chrome = True
    again = split_lines([*_PAGE, "سطر جديد"], cache=cache)  # also pushes entries across generations
    assert _rows(again)[: len(fresh)] == fresh
    assert _rows(split_lines(_PAGE, cache=cache)) == fresh


def test_long_lines_are_not_cached() -> None:
    cache = LineCache()
    long_line = " ".join(["كلمة"] * 60) + "."
    split_lines([long_line, "قصير"], cache=cache)
    assert cache.get(long_line) is None
    assert cache.get("قصير") is not None


def test_fast_normalize_takes_the_other_route_for_astral_and_lone_surrogates() -> None:
    for text in ("أخبار 😀 ة\u0640", "نص \ud800 ی", "ASCII Only", "", "Ⅻ ﻻ"):
        assert fast_normalize(text) == normalize(text)
