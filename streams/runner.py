"""Start things in the foreground: a worker (with or without the local broker), or the broker alone."""

from __future__ import annotations

import asyncio
import logging
import signal
import threading

from streams.admin import ensure_topics
from streams.broker import LocalBroker, clear_state, discover, free_port, port_open, write_state
from streams.exceptions import BrokerUnavailable
from streams.settings import Settings
from streams.topics import TopicNames

log = logging.getLogger(__name__)


def run_broker(settings: Settings) -> int:
    """``newsstream broker``: Tansu on a free loopback port until Ctrl-C."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    broker = LocalBroker(log_path=settings.data_dir / "broker.log").start()
    write_state(settings, broker)
    loop = asyncio.new_event_loop()
    try:
        loop.run_until_complete(
            ensure_topics(settings, broker.url, TopicNames.for_prefix(settings.topic_prefix).all())
        )
        log.info(f"local broker listening on {broker.url} (Ctrl-C to stop)")
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        while broker.process is not None and broker.process.poll() is None and not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        loop.close()
        clear_state(settings, broker)
        broker.stop()
        log.info("local broker stopped")
    return 0


def run_worker(settings: Settings, *, start_broker: bool, web_port: int | None = None) -> int:
    """``newsstream run`` / ``worker``: resolve or start the broker, create topics, run the Faust worker."""
    import faust

    from streams.app import create_app

    broker: LocalBroker | None = None
    try:
        broker_url = discover(settings)
        log.info(f"using broker {broker_url}")
    except BrokerUnavailable:
        if not start_broker:
            raise
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        broker = LocalBroker(log_path=settings.data_dir / "broker.log").start()
        write_state(settings, broker)
        broker_url = broker.url
        log.info(f"started the local broker on {broker_url}")
    port = web_port if web_port is not None else settings.web_port
    if settings.web_enabled and port_open(port, settings.web_host):
        port = free_port()
        log.info(f"web port {settings.web_port} is busy; using {port}")
    settings = settings.model_copy(update={"web_port": port})
    (settings.data_dir / "worker" / str(port)).mkdir(parents=True, exist_ok=True)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(
            ensure_topics(settings, broker_url, TopicNames.for_prefix(settings.topic_prefix).all())
        )
        app = create_app(settings, broker_url)
        log.info(f"worker starting; web/API on http://{settings.web_host}:{port}/")
        worker = faust.Worker(app, loop=loop, loglevel=settings.log_level, override_logging=False)
        try:
            worker.execute_from_commandline()
        except SystemExit as exit_:
            return int(exit_.code or 0)
        return 0
    finally:
        if broker is not None:
            clear_state(settings, broker)
            broker.stop()
            log.info("local broker stopped")
