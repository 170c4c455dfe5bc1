"""Cleaning benchmark: newsstream's cleaner against jusText and trafilatura, same input, same run.

Run ``python -m bench.clean_bench [--pages N]``. Prints one JSON object to stdout (progress on stderr):

- throughput in articles/s (CPU time of this process, one core) on ~4 KB pages: bodies of the ANT corpus
  v2.1 wrapped in generated site chrome (masthead, menu line, crumbs, date, counters, read-also teaser, tags,
  related list, footer) when ``../shared/corpora/ant-v2.1.jsonl.gz`` is present, else the project's own
  regression pages (tests/fixtures/clean) repeated;
- check scores (boilerplate gone, body kept) of all three extractors on the five seed pages (when
  ``../shared/seeds`` is present), on the regression corpus, on the held-out pages (tests/fixtures/
  clean_heldout: written, with their checks, by someone who had not seen the cleaner or the other pages) and
  on the generated ANT pages; our title, date and language checks are reported beside them.

jusText gets one ``<p>`` per line and the stoplist of the page's language (Arabic for the seeds and ANT);
trafilatura gets the same HTML (or the original HTML of HTML fixtures).
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import logging
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from agents.clean import Cleaner, PageInput
from agents.clean.evaluation import Score, score_fields, score_text
from agents.errors import BadArticle

logger = logging.getLogger("bench.clean")

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO / ".." / "shared"
ANT = SHARED / "corpora" / "ant-v2.1.jsonl.gz"
SEEDS = SHARED / "seeds"
FIXTURES = REPO / "tests" / "fixtures" / "clean"
HELD_OUT = REPO / "tests" / "fixtures" / "clean_heldout"
ANT_CITATION = (
    "ANT corpus v2.1 (Chouigui, Ben Khiroun, Elayeb, AJSE 46(8) 2021, DOI 10.1007/s13369-020-05258-z)"
)
PAGE_BYTES = 4096
STOPLISTS = {"ar": "Arabic", "fa": "Persian", "en": "English"}

_SITE_WORDS = [
    "الوطن",
    "النهار",
    "الحدث",
    "الشرق",
    "المستقبل",
    "البوابة",
    "الميدان",
    "الأفق",
    "الساحة",
    "الخبر",
]
_SITE_KINDS = ["بوابة", "صحيفة", "موقع", "شبكة", "جريدة"]
_EDITORS = ["محمد علي", "سارة حسن", "خالد منصور", "ليلى إبراهيم", "عمر يوسف", "هدى سالم"]
_MONTHS = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
]
_LEVANTINE = [
    "كانون الثاني",
    "شباط",
    "آذار",
    "نيسان",
    "أيار",
    "حزيران",
    "تموز",
    "آب",
    "أيلول",
    "تشرين الأول",
    "تشرين الثاني",
    "كانون الأول",
]
_WEEKDAYS = ["الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]


@dataclass(slots=True)
class BenchPage:
    """One page of the benchmark: cleaner input, the HTML peers get, and its checks."""

    page: PageInput
    peer_html: str
    language: str
    checks: dict[str, Any] = field(default_factory=dict)


_RESET = BenchPage(PageInput(source=""), "", "und")


def lines_to_html(text: str) -> str:
    """One ``<p>`` per non-empty line: how the issue fed jusText, and the HTML trafilatura gets."""
    paragraphs = "".join(f"<p>{html.escape(line.strip())}</p>\n" for line in text.split("\n") if line.strip())
    return f"<html><body>\n{paragraphs}</body></html>"


def _split_body(text: str) -> list[str]:
    paragraphs: list[str] = []
    for block in text.split("\n"):
        block = block.strip()
        while len(block) > 700:
            cut = block.find(". ", 350)
            if cut < 0:
                break
            paragraphs.append(block[: cut + 1])
            block = block[cut + 2 :].strip()
        if block:
            paragraphs.append(block)
    return paragraphs


def _chrome(
    template: int,
    site: tuple[str, str, list[str]],
    record: dict[str, Any],
    others: list[str],
    rng: random.Random,
) -> dict[str, Any]:
    """Site chrome of one of three page templates (Egyptian portal, Levantine daily, broadcaster).

    Returns the lines above the body, the blocks to insert into the body, the lines below it, the
    boilerplate strings that must be gone and the expected publication date.
    """
    _, site_name, (chairman, editor) = site
    published = datetime.fromisoformat(record["published_at"])
    title = record["title"].strip()
    if template == 0:
        counter = f"{rng.randint(5, 9000)} مشاهدة"
        date_line = (
            f"{_WEEKDAYS[published.weekday()]} {published.day} {_MONTHS[published.month - 1]}"
            f" {published.year} - {published.hour:02d}:{published.minute:02d}"
        )
        return {
            "above": [
                site_name,
                f"رئيس مجلس الإدارة {chairman} رئيس التحرير {editor}",
                " ".join(others[:6]),
                f"الرئيسية > {record['category']}",
                title,
                date_line,
                counter,
            ],
            "inserts": [[f"اقرأ أيضاً: {others[0]}"]],
            "below": [
                f"كلمات دلالية: {record['category']}، أخبار، {site_name}",
                "مقالات ذات صلة",
                *others[6:9],
                f"جميع الحقوق محفوظة © {published.year} {site_name}",
                "زر الذهاب إلى الأعلى",
            ],
            "drop": [site_name, "رئيس التحرير", others[1], "اقرأ أيضاً", others[0], others[7], counter],
            "published": published.date().isoformat(),
        }
    if template == 1:
        return {
            "above": [
                site_name,
                "Follow us on Google News",
                "الرئيسية",
                record["category"],
                title,
                f"بقلم: {editor}",
                f"آخر تحديث: {published.day} {_LEVANTINE[published.month - 1]} {published.year}",
                "شارك",
                "فيسبوك",
                "تويتر",
            ],
            "inserts": [["اقرأ أيضا", others[0]]],
            "below": ["الأكثر قراءة", *others[3:6], f"© {published.year} {site_name}. جميع الحقوق محفوظة"],
            "drop": [
                site_name,
                "Follow us",
                f"بقلم: {editor}",
                "آخر تحديث",
                others[0],
                others[4],
                "جميع الحقوق",
            ],
            "drop_lines": ["شارك", "فيسبوك", "تويتر"],
            "published": published.date().isoformat(),
        }
    hours = rng.randint(1, 9)
    return {
        "above": [
            "برای دریافت آخرین اخبار در کانال تلگرام ما عضو شوید",
            site_name,
            title,
            title,
            f"منذ {hours} ساعات",
        ],
        "inserts": [
            ["قصص موصى بها", "قائمة من 3 عناصر"]
            + [f"• قائمة {n} من 3{others[n]}" for n in (1, 2, 3)]
            + ["نهاية القائمة"],
            ["<الشكل>صورة من الحدث", f"{others[4]} [ملف: رويترز]"],
        ],
        "below": ["المصدر: وكالات", "موضوعات متعلقة", *others[5:8]],
        "drop": [
            "کانال تلگرام",
            "قائمة من 3 عناصر",
            others[2],
            "نهاية القائمة",
            "<الشكل>",
            "[ملف: رويترز]",
            "المصدر: وكالات",
            "موضوعات متعلقة",
            others[6],
        ],
        "published": (published + timedelta(hours=2) - timedelta(hours=hours))
        .astimezone(UTC)
        .date()
        .isoformat(),
        "fetched_at": published + timedelta(hours=2),
    }


def _ant_pages(limit: int) -> list[BenchPage]:
    """ANT bodies wrapped in the chrome of a dozen synthetic sites (three templates), about 4 KB each."""
    rng = random.Random(7)
    records: list[dict[str, Any]] = []
    with gzip.open(ANT, "rt", encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            if len(record.get("text", "")) >= 1200 and record.get("title"):
                records.append(record)
            if len(records) >= limit * 2:
                break
    rng.shuffle(records)
    records = records[:limit]
    titles = [r["title"].strip() for r in records]
    sites = []
    for number in range(12):
        suffix = rng.choice(["نيوز", "اليوم", "الإخبارية", "24"])
        name = f"{rng.choice(_SITE_KINDS)} {rng.choice(_SITE_WORDS)} {suffix}"
        sites.append((f"site-{number}", name, rng.sample(_EDITORS, 2)))
    pages: list[BenchPage] = []
    for index, record in enumerate(records):
        site_index = index % len(sites)
        site = sites[site_index]
        others = [t for t in rng.sample(titles, 10) if t != record["title"].strip()][:9]
        chrome = _chrome(site_index % 3, site, record, others, rng)
        inserts: list[list[str]] = chrome["inserts"]
        budget = PAGE_BYTES - len("\n".join(chrome["above"] + chrome["below"]).encode("utf-8"))
        budget -= sum(len("\n".join(block).encode("utf-8")) for block in inserts)
        body: list[str] = []
        for paragraph in _split_body(record["text"]):
            size = len(paragraph.encode("utf-8")) + 1
            if size > budget and body:
                break
            body.append(paragraph)
            budget -= size
        # ANT bodies sometimes end with the outlet's own related-links list; sample sentences only.
        sentences = [p for p in body if p.rstrip(' "»”').endswith(".") and len(p.split()) >= 8]
        if not sentences:
            continue
        page_body = list(body)
        for position, block in enumerate(inserts, start=1):
            if position < len(page_body):
                page_body[position * 2 - 1 : position * 2 - 1] = block
        text = "\n".join(chrome["above"] + page_body + chrome["below"])
        checks = {
            "title": record["title"].strip(),
            "published": chrome["published"],
            "language": "ar",
            "drop": chrome["drop"],
            "drop_lines": chrome.get("drop_lines", []),
            "keep": [sentences[0][:80], sentences[-1][-80:]],
        }
        published = datetime.fromisoformat(record["published_at"])
        fetched = chrome.get("fetched_at", published + timedelta(hours=2))
        page = PageInput(source=site[0], text=text, fetched_at=fetched, article_id=record["id"])
        pages.append(BenchPage(page, lines_to_html(text), "ar", checks))
    return pages


def _fixture_pages(folder: Path = FIXTURES) -> list[BenchPage]:
    pages = []
    for expected_path in sorted(folder.glob("*.expected.json")):
        name = expected_path.name.removesuffix(".expected.json")
        page_path = next(p for p in folder.glob(name + ".*") if not p.name.endswith(".expected.json"))
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
        content = page_path.read_text(encoding="utf-8")
        is_html = page_path.suffix == ".html"
        page = PageInput(
            source=expected["source"],
            text=None if is_html else content,
            html=content if is_html else None,
            fetched_at=datetime.fromisoformat(expected["fetched_at"]),
            article_id=name,
        )
        peer_html = content if is_html else lines_to_html(content)
        pages.append(BenchPage(page, peer_html, expected["language"], {**expected, "name": name}))
    return pages


def _seed_pages() -> list[BenchPage]:
    records_path = SEEDS / "articles.jsonl"
    checks_path = FIXTURES / "seed_checks.json"
    if not records_path.exists():
        return []
    checks = json.loads(checks_path.read_text(encoding="utf-8"))["pages"]
    pages = []
    for line in records_path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        page = PageInput(
            source=record["source"],
            text=record["text"],
            fetched_at=datetime.fromisoformat(record["fetched_at"].replace("Z", "+00:00")),
            article_id=record["id"],
        )
        pages.append(
            BenchPage(
                page, lines_to_html(record["text"]), "ar", {**checks[record["id"]], "name": record["id"]}
            )
        )
    return pages


def _extractors() -> dict[str, Callable[[BenchPage], str]]:
    import justext
    import trafilatura

    stoplists = {code: justext.get_stoplist(name) for code, name in STOPLISTS.items()}
    cleaners = [Cleaner({})]

    def ours(page: BenchPage) -> str:
        if page is _RESET:
            # Each throughput round starts from an empty chrome store, so every article is new to it
            # and pays for its store update, as in a worker.
            cleaners[0] = Cleaner({})
            return ""
        try:
            result = cleaners[0].clean(page.page)
        except BadArticle:
            return ""
        return result.title + "\n" + result.text

    def jus(page: BenchPage) -> str:
        if page is _RESET:
            return ""
        paragraphs = justext.justext(page.peer_html, stoplists.get(page.language, stoplists["ar"]))
        return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)

    def traf(page: BenchPage) -> str:
        if page is _RESET:
            return ""
        return trafilatura.extract(page.peer_html) or ""

    return {"newsstream": ours, "justext": jus, "trafilatura": traf}


def _throughput(
    extract: Callable[[BenchPage], str], pages: list[BenchPage], minimum_cpu: float
) -> dict[str, float]:
    rounds = 0
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    while True:
        extract(_RESET)
        for page in pages:
            extract(page)
        rounds += 1
        cpu = time.process_time() - cpu_start
        if cpu >= minimum_cpu:
            break
    wall = time.perf_counter() - wall_start
    articles = rounds * len(pages)
    return {
        "articles": articles,
        "cpu_seconds": round(cpu, 3),
        "articles_per_s": round(articles / cpu, 1),
        "articles_per_s_wall": round(articles / wall, 1),
    }


def _score(extract: Callable[[BenchPage], str], pages: list[BenchPage]) -> Score:
    total = Score()
    for page in pages:
        total.merge(
            score_text(extract(page), page.checks, page.checks.get("name", page.page.article_id or ""))
        )
    return total


def _our_fields(pages: list[BenchPage]) -> Score:
    cleaner = Cleaner({})
    total = Score()
    for page in pages:
        label = page.checks.get("name", page.page.article_id or "")
        try:
            result = cleaner.clean(page.page)
        except BadArticle as error:
            total.add(False, f"{label}: BadArticle {error.reason}")
            continue
        published = result.published_at.date().isoformat() if result.published_at else None
        total.merge(score_fields(result.title, published, result.language, page.checks, label))
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=400, help="generated ANT pages (default 400)")
    parser.add_argument("--min-cpu", type=float, default=2.0, help="CPU seconds per throughput run")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(message)s")

    fixtures = _fixture_pages()
    held_out = _fixture_pages(HELD_OUT) if HELD_OUT.is_dir() else []
    seeds = _seed_pages()
    if ANT.exists():
        logger.info("building %d pages from %s", args.pages, ANT)
        ant = _ant_pages(args.pages)
        throughput_pages, input_name = ant, "ANT bodies in generated chrome"
    else:
        logger.info("ANT corpus absent: using the regression corpus repeated")
        ant = []
        throughput_pages, input_name = [p for p in fixtures if p.page.text] * 30, "regression corpus repeated"
    extractors = _extractors()
    sizes = [len((p.page.text or p.page.html or "").encode("utf-8")) for p in throughput_pages]
    report: dict[str, Any] = {
        "benchmark": "clean",
        "input": input_name,
        "corpus": ANT_CITATION if ant else None,
        "pages": len(throughput_pages),
        "avg_page_bytes": round(sum(sizes) / len(sizes)),
        "throughput": {},
        "scores": {},
        "our_fields": {},
    }
    for name, extract in extractors.items():
        logger.info("throughput: %s", name)
        report["throughput"][name] = _throughput(extract, throughput_pages, args.min_cpu)
    ours = report["throughput"]["newsstream"]["articles_per_s"]
    report["speedup"] = {
        peer: round(ours / report["throughput"][peer]["articles_per_s"], 1)
        for peer in ("justext", "trafilatura")
    }
    named_sets = (("seeds", seeds), ("regression", fixtures), ("held_out", held_out), ("ant_generated", ant))
    for set_name, pages in named_sets:
        if not pages:
            continue
        logger.info("scores: %s", set_name)
        report["scores"][set_name] = {}
        for name, extract in extractors.items():
            score = _score(extract, pages)
            report["scores"][set_name][name] = {"passed": score.passed, "total": score.total}
            if name == "newsstream" and score.failures:
                report["scores"][set_name][name]["failures"] = score.failures[:10]
        fields = _our_fields(pages)
        report["our_fields"][set_name] = {
            "passed": fields.passed,
            "total": fields.total,
            "failures": fields.failures[:10],
        }
    json.dump(report, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
