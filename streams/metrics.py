"""Prometheus metrics in the text exposition format, kept in-process (no client library needed).

Per stage: records processed, dead letters by reason, processing seconds (histogram); the push-to-stage
latency histogram; gauges registered as callables (board sizes, consumer lag).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


@dataclass(slots=True)
class _Histogram:
    buckets: tuple[float, ...]
    counts: list[int] = field(default_factory=list)
    total: float = 0.0
    count: int = 0

    def __post_init__(self) -> None:
        self.counts = [0] * (len(self.buckets) + 1)

    def observe(self, value: float) -> None:
        self.counts[bisect.bisect_left(self.buckets, value)] += 1
        self.total += value
        self.count += 1


class Metrics:
    """Counters, histograms and gauges by name and labels."""

    def __init__(self) -> None:
        self._counters: dict[str, dict[tuple[tuple[str, str], ...], float]] = defaultdict(dict)
        self._histograms: dict[str, dict[tuple[tuple[str, str], ...], _Histogram]] = defaultdict(dict)
        self._gauges: dict[str, Callable[[], dict[tuple[tuple[str, str], ...], float]]] = {}
        self._help: dict[str, str] = {}

    def inc(self, name: str, value: float = 1.0, help: str = "", **labels: str) -> None:
        key = tuple(sorted(labels.items()))
        series = self._counters[name]
        series[key] = series.get(key, 0.0) + value
        self._help.setdefault(name, help)

    def observe(self, name: str, value: float, help: str = "", **labels: str) -> None:
        key = tuple(sorted(labels.items()))
        series = self._histograms[name]
        if key not in series:
            series[key] = _Histogram(LATENCY_BUCKETS)
        series[key].observe(value)
        self._help.setdefault(name, help)

    def gauge(
        self, name: str, read: Callable[[], dict[tuple[tuple[str, str], ...], float]], help: str = ""
    ) -> None:
        self._gauges[name] = read
        self._help[name] = help

    def counter_value(self, name: str, **labels: str) -> float:
        return self._counters.get(name, {}).get(tuple(sorted(labels.items())), 0.0)

    def render(self) -> str:
        lines: list[str] = []
        for name, series in sorted(self._counters.items()):
            lines += [f"# HELP {name} {self._help.get(name, '')}", f"# TYPE {name} counter"]
            lines += [f"{name}{_labels(key)} {value}" for key, value in sorted(series.items())]
        for name, hists in sorted(self._histograms.items()):
            lines += [f"# HELP {name} {self._help.get(name, '')}", f"# TYPE {name} histogram"]
            for key, hist in sorted(hists.items()):
                running = 0
                for bound, count in zip((*hist.buckets, float("inf")), hist.counts, strict=True):
                    running += count
                    le = "+Inf" if bound == float("inf") else repr(bound)
                    lines.append(f"{name}_bucket{_labels((*key, ('le', le)))} {running}")
                lines.append(f"{name}_sum{_labels(key)} {hist.total}")
                lines.append(f"{name}_count{_labels(key)} {hist.count}")
        for name, read in sorted(self._gauges.items()):
            lines += [f"# HELP {name} {self._help.get(name, '')}", f"# TYPE {name} gauge"]
            try:
                values = read()
            except Exception:  # a gauge must never break the scrape
                values = {}
            lines += [f"{name}{_labels(key)} {value}" for key, value in sorted(values.items())]
        return "\n".join(lines) + "\n"


def _labels(key: tuple[tuple[str, str], ...]) -> str:
    if not key:
        return ""
    escaped = (
        f'{k}="{str(v).replace(chr(92), chr(92) * 2).replace(chr(34), chr(92) + chr(34))}"' for k, v in key
    )
    return "{" + ",".join(escaped) + "}"
