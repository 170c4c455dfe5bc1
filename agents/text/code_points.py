"""The per-character rules (``CHARACTER_RULES``) as one lookup array over the BMP.

Vectorised passes (dedup's words, cleaning's page matcher) map a text's code points through it in one
step instead of ``str.translate``; built once here so they cannot disagree with each other or with
``normalize``.
"""

from __future__ import annotations

import numpy as np

from agents.text.normalize import CHARACTER_RULES

BMP = 0x10000
#: What a dropped character maps to (no code point has this value).
DROPPED = np.uint32(0xFFFFFFFF)


def _rule_table() -> np.ndarray | None:
    table = np.arange(BMP, dtype=np.uint32)
    for code, value in CHARACTER_RULES.items():
        if code >= BMP or (value is not None and len(value) != 1):
            return None
        table[code] = DROPPED if value is None else ord(value)
    table.flags.writeable = False
    return table


#: ``RULE_TABLE[c]`` is the code point ``c`` becomes (``DROPPED``: removed), read-only; ``None`` when some
#: rule is not one BMP character to at most one, so callers must take their string route.
RULE_TABLE: np.ndarray | None = _rule_table()
