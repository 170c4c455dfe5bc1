"""The story record: a bounded, JSON-serialisable profile of one story, and how it changes.

Fields (short names keep a record small in a changelogged table):
``id``, ``st`` (``live``/``dormant``), ``t0``/``t1`` (first/last event time, epoch seconds), ``n``
(articles), ``arts`` (article ids, at most ``max_story_articles``), ``src``/``lang`` (counts),
``main`` (most frequent language), ``ent`` (id -> [name, type, mentions, articles, type weight]),
``term``/``num``/``tt`` (term, number, title term -> articles having it), ``en``/``tn``/``nn``/``ttn``
(profile norms for scoring),
``titles`` ([article id, title, is duplicate, title terms]), ``head`` (headline), ``recent`` (sorted event
times inside the growth window), ``keys`` (index keys the story is listed under), ``absorbed`` (ids
merged into it), ``due`` (schedule bucket of its next lifecycle check).
"""

from __future__ import annotations

from bisect import bisect_left, insort
from datetime import UTC, datetime
from typing import Any

from agents.stories.features import ArticleFeatures, entity_type_weight, title_terms
from agents.stories.model import EntityCount, StoryEvent, StoryEventKind, StoryInput
from agents.stories.options import StoryOptions

_MAX_RECENT = 1000
"""Event times kept for ``growth_rate`` (sorted, within the growth window, newest kept)."""


def new_record(story_id: str, time: float) -> dict[str, Any]:
    return {
        "id": story_id, "st": "live", "t0": time, "t1": time, "n": 0, "arts": [], "src": {},
        "lang": {}, "main": "", "ent": {}, "term": {}, "num": {}, "tt": {}, "en": 0.0, "tn": 0.0,
        "nn": 0.0, "ttn": 0.0, "titles": [], "head": "", "recent": [], "keys": {}, "absorbed": [],
        "due": None,
    }  # fmt: skip


def _prune(counts: dict[str, Any], limit: int, sort_key: Any) -> dict[str, Any]:
    if len(counts) <= 2 * limit:
        return counts
    return dict(sorted(counts.items(), key=sort_key)[:limit])


def _refresh(record: dict[str, Any], options: StoryOptions) -> None:
    """Prune the profiles to their bounds, recompute norms, main language and headline."""
    record["ent"] = _prune(record["ent"], options.max_story_entities, lambda kv: (-kv[1][3], -kv[1][2]))
    record["term"] = _prune(record["term"], options.max_story_terms, lambda kv: -kv[1])
    record["num"] = _prune(record["num"], options.max_story_numbers, lambda kv: -kv[1])
    record["tt"] = _prune(record.get("tt", {}), options.max_story_terms, lambda kv: -kv[1])
    record["ttn"] = float(sum(record["tt"].values()))
    record["en"] = sum(value[3] * value[4] for value in record["ent"].values())
    record["tn"] = float(sum(record["term"].values()))
    record["nn"] = float(sum(record["num"].values()))
    languages = record["lang"]
    record["main"] = max(languages, key=languages.__getitem__) if languages else ""
    record["head"] = _headline(record)


def _headline(record: dict[str, Any]) -> str:
    """The title whose terms are most typical of the story (originals before duplicates).

    A title scores the mean share of the story's articles that have each of its terms, damped by
    ``sqrt(len)`` so neither one-word nor run-on titles win by length; ties go to the earliest title.
    """
    titles = record["titles"]
    originals = [entry for entry in titles if not entry[2]] or titles
    term_counts = record["term"]
    articles = max(1, record["n"])
    best, best_score = "", -1.0
    for _, title, _, terms in originals:
        if not terms:
            value = 0.0
        else:
            value = sum(term_counts.get(term, 0) for term in terms) / articles / len(terms) ** 0.5
        if value > best_score:
            best, best_score = title, value
    return best


