"""news.raw records not keyed by their source are counted, and warned about once per source."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from types import SimpleNamespace

from streams.intake import MiskeyedInput
from streams.metrics import Metrics


@dataclass
class Message:
    partition: int


def test_each_record_is_counted_and_each_source_warned_once(caplog):
    app = SimpleNamespace(newsstream_metrics=Metrics())
    miskeyed = MiskeyedInput(app, limit=2)
    event = SimpleNamespace(key=None, message=Message(partition=1))
    with caplog.at_level(logging.WARNING, logger="streams.intake"):
        for source in ["site-a", "site-a", "site-b", "site-c"]:
            miskeyed.note(source, event)
    warned = [record.source for record in caplog.records]
    assert warned == ["site-a", "site-b"]  # once per source, and no more than the limit
    assert "newsstream_raw_miskeyed_total 4.0" in app.newsstream_metrics.render()
