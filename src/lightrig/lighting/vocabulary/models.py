"""The FIBO models an image can be made with, by the names lightrig reads and writes.

``fibo`` is FIBO itself (50 steps with guidance, the model every host serves); ``fibo-1.5`` is
Fibo 1.5, FIBO distilled to a few steps without guidance, with better realism and textures;
``fibo-lite`` is Fibo Lite, FIBO distilled for speed (few steps, guidance distilled in). Which
hosts serve which model, and at what price, is each backend's to say
(:mod:`lightrig.backends`) and the settings' (``LIGHTRIG_PRICES_USD``).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_MODEL", "FIBO_MODELS", "MODEL_NAMES", "ModelWords"]


@dataclass(frozen=True, slots=True)
class ModelWords:
    """One FIBO model: ``name`` as settings, requests and records spell it, ``title`` as the
    host's documentation does, and ``about`` in a few words."""

    name: str
    title: str
    about: str


#: The FIBO models, the default first.
FIBO_MODELS: tuple[ModelWords, ...] = (
    ModelWords("fibo", "FIBO", "Bria's JSON-native model: 50 steps with guidance"),
    ModelWords(
        "fibo-1.5", "FIBO 1.5", "FIBO distilled to a few steps, no guidance; finer textures"
    ),
    ModelWords("fibo-lite", "Fibo Lite", "FIBO distilled for speed: few steps, lower price"),
)

#: The models' names, the default first.
MODEL_NAMES: tuple[str, ...] = tuple(model.name for model in FIBO_MODELS)
#: The model a request naming none gets unless ``LIGHTRIG_FIBO_MODEL`` says otherwise.
DEFAULT_MODEL = MODEL_NAMES[0]
