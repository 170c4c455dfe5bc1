"""Readable terminal rendering of newsstream records for ``newsstream tail``."""

from __future__ import annotations

import orjson
from rich.panel import Panel

from streams.console import console

SEVERITY_STYLE = {"critical": "bold white on red", "high": "bold red", "medium": "yellow", "low": "cyan"}


def render_record(topic: str, value: bytes) -> None:
    """Print one record: alerts as panels, story events and articles as one-liners, else JSON."""
    try:
        record = orjson.loads(value)
    except orjson.JSONDecodeError:
        console.print(f"[dim]{topic}[/] {value[:200]!r}")
        return
    if not isinstance(record, dict):
        console.print(f"[dim]{topic}[/] {record!r}")
    elif "rule" in record and "severity" in record:
        style = SEVERITY_STYLE.get(str(record.get("severity")), "bold")
        body = f"[bold]{record.get('headline', '')}[/]\n{record.get('reason', '')}"
        if record.get("sources"):
            body += f"\n[dim]sources:[/] {', '.join(record['sources'])}"
        if record.get("entities"):
            body += f"\n[dim]entities:[/] {', '.join(record['entities'])}"
        body += f"\n[dim]story {record.get('story_id')} · {len(record.get('article_ids', []))} articles · id "
        body += f"{record.get('id')}[/]"
        title = f"[{style}] {str(record.get('severity', '')).upper()} [/] {record.get('rule')}"
        console.print(Panel(body, title=title, title_align="left"))
    elif "kind" in record and "story_id" in record:
        console.print(
            f"[magenta]{record['kind']:>8}[/] {record['story_id']} [bold]{record.get('headline', '')}[/] "
            f"[dim]{len(record.get('article_ids', []))} articles, {len(record.get('sources', []))} sources[/]"
        )
    elif "reason" in record and "original" in record:
        console.print(
            f"[red]{record['reason']}[/] {record.get('message', '')} "
            f"[dim]{record.get('topic')}/{record.get('partition')}@{record.get('offset')}[/]"
        )
    elif "text" in record:
        entities = ", ".join(e.get("name", "") for e in record.get("entities", [])[:6])
        dup = f" [yellow]dup of {record['duplicate_of']}[/]" if record.get("duplicate_of") else ""
        console.print(
            f"[cyan]{record.get('id')}[/] [dim]{record.get('source')} {record.get('language')}[/] "
            f"[bold]{record.get('title', '')}[/]{dup} [dim]{entities}[/]"
        )
    else:
        console.print_json(data=record)
