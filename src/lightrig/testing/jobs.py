"""What a mock host keeps of the work it was given: its jobs, the ledger of submissions it
accepted (what a real host would bill), and the preview picture each job is served as."""

from __future__ import annotations

import logging
import threading
from collections import Counter
from dataclasses import dataclass

from lightrig.fibo.instruction import scene_of
from lightrig.fibo.parse import parse_lighting
from lightrig.lighting.roles import LightType
from lightrig.models.lights import LightSettings
from lightrig.models.scene import SceneRequest
from lightrig.render.preview import MIN_SIZE, PreviewRenderer
from lightrig.testing.checks import JSONObject

__all__ = ["Job", "JobLedger", "PreviewImages", "prompt_scene", "stray_light"]

logger = logging.getLogger("lightrig.testing")


@dataclass
class Job:
    """A submitted generation.

    ``prompt``: the structured prompt object (what the image is rendered from); ``echo``: what the
    host echoes back as the prompt (Bria: the JSON string submitted); ``size``: the image side in
    pixels; ``submitted_at`` / ``ready_at``: :func:`time.monotonic` seconds. ``scene``: the setup
    to render instead of the prompt's lighting (an edit: the light asked for, on the subject
    the caption describes; a preset relight: the preset's light); ``caption``: a caption job's
    structured instruction (JSON text), which makes no image. ``stray``: the picture does not
    follow the light asked for (see :func:`stray_light`).
    """

    id: str
    prompt: JSONObject
    echo: object
    seed: int
    size: int
    submitted_at: float
    ready_at: float
    failed: bool = False
    cancelled: bool = False
    stray: bool = False
    png: bytes | None = None
    scene: SceneRequest | None = None
    caption: str | None = None

    def done(self, now: float) -> bool:
        """Whether the job has finished by ``now``."""
        return self.cancelled or now >= self.ready_at

    def elapsed_fraction(self, now: float) -> float:
        """How far through its latency the job is at ``now``, 0–1."""
        span = self.ready_at - self.submitted_at
        if span <= 0.0:
            return 1.0
        return min(1.0, max(0.0, (now - self.submitted_at) / span))


class JobLedger:
    """Every job an accepted submission created, and what was accepted (not thread-safe: the
    server calls it under its lock).

    ``accepted``: submissions that created a job — what the host bills; ``accepted_by_seed``:
    the same by seed; ``submissions``: their parsed bodies, in order, and ``paths`` the paths
    they were sent to (a model's); ``accepted_unanswered``:
    accepted submissions whose answer was lost to an accepted-then-fail fault (the client
    cannot know they were taken).
    """

    def __init__(self) -> None:
        self.jobs: dict[str, Job] = {}
        self.accepted = 0
        self.accepted_by_seed: Counter[int] = Counter()
        self.submissions: list[JSONObject] = []
        self.paths: list[str] = []
        self.accepted_unanswered = 0

    def add(self, job: Job, submission: JSONObject, path: str = "") -> None:
        """Record an accepted submission (sent to ``path``) and its job."""
        self.jobs[job.id] = job
        self.accepted += 1
        self.accepted_by_seed[job.seed] += 1
        self.submissions.append(submission)
        self.paths.append(path)

    def finish_all(self, now: float) -> int:
        """Make every job still in progress ready at ``now``; how many were."""
        pending = [job for job in self.jobs.values() if not job.done(now)]
        for job in pending:
            job.ready_at = now
        return len(pending)

    def reset_counts(self) -> None:
        """Zero the counts (the jobs are kept)."""
        self.accepted = 0
        self.accepted_by_seed.clear()
        self.submissions.clear()
        self.paths.clear()
        self.accepted_unanswered = 0


#: Degrees a near-frontal light is swung to the side when a stray picture moves it.
_STRAY_SWING = 70.0
#: Lights nearer than this to the camera axis (degrees) are swung rather than mirrored.
_NEAR_FRONTAL = 20.0


def stray_light(scene: SceneRequest) -> SceneRequest:
    """``scene`` with its light gone astray, as a model that did not follow the prompt shows
    it: every light mirrored to the other side of the camera axis (a near-frontal one swung
    70° to camera-left instead)."""
    setup: dict[LightType, LightSettings] = {}
    for role, light in scene.lighting_setup.items():
        azimuth = light.azimuth
        if azimuth is not None:
            azimuth = -_STRAY_SWING if abs(azimuth) < _NEAR_FRONTAL else -azimuth
        data = light.model_dump(exclude={"direction"})
        setup[role] = LightSettings.model_validate({**data, "azimuth": azimuth})
    return scene.model_copy(update={"lighting_setup": setup})


def _frontal_key() -> SceneRequest:
    """A plain frontal key: what an image shows when the prompt's lighting cannot be read."""
    key = LightSettings(azimuth=0.0, intensity=0.8, color_temperature=5600.0, distance=1.5)
    return SceneRequest.model_validate({"lighting_setup": {LightType.KEY: key}})


class PreviewImages:
    """Renders each job's picture once, on first download, with one renderer per server.

    Renders are serialised: the renderer's caches and numba's parallel threading layer are not
    meant for concurrent calls.
    """

    def __init__(self) -> None:
        self._renderer = PreviewRenderer()
        self._lock = threading.Lock()

    def warm(self) -> None:
        """Render once, so that the first download does not also wait for the kernels to load
        and the bust to be baked (about a second in a fresh process)."""
        with self._lock:
            self._renderer.render(_frontal_key(), MIN_SIZE)

    def png(self, job: Job) -> bytes:
        """The job's picture as PNG bytes (``job.size`` pixels square), rendered at most once."""
        with self._lock:
            if job.png is None:
                scene = job.scene if job.scene is not None else prompt_scene(job.prompt)
                if job.stray:
                    scene = stray_light(scene)
                job.png = self._renderer.render(scene, job.size).png()
            return job.png


def prompt_scene(prompt: JSONObject, *, subject: bool = False) -> SceneRequest:
    """The setup a prompt's lighting reads as (a frontal key when it cannot be read); with
    ``subject``, on the subject the prompt describes
    (:func:`~lightrig.fibo.instruction.scene_of`)."""
    try:
        return scene_of(prompt) if subject else parse_lighting(prompt).request()
    except ValueError:  # lightrig's errors and pydantic's are ValueErrors
        logger.debug("lighting not readable; rendering a frontal key", exc_info=True)
        return _frontal_key()
