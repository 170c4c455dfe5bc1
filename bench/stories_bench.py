"""Story clustering benchmark: B-cubed quality on a labelled multi-story corpus, and core throughput.

    python -m bench.stories_bench [--throughput-articles 5000] [--live-stories 10000] [--no-distractors]

Prints one JSON object to stdout (progress on stderr). Quality: the labelled set is 398 articles of 64 stories
(Feb-May 2018, five outlets) from the ANT corpus v2.1 (Chouigui, Ben Khiroun, Elayeb, AJSE 46(8) 2021,
DOI 10.1007/s13369-020-05258-z), labels in ``bench/data/ant_story_labels.jsonl`` (article id -> story; built
from same-day title overlap across outlets, then checked by reading every title), plus the project's own
English/Persian reports of the seed events (``tests/fixtures/stories``) and, when ``../shared`` is present,
the five seed pages; and a held-out day pair (8-9 May 2018, all 297 international and Middle-East articles)
grouped by someone who had not seen the clusterer (``bench/data/ant_story_labels_heldout.jsonl``, ids only).
"with_distractors" clusters every unlabelled international/Middle-East article of the
same period in the same stream and scores only the labelled ones (a distractor that glues two stories hurts).
Throughput: the core alone (entities tagged beforehand), measured after ``--live-stories`` live stories exist;
wall-clock and CPU-time rates are both given because a shared machine's load inflates the wall clock.
Without the corpus both parts fall back to what the repository ships and say so in the JSON.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from agents.stories import EntityRef, StoryClusterer, StoryInput, StoryOptions
from agents.stories.features import title_terms

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
ANT = SHARED / "corpora" / "ant-v2.1.jsonl.gz"
LABELS = REPO / "bench" / "data" / "ant_story_labels.jsonl"
HELD_OUT_LABELS = REPO / "bench" / "data" / "ant_story_labels_heldout.jsonl"
FIXTURES = REPO / "tests" / "fixtures" / "stories"
ANT_CITATION = (
    "ANT corpus v2.1 (Chouigui, Ben Khiroun, Elayeb, AJSE 46(8) 2021, DOI 10.1007/s13369-020-05258-z)"
)

Tagger = Callable[[str, str], tuple[EntityRef, ...]]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def make_tagger() -> tuple[Tagger, str]:
    """The project's entity tagger if importable, else title key terms as pseudo-entities (said in JSON)."""
    try:
        from agents.entities.core import Gazetteer
        from agents.entities.core import Tagger as EntityTagger

        tagger = EntityTagger(Gazetteer.load())

        def tag(title: str, text: str) -> tuple[EntityRef, ...]:
            found = tagger.tag(title + "\n\n" + text, None)
            return tuple(
                EntityRef(item.id, item.name, f"{item.type}/{item.subtype or ''}", len(item.mentions))
                for item in found
            )

        return tag, "agents.entities tagger (shipped gazetteer)"
    except Exception as exc:  # the tagger is optional here; fall back and say why
        log(f"entity tagger unavailable ({exc!r}); using title key terms as pseudo-entities")

        def proxy(title: str, text: str) -> tuple[EntityRef, ...]:
            return tuple(EntityRef("term:" + term, term, "term", 1) for term in title_terms(title)[:6])

        return proxy, "proxy: normalised title key terms (agents.entities not importable)"


def _time(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _ant_rows(wanted: Callable[[dict[str, Any]], bool]) -> Iterable[dict[str, Any]]:
    with gzip.open(ANT, "rb") as handle:
        for line in handle:
            row = orjson.loads(line)
            if wanted(row):
                yield row


def _fixture_items() -> list[tuple[str, StoryInput]]:
    rows = []
    for line in (FIXTURES / "crosslingual_articles.jsonl").read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        refs = tuple(EntityRef(*ref) for ref in data["entities"])
        item = StoryInput(
            data["id"],
            data["source"],
            data["title"],
            data["text"],
            data["language"],
            _time(data["event_time"]),
            refs,
        )
        rows.append((data["label"], item))
    seeds = SHARED / "seeds" / "articles.jsonl"
    if seeds.exists():
        pages = {
            json.loads(line)["id"]: json.loads(line)
            for line in seeds.read_text(encoding="utf-8").splitlines()
        }
        spec = json.loads((FIXTURES / "seed_stories.json").read_text(encoding="utf-8"))
        for entry in spec["articles"]:
            page = pages[entry["id"]]
            start = page["text"].find(entry["title"][:20])
            body = page["text"][start:] if start >= 0 else page["text"]
            refs = tuple(EntityRef(*ref) for ref in entry["entities"])
            item = StoryInput(
                entry["id"], page["source"], entry["title"], body, "ar", _time(page["fetched_at"]), refs
            )
            rows.append((entry["label"], item))
    return rows


def bcubed(assigned: dict[str, str], labels: dict[str, str]) -> dict[str, float]:
    """B-cubed precision/recall/F1 over the labelled items (Bagga & Baldwin 1998, per-item average)."""
    clusters: dict[str, set[str]] = defaultdict(set)
    classes: dict[str, set[str]] = defaultdict(set)
    for item, label in labels.items():
        clusters[assigned[item]].add(item)
        classes[label].add(item)
    precision = recall = 0.0
    for item, label in labels.items():
        cluster = clusters[assigned[item]]
        same = len(cluster & classes[label])
        precision += same / len(cluster)
        recall += same / len(classes[label])
    count = len(labels)
    precision /= count
    recall /= count
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "stories_found": len(clusters),
        "stories_labelled": len(classes),
        "articles": count,
    }


