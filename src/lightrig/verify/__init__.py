"""Verification: does a picture follow the requested light?

:func:`estimate_lighting` reads the light on a picture's subject — the key's side and direction,
the lighting ratio, the colour temperature and the shadow hardness, each with a confidence;
:func:`adherence` compares two such readings; :func:`verify_image` checks a picture against a
scene request by reading the preview render of the request the same way, so that the
estimator's own biases cancel.

The estimator needs NumPy, Pillow and numba; its result types (:mod:`lightrig.verify.models`) and
:class:`~lightrig.verify.encoding.Encoding` need neither. So the names below are imported on
first use, and importing a light submodule does not load the image libraries.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lightrig.verify.encoding import Encoding
    from lightrig.verify.estimate import estimate_lighting
    from lightrig.verify.image import ImageDecodeError
    from lightrig.verify.models import (
        Adherence,
        AttributeScore,
        ColourEstimate,
        DirectionEstimate,
        HardnessEstimate,
        KeySide,
        KeySideEstimate,
        LightingEstimate,
        RatioEstimate,
        SubjectEstimate,
        SubjectKind,
        VerificationReport,
    )
    from lightrig.verify.scoring import adherence, verify_image

#: Each public name and the module that defines it.
_HOMES = {
    "adherence": "lightrig.verify.scoring",
    "verify_image": "lightrig.verify.scoring",
    "estimate_lighting": "lightrig.verify.estimate",
    "Encoding": "lightrig.verify.encoding",
    "ImageDecodeError": "lightrig.verify.image",
    **dict.fromkeys(
        (
            "Adherence",
            "AttributeScore",
            "ColourEstimate",
            "DirectionEstimate",
            "HardnessEstimate",
            "KeySide",
            "KeySideEstimate",
            "LightingEstimate",
            "RatioEstimate",
            "SubjectEstimate",
            "SubjectKind",
            "VerificationReport",
        ),
        "lightrig.verify.models",
    ),
}

__all__ = [
    "Adherence",
    "AttributeScore",
    "ColourEstimate",
    "DirectionEstimate",
    "Encoding",
    "HardnessEstimate",
    "ImageDecodeError",
    "KeySide",
    "KeySideEstimate",
    "LightingEstimate",
    "RatioEstimate",
    "SubjectEstimate",
    "SubjectKind",
    "VerificationReport",
    "adherence",
    "estimate_lighting",
    "verify_image",
]


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first use."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'lightrig.verify' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
