"""From a face's fitted light to the estimate's readings: side, direction, ratio, colour, hardness.

Both ways of reading a face — its landmarks (:mod:`lightrig.verify.landmarked`) and the classical
one (:mod:`lightrig.verify.classical`) — end in a :class:`ShadedFace`: the fitted light, the
face's pixels with their normals, how much brighter its right half is than its left. The readings
are made from it the same way:

* the key's **direction** and **side** (camera-left / camera-right; front within 12° of the
  vertical plane through the camera axis, so a high key above the camera is front; ambiguous when
  no light stands out). A fill fitted on the key's own side of the face is the key split in two
  by a model that cannot quite explain it: the key is then the two lights' weighted mean
  direction (:func:`direction_of`). The fitted key stands a little nearer that plane than the
  true one (a fill on the far side pulls it in), so the side is decided at 9° of the fitted
  direction, and a key fitted 5–9° toward a half of the face at least half a stop brighter is
  on that side. The brighter half of the face has the last word when the fit is unsure, and a
  fit that puts the key on the clearly darker half must show why — a weaker fill lighting the
  brighter half, or its lights making that half the brighter one themselves, as a high key with
  a fill across does (:func:`side_of`);
* the **ratio**, in the analyzer's own terms — the light on a surface leaning 45° toward the key
  over that on one leaning 45° away (:func:`lightrig.lighting.geometry.probe_normals`) — from two
  readings: the median brightness of the face's pixels whose normals lie within 15° of the two
  probe normals (weight 0.7; what the picture shows there, cast shadows and skin too dark to show
  its colour included), and the fitted model evaluated at them (weight 0.3; steadier where few
  pixels face a probe); on a turned head the probes lean from its own nose axis, as the
  analyzer's do, turned with it (around the camera's axis, a broad light's shadow probe fell
  where its fill lights the face and read the ratio of a 1.6:1 broad setup as 1:1);
* the **colour temperature** of the light on the subject: the lit, unclipped skin with the mid
  skin albedo divided out, matched to the Planckian locus as the camera's white balance records it
  (:mod:`lightrig.verify.chroma`); nothing is read from a greyscale picture;
* the **shadow hardness** (:mod:`lightrig.verify.hardness`), weak evidence with a low confidence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lightrig.lighting.colour import kelvin_from_mired
from lightrig.lighting.geometry import probe_normals, wrap_degrees
from lightrig.verify.chroma import SKIN_ALBEDO, locus
from lightrig.verify.hardness import classify, sharpness
from lightrig.verify.image import LinearImage
from lightrig.verify.models import (
    ColourEstimate,
    DirectionEstimate,
    HardnessEstimate,
    KeySide,
    KeySideEstimate,
    RatioEstimate,
    SubjectEstimate,
)
from lightrig.verify.shading import ShadingFit, direction_angles
from lightrig.verify.shape import turn_about_vertical

__all__ = [
    "FRONT_DEG",
    "ShadedFace",
    "colour_of",
    "direction_of",
    "hardness_of",
    "is_greyscale",
    "lateral_angle",
    "ratio_of",
    "side_of",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

#: A key within this many degrees of the vertical plane through the camera axis is "front"
#: (see :func:`lateral_angle`).
FRONT_DEG = 12.0
#: A fitted key within this many degrees of that plane is called front (see the docstring).
_FRONT_FITTED_DEG = 9.0
#: A key within this many degrees of straight behind has no side either.
_BEHIND_DEG = 168.0
#: A fill within this many degrees of the key, on its side of the face, is the key split in two.
_SPLIT_MAX_DEG = 90.0
#: …and so is a pair one of which stands this high or higher (where no portrait pattern's key
#: stands: top light begins at 65°, :mod:`lightrig.lighting.patterns`), the other to its side.
_SPLIT_HIGH_DEG = 60.0
#: Below this direction confidence the key's side is "ambiguous".
_AMBIGUOUS_BELOW = 0.15
#: When the fit puts the key in front or nowhere with less confidence than this, a face whose
#: one half is at least this many stops brighter (median log luminance) has the key on that side.
_HALVES_TRUSTED_BELOW = 0.5
_HALVES_STOPS = 0.75
#: A fit that puts the key on a half this many stops darker than the other needs evidence.
_CLEARLY_DARKER_STOPS = 0.75
#: The evidence: two lights, the key on the darker half at least this much stronger than the
#: fill lighting the brighter one; or the fitted light itself making the brighter half brighter
#: by at least this share of the stops seen.
_DARK_KEY_STRENGTH = 1.5
_MODEL_SHOWS_SHARE = 0.5
#: A key fitted within the front band but at least this many degrees toward a half at least
#: this many stops brighter is on that side (a key 10° off the lens axis, fitted a little nearer).
_LEANING_MIN_DEG = 5.0
_LEANING_STOPS = 0.5
#: The key's share of the face's light (key / (key + fill + ambient), facing it) below which
#: no light stands out; 0.4 more gives full confidence.
_FLAT_KEY_SHARE = 0.3
#: Probe normals gather face pixels within this many degrees (widened if too few).
_PROBE_DEG = (15.0, 22.0, 30.0, 45.0)
_PROBE_MIN_PIXELS = 8
#: The ratio's weight on the fitted model (the rest on the pixels near the probe normals).
_MODEL_SHARE = 0.3
#: The lit skin the colour is read from: the share of the face most squarely facing the key.
_LIT_SHARE = 0.35
#: Off-locus distance (Δuv) at which the colour's confidence has fallen to its floor.
_DUV_DOUBT = 0.012
_MAX_STOPS = 10.0
_HARDNESS_CONFIDENCE_CAP = 0.35
#: Shades-of-grey norm for a region with no skin to read the light from.
_GREY_NORM = 6.0
#: A picture whose channels differ by at most this many code values (99.9 % of pixels) is grey.
_GREY_SPREAD = 2


def _clip(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


@dataclass(frozen=True)
class ShadedFace:
    """What one way of reading a face found, for the shared readings (pixels of the analysed
    picture).

    ``subject``: the face as reported; ``subject_confidence``: 0–1 that it is the face; ``fit``:
    the fitted light, or None with ``why``; ``skin_rows``, ``skin_cols``: the skin the colour is
    read from, with ``skin_normals`` (N × 3, camera frame; None when unknown) and
    ``skin_chroma_only`` — True when no skin was recognised and the region's colour is read as a
    whole; ``face_normals``, ``face_luminance``: every readable pixel of the face (shadowed ones
    included) for the ratio; ``dark_share``: the share of the face too dark to read;
    ``asymmetry``: stops the face's camera-right half is brighter than its left (None when a
    half is empty); ``hardness_mask``: the skin the hardness is read from (H × W), with
    ``face_width`` in pixels; ``modelled_asymmetry``: stops the fitted
    light makes the right half brighter than the left (None when unknown); ``yaw``: degrees
    the head is turned from the camera (+: its nose toward camera-right; None when unknown).
    """

    subject: SubjectEstimate
    subject_confidence: float
    fit: ShadingFit | None
    why: str
    skin_rows: IntArray
    skin_cols: IntArray
    skin_normals: FloatArray | None
    skin_chroma_only: bool
    face_normals: FloatArray | None
    face_luminance: FloatArray | None
    dark_share: float
    asymmetry: float | None
    hardness_mask: npt.NDArray[np.bool_]
    face_width: float
    modelled_asymmetry: float | None = None
    yaw: float | None = None


def lateral_angle(azimuth: float, elevation: float) -> float:
    """Degrees a light at ``azimuth``, ``elevation`` stands off the vertical plane through the
    camera axis (−90…90, + camera-right): how far to one side the camera sees it. A high light
    above the camera is not to a side, even at a sizeable azimuth."""
    lateral = math.sin(math.radians(azimuth)) * math.cos(math.radians(elevation))
    return math.degrees(math.asin(max(-1.0, min(1.0, lateral))))


def _split_key(fit: ShadingFit) -> FloatArray | None:
    """The one light a fit split in two, when its fill stands on the key's own side of the face
    (both at least :data:`FRONT_DEG` off the vertical plane through the camera axis, on the same
    side), or when one of the two stands at least :data:`_SPLIT_HIGH_DEG` high and the other at
    least :data:`FRONT_DEG` to its side (a light that high shows no side of its own, or the same)
    — and they stand within :data:`_SPLIT_MAX_DEG` of each other: their
    strength-weighted mean direction (unit vector, camera frame); None when the fill is a fill.

    On a convex face two lights act much like one between them, so a fit whose model does not
    quite match the face (a generic head placed by its outline) can trade a key for a light
    over the head and a second one low. On 60 renders of random key-and-fill setups (drawn as
    ``benchmarks/verify.py`` draws its main set, seed 99; not the presets) read by the outline,
    taking such pairs as one light cut the keys read 60° or higher whose truth stands under 50°
    from 7 to 5 and named the setup's pattern on 39 against 37. (Taking a fill beside the
    camera into a high key too cut them to 4 and named 41, but a top light with a fill at the
    camera is a real setup, and would be read as a key in front.)"""
    if fit.fill is None or fit.fill_strength <= 0.0:
        return None
    (key_azimuth, key_elevation), (fill_azimuth, fill_elevation) = (
        direction_angles(fit.key),
        direction_angles(fit.fill),
    )
    key_lateral = lateral_angle(key_azimuth, key_elevation)
    fill_lateral = lateral_angle(fill_azimuth, fill_elevation)
    beside = min(abs(key_lateral), abs(fill_lateral)) >= FRONT_DEG
    if key_elevation >= fill_elevation:
        high_lateral, low_lateral, high = key_lateral, fill_lateral, key_elevation
    else:
        high_lateral, low_lateral, high = fill_lateral, key_lateral, fill_elevation
    # a light that high stands near the vertical plane whatever its azimuth: its side counts
    # only when it shows one; the low one must stand to a side, or it is a fill by the camera
    over = (
        high >= _SPLIT_HIGH_DEG
        and abs(low_lateral) >= FRONT_DEG
        and (high_lateral * low_lateral > 0.0 or abs(high_lateral) < FRONT_DEG)
    )
    if not ((key_lateral * fill_lateral > 0.0 and beside) or over):
        return None
    if float(fit.key @ fit.fill) < math.cos(math.radians(_SPLIT_MAX_DEG)):
        return None
    mean = fit.key_strength * fit.key + fit.fill_strength * fit.fill
    norm = float(np.linalg.norm(mean))
    return mean / norm if norm > 0.0 else None


def direction_of(fit: ShadingFit, subject_confidence: float) -> DirectionEstimate:
    """The key's direction, with a confidence from how surely the fit places it: how far keys
    fitting almost as well reach, how much the key stands out, how much the model explains.

    A fill fitted on the key's own side is no fill: a key the model cannot quite explain (a
    face not shaped like the model's, a rim light behind it) is split into two lights either
    side of it, the stronger one high, the other low. The key is then their weighted mean
    (:func:`_split_key`)."""
    merged = _split_key(fit)
    azimuth, elevation = direction_angles(fit.key if merged is None else merged)
    total = fit.ambient + fit.key_strength + fit.fill_strength
    share = fit.key_strength / total if total > 0.0 else 0.0
    certainty = _clip(1.0 - fit.spread_deg / 80.0, 0.2, 1.0)
    clarity = _clip((share - _FLAT_KEY_SHARE) / 0.4, 0.1, 1.0)
    quality = _clip((fit.explained - 0.4) / 0.45, 0.2, 1.0)
    confidence = _clip(subject_confidence * (certainty * clarity * quality) ** (1.0 / 3.0))
    return DirectionEstimate(
        azimuth=round(azimuth, 2), elevation=round(elevation, 2), confidence=round(confidence, 3)
    )


def _halves(asymmetry: float, subject_confidence: float) -> KeySideEstimate:
    """The key's side from the brighter half of the face alone (how far, it cannot say)."""
    return KeySideEstimate(
        side=KeySide.CAMERA_RIGHT if asymmetry > 0.0 else KeySide.CAMERA_LEFT,
        confidence=round(subject_confidence * _clip(0.25 * abs(asymmetry), 0.2, 0.5), 3),
    )


