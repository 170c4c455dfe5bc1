from __future__ import annotations

import orjson
import pytest

from streams.cli import build_parser, main
from streams.loaders import read_items


def test_loaders_read_jsonl_txt_html_and_folders(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "a.txt").write_text("عنوان\nنص المقال", encoding="utf-8")
    (tmp_path / "site" / "b.html").write_text("<html><body><p>Hello</p></body></html>")
    (tmp_path / "site" / "c.jsonl").write_bytes(b'{"id": "x", "source": "s", "text": "t"}\n\nnot json\n[1]\n')
    items = list(read_items([str(tmp_path / "site")]))
    by_origin = {(item.origin.rsplit("/", 1)[-1], item.line): item for item in items}
    assert by_origin[("a.txt", None)].value == {"id": "a", "source": "site", "text": "عنوان\nنص المقال"}
    assert "html" in by_origin[("b.html", None)].value
    assert by_origin[("c.jsonl", 1)].value["id"] == "x"
    assert by_origin[("c.jsonl", 3)].error.reason == "invalid_json"
    assert by_origin[("c.jsonl", 4)].error.reason == "not_object"
    assert len(items) == 5


def test_missing_path_is_an_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        list(read_items([str(tmp_path / "nope.jsonl")]))


def test_cli_parses_every_command():
    parser = build_parser()
    assert parser.parse_args(["run"]).command == "run"
    tail = parser.parse_args(["tail", "news.tagged", "--json", "--from-beginning"])
    assert (tail.topic, tail.json, tail.from_beginning) == ("news.tagged", True, True)
    assert parser.parse_args(["tail"]).topic is None
    push = parser.parse_args(["push", "a.jsonl", "b/", "-"])
    assert push.paths == ["a.jsonl", "b/", "-"]
    process = parser.parse_args(["process", "in.jsonl", "--output", "out.jsonl", "--alerts", "a.jsonl"])
    assert (process.input, process.output, process.alerts) == ("in.jsonl", "out.jsonl", "a.jsonl")
    with pytest.raises(SystemExit):
        parser.parse_args(["process", "in.jsonl"])  # --output is required


def test_push_without_a_broker_says_how_to_start_one(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEWSSTREAM_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("NEWSSTREAM_BROKER", raising=False)
    (tmp_path / "a.jsonl").write_bytes(orjson.dumps({"source": "s", "text": "t"}))
    assert main(["push", str(tmp_path / "a.jsonl")]) == 1
    assert "newsstream run" in capsys.readouterr().err
