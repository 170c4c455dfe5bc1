"""Matching keys generated from gazetteer aliases: spelling variants, article handling, adjective inflection.

One alias as curated should cover the common ways Arabic news spells it. Foreign names are transliterated
inconsistently: g as ج (Egypt) or غ (Levant, Gulf) or ق, Persian گ/پ/چ as ج-غ-ك/ب/تش, ط or ت, ص or س, and
long vowels written or not (ترامب/ترمب). The generator makes a *bounded* set of keys per alias (at most
``MAX_VARIANTS``): joint letter swaps and single long-vowel deletions, never a free combination, so the
automaton stays small and ordinary words are not produced from short names (aliases of three letters or
fewer get no variants; long-vowel deletions only for people). Spellings that need a vowel *inserted* must
be listed in the data (list the fullest spelling: ترامب, and ترمب follows); vowel differences in a first
name next to a known surname are handled by the matcher's head check (``arabic.skeleton``).

Keys are normalised text. An Arabic-script alias's leading article is cut off the key and recorded as a rule
(required/forbidden/optional), because the article may be fused with a clitic in the text (للكرملين).
"""

from __future__ import annotations

import itertools

from agents.entities.arabic import (
    ARTICLE_FORBIDDEN,
    ARTICLE_OPTIONAL,
    ARTICLE_REQUIRED,
    is_arabic_script,
    skeleton,
    written_with_article,
)
from agents.text import normalize

MAX_VARIANTS = 48
_G_LETTERS = "جغ"
_ADJECTIVE_SUFFIXES = ("يين", "يون", "يات", "يان", "يه", "ي")
_ADJECTIVE_FORMS = ("ي", "يه", "يين", "يون", "يات", "يا")
_JOINT_SWAPS = (("پ", "ب"), ("ڤ", "ف"), ("چ", "تش"), ("ط", "ت"), ("ت", "ط"), ("ص", "س"), ("ذ", "ز"))
_VOWELS = "اوي"


def canonical_key(text: str) -> str:
    """Normalised form with single spaces (hyphens and slashes read as spaces)."""
    return " ".join(normalize(text).replace("-", " ").replace("/", " ").split())


def alias_tokens(alias: str) -> list[tuple[str, bool]]:
    """Normalised tokens of an alias, each with whether it was written with the article (Arabic script)."""
    out = []
    for written in alias.replace("-", " ").replace("/", " ").split():
        token = normalize(written)
        if token:
            article = written_with_article(written) and token.startswith("ال")
            out.append((token[2:] if article else token, article))
    return out