def _fit_shows_brighter_half(asymmetry: float, modelled: float | None) -> bool:
    """Does the fitted light itself make the brighter half of the face the brighter one, by at
    least half as many stops (a fill there, or a key too high or far round to light its own half
    much)?"""
    return (
        modelled is not None
        and modelled * asymmetry > 0.0
        and abs(modelled) >= _MODEL_SHOWS_SHARE * abs(asymmetry)
    )


def _dark_key_shown(fit: ShadingFit | None) -> bool:
    """Does the fit show a key on the darker half of the face: a second light lighting the
    brighter half, clearly weaker than the key?"""
    return (
        fit is not None
        and fit.fill is not None
        and fit.key_strength >= _DARK_KEY_STRENGTH * fit.fill_strength
        and float(fit.fill[0]) * float(fit.key[0]) < 0.0
    )


def halves_asymmetry(values: FloatArray, across: FloatArray, half_from: float) -> float | None:
    """Stops the camera-right half is brighter than the left: medians of log2 ``values`` (a
    face's luminance, or the light a fit models there) of the pixels at least ``half_from``
    across the face (−1…1, camera-left to right) either side of its midline; None when a half
    has under 5 pixels."""
    log_y = np.log2(np.maximum(values, 1e-6))
    right, left = log_y[across > half_from], log_y[across < -half_from]
    if right.size < 5 or left.size < 5:
        return None
    return float(np.median(right) - np.median(left))


