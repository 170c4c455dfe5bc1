"""Dedup benchmark: recall/precision on generated copy and look-alike pairs, throughput and memory at scale.

    python -m bench.dedup_bench [--sizes 10000,100000] [--probes 5000] [--pairs-per-kind 500]

Prints one JSON object to stdout (progress on stderr).

Bodies: the ANT corpus v2.1 (Chouigui, Ben Khiroun, Elayeb, AJSE 46(8) 2021, DOI 10.1007/s13369-020-05258-z)
from ``../shared/corpora/ant-v2.1.jsonl.gz`` when present, else the sample articles newsstream ships
(``streams/data/sample/articles.jsonl``, body lines only); the JSON says which.

Quality: copy pairs (original, then a copy two hours later, built by :mod:`agents.dedup.variants`: repost,
re-headed, 5% and 10% words dropped/changed, truncated to 60-70% and to 35-50%, paragraphs reordered) must
be found; look-alike pairs must not: same-day, same-category articles of different outlets (pairs whose exact
word 3-shingle containment is 0.3 or more either way are wire copies, not look-alikes, and are counted apart),
two unrelated articles carrying one long quotation, two unrelated articles under one site's chrome, and
updates whose appended text is 30% (the documented boundary) or 35-50% of them. Every pair is checked on a
fresh store. The same pairs go through datasketch ``MinHashLSH`` (threshold 0.8, 128 permutations, word
5-shingles of the normalised text), the plain design the issue compares against.

Throughput: ``check`` on ``--probes`` articles (30% copies of stored ones) after the store holds N
signatures (corpus bodies, then bodies derived from them with half the words replaced); wall-clock and
CPU-time rates are both given (the CPU rate is the fair one on a shared machine); the filled dict is
frozen out of the garbage collector while timing (in a worker the store is rocksdb, off the Python heap;
a full collection over millions of dict-store lists would otherwise dominate); memory is the JSON size
of the store per stored article (what a rocksdb table and its changelog hold) and the Python heap per
article of a dict store (tracemalloc, first size only).
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import random
import re
import sys
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from agents.dedup import DedupInput, Deduplicator, DedupOptions
from agents.dedup import variants as V
from agents.text import normalize, tokens

REPO = Path(__file__).resolve().parents[1]
ANT = REPO.parent / "shared" / "corpora" / "ant-v2.1.jsonl.gz"
SAMPLE = REPO / "streams" / "data" / "sample" / "articles.jsonl"
ANT_CITATION = (
    "ANT corpus v2.1 (Chouigui, Ben Khiroun, Elayeb, AJSE 46(8) 2021, DOI 10.1007/s13369-020-05258-z)"
)
T0 = datetime(2018, 3, 1, tzinfo=UTC)
_SENTENCE_RE = re.compile(r"[^.!?؟\n]+[.!?؟]?")
LONG_CHROME = (
    "الرئيسية أخبار عربية دولية اقتصاد رياضة ثقافة تكنولوجيا فيديو صور",
    "تابعونا على فيسبوك وتويتر وإنستغرام ويوتيوب للحصول على آخر الأخبار العاجلة أولا بأول على مدار الساعة",
    "جميع الحقوق محفوظة لموقع الأخبار العربية 2018 ولا يجوز نشر أو نسخ أي جزء من المحتوى دون إذن مسبق",
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load_articles() -> tuple[list[dict[str, Any]], str]:
    if ANT.exists():
        with gzip.open(ANT, "rb") as handle:
            rows = [orjson.loads(line) for line in handle]
        return [r for r in rows if r.get("text")], ANT_CITATION
    rows = [orjson.loads(line) for line in SAMPLE.read_bytes().splitlines() if line.strip()]
    for row in rows:
        row["text"] = "\n".join(line for line in row["text"].split("\n") if len(line.split()) >= 12)
        row.setdefault("category", "sample")
        row.setdefault("published_at", row.get("fetched_at", "2025-01-01T00:00:00Z"))
    return [r for r in rows if r["text"]], "shipped sample streams/data/sample/articles.jsonl (ANT absent)"


def word_count(text: str) -> int:
    return len(text.split())


def shingle_set(text: str, size: int = 3) -> set[tuple[str, ...]]:
    words = tokens(normalize(text))
    return {tuple(words[i : i + size]) for i in range(max(1, len(words) - size + 1))}


def max_containment(a: str, b: str) -> float:
    left, right = shingle_set(a), shingle_set(b)
    shared = len(left & right)
    return max(shared / len(left), shared / len(right))


# ---------------------------------------------------------------- pair sets


def copy_pairs(
    articles: list[dict[str, Any]], rng: random.Random, per_kind: int
) -> list[tuple[str, str, str]]:
    longish = [a["text"] for a in articles if word_count(a["text"]) >= 80]
    vocabulary = [w for text in rng.sample(longish, min(200, len(longish))) for w in text.split()]
    makers: dict[str, Callable[[str], str]] = {
        "repost": lambda t: V.repost(t, rng),
        "reheaded": lambda t: V.reheaded(t, rng),
        "dropped_or_changed_5pct": lambda t: V.edited(t, rng, 0.05, vocabulary),
        "dropped_or_changed_10pct": lambda t: V.edited(t, rng, 0.10, vocabulary),
        "truncated_60_70pct": lambda t: V.truncated(t, rng.uniform(0.6, 0.7)),
        "truncated_35_50pct": lambda t: V.truncated(t, rng.uniform(0.35, 0.5)),
        "reordered": lambda t: V.reordered(t, rng),
    }
    pairs = []
    for kind, make in makers.items():
        for text in rng.sample(longish, min(per_kind, len(longish))):
            pairs.append((kind, text, make(text)))
    return pairs


def lookalike_pairs(
    articles: list[dict[str, Any]], rng: random.Random, per_kind: int
) -> tuple[list[tuple[str, str, str]], dict[str, int]]:
    by_day: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for article in articles:
        by_day[(article["published_at"][:10], article.get("category", ""))].append(article)
    candidates = []
    for group in by_day.values():
        for i in range(len(group)):
            for j in range(i + 1, len(group)):
                if group[i]["source"] != group[j]["source"]:
                    candidates.append((group[i]["text"], group[j]["text"]))
    rng.shuffle(candidates)
    pairs: list[tuple[str, str, str]] = []
    excluded = 0
    for first, second in candidates:
        if len([p for p in pairs if p[0] == "same_day_same_category"]) >= 2 * per_kind:
            break
        if max_containment(first, second) >= 0.3:
            excluded += 1
            continue
        pairs.append(("same_day_same_category", first, second))
    texts = [a["text"] for a in articles if word_count(a["text"]) >= 80]
    for _ in range(per_kind):
        first, second, donor = _unrelated(texts, rng, 3)
        donor_words = donor.split()
        start = rng.randrange(0, max(1, len(donor_words) - 60))
        quotation = " ".join(donor_words[start : start + rng.randint(40, 60)])
        pairs.append(
            ("shared_long_quotation", V.quoting(first, quotation, rng), V.quoting(second, quotation, rng))
        )
    for _ in range(per_kind):
        first, second = _unrelated(texts, rng, 2)
        header, footer = "\n".join(LONG_CHROME[:2]), LONG_CHROME[2]
        pairs.append(("shared_boilerplate", f"{header}\n{first}\n{footer}", f"{header}\n{second}\n{footer}"))
    for _ in range(per_kind):
        original, donor = _unrelated(texts, rng, 2)
        share = rng.uniform(0.35, 0.5)
        pairs.append(
            ("update_35_50pct_new", original, V.updated(original, _addition(original, donor, share)))
        )
    for _ in range(per_kind):
        original, donor = _unrelated(texts, rng, 2)
        pairs.append(("update_30pct_new", original, V.updated(original, _addition(original, donor, 0.3))))
    return pairs, {"same_day_wire_copies_excluded": excluded}


def _unrelated(texts: list[str], rng: random.Random, count: int) -> list[str]:
    """``count`` texts of which no two share 10% or more of their word 3-shingles (the corpus has copies)."""
    while True:
        picked = rng.sample(texts, count)
        if all(max_containment(a, b) < 0.1 for i, a in enumerate(picked) for b in picked[i + 1 :]):
            return picked


def _addition(original: str, donor: str, share: float) -> str:
    """Paragraphs of ``donor`` (repeated if short) making ``share`` of ``original + addition``."""
    wanted = round(word_count(original) * share / (1 - share))
    words = (donor.split() * (wanted // max(1, word_count(donor)) + 1))[:wanted]
    return "\n".join(" ".join(words[i : i + 40]) for i in range(0, len(words), 40))


def run_newsstream(pairs: list[tuple[str, str, str]]) -> list[bool]:
    found = []
    for index, (_, first, second) in enumerate(pairs):
        dedup = Deduplicator({})
        dedup.check(DedupInput(f"p{index}a", "first", "", first, T0))
        verdict = dedup.check(DedupInput(f"p{index}b", "second", "", second, T0 + timedelta(hours=2)))
        found.append(verdict.duplicate_of == f"p{index}a")
    return found


def run_datasketch(pairs: list[tuple[str, str, str]]) -> list[bool]:
    from datasketch import MinHash, MinHashLSH

    def signature(text: str) -> MinHash:
        words = tokens(normalize(text))
        shingles = {" ".join(words[i : i + 5]).encode() for i in range(max(1, len(words) - 4))}
        minhash = MinHash(num_perm=128, seed=1)
        minhash.update_batch(list(shingles))
        return minhash

    found = []
    for _, first, second in pairs:
        lsh = MinHashLSH(threshold=0.8, num_perm=128)
        lsh.insert("first", signature(first))
        found.append("first" in lsh.query(signature(second)))
    return found


def quality(articles: list[dict[str, Any]], per_kind: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    copies = copy_pairs(articles, rng, per_kind)
    lookalikes, notes = lookalike_pairs(articles, rng, per_kind)
    log(f"quality: {len(copies)} copy pairs, {len(lookalikes)} look-alike pairs")
    report: dict[str, Any] = {"copy_pairs": len(copies), "lookalike_pairs": len(lookalikes), **notes}
    for name, runner in (("newsstream", run_newsstream), ("datasketch_lsh_0.8", run_datasketch)):
        started = time.perf_counter()
        hits = runner(copies)
        false_hits = runner(lookalikes)
        per_kind_recall: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for (kind, _, _), hit in zip(copies, hits, strict=True):
            per_kind_recall[kind][0] += hit
            per_kind_recall[kind][1] += 1
        per_kind_false: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for (kind, _, _), hit in zip(lookalikes, false_hits, strict=True):
            per_kind_false[kind][0] += hit
            per_kind_false[kind][1] += 1
        true_positives, false_positives = sum(hits), sum(false_hits)
        report[name] = {
            "recall": round(true_positives / len(hits), 4),
            "precision": round(true_positives / max(1, true_positives + false_positives), 4),
            "false_duplicates": false_positives,
            "nonduplicate_pairs": len(false_hits),
            "recall_by_kind": {k: round(v[0] / v[1], 4) for k, v in per_kind_recall.items()},
            "false_duplicates_by_kind": {k: f"{v[0]}/{v[1]}" for k, v in per_kind_false.items()},
            "seconds": round(time.perf_counter() - started, 2),
        }
        log(f"{name}: recall {report[name]['recall']} false duplicates {false_positives}")
    return report


# ---------------------------------------------------------------- throughput


class BodyFactory:
    """Corpus bodies first; past them, new bodies made from a corpus body with half its words replaced by
    corpus words, so they keep its shape and vocabulary but, like different articles, share few shingles."""

    def __init__(self, articles: list[dict[str, Any]], rng: random.Random) -> None:
        self._bodies = [a["text"] for a in articles if word_count(a["text"]) >= 40]
        self._vocabulary = [w for text in self._bodies[:2000] for w in text.split()]
        self._rng = rng

    def body(self, index: int) -> str:
        if index < len(self._bodies):
            return self._bodies[index]
        rng, vocabulary = self._rng, self._vocabulary
        base = self._bodies[(index * 7919) % len(self._bodies)]
        return "\n".join(
            " ".join(word if rng.random() < 0.5 else rng.choice(vocabulary) for word in line.split())
            for line in base.split("\n")
        )


def fill(
    dedup: Deduplicator, factory: BodyFactory, count: int, span: timedelta, texts: dict[str, str] | None
) -> list[str]:
    step = span / max(1, count)
    kept: list[str] = []
    for index in range(count):
        body = factory.body(index)
        dedup.check(DedupInput(f"s{index}", f"outlet{index % 5}", "", body, T0 + step * index))
        if texts is not None:
            texts[f"s{index}"] = body
        if index % 97 == 0:
            kept.append(body)
        if index and index % 100_000 == 0:
            log(f"  filled {index}")
    return kept


def throughput(articles: list[dict[str, Any]], sizes: list[int], probes: int, seed: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    options = DedupOptions()
    for position, size in enumerate(sizes):
        rng = random.Random(seed + size)
        factory = BodyFactory(articles, rng)
        store: dict[str, Any] = {}
        dedup = Deduplicator(store, options)
        log(f"throughput: filling {size} signatures")
        measure_heap = position == 0 and size <= 100_000
        texts: dict[str, str] | None = {} if size <= 100_000 else None
        if measure_heap:
            tracemalloc.start()
        started = time.perf_counter()
        stored_bodies = fill(dedup, factory, size, timedelta(days=6), texts)
        fill_seconds = time.perf_counter() - started
        heap_per_article = None
        if measure_heap:
            heap_per_article = round(tracemalloc.get_traced_memory()[0] / size)
            tracemalloc.stop()
        json_bytes = sum(len(key) + len(orjson.dumps(value)) for key, value in store.items())
        gc.collect()
        gc.freeze()
        probe_items = []
        when = T0 + timedelta(days=6, minutes=1)
        for index in range(probes):
            is_copy = rng.random() < 0.3
            text = V.edited(rng.choice(stored_bodies), rng, 0.05) if is_copy else factory.body(size + index)
            source = "copy" if is_copy else "new"
            probe_items.append(DedupInput(f"q{index}", source, "", text, when + timedelta(seconds=index)))
        started, cpu_started = time.perf_counter(), time.process_time()
        verdicts = [dedup.check(probe) for probe in probe_items]
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
        gc.unfreeze()
        log(f"  timing: {seconds:.4f} s wall, {cpu_seconds:.4f} s CPU")
        found = [v.duplicate_of is not None for v in verdicts]
        copies = sum(probe.source == "copy" for probe in probe_items)
        copies_found = sum(
            hit for probe, hit in zip(probe_items, found, strict=True) if probe.source == "copy"
        )
        results[str(size)] = {
            "articles_per_second": round(probes / seconds),
            "articles_per_cpu_second": round(probes / cpu_seconds),
            "microseconds_per_article": round(seconds / probes * 1e6, 1),
            "probes": probes,
            "probe_copies_found": f"{copies_found}/{copies}",
            "probe_new_articles_called_duplicate": sum(found) - copies_found,
            "of_which_by_exact_3shingle_containment": _overlap_classes(probe_items, verdicts, texts),
            "fill_articles_per_second": round(size / fill_seconds),
            "store_keys": len(store),
            "store_json_bytes_per_article": round(json_bytes / size),
            "python_heap_bytes_per_article": heap_per_article,
        }
        log(f"  {size}: {results[str(size)]}")
        del store, dedup
    return results


def _overlap_classes(
    probe_items: list[DedupInput], verdicts: list[Any], texts: dict[str, str] | None
) -> dict[str, int] | str:
    """How much text each "new" probe called a copy really shares with the article it matched.

    The corpus repeats itself (one article filed under two categories, wire stories rewritten by two
    outlets), so a "new" probe called a copy is not necessarily wrong; the smaller of the two exact word
    3-shingle containments says which it is.
    """
    if texts is None:
        return "not measured above 100k stored"
    classes = {"at_least_0.8": 0, "0.5_to_0.8": 0, "below_0.5": 0}
    for probe in probe_items:
        texts[probe.article_id] = probe.text
    for probe, verdict in zip(probe_items, verdicts, strict=True):
        if probe.source != "new" or verdict.matched_id is None:
            continue
        left, right = shingle_set(probe.text), shingle_set(texts[verdict.matched_id])
        shared = len(left & right)
        overlap = min(shared / len(left), shared / len(right))
        key = "at_least_0.8" if overlap >= 0.8 else "0.5_to_0.8" if overlap >= 0.5 else "below_0.5"
        classes[key] += 1
    return classes


def minhash_costs(articles: list[dict[str, Any]]) -> dict[str, float]:
    """Microseconds per article to MinHash the same word 3-shingles: rensa (used) vs datasketch."""
    import numpy as np
    import rensa
    from datasketch import MinHash

    texts = [a["text"] for a in articles[:1000]]
    shingle_lists = []
    for text in texts:
        words = tokens(normalize(text))
        shingle_lists.append(list({" ".join(words[i : i + 3]) for i in range(max(1, len(words) - 2))}))
    hashed = [
        np.array([hash(s) & (2**63 - 1) for s in shingles], dtype=np.uint64) for shingles in shingle_lists
    ]
    started = time.process_time()
    for values in hashed:
        rensa.RMinHash.digest_matrix_from_flat_token_hashes(values, [0, len(values)], 128, 1).to_rows()
    rensa_us = (time.process_time() - started) / len(texts) * 1e6
    started = time.process_time()
    for shingles in shingle_lists:
        minhash = MinHash(num_perm=128)
        minhash.update_batch([s.encode() for s in shingles])
    datasketch_us = (time.process_time() - started) / len(texts) * 1e6
    return {"rensa_prehashed": round(rensa_us, 1), "datasketch": round(datasketch_us, 1)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="stored signatures before timing, comma list")
    parser.add_argument("--probes", type=int, default=5000)
    parser.add_argument("--pairs-per-kind", type=int, default=500)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--skip-quality", action="store_true")
    args = parser.parse_args(argv)
    articles, corpus = load_articles()
    log(f"corpus: {corpus} ({len(articles)} articles)")
    report: dict[str, Any] = {"benchmark": "dedup", "corpus": corpus, "options": _options_summary()}
    if not args.skip_quality:
        report["quality"] = quality(articles, args.pairs_per_kind, args.seed)
    report["minhash_microseconds_per_article"] = minhash_costs(articles)
    sizes = [int(size) for size in args.sizes.split(",") if size]
    report["throughput"] = throughput(articles, sizes, args.probes, args.seed)
    report["targets"] = _targets(report)
    print(json.dumps(report, ensure_ascii=False))


def _targets(report: dict[str, Any]) -> dict[str, Any]:
    """The issue's targets, met or not (``None`` when this run did not measure it)."""
    ours = report.get("quality", {}).get("newsstream")
    at_100k = report["throughput"].get("100000")
    return {
        "recall_at_least_0.97": None if ours is None else ours["recall"] >= 0.97,
        "zero_false_duplicates": None if ours is None else ours["false_duplicates"] == 0,
        "5000_articles_per_cpu_second_at_100k": None
        if at_100k is None
        else at_100k["articles_per_cpu_second"] >= 5000,
    }


def _options_summary() -> dict[str, Any]:
    options = DedupOptions()
    return {
        "shingle_size": options.shingle_size,
        "num_perm": options.num_perm,
        "bands_x_rows": f"{options.bands}x{options.rows}",
        "window_days": options.window.total_seconds() / 86400,
        "max_new_fraction": options.max_new_fraction,
        "min_kept_fraction": options.min_kept_fraction,
        "min_truncated_fraction": options.min_truncated_fraction,
    }


if __name__ == "__main__":
    main()
