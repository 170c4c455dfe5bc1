"""Checking one rule's conditions against a story, with the numbers that go into the reason.

Escalation ("materially changes") is decided here, as a level computed from the story alone, so the
same story always maps to the same level however often it is re-evaluated:

- a rule with ``burst``: level k when z reaches ``z * 2^(k-1)``;
- else with ``min_sources``: level k when the distinct sources inside the window reach
  ``min_sources * 2^(k-1)`` (3 → 6 → 12 for ``breaking``);
- else with ``min_articles``: the same doubling on the windowed article count;
- otherwise (entities, keywords, ...): level k when the story's distinct sources reach
  ``escalation_base * 2^(k-1)`` (with the default base 2: 4 sources, then 8, ...).

Syndicated copies from the same outlet and small updates therefore never escalate; a story spreading to
twice as many outlets (or a burst twice as sharp) does. Levels are capped by ``max_level``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import timedelta

from agents.alerts.burst import BurstReading, burst_level
from agents.alerts.durations import format_duration
from agents.alerts.rules import Rule
from agents.alerts.views import ArticleView, StoryView
from agents.text import normalize


@dataclass(frozen=True, slots=True)
class EntityRef:
    """A rule's entity reference: as written, the id it resolved to (if any), and its matching form."""

    text: str
    entity_id: str | None
    matching: str

    def matches(self, ids: set[str], names: set[str]) -> bool:
        return (self.entity_id is not None and self.entity_id in ids) or self.matching in names


@dataclass(frozen=True, slots=True)
class CompiledRule:
    """A rule with its entity references resolved (keywords are matched by the engine's index)."""

    rule: Rule
    all_entities: tuple[EntityRef, ...]
    any_entities: tuple[EntityRef, ...]
    burst_entity: EntityRef | None
    sources: frozenset[str]


@dataclass(slots=True)
class StoryContext:
    """Everything about the story that rules read, computed once per evaluation."""

    story: StoryView
    article: ArticleView | None
    entity_ids: set[str]
    entity_names: set[str]
    display_names: dict[str, str]
    source_times: dict[str, float]
    article_times: list[float]
    keyword_hits: dict[str, list[str]]
    all_sources: list[str] = field(default_factory=list)
    timed_sources: list[tuple[float, str]] = field(default_factory=list)
    burst: dict[str, BurstReading] = field(default_factory=dict)
    article_entities: tuple[set[str], set[str]] | None = None
    shard: str = ""


@dataclass(frozen=True, slots=True)
class Outcome:
    """A rule that holds: the level it reaches, the clauses of its reason, the entity names it matched."""

    level: int
    clauses: tuple[str, ...]
    matched_entities: tuple[str, ...]


def check(compiled: CompiledRule, ctx: StoryContext, max_level: int, escalation_base: int) -> Outcome | None:
    """Return the outcome when every condition of the rule holds for the story, else None."""
    rule = compiled.rule
    clauses: list[str] = []
    matched: list[str] = []
    level: int | None = None

    if compiled.all_entities:
        if not all(ref.matches(ctx.entity_ids, ctx.entity_names) for ref in compiled.all_entities):
            return None
        matched.extend(_display(ref, ctx) for ref in compiled.all_entities)
        labels = [_label(ref, ctx) for ref in compiled.all_entities]
        clauses.append(f"the story names {_join(labels)}" + (" (all required)" if len(labels) > 1 else ""))
    if compiled.any_entities:
        hits = [ref for ref in compiled.any_entities if ref.matches(ctx.entity_ids, ctx.entity_names)]
        if not hits:
            return None
        matched.extend(n for n in (_display(ref, ctx) for ref in hits) if n not in matched)
        labels = [_label(ref, ctx) for ref in hits]
        clauses.append(f"the story names {_join(labels)} (any of {len(compiled.any_entities)} watched)")
    if rule.keywords:
        words = ctx.keyword_hits.get(rule.name)
        if not words:
            return None
        quoted = ", ".join(f"'{word}'" for word in words)
        clauses.append(f"keyword{'s' if len(words) > 1 else ''} {quoted} matched")
    if rule.languages:
        seen = ctx.story.languages or ((ctx.article.language,) if ctx.article is not None else ())
        langs = [lang for lang in dict.fromkeys(seen) if lang.lower() in rule.languages]
        if not langs:
            return None
        clauses.append(f"language {', '.join(langs)}")
    story_sources = _story_sources(compiled, ctx)
    if compiled.sources:
        if not story_sources:
            return None
        plural = "s" if len(story_sources) > 1 else ""
        clauses.append(f"from watched source{plural} {', '.join(story_sources)}")

    if rule.min_sources is not None:
        members = _source_group(compiled, ctx, story_sources)
        if len(members) < rule.min_sources:
            return None
        level = _doubling_level(len(members), rule.min_sources, max_level)
        clauses.append(
            f"{len(members)} distinct sources ({', '.join(members)}) within {_window(rule.window)}"
            f"{_spread(members, ctx)} (threshold {rule.min_sources})"
        )
    if rule.min_articles is not None:
        count = _article_count(rule.window, ctx)
        if count < rule.min_articles:
            return None
        if level is None:
            level = _doubling_level(count, rule.min_articles, max_level)
        clauses.append(f"{count} articles within {_window(rule.window)} (threshold {rule.min_articles})")
    if rule.burst is not None:
        reading = ctx.burst.get(rule.name)
        if reading is None or not reading.holds(rule.burst):
            return None
        level = burst_level(reading, rule.burst, max_level)
        ref = compiled.burst_entity
        if ref is not None and _display(ref, ctx) not in matched:
            matched.append(_display(ref, ctx))
        noun = f"mentions of {_label(ref, ctx)}" if ref is not None else "articles in this story"
        clauses.append(
            f"{noun}: {reading.count} in the last {format_duration(rule.burst.window)} against "
            f"{reading.mean:.1f} ± {reading.sd:.1f} per {format_duration(rule.burst.window)} over the "
            f"previous {reading.windows} windows (z = {reading.z:.1f}, threshold {rule.burst.z:g})"
        )
    if level is None:
        distinct = len(story_sources) if compiled.sources else len(_all_sources(ctx))
        level = max(1, _doubling_level(max(distinct, 1), escalation_base, max_level))
    if not rule.escalate:
        level = 1
    return Outcome(level=level, clauses=tuple(clauses), matched_entities=tuple(matched))