def modelled_light(fit: ShadingFit, normals: FloatArray) -> FloatArray:
    """The fitted light (ambient, key and fill, cast shadows left out) on surfaces of unit
    ``normals`` (N × 3, camera frame)."""
    light = fit.ambient + fit.key_strength * np.maximum(normals @ fit.key, 0.0)
    if fit.fill is not None:
        light = light + fit.fill_strength * np.maximum(normals @ fit.fill, 0.0)
    return np.asarray(light, dtype=np.float64)


def side_of(
    direction: DirectionEstimate,
    *,
    asymmetry: float | None,
    subject_confidence: float,
    fit: ShadingFit | None = None,
    modelled_asymmetry: float | None = None,
) -> KeySideEstimate:
    """The key's side from its fitted direction, checked against the brighter half of the face
    (``asymmetry``: stops the camera-right half is brighter than the left)."""
    azimuth, elevation, confidence = direction.azimuth, direction.elevation, direction.confidence
    size = abs(lateral_angle(azimuth, elevation))
    clear = asymmetry is not None and abs(asymmetry) >= _HALVES_STOPS
    unsided = (
        confidence < _AMBIGUOUS_BELOW or abs(azimuth) >= _BEHIND_DEG or size <= _FRONT_FITTED_DEG
    )
    if unsided and confidence < _HALVES_TRUSTED_BELOW and clear and asymmetry is not None:
        # the fit cannot place the key, but one half of the face is clearly the brighter
        return _halves(asymmetry, subject_confidence)
    if confidence < _AMBIGUOUS_BELOW or abs(azimuth) >= _BEHIND_DEG:
        return KeySideEstimate(
            side=KeySide.AMBIGUOUS, confidence=round(0.5 * subject_confidence, 3)
        )
    if (
        _LEANING_MIN_DEG <= size <= _FRONT_FITTED_DEG
        and asymmetry is not None
        and asymmetry * azimuth > 0.0
        and abs(asymmetry) >= _LEANING_STOPS
    ):
        # near the front, leaning toward the clearly brighter half: a key a little to that side
        side = KeySide.CAMERA_RIGHT if azimuth > 0 else KeySide.CAMERA_LEFT
        return KeySideEstimate(side=side, confidence=round(0.5 * confidence, 3))
    if size <= _FRONT_FITTED_DEG:
        sure = _clip(0.5 + (_FRONT_FITTED_DEG - size) / _FRONT_FITTED_DEG)
        return KeySideEstimate(side=KeySide.FRONT, confidence=round(confidence * sure, 3))
    against = asymmetry is not None and asymmetry * azimuth < 0.0
    if (
        against
        and asymmetry is not None
        and abs(asymmetry) >= _CLEARLY_DARKER_STOPS
        and not _dark_key_shown(fit)
        and not _fit_shows_brighter_half(asymmetry, modelled_asymmetry)
    ):
        # the fit puts the key on the clearly darker half and shows nothing lighting the
        # brighter one: the brighter half is the key's
        return _halves(asymmetry, subject_confidence)
    side = KeySide.CAMERA_RIGHT if azimuth > 0 else KeySide.CAMERA_LEFT
    sure = _clip(0.5 + (size - _FRONT_FITTED_DEG) / 24.0)
    # the brighter half of the face should be the key's; when it clearly is not, doubt
    if against and asymmetry is not None and abs(asymmetry) > 0.25:
        sure *= 0.5
    return KeySideEstimate(side=side, confidence=round(confidence * sure, 3))