def cluster(items: list[StoryInput], options: StoryOptions) -> tuple[dict[str, str], dict[str, int], float]:
    """Run the core over items in event-time order with the watermark advancing; return article -> story."""
    clusterer = StoryClusterer({}, options)
    raw: dict[str, str] = {}
    kinds: dict[str, int] = defaultdict(int)
    started = time.perf_counter()
    for item in sorted(items, key=lambda entry: (entry.event_time, entry.article_id)):
        story_id, events = clusterer.assign(item)
        raw[item.article_id] = story_id
        for event in events + clusterer.advance(item.event_time):
            kinds[event.kind] += 1
    elapsed = time.perf_counter() - started
    resolved = {article_id: clusterer.resolve(story_id) for article_id, story_id in raw.items()}
    return resolved, dict(kinds), elapsed


def quality(tag: Tagger, options: StoryOptions, distractors: bool) -> dict[str, Any]:
    fixtures = _fixture_items()
    fixture_labels = {item.article_id: "fixture:" + label for label, item in fixtures}
    result: dict[str, Any] = {}
    if not ANT.exists():
        assigned, kinds, _ = cluster([item for _, item in fixtures], options)
        result["corpus"] = "fallback: project fixtures only (ANT corpus absent)"
        result["fixtures"] = bcubed(assigned, fixture_labels)
        result["events"] = kinds
        return result
    labels = {}
    for line in LABELS.read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        labels[data["id"]] = data["story"]
    start, end = "2018-02-15", "2018-05-25"

    def wanted(row: dict[str, Any]) -> bool:
        if row["id"] in labels:
            return True
        return (
            distractors
            and row["category"] in ("internationalNews", "middleEast")
            and (start <= row["published_at"][:10] <= end)
        )

    log("reading and tagging the labelled ANT articles" + (" and distractors" if distractors else ""))
    ant_items: list[StoryInput] = []
    for row in _ant_rows(wanted):
        ant_items.append(
            StoryInput(
                row["id"], row["source"], row["title"], row["text"], "ar", _time(row["published_at"]),
                tag(row["title"], row["text"]),
            )
        )  # fmt: skip
    labelled = [item for item in ant_items if item.article_id in labels]
    log(f"{len(labelled)} labelled, {len(ant_items) - len(labelled)} distractors")
    fixture_inputs = [item for _, item in fixtures]
    assigned, kinds, _ = cluster(labelled + fixture_inputs, options)
    result["corpus"] = "ANT labelled subset + project fixtures (English/Persian/seed reports)"
    result["labelled_only"] = bcubed(assigned, {**labels, **fixture_labels})
    result["labelled_only"]["ant_only"] = bcubed(assigned, labels)
    result["labelled_only"]["fixtures_only"] = bcubed(assigned, fixture_labels)
    result["labelled_only"]["events"] = kinds
    cut = datetime(2018, 4, 1, tzinfo=UTC)
    early = {item.article_id: labels[item.article_id] for item in labelled if item.event_time < cut}
    late = {item.article_id: labels[item.article_id] for item in labelled if item.event_time >= cut}
    result["labelled_only"]["ant_feb_mar"] = bcubed(assigned, early)
    result["labelled_only"]["ant_apr_may"] = bcubed(assigned, late)
    if distractors:
        assigned, kinds, elapsed = cluster(ant_items + fixture_inputs, options)
        scored = bcubed(assigned, {**labels, **fixture_labels})
        scored["stream_articles"] = len(ant_items) + len(fixture_inputs)
        scored["stream_stories"] = len(set(assigned.values()))
        scored["events"] = kinds
        scored["seconds"] = round(elapsed, 3)
        result["with_distractors"] = scored
    outlets = {item.source for item in labelled}
    result["outlets"] = sorted(outlets)
    result["held_out"] = _held_out(tag, options)
    return result


def _held_out(tag: Tagger, options: StoryOptions) -> dict[str, Any]:
    """Every international and Middle-East article of 8-9 May 2018 (297), grouped into stories by someone
    who had not seen the clusterer (``ant_story_labels_heldout.jsonl``); scored as clustered in one stream."""
    labels = {}
    for line in HELD_OUT_LABELS.read_text(encoding="utf-8").splitlines():
        data = json.loads(line)
        labels[data["id"]] = data["story"]
    log(f"reading and tagging the {len(labels)} held-out articles")
    items = [
        StoryInput(
            row["id"], row["source"], row["title"], row["text"], "ar", _time(row["published_at"]),
            tag(row["title"], row["text"]),
        )
        for row in _ant_rows(lambda row: row["id"] in labels)
    ]  # fmt: skip
    assigned, _, _ = cluster(items, options)
    scored = bcubed(assigned, labels)
    sizes = defaultdict(int)
    for story in labels.values():
        sizes[story] += 1
    scored["in_multi_article_stories"] = bcubed(assigned, {a: s for a, s in labels.items() if sizes[s] > 1})
    return scored


