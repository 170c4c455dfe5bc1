"""The worker's web face: read-only JSON API, Prometheus metrics, and the dashboard page.

Routes: ``/`` (dashboard), ``/stories``, ``/stories/{story_id}``, ``/alerts``, ``/entities/{entity_id}``,
``/healthz``, ``/metrics``, ``/openapi.json``. All GET; an optional bearer token (``NEWSSTREAM_API_TOKEN``)
guards everything but ``/healthz``. The board is fed by a plain consumer of ``news.stories`` and the alert
topics (no consumer group), so every worker serves the whole picture.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import re
import time
from importlib import resources
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer
from pydantic import ValidationError

from streams.board import StoryBoard
from streams.broker import bootstrap_servers
from streams.metrics import Metrics
from streams.redelivery import read_positions
from streams.schemas import Alert, StoryEvent
from streams.settings import Settings
from streams.topics import TopicNames
from streams.tuning import true_end_offsets

log = logging.getLogger(__name__)


def openapi(settings: Settings) -> dict[str, Any]:
    """A small OpenAPI 3.1 description whose schemas are the pydantic wire models."""

    def get(summary: str, schema: str | None = None, params: list[dict[str, Any]] | None = None) -> Any:
        response: dict[str, Any] = {"description": "OK"}
        if schema:
            response["content"] = {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}
        return {"get": {"summary": summary, "parameters": params or [], "responses": {"200": response}}}

    def path_param(name: str) -> dict[str, Any]:
        return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}

    def query(name: str, kind: str = "string") -> dict[str, Any]:
        return {"name": name, "in": "query", "required": False, "schema": {"type": kind}}

    return {
        "openapi": "3.1.0",
        "info": {"title": "newsstream", "version": "1"},
        "paths": {
            "/stories": get(
                "Active stories, most recently growing first",
                None,
                [query("offset", "integer"), query("limit", "integer")],
            ),
            "/stories/{story_id}": get(
                "One story: summary, articles, sources, entities, timeline",
                "StoryEvent",
                [path_param("story_id")],
            ),
            "/alerts": get(
                "Recent alerts", None, [query("rule"), query("severity"), query("limit", "integer")]
            ),
            "/entities/{entity_id}": get(
                "Recent stories mentioning an entity", None, [path_param("entity_id")]
            ),
            "/healthz": get("Liveness"),
            "/metrics": get("Prometheus metrics"),
        },
        "components": {
            "schemas": {"StoryEvent": StoryEvent.model_json_schema(), "Alert": Alert.model_json_schema()}
        },
        "security": [{"bearer": []}] if settings.api_token else [],
    }


class BoardFeeder:
    """Consumes news.stories and the alert topics into the board (runs inside the worker's loop)."""

    def __init__(self, settings: Settings, broker_url: str, board: StoryBoard) -> None:
        self.settings = settings
        self.broker_url = broker_url
        self.board = board
        self.names = TopicNames.for_prefix(settings.topic_prefix)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()

    async def _run(self) -> None:
        while True:
            try:
                consumer = AIOKafkaConsumer(
                    bootstrap_servers=bootstrap_servers(self.broker_url),
                    group_id=None,
                    auto_offset_reset="earliest",
                    enable_auto_commit=False,
                    **self.settings.kafka_client_options(),
                )
                await consumer.start()
                pattern = f"^({re.escape(self.names.stories)}|{re.escape(self.names.alerts)}(\\..+)?)$"
                consumer.subscribe(pattern=pattern)
                try:
                    await replay_recent(
                        consumer,
                        self.settings.board_replay_records,
                        bootstrap_servers(self.broker_url) if self.settings.uses_local_broker else None,
                    )
                    while True:
                        # getmany, not iteration: a buffered record is returned without yielding to the
                        # loop, and a replay would hold the worker's agents back until it is done.
                        batch = await consumer.getmany(timeout_ms=1000, max_records=200)
                        for records in batch.values():
                            for record in records:
                                self._apply(record.topic, record.value)
                        await asyncio.sleep(0)
                finally:
                    await consumer.stop()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("board feed failed; retrying in 2 s")
                await asyncio.sleep(2)

    def _apply(self, topic: str, value: bytes) -> None:
        try:
            if topic == self.names.stories:
                self.board.on_story_event(StoryEvent.model_validate_json(value))
            else:
                self.board.on_alert(Alert.model_validate_json(value))
        except ValidationError:
            log.warning("unreadable record on %s ignored by the board", topic)


async def replay_recent(
    consumer: AIOKafkaConsumer, records: int, local_bootstrap: Any = None, wait: float = 5.0
) -> None:
    """Start every assigned partition at most ``records`` before its end.

    The board holds the latest stories and alerts only, and a long-running deployment's news.stories
    holds millions of events (replaying them all would hold the worker's loop for minutes at every
    start). Counted back from the end, because the local broker answers no timestamp lookups; it also
    reports the end of a partition as the start of its last batch, so with ``local_bootstrap`` the ends
    are corrected first. Topics that appear later (a new rule's alert topic) are read from their start.
    """
    deadline = asyncio.get_running_loop().time() + wait
    while not consumer.assignment() and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.05)  # no topic yet: nothing to skip
    assigned = list(consumer.assignment())
    if not assigned:
        return
    starts = await consumer.beginning_offsets(assigned)
    ends = await consumer.end_offsets(assigned)
    if local_bootstrap is not None:
        ends = await true_end_offsets(local_bootstrap, ends)
    for partition in assigned:
        consumer.seek(partition, max(starts[partition], ends[partition] - records))


