"""A deterministic, realistic article stream for benchmarks.

Bodies come from the ANT corpus v2.1 when ``../shared/corpora/ant-v2.1.jsonl.gz`` is present (A. Chouigui,
O. Ben Khiroun, B. Elayeb, "An Arabic Multi-source News Corpus: Experimenting on Single-document Extractive
Summarization", Arabian Journal for Science and Engineering 46(8), 2021, DOI 10.1007/s13369-020-05258-z;
antcorpus.github.io), else from the sample corpus newsstream ships. Each body is wrapped in generated
site chrome (masthead, navigation line of other headlines, related-story list, tag line), about 30% of
the stream are syndicated or edited copies, and the shipped Persian and English samples are mixed in.
"""

from __future__ import annotations

import gzip
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

REPO = Path(__file__).resolve().parents[1]
ANT = REPO.parent / "shared" / "corpora" / "ant-v2.1.jsonl.gz"
SAMPLE = REPO / "streams" / "data" / "sample" / "articles.jsonl"
ANT_CITATION = (
    "ANT corpus v2.1: A. Chouigui, O. Ben Khiroun, B. Elayeb, Arabian Journal for Science and Engineering "
    "46(8), 2021, DOI 10.1007/s13369-020-05258-z"
)

OUTLETS = [
    ("wire-east", "وكالة الشرق للأنباء", "الرئيسية أخبار عربية دولية اقتصاد رياضة"),
    ("al-yawm", "صحيفة اليوم الإخبارية", "أخبار محلية | سياسة | منوعات | فيديو"),
    ("nile-desk", "بوابة النيل", "الصفحة الرئيسية » أخبار » العالم"),
    ("gulf-times-ar", "الخليج تايمز عربي", "اقتصاد سياسة ثقافة رياضة تكنولوجيا"),
    ("levant-news", "أخبار المشرق", "آخر الأخبار تقارير مقالات الرأي"),
]


def corpus_source() -> str:
    return "ant" if ANT.exists() else "sample"


def _ant_articles(limit: int) -> Iterator[dict[str, Any]]:
    with gzip.open(ANT, "rb") as handle:
        for count, line in enumerate(handle):
            if count >= limit:
                return
            yield orjson.loads(line)


def _sample_articles() -> list[dict[str, Any]]:
    if not SAMPLE.exists():
        return []
    return [orjson.loads(line) for line in SAMPLE.read_bytes().splitlines() if line.strip()]


def _wrap(rng: random.Random, outlet: tuple[str, str, str], title: str, body: str, titles: list[str]) -> str:
    _, name, nav = outlet
    others = " ".join(rng.sample(titles, k=min(6, len(titles)))) if titles else ""
    related = [f"• {t}" for t in rng.sample(titles, k=min(3, len(titles)))] if titles else []
    lines = [
        name,
        name,
        nav,
        others,
        "",
        title,
        "",
        *body.split("\n"),
        "",
        "اقرأ أيضا",
        *related,
        f"كلمات دلالية: {' '.join(title.split()[:4])}",
        "شارك هذا المقال",
        "زر الذهاب إلى الأعلى",
    ]
    return "\n".join(lines)


def _variant(rng: random.Random, body: str) -> str:
    kind = rng.choice(["exact", "drop", "truncate", "reorder"])
    if kind == "exact":
        return body
    paragraphs = [p for p in body.split("\n") if p.strip()]
    if kind == "truncate" and len(paragraphs) > 2:
        return "\n".join(paragraphs[: max(1, int(len(paragraphs) * 0.66))])
    if kind == "reorder" and len(paragraphs) > 2:
        rng.shuffle(paragraphs)
        return "\n".join(paragraphs)
    words = body.split(" ")
    return " ".join(w for w in words if rng.random() > 0.06)


def build_stream(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` RawArticle dicts in event-time order; deterministic for a seed."""
    rng = random.Random(seed)
    base: list[dict[str, Any]] = []
    if ANT.exists():
        base = [a for a in _ant_articles(max(count, 1000)) if len(a.get("text", "")) > 400]
    samples = _sample_articles()
    if not base:
        base = [s for s in samples if s.get("language", "ar") == "ar"] or samples
    others = [s for s in samples if s.get("language") in ("fa", "en")]
    titles = [a.get("title", "") for a in base[:500] if a.get("title")]
    start = datetime(2018, 3, 1, tzinfo=UTC)
    stream: list[dict[str, Any]] = []
    originals: list[tuple[str, str, str]] = []
    for index in range(count):
        when = start + timedelta(seconds=30 * index)
        roll = rng.random()
        if originals and roll < 0.30:
            title, body, orig_source = rng.choice(originals[-200:])
            outlet = rng.choice([o for o in OUTLETS if o[0] != orig_source])
            text = _wrap(rng, outlet, title, _variant(rng, body), titles)
            record = {"id": f"b{seed}-{index}", "source": outlet[0], "text": text}
        elif others and roll < 0.36:
            sample = rng.choice(others)
            record = {"id": f"b{seed}-{index}", "source": sample["source"], "text": sample["text"]}
            if sample.get("title"):
                record["title"] = sample["title"]
        else:
            article = base[index % len(base)]
            outlet = OUTLETS[index % len(OUTLETS)]
            body = article["text"][:4000]
            title = article.get("title") or body.split("\n", 1)[0][:120]
            originals.append((title, body, outlet[0]))
            record = {
                "id": f"b{seed}-{index}",
                "source": outlet[0],
                "text": _wrap(rng, outlet, title, body, titles),
            }
        record["fetched_at"] = when.isoformat()
        stream.append(record)
    return stream
