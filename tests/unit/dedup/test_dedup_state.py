"""Redelivery, arrival order, provenance, the eviction bound and state that lives only in the store."""

from __future__ import annotations

import itertools
import json
import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agents.dedup import DedupInput, Deduplicator, DedupOptions
from agents.dedup import variants as V
from agents.dedup.records import ARTICLE_PREFIX, BAND_PREFIX, BUCKETS_KEY, EXACT_PREFIX, TIME_PREFIX
from agents.errors import BadArticle, ConfigError
from tests.unit.dedup.dedup_texts import AR_ORIGINAL, EN_ORIGINAL, T0, UNRELATED_EN, item

VOCABULARY = sorted(
    set(" ".join([EN_ORIGINAL, UNRELATED_EN]).lower().replace(",", "").replace(".", "").split())
)


def generated_article(rng: random.Random, paragraphs: int = 4) -> str:
    """Random text over a shared vocabulary: unrelated articles that still share every word."""
    return "\n\n".join(" ".join(rng.choices(VOCABULARY, k=40)) + "." for _ in range(paragraphs))


def articles_in(store: dict) -> set[str]:
    return {key[len(ARTICLE_PREFIX) :] for key in store if key.startswith(ARTICLE_PREFIX)}


class TestRedelivery:
    def test_same_id_twice_gives_the_same_verdict_and_leaves_the_store_unchanged(self):
        store: dict = {}
        dedup = Deduplicator(store)
        original = item("orig", EN_ORIGINAL)
        copy = item("copy", V.edited(EN_ORIGINAL, random.Random(3), 0.05), source="site-b", hours=1)
        first_original, first_copy = dedup.check(original), dedup.check(copy)
        snapshot = json.dumps(store, sort_keys=True)
        assert dedup.check(original) == first_original
        assert dedup.check(copy) == first_copy
        assert json.dumps(store, sort_keys=True) == snapshot
        assert first_original.duplicate_of is None
        assert first_copy.duplicate_of == "orig"

    def test_an_article_is_never_its_own_copy_even_after_its_copies_arrived(self):
        dedup = Deduplicator({})
        dedup.check(item("orig", AR_ORIGINAL))
        dedup.check(item("copy", AR_ORIGINAL, source="site-b", hours=1))
        assert dedup.check(item("orig", AR_ORIGINAL)).duplicate_of is None
        assert dedup.check(item("copy", AR_ORIGINAL, source="site-b", hours=1)).duplicate_of == "orig"

    def test_redelivery_replays_the_published_verdict_even_if_the_text_changed(self):
        dedup = Deduplicator({})
        dedup.check(item("orig", EN_ORIGINAL))
        dedup.check(item("other", UNRELATED_EN, hours=1))
        assert dedup.check(item("other", EN_ORIGINAL, hours=1)).duplicate_of is None


class TestOrderAndProvenance:
    def test_copy_of_a_copy_names_the_first_publisher(self):
        dedup = Deduplicator({})
        dedup.check(item("orig", EN_ORIGINAL, source="first"))
        middle = V.edited(EN_ORIGINAL, random.Random(1), 0.05)
        dedup.check(item("middle", middle, source="second", hours=1))
        verdict = dedup.check(item("last", middle, source="third", hours=2))
        assert verdict.duplicate_of == "orig"
        assert verdict.first_publisher == "first"
        assert verdict.matched_id in {"orig", "middle"}

    def test_a_late_arrival_with_an_earlier_event_time_is_the_original(self):
        dedup = Deduplicator({})
        copy = dedup.check(item("copy", EN_ORIGINAL, source="copier", hours=5))
        original = dedup.check(item("orig", EN_ORIGINAL, source="first", hours=1))
        later = dedup.check(item("later", V.truncated(EN_ORIGINAL, 0.65), source="third", hours=9))
        assert copy.duplicate_of is None
        assert original.duplicate_of is None
        assert later.duplicate_of == "orig"
        assert later.first_publisher == "first"

    def test_equal_event_times_make_the_first_arrival_the_original(self):
        dedup = Deduplicator({})
        assert dedup.check(item("b-first", EN_ORIGINAL, hours=1)).duplicate_of is None
        assert dedup.check(item("a-second", EN_ORIGINAL, hours=1)).duplicate_of == "b-first"

    def test_every_arrival_order_names_the_earliest_article_as_original(self):
        texts = [
            EN_ORIGINAL,
            V.reheaded(EN_ORIGINAL, random.Random(2)),
            V.edited(EN_ORIGINAL, random.Random(2), 0.05),
            V.reordered(EN_ORIGINAL, random.Random(2)),
        ]
        articles = [
            item(f"a{index}", text, source=f"s{index}", hours=index) for index, text in enumerate(texts)
        ]
        probe = item("probe", V.truncated(EN_ORIGINAL, 0.7), source="probe", hours=10)
        for order in itertools.permutations(articles):
            dedup = Deduplicator({})
            verdicts = {article.article_id: dedup.check(article) for article in order}
            assert verdicts["a0"].duplicate_of is None
            assert dedup.check(probe).duplicate_of == "a0", [a.article_id for a in order]

    def test_arrival_in_event_time_order_gives_the_same_verdicts_as_any_batching(self):
        rng = random.Random(9)
        base = [generated_article(rng) for _ in range(4)]
        stream = []
        for index in range(24):
            source_text = base[index % 4]
            text = source_text if index < 4 else V.edited(source_text, rng, 0.05)
            stream.append(item(f"n{index}", text, source=f"s{index}", hours=index))
        first = Deduplicator({})
        reference = [first.check(article) for article in stream]
        assert [v.duplicate_of for v in reference[:4]] == [None] * 4
        assert [v.duplicate_of for v in reference[4:]] == [f"n{index % 4}" for index in range(4, 24)]


