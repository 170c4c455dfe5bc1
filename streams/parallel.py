"""``newsstream process --jobs N``: cleaning and tagging in N - 1 worker processes, the rest here, in order.

A backfill on one core runs at about 550 articles/s. Cleaning, tagging, dedup's fingerprint and the story
features are most of that time and need no global order. Cleaning's per-source chrome memory only needs
each source's articles in input order, so articles are sharded to the workers by source (a stable hash)
and every source's memory evolves as in one process; the rest read nothing but the cleaned article (and
its entities). Dedup's decision, story assignment and alerts depend on every earlier article and stay in
this process (about 0.6 ms of CPU an article with two or more workers, so about 1,600 articles/s at
most), which takes the workers' results back in input order. The output is the same as with one process
(tested), with one documented exception: past ``chrome_max_sources`` sources the least recently seen are
evicted per worker, not over all of them.

Workers are spawned (not forked), so nothing of this process's threads or open files is inherited; each
loads the gazetteer from the cache, about a second of start-up.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import threading
import zlib
from collections.abc import Iterable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any

from agents.errors import BadArticle, NewsstreamError
from streams.intake import validate_raw
from streams.loaders import Item
from streams.pipeline import Apart, Outcome, Pipeline, settle
from streams.settings import Settings
from streams.stages import CleanStage, DedupStage, StoryStage, TagStage

log = logging.getLogger(__name__)

#: Articles sent to a worker at a time (one queue message; a message costs more than pickling an article).
CHUNK = 16
#: Articles between reading and writing, per worker: bounds memory when one source's worker lags.
WINDOW_PER_JOB = 256
_POLL_SECONDS = 1.0

#: ``(seq, CleanArticle | None, Apart | None, (reason, message) | None)`` from a worker.
Result = tuple[int, Any, Apart | None, tuple[str, str] | None]


class WorkerDied(NewsstreamError):
    """A process worker exited without finishing its articles (killed, or out of memory)."""


def shard(source: str, jobs: int) -> int:
    """The worker of a source: the same in every run and process (unlike ``hash``)."""
    return zlib.crc32(source.encode("utf-8", "surrogatepass")) % jobs


def _work(settings: Settings, inbox: Any, outbox: Connection, ahead: bool) -> None:
    # Results go out from a thread, so this process cleans the next chunk while the parent is busy (a
    # pipe holds about one chunk); the parent holds no write end of ``outbox``, so if this process dies
    # in the middle of a message the parent reads end-of-file instead of waiting for the rest.
    pending: queue.SimpleQueue[list[Result] | None] = queue.SimpleQueue()

    def send() -> None:
        while (message := pending.get()) is not None:
            outbox.send(message)

    sender = threading.Thread(target=send, name="newsstream-results", daemon=True)
    sender.start()
    writer = getattr(inbox, "_writer", None)  # this process only reads the inbox (see _next_chunk)
    if writer is not None:
        writer.close()
    clean = CleanStage(settings, {})
    tag = TagStage(settings)
    dedup = DedupStage(settings, {})  # fingerprints and features only: functions of the article alone
    stories = StoryStage(settings, {})
    while (chunk := _next_chunk(inbox)) is not None:
        results: list[Result] = []
        for seq, value in chunk:
            try:
                article = clean(validate_raw(value))
                entities = tag.entities(article.text, article.language)
                if ahead:
                    apart = Apart(entities, dedup.fingerprint(article), stories.features(article, entities))
                else:
                    apart = Apart(entities, None, None)
                results.append((seq, article, apart, None))
            except BadArticle as error:
                results.append((seq, None, None, (error.reason, error.message)))
            except Exception as exc:  # as in Pipeline.process_items: one article never ends the run
                log.exception("stage failed in a process worker")
                results.append((seq, None, None, ("stage_error", f"{type(exc).__name__}: {exc}")))
        pending.put(results)
    pending.put(None)
    sender.join()
    outbox.close()


def _next_chunk(inbox: Any) -> list[tuple[int, Any]] | None:
    """The next chunk, or None at the end of the run or when the parent is gone (killed: this process
    would otherwise wait for ever, holding its memory, since nothing else would tell it).

    ``_work`` closes this process's copy of the queue's write end, so a parent killed half-way through
    writing a chunk is end-of-file here rather than a read that never completes.
    """
    parent = multiprocessing.parent_process()
    while True:
        try:
            chunk: list[tuple[int, Any]] | None = inbox.get(timeout=_POLL_SECONDS)
            return chunk
        except queue.Empty:
            if parent is not None and not parent.is_alive():
                log.warning("the parent of this process worker is gone; stopping")
                return None
        except (EOFError, OSError):
            log.warning("the parent of this process worker is gone mid-chunk; stopping")
            return None


def process_items_parallel(
    pipeline: Pipeline, settings: Settings, items: Iterable[Item], workers: int
) -> Iterator[Outcome]:
    """``pipeline.process_items(items)`` with cleaning and tagging in ``workers`` processes; same outcomes."""
    return ParallelRun(pipeline, settings, workers).process_items(items)


class ParallelRun:
    """One run of ``process_items`` over worker processes (``workers`` is filled when it starts)."""

    def __init__(self, pipeline: Pipeline, settings: Settings, workers: int) -> None:
        if workers < 1:
            raise ValueError(f"a parallel run needs at least one worker process, got {workers}")
        self.pipeline = pipeline
        self.settings = settings
        self.jobs = workers
        self.workers: list[Any] = []

    def process_items(self, items: Iterable[Item]) -> Iterator[Outcome]:
        jobs = self.jobs
        context = multiprocessing.get_context("spawn")
        inboxes = [context.Queue() for _ in range(jobs)]
        pipes = [context.Pipe(duplex=False) for _ in range(jobs)]
        outboxes = [reader for reader, _ in pipes]
        # With one worker, this process takes dedup's fingerprint and the story features itself: the two
        # then share the work about evenly (on two cores, 10.5-11.1 s for 9,000 bench articles, against
        # 12.0-12.5 s with the worker doing them). With more workers this process is the bottleneck.
        ahead = jobs > 1
        self.workers = workers = [
            context.Process(
                target=_work,
                args=(self.settings, inbox, writer, ahead),
                name=f"newsstream-process-{n}",
                daemon=True,
            )
            for n, (inbox, (_, writer)) in enumerate(zip(inboxes, pipes, strict=True))
        ]
        for worker, (_, writer) in zip(workers, pipes, strict=True):
            worker.start()
            writer.close()  # the worker's copy is the only one left: its death is end-of-file here
        chunks: list[list[tuple[int, Any]]] = [[] for _ in range(jobs)]
        sent: dict[int, Item] = {}  # given to a worker (or a chunk) and not yet yielded, by input position
        done: dict[int, Outcome | Result] = {}  # back from a worker or decided here, not yet yielded
        window = WINDOW_PER_JOB * jobs  # articles read and not yet yielded (positions next_out..seq)
        next_out = 0

        def flush(index: int) -> None:
            if chunks[index]:
                inboxes[index].put(chunks[index])
                chunks[index] = []

        def died(worker: Any) -> WorkerDied:
            worker.join(timeout=_POLL_SECONDS)
            return WorkerDied(
                f"{worker.name} exited with code {worker.exitcode} with {len(sent)} articles in flight (its"
                " error, if it could print one, is above; a kill by the system is often memory: run with"
                " fewer --jobs)"
            )

        def receive() -> None:
            """Waits for one or more workers' results."""
            while not (readable := wait(outboxes, timeout=_POLL_SECONDS)):
                dead = [worker for worker in workers if not worker.is_alive()]
                if dead:
                    raise died(dead[0])
            for reader in readable:
                try:
                    results = reader.recv()  # type: ignore[union-attr]
                except (EOFError, OSError):  # the worker is gone, perhaps half-way through a message
                    raise died(workers[outboxes.index(reader)]) from None
                for result in results:
                    done[result[0]] = result

        def ready() -> Iterator[Outcome]:
            nonlocal next_out
            while next_out in done:
                entry = done.pop(next_out)
                if not isinstance(entry, Outcome):
                    entry = _finish(self.pipeline, sent.pop(next_out), entry)
                yield entry
                next_out += 1

        finished = False
        try:
            for seq, item in enumerate(items):
                if item.error is not None or item.value is None:  # a dead letter, as in one process
                    done[seq] = settle(item, lambda item=item: self.pipeline.run(validate_raw(item.value)))
                else:
                    # Validated by the worker (a schema error comes back as a dead letter); any shard will
                    # do for a record without a usable source.
                    source = item.value.get("source")
                    index = shard(source if isinstance(source, str) else "", jobs)
                    chunks[index].append((seq, item.value))
                    sent[seq] = item
                    if len(chunks[index]) >= CHUNK:
                        flush(index)
                if seq + 1 - next_out >= window:
                    # Every article before ``seq`` is then at a worker or done: waiting cannot deadlock.
                    for index in range(jobs):
                        flush(index)
                    while seq + 1 - next_out >= window // 2:
                        yield from ready()
                        if seq + 1 - next_out >= window // 2:
                            receive()
                yield from ready()
            for index in range(jobs):
                flush(index)
            while sent or done:
                yield from ready()
                if sent:
                    receive()
            for inbox in inboxes:
                inbox.put(None)
            for worker in workers:
                worker.join(timeout=10)
            finished = True
        finally:
            for worker in workers:
                if worker.is_alive():
                    worker.terminate()
            for inbox in inboxes:
                if not finished:
                    # Articles a dead or stopped worker never read must not keep this process from
                    # exiting (a queue's feeder thread otherwise waits to write them at exit).
                    inbox.cancel_join_thread()
                inbox.close()
            for reader in outboxes:
                reader.close()


def _finish(pipeline: Pipeline, item: Item, result: Result) -> Outcome:
    """The parent's part of one article, settled as ``Pipeline.process_items`` settles it."""
    _, article, apart, error = result

    def work() -> Outcome:
        if error is not None:
            raise BadArticle(*error)
        return pipeline.finish(article, apart)

    return settle(item, work)
