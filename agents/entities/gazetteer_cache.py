"""On-disk cache of the compiled gazetteer, so restarts and reloads skip YAML parsing and compiling.

One pickle per set of gazetteer files, named by a digest of the set (resolved paths) and one of its
version (the files' mtimes and sizes, and this package's source: a code change invalidates it). Written
atomically (temporary file + rename). Writing a set's cache deletes its older versions, and the directory
keeps the ``KEEP`` sets used most recently (reading a cache counts as a use), so one user-wide directory
serves every data directory, test run and benchmark on the machine. Pickle runs code when loaded: give a
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

_CACHE_FORMAT = 3
#: Gazetteer file sets whose caches a directory keeps (each about 30 MB).
KEEP = 4


def _set_digest(paths: Sequence[Path]) -> str:
    digest = hashlib.sha256(str(_CACHE_FORMAT).encode())
    for path in paths:
        digest.update(f"{path.resolve()}|".encode())
    return digest.hexdigest()[:16]


def _cache_file(cache_dir: Path, paths: Sequence[Path]) -> Path:
    digest = hashlib.sha256(str(_CACHE_FORMAT).encode())
    for source in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(source.read_bytes())
    for path in paths:
        stat = path.stat()
        digest.update(f"{path.resolve()}|{stat.st_mtime_ns}|{stat.st_size}".encode())
    return cache_dir / f"gazetteer-{_set_digest(paths)}-{digest.hexdigest()[:16]}.pickle"


def read_cache(cache_dir: Path, paths: Sequence[Path]) -> object | None:
    try:
        target = _cache_file(cache_dir, paths)
        if not target.exists():
            return None
        with target.open("rb") as handle:
            gazetteer = pickle.load(handle)
        os.utime(target)  # a use: the directory keeps the most recently used sets
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
    """Write the compiled gazetteer atomically; delete the set's older versions and the least recently
    used other sets beyond ``KEEP``."""
    try:
        target = _cache_file(cache_dir, paths)
        cache_dir.mkdir(parents=True, exist_ok=True)
        temporary = target.with_suffix(f".tmp{os.getpid()}")
        with temporary.open("wb") as handle:
            pickle.dump(gazetteer, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, target)
        same_set = f"gazetteer-{_set_digest(paths)}-"
        others = []
        for old in cache_dir.glob("gazetteer-*.pickle"):
            if old == target:
                continue
            if old.name.startswith(same_set) or old.name.count("-") != 2:  # stale, or an older format
                old.unlink(missing_ok=True)
            else:
                others.append((old.stat().st_mtime, old))
        for _, old in sorted(others, reverse=True)[KEEP - 1 :]:
            old.unlink(missing_ok=True)
    except OSError as exc:
        logger.warning("gazetteer cache not written to %s: %s", cache_dir, exc)