def _g_variants(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    positions = [
        (t, c) for t, token in enumerate(tokens) for c, char in enumerate(token) if char in _G_LETTERS + "گ"
    ]
    if not positions:
        return []
    if len(positions) <= 3:
        choices = list(itertools.product(_G_LETTERS, repeat=len(positions)))
    else:
        choices = [(letter,) * len(positions) for letter in _G_LETTERS]
    choices.append(("ق",) * len(positions))
    if any(tokens[t][c] == "گ" for t, c in positions):
        choices.append(("ك",) * len(positions))
    out = []
    for choice in choices:
        chars = [list(token) for token in tokens]
        for (t, c), letter in zip(positions, choice, strict=True):
            chars[t][c] = letter
        out.append(tuple("".join(token) for token in chars))
    return out


def _deletions(tokens: tuple[str, ...]) -> list[tuple[str, ...]]:
    out = []
    for t, token in enumerate(tokens):
        if len(token) < 5:
            continue
        for c in range(1, len(token) - 1):
            if token[c] in _VOWELS and token[c - 1] not in _VOWELS:
                out.append((*tokens[:t], token[:c] + token[c + 1 :], *tokens[t + 1 :]))
    return out


def spelling_variants(tokens: tuple[str, ...], vowel_deletions: bool = True) -> list[tuple[str, ...]]:
    """Bounded transliteration variants of a normalised Arabic-script token sequence (first = input).

    ``vowel_deletions`` is meant for people's names (ترامب → ترمب, بوتين → بوتن): for place names it
    mostly makes ordinary words (نالوت → نالت "she obtained"), and their spellings are more settled.
    """
    seen = {tokens: None}
    if len(tokens) == 1 and len(tokens[0]) <= 3:
        return [tokens]
    for old, new in _JOINT_SWAPS:
        if any(old in token and len(token) >= 4 for token in tokens):
            seen.setdefault(tuple(token.replace(old, new) for token in tokens), None)
    for base in list(seen):
        for variant in _g_variants(base):
            seen.setdefault(variant, None)
    if vowel_deletions and len(tokens) <= 2:
        for base in list(seen)[:8]:
            for variant in _deletions(base):
                seen.setdefault(variant, None)
    return list(seen)[:MAX_VARIANTS]


def name_keys(alias: str, entity_type: str, language: str | None = None) -> list[tuple[str, int]]:
    """``(key, article_rule)`` pairs for a name alias (Latin aliases: one key, no article rule).

    The first pair is the alias as listed. Persian aliases also get the ezafe spelling of words ending in
    ه (کره‌ی شمالی for کره شمالی, روسیه‌ی for روسیه), which normalisation turns into هي, and a compound
    name of two or three words (not a person's) its joined spelling (normalisation drops the non-joiner).
    """
    key = canonical_key(alias)
    if not key:
        return []
    if not is_arabic_script(key):
        return [(key, ARTICLE_FORBIDDEN)]
    tokens = alias_tokens(alias)
    rule = ARTICLE_REQUIRED if tokens[0][1] else ARTICLE_FORBIDDEN
    core = (tokens[0][0], *(("ال" + token) if article else token for token, article in tokens[1:]))
    keys = {" ".join(variant): None for variant in spelling_variants(core, entity_type == "PERSON")}
    if entity_type == "LOCATION" and len(core) == 2 and not core[1].startswith("ال"):
        for variant in list(keys):
            keys.setdefault(variant.replace(" ", ""), None)
    if language == "fa":
        compound = entity_type != "PERSON" and 2 <= len(core) <= 3 and min(map(len, core)) >= 3
        if compound and not core[1].startswith("ال"):
            # Persian often joins a compound name's words with a zero-width non-joiner (اوپک‌پلاس,
            # شورای‌امنیت), which normalisation drops: the as-listed spelling is also a key joined (words of
            # three letters or more: "د ولی" joined is دولي, "international" in Arabic; not people's names,
            # which Persian writes apart).
            keys.setdefault("".join(core), None)
        for position, token in enumerate(core):
            if token.endswith("ه") and len(token) >= 3:
                ezafe = (*core[:position], token + "ي", *core[position + 1 :])
                keys.setdefault(" ".join(ezafe), None)
    return [(k, rule) for k in keys]


def tail_keys(alias: str) -> list[tuple[str, str]]:
    """``(tail_key, head_skeleton)`` for a multi-token Arabic-script person name.

    The matcher finds the tail (surname part) exactly and accepts the token before it when its skeleton
    equals the head's: دميتري بيسكوف listed, ديمتري بيسكوف matched.
    """
    key = canonical_key(alias)
    tokens = key.split(" ")
    if len(tokens) < 2 or not is_arabic_script(key) or len(tokens[0]) < 3:
        return []
    head = skeleton(tokens[0])
    return [(" ".join(variant), head) for variant in spelling_variants(tuple(tokens[1:]))]


def _adjective_stem(token: str) -> str | None:
    for suffix in _ADJECTIVE_SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 2:
            return token[: -len(suffix)]
    return None


def adjective_keys(adjective: str) -> list[tuple[str, int]]:
    """``(key, article_rule)`` for a demonym and its inflections.

    Arabic nisba adjectives inflect by suffix (روسي، روسية، روسيون، روسيين، روسيات، and روسيًا whose
    tanween is dropped by normalisation) and agree in definiteness
    across words (الكوري الشمالي / كوري شمالي), so each listed form yields every inflection, definite
    and indefinite, with the same suffix on every word. Forms that are not nisba (broken plurals) are
    kept as listed. English adjectives get their ``-s`` plural.
    """
    key = canonical_key(adjective)
    if not key:
        return []
    if not is_arabic_script(key):
        keys = [(key, ARTICLE_FORBIDDEN)]
        if not key.endswith("s"):
            keys.append((key + "s", ARTICLE_FORBIDDEN))
        return keys
    words = [word for word, _ in alias_tokens(adjective)]
    stems = [_adjective_stem(word) for word in words]
    if len(words) == 1:
        forms = [stems[0] + suffix for suffix in _ADJECTIVE_FORMS] if stems[0] else [words[0]]
        return [(form, ARTICLE_OPTIONAL) for form in dict.fromkeys(forms)]
    keys: list[tuple[str, int]] = []
    if all(stems):
        inflected = [[stem + suffix for stem in stems if stem] for suffix in _ADJECTIVE_FORMS]
    else:
        inflected = [words]
    for forms in inflected:
        keys.append((" ".join(forms), ARTICLE_FORBIDDEN))
        keys.append((" ".join([forms[0], *("ال" + form for form in forms[1:])]), ARTICLE_REQUIRED))
    return list(dict.fromkeys(keys))
