"""HTML page → text lines plus the metadata the markup states (title, dates, author, tags, language).

Parsing uses selectolax (lexbor), never fetches anything, and drops elements that are never article text
(script, style, nav, header, footer, aside, form, ...). Each block element becomes one line, and each line
remembers how much of its text sits inside links, so a menu or a "related" list is recognisable by its
link density; the same line rules as for text input then apply.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

_DROPPED_TAGS = [
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "button",
    "select",
    "iframe",
    "svg",
    "canvas",
    "video",
    "audio",
    "object",
    "embed",
    "figcaption",
    "menu",
    "dialog",
]
_BLOCK_TAGS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "br",
        "tr",
        "td",
        "th",
        "table",
        "blockquote",
        "pre",
        "dd",
        "dt",
        "dl",
        "figure",
        "hr",
        "address",
        "body",
        "center",
        "details",
        "summary",
        "time",
    ]
)
_SPACE_RE = re.compile(r"\s+")
_JSONLD_DATE_RE = re.compile(r'"datePublished"\s*:\s*"([^"]+)"')


@dataclass(slots=True)
class HtmlPage:
    """Lines of an HTML page with their link density, and metadata from the markup."""

    lines: list[str] = field(default_factory=list)
    link_ratios: list[float] = field(default_factory=list)
    link_texts: list[list[str]] = field(default_factory=list)  # per line: the text of each link in it
    title: str | None = None
    published: list[str] = field(default_factory=list)
    author: str | None = None
    tags: list[str] = field(default_factory=list)
    language: str | None = None


def _meta(tree: LexborHTMLParser, *selectors: str) -> str | None:
    for selector in selectors:
        node = tree.css_first(selector)
        if node is not None:
            value = (node.attributes.get("content") or "").strip()
            if value:
                return value
    return None


def _jsonld_dates(tree: LexborHTMLParser) -> list[str]:
    dates: list[str] = []
    for node in tree.css('script[type="application/ld+json"]'):
        dates.extend(_JSONLD_DATE_RE.findall(node.text(deep=True) or ""))
    return dates


def _jsonld_fallback(tree: LexborHTMLParser) -> dict[str, Any]:
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(node.text(deep=True) or "")
        except ValueError:
            continue
        if isinstance(data, dict) and "headline" in data:
            return data
    return {}


class _LineBuilder:
    """Accumulates inline text into lines, flushing at block boundaries."""

    def __init__(self) -> None:
        self.page = HtmlPage()
        self._parts: list[str] = []
        self._links: list[str] = []
        self._link_chars = 0
        self._chars = 0

    def text(self, value: str, in_link: bool) -> None:
        if not value:
            return
        self._parts.append(value)
        size = len(value.strip())
        self._chars += size
        if in_link:
            self._link_chars += size

    def flush(self) -> None:
        if self._parts:
            line = _SPACE_RE.sub(" ", "".join(self._parts)).strip()
            if line:
                self.page.lines.append(line)
                self.page.link_ratios.append(self._link_chars / self._chars if self._chars else 0.0)
                self.page.link_texts.append(self._links)
        self._parts = []
        self._links = []
        self._link_chars = 0
        self._chars = 0

    def walk(self, node: LexborNode, in_link: bool) -> None:
        """Depth-first over ``node``'s children with an explicit stack: pages nest tags 10,000 deep."""
        # ("children", node, in_link) visits a node's children; ("text", value, in_link) adds inline text;
        # ("link", label) records a link on the current line; ("flush",) closes a block element.
        # Children are pushed in reverse so they pop in document order.
        stack: list[tuple[Any, ...]] = [("children", node, in_link)]
        while stack:
            item = stack.pop()
            kind = item[0]
            if kind == "flush":
                self.flush()
                continue
            if kind == "text":
                self.text(item[1], item[2])
                continue
            if kind == "link":
                self._links.append(item[1])
                continue
            _, parent, parent_in_link = item
            pending: list[tuple[Any, ...]] = []
            for child in parent.iter(include_text=True):
                tag = child.tag
                if tag == "-text":
                    pending.append(("text", child.text(deep=False) or "", parent_in_link))
                elif tag == "-comment":
                    continue
                elif tag in _BLOCK_TAGS:
                    pending += [("flush",), ("children", child, parent_in_link), ("flush",)]
                else:
                    if tag == "a" and not parent_in_link:
                        label = _SPACE_RE.sub(" ", child.text(deep=True) or "").strip()
                        if label:
                            pending.append(("link", label))
                    pending.append(("children", child, parent_in_link or tag == "a"))
            stack.extend(reversed(pending))


def parse_html(html: str) -> HtmlPage:
    """Extract lines and metadata from an HTML document (never raises on malformed markup)."""
    tree = LexborHTMLParser(html)
    page_title = None
    title_node = tree.css_first("title")
    if title_node is not None:
        page_title = (title_node.text(deep=True) or "").strip() or None
    h1 = tree.css_first("h1")
    h1_text = _SPACE_RE.sub(" ", h1.text(deep=True)).strip() if h1 is not None else ""
    published = [
        value
        for value in (
            _meta(tree, 'meta[property="article:published_time"]', 'meta[name="article:published_time"]'),
            _meta(tree, 'meta[itemprop="datePublished"]', 'meta[name="pubdate"]', 'meta[name="date"]'),
        )
        if value
    ]
    published.extend(_jsonld_dates(tree))
    for node in tree.css("time[datetime]"):
        value = (node.attributes.get("datetime") or "").strip()
        if value:
            published.append(value)
            break
    author = _meta(tree, 'meta[name="author"]', 'meta[property="article:author"]')
    if author and author.startswith("http"):
        author = None
    tags = [
        (node.attributes.get("content") or "").strip()
        for node in tree.css('meta[property="article:tag"]')
        if (node.attributes.get("content") or "").strip()
    ]
    keywords = _meta(tree, 'meta[name="news_keywords"]', 'meta[name="keywords"]')
    if not tags and keywords:
        tags = [k.strip() for k in re.split(r"[,،]", keywords) if k.strip()]
    html_node = tree.css_first("html")
    language = None
    if html_node is not None:
        language = (html_node.attributes.get("lang") or "").split("-")[0].strip().lower() or None
    title = _meta(tree, 'meta[property="og:title"]', 'meta[name="twitter:title"]') or h1_text or page_title
    if not title:
        title = str(_jsonld_fallback(tree).get("headline") or "") or None
    tree.strip_tags(_DROPPED_TAGS)
    builder = _LineBuilder()
    body = tree.body or tree.root
    if body is not None:
        builder.walk(body, False)
        builder.flush()
    page = builder.page
    page.title = _SPACE_RE.sub(" ", title).strip() if title else None
    page.published = published
    page.author = author
    page.tags = tags
    page.language = language
    return page