def _doubling_level(count: int, threshold: int, max_level: int) -> int:
    if count < threshold:
        return 0
    return min(max_level, 1 + math.floor(math.log2(count / threshold) + 1e-9))


def _window(window: timedelta | None) -> str:
    return format_duration(window) if window is not None else "the story so far"


def _display(ref: EntityRef, ctx: StoryContext) -> str:
    if ref.entity_id is not None and ref.entity_id in ctx.display_names:
        return ctx.display_names[ref.entity_id]
    return ref.text


def _label(ref: EntityRef, ctx: StoryContext) -> str:
    """The entity as the rule wrote it, with the story's display name when that reads differently."""
    shown = _display(ref, ctx)
    return ref.text if normalize(shown).strip() == ref.matching else f"{ref.text} ({shown})"


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _all_sources(ctx: StoryContext) -> list[str]:
    if not ctx.all_sources:
        seen = dict.fromkeys(ctx.story.sources)
        seen.update(dict.fromkeys(ctx.source_times))
        ctx.all_sources = list(seen)
    return ctx.all_sources


def _story_sources(compiled: CompiledRule, ctx: StoryContext) -> list[str]:
    if not compiled.sources:
        return _all_sources(ctx)
    return [source for source in _all_sources(ctx) if source.casefold() in compiled.sources]


def _source_group(compiled: CompiledRule, ctx: StoryContext, sources: list[str]) -> list[str]:
    """The largest set of sources whose first event times fit inside the rule's window, by time."""
    window = compiled.rule.window
    if window is None:
        return sources
    if not ctx.timed_sources:
        ctx.timed_sources = sorted((when, source) for source, when in ctx.source_times.items())
    if compiled.sources:
        wanted = set(sources)
        timed = [(when, source) for when, source in ctx.timed_sources if source in wanted]
    else:
        timed = ctx.timed_sources
    best = _densest([t for t, _ in timed], window.total_seconds())
    return [s for _, s in timed[best[0] : best[1]]]


def _spread(members: list[str], ctx: StoryContext) -> str:
    """ ", first articles 4h10m apart": how tightly the sources picked the story up."""
    times = [ctx.source_times[source] for source in members if source in ctx.source_times]
    if len(times) < 2:
        return ""
    return f", first articles {format_duration(timedelta(seconds=max(times) - min(times)))} apart"


def _article_count(window: timedelta | None, ctx: StoryContext) -> int:
    if window is None:
        return max(len(ctx.story.article_ids), len(ctx.article_times))
    start, end = _densest(sorted(ctx.article_times), window.total_seconds())
    return end - start


def _densest(times: list[float], width: float) -> tuple[int, int]:
    """Slice bounds of the most items of sorted ``times`` that fit in a span of ``width`` (earliest wins)."""
    best = (0, 0)
    start = 0
    for end, moment in enumerate(times):
        while moment - times[start] > width:
            start += 1
        if end + 1 - start > best[1] - best[0]:
            best = (start, end + 1)
    return best


def compile_entity_ref(text: str, resolved: str | None) -> EntityRef:
    if resolved is None and text[:1] == "Q" and text[1:].isdigit():
        resolved = text
    return EntityRef(text=text, entity_id=resolved, matching=normalize(text).strip())
