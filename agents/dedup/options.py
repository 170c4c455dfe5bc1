"""Tunable knobs of the dedup core, validated once at construction.

The defaults were picked by measurement (``python -m bench.dedup_bench``): word 3-shingles taken inside
paragraphs keep an edited copy's containment high (a changed word breaks only three shingles) and make a
paragraph shuffle invisible; 20 LSH bands of 2 rows make a pair with shingle Jaccard 0.45 a candidate with
probability 0.989 (0.5: 0.997, 0.6: 0.99997; 0.35: 0.93, 0.3: 0.85), which covers truncated copies
(Jaccard 0.3-0.7) that a 0.8-threshold LSH misses, while unrelated articles (Jaccard about 0.01) meet in a
band about 0.2% of the time. 32 bands measured the same recall and cost 12 more store reads and writes per
article. ``min_truncated_fraction`` was 0.45 until a held-out set written by someone who had not seen this
code had reposts keeping 39-46% of the original: 0.3 found all 14 of its truncated copies (8 before) and
called none of its 28 rewrites and unrelated articles a copy, nor any of the bench's 1,200 look-alikes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from agents.errors import ConfigError


@dataclass(frozen=True, slots=True)
class DedupOptions:
    """How the deduplicator fingerprints, finds candidates and decides.

    Decision rule for a new article A against an earlier stored article B (containment is estimated from
    MinHash and the stored shingle counts, new passages from the stored shingle sample):

    - ``exact``: same content hash (normalised words of A's body paragraphs equal B's);
    - not a copy when at least ``max_new_fraction`` of A lies in *new passages*: windows of about
      ``window_words`` words of which less than ``min_window_overlap`` of the sampled shingles occur in B.
      This is what "substantial new text" means: an update whose added paragraphs make up 30% or more of
      it is not a copy (the window where old and new text meet counts as old, so 30% added measures a
      little above 0.2), while an edited copy (a few changed words in every window) is a copy;
    - otherwise ``near`` when either ``min_kept_fraction`` of B's shingles are in A (edited, re-headed and
      reordered copies) or at least ``min_truncated_fraction`` are and A opens like B (a truncated copy: the
      shared part is B's beginning, not a quotation from its middle);
    - articles with fewer than ``short_words`` words are near copies only when their estimated Jaccard is
      at least ``short_jaccard`` (too few shingles for containment to be trusted).

    ``shingle_size``, ``num_perm``, ``bands``, ``rows``, ``seed`` and ``bucket`` shape what is stored: a store
    written with other values must be dropped (or left to age out of the window) when they change.
    """

    window: timedelta = timedelta(days=7)
    bucket: timedelta = timedelta(minutes=10)
    shingle_size: int = 3
    num_perm: int = 128
    bands: int = 20
    rows: int = 2
    max_new_fraction: float = 0.2
    min_window_overlap: float = 0.34
    window_words: int = 32
    sample_rate: int = 2
    max_sample: int = 1024
    min_kept_fraction: float = 0.6
    min_truncated_fraction: float = 0.3
    short_words: int = 40
    short_jaccard: float = 0.85
    exact_min_paragraph_words: int = 6
    lead_paragraphs: int = 3
    max_bucket_ids: int = 64
    seed: int = 1

    def __post_init__(self) -> None:
        if self.window <= timedelta(0):
            raise ConfigError(f"dedup window must be positive (got {self.window})")
        if not timedelta(seconds=1) <= self.bucket <= self.window:
            raise ConfigError(f"dedup bucket must be between 1 second and the window (got {self.bucket})")
        _check_int("shingle_size", self.shingle_size, 1, 8)
        _check_int("num_perm", self.num_perm, 16, 1024)
        _check_int("bands", self.bands, 1, 256)
        _check_int("rows", self.rows, 1, 16)
        if self.bands * self.rows > self.num_perm:
            raise ConfigError(
                f"dedup bands * rows must be at most num_perm={self.num_perm} "
                f"(got {self.bands} * {self.rows} = {self.bands * self.rows})"
            )
        for name in (
            "max_new_fraction",
            "min_window_overlap",
            "min_kept_fraction",
            "min_truncated_fraction",
            "short_jaccard",
        ):
            value = getattr(self, name)
            if not 0.0 < value <= 1.0:
                raise ConfigError(f"dedup {name} must be in (0, 1] (got {value})")
        if self.min_truncated_fraction > self.min_kept_fraction:
            raise ConfigError(
                f"dedup min_truncated_fraction must not exceed min_kept_fraction={self.min_kept_fraction} "
                f"(got {self.min_truncated_fraction})"
            )
        _check_int("short_words", self.short_words, 0, 10_000)
        _check_int("exact_min_paragraph_words", self.exact_min_paragraph_words, 1, 1_000)
        _check_int("lead_paragraphs", self.lead_paragraphs, 1, 16)
        _check_int("window_words", self.window_words, 4, 1_000)
        _check_int("sample_rate", self.sample_rate, 1, 64)
        _check_int("max_sample", self.max_sample, 16, 1 << 16)
        if self.sample_rate & (self.sample_rate - 1):
            raise ConfigError(f"dedup sample_rate must be a power of two in [1, 64] (got {self.sample_rate})")
        _check_int("max_bucket_ids", self.max_bucket_ids, 1, 100_000)
        _check_int("seed", self.seed, 0, 2**63 - 1)

    @property
    def window_seconds(self) -> float:
        return self.window.total_seconds()

    @property
    def bucket_seconds(self) -> float:
        return self.bucket.total_seconds()


def _check_int(name: str, value: object, low: int, high: int) -> None:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise ConfigError(f"dedup {name} must be an integer in [{low}, {high}] (got {value!r})")
