"""Reading inputs in event-time order (``--in-time-order``), and why a backfill needs it."""

from __future__ import annotations

import io
import sys

import orjson
import pytest

from streams import ordering
from streams.cli import main
from streams.loaders import read_items
from streams.ordering import event_time, read_items_in_time_order


def _write(path, records):
    path.write_bytes(b"".join((r if isinstance(r, bytes) else orjson.dumps(r)) + b"\n" for r in records))


def test_event_time_reads_instants_not_strings():
    # 10:00 at +04:00 is 06:00 UTC: earlier than 07:00Z although it sorts later as text.
    assert event_time({"published_at": "2025-04-28T10:00:00+04:00"}) < event_time(
        {"published_at": "2025-04-28T07:00:00Z"}
    )
    assert event_time({"published_at": "2025-04-28T07:00:00"}) == event_time(
        {"published_at": "2025-04-28T07:00:00Z"}
    )  # naive means UTC, as RawArticle reads it
    assert event_time({"fetched_at": 1_700_000_000}) == 1_700_000_000
    assert event_time({"published_at": "not a date", "fetched_at": "2025-01-01T00:00:00Z"}) == 1735689600
    assert event_time({"source": "s"}) is None
    assert event_time(None) is None


def test_files_are_merged_by_time_and_untimed_lines_keep_their_place(tmp_path):
    _write(
        tmp_path / "a.jsonl",
        [
            {"id": "a1", "source": "a", "text": "t", "published_at": "2025-04-01T00:00:00Z"},
            {"id": "a-untimed", "source": "a", "text": "t"},
            b"{broken",
            {"id": "a5", "source": "a", "text": "t", "published_at": "2025-04-05T00:00:00Z"},
        ],
    )
    _write(
        tmp_path / "b.jsonl",
        [
            {"id": "b2", "source": "b", "text": "t", "fetched_at": "2025-04-02T00:00:00Z"},
            {"id": "b3", "source": "b", "text": "t", "published_at": "2025-04-03T00:00:00Z"},
            {"id": "b1-tie", "source": "b", "text": "t", "published_at": "2025-04-01T00:00:00Z"},
        ],
    )
    ordered = list(read_items_in_time_order([str(tmp_path)]))
    names = [item.value["id"] if item.value else item.original.decode() for item in ordered]
    assert names == ["a1", "a-untimed", "{broken", "b1-tie", "b2", "b3", "a5"]
    # Every item is what the plain reader gives for that line: same bytes, line number and error.
    plain = {(item.origin, item.line): item for item in read_items([str(tmp_path)])}
    for item in ordered:
        twin = plain[(item.origin, item.line)]
        assert (item.original, item.value, item.offset) == (twin.original, twin.value, twin.offset)
        assert (item.error and item.error.reason) == (twin.error and twin.error.reason)


def test_pages_and_standard_input(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    _write(site / "feed.jsonl", [{"id": "late", "source": "s", "text": "t", "published_at": "2025-05-01"}])
    (site / "page.txt").write_text("عنوان\nنص", encoding="utf-8")
    stdin = io.TextIOWrapper(
        io.BytesIO(orjson.dumps({"id": "early", "source": "s", "text": "t", "published_at": "2025-01-01"}))
    )
    monkeypatch.setattr(sys, "stdin", stdin)
    ordered = list(read_items_in_time_order([str(site), "-"], source="site"))
    # The page has no date before cleaning: it stays after the article before it.
    assert [item.value["id"] for item in ordered] == ["early", "late", "page"]
    assert ordered[0].offset is None and ordered[-1].value["source"] == "site"


def test_more_files_than_stay_open(tmp_path, monkeypatch):
    monkeypatch.setattr(ordering, "_OPEN_FILES", 3)
    for n in range(8):  # file n holds days n and n + 8, so reading in time order alternates between files
        _write(
            tmp_path / f"f{n}.jsonl",
            [
                {"id": f"d{day:02d}", "source": "s", "text": "t", "published_at": f"2025-03-{day + 1:02d}"}
                for day in (n, n + 8)
            ],
        )
    ids = [item.value["id"] for item in read_items_in_time_order([str(tmp_path)])]
    assert ids == [f"d{day:02d}" for day in range(16)]


def _story_of(out, article_id):
    records = map(orjson.loads, out.read_bytes().splitlines())
    return next(record["story_id"] for record in records if record["id"] == article_id)


def test_a_backfill_read_outlet_by_outlet_splits_a_story_unless_read_in_time_order(
    tmp_path, monkeypatch, seeds_path
):
    """Seeds: two outlets report the same April event; the first file also holds a December page.

    Read file by file, the December page retires the April story before the second outlet's report of it
    arrives, which then founds a story of its own; in time order it joins.
    """
    monkeypatch.setenv("NEWSSTREAM_DATA_DIR", str(tmp_path / "data"))
    seeds = {record["source"]: record for record in map(orjson.loads, seeds_path.read_bytes().splitlines())}
    april_a, december, april_b = seeds["site-b"], seeds["site-d"], seeds["site-c"]
    assert april_a["fetched_at"][:7] == april_b["fetched_at"][:7] == "2025-04"
    assert december["fetched_at"][:7] == "2025-12"
    backfill = tmp_path / "backfill"
    backfill.mkdir()
    _write(backfill / "1-first-crawl.jsonl", [april_a, december])
    _write(backfill / "2-second-crawl.jsonl", [april_b])
    as_read, in_time = tmp_path / "as-read.jsonl", tmp_path / "in-time.jsonl"
    assert main(["process", str(backfill), "-o", str(as_read)]) == 0
    assert main(["process", str(backfill), "-o", str(in_time), "--in-time-order"]) == 0
    assert _story_of(as_read, april_b["id"]) != _story_of(as_read, april_a["id"])
    assert _story_of(in_time, april_b["id"]) == _story_of(in_time, april_a["id"])
    assert [r["id"] for r in map(orjson.loads, in_time.read_bytes().splitlines())] == [
        april_a["id"],
        april_b["id"],
        december["id"],
    ]


def test_cli_takes_the_flag_for_push_and_process():
    from streams.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["push", "a.jsonl", "--in-time-order"]).in_time_order
    assert parser.parse_args(["process", "dir", "-o", "o.jsonl", "--in-time-order"]).in_time_order
    assert not parser.parse_args(["process", "in.jsonl", "-o", "o.jsonl"]).in_time_order
    with pytest.raises(SystemExit):
        parser.parse_args(["process", "-o", "o.jsonl"])


def test_process_reads_standard_input_in_time_order(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSSTREAM_DATA_DIR", str(tmp_path / "data"))
    body = "The harbour authority said the new berth opens in spring. " * 6
    lines = [
        {
            "id": f"day-{day}",
            "source": "s",
            "title": f"Report {day}",
            "text": body,
            "published_at": f"2025-04-0{day}",
        }
        for day in (3, 1, 2)
    ]
    stdin = io.TextIOWrapper(io.BytesIO(b"\n".join(orjson.dumps(line) for line in lines)))
    monkeypatch.setattr(sys, "stdin", stdin)
    out = tmp_path / "out.jsonl"
    assert main(["process", "-", "-o", str(out), "--in-time-order"]) == 0
    assert [orjson.loads(line)["id"] for line in out.read_bytes().splitlines()] == ["day-1", "day-2", "day-3"]