class TestStateLivesInTheStore:
    def test_a_second_worker_restored_from_the_changelog_finds_the_original(self):
        worker_one_store: dict = {}
        Deduplicator(worker_one_store).check(item("orig", AR_ORIGINAL, source="first"))
        restored = json.loads(json.dumps(worker_one_store))
        verdict = Deduplicator(restored).check(item("copy", V.truncated(AR_ORIGINAL, 0.65), hours=1))
        assert verdict.duplicate_of == "orig"
        assert verdict.first_publisher == "first"

    def test_two_instances_sharing_one_store_agree_with_one_instance(self):
        rng = random.Random(4)
        base = [generated_article(rng) for _ in range(3)]
        stream = [
            item(f"n{i}", base[i % 3] if i < 3 else V.edited(base[i % 3], rng, 0.08), hours=i)
            for i in range(12)
        ]
        single = Deduplicator({})
        expected = [single.check(article) for article in stream]
        shared: dict = {}
        workers = [Deduplicator(shared), Deduplicator(shared)]
        got = [workers[index % 2].check(article) for index, article in enumerate(stream)]
        assert got == expected


class TestBoundedState:
    def test_articles_older_than_the_window_are_evicted_with_all_their_keys(self):
        options = DedupOptions(window=timedelta(days=1), bucket=timedelta(hours=1))
        store: dict = {}
        dedup = Deduplicator(store, options)
        rng = random.Random(5)
        old_text = generated_article(rng)
        dedup.check(item("old", old_text))
        for hour in range(1, 30):
            dedup.check(item(f"h{hour}", generated_article(rng), hours=hour))
        live = articles_in(store)
        assert "old" not in live
        assert live == {f"h{hour}" for hour in range(5, 30)}
        for key, value in store.items():
            if key.startswith(BAND_PREFIX) or key.startswith(TIME_PREFIX):
                assert set(value) <= live, key
            if key.startswith(EXACT_PREFIX):
                assert value in live
        assert dedup.check(item("again", old_text, hours=30)).duplicate_of is None

    def test_store_size_stops_growing_once_the_window_is_full(self):
        options = DedupOptions(window=timedelta(hours=12), bucket=timedelta(hours=1))
        store: dict = {}
        dedup = Deduplicator(store, options)
        rng = random.Random(6)
        sizes = []
        per_hour = 3
        for hour in range(72):
            for n in range(per_hour):
                dedup.check(item(f"h{hour}-{n}", generated_article(rng, 2), hours=hour + n / 10))
            sizes.append(len(store))
        live_bound = (12 + 1) * per_hour
        assert len(articles_in(store)) <= live_bound
        keys_per_article = 1 + options.bands + 1
        assert max(sizes) <= live_bound * keys_per_article + 13 + 2
        assert max(sizes[36:]) - min(sizes[36:]) <= 2 * per_hour * keys_per_article
        assert len(store[BUCKETS_KEY]) <= 13

    def test_articles_already_outside_the_window_are_checked_but_not_stored(self):
        store: dict = {}
        dedup = Deduplicator(store, DedupOptions(window=timedelta(days=1)))
        dedup.check(item("new", EN_ORIGINAL, hours=100))
        before = dict(store)
        verdict = dedup.check(item("ancient", EN_ORIGINAL, hours=1))
        assert verdict.duplicate_of is None
        assert store == before

    def test_band_lists_are_capped(self):
        store: dict = {}
        dedup = Deduplicator(store, DedupOptions(max_bucket_ids=3))
        for index in range(6):
            dedup.check(item(f"same{index}", EN_ORIGINAL, hours=index))
        bands = [value for key, value in store.items() if key.startswith(BAND_PREFIX)]
        assert bands and all(value == ["same3", "same4", "same5"] for value in bands)

    def test_every_value_is_json_serialisable(self):
        store: dict = {}
        dedup = Deduplicator(store)
        dedup.check(item("orig", AR_ORIGINAL))
        dedup.check(item("copy", V.reheaded(AR_ORIGINAL, random.Random(1)), hours=1))
        assert json.loads(json.dumps(store)) == store