def _synthetic(count: int, seed: int) -> list[tuple[str, str, tuple[EntityRef, ...]]]:
    """Fallback bodies for throughput: random Arabic-letter words with a Zipf-like vocabulary."""
    import random

    rng = random.Random(seed)
    letters = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
    vocabulary = ["".join(rng.choice(letters) for _ in range(rng.randint(3, 8))) for _ in range(20000)]
    weights = [1 / (rank + 1) for rank in range(len(vocabulary))]
    rows = []
    for index in range(count):
        words = rng.choices(vocabulary, weights, k=220)
        refs = tuple(
            EntityRef(f"ns:e{rng.randint(0, 3000)}", "x", "PERSON", rng.randint(1, 4)) for _ in range(5)
        )
        rows.append((" ".join(words[:9]), " ".join(words[9:]) + f" {index}", refs))
    return rows


def throughput(tag: Tagger, options: StoryOptions, live_target: int, measured: int) -> dict[str, Any]:
    """Fill the store to ``live_target`` live stories, then time ``measured`` more articles through assign.

    Articles keep their real publication times and order; dormancy/expiry are pushed out to a year so that
    every story founded stays live and in the index (the worst case for candidate retrieval).
    """
    options = replace(options, dormant_after_hours=24 * 300, expire_after_hours=24 * 365)
    needed = live_target * 3 + measured
    if ANT.exists():
        log(f"tagging up to {needed} ANT articles for the throughput run")
        rows = []
        for row in _ant_rows(lambda row: row["published_at"] >= "2018-02"):
            rows.append(
                (row["title"], row["text"], tag(row["title"], row["text"]), _time(row["published_at"]))
            )
            if len(rows) >= needed:
                break
        source = "ANT corpus v2.1 (all categories, publication order)"
    else:
        base = datetime(2018, 3, 1, tzinfo=UTC)
        rows = [
            (title, text, refs, base + timedelta(minutes=10 * index))
            for index, (title, text, refs) in enumerate(_synthetic(needed, 7))
        ]
        source = "synthetic fallback (ANT corpus absent)"
    store: dict[str, Any] = {}
    clusterer = StoryClusterer(store, options)
    position = 0

    def item(index: int) -> StoryInput:
        title, text, refs, moment = rows[index]
        return StoryInput(f"bench-{index}", f"outlet-{index % 5}", title, text, "ar", moment, refs)

    fill_started = time.perf_counter()
    while store.get("meta", {"live": 0})["live"] < live_target and position < len(rows) - measured:
        clusterer.assign(item(position))
        position += 1
    fill_seconds = time.perf_counter() - fill_started
    live_before = store["meta"]["live"]
    log(f"{live_before} live stories after {position} articles ({fill_seconds:.1f} s)")
    batch = [item(position + offset) for offset in range(measured)]
    started = time.perf_counter()
    cpu_started = time.process_time()
    for entry in batch:
        clusterer.assign(entry)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    redelivery_started = time.perf_counter()
    for entry in batch:
        clusterer.assign(entry)
    redelivery = time.perf_counter() - redelivery_started
    live = store["meta"]["live"]
    story_bytes = sum(len(orjson.dumps(value)) for key, value in store.items() if key.startswith("s:"))
    total_bytes = sum(len(key) + len(orjson.dumps(value)) for key, value in store.items())
    return {
        "source": source,
        "live_stories_before": live_before,
        "live_stories_after": live,
        "fill_articles": position,
        "fill_articles_per_second": round(position / fill_seconds, 1) if fill_seconds else None,
        "measured_articles": measured,
        "articles_per_second": round(measured / elapsed, 1),
        "articles_per_cpu_second": round(measured / cpu, 1) if cpu else None,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "redelivered_articles_per_second": round(measured / redelivery, 1),
        "store_keys": len(store),
        "store_bytes_json": total_bytes,
        "bytes_per_live_story_record": round(story_bytes / max(1, live)),
        "bytes_per_live_story_all_keys": round(total_bytes / max(1, live)),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--throughput-articles", type=int, default=5000)
    parser.add_argument("--live-stories", type=int, default=10000)
    parser.add_argument("--no-distractors", action="store_true")
    parser.add_argument("--skip-throughput", action="store_true")
    args = parser.parse_args(argv)
    options = StoryOptions()
    tag, tagger_name = make_tagger()
    report: dict[str, Any] = {
        "benchmark": "stories",
        "citation": ANT_CITATION if ANT.exists() else None,
        "entities": tagger_name,
        "options": asdict(options),
        "quality": quality(tag, options, not args.no_distractors),
    }
    if not args.skip_throughput:
        report["throughput"] = throughput(tag, options, args.live_stories, args.throughput_articles)
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main()
