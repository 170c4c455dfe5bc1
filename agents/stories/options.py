"""Options of the story clusterer: one frozen object, validated when built.

Every bound on the story state lives here, so the closing note of the README can state the memory a live
story costs and how long it stays. Errors name the option and the allowed range (``ConfigError``).
"""

from __future__ import annotations

from dataclasses import dataclass

from agents.errors import ConfigError


def _check_range(name: str, value: float, low: float, high: float) -> None:
    if not low <= value <= high:
        raise ConfigError(f"StoryOptions.{name} = {value!r} is out of range; allowed {low} to {high}")


@dataclass(frozen=True, slots=True)
class StoryOptions:
    """How articles are matched to stories and how long stories live (times in event-time hours).

    - ``join_threshold``: lowest score (0..1) at which an article joins a story rather than founding one.
    - ``cross_lingual_threshold``: the same for an article whose language is not the story's main
      language; higher, because only entities, numbers and dates can be compared then.
    - ``merge_threshold``: lowest story-to-story score at which two stories an article bridges are merged.
    - ``half_life_hours``: score halves for every this many hours between the article and the story,
      after the first ``decay_grace_hours`` (same-day follow-ups are not penalised).
    - ``dormant_after_hours`` / ``expire_after_hours``: quiet time after ``last_seen`` before a story goes
      dormant / expires and its state is evicted (expire must come after dormant).
    - ``growth_window_hours``: trailing window of ``growth_rate`` (articles/hour ending at ``last_seen``).
    - ``schedule_bucket_minutes``: granularity of the lifecycle schedule (dormant/expired may be reported
      up to one bucket late; a coarser bucket means fewer schedule writes).
    - ``entity_weight`` / ``term_weight`` / ``title_weight`` / ``number_weight``: blend of the feature
      families (entity ids; title+lead key terms; title key terms alone; numbers and dates).
    - ``min_term_similarity``: in the same language, an article sharing less wording than this with a
      story scores 0 there, however many actors they share (same actors, different event).
    - ``lead_chars`` / ``max_article_terms``: how much of the body is read for key terms, and how many.
    - ``index_*_per_article``: keys a story is listed under for each article it takes.
    - ``max_scanned_postings`` / ``max_candidates`` / ``candidate_hit_ratio``: retrieval effort per
      article (story ids read from the index, stories scored, and the least key overlap, relative to the
      best candidate, worth scoring).
    - ``max_*``: size bounds of one story record and of one index posting list.

    Defaults were tuned on the labelled ANT set of ``bench/stories_bench.py``.
    """

    join_threshold: float = 0.22
    cross_lingual_threshold: float = 0.5
    merge_threshold: float = 0.45
    half_life_hours: float = 12.0
    decay_grace_hours: float = 18.0
    dormant_after_hours: float = 24.0
    expire_after_hours: float = 72.0
    growth_window_hours: float = 6.0
    schedule_bucket_minutes: float = 60.0
    entity_weight: float = 0.30
    term_weight: float = 0.60
    number_weight: float = 0.10
    title_weight: float = 0.2
    min_term_similarity: float = 0.1
    lead_chars: int = 500
    max_article_terms: int = 20
    index_entities_per_article: int = 6
    index_terms_per_article: int = 8
    index_numbers_per_article: int = 2
    max_story_terms: int = 60
    max_story_entities: int = 40
    max_story_numbers: int = 20
    max_story_titles: int = 12
    max_story_articles: int = 5000
    max_story_keys: int = 160
    max_posting: int = 128
    max_candidates: int = 6
    max_scanned_postings: int = 400
    candidate_hit_ratio: float = 0.25
    top_entities: int = 10

    def __post_init__(self) -> None:
        _check_range("join_threshold", self.join_threshold, 0.01, 1.0)
        _check_range("cross_lingual_threshold", self.cross_lingual_threshold, 0.01, 1.0)
        _check_range("merge_threshold", self.merge_threshold, 0.01, 1.0)
        _check_range("half_life_hours", self.half_life_hours, 0.1, 24.0 * 365)
        _check_range("decay_grace_hours", self.decay_grace_hours, 0.0, 24.0 * 30)
        _check_range("dormant_after_hours", self.dormant_after_hours, 0.1, 24.0 * 365)
        _check_range("expire_after_hours", self.expire_after_hours, 0.1, 24.0 * 365 * 2)
        if self.expire_after_hours <= self.dormant_after_hours:
            raise ConfigError(
                f"StoryOptions.expire_after_hours = {self.expire_after_hours!r} must be greater than "
                f"dormant_after_hours = {self.dormant_after_hours!r}"
            )
        _check_range("growth_window_hours", self.growth_window_hours, 0.1, 24.0 * 30)
        _check_range("schedule_bucket_minutes", self.schedule_bucket_minutes, 1.0, 24.0 * 60)
        for name in ("entity_weight", "term_weight", "number_weight", "title_weight"):
            _check_range(name, getattr(self, name), 0.0, 10.0)
        if self.entity_weight + self.term_weight + self.number_weight <= 0:
            raise ConfigError("StoryOptions: entity_weight + term_weight + number_weight must be above 0")
        _check_range("min_term_similarity", self.min_term_similarity, 0.0, 1.0)
        _check_range("lead_chars", self.lead_chars, 100, 100_000)
        _check_range("max_article_terms", self.max_article_terms, 4, 500)
        _check_range("index_entities_per_article", self.index_entities_per_article, 0, 100)
        _check_range("index_terms_per_article", self.index_terms_per_article, 0, 100)
        _check_range("index_numbers_per_article", self.index_numbers_per_article, 0, 100)
        _check_range("max_story_terms", self.max_story_terms, 8, 1000)
        _check_range("max_story_entities", self.max_story_entities, 4, 1000)
        _check_range("max_story_numbers", self.max_story_numbers, 1, 1000)
        _check_range("max_story_titles", self.max_story_titles, 1, 1000)
        _check_range("max_story_articles", self.max_story_articles, 10, 1_000_000)
        _check_range("max_story_keys", self.max_story_keys, 8, 10_000)
        _check_range("max_posting", self.max_posting, 4, 100_000)
        _check_range("max_candidates", self.max_candidates, 1, 1000)
        _check_range("candidate_hit_ratio", self.candidate_hit_ratio, 0.0, 1.0)
        _check_range("max_scanned_postings", self.max_scanned_postings, 10, 1_000_000)
        _check_range("top_entities", self.top_entities, 1, 100)
