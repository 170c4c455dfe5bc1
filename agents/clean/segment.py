"""Where the article is on the page: title line, body lines, and why every other line was dropped.

The rules follow how news pages are laid out, in every language:

- the body starts at the first run of real prose (sentences with punctuation), and the title is the first
  headline-shaped line before it; everything above the title is site chrome (masthead, menus, crumbs);
- between the title and the body sit the deck, byline, date, view counter and image caption;
- the body ends at the first end-of-article label (related articles, tags, source, back-to-top...) or with
  its last sentence; trailing labels and link lists are not text;
- inside the body, boilerplate labels, teaser blocks ("read also", "recommended stories ... end of list"),
  figure markers, lines in another language or script, duplicated lines and runs of bare headlines go.

Each line gets a ``role``: ``title``, ``body``, or ``drop:<reason>`` / ``meta:<kind>``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from agents.clean.language import line_language, plainly_in
from agents.clean.lines import Line, profile_of
from agents.clean.phrases import PhraseKind

_DROP_KINDS = frozenset([PhraseKind.DROP, PhraseKind.MASTHEAD, PhraseKind.COUNTER, PhraseKind.FIGURE])
_META_KINDS = frozenset([PhraseKind.TAGS, PhraseKind.ATTRIBUTION, PhraseKind.BYLINE, PhraseKind.DATE_LABEL])
_END_KINDS = frozenset([PhraseKind.TERMINAL, PhraseKind.TAGS, PhraseKind.ATTRIBUTION])
_BODY_LOOKAHEAD = 4
_BLOCK_SPAN = 25


@dataclass(slots=True)
class Layout:
    """Result of segmentation: indexes into the line list."""

    title_index: int | None = None
    title_from_hint: bool = False  # the title line is the one the crawler or the markup named
    body_start: int = 0
    body_end: int = 0  # exclusive; lines from here on are after the article
    body: list[int] = field(default_factory=list)
    header: list[int] = field(default_factory=list)  # between title and body (byline/date candidates)


def _mark_hard_drops(lines: list[Line], article_language: str, date_lines: set[int]) -> None:
    """Roles every line gets whatever its position: learned chrome, labels, other language, menus."""
    repeats = Counter(line.norm for line in lines if not line.is_prose)
    multi_script = article_language in ("ar", "fa", "ur")
    _mark_closed_blocks(lines)
    _mark_teasers(lines)
    for line in lines:
        if line.role:
            continue
        if line.learned_chrome:
            line.role = "drop:learned_chrome"
        elif line.kind in _DROP_KINDS:
            line.role = "drop:" + line.kind.value
        elif line.kind in _META_KINDS:
            line.role = "meta:" + line.kind.value
        elif line.index in date_lines:
            line.role = "meta:date"
        elif line.is_headline_list:
            line.role = "drop:headline_list"
        else:
            if plainly_in(article_language, line.display, line.words):
                lang = article_language
            else:
                lang = line_language(profile_of(line), article_language)
            line.lang = lang
            foreign = lang is not None and article_language != "und" and lang != article_language
            if foreign and (multi_script or lang != "latin"):
                line.role = "drop:language"
            if not line.role and repeats[line.norm] >= 2:
                line.notes.append("repeated")


def _mark_closed_blocks(lines: list[Line]) -> None:
    """Teaser blocks with an end marker ("recommended stories" ... "end of list") go wherever they are."""
    for line in lines:
        if line.kind is PhraseKind.BLOCK_START and not line.role:
            end = next(
                (
                    other.index
                    for other in lines[line.index + 1 : line.index + 1 + _BLOCK_SPAN]
                    if other.kind is PhraseKind.BLOCK_END
                ),
                None,
            )
            if end is not None:
                for inside in lines[line.index : end + 1]:
                    inside.role = "drop:block"


def _mark_teasers(lines: list[Line]) -> None:
    """A "read also" label on its own line announces a teaser headline or two: drop them wherever they are."""
    for line in lines:
        if line.kind is PhraseKind.LEAD and line.value_start < 0:
            for follower in lines[line.index + 1 : line.index + 3]:
                if follower.role or follower.ends_with_period or follower.kind is not None:
                    break
                follower.role = "drop:teaser"


def _eligible(line: Line) -> bool:
    return not line.role and line.kind is None


def _find_body_start(lines: list[Line], after: int) -> int | None:
    """First paragraph of prose followed closely by another, with no dateline between the two.

    A lone paragraph above the article (a site's self-description, a cookie notice) is followed by the
    title and its date before the next paragraph, which is how it is told apart from the lead.
    """
    strong = [line.index for line in lines[after:] if _eligible(line) and line.is_body_anchor]
    for position, index in enumerate(strong):
        if position + 1 < len(strong):
            following = strong[position + 1]
            between = lines[index + 1 : following]
            # Distance counts only lines still in play: a dropped teaser block does not separate paragraphs.
            gap = sum(1 for line in between if not line.role.startswith("drop"))
            if gap < _BODY_LOOKAHEAD and not any(line.role == "meta:date" for line in between):
                return index
    return strong[0] if strong else None


def _headline_shaped(line: Line, min_words: int) -> bool:
    """Could be the title: a short unterminated line of words (a time stamp such as ``۱۴۰۴/۱۲/۱۲ - ۱۴:۵۰``
    the date parser did not take has no letter and is not)."""
    return (
        _eligible(line)
        and min_words <= line.n_words <= 35
        and (not line.ends_with_period)
        and line.link_ratio < 0.5
        and any(character.isalpha() for character in line.norm)
    )


def _match_hint(lines: list[Line], hint_norm: str) -> int | None:
    if not hint_norm:
        return None
    for line in lines:
        if line.kind is None and line.norm == hint_norm:
            return line.index
    for line in lines:
        if line.kind is None and line.n_words >= 3 and not line.role:
            if line.norm in hint_norm and len(line.norm) >= 0.5 * len(hint_norm):
                return line.index
            if hint_norm in line.norm and len(hint_norm) >= 0.6 * len(line.norm):
                return line.index
    return None


#: Roles of lines that are the site's navigation: menus, "home"/"subscribe"/"log in" labels, learned chrome.
_NAVIGATION_ROLES = frozenset({"drop:headline_list", "drop:drop", "drop:learned_chrome"})
#: Roles of lines that belong to an article's head: its byline and its labelled date ("آخر تحديث: ...").
_ARTICLE_HEAD_ROLES = frozenset({"meta:byline", "meta:date_label"})


def _choose_title(lines: list[Line], limit: int) -> int | None:
    """First headline of five words or more above the body and below the site's navigation; else the
    headline-shaped line nearest the body.

    Site names and section labels sit at the top of a page and are short; a short title sits right above
    the date, byline and counters that precede the body (and may be printed twice). A site's slogan is
    headline-shaped too ("Serving the Upper Arkansas Valley since 1911", "صحيفة يومية مستقلة منذ 1998"),
    but it sits above the menu: a candidate with navigation between it and a later candidate is skipped,
    unless its byline or labelled date comes first (title, byline, date, share buttons, then an unterminated
    lead: the title stays).
    """
    candidates = [line for line in lines[:limit] if _headline_shaped(line, 5) and not line.bullet]
    for position, line in enumerate(candidates):
        later = candidates[position + 1].index if position + 1 < len(candidates) else None
        if later is not None:
            roles = {between.role for between in lines[line.index + 1 : later]}
            if roles & _NAVIGATION_ROLES and not roles & _ARTICLE_HEAD_ROLES:
                continue
        return line.index
    for line in reversed(lines[:limit]):
        if _headline_shaped(line, 1) and not line.bullet:
            return line.index
    return None


def segment(lines: list[Line], article_language: str, hint_norm: str, date_lines: set[int]) -> Layout:
    """Assign a role to every line and return where the title and body are."""
    _mark_hard_drops(lines, article_language, date_lines)
    layout = Layout(body_end=len(lines))
    title = _match_hint(lines, hint_norm)
    layout.title_from_hint = title is not None
    start = _find_body_start(lines, 0)
    if title is not None and start is not None and title >= start:
        start = _find_body_start(lines, title + 1)
    if title is None:
        title = _choose_title(lines, start if start is not None else len(lines))
    if start is None:
        start = title + 1 if title is not None else 0
    layout.title_index = title
    layout.body_start = start
    title_norm = lines[title].norm if title is not None else hint_norm
    if title is not None:
        lines[title].role = "title"
    for line in lines[:start]:
        if line.role:
            continue
        if title is not None and line.index < title:
            line.role = "drop:before_title"
        elif title_norm and line.norm == title_norm:
            line.role = "drop:title_repeat"
        elif line.n_words >= 6 and "repeated" not in line.notes and not line.bullet and line.kind is None:
            line.role = "body"
            layout.body.append(line.index)
        else:
            layout.header.append(line.index)
            line.role = "drop:header"
    _assign_body(lines, layout, title_norm)
    _drop_headline_runs(lines, layout)
    _trim_tail(lines, layout)
    return layout


def _assign_body(lines: list[Line], layout: Layout, title_norm: str) -> None:
    kept_norms = {lines[i].norm for i in layout.body}
    kept_prose = 0
    block_until = -1
    lead_skip = 0
    position = layout.body_start
    while position < len(lines):
        line = lines[position]
        position += 1
        kind = line.kind
        if kind in _END_KINDS and kept_prose:
            layout.body_end = line.index
            for rest in lines[line.index :]:
                if not rest.role or rest.role == "body":
                    rest.role = "drop:after_body"
            if not line.role.startswith("meta"):
                line.role = "drop:" + kind.value
            return
        if kind is PhraseKind.BLOCK_START:
            line.role = "drop:block"
            block_until = _block_end(lines, line.index)
            continue
        if line.index <= block_until:
            if not line.role:
                line.role = "drop:block"
            continue
        if kind is PhraseKind.LEAD:
            line.role = "drop:lead"
            lead_skip = 2 if line.value_start < 0 else 0
            continue
        if lead_skip and not line.is_body_anchor:
            lead_skip -= 1
            if not line.role:
                line.role = "drop:teaser"
            continue
        lead_skip = 0
        if line.role:
            continue
        if kind is not None:
            line.role = "drop:" + kind.value
        elif line.norm == title_norm:
            line.role = "drop:title_repeat"
        elif line.norm in kept_norms:
            line.role = "drop:duplicate"
        elif "repeated" in line.notes:
            line.role = "drop:repeated"
        elif line.n_words <= 2 and not line.ends_sentence and not _subheading(lines, line):
            line.role = "drop:label"
        else:
            line.role = "body"
            layout.body.append(line.index)
            kept_norms.add(line.norm)
            kept_prose += line.is_prose


def _subheading(lines: list[Line], line: Line) -> bool:
    """A two-word line right before a paragraph of prose reads as a subheading, not a label."""
    following = lines[line.index + 1] if line.index + 1 < len(lines) else None
    return line.n_words == 2 and following is not None and following.is_prose and not following.role


def _block_end(lines: list[Line], start: int) -> int:
    """Last line of a teaser block: its end marker if near, else the lines before the next prose."""
    for line in lines[start + 1 : start + 1 + _BLOCK_SPAN]:
        if line.kind is PhraseKind.BLOCK_END:
            return line.index
    end = start
    for line in lines[start + 1 :]:
        if line.is_strong_prose and not line.bullet:
            break
        end = line.index
    return end


def _drop_headline_runs(lines: list[Line], layout: Layout) -> None:
    """Drop runs of bare headlines inside the body: three in a row, or two bulleted ones, are a link list."""
    body = layout.body
    run: list[int] = []
    doomed: set[int] = set()

    def close_run() -> None:
        bullets = sum(1 for i in run if lines[i].bullet)
        if len(run) >= 3 or (len(run) >= 2 and bullets >= 2):
            doomed.update(run)
        run.clear()

    previous = -2
    for index in body:
        line = lines[index]
        bare = not line.is_prose and line.n_words <= 20
        if bare and (not run or index == previous + 1 or _only_dropped_between(lines, previous, index)):
            run.append(index)
        elif bare:
            close_run()
            run.append(index)
        else:
            close_run()
        previous = index
    close_run()
    if doomed:
        for index in doomed:
            lines[index].role = "drop:link_list"
        layout.body = [i for i in body if i not in doomed]


def _only_dropped_between(lines: list[Line], left: int, right: int) -> bool:
    return all(lines[i].role.startswith(("drop", "meta")) for i in range(left + 1, right))


def _trim_tail(lines: list[Line], layout: Layout) -> None:
    """An article ends with a sentence: trailing short unpunctuated lines are labels or links."""
    body = layout.body
    while body:
        line = lines[body[-1]]
        if line.ends_sentence or line.n_words >= 12 or line.is_prose:
            break
        line.role = "drop:tail"
        body.pop()
