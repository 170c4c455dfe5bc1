"""The wired pipeline on the real local broker: seeds flow to news.tagged, bad input to news.dlq."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import orjson
import pytest

from tests.integration.harness import Deployment

pytestmark = pytest.mark.broker


@pytest.fixture(scope="module")
def deployment(broker, tmp_path_factory):
    deployment = Deployment(
        broker.url, tmp_path_factory.mktemp("flow"), extra_env={"NEWSSTREAM_MAX_BODY_BYTES": "65536"}
    )
    deployment.start_worker()
    yield deployment
    deployment.stop_all()


def test_push_command_sends_seeds_that_arrive_tagged_with_ids_intact(deployment, seeds_path):
    expected = [orjson.loads(line)["id"] for line in seeds_path.read_bytes().splitlines() if line.strip()]
    result = subprocess.run(
        [sys.executable, "-m", "streams.cli", "push", str(seeds_path)],
        env=deployment.env(99),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert f"sent {len(expected)}" in result.stderr
    import asyncio

    tagged = asyncio.run(deployment.read(deployment.names.tagged, until=len(expected)))
    assert sorted(record["id"] for record in tagged) == sorted(expected)
    for record in tagged:
        assert record["text"] and record["title"]
        assert "entities" in record and "duplicate_of" in record


async def test_each_kind_of_bad_input_is_dead_lettered_while_good_articles_flow(deployment):
    good = [
        orjson.dumps({"id": f"good-{i}", "source": "site-x", "text": f"Body number {i}. " * 20})
        for i in range(3)
    ]
    bad = {
        "invalid_json": b'{"id": "broken", "source": ',
        "schema": orjson.dumps({"id": "no-source", "text": "x", "source": 42}),
        "empty_body": orjson.dumps({"id": "empty", "source": "site-x", "text": "   "}),
        "too_large": orjson.dumps({"id": "huge", "source": "site-x", "text": "x" * 70000}),
        "bad_encoding": b'{"id": "latin1", "source": "site-x", "text": "caf\xe9"}',
        "not_object": b"[1, 2, 3]",
    }
    values = [good[0], *bad.values(), good[1], good[2]]
    await deployment.produce(deployment.names.raw, values, keys=[b"site-x"] * len(values))
    letters = await deployment.read(deployment.names.dlq, until=len(bad))
    assert Counter(letter["reason"] for letter in letters) == Counter(bad.keys())
    by_reason = {letter["reason"]: letter for letter in letters}
    for reason, original in bad.items():
        letter = by_reason[reason]
        assert letter["topic"] == deployment.names.raw and letter["offset"] is not None
        assert letter["message"]
        restored = (
            letter["original"].encode()
            if letter["encoding"] == "utf-8"
            else __import__("base64").b64decode(letter["original"])
        )
        assert restored == original
    wanted = {"good-0", "good-1", "good-2"}
    tagged = await deployment.read(
        deployment.names.tagged, timeout=30, done=lambda values: wanted <= {v["id"] for v in values}
    )
    assert wanted <= {record["id"] for record in tagged}
