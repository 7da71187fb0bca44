"""Generating: a lighting setup (a scene request, words, or an earlier generation re-lit) made
into a draft — validated, analysed, compiled into FIBO's structured prompt, with checked
parameters — then recorded and run while the caller waits, or queued as a job.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from lightrig.backends.base import (
    ASPECT_RATIOS,
    MAX_SEED,
    GenerationParams,
    ImageBackend,
    ImageEditor,
    check_model,
    edit_models_of,
    models_of,
)
from lightrig.config import DEFAULT_NEGATIVE_PROMPT
from lightrig.errors import FieldError, InvalidLightingSetupError, LightingGenerationError
from lightrig.fibo.compile import compile_prompt
from lightrig.fibo.edit import relight_instruction
from lightrig.fibo.refine import refine_prompt
from lightrig.lighting.reading import read
from lightrig.lighting.vocabulary import MODEL_NAMES
from lightrig.models.gate import GatePolicy
from lightrig.models.lights import LightSettings
from lightrig.models.scene import SceneRequest, parse_scene_request
from lightrig.records import lifecycle
from lightrig.records.record import Draft, GenerationRecord
from lightrig.service.adapters import Adapters
from lightrig.service.retries import failure_text, log_failure

if TYPE_CHECKING:
    from lightrig.service.worker import Worker

__all__ = ["Generating"]

log = logging.getLogger(__name__)


class Generating:
    """Makes drafts of generations and produces them. ``ready`` is awaited before any work."""

    def __init__(
        self, parts: Adapters, ready: Callable[[], Awaitable[object]], worker: Worker
    ) -> None:
        self.parts = parts
        self._ready = ready
        self._worker = worker

    # ------------------------------------------------------------------ drafts
    def params(
        self,
        *,
        seed: int | None = None,
        steps: int | None = None,
        guidance_scale: float | None = None,
        aspect_ratio: str | None = None,
        size: int | None = None,
        model: str | None = None,
    ) -> GenerationParams:
        """Checked parameters, the settings' for those not given (a random seed;
        ``LIGHTRIG_FIBO_MODEL``'s model). :class:`InvalidLightingSetupError` naming every bad
        one. Whether the backend serves the model is checked when it is known
        (:meth:`check_model`)."""
        settings = self.parts.settings
        problems = []
        if seed is not None and not 0 <= seed <= MAX_SEED:
            problems.append(FieldError("seed", f"must be between 0 and {MAX_SEED}, not {seed}"))
        ratio = aspect_ratio or settings.aspect_ratio
        if ratio not in ASPECT_RATIOS:
            problems.append(
                FieldError("aspect_ratio", f"{ratio!r} is not one of {', '.join(ASPECT_RATIOS)}")
            )
        if steps is not None and not 1 <= steps <= 100:
            problems.append(FieldError("steps", f"must be between 1 and 100, not {steps}"))
        if size is not None and not 64 <= size <= 2048:
            problems.append(FieldError("size", f"must be between 64 and 2048 pixels, not {size}"))
        if model is not None and model not in MODEL_NAMES:
            problems.append(
                FieldError("model", f"got {model!r}; accepted: {', '.join(MODEL_NAMES)}")
            )
        if problems:
            raise InvalidLightingSetupError(problems)
        return GenerationParams(
            seed=secrets.randbelow(MAX_SEED + 1) if seed is None else seed,
            steps=steps or settings.steps,
            guidance_scale=guidance_scale or settings.guidance_scale,
            aspect_ratio=ratio,
            negative_prompt=dict(DEFAULT_NEGATIVE_PROMPT),
            size=size or settings.preview_size,
            model=model or settings.fibo_model,
        )

    @staticmethod
    def check_model(
        backend: ImageBackend | ImageEditor, params: GenerationParams, *, edits: bool
    ) -> None:
        """Refuse ``params.model`` unless ``backend`` serves it — for photo edits when
        ``edits`` (:class:`InvalidLightingSetupError` on field ``model``, before any work)."""
        served = edit_models_of(backend) if edits else models_of(backend)
        check_model(backend.name, params.model, served, edits=edits)

    @staticmethod
    def scene(request: SceneRequest | Mapping[str, Any]) -> SceneRequest:
        """A scene request from a model or its JSON-like data."""
        if isinstance(request, SceneRequest):
            return request
        return parse_scene_request(request)

    def draft(
        self,
        scene: SceneRequest,
        params: GenerationParams,
        *,
        user_id: str | None,
        backend: str | None,
        prompt: dict[str, Any] | None = None,
        parent_id: str | None = None,
        batch_id: str | None = None,
        batch_index: int | None = None,
    ) -> Draft:
        """A new generation of ``scene``: its analysis, and its structured prompt (compiled
        unless given), asked for now, on ``backend`` (the default one when ``None``, named
        when produced)."""
        rig = read(scene.rig())
        return Draft(
            generation_id=uuid4().hex,
            created_at=datetime.now(UTC),
            user_id=user_id,
            request=scene,
            structured_prompt=compile_prompt(scene, rig) if prompt is None else prompt,
            analysis=self.parts.analyzer.analyze(scene, rig),
            backend=backend,
            params=params,
            parent_id=parent_id,
            batch_id=batch_id,
            batch_index=batch_index,
        )

    # ------------------------------------------------------------------ producing
    async def produce(
        self, draft: Draft, *, background: bool, gate: GatePolicy | None = None
    ) -> GenerationRecord:
        """Record ``draft`` and run it now (the completed record), or, with ``background``,
        queue it as a job (the queued record, at once). With ``gate``, ``draft`` is the first
        attempt of an adherence gate (:mod:`lightrig.service.gating`): run now, the gate is
        carried on here and the best attempt's record returned; queued, the workers hand it on
        from attempt to attempt. Anything unexpected becomes a
        :class:`LightingGenerationError`."""
        try:
            await self._ready()
            backend = self.parts.backend(draft.backend)
            draft = replace(draft, backend=backend.name)
            if draft.params is not None:
                self.check_model(backend, draft.params, edits=draft.source is not None)
            if gate is not None:
                model = None if draft.params is None else draft.params.model
                self._worker.gating.check(gate, backend.name, model)
                draft = self._worker.gating.first(draft, gate)
            if background:
                queued = lifecycle.queue(draft, now=datetime.now(UTC))
                await self.parts.store.add_generation(queued)
                await self.parts.jobs.enqueue(queued.generation_id)
                return queued
            running = await self.parts.runner.start(draft)
            done = await self._worker.run(running, backend)
            return await self._worker.gating.carry_on(done, backend, self._worker.run)
        except LightingGenerationError:
            raise
        except Exception as exc:
            log_failure(log, f"generation {draft.generation_id}", exc)
            raise LightingGenerationError(failure_text(exc)) from exc

    async def from_setup(
        self,
        request: SceneRequest | Mapping[str, Any],
        user_id: str | None = None,
        *,
        seed: int | None = None,
        backend: str | None = None,
        steps: int | None = None,
        guidance_scale: float | None = None,
        aspect_ratio: str | None = None,
        size: int | None = None,
        model: str | None = None,
        background: bool = False,
        gate: GatePolicy | None = None,
    ) -> GenerationRecord:
        """One image of a scene request (see
        :meth:`~lightrig.service.LightingGenerationService.generate_from_lighting_setup`)."""
        scene = self.scene(request)
        params = self.params(
            seed=seed,
            steps=steps,
            guidance_scale=guidance_scale,
            aspect_ratio=aspect_ratio,
            size=size,
            model=model,
        )
        draft = self.draft(scene, params, user_id=user_id, backend=backend)
        return await self.produce(draft, background=background, gate=gate)

    async def refine(
        self,
        previous: Draft,
        lighting: SceneRequest | Mapping[str, Any],
        user_id: str | None = None,
        *,
        backend: str | None = None,
        model: str | None = None,
        background: bool = False,
        gate: GatePolicy | None = None,
    ) -> GenerationRecord:
        """Re-light ``previous`` (see
        :meth:`~lightrig.service.LightingGenerationService.refine_lighting`); with the earlier
        model unless ``model`` names another."""
        earlier = previous.params
        if previous.structured_prompt is None or earlier is None:
            raise InvalidLightingSetupError(
                [FieldError("previous", "has no structured prompt and seed to re-light")]
            )
        if isinstance(lighting, SceneRequest) or "lighting_setup" in lighting:
            scene = self.scene(lighting)
        else:
            data = {} if previous.request is None else previous.request.model_dump(mode="json")
            data["lighting_setup"] = {
                (role.value if hasattr(role, "value") else str(role)): (
                    light.model_dump(mode="json") if isinstance(light, LightSettings) else light
                )
                for role, light in lighting.items()
            }
            scene = self.scene(data)
        params = self.params(
            seed=earlier.seed,
            steps=earlier.steps,
            guidance_scale=earlier.guidance_scale,
            aspect_ratio=earlier.aspect_ratio,
            size=earlier.size,
            model=model or earlier.model,
        )
        if previous.source is None:
            prompt = refine_prompt(previous.structured_prompt, scene)
        else:  # a re-lit photograph: the photograph re-lit again, from its caption
            self.parts.editor(backend or previous.backend)
            prompt = relight_instruction(previous.structured_prompt, scene)
        draft = self.draft(
            scene,
            params,
            user_id=user_id,
            backend=backend or previous.backend,
            prompt=prompt,
            parent_id=previous.generation_id,
        )
        return await self.produce(
            replace(draft, source=previous.source), background=background, gate=gate
        )
