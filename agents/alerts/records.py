"""Alert records: building them from an outcome, what the store remembers of them, and re-sending.

The id is the idempotency key users de-duplicate by, so it depends only on what identifies the
condition: the rule, the anchor (the story id when the rule first fired for it, or an entity's burst
episode) and the escalation level.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from agents.alerts.conditions import CompiledRule, Outcome, StoryContext
from agents.alerts.views import Alert, AlertOptions


def alert_id(rule: str, anchor: str, level: int) -> str:
    """Idempotency key of an alert: the same rule, anchor story (or burst episode) and level, same id."""
    digest = hashlib.sha256(f"{rule}\x1f{anchor}\x1f{level}".encode()).hexdigest()
    return digest[:32]


def build(
    compiled: CompiledRule,
    ctx: StoryContext,
    options: AlertOptions,
    outcome: Outcome,
    anchor: str,
    previous: int,
    now: float,
) -> Alert:
    """A new alert for ``outcome``; ``previous`` is the level fired before (0 for a first alert)."""
    reason = f"Rule '{compiled.rule.name}': " + "; ".join(outcome.clauses) + "."
    if previous:
        reason = f"Escalated to level {outcome.level} (was {previous}). " + reason
    return assemble(
        compiled,
        ctx,
        options,
        alert_id=alert_id(compiled.rule.name, anchor, outcome.level),
        level=outcome.level,
        reason=reason,
        headline=ctx.story.headline or (ctx.article.title if ctx.article else ""),
        created_at=datetime.fromtimestamp(now, UTC),
        matched=list(outcome.matched_entities),
        story_id=ctx.story.story_id,
    )


def remember(alert: Alert, trigger: str, outcome: Outcome) -> dict[str, Any]:
    """What the store keeps of a fired alert: enough to re-send it with the same id and wording."""
    return {
        "trigger": trigger,
        "id": alert.id,
        "reason": alert.reason,
        "headline": alert.headline,
        "at": alert.created_at.timestamp(),
        "story": alert.story_id,
        "matched": list(outcome.matched_entities),
    }


def replay(
    compiled: CompiledRule,
    ctx: StoryContext,
    options: AlertOptions,
    record: dict[str, Any] | None,
    trigger: str,
) -> list[Alert]:
    """The alerts this same trigger (article or event) fired before, rebuilt with the same id.

    Only the identifying parts are stored (id, reason, headline, time, story); the lists (articles,
    sources, entities) come from the current story view, which on a redelivery is the same one.
    """
    if not record:
        return []
    alerts = []
    for level, entry in sorted(record.get("alerts", {}).items(), key=lambda item: int(item[0])):
        if entry.get("trigger") != trigger:
            continue
        alerts.append(
            assemble(
                compiled,
                ctx,
                options,
                alert_id=entry["id"],
                level=int(level),
                reason=entry["reason"],
                headline=entry["headline"],
                created_at=datetime.fromtimestamp(entry["at"], UTC),
                matched=entry.get("matched", []),
                story_id=entry.get("story", ctx.story.story_id),
            )
        )
    return alerts


def assemble(
    compiled: CompiledRule,
    ctx: StoryContext,
    options: AlertOptions,
    *,
    alert_id: str,
    level: int,
    reason: str,
    headline: str,
    created_at: datetime,
    matched: list[str],
    story_id: str,
) -> Alert:
    """The alert record: matched entities first, then the story's by mention count; lists capped."""
    story = ctx.story
    names = list(matched)
    for _, entity_name, _ in sorted(story.entities, key=lambda e: (-e[2], e[1])):
        if entity_name not in names:
            names.append(entity_name)
    return Alert(
        id=alert_id,
        rule=compiled.rule.name,
        severity=compiled.rule.severity,
        story_id=story_id,
        article_ids=list(story.article_ids[-options.max_alert_articles :]),
        headline=headline,
        entities=names[: options.max_alert_entities],
        reason=reason,
        created_at=created_at,
        topic=compiled.rule.topic,
        level=level,
        sources=list(story.sources) or list(ctx.source_times),
    )
