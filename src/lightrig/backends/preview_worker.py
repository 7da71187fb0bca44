"""A process of its own that loads the preview renderer while ``lightrig serve`` starts.

Loading the renderer (NumPy, numba, numba's typing tables and lightrig's compiled kernels) takes
about a second of one core, all of it under the interpreter lock; so does starting the server
(the core's models, the command line, the web server). In one process the two add up, and the
studio's first picture waits for both. :class:`PreviewWorker` starts this module as a second
process the moment ``lightrig serve`` is run (:mod:`lightrig.launch`, before anything else is
imported), so the renderer loads on the other core while the server starts; the server's first
previews are rendered here (:class:`~lightrig.api.first_calls.FirstCalls`) until its own
renderer is loaded, and the worker is then let go.

The worker renders with :class:`~lightrig.backends.preview.PreviewBackend`, as the API does, so
its pictures are the API's to the byte. It speaks over its standard input and output, one call
at a time:

* asked: one line of JSON, ``{"request": <a scene request as JSON>, "size": <pixels, 16–4096>,
  "probes": <bool>, "compress_level": <zlib level 0–9>}``;
* answered: one line of JSON, ``{"length": <PNG bytes>, "exposure_stops": <float>,
  "probe_stops": <float or null>}`` followed by the PNG's bytes, or ``{"error": "<what>"}``.

It exits when its standard input is closed (as it is when the server's process ends, however it
ends), after answering what it was asked.

    python -m lightrig.backends.preview_worker
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
import threading
from typing import IO, TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from lightrig.models.scene import SceneRequest

__all__ = ["PreviewWorker", "PreviewWorkerError", "RenderedFrame", "serve_frames"]

#: Seconds :meth:`PreviewWorker.close` gives the worker to finish before it is killed, by default.
_CLOSE_WAIT_S = 2.0


class PreviewWorkerError(RuntimeError):
    """The worker could not answer: it exited, was let go, or its render failed."""


class RenderedFrame(NamedTuple):
    """A preview as the API sends it: the PNG, the exposure it was rendered at (stops above the
    renderer's reference) and the ratio between the analyzer's probes in stops (``None`` when
    not asked for, or when the face shows too little skin to read them)."""

    png: bytes
    exposure_stops: float
    probe_stops: float | None


class PreviewWorker:
    """The worker process (see the module), started at once by :meth:`start`.

    :meth:`frame` renders in it (one call at a time); :meth:`finish` lets it go once it has
    answered; :meth:`close` also waits for it, killing it if it does not exit.
    """

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self._process = process
        self._lock = threading.Lock()
        self._finished = False

    @classmethod
    def start(cls) -> PreviewWorker:
        """Start the worker (the same interpreter and environment as this process); it loads
        the renderer at once, before it is asked for anything."""
        process = subprocess.Popen(
            [sys.executable, "-m", __name__],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        return cls(process)

    async def frame(self, request: SceneRequest, size: int, *, probes: bool) -> RenderedFrame:
        """``request`` rendered ``size`` pixels square at zlib level 1 (the studio's live
        level), with the probes' ratio when ``probes``. Raises :class:`PreviewWorkerError`."""
        ask = {
            "request": request.model_dump(mode="json"),
            "size": size,
            "probes": probes,
            "compress_level": 1,
        }
        return await asyncio.to_thread(self._call, ask)

    def _call(self, ask: dict[str, Any]) -> RenderedFrame:
        with self._lock:
            if self._finished:
                raise PreviewWorkerError("the preview worker was let go")
            stdin, stdout = self._process.stdin, self._process.stdout
            assert stdin is not None
            assert stdout is not None
            try:
                stdin.write(json.dumps(ask).encode() + b"\n")
                stdin.flush()
                head = stdout.readline()
                answer = json.loads(head) if head else None
                png = b"" if not answer or "error" in answer else stdout.read(answer["length"])
            except (OSError, ValueError) as exc:  # a broken pipe, a closed file, a torn line
                raise PreviewWorkerError(f"the preview worker could not be asked: {exc}") from exc
            if answer is None:
                raise PreviewWorkerError(f"the preview worker exited (code {self._process.poll()})")
            if "error" in answer:
                raise PreviewWorkerError(f"the preview worker failed: {answer['error']}")
            if len(png) != answer["length"]:
                raise PreviewWorkerError("the preview worker's picture was cut short")
            return RenderedFrame(png, float(answer["exposure_stops"]), answer["probe_stops"])

    def finish(self) -> None:
        """Let the worker go: it exits once it has answered what it was asked (later calls
        raise :class:`PreviewWorkerError`). Returns at once."""
        with self._lock:
            self._finished = True
            if self._process.stdin is not None:
                with contextlib.suppress(OSError):
                    self._process.stdin.close()

    def close(self, wait_s: float = _CLOSE_WAIT_S) -> None:
        """:meth:`finish`, then wait up to ``wait_s`` seconds for the worker to exit; killed
        after that (at once with 0: it may still be loading the renderer)."""
        self._finished = True  # a call in progress ends when the process does
        if self._process.stdin is not None:
            with contextlib.suppress(OSError):
                self._process.stdin.close()
        try:
            self._process.wait(timeout=wait_s)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        if self._lock.acquire(timeout=_CLOSE_WAIT_S):  # a call reading its answer ends first
            try:
                if self._process.stdout is not None:
                    self._process.stdout.close()
            finally:
                self._lock.release()

    @property
    def returncode(self) -> int | None:
        """The worker's exit code; ``None`` while it runs."""
        return self._process.poll()


def serve_frames(asks: IO[bytes], answers: IO[bytes]) -> None:
    """The worker's loop: load and warm the renderer, then answer each call read from
    ``asks`` on ``answers`` (see the module) until ``asks`` ends."""
    from lightrig.backends.preview import PreviewBackend  # noqa: PLC0415 - NumPy, numba
    from lightrig.models.scene import SceneRequest  # noqa: PLC0415

    previews = PreviewBackend()
    previews.warm_up()
    for line in asks:
        png = b""
        try:
            ask = json.loads(line)
            frame = previews.render_frame_blocking(
                SceneRequest.model_validate(ask["request"]),
                int(ask["size"]),
                probes=bool(ask["probes"]),
                compress_level=int(ask["compress_level"]),
            )
        except Exception as exc:  # told to the server, which answers through its API instead
            head: dict[str, Any] = {"error": f"{type(exc).__name__}: {exc}"}
        else:
            png = frame.png
            head = {
                "length": len(png),
                "exposure_stops": frame.exposure_stops,
                "probe_stops": None if frame.probes is None else frame.probes.stops,
            }
        answers.write(json.dumps(head).encode() + b"\n" + png)
        answers.flush()


def tell_numba_there_is_no_blas() -> None:
    """Make numba's BLAS probe fail at once in this process.

    numba asks, as it loads, whether SciPy's BLAS is there (``numba.np.arraymath`` imports
    ``scipy.linalg.cython_blas``), which imports most of SciPy: 0.2 s, a fifth of the worker's
    start. The renderer's kernels call no BLAS (no ``np.dot`` or ``np.linalg`` in jitted code;
    the worker's pictures are the API's to the byte, :mod:`tests.test_first_calls`), so the
    worker, which runs nothing else, tells numba there is none (a ``None`` in ``sys.modules``
    makes that import fail). Never in the server's own process."""
    sys.modules.setdefault("scipy.linalg.cython_blas", None)  # type: ignore[arg-type]


if __name__ == "__main__":
    tell_numba_there_is_no_blas()
    serve_frames(sys.stdin.buffer, sys.stdout.buffer)
