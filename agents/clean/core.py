"""Cleaning core: a crawled page in, the article's own title, body, language and date out.

``Cleaner.clean`` is pure apart from the per-source chrome memory it is given (``chrome_store``), so it
runs the same in a Faust worker (a table) and in ``newsstream process`` or a test (a dict). The record
keeps the display text as published minus boilerplate; the matching form for later stages comes from
``agents.text.normalize`` (see :func:`matching_text`).
"""

from __future__ import annotations

import logging
import re
from collections.abc import MutableMapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

from agents.clean.chrome import ChromeBounds, ChromeMemory, article_key, evict_stale_sources, fingerprint
from agents.clean.dates import DateWindow, find_date, find_relative_date, is_date_line
from agents.clean.html import parse_html
from agents.clean.language import SUPPORTED_LANGUAGES, LanguageDetector, ScriptProfile
from agents.clean.line_cache import LineCache
from agents.clean.lines import CHROME_MAX_WORDS, Line, profile_of, split_lines, unwrap_paragraphs
from agents.clean.metadata import extract_metadata
from agents.clean.phrases import PhraseKind
from agents.clean.segment import segment
from agents.errors import BadArticle, ConfigError
from agents.text.normalize import normalize

logger = logging.getLogger(__name__)

_DIGIT_RE = re.compile(r"\d")
_RELATIVE_HINT_RE = re.compile(r"^\W*(?:اليوم|امس|امروز|ديروز|منذ|قبل|today|yesterday)")


@dataclass(frozen=True, slots=True)
class PageInput:
    """A crawled page as the cleaner receives it (text or HTML, plus what the crawler knows)."""

    source: str
    text: str | None = None
    html: str | None = None
    title: str | None = None
    url: str | None = None
    fetched_at: datetime | None = None
    published_at: datetime | None = None
    language: str | None = None
    article_id: str | None = None


@dataclass(slots=True)
class CleanResult:
    """The article's own content and metadata; ``text`` paragraphs are joined by a blank line."""

    title: str
    text: str
    language: str
    published_at: datetime | None
    published_precision: Literal["datetime", "date"] | None
    byline: str | None
    attribution: str | None
    tags: list[str] = field(default_factory=list)
    removed_lines: int = 0


@dataclass(frozen=True, slots=True)
class CleanOptions:
    """Thresholds and bounds of the cleaner; invalid values raise ``ConfigError`` naming the option.

    - ``chrome_min_articles``: a short line seen in at least this many *other* articles of the same source
      is chrome (2..1000);
    - ``chrome_min_articles_prose``: the same for a line of prose, which needs more evidence (2..1000,
      at least ``chrome_min_articles``);
    - ``chrome_min_share``: ... and in at least this share of the source's articles since the line first
      appeared (0..1], so a popular headline repeated in "most read" boxes is not taken for chrome;
    - ``chrome_max_fingerprints``: line fingerprints remembered per source (100..1,000,000; at the default
      a source's value is about 15 KB of JSON, written back once per article);
    - ``chrome_seen_articles``: article keys remembered per source, to count each article once; an article
      with an id takes two, its id and the hash of its lines (1..100,000);
    - ``chrome_max_sources``: sources remembered before the least recently seen are evicted, counted over
      the store's keys (a worker's store shows the sweep one partition's keys) (1..10,000,000);
    - ``chrome_sweep_every``: articles between two source-eviction sweeps (1..10,000,000);
    - ``min_year``: earliest plausible publication year (1900..2100);
    - ``learn_chrome``: switch the per-source memory off (heuristics only).
    """

    chrome_min_articles: int = 3
    chrome_min_articles_prose: int = 6
    chrome_max_fingerprints: int = 500
    chrome_seen_articles: int = 64
    chrome_max_sources: int = 5000
    chrome_sweep_every: int = 1000
    min_year: int = 1990
    chrome_min_share: float = 0.5
    learn_chrome: bool = True

    def __post_init__(self) -> None:
        ranges = {
            "chrome_min_articles": (2, 1000),
            "chrome_min_articles_prose": (2, 1000),
            "chrome_max_fingerprints": (100, 1_000_000),
            "chrome_seen_articles": (1, 100_000),
            "chrome_max_sources": (1, 10_000_000),
            "chrome_sweep_every": (1, 10_000_000),
            "min_year": (1900, 2100),
        }
        for name, (low, high) in ranges.items():
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                raise ConfigError(f"CleanOptions.{name} must be an integer in [{low}, {high}], got {value!r}")
        share = self.chrome_min_share
        if isinstance(share, bool) or not isinstance(share, int | float) or not 0.0 < share <= 1.0:
            raise ConfigError(f"CleanOptions.chrome_min_share must be a number in (0, 1], got {share!r}")
        if self.chrome_min_articles_prose < self.chrome_min_articles:
            raise ConfigError(
                "CleanOptions.chrome_min_articles_prose must be >= chrome_min_articles "
                f"({self.chrome_min_articles}), got {self.chrome_min_articles_prose}"
            )

    @property
    def chrome_bounds(self) -> ChromeBounds:
        return ChromeBounds(
            min_articles=self.chrome_min_articles,
            min_articles_prose=self.chrome_min_articles_prose,
            max_fingerprints=self.chrome_max_fingerprints,
            seen_articles=self.chrome_seen_articles,
            max_sources=self.chrome_max_sources,
            min_share=float(self.chrome_min_share),
        )


