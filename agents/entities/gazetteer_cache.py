"""On-disk cache of the compiled gazetteer, so restarts and reloads skip YAML parsing and compiling.

One pickle per cache directory, named by a digest of the gazetteer files (resolved path, mtime, size) and
of this package's source (a code change invalidates it). Written atomically (temporary file + rename);
older files are deleted, so the directory holds at most one cache. Pickle runs code when loaded: give a
directory only the worker's user can write.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
from collections.abc import Sequence
from pathlib import Path

logger = logging.getLogger(__name__)

_CACHE_FORMAT = 2


def _cache_file(cache_dir: Path, paths: Sequence[Path]) -> Path:
    digest = hashlib.sha256(str(_CACHE_FORMAT).encode())
    for source in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(source.read_bytes())
    for path in paths:
        stat = path.stat()
        digest.update(f"{path.resolve()}|{stat.st_mtime_ns}|{stat.st_size}".encode())
    return cache_dir / f"gazetteer-{digest.hexdigest()[:32]}.pickle"


def read_cache(cache_dir: Path, paths: Sequence[Path]) -> object | None:
    try:
        target = _cache_file(cache_dir, paths)
        if not target.exists():
            return None
        with target.open("rb") as handle:
            gazetteer = pickle.load(handle)
    except (
        OSError,
        pickle.UnpicklingError,
        EOFError,
        AttributeError,
        ImportError,
        ValueError,
        TypeError,
    ) as exc:
        logger.warning("gazetteer cache unreadable, rebuilding: %s", exc)
        return None
    logger.info("gazetteer loaded from cache %s", target)
    return gazetteer


def write_cache(cache_dir: Path, paths: Sequence[Path], gazetteer: object) -> None:
    """Write the compiled gazetteer atomically and delete older cache files (one file per directory)."""
    try:
        target = _cache_file(cache_dir, paths)
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(f".tmp{os.getpid()}")
        with temporary.open("wb") as handle:
            pickle.dump(gazetteer, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)
        for old in cache_dir.glob("gazetteer-*.pickle"):
            if old != target:
                old.unlink(missing_ok=True)
    except OSError as exc:
        logger.warning("gazetteer cache not written to %s: %s", cache_dir, exc)