def consumer_lag(app: Any) -> dict[tuple[tuple[str, str], ...], float]:
    """Highwater minus the last offset read, per assigned partition (Faust keeps read offsets private)."""
    consumer = app.consumer
    read_offsets = read_positions(consumer)
    lag: dict[tuple[tuple[str, str], ...], float] = {}
    for tp in consumer.assignment():
        highwater = consumer.highwater(tp)
        read = read_offsets.get(tp)
        if highwater is None:
            continue
        behind = highwater if read is None else highwater - read - 1
        lag[(("partition", str(tp.partition)), ("topic", tp.topic))] = float(max(0, behind))
    return lag


class TableSizes:
    """Key counts of the app's tables, recounted at most every ``interval`` seconds (counting iterates)."""

    def __init__(self, app: Any, interval: float = 30.0) -> None:
        self.app = app
        self.interval = interval
        self._at = 0.0
        self._sizes: dict[tuple[tuple[str, str], ...], float] = {}

    def __call__(self) -> dict[tuple[tuple[str, str], ...], float]:
        if time.monotonic() - self._at >= self.interval:
            self._sizes = {
                (("table", name),): float(sum(1 for _ in table.keys()))  # noqa: SIM118
                for name, table in self.app.tables.items()
            }
            self._at = time.monotonic()
        return self._sizes


def register_web(app: Any, settings: Settings, broker_url: str, metrics: Metrics) -> StoryBoard:
    """Add the API, metrics and dashboard routes to the Faust app; return the board they read."""
    board = StoryBoard()
    feeder = BoardFeeder(settings, broker_url, board)
    started = time.time()
    token = settings.api_token.get_secret_value() if settings.api_token else None
    dashboard = resources.files("streams").joinpath("static/dashboard.html").read_text(encoding="utf-8")
    metrics.gauge(
        "newsstream_board_size",
        lambda: {(("kind", k),): v for k, v in board.sizes().items()},
        "Stories and alerts held by this worker's board",
    )
    metrics.gauge(
        "newsstream_consumer_lag",
        lambda: consumer_lag(app),
        "Records behind the end of each assigned input partition",
    )
    metrics.gauge("newsstream_table_keys", TableSizes(app), "Keys in each table on this worker (sampled)")

    @app.task
    async def feed_board() -> None:
        await feeder.start()

    def authorised(request: Any) -> bool:
        if token is None:
            return True
        header = request.headers.get("Authorization", "")
        return hmac.compare_digest(header, f"Bearer {token}")

    def number(request: Any, name: str, default: int, high: int) -> int:
        try:
            return max(0, min(high, int(request.query.get(name, default))))
        except ValueError:
            return default

    def guarded(handler: Any) -> Any:
        async def get(self: Any, request: Any, **kwargs: Any) -> Any:
            if not authorised(request):
                return self.json({"error": "missing or wrong bearer token"}, status=401)
            return await handler(self, request, **kwargs)

        return get

    from faust.web import View

    @app.page("/healthz")
    class Health(View):
        async def get(self, request: Any) -> Any:
            return self.json({"status": "ok", "uptime_s": round(time.time() - started, 1)})

    @app.page("/stories")
    class Stories(View):
        @guarded
        async def get(self, request: Any) -> Any:
            return self.json(
                board.stories(
                    offset=number(request, "offset", 0, 10**6), limit=number(request, "limit", 50, 500)
                )
            )

    @app.page("/stories/{story_id}")
    class OneStory(View):
        @guarded
        async def get(self, request: Any, story_id: str) -> Any:
            story = board.story(story_id)
            if story is None:
                return self.json({"error": f"no live story {story_id}"}, status=404)
            return self.json(story)

    @app.page("/alerts")
    class Alerts(View):
        @guarded
        async def get(self, request: Any) -> Any:
            return self.json(
                board.alerts(
                    rule=request.query.get("rule"),
                    severity=request.query.get("severity"),
                    limit=number(request, "limit", 100, 1000),
                )
            )

    @app.page("/entities/{entity_id}")
    class Entities(View):
        @guarded
        async def get(self, request: Any, entity_id: str) -> Any:
            return self.json(board.entity(entity_id))

    @app.page("/metrics")
    class Prometheus(View):
        @guarded
        async def get(self, request: Any) -> Any:
            return self.text(metrics.render(), content_type="text/plain; version=0.0.4")

    @app.page("/openapi.json")
    class OpenAPI(View):
        async def get(self, request: Any) -> Any:
            return self.bytes(orjson.dumps(openapi(settings)), content_type="application/json")

    @app.page("/")
    class Dashboard(View):
        async def get(self, request: Any) -> Any:
            return self.html(dashboard)

    return board
