"""Reading the light from a picture: ``estimate_lighting``.

The picture is decoded and its encoding undone (:mod:`lightrig.verify.image`; a photograph or
render made for a screen unless told otherwise). Then the face is found and the light fitted on
its shape, one of two ways:

* **by its landmarks** (:mod:`lightrig.verify.landmarked`), when a face model is installed
  (``pip install 'lightrig[faces]'``) and finds a face: the light is fitted on the face's own
  mesh or on a generic face posed to it (lightrig's bust), whichever explains its shading better,
  with the mesh's cast shadows; this reads real photographs, colour or greyscale, turned heads
  included, and lightrig's own renders;
* **classically** (:mod:`lightrig.verify.classical`), by skin colour and a generic head: the
  weaker way, used when there is no face model, when it finds no face, or when asked for.

From the fitted light come the key's side and direction, the lighting ratio, the colour
temperature on the lit skin and the shadow hardness (:mod:`lightrig.verify.readings`), each with
a confidence; the side's and the direction's are calibrated to how often such a reading is
right (:mod:`lightrig.verify.calibration`). A key behind the head, which lights only its edge and
so escapes the fit, is read from the lit rim it leaves (:mod:`lightrig.verify.backlight`) when
the picture shows a rim the fitted light cannot have made; when no face model finds a face and
the subject is a dark shape against a bright backdrop, from the rim on its silhouette
(:mod:`lightrig.verify.silhouette`). Nothing is guessed: an attribute that
cannot be read is ``None`` with the reason in ``reasons``.
"""

from __future__ import annotations

from enum import StrEnum

import numpy as np
import numpy.typing as npt

from lightrig.verify.backlight import behind_reading
from lightrig.verify.calibration import calibrated_readings
from lightrig.verify.chroma import DEFAULT_WHITE_BALANCE
from lightrig.verify.classical import read_classically
from lightrig.verify.generic_face import generic_face
from lightrig.verify.image import MIN_SIDE, Encoding, LinearImage, decode_sized, linearise
from lightrig.verify.landmarked import read_landmarked, scaled
from lightrig.verify.landmarks import (
    FaceLandmarks,
    Landmarker,
    LandmarkerUnavailableError,
    default_landmarker,
)
from lightrig.verify.models import (
    ColourEstimate,
    DirectionEstimate,
    HardnessEstimate,
    KeySideEstimate,
    LightingEstimate,
    RatioEstimate,
    SubjectEstimate,
    SubjectKind,
)
from lightrig.verify.readings import (
    FRONT_DEG,
    ShadedFace,
    colour_of,
    direction_of,
    hardness_of,
    lateral_angle,
    ratio_of,
    side_of,
)
from lightrig.verify.silhouette import silhouette_reading

__all__ = ["ATTRIBUTES", "FRONT_DEG", "Method", "at_size", "estimate_lighting", "lateral_angle"]

#: The attributes an estimate reads, in the order they are reported.
ATTRIBUTES = ("key_side", "direction", "ratio", "colour", "hardness")


#: A face found spanning at least this share of the frame's width is the backdrop taken for skin
#: (the silhouette preset's: 0.86): only then is the picture read as a silhouette (on renders of
#: side-lit faces whose landmarks were not found, the dark half of the face beside the lit one
#: looks like one; their faces span about a third of the frame).
_BACKDROP_AS_SKIN = 0.75


class Method(StrEnum):
    """How the face is found: by a face model's landmarks when there is one (``auto``), only so
    (``landmarks``), or by skin colour and a generic head (``classical``)."""

    AUTO = "auto"
    LANDMARKS = "landmarks"
    CLASSICAL = "classical"


def _unread(
    width: int, height: int, encoding: Encoding, subject: SubjectEstimate
) -> LightingEstimate:
    return LightingEstimate(
        width=width,
        height=height,
        encoding=encoding.value,
        subject=subject,
        reasons=dict.fromkeys(ATTRIBUTES, subject.reason),
    )


def _landmarks_of(
    encoded: npt.NDArray[np.uint8], landmarker: Landmarker | None, method: Method
) -> tuple[Landmarker | None, FaceLandmarks | None, str]:
    """The landmarker to use, the landmarks it found (or None) and, when there are none, why."""
    if method is Method.CLASSICAL:
        return None, None, ""
    if landmarker is None:
        try:
            landmarker = default_landmarker()
        except LandmarkerUnavailableError as exc:
            return None, None, str(exc)
    try:
        found = landmarker.find(encoded)
    except LandmarkerUnavailableError as exc:
        return None, None, str(exc)
    if found is None:
        return landmarker, None, f"no face was found by its landmarks ({landmarker.name})"
    return landmarker, found, ""


def _read(
    picture: LinearImage,
    encoded: npt.NDArray[np.uint8],
    *,
    white_balance: float,
    method: Method,
    landmarker: Landmarker | None,
) -> tuple[ShadedFace | SubjectEstimate, bool]:
    """The face read the way ``method`` asks, or the subject alone when nothing can be read;
    and whether a face model found a face."""
    landmarker, found, why = _landmarks_of(encoded, landmarker, method)
    if found is not None and landmarker is not None:
        landmarks = scaled(found, picture.scale)
        read = read_landmarked(picture, landmarks, generic_face(landmarker))
        if isinstance(read, ShadedFace):
            return read, True
        why = read
    if method is Method.LANDMARKS:
        subject = SubjectEstimate(
            found=False, kind=SubjectKind.NONE, confidence=0.0, reason=why, method="landmarks"
        )
        return subject, found is not None
    note = f"; {why}" if why else ""
    return read_classically(picture, white_balance, note), found is not None