def matching_text(result: CleanResult) -> str:
    """Matching form of a cleaned article (title and body) for dedup, tagging and clustering."""
    return normalize(result.title + "\n\n" + result.text)


def _without_site_name(title: str) -> str:
    """``Headline | Site`` → ``Headline``: page titles often carry the outlet after a separator."""
    for separator in (" | ", " - ", " – ", " — ", " :: ", " « ", " » "):
        if separator in title:
            parts = [part.strip() for part in title.split(separator) if part.strip()]
            if parts:
                return max(parts, key=len)
    return title


class Cleaner:
    """Turns pages into :class:`CleanResult`; one instance per worker (it holds the language detector)."""

    def __init__(
        self, chrome_store: MutableMapping[str, Any], options: CleanOptions = CleanOptions()
    ) -> None:
        self._store = chrome_store
        self._options = options
        self._memory = ChromeMemory(chrome_store, options.chrome_bounds)
        self._detector = LanguageDetector()
        self._line_cache = LineCache()
        self._since_sweep = 0

    def clean(self, page: PageInput) -> CleanResult:
        """Clean one page; raises ``BadArticle`` (``no_body`` / ``empty_after_cleaning``), nothing else."""
        html_page = None
        if page.html and page.html.strip():
            html_page = parse_html(page.html)
            lines = split_lines(html_page.lines, html_page.link_ratios, self._line_cache)
        elif page.text and page.text.strip():
            lines = split_lines(unwrap_paragraphs(page.text), cache=self._line_cache)
        else:
            raise BadArticle(
                "no_body", f"article from {page.source!r} has neither text nor html; resend it with one"
            )
        if not lines:
            raise BadArticle("no_body", f"article from {page.source!r} has no visible text")
        anchor = page.fetched_at.astimezone(UTC) if page.fetched_at else datetime.now(UTC)
        window = DateWindow(anchor=anchor, min_year=self._options.min_year)
        language = self._language(page, lines, html_page.language if html_page else None)
        if self._options.learn_chrome and page.source:
            self._learn(page, lines, anchor)
        date_lines = self._date_lines(lines, window)
        hint = page.title or (html_page.title if html_page else None) or ""
        layout = segment(lines, language, normalize(hint).strip() if hint else "", set(date_lines))
        body_lines = [lines[i] for i in layout.body]
        text = "\n\n".join(line.display for line in body_lines)
        if not text:
            raise BadArticle(
                "empty_after_cleaning",
                f"nothing of the article from {page.source!r} is left after removing boilerplate; "
                "check that the page holds the article text",
            )
        if layout.title_index is not None and (layout.title_from_hint or not hint.strip()):
            title = lines[layout.title_index].display
        else:
            title = _without_site_name(hint.strip())
        meta = extract_metadata(lines, layout, date_lines, window, html_page)
        published_at, precision = meta.published_at, meta.precision
        if page.published_at is not None and window.accepts(page.published_at.astimezone(UTC)):
            published_at = page.published_at.astimezone(UTC)
            precision = "datetime"
        removed = len(lines) - len(body_lines) - (1 if layout.title_index is not None else 0)
        return CleanResult(
            title=title,
            text=text,
            language=language,
            published_at=published_at,
            published_precision=precision if published_at is not None else None,
            byline=meta.byline,
            attribution=meta.attribution,
            tags=meta.tags,
            removed_lines=removed,
        )

    def _language(self, page: PageInput, lines: list[Line], html_language: str | None) -> str:
        """The hint when it names a supported language, else letters of the longest lines, else lingua."""
        hint = (page.language or "").lower().split("-")[0].strip()
        if hint in SUPPORTED_LANGUAGES:
            return hint
        # The longest lines are the body on any page; chrome is short. Three of them decide.
        candidates = [line for line in lines if line.n_words >= 6]
        longest = sorted(candidates, key=lambda line: -len(line.display))[:3]
        if not longest:
            longest = lines
        total = ScriptProfile()
        for line in longest:
            total.add(profile_of(line))
        sample_parts = [line.display for line in longest[:3]]
        detected = self._detector.detect(total, " ".join(sample_parts))
        if detected == "und" and html_language in SUPPORTED_LANGUAGES:
            return html_language
        return detected

    def _learn(self, page: PageInput, lines: list[Line], anchor: datetime) -> None:
        """Count this article's lines in the source's chrome memory and flag the learned ones."""
        fingerprints: dict[str, bool] = {}
        line_prints: list[tuple[str, Line]] = []
        for line in lines:
            if line.n_words <= CHROME_MAX_WORDS:
                fp = line.fingerprint if line.fingerprint is not None else fingerprint(line.norm)
                if line.is_prose:
                    fingerprints[fp] = True
                else:
                    fingerprints.setdefault(fp, False)
                line_prints.append((fp, line))
        content = article_key(None, (line.norm for line in lines))
        key = article_key(page.article_id, ()) if page.article_id else content
        chrome = self._memory.observe(page.source, key, fingerprints, anchor.timestamp(), content)
        if chrome:
            for fp, line in line_prints:
                if fp in chrome:
                    line.learned_chrome = True
        self._since_sweep += 1
        if self._since_sweep >= self._options.chrome_sweep_every:
            self._since_sweep = 0
            evict_stale_sources(self._store, self._options.chrome_max_sources)

    @staticmethod
    def _date_lines(lines: list[Line], window: DateWindow) -> dict[int, Any]:
        """Short lines that are little more than a date: metadata, not text."""
        found: dict[int, Any] = {}
        for line in lines:
            if (
                line.kind is PhraseKind.DATE_LABEL
                and find_date(line.norm, window) is None
                and find_relative_date(line.norm, window, header=True) is None
            ):
                line.kind = None  # a sentence that merely starts like a date label
            if line.n_words > 12 or line.kind is not None:
                continue
            if _DIGIT_RE.search(line.norm) is None:
                if line.n_words <= 5 and _RELATIVE_HINT_RE.search(line.norm):
                    relative = find_relative_date(line.norm, window, header=True)
                    if relative is not None:
                        found[line.index] = relative
                continue
            date = find_date(line.norm, window)
            if date is not None and is_date_line(line.norm, date):
                found[line.index] = date
                continue
            relative = find_relative_date(line.norm, window, header=True)
            if relative is not None and line.n_words <= 5:
                found[line.index] = relative
        return found


__all__ = ["CleanOptions", "CleanResult", "Cleaner", "PageInput", "matching_text"]
