"""The ``newsstream`` command: run, worker, broker, push, tail, process, dlq."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from streams.exceptions import NewsstreamError
from streams.settings import Settings

log = logging.getLogger("newsstream")


_IN_TIME_ORDER = (
    "read every input first and send the articles in published/fetched time order (for backfills of"
    " several files: stories retire 72 h of event time after their last report)"
)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {number}")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsstream",
        description="Stream processor for news: clean, deduplicate, tag entities, cluster stories, alert.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="start a worker (and the local broker when none is configured)")
    run.add_argument("--web-port", type=int, default=None, help="web/API port (default: settings)")
    worker = commands.add_parser("worker", help="start a worker on a running broker (never starts one)")
    worker.add_argument("--web-port", type=int, default=None)
    commands.add_parser("broker", help="run only the local broker in the foreground")

    push = commands.add_parser("push", help="send articles to news.raw (JSONL, .txt, .html, folders, -)")
    push.add_argument("paths", nargs="+", metavar="PATH")
    push.add_argument("--source", default=None, help="source for .txt/.html pages (default: folder name)")
    push.add_argument(
        "--rate", type=float, default=None, help="articles per second (default: as fast as possible)"
    )
    push.add_argument("--in-time-order", action="store_true", help=_IN_TIME_ORDER)

    tail = commands.add_parser("tail", help="follow a topic and pretty-print it (default: alert topics)")
    tail.add_argument("topic", nargs="?", default=None)
    tail.add_argument("--json", action="store_true", help="print the records as JSON lines")
    tail.add_argument("--from-beginning", action="store_true")
    tail.add_argument("--limit", type=int, default=None, help="stop after this many records")
    tail.add_argument("--timeout", type=float, default=None, help="stop after this many idle seconds")

    process = commands.add_parser("process", help="run the pipeline in-process on JSONL/pages (no broker)")
    process.add_argument(
        "input",
        metavar="IN",
        help="a JSONL file, a folder of JSONL/.txt/.html files, or - (JSONL on standard input)",
    )
    process.add_argument("--output", "-o", required=True, metavar="OUT.jsonl")
    process.add_argument("--alerts", default=None, metavar="ALERTS.jsonl")
    process.add_argument("--rules", default=None, metavar="RULES.yaml")
    process.add_argument("--dead-letters", default=None, metavar="PATH")
    process.add_argument("--stories", default=None, metavar="STORIES.jsonl", help="also write story events")
    process.add_argument("--in-time-order", action="store_true", help=_IN_TIME_ORDER)
    process.add_argument(
        "--jobs",
        type=_positive,
        default=1,
        help="processes to use: this one (dedup, stories, alerts) and N-1 that clean and tag (default 1;"
        " the output is the same with any number)",
    )

    demo = commands.add_parser("demo", help="local broker + worker, the sample corpus as a live stream")
    demo.add_argument("--duration", type=float, default=90.0, help="seconds to replay the corpus over")
    demo.add_argument(
        "--linger",
        type=float,
        default=None,
        help="seconds to keep running after the last push (default: until Ctrl-C)",
    )

    bench = commands.add_parser("bench", help="measure stage cores, process, and the pipeline on the broker")
    bench.add_argument("--articles", type=int, default=2000)
    bench.add_argument("--json", action="store_true", help="print one JSON object with every figure")
    bench.add_argument("--rate", type=float, default=100.0, help="offered load for the latency run")
    bench.add_argument("--latency-articles", type=int, default=None)
    bench.add_argument(
        "--workers", type=int, default=1, help="worker processes for the pass-through and the pipeline"
    )

    dlq = commands.add_parser("dlq", help="list dead letters by reason; re-drive selected ones")
    dlq.add_argument("--reason", default=None, help="only this reason code")
    dlq.add_argument("--redrive", action="store_true", help="send the selected originals back to news.raw")
    dlq.add_argument("--timeout", type=float, default=2.0)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    overrides: dict[str, object] = {}
    if getattr(args, "rules", None):
        overrides["rules"] = Path(args.rules)
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        print(f"newsstream: invalid settings:\n{exc}", file=sys.stderr)
        return 2
    from streams.console import setup_logging

    setup_logging(settings.log_level)
    try:
        return _dispatch(args, settings)
    except NewsstreamError as exc:
        from streams.console import console

        console.print(f"[bold red]newsstream:[/] {exc}")
        return 1
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace, settings: Settings) -> int:
    if args.command in ("run", "worker"):
        from streams.runner import run_worker

        return run_worker(settings, start_broker=args.command == "run", web_port=args.web_port)
    if args.command == "broker":
        from streams.runner import run_broker

        return run_broker(settings)
    if args.command == "push":
        from streams.client import push

        return asyncio.run(
            push(settings, args.paths, source=args.source, rate=args.rate, in_time_order=args.in_time_order)
        )
    if args.command == "tail":
        from streams.client import tail

        return asyncio.run(
            tail(
                settings,
                args.topic,
                as_json=args.json,
                from_beginning=args.from_beginning,
                limit=args.limit,
                idle_timeout=args.timeout,
            )
        )
    if args.command == "process":
        from streams.offline import process

        return process(
            settings,
            Path(args.input),
            Path(args.output),
            alerts_path=Path(args.alerts) if args.alerts else None,
            dead_letters_path=Path(args.dead_letters) if args.dead_letters else None,
            stories_path=Path(args.stories) if args.stories else None,
            in_time_order=args.in_time_order,
            jobs=args.jobs,
        )
    if args.command == "demo":
        from streams.demo import run_demo

        return run_demo(settings, duration=args.duration, linger=args.linger)
    if args.command == "bench":
        from bench.suite import main as bench_main

        return bench_main(args.articles, args.json, args.rate, args.latency_articles, args.workers)
    if args.command == "dlq":
        from streams.client import dlq

        return asyncio.run(dlq(settings, reason=args.reason, redrive=args.redrive, idle_timeout=args.timeout))
    raise AssertionError(args.command)


if __name__ == "__main__":
    sys.exit(main())
