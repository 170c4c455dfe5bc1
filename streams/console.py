"""Logging and terminal output: rich handlers with context, one place to set them up."""

from __future__ import annotations

import logging

from rich.console import Console
from rich.logging import RichHandler

console = Console(stderr=True)


class ContextFilter(logging.Filter):
    """Append ``extra={...}`` context to log lines so they say which article, partition, stage."""

    _standard: frozenset[str] = frozenset(vars(logging.makeLogRecord({})))

    def filter(self, record: logging.LogRecord) -> bool:
        extras = {k: v for k, v in vars(record).items() if k not in self._standard and not k.startswith("_")}
        extras.pop("message", None)
        extras.pop("asctime", None)
        if extras and not getattr(record, "_ctx_done", False):
            record.msg = f"{record.msg} " + " ".join(f"{k}={v}" for k, v in extras.items())
            record._ctx_done = True
        return True


def setup_logging(level: str = "INFO") -> logging.Handler:
    handler = RichHandler(console=console, show_path=False, rich_tracebacks=False)
    handler.addFilter(ContextFilter())
    logging.basicConfig(level=level, handlers=[handler], format="%(message)s", force=True)
    # aiokafka narrates every subscription and metadata change at INFO; users need its warnings only.
    logging.getLogger("aiokafka").setLevel(max(logging.WARNING, logging.getLevelName(level)))
    return handler
