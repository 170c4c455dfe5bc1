"""Stage state on Faust tables, with derived keys kept out of the changelog.

A core's store holds two kinds of keys. *Primary* keys are the facts (an article's signature, a story
record): they go through the Faust table, so every write is a changelog record and a restarted or rebalanced
worker recovers them. *Derived* keys are indexes computed from the primary ones (LSH band lists, the story
inverted index, schedules): writing them to the changelog would multiply the records per article by ten or
more, and on the local broker every changelog write of a partition costs a round trip. Derived keys live in
a local store per partition and are rebuilt from the primary keys whenever a partition is (re)assigned.

A core opts in by declaring ``DERIVED_PREFIXES`` and implementing ``rebuild_derived(primary_items)``.
"""

from __future__ import annotations

import logging
import shutil
from collections import OrderedDict
from collections.abc import Callable, Iterator, MutableMapping
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)


class RebuildsDerived(Protocol):
    DERIVED_PREFIXES: tuple[str, ...]

    def rebuild_derived(self, primary_items: Iterator[tuple[str, Any]]) -> int: ...


class SplitStore(MutableMapping[str, Any]):
    """Routes primary keys to ``primary`` (a Faust table or dict) and derived keys to ``derived``."""

    def __init__(
        self,
        primary: MutableMapping[str, Any],
        derived: MutableMapping[str, Any],
        derived_prefixes: tuple[str, ...],
    ) -> None:
        self.primary = primary
        self.derived = derived
        self.prefixes = derived_prefixes

    def _side(self, key: str) -> MutableMapping[str, Any]:
        return self.derived if key.startswith(self.prefixes) else self.primary

    def __getitem__(self, key: str) -> Any:
        return self._side(key)[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self._side(key).get(key, default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key in self._side(key)

    def __setitem__(self, key: str, value: Any) -> None:
        self._side(key)[key] = value

    def __delitem__(self, key: str) -> None:
        del self._side(key)[key]

    def pop(self, key: str, *default: Any) -> Any:
        return self._side(key).pop(key, *default)

    def __iter__(self) -> Iterator[str]:
        yield from self.primary
        yield from self.derived

    def __len__(self) -> int:
        return len(self.primary) + len(self.derived)

    def primary_items(self) -> Iterator[tuple[str, Any]]:
        for key, value in list(self.primary.items()):
            if not key.startswith(self.prefixes):
                yield key, value


_MISSING = object()
_ABSENT = object()


def _stored(backing: MutableMapping[str, Any], key: str) -> Any:
    """``backing``'s value for ``key``, or ``_ABSENT``.

    Our Faust tables are made with ``default=None`` and answer None for a missing key; a dict does not.
    """
    value = backing.get(key, _ABSENT)
    if value is None and not isinstance(backing, dict):
        return _ABSENT
    return value


class _ReadsThroughGet(MutableMapping[str, Any]):
    """Item access and membership answered by the subclass's ``get`` (which knows its memory)."""

    def __getitem__(self, key: str) -> Any:
        value = self.get(key, _MISSING)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self.get(key, _MISSING) is not _MISSING


class CachedStore(_ReadsThroughGet):
    """A bounded cache of decoded values in front of a store that decodes on every read.

    A Faust table (RocksDB + JSON) or a rocksdict store pays a lookup and a decode per ``get``; the story and
    dedup cores read the same hot keys (a live story, a popular entity's posting list) for many articles
    in a row. Values are cached as written, so the core sees what a dict would give it (the cores write
    back every change by assignment, which is also what sends it to the changelog). Known-absent keys
    are cached too. Writes and deletes go through to the backing store at once; ``clear_cache`` must be
    called when the backing store changes underneath (a rebalance and table recovery).
    """

    def __init__(self, backing: MutableMapping[str, Any], capacity: int) -> None:
        self.backing = backing
        self.capacity = capacity
        self._cache: OrderedDict[str, Any] = OrderedDict()

    def clear_cache(self) -> None:
        self._cache.clear()

    def _remember(self, key: str, value: Any) -> None:
        cache = self._cache
        cache[key] = value
        cache.move_to_end(key)
        if len(cache) > self.capacity:
            cache.popitem(last=False)

    def get(self, key: str, default: Any = None) -> Any:
        value = self._cache.get(key, _MISSING)
        if value is _MISSING:
            value = _stored(self.backing, key)
            self._remember(key, value)
        else:
            self._cache.move_to_end(key)
        return default if value is _ABSENT else value

    def __setitem__(self, key: str, value: Any) -> None:
        self.backing[key] = value
        self._remember(key, value)

    def __delitem__(self, key: str) -> None:
        if self.get(key, _MISSING) is _MISSING:
            raise KeyError(key)
        del self.backing[key]
        self._remember(key, _ABSENT)

    def __iter__(self) -> Iterator[str]:
        return iter(self.backing)

    def __len__(self) -> int:
        return len(self.backing)

    def items(self) -> Any:
        return self.backing.items()

    def keys(self) -> Any:
        return self.backing.keys()

    def close(self) -> None:
        self._cache.clear()
        close = getattr(self.backing, "close", None)
        if close is not None:
            close()


class BatchedWrites(_ReadsThroughGet):
    """Holds the writes of one batch of records and writes each key to the table once, at ``flush``.

    Every assignment to a Faust table is a changelog record, and the story hop writes the same keys many
    times in a batch (a growing story, its alert state: about 3.8 writes per article, 2.7 distinct keys
    in a batch of 64). The batch's records are acknowledged only after their outputs went out, which is
    after ``flush`` and the producer flush, so a crash before then redelivers the batch as before.
    ``flush`` must run while the current event is of the partition the writes were made for (the
    changelog partition of a table write is the current event's): ``consume_batches`` flushes at the end
    of a batch and before the first record of another partition. ``discard`` drops what a revoked
    partition left pending.
    """

    def __init__(self, backing: MutableMapping[str, Any]) -> None:
        self.backing = backing
        self._pending: dict[str, Any] = {}

    def get(self, key: str, default: Any = None) -> Any:
        value = self._pending.get(key, _MISSING)
        if value is _MISSING:
            value = _stored(self.backing, key)
        return default if value is _ABSENT else value

    def __setitem__(self, key: str, value: Any) -> None:
        self._pending[key] = value

    def __delitem__(self, key: str) -> None:
        if self.get(key, _MISSING) is _MISSING:
            raise KeyError(key)
        self._pending[key] = _ABSENT

    def __iter__(self) -> Iterator[str]:
        pending = self._pending
        for key in list(self.backing):
            if pending.get(key, _MISSING) is not _ABSENT:
                yield key
        for key, value in list(pending.items()):
            if value is not _ABSENT and key not in self.backing:
                yield key

    def __len__(self) -> int:
        return sum(1 for _ in self)

    @property
    def pending(self) -> int:
        return len(self._pending)

    def flush(self) -> int:
        """Write every pending key to the table once; return how many."""
        pending, self._pending = self._pending, {}
        for key, value in pending.items():
            if value is _ABSENT:
                if _stored(self.backing, key) is not _ABSENT:
                    del self.backing[key]
            else:
                self.backing[key] = value
        return len(pending)

    def discard(self) -> None:
        self._pending.clear()


class WriteBehindStore(_ReadsThroughGet):
    """Keeps learned, heuristic state in memory and writes a key through every ``every`` updates.

    The per-source chrome memory is rewritten whole for every article (7-13 KB of JSON each time), which
    was the largest single share of what a worker sent to the broker. Losing the last few updates of a
    source on a crash only means those pages are counted again when redelivered, so the table (and its
    changelog) gets every ``every``-th version; the first version of a key, and every version for which
    ``urgent(value)`` holds (a source still learning its chrome), go through at once. The
    in-memory values are what a dict store would hold, so cleaning answers as in ``newsstream process``.
    Writes happen inside stream processing (Faust tables need the current event); ``forget`` drops the
    memory when partitions are revoked, so a new owner reads the table.
    """

    def __init__(
        self, backing: MutableMapping[str, Any], every: int, urgent: Callable[[Any], bool] | None = None
    ) -> None:
        self.backing = backing
        self.every = max(1, every)
        self._urgent = urgent
        self._values: dict[str, Any] = {}
        self._pending: dict[str, int] = {}

    def forget(self) -> None:
        self._values.clear()
        self._pending.clear()

    def get(self, key: str, default: Any = None) -> Any:
        if key in self._values:
            return self._values[key]
        value = _stored(self.backing, key)
        if value is _ABSENT:
            return default
        self._values[key] = value
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        first = key not in self._values and key not in self.backing
        self._values[key] = value
        pending = self._pending.get(key, 0) + 1
        if first or pending >= self.every or (self._urgent is not None and self._urgent(value)):
            self.backing[key] = value
            pending = 0
        self._pending[key] = pending

    def __delitem__(self, key: str) -> None:
        known = self._values.pop(key, _MISSING) is not _MISSING
        self._pending.pop(key, None)
        if key in self.backing:
            del self.backing[key]
        elif not known:
            raise KeyError(key)

    def peek(self, key: str) -> Any:
        """The current value of ``key`` (None if absent) without keeping it in memory."""
        if key in self._values:
            return self._values[key]
        value = _stored(self.backing, key)
        return None if value is _ABSENT else value

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(set(self._values) | set(self.backing)))

    def __len__(self) -> int:
        return len(set(self._values) | set(self.backing))


#: Field of a dict value that records the stream partition it was last written from.
PARTITION_FIELD = "_p"


class PartitionScoped(_ReadsThroughGet):
    """Reads and writes any key; iterates and counts only the keys of the partition being processed.

    A Faust table sends the changelog record of a write or delete to the partition of the current event,
    so a sweep (the cleaner's eviction of stale sources) may delete only keys of that partition: one that
    walked every key the worker held put tombstones of other partitions' keys on the wrong changelog
    partition, and the evicted keys came back after a restart. Keys carry no partition, so each dict
    value records the partition it was last written from (``PARTITION_FIELD``), and an index of
    key -> partition is built from the values at the first sweep after an assignment (``forget``).
    Values written before this field existed belong to no partition until they are written again.
    """

    def __init__(self, backing: WriteBehindStore, partition: Callable[[], int]) -> None:
        self.backing = backing
        self._partition = partition
        self._index: dict[str, int | None] | None = None

    def forget(self) -> None:
        self._index = None

    def get(self, key: str, default: Any = None) -> Any:
        return self.backing.get(key, default)

    def __setitem__(self, key: str, value: Any) -> None:
        partition = self._partition()
        if isinstance(value, dict):
            value[PARTITION_FIELD] = partition
        self.backing[key] = value
        if self._index is not None:
            self._index[key] = partition

    def __delitem__(self, key: str) -> None:
        del self.backing[key]
        if self._index is not None:
            self._index.pop(key, None)

    def _here(self) -> list[str]:
        if self._index is None:
            index: dict[str, int | None] = {}
            for key in self.backing:
                value = self.backing.peek(key)
                index[key] = value.get(PARTITION_FIELD) if isinstance(value, dict) else None
            self._index = index
        partition = self._partition()
        return [key for key, owner in self._index.items() if owner == partition]

    def __iter__(self) -> Iterator[str]:
        return iter(self._here())

    def __len__(self) -> int:
        return len(self._here())


class LocalDerived(MutableMapping[str, Any]):
    """Derived keys of one table: a dict per partition, or a RocksDB (rocksdict) per partition on disk.

    Which partition is current comes from ``partition()`` (the partition of the record being processed);
    a partition seen for the first time since it was assigned is wiped and rebuilt by ``on_new_partition``.
    """

    def __init__(
        self,
        directory: Path | None,
        partition: Any,
        on_new_partition: Any,
        rocksdb_options: dict[str, int] | None = None,
        cache_entries: int = 0,
    ) -> None:
        self._directory = directory
        self._rocksdb_options = rocksdb_options or {}
        self._cache_entries = cache_entries
        self._partition = partition
        self._on_new_partition = on_new_partition
        self._stores: dict[int, MutableMapping[str, Any]] = {}

    def forget_partitions(self) -> None:
        """Called on rebalance: every partition is rebuilt before its next use."""
        for store in self._stores.values():
            close = getattr(store, "close", None)
            if close is not None:
                close()
        self._stores.clear()

    def _current(self) -> MutableMapping[str, Any]:
        partition = self._partition()
        store = self._stores.get(partition)
        if store is None:
            store = self._stores[partition] = self._open(partition)
            self._on_new_partition()
        return store

    def _open(self, partition: int) -> MutableMapping[str, Any]:
        if self._directory is None:
            return {}
        from rocksdict import BlockBasedOptions, Cache, Options, Rdict, WriteOptions

        path = self._directory / f"p{partition}"
        shutil.rmtree(path, ignore_errors=True)  # stale after a crash or a move: rebuilt from primary keys
        path.parent.mkdir(parents=True, exist_ok=True)
        options = Options()
        options.create_if_missing(True)
        if self._rocksdb_options:
            options.set_write_buffer_size(self._rocksdb_options["write_buffer_size"])
            options.set_max_write_buffer_number(self._rocksdb_options["max_write_buffer_number"])
            table_options = BlockBasedOptions()
            table_options.set_block_cache(Cache(self._rocksdb_options["block_cache_size"]))
            options.set_block_based_table_factory(table_options)
        store = Rdict(str(path), options=options)
        # No write-ahead log: the directory is wiped and rebuilt from the primary keys whenever it is
        # opened, so the log is never replayed; skipping it takes a third off every put (3.5 -> 2.3 µs).
        write_options = WriteOptions()
        write_options.disable_wal = True
        store.set_write_options(write_options)
        return CachedStore(store, self._cache_entries) if self._cache_entries else store

    def __getitem__(self, key: str) -> Any:
        return self._current()[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self._current().get(key, default)

    def __contains__(self, key: object) -> bool:
        return key in self._current()

    def __setitem__(self, key: str, value: Any) -> None:
        self._current()[key] = value

    def __delitem__(self, key: str) -> None:
        del self._current()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._current().keys()))

    def __len__(self) -> int:
        store = self._current()
        return len(store) if isinstance(store, dict) else sum(1 for _ in store.keys())  # noqa: SIM118