def add_article(
    record: dict[str, Any],
    item: StoryInput,
    features: ArticleFeatures,
    time: float,
    is_duplicate: bool,
    options: StoryOptions,
) -> tuple[bool, list[str]]:
    """Add an article to a record; return (whether its source is new, article ids dropped by the cap)."""
    record["n"] += 1
    record["arts"].append(item.article_id)
    dropped: list[str] = []
    if len(record["arts"]) > options.max_story_articles:
        dropped = record["arts"][: len(record["arts"]) - options.max_story_articles]
        del record["arts"][: len(dropped)]
    source = item.source or "unknown"
    new_source = source not in record["src"]
    record["src"][source] = record["src"].get(source, 0) + 1
    language = item.language or "und"
    record["lang"][language] = record["lang"].get(language, 0) + 1
    mentions: dict[str, list[Any]] = {}
    for ref in item.entities:
        seen = mentions.get(ref.id)
        if seen is None:
            mentions[ref.id] = [ref.name, ref.type, max(1, ref.count)]
        else:
            seen[2] += max(1, ref.count)
    entities = record["ent"]
    for entity_id, (name, entity_type, count) in mentions.items():
        value = entities.get(entity_id)
        if value is None:
            kinds = features.entity_types
            kind = kinds[entity_id] if kinds and entity_id in kinds else entity_type_weight(entity_type)
            entities[entity_id] = [name, entity_type, count, 1, kind]
        else:
            value[2] += count
            value[3] += 1
    for family, keys in (("term", features.terms), ("num", features.numbers), ("tt", features.title or ())):
        counts = record[family]
        for key in keys:
            counts[key] = counts.get(key, 0) + 1
    record["t0"] = min(record["t0"], time)
    record["t1"] = max(record["t1"], time)
    cutoff = record["t1"] - options.growth_window_hours * 3600.0
    # ``recent`` is kept sorted, so the window is a suffix found by bisection: a story taking hundreds of
    # articles an hour would otherwise rescan and re-sort up to ``_MAX_RECENT`` times for each one.
    recent = record["recent"][bisect_left(record["recent"], cutoff) :]
    if time >= cutoff:
        insort(recent, time)
    del recent[:-_MAX_RECENT]
    record["recent"] = recent
    _add_title(record, item, features.title, is_duplicate, options)
    _refresh(record, options)
    return new_source, dropped


def _add_title(
    record: dict[str, Any],
    item: StoryInput,
    terms: list[str] | None,
    is_duplicate: bool,
    options: StoryOptions,
) -> None:
    title = item.title.strip()
    if not title:
        title = item.text.strip()[:120]
        terms = None
    if not title:
        return
    entry = [item.article_id, title, is_duplicate, terms if terms is not None else title_terms(title)]
    titles = record["titles"]
    if len(titles) < options.max_story_titles:
        titles.append(entry)
    elif not is_duplicate:
        for index, existing in enumerate(titles):
            if existing[2]:
                titles[index] = entry
                break


def merge_into(survivor: dict[str, Any], absorbed: dict[str, Any], options: StoryOptions) -> list[str]:
    """Fold ``absorbed`` into ``survivor``; return article ids dropped by the per-story cap."""
    survivor["n"] += absorbed["n"]
    survivor["arts"].extend(absorbed["arts"])
    dropped: list[str] = []
    if len(survivor["arts"]) > options.max_story_articles:
        dropped = survivor["arts"][: len(survivor["arts"]) - options.max_story_articles]
        del survivor["arts"][: len(dropped)]
    for family in ("src", "lang", "term", "num", "tt"):
        counts = survivor.setdefault(family, {})
        for key, value in absorbed.get(family, {}).items():
            counts[key] = counts.get(key, 0) + value
    for entity_id, value in absorbed["ent"].items():
        mine = survivor["ent"].get(entity_id)
        if mine is None:
            survivor["ent"][entity_id] = list(value)
        else:
            mine[2] += value[2]
            mine[3] += value[3]
    survivor["t0"] = min(survivor["t0"], absorbed["t0"])
    survivor["t1"] = max(survivor["t1"], absorbed["t1"])
    window = options.growth_window_hours * 3600.0
    survivor["recent"] = sorted(
        moment for moment in survivor["recent"] + absorbed["recent"] if moment >= survivor["t1"] - window
    )[-_MAX_RECENT:]
    titles = survivor["titles"] + absorbed["titles"]
    titles.sort(key=lambda entry: entry[2])
    survivor["titles"] = titles[: options.max_story_titles]
    survivor["absorbed"].extend([absorbed["id"], *absorbed["absorbed"]])
    if absorbed["st"] == "live":
        survivor["st"] = "live"
    _refresh(survivor, options)
    return dropped


def _moment(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, tz=UTC)


def growth_rate(record: dict[str, Any], options: StoryOptions) -> float:
    """Articles per hour in the growth window of event time ending at ``last_seen``."""
    start = record["t1"] - options.growth_window_hours * 3600.0
    recent = len(record["recent"]) - bisect_left(record["recent"], start)  # ``recent`` is sorted
    return round(recent / options.growth_window_hours, 4)


def to_event(
    record: dict[str, Any],
    kind: StoryEventKind,
    options: StoryOptions,
    article_id: str | None = None,
    merged_ids: list[str] | None = None,
    new_source: bool = False,
) -> StoryEvent:
    """The summary of a record as a lifecycle event."""
    top = sorted(record["ent"].items(), key=lambda kv: (-kv[1][2], -kv[1][3], kv[0]))[: options.top_entities]
    return StoryEvent(
        kind=kind,
        story_id=record["id"],
        headline=record["head"],
        article_ids=list(record["arts"]),
        sources=sorted(record["src"]),
        entities=[EntityCount(key, value[0], value[1], value[2]) for key, value in top],
        languages=sorted(record["lang"]),
        first_seen=_moment(record["t0"]),
        last_seen=_moment(record["t1"]),
        growth_rate=growth_rate(record, options),
        article_id=article_id,
        merged_ids=list(merged_ids or []),
        new_source=new_source,
    )
