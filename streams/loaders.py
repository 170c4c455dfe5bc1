"""Read articles from files for ``push`` and ``process``: JSONL, crawled ``.txt`` pages, ``.html`` pages.

Each item is yielded as ``(origin, original_bytes, value_or_error)`` so callers can report which file and
line a rejected article came from and keep its original bytes.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from agents.errors import BadArticle

SUFFIXES = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
}


@dataclass(slots=True)
class Item:
    """One input article: where it came from, its bytes, and the parsed value or the reason it is bad."""

    origin: str
    line: int | None
    original: bytes
    value: dict[str, Any] | None
    error: BadArticle | None
    offset: int | None = None
    """Byte offset of the line in its JSONL file (``None`` for standard input and page files)."""


def iter_paths(paths: list[str]) -> Iterator[Path | None]:
    """Expand folders (sorted, recursive) into files; ``-`` stands for standard input (JSONL)."""
    for name in paths:
        if name == "-":
            yield None
            continue
        path = Path(name)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        elif path.exists():
            yield path
        else:
            raise FileNotFoundError(f"{name}: no such file or folder")


def read_items(paths: list[str], *, source: str | None = None) -> Iterator[Item]:
    """Yield every article from ``paths`` in order."""
    for path in iter_paths(paths):
        if path is None:
            yield from read_jsonl(sys.stdin.buffer, STDIN, seekable=False)
            continue
        kind = SUFFIXES.get(path.suffix.lower(), "jsonl")
        if kind == "jsonl":
            with path.open("rb") as handle:
                yield from read_jsonl(handle, str(path))
        else:
            yield _page(path, kind, source)


STDIN = "<stdin>"


def is_jsonl(path: Path) -> bool:
    return SUFFIXES.get(path.suffix.lower(), "jsonl") == "jsonl"


def read_jsonl(handle: Any, origin: str, *, seekable: bool = True) -> Iterator[Item]:
    """Every non-blank line of an open binary JSONL file, with its byte offset when ``seekable``."""
    offset = 0
    for number, line in enumerate(handle, start=1):
        item = parse_line(line, origin, number, offset if seekable else None)
        offset += len(line)
        if item is not None:
            yield item


def parse_line(line: bytes, origin: str, number: int, offset: int | None = None) -> Item | None:
    """One JSONL line as an :class:`Item` (``None`` for a blank line)."""
    stripped = line.strip()
    if not stripped:
        return None
    try:
        value = orjson.loads(stripped)
    except orjson.JSONDecodeError as exc:
        try:
            stripped.decode("utf-8")
            error = BadArticle("invalid_json", f"invalid JSON: {exc}")
        except UnicodeDecodeError as decode_error:
            error = BadArticle("bad_encoding", f"invalid UTF-8 at byte {decode_error.start}")
        return Item(origin, number, stripped, None, error, offset)
    if not isinstance(value, dict):
        error = BadArticle("not_object", f"expected a JSON object, got {type(value).__name__}")
        return Item(origin, number, stripped, None, error, offset)
    return Item(origin, number, stripped, value, None, offset)


def read_page(path: Path, source: str | None) -> Item:
    """A ``.txt``/``.html`` page file as one :class:`Item`."""
    return _page(path, SUFFIXES.get(path.suffix.lower(), "text"), source)


def _page(path: Path, kind: str, source: str | None) -> Item:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return Item(
            str(path), None, data, None, BadArticle("bad_encoding", f"invalid UTF-8 at byte {exc.start}")
        )
    value: dict[str, Any] = {"id": path.stem, "source": source or path.parent.name or "local"}
    value["text" if kind == "text" else "html"] = text
    return Item(str(path), None, data, value, None)