class TestInputsAndOptions:
    def test_naive_event_time_is_a_bad_article(self):
        with pytest.raises(BadArticle) as error:
            Deduplicator({}).check(DedupInput("x", "s", "", EN_ORIGINAL, datetime(2025, 1, 1)))
        assert error.value.reason == "bad_event_time"

    def test_no_words_at_all_is_a_bad_article(self):
        with pytest.raises(BadArticle) as error:
            Deduplicator({}).check(DedupInput("x", "s", " -- ", "\n\n ... \n", T0))
        assert error.value.reason == "empty_body"

    def test_an_empty_body_falls_back_to_the_title(self):
        dedup = Deduplicator({})
        dedup.check(DedupInput("x", "s", "Storm closes the port of Carden", "", T0))
        verdict = dedup.check(
            DedupInput("y", "t", "Storm closes the port of Carden", "", T0 + timedelta(hours=1))
        )
        assert verdict.duplicate_of == "x"
        assert verdict.duplicate_kind == "exact"

    def test_event_time_in_another_zone_is_compared_as_an_instant(self):
        dedup = Deduplicator({})
        plus_four = datetime(
            2025, 4, 28, 12, 0, tzinfo=datetime.fromisoformat("2025-01-01T00:00+04:00").tzinfo
        )
        dedup.check(DedupInput("utc", "s", "", EN_ORIGINAL, datetime(2025, 4, 28, 8, 30, tzinfo=UTC)))
        assert dedup.check(DedupInput("gst", "t", "", EN_ORIGINAL, plus_four)).duplicate_of is None

    @pytest.mark.parametrize(
        ("field", "value"),
        [
            ("window", timedelta(0)),
            ("bucket", timedelta(days=30)),
            ("shingle_size", 0),
            ("num_perm", 8),
            ("bands", 100),
            ("min_kept_fraction", 1.5),
            ("min_truncated_fraction", 0.9),
            ("max_new_fraction", 0.0),
            ("sample_rate", 3),
            ("window_words", True),
        ],
    )
    def test_bad_options_name_the_option(self, field, value):
        with pytest.raises(ConfigError, match=field):
            DedupOptions(**{field: value})


class TestRedeliveryProperty:
    POOL = (
        EN_ORIGINAL,
        V.truncated(EN_ORIGINAL, 0.65),
        V.edited(EN_ORIGINAL, random.Random(1), 0.05),
        AR_ORIGINAL,
        V.reordered(AR_ORIGINAL, random.Random(1)),
        UNRELATED_EN,
    )

    @settings(max_examples=60, deadline=None)
    @given(
        st.lists(st.tuples(st.integers(0, 5), st.integers(0, 48)), min_size=1, max_size=12),
        st.lists(st.integers(0, 11), max_size=12),
    )
    def test_redelivered_messages_replay_their_first_verdict(self, messages, redeliveries):
        stream = [
            item(f"m{index}", self.POOL[text], source=f"s{index}", hours=hour)
            for index, (text, hour) in enumerate(messages)
        ]
        once = Deduplicator({})
        expected = {article.article_id: once.check(article) for article in stream}
        twice = Deduplicator({})
        seen: dict[str, object] = {}
        for index, article in enumerate(stream):
            seen.setdefault(article.article_id, twice.check(article))
            for again in redeliveries:
                if again <= index:
                    assert twice.check(stream[again]) == seen[stream[again].article_id]
        assert seen == expected
        assert all(v.duplicate_of != article_id for article_id, v in seen.items())
