"""Verification: does a picture follow the requested light?

:func:`estimate_lighting` reads the light on a picture's subject — the key's side and direction,
the lighting ratio, the colour temperature and the shadow hardness, each with a confidence;
:func:`adherence` compares two such readings; :func:`verify_image` checks a picture against a
scene request by reading the preview render of the request the same way, so that the
estimator's own biases cancel.
"""

from __future__ import annotations

from lightrig.verify.adherence import adherence, verify_image
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

__all__ = [
    "Adherence",
    "AttributeScore",
    "ColourEstimate",
    "DirectionEstimate",
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
