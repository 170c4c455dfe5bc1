"""`newsstream process`: one record per good input line in order, dead letters for the rest, exit 0."""

from __future__ import annotations

import orjson

from streams.cli import main

FIELDS = {
    "id",
    "source",
    "url",
    "title",
    "text",
    "language",
    "published_at",
    "duplicate_of",
    "duplicate_kind",
    "similarity",
    "entities",
    "story_id",
}


def test_process_writes_contract_records_in_input_order_and_dead_letters(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSSTREAM_DATA_DIR", str(tmp_path / "data"))
    lines = [
        orjson.dumps({"id": "a1", "source": "s1", "title": "First", "text": "The first article body. " * 10}),
        b"{broken json",
        orjson.dumps({"id": "a2", "source": "s2", "text": "Second article.\nIts body is here. " * 10}),
        orjson.dumps({"id": "bad", "source": "s2"}),
        orjson.dumps(
            {
                "id": "a3",
                "source": "s1",
                "html": "<html><body><h1>The third story</h1>"
                + "".join(
                    f"<p>Paragraph {n} of the third article says something new about the harbour works.</p>"
                    for n in range(5)
                )
                + "</body></html>",
            }
        ),
    ]
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(lines) + b"\n")
    out = tmp_path / "out.jsonl"
    assert main(["process", str(source), "--output", str(out)]) == 0
    records = [orjson.loads(line) for line in out.read_bytes().splitlines()]
    assert [r["id"] for r in records] == ["a1", "a2", "a3"]
    for record in records:
        assert set(record) == FIELDS
        assert record["text"]
    letters = [orjson.loads(line) for line in (tmp_path / "out.dead-letters.jsonl").read_bytes().splitlines()]
    assert [(letter["line"], letter["reason"]) for letter in letters] == [
        (2, "invalid_json"),
        (4, "empty_body"),
    ]
    assert letters[0]["original"] == "{broken json"


def test_process_on_a_missing_file_exits_non_zero(tmp_path):
    assert main(["process", str(tmp_path / "missing.jsonl"), "--output", str(tmp_path / "o.jsonl")]) == 2