def current_partition() -> int:
    """Partition of the record a Faust stream is processing (-1 outside stream processing)."""
    from faust.streams import current_event

    event = current_event()
    return event.message.partition if event is not None else -1


def batched_writes(app: Any, table: Any) -> BatchedWrites:
    """A :class:`BatchedWrites` over a worker's ``table`` whose pending writes are dropped when partitions
    are revoked: their batch was not acknowledged, so it is redelivered to the new owner."""
    batched = BatchedWrites(table)

    @app.on_partitions_revoked.connect
    async def _discard(sender: Any = None, *args: Any, **kwargs: Any) -> None:
        batched.discard()

    return batched


def table_store(
    app: Any, table: Any, core_factory: Any, settings: Any, batched: BatchedWrites | None = None
) -> Any:
    """Build a core over ``table`` with derived keys kept locally; returns the core.

    ``core_factory(store)`` makes the core. When the core declares ``DERIVED_PREFIXES``, its derived keys
    go to a :class:`LocalDerived` rebuilt (via ``rebuild_derived``) when a partition is first used after
    an assignment; otherwise the table is used as it is. ``batched`` (a :class:`BatchedWrites` over
    ``table``) stands in for the table when the agent processes records in batches.
    """
    holder: dict[str, Any] = {}
    partition = current_partition

    def rebuild() -> None:
        core = holder["core"]
        count = core.rebuild_derived(holder["store"].primary_items())
        log.info(
            "rebuilt derived state", extra={"table": table.name, "partition": partition(), "records": count}
        )

    directory = None
    if settings.store.startswith("rocksdb"):
        directory = settings.data_dir / "derived" / str(settings.web_port) / table.name
    cache_entries = settings.state_cache_entries
    derived = LocalDerived(directory, partition, rebuild, settings.rocksdb_options(), cache_entries)
    probe = core_factory({})
    prefixes = getattr(probe, "DERIVED_PREFIXES", ())
    backing = table if batched is None else batched
    if not prefixes:
        return core_factory(backing)
    primary = CachedStore(backing, cache_entries) if cache_entries else backing
    store = SplitStore(primary, derived, tuple(prefixes))
    core = core_factory(store)
    holder.update(core=core, store=store)

    @app.on_partitions_revoked.connect
    async def _stale(sender: Any = None, *args: Any, **kwargs: Any) -> None:
        if isinstance(primary, CachedStore):
            primary.clear_cache()  # recovery may rewrite any key before processing resumes

    @app.on_rebalance_complete.connect
    async def _forget(sender: Any = None, **kwargs: Any) -> None:
        if isinstance(primary, CachedStore):
            primary.clear_cache()
        derived.forget_partitions()

    return core
