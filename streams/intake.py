"""Turn bytes from the outside world into a RawArticle, or into a dead letter that says why not.

Used by the worker on ``news.raw``, by ``newsstream push`` before sending, and by ``newsstream process``, so
all three reject the same inputs with the same reason codes.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from typing import Any

import orjson
from pydantic import ValidationError

from agents.errors import BadArticle
from streams.schemas import DeadLetter, RawArticle

log = logging.getLogger(__name__)

REASONS = {
    "too_large": "the record is larger than the configured limit (NEWSSTREAM_MAX_BODY_BYTES)",
    "bad_encoding": "the bytes are not valid UTF-8",
    "invalid_json": "the record is not valid JSON",
    "not_object": "the JSON is not an object",
    "schema": "the JSON does not match the RawArticle schema",
    "empty_body": "the article has neither text nor html",
}


def decode_raw(data: bytes, *, max_body_bytes: int) -> RawArticle:
    """Parse and validate one raw record; raises :class:`BadArticle` with a reason code."""
    if len(data) > max_body_bytes:
        raise BadArticle("too_large", f"record is {len(data):,} bytes; the limit is {max_body_bytes:,}")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadArticle("bad_encoding", f"invalid UTF-8 at byte {exc.start}: {exc.reason}") from exc
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise BadArticle("invalid_json", f"invalid JSON: {exc}") from exc
    return validate_raw(value)


def validate_raw(value: Any) -> RawArticle:
    """Validate an already parsed value as a RawArticle."""
    if not isinstance(value, dict):
        raise BadArticle("not_object", f"expected a JSON object, got {type(value).__name__}")
    has_body = any(isinstance(value.get(f), str) and value[f].strip() for f in ("text", "html"))
    if not has_body and not any(isinstance(value.get(f), (list, dict, int, float)) for f in ("text", "html")):
        raise BadArticle("empty_body", "the article has neither a non-empty 'text' nor 'html'")
    try:
        return RawArticle.model_validate(value)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'record'}: {err['msg']}" for err in exc.errors()[:5]
        )
        raise BadArticle("schema", f"schema error: {problems}") from exc


def dead_letter(
    error: BadArticle,
    original: bytes,
    *,
    stage: str,
    topic: str | None = None,
    partition: int | None = None,
    offset: int | None = None,
    line: int | None = None,
    article_id: str | None = None,
    max_original_bytes: int | None = None,
) -> DeadLetter:
    """A DeadLetter carrying the original bytes (UTF-8 text when possible, else base64).

    A record larger than ``max_original_bytes`` cannot travel whole on the dead-letter topic (the producer's
    request limit); it keeps its first bytes, its size and its SHA-256, marked ``truncated``.
    """
    size, digest = len(original), hashlib.sha256(original).hexdigest()
    truncated = max_original_bytes is not None and size > max_original_bytes
    if truncated:
        original = original[:max_original_bytes]
    try:
        text, encoding = original.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = base64.b64encode(original).decode("ascii"), "base64"
    return DeadLetter(
        reason=error.reason,
        message=error.message,
        stage=stage,
        topic=topic,
        partition=partition,
        offset=offset,
        line=line,
        article_id=article_id,
        original=text,
        encoding=encoding,  # type: ignore[arg-type]
        original_size=size,
        original_sha256=digest,
        truncated=truncated,
    )


def original_bytes(letter: DeadLetter) -> bytes:
    """The bytes a dead letter was made from (for re-driving)."""
    if letter.encoding == "base64":
        return base64.b64decode(letter.original)
    return letter.original.encode("utf-8")


class MiskeyedInput:
    """Counts news.raw records not keyed by their source, and warns once per source (up to ``limit``).

    A source's chrome memory lives on the partition its key hashes to: a producer that keys by article id
    or sends no key spreads a source over every partition, and each learns its chrome apart (slower,
    and the same table key written from several partitions). Nothing is lost, so it is a warning.
    """

    def __init__(self, app: Any, limit: int = 1000) -> None:
        self._app = app
        self._limit = limit
        self._warned: set[str] = set()

    def note(self, source: str, event: Any) -> None:
        metrics = getattr(self._app, "newsstream_metrics", None)
        if metrics is not None:
            metrics.inc("newsstream_raw_miskeyed_total", help="news.raw records not keyed by their source")
        if source in self._warned or len(self._warned) >= self._limit:
            return
        self._warned.add(source)
        log.warning(
            "news.raw record not keyed by its source; key records by source (newsstream push does) so "
            "the source's chrome is learned on one partition",
            extra={"source": source, "key": event.key, "partition": event.message.partition},
        )
