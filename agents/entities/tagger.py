"""The tagger: cleaned article text in, entities with display-text spans out.

Stateless and deterministic: the same text always gives the same entities (at-least-once delivery is
harmless), and ids of discovered people are derived from their names, so no table is needed to keep them
stable across articles.

Pipeline: normalise (``agents.text``) → one Aho-Corasick scan with Arabic clitic/boundary checks
(``matching``) → longest non-overlapping matches → per-article disambiguation and coreference
(``coreference``) → people after titles (``unknown_people``) and their surnames → spans mapped back to the
display text (``text[start:end] == mention.text``).
"""

from __future__ import annotations

from operator import attrgetter

from agents.entities.arabic import PREFIXES_WITHOUT_ARTICLE
from agents.entities.capitals import settle_capital
from agents.entities.coreference import Resolved, resolve
from agents.entities.display_offsets import Offsets, display_span, normalize_for_matching
from agents.entities.gazetteer import FORM_ADJECTIVE, FORM_NAMES, FORM_SHORT, Gazetteer
from agents.entities.matching import KeyMatch, scan, select_longest
from agents.entities.place_nouns import place_names, settle_place
from agents.entities.records import Mention, TaggedEntity, TagOptions
from agents.entities.unknown_people import FoundPerson, find_people


class Tagger:
    """Tags entities of one gazetteer; thread-safe to share (no mutable state after construction)."""

    def __init__(self, gazetteer: Gazetteer, options: TagOptions = TagOptions()) -> None:
        self.gazetteer = gazetteer
        self.options = options

    def tag(self, text: str, language: str | None = None) -> list[TaggedEntity]:
        """Entities named in ``text`` (the cleaned display text), ordered by first mention.

        ``language`` is accepted for symmetry with the other stages; one gazetteer covers Arabic, Persian
        and English and the rules follow the script of each match, so it does not change the result.
        """
        text = text[: self.options.max_text_chars]
        norm, offsets = normalize_for_matching(_one_to_one_spaces(text))
        matches, triggers = scan(self.gazetteer, norm, text, offsets)
        records = self.gazetteer.records
        country_of = self.gazetteer.country_of

        def settle(match: KeyMatch, anchors: dict[int, list[int]]) -> Resolved | None:
            places = place_names(match, records)
            if not places:
                return None
            return settle_place(match, places, norm, records) or settle_capital(
                match, places, norm, country_of, anchors
            )

        resolved = resolve(select_longest(matches), self.options.link_short_forms, settle)
        if not self.options.include_adjectives:
            resolved = [item for item in resolved if item.form != FORM_ADJECTIVE]
        entities: dict[str, TaggedEntity] = {}
        mentions_of: dict[int, list[Mention]] = {}
        for start, end, entity_index, form in resolved:
            mentions = mentions_of.get(entity_index)
            if mentions is None:
                record = records[entity_index]
                mentions = mentions_of[entity_index] = []
                entities[record.id] = TaggedEntity(
                    record.id, record.name, record.type, mentions, record.subtype
                )
            if offsets is not None:
                start, end = display_span(offsets, start, end, text)
            mentions.append(Mention(text[start:end], start, end, FORM_NAMES[form]))
        if self.options.discover_unknown_people and triggers:
            spans = [(start, end, False) for start, end, _ in matches]
            spans += [(start, end, records[index].type == "PERSON") for start, end, index, _ in resolved]
            people = find_people(
                norm,
                text,
                offsets,
                triggers,
                spans,
                self.options.min_name_tokens,
                self.options.max_name_tokens,
            )
            self._add_people(entities, people, norm, text, offsets, resolved)
        limit = self.options.max_mentions_per_entity
        for entity in entities.values():
            entity.mentions.sort(key=_START)
            del entity.mentions[limit:]
        return sorted(entities.values(), key=_first_start)

    def _add_mention(
        self,
        entity: TaggedEntity,
        text: str,
        offsets: Offsets,
        start: int,
        end: int,
        form: str,
    ) -> None:
        display_start, display_end = display_span(offsets, start, end, text)
        entity.mentions.append(Mention(text[display_start:display_end], display_start, display_end, form))

    def _add_people(
        self,
        entities: dict[str, TaggedEntity],
        people: list[FoundPerson],
        norm: str,
        text: str,
        offsets: Offsets,
        resolved: list[Resolved],
    ) -> None:
        taken = [(item.start, item.end) for item in resolved]
        for person in people:
            if any(s < person.end and person.start < e for s, e in taken):
                continue
            entity = entities.get(person.entity_id)
            if entity is None:
                display_start, display_end = display_span(offsets, person.start, person.end, text)
                name = " ".join(text[display_start:display_end].split())
                entity = entities[person.entity_id] = TaggedEntity(
                    person.entity_id, name, "PERSON", [], "auto"
                )
            self._add_mention(entity, text, offsets, person.start, person.end, "name")
            taken.append((person.start, person.end))
        if not self.options.link_short_forms:
            return
        for person in people:
            entity = entities.get(person.entity_id)
            surname = person.tokens[-1]
            if entity is None or len(surname) < 4:
                continue
            for start, end in _word_occurrences(norm, surname):
                if not any(s < end and start < e for s, e in taken):
                    self._add_mention(entity, text, offsets, start, end, FORM_NAMES[FORM_SHORT])
                    taken.append((start, end))


#: Read as a plain space before matching, one character for one. No-break spaces: NFKC maps them to a space
#: anyway. Hyphens: gazetteer keys read an alias's hyphen as a space (``variants.canonical_key``), so the
#: text must too, or "Ocasio-Cortez", "al-Sham" and "دونغ-يونغ" never match their aliases.
_SPACE_LIKE = ("\u00a0", "\u202f", "\u2007", "-", "\u2010", "\u2011")
_START = attrgetter("start")


def _first_start(entity: TaggedEntity) -> int:
    return entity.mentions[0].start


def _one_to_one_spaces(text: str) -> str:
    """``text`` with no-break spaces and hyphens read as plain spaces (same length: offsets stay valid).

    NFKC maps no-break spaces to a space anyway; doing it first keeps ``normalize_with_offsets`` on its
    fast path (about one article in five of a real Arabic corpus contains a no-break space, and the
    per-character path costs ten times more).
    """
    for space in _SPACE_LIKE:
        if space in text:
            text = text.replace(space, " ")
    return text


def _word_occurrences(norm: str, word: str) -> list[tuple[int, int]]:
    """Occurrences of ``word`` as a whole token, after optional attached clitics (و، ب، ل ...)."""
    found = []
    position = norm.find(word)
    while position != -1:
        end = position + len(word)
        if end >= len(norm) or not norm[end].isalnum():
            begin = position
            while begin > 0 and norm[begin - 1].isalnum() and position - begin < 3:
                begin -= 1
            if (begin == 0 or not norm[begin - 1].isalnum()) and norm[
                begin:position
            ] in PREFIXES_WITHOUT_ARTICLE:
                found.append((position, end))
        position = norm.find(word, position + 1)
    return found