def _backdrop_as_skin(width: int, face: ShadedFace) -> bool:
    """Did the classical way take the backdrop for the face's skin (the face found spans most
    of the frame's ``width``, pixels), as it does on a silhouette, where no skin shows?"""
    box = face.subject.box
    return box is not None and box[3] - box[1] >= _BACKDROP_AS_SKIN * width


def estimate_lighting(
    image: bytes | npt.NDArray[np.generic],
    *,
    white_balance: float = DEFAULT_WHITE_BALANCE,
    encoding: Encoding | str = Encoding.DISPLAY,
    method: Method | str = Method.AUTO,
    landmarker: Landmarker | None = None,
) -> LightingEstimate:
    """Read the light on the subject of ``image``.

    ``image``: encoded bytes (PNG, JPEG, …) or an encoded sRGB array (see
    :func:`lightrig.verify.image.decode`). ``white_balance``: the camera's, in kelvin, assumed
    for the colour temperature (lightrig's default 5600 K). ``encoding``: how the picture's values
    relate to the light (:class:`~lightrig.verify.image.Encoding`; ``display`` unless the picture
    is known to be linear). ``method``: see :class:`Method`. ``landmarker``: the face model to
    use (the installed one by default). Raises :class:`~lightrig.verify.image.ImageDecodeError`
    for bytes that are not a picture and :class:`ValueError` for an unknown encoding or method.
    """
    encoding, method = Encoding(encoding), Method(method)
    encoded, width, height = decode_sized(image)
    return at_size(_estimate(encoded, white_balance, encoding, method, landmarker), width, height)


def at_size(estimate: LightingEstimate, width: int, height: int) -> LightingEstimate:
    """The estimate of a picture read reduced (see :func:`~lightrig.verify.image.decode_sized`)
    given for the picture's own ``width`` × ``height`` pixels: its size and the subject's box."""
    if (width, height) == (estimate.width, estimate.height) or estimate.width <= 0:
        return estimate
    factor = width / estimate.width
    box = estimate.subject.box
    subject = estimate.subject
    if box is not None:
        subject = subject.model_copy(update={"box": tuple(round(v * factor) for v in box)})
    return estimate.model_copy(update={"width": width, "height": height, "subject": subject})


def _estimate(
    encoded: npt.NDArray[np.uint8],
    white_balance: float,
    encoding: Encoding,
    method: Method,
    landmarker: Landmarker | None,
) -> LightingEstimate:
    """The estimate on the decoded picture (sizes and box in its pixels)."""
    height, width = int(encoded.shape[0]), int(encoded.shape[1])
    if min(height, width) < MIN_SIDE:
        reason = f"the picture is {width} × {height} pixels; at least {MIN_SIDE} a side is needed"
        subject = SubjectEstimate(found=False, kind=SubjectKind.NONE, confidence=0.0, reason=reason)
        return _unread(width, height, encoding, subject)
    picture = linearise(encoded, encoding)
    face, landmarked = _read(
        picture, encoded, white_balance=white_balance, method=method, landmarker=landmarker
    )
    if isinstance(face, SubjectEstimate):
        return _unread(width, height, encoding, face)

    reasons: dict[str, str] = {}
    direction: DirectionEstimate | None = None
    key_side: KeySideEstimate | None = None
    ratio: RatioEstimate | None = None
    if face.fit is None:
        for name in ("key_side", "direction", "ratio"):
            reasons[name] = face.why
    else:
        direction = direction_of(face.fit, face.subject_confidence)
        key_side = side_of(
            direction,
            asymmetry=face.asymmetry,
            subject_confidence=face.subject_confidence,
            fit=face.fit,
            modelled_asymmetry=face.modelled_asymmetry,
        )
        ratio = ratio_of(face, direction)
        if ratio is None:
            reasons["ratio"] = "the face's shading could not be measured at the probe normals"
        behind = behind_reading(picture, face, direction)
        if behind is None and not landmarked and _backdrop_as_skin(width, face):
            behind = silhouette_reading(picture)
        direction, key_side = calibrated_readings(direction, key_side, face.yaw)
        if behind is not None:
            direction, key_side = behind
    colour: ColourEstimate | None = None
    read = colour_of(picture, face, white_balance=white_balance)
    if isinstance(read, str):
        reasons["colour"] = read
    else:
        colour = read
    hardness: HardnessEstimate | None = None
    judged = hardness_of(picture, face)
    if isinstance(judged, str):
        reasons["hardness"] = judged
    else:
        hardness = judged
    return LightingEstimate(
        width=width,
        height=height,
        encoding=encoding.value,
        subject=face.subject,
        key_side=key_side,
        direction=direction,
        ratio=ratio,
        colour=colour,
        hardness=hardness,
        reasons=reasons,
    )
