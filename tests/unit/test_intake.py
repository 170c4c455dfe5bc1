from __future__ import annotations

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from agents.errors import BadArticle
from streams.intake import dead_letter, decode_raw, original_bytes
from streams.schemas import RawArticle

LIMIT = 4096


def reason(data: bytes) -> str:
    with pytest.raises(BadArticle) as info:
        decode_raw(data, max_body_bytes=LIMIT)
    assert info.value.message
    return info.value.reason


def test_each_bad_input_gets_its_reason_code():
    assert reason(b'{"source": ') == "invalid_json"
    assert reason(b'{"source": "a", "text": "caf\xe9"}') == "bad_encoding"
    assert reason(b'"just a string"') == "not_object"
    assert reason(b'{"source": "a", "text": "  "}') == "empty_body"
    assert reason(b'{"source": "a"}') == "empty_body"
    assert reason(b'{"text": "hello"}') == "schema"
    assert reason(b'{"source": "a", "text": "x", "published_at": "yesterday-ish"}') == "schema"
    assert reason(orjson.dumps({"source": "a", "text": "x" * LIMIT})) == "too_large"
    assert reason(b"") == "invalid_json"


def test_id_is_derived_from_url_or_content_when_absent():
    a = decode_raw(b'{"source": "s", "url": "https://x/1", "text": "one"}', max_body_bytes=LIMIT)
    b = decode_raw(b'{"source": "s", "url": "https://x/1", "text": "two"}', max_body_bytes=LIMIT)
    c = decode_raw(b'{"source": "s", "text": "two"}', max_body_bytes=LIMIT)
    assert a.id == b.id != c.id
    assert decode_raw(b'{"id": "mine", "source": "s", "html": "<p>x</p>"}', max_body_bytes=LIMIT).id == "mine"


def test_naive_datetimes_are_taken_as_utc():
    raw = decode_raw(
        b'{"source": "s", "text": "x", "fetched_at": "2025-04-28T09:30:00"}', max_body_bytes=LIMIT
    )
    assert raw.fetched_at is not None and raw.fetched_at.utcoffset().total_seconds() == 0


def test_dead_letter_keeps_original_bytes_even_when_not_utf8():
    original = b'{"text": "\xff\xfe"}'
    letter = dead_letter(
        BadArticle("bad_encoding", "x"), original, stage="clean", topic="news.raw", partition=1, offset=7
    )
    assert letter.encoding == "base64"
    assert original_bytes(letter) == original
    text_letter = dead_letter(BadArticle("schema", "x"), "سلام".encode(), stage="clean")
    assert text_letter.encoding == "utf-8" and original_bytes(text_letter) == "سلام".encode()


@given(st.binary(max_size=300))
def test_any_bytes_give_an_article_or_a_bad_article(data):
    try:
        article = decode_raw(data, max_body_bytes=LIMIT)
    except BadArticle as error:
        assert error.reason in {
            "invalid_json",
            "bad_encoding",
            "not_object",
            "schema",
            "empty_body",
            "too_large",
        }
    else:
        assert isinstance(article, RawArticle) and article.id


def test_a_record_too_large_to_carry_keeps_its_head_size_and_hash():
    import hashlib

    original = b'{"text": "' + b"x" * 5000 + b'"}'
    letter = dead_letter(BadArticle("too_large", "big"), original, stage="clean", max_original_bytes=1000)
    assert letter.truncated and letter.original_size == len(original)
    assert letter.original_sha256 == hashlib.sha256(original).hexdigest()
    assert original_bytes(letter) == original[:1000]
    whole = dead_letter(BadArticle("schema", "x"), original, stage="clean", max_original_bytes=10_000)
    assert not whole.truncated and original_bytes(whole) == original
