"""orjson behind two functions, so the byte format is decided in one place."""

from __future__ import annotations

from typing import Any

import orjson
from pydantic import BaseModel

_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NAIVE_UTC


def dumps(value: BaseModel | dict[str, Any] | list[Any]) -> bytes:
    """Serialise a model or plain JSON value to bytes (UTC datetimes with ``Z``)."""
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="python", exclude_none=False)
    return orjson.dumps(value, option=_OPTIONS)


def loads(data: bytes | str) -> Any:
    """Parse JSON bytes; raises ``orjson.JSONDecodeError`` (a ``ValueError``) on bad input."""
    return orjson.loads(data)
