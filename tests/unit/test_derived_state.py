"""Derived keys kept out of the changelog are rebuilt exactly from the primary records."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from agents.clean.core import Cleaner, CleanOptions, PageInput
from agents.dedup.core import DedupInput, Deduplicator
from agents.stories.core import EntityRef, StoryClusterer, StoryInput
from bench.corpus import build_stream
from streams.state import (
    PARTITION_FIELD,
    CachedStore,
    LocalDerived,
    PartitionScoped,
    SplitStore,
    WriteBehindStore,
)

T0 = datetime(2025, 4, 28, 8, tzinfo=UTC)


def _primary_only(store: dict, prefixes: tuple[str, ...]) -> dict:
    return {k: v for k, v in store.items() if not k.startswith(prefixes)}


def test_dedup_verdicts_are_the_same_after_a_rebuild():
    stream = [r for r in build_stream(300, seed=3)]
    full: dict = {}
    dedup = Deduplicator(full)
    for index, record in enumerate(stream[:200]):
        dedup.check(
            DedupInput(record["id"], record["source"], "", record["text"], T0 + timedelta(minutes=index))
        )
    rebuilt = _primary_only(full, Deduplicator.DERIVED_PREFIXES)
    assert len(rebuilt) < len(full) / 5, "most keys are derived"
    other = Deduplicator(rebuilt)
    assert other.rebuild_derived(list(rebuilt.items())) == sum(1 for k in full if k.startswith("a:"))
    assert {k for k in rebuilt} == {k for k in full}
    verdicts = []
    for index, record in enumerate(stream[200:]):
        item = DedupInput(
            record["id"], record["source"], "", record["text"], T0 + timedelta(minutes=200 + index)
        )
        verdicts.append((dedup.check(item), other.check(item)))
    assert all(a == b for a, b in verdicts)
    assert any(a.duplicate_of for a, _ in verdicts), "the stream has copies of stored articles"


def _story_input(index: int, entities: tuple[str, ...], title: str, hours: float) -> StoryInput:
    refs = tuple(EntityRef(e, e, "PERSON", 2) for e in entities)
    return StoryInput(
        f"a{index}",
        f"s{index % 4}",
        title,
        title + " body text " * 5,
        "en",
        T0 + timedelta(hours=hours),
        refs,
    )


def test_story_assignments_are_the_same_after_a_rebuild():
    topics = [("Q1", "Q2"), ("Q3", "Q4"), ("Q5", "Q6"), ("Q7", "Q8")]
    titles = ["harbour strike spreads", "election date set", "floods hit the north", "central bank cuts rate"]
    inputs = [_story_input(i, topics[i % 4], titles[i % 4], i * 0.5) for i in range(40)]
    full: dict = {}
    first = StoryClusterer(full)
    for item in inputs[:30]:
        first.assign(item)
    rebuilt = _primary_only(full, StoryClusterer.DERIVED_PREFIXES)
    second = StoryClusterer(rebuilt)
    second.rebuild_derived(list(rebuilt.items()))
    assert {k for k in rebuilt if k.startswith("k:")} == {k for k in full if k.startswith("k:")}
    for item in inputs[30:]:
        assert first.assign(item)[0] == second.assign(item)[0]


def test_split_store_routes_derived_keys_to_the_local_side_and_rebuilds_per_partition():
    rebuilt: list[int] = []
    current = {"partition": 0}
    derived = LocalDerived(None, lambda: current["partition"], lambda: rebuilt.append(current["partition"]))
    primary: dict = {}
    store = SplitStore(primary, derived, ("b:",))
    store["a:1"] = {"x": 1}
    store["b:7"] = ["1"]
    assert primary == {"a:1": {"x": 1}} and store["b:7"] == ["1"] and rebuilt == [0]
    current["partition"] = 2
    assert store.get("b:7") is None and rebuilt == [0, 2]  # partition 2 has its own derived keys
    derived.forget_partitions()
    current["partition"] = 0
    assert store.get("b:7") is None and rebuilt == [0, 2, 0]  # wiped on rebalance, rebuilt on next use
    assert list(store.primary_items()) == [("a:1", {"x": 1})]


def test_on_disk_derived_store_uses_the_bounded_rocksdb_options(tmp_path):
    from streams.settings import Settings

    options = Settings(rocksdb_write_buffer_mb=1, rocksdb_block_cache_mb=2).rocksdb_options()
    assert options["write_buffer_size"] == 1024 * 1024 and options["max_write_buffer_number"] == 2
    current = {"partition": 1}
    derived = LocalDerived(tmp_path, lambda: current["partition"], lambda: None, options)
    for index in range(3000):  # several memtables' worth: values must survive the flushes
        derived[f"b:{index}"] = ["x" * 500, index]
    assert derived["b:2999"] == ["x" * 500, 2999] and len(derived) == 3000
    assert (tmp_path / "p1").is_dir()
    derived.forget_partitions()


class _DecodingStore(dict):
    """Stands in for a Faust table: stores JSON, decodes a fresh object on every read, counts reads."""

    reads = 0

    def __setitem__(self, key, value):
        super().__setitem__(key, orjson.dumps(value))

    def __getitem__(self, key):
        self.reads += 1
        return orjson.loads(super().__getitem__(key))

    def get(self, key, default=None):
        return self[key] if key in self else default  # noqa: SIM401 (a read must go through __getitem__)

    def pop(self, key, *default):
        if key in self:
            value = self[key]
            super().__delitem__(key)
            return value
        if default:
            return default[0]
        raise KeyError(key)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["set", "get", "del", "pop", "in"]),
            st.sampled_from(["a", "b", "c", "d", "e"]),
            st.integers(0, 9),
        ),
        max_size=60,
    )
)
def test_cached_store_answers_like_a_dict_and_writes_through(operations):
    reference: dict = {}
    backing = _DecodingStore()
    cached = CachedStore(backing, capacity=3)
    for operation, key, number in operations:
        if operation == "set":
            reference[key] = {"n": [number]}
            cached[key] = {"n": [number]}
        elif operation == "get":
            assert cached.get(key) == reference.get(key)
        elif operation == "del":
            if key in reference:
                del reference[key]
                del cached[key]
            else:
                with pytest.raises(KeyError):
                    del cached[key]
        elif operation == "pop":
            assert cached.pop(key, None) == reference.pop(key, None)
        else:
            assert (key in cached) == (key in reference)
        assert {k: orjson.loads(dict.__getitem__(backing, k)) for k in backing} == reference
    cached.clear_cache()
    assert {k: cached[k] for k in reference} == reference


def test_cached_store_serves_hot_keys_without_decoding_again():
    backing = _DecodingStore()
    backing["story"] = {"n": 1}
    cached = CachedStore(backing, capacity=10)
    for _ in range(5):
        assert cached["story"] == {"n": 1}
    assert backing.reads == 1
    assert cached.get("missing") is None and cached.get("missing") is None
    cached.clear_cache()
    assert cached["story"] == {"n": 1} and backing.reads == 2


def test_write_behind_store_writes_the_first_and_every_nth_version_and_answers_from_memory():
    backing: dict = {}
    store = WriteBehindStore(backing, every=3)
    store["site-a"] = {"n": 1}
    assert backing == {"site-a": {"n": 1}}  # a new source is persisted at once
    for n in range(2, 8):
        store["site-a"] = {"n": n}
        assert store["site-a"] == {"n": n}  # answers as a dict would, whatever was written through
    assert backing["site-a"] == {"n": 7}  # written through: versions 1, 4 and 7
    store["site-a"] = {"n": 8}
    assert len(store) == 1 and list(store) == ["site-a"]
    store.forget()  # partitions revoked: the next owner reads the table (version 8 is lost, by design)
    assert store["site-a"] == {"n": 7}
    del store["site-a"]
    assert "site-a" not in store and backing == {}
    with pytest.raises(KeyError):
        del store["site-a"]


def test_write_behind_store_writes_through_while_a_value_is_urgent():
    backing: dict = {}
    store = WriteBehindStore(backing, every=100, urgent=lambda value: value["n"] < 3)
    for n in range(1, 6):
        store["site-a"] = {"n": n}
    assert backing["site-a"] == {"n": 2}  # 1 and 2 were urgent; 3-5 wait for the 100th update


def _page(source: str, index: int) -> PageInput:
    body = f"خبر رقم {index} من {source} عن اجتماع الوزراء في العاصمة لبحث الأوضاع الاقتصادية والسياسية."
    return PageInput(
        source=source,
        text=f"{body}\n{body} وتفاصيل أخرى.",
        article_id=f"{source}-{index}",
        fetched_at=T0 + timedelta(minutes=index),
    )


def test_source_eviction_deletes_only_keys_of_the_partition_being_processed():
    # Sources of partition 1 were seen long ago; a sweep while partition 0 is processed must leave them,
    # since a Faust table would send their tombstones to partition 0's changelog.
    backing: dict = {}
    current = {"partition": 1}
    scoped = PartitionScoped(WriteBehindStore(backing, every=1), lambda: current["partition"])
    options = CleanOptions(chrome_max_sources=2, chrome_sweep_every=1)
    cleaner = Cleaner(scoped, options)
    for index, source in enumerate(["old-1", "old-2", "old-3"]):
        cleaner.clean(_page(source, index))
    assert len(scoped) == 2  # partition 1 keeps its newest two
    current["partition"] = 0
    for index, source in enumerate(["new-1", "new-2", "new-3", "new-4"], start=10):
        cleaner.clean(_page(source, index))
    assert sorted(backing) == ["new-3", "new-4", "old-2", "old-3"]
    assert {backing[key][PARTITION_FIELD] for key in ("new-3", "new-4")} == {0}
    assert list(scoped) == ["new-3", "new-4"]


def test_partition_index_is_rebuilt_from_the_values_after_an_assignment():
    backing = {
        "a": {"t": 1.0, PARTITION_FIELD: 0},
        "b": {"t": 2.0, PARTITION_FIELD: 1},
        "legacy": {"t": 0.0},  # written before values recorded their partition: never swept
    }
    current = {"partition": 0}
    write_behind = WriteBehindStore(backing, every=1)
    scoped = PartitionScoped(write_behind, lambda: current["partition"])
    assert list(scoped) == ["a"] and len(scoped) == 1
    assert write_behind.forget() is None and "b" in scoped  # reads still see every key
    current["partition"] = 1
    scoped["c"] = {"t": 3.0}
    assert sorted(scoped) == ["b", "c"]
    del scoped["b"]
    assert list(scoped) == ["c"] and "b" not in backing