def ratio_of(face: ShadedFace, direction: DirectionEstimate) -> RatioEstimate | None:
    """The lighting ratio at the analyzer's probe normals (see the module's docstring): the
    fitted model's and the measured one's blend (:data:`_MODEL_SHARE` the model's)."""
    fit, normals, luminance = face.fit, face.face_normals, face.face_luminance
    if fit is None or normals is None or luminance is None:
        return None
    turn = 0.0 if face.yaw is None else face.yaw
    rotation = turn_about_vertical(turn)
    lit_probe, shadow_probe = (
        rotation @ np.asarray(p)
        for p in probe_normals(wrap_degrees(direction.azimuth - turn), direction.elevation)
    )
    modelled = math.log2(
        max(fit.irradiance(lit_probe), 1e-9) / max(fit.irradiance(shadow_probe), 1e-9)
    )
    levels: list[float] = []
    for probe in (lit_probe, shadow_probe):
        cosines = normals @ probe
        for degrees in _PROBE_DEG:
            near = cosines >= math.cos(math.radians(degrees))
            if int(near.sum()) >= _PROBE_MIN_PIXELS:
                levels.append(float(np.median(luminance[near])))
                break
    if len(levels) == 2 and min(levels) > 0.0:
        measured = math.log2(levels[0] / levels[1])
        stops = _MODEL_SHARE * modelled + (1.0 - _MODEL_SHARE) * measured
        agreement = _clip(1.0 - abs(modelled - measured), 0.2, 1.0)
    else:
        stops, agreement = modelled, 0.5
    stops = _clip(stops, 0.0, _MAX_STOPS)
    # much of the face too dark to read: the shadow side is darker than what could be measured
    doubt = _clip(1.0 - face.dark_share / 0.6, 0.3, 1.0)
    return RatioEstimate(
        stops=round(stops, 3),
        ratio=round(2.0**stops, 3),
        confidence=round(direction.confidence * agreement * doubt, 3),
    )


