"""The dedup stage: is a cleaned article an exact or near copy of an earlier one, and whose?

Pure core (no faust, no aiokafka): :class:`Deduplicator` over a ``MutableMapping`` store. ``agent.py`` wires
it to ``news.clean`` -> ``news.deduped``. Modules: ``core`` (the decision and the public types), ``options``,
``words`` (vectorised matching-form words), ``fingerprint``, ``matching`` (the pair rule), ``records`` (store
layout), ``state`` (look-up, insert, eviction), ``variants`` (copy generators for tests and the benchmark).
"""

from agents.dedup.core import DedupInput, Deduplicator, DedupVerdict
from agents.dedup.options import DedupOptions

__all__ = ["DedupInput", "DedupOptions", "DedupVerdict", "Deduplicator"]
