"""Which FIBO models each backend serves in a configuration — to generate with and to edit
photos with — in one place, read by the backends themselves (their ``models`` and
``edit_models``) and by ``GET /v1/backends``, without making a backend (no credential needed).

* ``preview``: every model, each rendered the same (the record's ``backend`` says the preview
  made it);
* ``bria``: FIBO and Fibo Lite (``/image/generate/lite``); FIBO 1.5 is not on Bria's API as
  documented. Edits: FIBO-Edit;
* ``fal``: FIBO, FIBO 1.5 and Fibo Lite; edits with FIBO-Edit and FIBO-Edit 1.5, none when
  ``LIGHTRIG_FAL_EDIT_MODEL`` is empty;
* ``diffusers``: the one model ``LIGHTRIG_DIFFUSERS_MODEL`` loads, by its name
  (:func:`~lightrig.backends.diffusers_placement.model_named`), and the one
  ``LIGHTRIG_DIFFUSERS_EDIT_MODEL`` loads (none when empty).
"""

from __future__ import annotations

from dataclasses import dataclass

from lightrig.backends.diffusers_placement import model_named
from lightrig.config import Settings
from lightrig.lighting.vocabulary import DEFAULT_MODEL, MODEL_NAMES

__all__ = ["ServedModels", "served_models"]


@dataclass(frozen=True)
class ServedModels:
    """The models a backend generates with (``models``) and edits photos with
    (``edit_models``, empty when it does not edit), in the order of
    :data:`~lightrig.lighting.vocabulary.MODEL_NAMES`."""

    models: tuple[str, ...]
    edit_models: tuple[str, ...]


def served_models(backend: str, settings: Settings) -> ServedModels:
    """What ``backend`` serves with ``settings`` (see the module); nothing for a name that is
    no backend."""
    if backend == "preview":
        return ServedModels(MODEL_NAMES, MODEL_NAMES)
    if backend == "bria":
        return ServedModels((DEFAULT_MODEL, "fibo-lite"), (DEFAULT_MODEL,))
    if backend == "fal":
        edits = (DEFAULT_MODEL, "fibo-1.5") if settings.fal_edit_model.strip("/") else ()
        return ServedModels(MODEL_NAMES, edits)
    if backend == "diffusers":
        edit_model = settings.diffusers_edit_model.strip()
        return ServedModels(
            (model_named(settings.diffusers_model),),
            (model_named(edit_model),) if edit_model else (),
        )
    return ServedModels((), ())
