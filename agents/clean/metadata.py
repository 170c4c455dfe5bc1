"""Metadata a page states around the article: publication date, byline, attribution and tags.

Lines carrying metadata are removed from the text by the segmenter; this module reads their values, in
display form, and picks the publication date by how much each clue can be trusted: machine-readable HTML
metadata, then a labelled date ("تاريخ النشر: ..."), then a bare date line near the title, then a date
inside a line between the title and the body (a byline and a date run together: "كتبت: دانة المطيري 9
نوفمبر 2025 وقت القراءة: 3 دقائق", as inline HTML spans become one line), then a relative weekday in the
opening paragraphs ("اليوم الإثنين") resolved against the fetch time.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from agents.clean.dates import DateWindow, FoundDate, find_date, find_relative_date, parse_machine_date
from agents.clean.html import HtmlPage
from agents.clean.lines import Line
from agents.clean.phrases import PhraseKind, classify_phrase
from agents.clean.segment import Layout
from agents.text.normalize import normalize_with_offsets, to_original_span

_TAG_SPLIT_RE = re.compile(r"\s*[,،|;؛#]\s*|\s+[-–—/]\s+")
_RELATIVE_SCAN_LINES = 3
_MAX_TAG_LINES = 15


@dataclass(slots=True)
class Metadata:
    """What the page says about the article besides its text."""

    published_at: datetime | None = None
    precision: Literal["datetime", "date"] | None = None
    byline: str | None = None
    attribution: str | None = None
    tags: list[str] = field(default_factory=list)


def label_value(line: Line) -> str:
    """Display text after a metadata label (``المصدر: عين ليبيا`` → ``عين ليبيا``); empty if none."""
    return _label_value(line.display)


# Labelled lines are mostly a source's fixed chrome ("المصدر: وكالات"), met again on every page, and the
# value is a pure function of the text; the offset map behind it is the costly part.
@functools.lru_cache(maxsize=4096)
def _label_value(display: str) -> str:
    norm, offsets = normalize_with_offsets(display)
    stripped = norm.strip()
    lead = len(norm) - len(norm.lstrip())
    _, start = classify_phrase(stripped)
    if start < 0:
        return ""
    display_start, _ = to_original_span(offsets, start + lead, len(norm))
    return display[display_start:].strip(" :：-–—|")


def _split_tags(value: str) -> list[str]:
    parts = [p.strip() for p in _TAG_SPLIT_RE.split(value)]
    return [p for p in parts if p]


def _tags(lines: list[Line], html: HtmlPage | None) -> list[str]:
    for line in lines:
        if line.kind is not PhraseKind.TAGS:
            continue
        if html is not None and len(html.link_texts) == len(lines) and html.link_texts[line.index]:
            return list(html.link_texts[line.index])  # each tag is its own link
        value = label_value(line)
        if value:
            return _split_tags(value)
        collected: list[str] = []
        for follower in lines[line.index + 1 : line.index + 1 + _MAX_TAG_LINES]:
            if follower.kind is not None or follower.n_words > 5 or follower.is_prose:
                break
            collected.append(follower.display.strip("#•· "))
        return collected
    return []


def _byline(lines: list[Line], layout: Layout) -> str | None:
    for line in lines:
        if line.kind is PhraseKind.BYLINE:
            value = label_value(line)
            if value:
                return value
    for index in layout.header:
        line = lines[index]
        if (
            1 <= line.n_words <= 4
            and line.role == "drop:header"
            and "repeated" not in line.notes
            and not any(ch.isdigit() for ch in line.norm)
            and line.kind is None
        ):
            return line.display
    return None


def _published(
    lines: list[Line],
    layout: Layout,
    date_lines: dict[int, FoundDate],
    window: DateWindow,
    html: HtmlPage | None,
) -> FoundDate | tuple[datetime, Literal["datetime", "date"]] | None:
    if html is not None:
        for value in html.published:
            parsed = parse_machine_date(value, window)
            if parsed:
                return parsed
    for line in lines:
        if line.kind is PhraseKind.DATE_LABEL:
            found = find_date(line.norm, window) or find_relative_date(line.norm, window, header=True)
            if found:
                return found
    absolute = [(i, d) for i, d in date_lines.items() if d.precision == "datetime" or d.end - d.start > 6]
    for index, found in sorted(absolute):
        if index < layout.body_end:
            return found
    for _, found in sorted(date_lines.items()):
        return found
    if layout.title_index is not None:
        for line in lines[layout.title_index + 1 : layout.body_start]:
            found = find_date(line.norm, window)
            if found:
                return found
    opening = ([layout.title_index] if layout.title_index is not None else []) + layout.body[
        :_RELATIVE_SCAN_LINES
    ]
    for index in opening:
        found = find_relative_date(lines[index].norm, window, header=False)
        if found:
            return found
    return None


def extract_metadata(
    lines: list[Line],
    layout: Layout,
    date_lines: dict[int, FoundDate],
    window: DateWindow,
    html: HtmlPage | None,
) -> Metadata:
    """Collect the metadata of a segmented page."""
    meta = Metadata()
    published = _published(lines, layout, date_lines, window, html)
    if isinstance(published, FoundDate):
        meta.published_at, meta.precision = published.value, published.precision
    elif published is not None:
        meta.published_at, meta.precision = published
    meta.byline = _byline(lines, layout) or (html.author if html is not None else None)
    for line in lines:
        if line.kind is PhraseKind.ATTRIBUTION:
            value = label_value(line)
            if value:
                meta.attribution = value
                break
    meta.tags = _tags(lines, html) or (list(html.tags) if html is not None else [])
    return meta
