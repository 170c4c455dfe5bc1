"""Public API of the entity tagging core (the agent and the CLI import from here).

``Gazetteer.load(extra_paths)`` builds the matcher from the shipped data files plus user files;
``Tagger(gazetteer).tag(text)`` returns ``TaggedEntity`` objects whose mention spans index ``text``;
``ReloadingTagger`` swaps in a new gazetteer when its files change. See the modules for the rules:
``matching`` (clitics, boundaries), ``variants`` (spellings), ``coreference`` (short forms, ambiguity),
``unknown_people`` (names after titles).
"""

from __future__ import annotations

from agents.entities.gazetteer import Gazetteer
from agents.entities.records import EntityRecord, Mention, TaggedEntity, TagOptions
from agents.entities.reloading import ReloadingTagger
from agents.entities.tagger import Tagger

__all__ = ["EntityRecord", "Gazetteer", "Mention", "ReloadingTagger", "TagOptions", "TaggedEntity", "Tagger"]
