"""``newsstream process``: the pipeline over a JSONL file or a folder, no broker, a record per good input."""

from __future__ import annotations

import logging
from collections import Counter
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from streams import codec
from streams.console import console
from streams.loaders import is_jsonl, iter_paths, read_items
from streams.ordering import read_items_in_time_order
from streams.parallel import process_items_parallel
from streams.pipeline import Pipeline
from streams.schemas import PROCESS_ALERT_FIELDS
from streams.settings import Settings

log = logging.getLogger(__name__)


def process(
    settings: Settings,
    input_path: Path,
    output_path: Path,
    *,
    alerts_path: Path | None = None,
    dead_letters_path: Path | None = None,
    stories_path: Path | None = None,
    in_time_order: bool = False,
    jobs: int = 1,
) -> int:
    """Write one record per good input article (input order, or event-time order with ``in_time_order``),
    alerts and dead letters beside them. ``input_path`` ``-`` reads JSONL from standard input."""
    from_stdin = str(input_path) == "-"
    if not from_stdin and not input_path.exists():
        console.print(f"[red]newsstream process:[/] {input_path}: no such file or folder")
        return 2
    dead_letters_path = dead_letters_path or output_path.with_name(output_path.stem + ".dead-letters.jsonl")
    pipeline = Pipeline(settings)
    counts: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    total = None if from_stdin else _count_items(input_path)
    files = {"out": output_path.open("wb"), "dlq": dead_letters_path.open("wb")}
    if alerts_path:
        files["alerts"] = alerts_path.open("wb")
    if stories_path:
        files["stories"] = stories_path.open("wb")
    try:
        with Progress(
            TextColumn("processing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as progress:
            task = progress.add_task("process", total=total)
            read = read_items_in_time_order if in_time_order else read_items
            items = read([str(input_path)])
            outcomes = (
                process_items_parallel(pipeline, settings, items, workers=jobs - 1)
                if jobs > 1
                else pipeline.process_items(items)
            )
            for outcome in outcomes:
                progress.advance(task)
                if outcome.dead_letter is not None:
                    counts["dead_letters"] += 1
                    reasons[outcome.dead_letter.reason] += 1
                    files["dlq"].write(codec.dumps(outcome.dead_letter) + b"\n")
                    continue
                counts["articles"] += 1
                files["out"].write(codec.dumps(outcome.article) + b"\n")
                for event in outcome.events:
                    counts["story_events"] += 1
                    if "stories" in files:
                        files["stories"].write(codec.dumps(event) + b"\n")
                for alert in outcome.alerts:
                    counts["alerts"] += 1
                    if "alerts" in files:
                        record = alert.model_dump(include=set(PROCESS_ALERT_FIELDS))
                        files["alerts"].write(codec.dumps(record) + b"\n")
    finally:
        for handle in files.values():
            handle.close()
    console.print(
        f"processed {counts['articles']} articles → {output_path}; {counts['alerts']} alerts; "
        f"{counts['dead_letters']} dead letters → {dead_letters_path}"
        + (" (" + ", ".join(f"{k}: {v}" for k, v in reasons.most_common()) + ")" if reasons else "")
    )
    return 0


def _count_items(input_path: Path) -> int:
    """Articles in a JSONL file or a folder of JSONL files and pages (for the progress bar)."""
    total = 0
    for path in iter_paths([str(input_path)]):
        if path is not None and is_jsonl(path):
            with path.open("rb") as handle:
                total += sum(1 for line in handle if line.strip())
        else:
            total += 1
    return total
