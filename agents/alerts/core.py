"""The alert engine: evaluates rules on story events and fires once per story per rule and level.

Contract:
- ``evaluate(story, article)`` is called for every story event (``article`` is the article that caused it,
  ``None`` for merged/dormant/expired events without one) and returns the alerts to publish. Only
  created, grew and merged events can fire; a dormant event changes nothing (a story going quiet is
  not news, and its state may already have aged out) and an expired one drops the story's state.
- A rule fires when the story first satisfies it; later articles of the same story only fire again when
  the story reaches a higher escalation level (see ``conditions``). The fired level is kept in the store
  per (rule, story); a merge carries it to the surviving story, so a merge never re-fires.
- Alert ids hash (rule, the story id at first fire, level): stable across redelivery, restarts and
  rebalances. Each event (kind, story, article or merge) is recorded in the story's state; a
  redelivered event changes nothing and fires nothing new, it only returns what it fired the first time
  (same id, reason, headline and created_at; lists from the story view given), so an alert lost
  between the state write and the publish is re-sent; consumers de-duplicate by id. Counts (burst
  mentions, article times) are keyed by article id and never doubled. A merged-away story leaves a
  tombstone pointing at its survivor, so its redelivered events find their record there.
- Entity bursts fire once per burst episode of that entity (an episode ends after a quiet window),
  attached to the story whose article triggered it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, MutableMapping
from datetime import UTC, datetime
from typing import Any

from agents.alerts import burst as bursts
from agents.alerts.conditions import (
    CompiledRule,
    EntityRef,
    Outcome,
    StoryContext,
    check,
    compile_entity_ref,
)
from agents.alerts.keywords import KeywordIndex, KeywordMatcher
from agents.alerts.records import alert_id, build, remember, replay
from agents.alerts.rules import ReloadingRules, Rule, RuleSet
from agents.alerts.state import (
    MERGED_INTO,
    StoryIndex,
    cap_recent,
    find_survivor,
    load_story,
    merge_story_state,
    story_key,
    tombstone,
)
from agents.alerts.views import STORY_KINDS, Alert, AlertOptions, ArticleView, StoryView, epoch
from agents.errors import BadArticle
from agents.text import normalize

log = logging.getLogger(__name__)

__all__ = ["Alert", "AlertEngine", "AlertOptions", "ArticleView", "StoryView", "alert_id"]

BURST_PREFIX = "burst:"
RECENT_EVENTS = 128


class AlertEngine:
    """Pure alerting core over a ``MutableMapping`` store (a dict in tests, a Faust table in workers).

    ``rules`` may be a ``ReloadingRules``: the engine then picks up file edits by itself.
    ``resolve_entity`` maps a rule's entity name or alias to an entity id (the gazetteer). ``clock`` is
    only used to ignore absurd future event times in TTL sweeps. ``shard`` maps a story to the stream
    partition key it is processed under (e.g. its language); keys shared by many stories (TTL index,
    entity burst counts) are then kept per shard, so each is written from one partition only. Entity
    bursts are then measured per shard as well.
    """

    def __init__(
        self,
        rules: RuleSet | ReloadingRules,
        store: MutableMapping[str, Any],
        resolve_entity: Callable[[str], str | None] = lambda name: None,
        options: AlertOptions | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        shard: Callable[[StoryView], str] | None = None,
    ) -> None:
        self.store = store
        self.options = options or AlertOptions()
        self._resolve = resolve_entity
        self._clock = clock
        self._source = rules
        self._ruleset: RuleSet | None = None
        self._compiled: tuple[CompiledRule, ...] = ()
        self._keywords = KeywordIndex({})
        self._warned: set[str] = set()
        self._shard = shard
        self._refresh_rules()

    @property
    def rules(self) -> RuleSet:
        return self._current_rules()

    def set_rules(self, rules: RuleSet | ReloadingRules) -> None:
        """Replace the rules (fired state is keyed by rule name, so an edited rule does not re-fire)."""
        self._source = rules
        self._refresh_rules()

    def evaluate(self, story: StoryView, article: ArticleView | None) -> list[Alert]:
        """Alerts to publish for this story event; see the module docstring for the guarantees."""
        self._refresh_rules()
        if story.kind not in STORY_KINDS:
            raise BadArticle(
                "schema", f"story event kind {story.kind!r} is not one of {', '.join(STORY_KINDS)}"
            )
        shard = self._shard(story) if self._shard is not None else ""
        index = StoryIndex(
            self.store,
            self.options.story_ttl.total_seconds(),
            self.options.index_bucket.total_seconds(),
            shard,
        )
        if story.kind == "expired":
            for story_id in (story.story_id, *story.merged_ids):
                index.forget(story_id)
            return []
        if story.kind == "dormant":
            return []
        now = epoch(article.event_time if article is not None else story.last_seen)
        first_seen = index.note_time(now)
        trigger = _event_key(story, article)
        if MERGED_INTO in load_story(self.store, story.story_id):
            return self._replay_merged_away(story, article, shard, trigger)
        state, fresh = self._story_state(story, article, index, now)
        new_event = trigger not in state["evs"]
        if new_event:
            state["evs"][trigger] = now
            cap_recent(state, "evs", RECENT_EVENTS)
        ctx = self._context(story, article, state, shard)
        self._match_keywords(ctx, article, state)
        alerts: list[Alert] = []
        for compiled in self._compiled:
            spec = compiled.rule.burst
            if spec is not None and not self._read_burst(compiled, ctx, state, now, first_seen, fresh):
                continue
            # a redelivered event only re-sends what it fired the first time: state has moved on since,
            # and measuring the old event against it could cross a level the stream never crossed
            outcome = (
                check(compiled, ctx, self.options.max_level, self.options.escalation_base)
                if new_event
                else None
            )
            if spec is not None and compiled.burst_entity is not None:
                alerts.extend(self._fire_episode(compiled, ctx, outcome, now, trigger))
            else:
                alerts.extend(self._fire_story(compiled, ctx, state, outcome, now, trigger))

        index.register(story.story_id, state)
        self.store[story_key(story.story_id)] = state
        wall = epoch(self._clock())
        index.sweep(now if now <= wall + self.options.max_future.total_seconds() else wall)
        return alerts

    def _story_state(
        self, story: StoryView, article: ArticleView | None, index: StoryIndex, now: float
    ) -> tuple[dict[str, Any], bool]:
        """The story's state with merged-away stories folded in and this article recorded.

        The flag says whether the article is new to the story (False on a redelivery), which is what
        keeps counts from doubling.
        """
        state = load_story(self.store, story.story_id)
        for absorbed_id in story.merged_ids:
            absorbed = self.store.get(story_key(absorbed_id))
            if absorbed_id != story.story_id and isinstance(absorbed, dict) and MERGED_INTO not in absorbed:
                merge_story_state(state, load_story(self.store, absorbed_id))
                self.store[story_key(absorbed_id)] = tombstone(absorbed, story.story_id)
        fresh = article is not None and article.article_id not in state["arts"]
        if article is not None and fresh:
            state["arts"][article.article_id] = now
            known = state["srcs"].get(article.source)
            state["srcs"][article.source] = now if known is None else min(known, now)
            cap_recent(state, "arts", self.options.max_tracked_articles)
        state["t"] = now if state["t"] is None else max(state["t"], now)
        return state, fresh

    def _replay_merged_away(
        self, story: StoryView, article: ArticleView | None, shard: str, trigger: str
    ) -> list[Alert]:
        """An event of a story that has since been merged away can only be a redelivery: re-send what it
        fired (its record travelled to the survivor with the merge) and change nothing."""
        survivor = find_survivor(self.store, story.story_id)
        if survivor is None or trigger not in survivor["evs"]:
            return []
        ctx = self._context(story, article, survivor, shard)
        alerts: list[Alert] = []
        for compiled in self._compiled:
            if compiled.burst_entity is not None:
                record = self.store.get(_burst_key(compiled, shard)) or {}
                alerts += replay(compiled, ctx, self.options, record.get("episode"), trigger) or replay(
                    compiled, ctx, self.options, record.get("previous"), trigger
                )
            else:
                alerts += replay(
                    compiled, ctx, self.options, survivor["fired"].get(compiled.rule.name), trigger
                )
        return alerts

    def _current_rules(self) -> RuleSet:
        source = self._source
        return source.current() if isinstance(source, ReloadingRules) else source

    def _refresh_rules(self) -> None:
        ruleset = self._current_rules()
        if ruleset is self._ruleset:
            return
        self._ruleset = ruleset
        self._compiled = tuple(self._compile(rule) for rule in ruleset if rule.enabled)
        self._keywords = KeywordIndex(
            {c.rule.name: c.rule.keywords for c in self._compiled if c.rule.keywords}
        )

    def _compile(self, rule: Rule) -> CompiledRule:
        burst_entity = None
        if rule.burst is not None and rule.burst.entity is not None:
            burst_entity = self._entity_ref(rule, rule.burst.entity)
        return CompiledRule(
            rule=rule,
            all_entities=tuple(self._entity_ref(rule, text) for text in rule.entities),
            any_entities=tuple(self._entity_ref(rule, text) for text in rule.any_entities),
            burst_entity=burst_entity,
            sources=frozenset(source.casefold() for source in rule.sources),
        )

    def _entity_ref(self, rule: Rule, text: str) -> EntityRef:
        resolved = self._resolve(text)
        ref = compile_entity_ref(text, resolved)
        if ref.entity_id is None and text not in self._warned:
            self._warned.add(text)
            log.warning(
                "rule '%s': entity %r is not in the gazetteer; matching it by name only", rule.name, text
            )
        return ref

    def _context(
        self, story: StoryView, article: ArticleView | None, state: dict[str, Any], shard: str
    ) -> StoryContext:
        source_times = dict(state["srcs"])
        for source, moment in story.source_times:
            when = epoch(moment)
            known = source_times.get(source)
            source_times[source] = when if known is None else min(known, when)
        return StoryContext(
            story=story,
            article=article,
            entity_ids={entity_id for entity_id, _, _ in story.entities},
            entity_names={normalize(name).strip() for _, name, _ in story.entities},
            display_names={entity_id: name for entity_id, name, _ in story.entities},
            source_times=source_times,
            article_times=list(state["arts"].values()),
            keyword_hits=state["kw"],
            shard=shard,
        )

    def _match_keywords(self, ctx: StoryContext, article: ArticleView | None, state: dict[str, Any]) -> None:
        """Record, per keyword rule not yet satisfied by this story, the keywords this event matches."""
        pending = {
            c.rule.name for c in self._compiled if c.rule.keywords and not state["kw"].get(c.rule.name)
        }
        if not pending:
            return
        texts = [ctx.story.headline]
        if article is not None:
            texts += [article.title, article.text]
        for rule_name, found in self._keywords.find(KeywordMatcher.tokenize(texts), pending).items():
            state["kw"][rule_name] = found

    def _read_burst(
        self,
        compiled: CompiledRule,
        ctx: StoryContext,
        state: dict[str, Any],
        now: float,
        first_seen: float,
        fresh: bool,
    ) -> bool:
        """Count the article's mention (once per article id) and put the reading in ``ctx.burst``.

        False when the burst cannot hold for this event: an entity burst the article does not mention,
        or before the warm-up has passed.
        """
        spec = compiled.rule.burst
        assert spec is not None
        article = ctx.article
        counts_mention = fresh and article is not None and article.duplicate_of is None
        if compiled.burst_entity is None:
            slots = state["burst"].setdefault(compiled.rule.name, {})
            if counts_mention:
                bursts.add_mention(slots, spec, now, state["t"])
        else:
            if article is None or not self._mentions(compiled.burst_entity, article, ctx):
                return False
            key = _burst_key(compiled, ctx.shard)
            record = self.store.get(key) or {"slots": {}, "episode": None, "t": now}
            if counts_mention:
                record["t"] = max(record.get("t", now), now)
                bursts.add_mention(record["slots"], spec, now, record["t"])
                self.store[key] = record
            slots = record["slots"]
        if now - first_seen < spec.effective_warmup.total_seconds():
            return False
        ctx.burst[compiled.rule.name] = bursts.read(slots, spec, now, first_seen)
        return True

    @staticmethod
    def _mentions(ref: EntityRef, article: ArticleView, ctx: StoryContext) -> bool:
        if ctx.article_entities is None:
            ids = set(article.entity_ids)
            names = {normalize(ctx.display_names[i]).strip() for i in ids if i in ctx.display_names}
            ctx.article_entities = (ids, names)
        return ref.matches(*ctx.article_entities)

    def _fire_story(
        self,
        compiled: CompiledRule,
        ctx: StoryContext,
        state: dict[str, Any],
        outcome: Outcome | None,
        now: float,
        trigger: str,
    ) -> list[Alert]:
        name = compiled.rule.name
        record = state["fired"].get(name)
        resent = replay(compiled, ctx, self.options, record, trigger)
        if resent or outcome is None:
            return resent
        fired_level = int(record["level"]) if record else 0
        if outcome.level <= fired_level:
            return []
        anchor = record["anchor"] if record else ctx.story.story_id
        alert = build(compiled, ctx, self.options, outcome, anchor, fired_level, now)
        record = record or {"anchor": anchor, "at": now, "alerts": {}}
        record["level"] = outcome.level
        record["alerts"][str(outcome.level)] = remember(alert, trigger, outcome)
        state["fired"][name] = record
        return [alert]

    def _fire_episode(
        self, compiled: CompiledRule, ctx: StoryContext, outcome: Outcome | None, now: float, trigger: str
    ) -> list[Alert]:
        """Entity bursts: once per episode and level.

        An episode starts when the burst holds more than a window after the last moment it held (event
        time); anything earlier, including a redelivered old article, belongs to the current episode, so
        replays never open a new one. The previous episode is kept so its alerts can still be re-sent.
        """
        spec = compiled.rule.burst
        assert spec is not None and compiled.burst_entity is not None
        key = _burst_key(compiled, ctx.shard)
        record = self.store.get(key) or {"slots": {}, "episode": None, "previous": None, "t": now}
        episode = record.get("episode")
        resent = replay(compiled, ctx, self.options, episode, trigger) or replay(
            compiled, ctx, self.options, record.get("previous"), trigger
        )
        if resent or outcome is None:
            return resent
        if episode is None or now > episode["hot"] + spec.window.total_seconds():
            record["previous"] = episode
            episode = {
                "anchor": f"{_subject(compiled.burst_entity)}@{ctx.burst[compiled.rule.name].slot}",
                "at": now,
                "hot": now,
                "level": 0,
                "alerts": {},
            }
        episode["hot"] = max(episode["hot"], now)
        alerts: list[Alert] = []
        if outcome.level > episode["level"]:
            alert = build(compiled, ctx, self.options, outcome, episode["anchor"], episode["level"], now)
            episode["alerts"][str(outcome.level)] = remember(alert, trigger, outcome)
            episode["level"] = outcome.level
            alerts.append(alert)
        record["episode"] = episode
        self.store[key] = record
        return alerts


def _event_key(story: StoryView, article: ArticleView | None) -> str:
    """Identity of a story event across redeliveries: kind, story, and the article (or merge) behind it."""
    if article is not None:
        return f"{story.kind}:{story.story_id}:{article.article_id}"
    return f"{story.kind}:{story.story_id}:{'+'.join(story.merged_ids)}@{story.last_seen.isoformat()}"


def _subject(ref: EntityRef) -> str:
    return ref.entity_id or ref.matching


def _burst_key(compiled: CompiledRule, shard: str) -> str:
    assert compiled.burst_entity is not None
    prefix = f"{BURST_PREFIX}{shard}:" if shard else BURST_PREFIX
    return f"{prefix}{compiled.rule.name}:{_subject(compiled.burst_entity)}"
