"""Fingerprints: what they ignore (spelling, paragraph order, short chrome lines) and that they are stable."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np

from agents.dedup import DedupOptions
from agents.dedup import variants as V
from agents.dedup.fingerprint import Fingerprinter
from agents.dedup.records import band_keys
from tests.unit.dedup.dedup_texts import AR_ORIGINAL, EN_ORIGINAL

REPO = Path(__file__).resolve().parents[3]


def fingerprint(text: str, options: DedupOptions = DedupOptions()):
    result = Fingerprinter(options).fingerprint(text)
    assert result is not None
    return result


def test_spelling_variants_share_the_exact_hash_and_the_minhash():
    original = fingerprint(AR_ORIGINAL)
    respelled = fingerprint(V.repost(AR_ORIGINAL, random.Random(1)))
    assert respelled.exact_hash == original.exact_hash
    assert np.array_equal(respelled.minhash, original.minhash)


def test_moving_whole_paragraphs_keeps_the_shingle_set():
    paragraphs = V.paragraphs(EN_ORIGINAL)
    moved = "\n\n".join(paragraphs[2:] + paragraphs[:2])
    original, shuffled = fingerprint(EN_ORIGINAL), fingerprint(moved)
    assert shuffled.exact_hash != original.exact_hash
    assert np.array_equal(shuffled.minhash, original.minhash)
    assert shuffled.shingle_count == original.shingle_count
    assert np.array_equal(shuffled.sample, original.sample)


def test_short_chrome_lines_stay_out_of_the_exact_hash():
    with_chrome = "Home | World\n\n" + EN_ORIGINAL + "\n\nShare this article"
    assert fingerprint(with_chrome).exact_hash == fingerprint(EN_ORIGINAL).exact_hash


def test_sample_is_about_one_in_sample_rate_of_the_shingles():
    for rate in (2, 4):
        result = fingerprint(EN_ORIGINAL + "\n\n" + AR_ORIGINAL, DedupOptions(sample_rate=rate))
        expected = result.shingle_count / rate
        assert abs(len(result.sample) - expected) < 4 * np.sqrt(expected)


def test_lead_holds_the_first_long_paragraph_openings():
    result = fingerprint("Short line\n\n" + EN_ORIGINAL)
    assert len(result.lead) == 3
    truncated = fingerprint(V.truncated(EN_ORIGINAL, 0.3))
    assert truncated.lead[0] == result.lead[0]


def test_band_keys_differ_per_band_and_follow_the_minhash():
    result = fingerprint(EN_ORIGINAL)
    keys = band_keys(result.minhash, 32, 2)
    assert len(set(keys)) == 32
    changed = result.minhash.copy()
    changed[5] ^= 1
    assert sum(a != b for a, b in zip(keys, band_keys(changed, 32, 2), strict=True)) == 1


def test_fingerprints_are_identical_in_another_process_with_another_hash_seed():
    script = (
        "import json, sys; from agents.dedup.fingerprint import Fingerprinter;"
        "from agents.dedup import DedupOptions;"
        "f = Fingerprinter(DedupOptions()).fingerprint(sys.stdin.read());"
        "print(json.dumps([f.exact_hash, f.minhash.tolist(), list(f.lead), f.sample.tolist()]))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(REPO)}
    output = subprocess.run(
        [sys.executable, "-c", script], input=AR_ORIGINAL, capture_output=True, text=True, env=env, check=True
    ).stdout
    here = fingerprint(AR_ORIGINAL)
    assert json.loads(output) == [
        here.exact_hash,
        here.minhash.tolist(),
        list(here.lead),
        here.sample.tolist(),
    ]
