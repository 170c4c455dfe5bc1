"""Text primitives shared by every stage: normalisation for matching and tokens.

This package holds no stage and no agent; it is the one place the Arabic/Persian orthography rules live,
so cleaning, dedup, tagging and clustering compare text the same way.
"""

from agents.text.normalize import (
    normalize,
    normalize_with_offsets,
    to_original_span,
    tokens,
)

__all__ = ["normalize", "normalize_with_offsets", "to_original_span", "tokens"]
