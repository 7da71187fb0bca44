"""How to generate: the model parameters that, with the structured prompt, decide an image."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from lightrig.lighting.vocabulary import DEFAULT_MODEL

__all__ = ["ASPECT_RATIOS", "MAX_SEED", "FiboModel", "GenerationParams"]

#: The aspect ratios FIBO's hosts accept (width:height).
ASPECT_RATIOS: tuple[str, ...] = ("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9")
#: The largest seed (2³¹ − 1).
MAX_SEED = 2**31 - 1

#: A FIBO model's name, as :data:`~lightrig.lighting.vocabulary.MODEL_NAMES` has them (a test
#: holds the two together).
FiboModel = Literal["fibo", "fibo-1.5", "fibo-lite"]


@dataclass(frozen=True)
class GenerationParams:
    """How to generate: the model parameters that, with the prompt, decide the image.

    ``seed``: 0 – 2³¹−1. ``steps``: diffusion steps. ``guidance_scale``: classifier-free
    guidance. ``aspect_ratio``: one of :data:`ASPECT_RATIOS`. ``negative_prompt``: a
    structured-prompt fragment of what to avoid. ``size``: the longest image side in pixels for
    backends that choose it (the preview; local pipelines). ``model``: the FIBO model, one of
    :data:`~lightrig.lighting.vocabulary.MODEL_NAMES` (``fibo``, ``fibo-1.5``, ``fibo-lite``).
    """

    seed: int
    steps: int = 50
    guidance_scale: float = 5.0
    aspect_ratio: str = "1:1"
    negative_prompt: dict[str, str] | None = None
    size: int = 512
    model: str = DEFAULT_MODEL

    def describe(self) -> dict[str, Any]:
        """The parameters as plain data (for cache keys and records)."""
        return {
            "seed": self.seed,
            "steps": self.steps,
            "guidance_scale": self.guidance_scale,
            "aspect_ratio": self.aspect_ratio,
            "negative_prompt": self.negative_prompt,
            "size": self.size,
            "model": self.model,
        }
