"""A corpus of nasty inputs through a real worker: each is processed or dead-lettered, the worker lives on,
the dead-letter command lists and re-drives them, and the HTTP API wants its bearer token."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
import urllib.error
import urllib.request

import orjson
import pytest

from tests.integration.harness import Deployment

pytestmark = pytest.mark.broker

TOKEN = "s3cret-token-for-tests"
PROSE = "The port authority and the union met again on Monday to discuss the new shift rota. "


def _article(article_id: str, **fields: object) -> bytes:
    return orjson.dumps({"id": article_id, "source": "nasty-site", **fields})


def nasty_corpus() -> list[tuple[str, bytes]]:
    """(expected outcome, bytes): 'dlq' or 'ok' (processed, or dead-lettered as empty after cleaning)."""
    depth = 5000
    billion_laughs = (
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><html><body><h1>Talks resume</h1>'
        "<p>&lol3;</p><p>" + PROSE * 3 + "</p></body></html>"
    )
    return [
        ("dlq", b'{"id": "broken", "source": '),
        ("dlq", b'{"a":' * depth + b"1" + b"}" * depth),
        ("dlq", orjson.dumps({"id": "types", "source": ["x"], "text": 5})),
        ("dlq", b""),
        ("dlq", _article("huge", text="word " * 700_000)),  # 3.5 MB > the 2 MB limit
        ("dlq", _article("huge-50mb", text="word " * 10_500_000)),  # 52 MB through the broker and back
        ("dlq", b'{"id": "latin1", "source": "nasty-site", "text": "caf\xe9 au lait"}'),
        ("dlq", _article("blank", text="\u200b\u200c \n\t ")),
        (
            "ok",
            _article("bidi", title="Talks \u202eresume\u202c", text="\u202b" + PROSE * 4 + "\x07\x1b[31m"),
        ),
        (
            "ok",
            _article(
                "scripts",
                html="<html><head><script>alert(1)</script></head><body><h1>Rota</h1>"
                "<script>document.write('x')</script><p>" + PROSE * 4 + "</p></body></html>",
            ),
        ),
        ("ok", _article("laughs", html=billion_laughs)),
        (
            "ok",
            _article(
                "nested",
                title="Deep page",
                html="<div>" * 10_000 + "<p>" + PROSE * 4 + "</p>" + "</div>" * 10_000,
            ),
        ),
        ("ok", _article("long-line", title="One long line", text=PROSE * 12_000)),  # ~1 MB, one line
        (
            "ok",
            _article(
                "zero-width",
                title="Vla\u200bdimir Pu\u200btin speaks",
                text="Vla\u200bdimir Pu\u200btin said on Monday " + PROSE * 4,
            ),
        ),
        ("ok", _article("nul", text="Before\x00after. " + PROSE * 4)),
    ]


@pytest.fixture(scope="module")
def deployment(broker, tmp_path_factory):
    deployment = Deployment(
        broker.url, tmp_path_factory.mktemp("nasty"), extra_env={"NEWSSTREAM_API_TOKEN": TOKEN}
    )
    deployment.start_worker()
    yield deployment
    deployment.stop_all()


def test_every_nasty_input_is_processed_or_dead_lettered_and_the_worker_lives_on(deployment):
    corpus = nasty_corpus()
    asyncio.run(deployment.produce(deployment.names.raw, [value for _, value in corpus]))
    asyncio.run(deployment.produce(deployment.names.raw, [_article("after", text=PROSE * 4)]))
    total = len(corpus) + 1

    # Records without keys spread over partitions, so "after" may arrive before others: wait for all.
    deadline = time.monotonic() + 90
    while True:
        tagged = asyncio.run(deployment.read(deployment.names.tagged, timeout=2, done=lambda values: False))
        letters = asyncio.run(deployment.read(deployment.names.dlq, timeout=1, done=lambda values: False))
        if len(tagged) + len(letters) >= total or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert "after" in {r["id"] for r in tagged}, "a good article after the nasty ones still flows"
    assert len(tagged) + len(letters) == total
    assert deployment.workers[0].poll() is None
    expected_dlq = sum(1 for outcome, _ in corpus if outcome == "dlq")
    processed_ok = {r["id"] for r in tagged}
    ok_ids = {orjson.loads(v)["id"] for outcome, v in corpus if outcome == "ok"}
    assert len(letters) >= expected_dlq
    assert ok_ids - processed_ok <= {"laughs"}, ok_ids - processed_ok  # its body may all be chrome
    reasons = {letter["reason"] for letter in letters}
    assert {"invalid_json", "schema", "too_large", "bad_encoding"} <= reasons
    sizes = sorted(letter["original_size"] for letter in letters if letter["reason"] == "too_large")
    assert len(sizes) == 2 and sizes[0] > 3_000_000 and sizes[1] > 50 * 1024 * 1024, sizes
    assert all(letter["truncated"] for letter in letters if letter["reason"] == "too_large")
    for record in tagged:
        for entity in record["entities"]:
            for mention in entity["mentions"]:
                assert record["text"][mention["start"] : mention["end"]] == mention["text"]
    # produced without keys: every valid record is counted as not keyed by its source
    request = urllib.request.Request(
        deployment.web_url() + "/metrics", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        metrics = response.read().decode()
    (miskeyed,) = [line for line in metrics.splitlines() if line.startswith("newsstream_raw_miskeyed_total")]
    assert float(miskeyed.split()[-1]) >= len(tagged)


def test_dlq_command_lists_by_reason_and_redrives(deployment):
    env = deployment.env(99)
    before = asyncio.run(deployment.read(deployment.names.dlq, timeout=3, done=lambda v: False))
    invalid = sum(1 for letter in before if letter["reason"] == "invalid_json")
    assert invalid >= 1
    listed = subprocess.run(
        [sys.executable, "-m", "streams.cli", "dlq", "--timeout", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listed.returncode == 0 and "invalid_json" in listed.stderr + listed.stdout
    redriven = subprocess.run(
        [
            sys.executable,
            "-m",
            "streams.cli",
            "dlq",
            "--reason",
            "invalid_json",
            "--redrive",
            "--timeout",
            "2",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert redriven.returncode == 0, redriven.stderr
    after = asyncio.run(
        deployment.read(deployment.names.dlq, timeout=30, done=lambda v: len(v) >= len(before) + invalid)
    )
    assert sum(1 for letter in after if letter["reason"] == "invalid_json") == 2 * invalid


def test_api_requires_the_bearer_token_and_never_logs_it(deployment):
    base = deployment.web_url(0)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(base + "/stories", timeout=5)
    assert refused.value.code == 401
    request = urllib.request.Request(base + "/stories", headers={"Authorization": f"Bearer {TOKEN}"})
    with urllib.request.urlopen(request, timeout=5) as response:
        assert response.status == 200 and "stories" in orjson.loads(response.read())
    with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
        assert response.status == 200
    assert TOKEN not in deployment.logs[0].read_text()
