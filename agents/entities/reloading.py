"""A tagger that follows changes to the gazetteer files without a worker restart.

The worker calls ``reload_if_changed()`` between articles (cheap: one ``stat`` per file, at most once per
``check_interval`` seconds). When a user file (``NEWSSTREAM_GAZETTEER``) or a built-in data file changes,
appears or disappears, the gazetteer is rebuilt and swapped in atomically; if the new files are invalid,
the error is logged and the previous tagger keeps serving (a typo in a user file must not stop tagging).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path

from agents.entities.gazetteer import Gazetteer, builtin_files
from agents.entities.records import TagOptions
from agents.entities.tagger import Tagger
from agents.errors import ConfigError, NewsstreamError

logger = logging.getLogger(__name__)

_Fingerprint = tuple[tuple[str, int, int], ...]


def _fingerprint(paths: Sequence[Path]) -> _Fingerprint:
    out = []
    for path in paths:
        try:
            stat = path.stat()
            out.append((str(path), stat.st_mtime_ns, stat.st_size))
        except OSError:
            out.append((str(path), -1, -1))
    return tuple(out)


class ReloadingTagger:
    """Holds the current ``Tagger`` (``.tagger``) and rebuilds it when the gazetteer files change."""

    def __init__(
        self,
        extra_paths: Sequence[Path] = (),
        options: TagOptions = TagOptions(),
        check_interval: float = 5.0,
        include_builtin: bool = True,
        cache_dir: Path | None = None,
    ) -> None:
        if not 0.0 <= check_interval <= 3600.0:
            raise ConfigError(f"ReloadingTagger.check_interval = {check_interval!r}; allowed 0 to 3600 s")
        self.extra_paths = tuple(Path(p) for p in extra_paths)
        self.options = options
        self.check_interval = check_interval
        self.include_builtin = include_builtin
        self.cache_dir = cache_dir
        self._last_check = time.monotonic()
        paths = self._paths()
        for path in self.extra_paths:
            if not path.exists():
                logger.warning("gazetteer file %s does not exist yet; it is loaded when it appears", path)
        self._fingerprint = _fingerprint(paths)
        self.tagger = Tagger(Gazetteer.from_files([p for p in paths if p.exists()], cache_dir), options)

    def _paths(self) -> list[Path]:
        return [*(builtin_files() if self.include_builtin else []), *self.extra_paths]

    def reload_if_changed(self, force_check: bool = False) -> bool:
        """Rebuild if any file changed since the last build; True when a new tagger was swapped in."""
        now = time.monotonic()
        if not force_check and now - self._last_check < self.check_interval:
            return False
        self._last_check = now
        paths = self._paths()
        fingerprint = _fingerprint(paths)
        if fingerprint == self._fingerprint:
            return False
        self._fingerprint = fingerprint
        try:
            gazetteer = Gazetteer.from_files([p for p in paths if p.exists()], self.cache_dir)
        except NewsstreamError as exc:
            logger.error("gazetteer reload failed, keeping the previous one: %s", exc)
            return False
        self.tagger = Tagger(gazetteer, self.options)
        logger.info("gazetteer reloaded: %s", gazetteer.stats())
        return True
