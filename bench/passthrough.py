"""The floor every pipeline hop pays: a Faust agent that copies ``<prefix>.raw`` to ``<prefix>.out``.

Run as a worker process by the pipeline benchmark with the same settings (and Tansu profile) as newsstream.
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

import faust

from streams.admin import ensure_topics
from streams.broker import discover
from streams.settings import Settings
from streams.tuning import apply_fetch_wait


def create_app(settings: Settings, broker_url: str) -> faust.App:
    apply_fetch_wait(settings.fetch_max_wait_ms)
    options = settings.faust_options(broker_url)
    app = faust.App(f"{settings.app_id}-passthrough", autodiscover=False, **options)
    source = app.topic(settings.topic("raw"), key_serializer="raw", value_serializer="raw")
    sink = app.topic(settings.topic("out"), key_serializer="raw", value_serializer="raw")

    @app.agent(source, name="pass_through")
    async def pass_through(stream: Any) -> Any:
        async for event in stream.events():
            await sink.send(key=event.key, value=event.value)
            yield None

    return app


def main() -> int:
    settings = Settings()
    url = discover(settings)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.run_until_complete(ensure_topics(settings, url, [settings.topic("raw"), settings.topic("out")]))
    (settings.data_dir / "worker" / str(settings.web_port)).mkdir(parents=True, exist_ok=True)
    worker = faust.Worker(create_app(settings, url), loop=loop, loglevel="INFO")
    worker.execute_from_commandline()
    return 0


if __name__ == "__main__":
    sys.exit(main())
