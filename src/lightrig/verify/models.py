"""What the estimator reads from a picture, and how a picture compares with what was asked.

Every attribute comes with a confidence, 0–1 (0: a guess, 1: as sure as the method gets). An
attribute that cannot be read at all is ``None`` and ``reasons`` names why, in words. Angles are
in degrees in lightrig's convention (:mod:`lightrig.lighting.geometry`): azimuth −180…180 from
the camera axis, positive toward camera-right; elevation −90…90 above eye level. Colour
temperatures are in kelvin and in mireds (10⁶ / K), ratios in stops (log₂ of lit / shadow).

The scores, :class:`Adherence` and :class:`AttributeScore`, live with the public models
(:mod:`lightrig.models.adherence`: a generation carries them) and are named here too.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from lightrig.lighting.softness import ShadowHardness
from lightrig.models.adherence import Adherence, AttributeScore

__all__ = [
    "Adherence",
    "AttributeScore",
    "ColourEstimate",
    "DirectionEstimate",
    "HardnessEstimate",
    "KeySide",
    "KeySideEstimate",
    "LightingEstimate",
    "RatioEstimate",
    "ShadowHardness",
    "SubjectEstimate",
    "SubjectKind",
    "VerificationReport",
]

Confidence = Annotated[float, Field(ge=0.0, le=1.0, description="0 (a guess) to 1 (sure).")]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class KeySide(StrEnum):
    """Where the key light stands, as seen from the camera."""

    CAMERA_LEFT = "camera-left"
    CAMERA_RIGHT = "camera-right"
    FRONT = "front"
    AMBIGUOUS = "ambiguous"


class SubjectKind(StrEnum):
    """What the estimate was read from."""

    FACE = "face"
    CENTRAL_REGION = "central region"
    NONE = "none"


class SubjectEstimate(_Frozen):
    """The region the light was read from."""

    found: bool
    kind: SubjectKind
    confidence: Confidence
    reason: Annotated[str, Field(description="How it was found, or why nothing was.")]
    box: Annotated[
        tuple[int, int, int, int] | None,
        Field(description="Top, left, bottom, right in pixels of the picture as given."),
    ] = None
    pixels: Annotated[int, Field(ge=0, description="Pixels the estimate was read from.")] = 0
    method: Annotated[
        str | None,
        Field(
            description=(
                "How the face was found: 'landmarks' (a face model placed its mesh on it) or "
                "'classical' (skin colour and a generic head, the weaker way); none when no "
                "subject was found."
            )
        ),
    ] = None


class KeySideEstimate(_Frozen):
    """The key's side: camera-left or -right, in front (within 12° of the vertical plane through
    the camera axis), or ambiguous (no clear key)."""

    side: KeySide
    confidence: Confidence


class DirectionEstimate(_Frozen):
    """The key's direction, degrees."""

    azimuth: Annotated[float, Field(ge=-180.0, le=180.0, description="Degrees, + camera-right.")]
    elevation: Annotated[float, Field(ge=-90.0, le=90.0, description="Degrees above eye level.")]
    confidence: Confidence


class RatioEstimate(_Frozen):
    """Lit side to shadow side, as lightrig's analyzer defines it: the light on a surface leaning
    45° toward the key over that on one leaning 45° away."""

    stops: Annotated[float, Field(ge=0.0, le=10.0, description="log₂ lit / shadow, 0–10.")]
    ratio: Annotated[float, Field(ge=1.0, description="lit : shadow, 1–1024.")]
    confidence: Confidence


class ColourEstimate(_Frozen):
    """The colour temperature of the light on the subject, as the camera's white balance shows
    it (a light at the white balance's temperature renders neutral)."""

    kelvin: Annotated[float, Field(gt=0.0, description="Correlated colour temperature, K.")]
    mired: Annotated[float, Field(gt=0.0, description="10⁶ / kelvin.")]
    white_balance: Annotated[
        float, Field(gt=0.0, description="The camera white balance assumed, K.")
    ]
    off_locus: Annotated[
        float, Field(ge=0.0, description="Δuv from the black-body locus (0.005+: a tinted light).")
    ]
    confidence: Confidence


class HardnessEstimate(_Frozen):
    """How hard the key's shadows are, from the fine detail the shading shows."""

    hardness: ShadowHardness
    sharpness: Annotated[
        float,
        Field(ge=0.0, description="Fine-to-coarse detail of the face's shading; higher = harder."),
    ]
    confidence: Confidence


class LightingEstimate(_Frozen):
    """The light on the subject of one picture, read from the picture alone.

    ``reasons``: for each attribute left ``None`` (``key_side``, ``direction``, ``ratio``,
    ``colour``, ``hardness``), why it could not be read.
    """

    width: Annotated[int, Field(ge=0, description="Picture width, pixels.")]
    height: Annotated[int, Field(ge=0, description="Picture height, pixels.")]
    encoding: Annotated[
        str,
        Field(
            description=(
                "How the picture's values were assumed to relate to the light: 'display' (a "
                "photograph or render made for a screen), 'srgb' or 'linear'."
            )
        ),
    ] = "display"
    subject: SubjectEstimate
    key_side: KeySideEstimate | None = None
    direction: DirectionEstimate | None = None
    ratio: RatioEstimate | None = None
    colour: ColourEstimate | None = None
    hardness: HardnessEstimate | None = None
    reasons: dict[str, str] = Field(default_factory=dict)


class VerificationReport(_Frozen):
    """A picture checked against a request: its estimate, the reference's, and the comparison.

    Without a request only ``estimate`` is filled.
    """

    estimate: LightingEstimate
    reference: LightingEstimate | None = None
    adherence: Adherence | None = None
    reference_size: Annotated[
        int | None, Field(description="Side in pixels of the reference preview render.")
    ] = None
