"""Prometheus metrics, in a registry of the app's own (no process-wide default registry, so
two apps in one process — tests — never mix their counts).

Requests and their latency by route template (``/v1/generations/{generation_id}``, never the
concrete path, so the label set stays small), generations by backend and status as the service
completes them, backend failures, submissions the host may have billed twice, result-cache hits
and misses, and the depth of the job queue.
"""

from __future__ import annotations

from collections.abc import Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)

from lightrig.models.generation import GenerationResponse, GenerationStatus

__all__ = ["CONTENT_TYPE_LATEST", "Metrics"]

_LATENCY_BUCKETS_S = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)


class Metrics:
    """The API's metrics and their registry."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "lightrig_http_requests",
            "HTTP requests answered, by method, route template and status code.",
            ("method", "route", "status"),
            registry=self.registry,
        )
        self.latency = Histogram(
            "lightrig_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route template (seconds).",
            ("method", "route"),
            buckets=_LATENCY_BUCKETS_S,
            registry=self.registry,
        )
        self.generations = Counter(
            "lightrig_generations",
            "Generations completed, by image backend and final status.",
            ("backend", "status"),
            registry=self.registry,
        )
        self.backend_errors = Counter(
            "lightrig_backend_errors",
            "Generations that failed on their image backend, by backend.",
            ("backend",),
            registry=self.registry,
        )
        self.possible_duplicates = Counter(
            "lightrig_possible_duplicate_submissions",
            "Submissions sent again after an answer that left unknown whether the host took "
            "them, which the host may have billed on top (only with "
            "LIGHTRIG_<BACKEND>_RESUBMIT_UNKNOWN), by backend.",
            ("backend",),
            registry=self.registry,
        )
        self.cache = Counter(
            "lightrig_result_cache",
            "Completed generations answered from the result cache (hit) or not (miss).",
            ("result",),
            registry=self.registry,
        )
        self.queue_depth = Gauge(
            "lightrig_job_queue_depth",
            "Background generations waiting or running in this process.",
            registry=self.registry,
        )

    def watch_queue(self, depth: Callable[[], int]) -> None:
        """Read the queue depth from ``depth`` at each scrape."""
        self.queue_depth.set_function(lambda: float(depth()))

    def generation_finished(self, record: GenerationResponse) -> None:
        """Count a completed generation (a runner observer)."""
        backend = record.backend or "unknown"
        self.generations.labels(backend, record.status.value).inc()
        if record.possible_duplicates:
            self.possible_duplicates.labels(backend).inc(record.possible_duplicates)
        if record.status is GenerationStatus.ERROR:
            self.backend_errors.labels(backend).inc()
        else:
            self.cache.labels("hit" if record.cached else "miss").inc()

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        """Count one answered request."""
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def render(self) -> bytes:
        """The text exposition format."""
        return generate_latest(self.registry)