def is_greyscale(picture: LinearImage) -> bool:
    """Whether the picture holds no colour (its channels agree within two code values)."""
    encoded = picture.encoded.astype(np.int16)
    spread = np.maximum(
        np.abs(encoded[..., 0] - encoded[..., 1]), np.abs(encoded[..., 1] - encoded[..., 2])
    )
    return float(np.percentile(spread, 99.9)) <= _GREY_SPREAD


def colour_of(
    picture: LinearImage, face: ShadedFace, *, white_balance: float
) -> ColourEstimate | str:
    """The light's colour temperature on the face's lit skin, or why it cannot be read."""
    if is_greyscale(picture):
        return "the picture is greyscale: it holds no colour to read the light's from"
    rows, cols = face.skin_rows, face.skin_cols
    rgb = picture.linear[rows, cols].astype(np.float64)
    usable = ~picture.clipped[rows, cols]
    if not face.skin_chroma_only:
        if face.fit is not None and face.skin_normals is not None:
            facing = face.skin_normals @ face.fit.key
            usable &= facing >= np.quantile(facing, 1.0 - _LIT_SHARE)
        luminance = picture.luminance[rows, cols]
        if usable.sum() >= 10:
            usable &= luminance <= np.quantile(luminance[usable], 0.9)  # leave out highlights
        if int(usable.sum()) < 10:
            return "too little lit, unclipped skin to read the light's colour from"
        light = np.median(rgb[usable], axis=0) / SKIN_ALBEDO
    else:
        if int(usable.sum()) < 10:
            return "too little unclipped picture to read the light's colour from"
        light = np.mean(rgb[usable] ** _GREY_NORM, axis=0) ** (1.0 / _GREY_NORM)
    if float(light.min()) <= 0.0:
        return "the light's colour lies outside what a black body can give"
    mired, off_locus = locus(white_balance).nearest(light)
    value = float(mired)
    distance = float(off_locus)
    confidence = (
        face.subject_confidence
        * _clip(1.0 - distance / _DUV_DOUBT, 0.1, 1.0)
        * _clip(float(usable.sum()) / 50.0, 0.3, 1.0)
    )
    return ColourEstimate(
        kelvin=round(kelvin_from_mired(value), 1),
        mired=round(value, 2),
        white_balance=white_balance,
        off_locus=round(distance, 5),
        confidence=round(_clip(confidence), 3),
    )


def hardness_of(picture: LinearImage, face: ShadedFace) -> HardnessEstimate | str:
    """How hard the shadows on the face are, or why it cannot be told."""
    if face.fit is None:
        return face.why
    value = sharpness(picture.luminance, face.hardness_mask, face.face_width)
    if value is None:
        return "too little of the face lies away from its edges to judge shadows"
    label, clarity = classify(value)
    return HardnessEstimate(
        hardness=label,
        sharpness=round(value, 4),
        confidence=round(_HARDNESS_CONFIDENCE_CAP * clarity * face.subject_confidence, 3),
    )
