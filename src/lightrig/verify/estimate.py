"""Reading the light from a picture: ``estimate_lighting``.

The picture is decoded and linearised (:mod:`lightrig.verify.image`), the subject's face found by
its skin (:mod:`lightrig.verify.subject`) and given the normals of a generic head
(:mod:`lightrig.verify.shape`); a key, a fill and ambient light are fitted to the face's shading
(:mod:`lightrig.verify.shading`). From the fit come

* the key's **direction** and **side** (camera-left / camera-right; front within 12° of the
  vertical plane through the camera axis, so a high key above the camera is front; ambiguous when
  no light stands out). The fitted key stands about 3° nearer that plane than the true one (on
  lightrig's renders, median over random setups: a fill on the far side pulls it in), so the
  side is decided at 9° of the fitted direction;
* the **ratio**, in the analyzer's own terms — the light on a surface leaning 45° toward the key
  over that on one leaning 45° away (:func:`lightrig.lighting.geometry.probe_normals`) — from two
  readings: the median brightness of the pixels within the face's outline whose normals lie
  within 15° of the two probe normals (weight 0.7; what the picture shows there, cast shadows and
  skin too dark to show its colour included), and the fitted model evaluated at them (weight 0.3;
  steadier where few pixels face a probe);
* the **colour temperature** of the light on the subject: the lit, unclipped skin with the mid
  skin albedo divided out, matched to the Planckian locus as the camera's white balance records it
  (:mod:`lightrig.verify.chroma`); 5600 K, lightrig's default, is assumed unless given;
* the **shadow hardness** (:mod:`lightrig.verify.hardness`), weak evidence with a low confidence.

Confidences multiply the subject's confidence with each attribute's own evidence. Nothing is
guessed: an attribute that cannot be read is ``None`` with the reason in ``reasons``.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from lightrig.lighting.colour import kelvin_from_mired
from lightrig.lighting.geometry import probe_normals
from lightrig.verify.chroma import DEFAULT_WHITE_BALANCE, SKIN_ALBEDO, locus
from lightrig.verify.hardness import classify, sharpness
from lightrig.verify.image import MIN_SIDE, LinearImage, decode, linearise
from lightrig.verify.models import (
    ColourEstimate,
    DirectionEstimate,
    HardnessEstimate,
    KeySide,
    KeySideEstimate,
    LightingEstimate,
    RatioEstimate,
    SubjectEstimate,
    SubjectKind,
)
from lightrig.verify.occlusion import occlusion_for
from lightrig.verify.shading import ShadingFit, direction_angles, fit_shading
from lightrig.verify.shape import face_normals, head_map, outline_coordinates
from lightrig.verify.subject import Subject, find_subject

__all__ = ["ATTRIBUTES", "FRONT_DEG", "estimate_lighting", "lateral_angle"]

#: The attributes an estimate reads, in the order they are reported.
ATTRIBUTES = ("key_side", "direction", "ratio", "colour", "hardness")
#: A key within this many degrees of the vertical plane through the camera axis is "front"
#: (see :func:`lateral_angle`).
FRONT_DEG = 12.0
#: A fitted key within this many degrees of that plane is called front (see the docstring).
_FRONT_FITTED_DEG = 9.0
#: A key within this many degrees of straight behind has no side either.
_BEHIND_DEG = 168.0
#: Fewer face pixels than this and nothing is read from the shading.
_MIN_FACE_PIXELS = 60
#: Below this direction confidence the key's side is "ambiguous".
_AMBIGUOUS_BELOW = 0.15
#: When the fit puts the key in front or nowhere with less confidence than this, a face whose
#: one half is at least this many stops brighter (median log luminance) has the key on that side.
_HALVES_TRUSTED_BELOW = 0.5
_HALVES_STOPS = 0.75
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
#: Shades-of-grey norm for the stand-in region (no skin to read the light from).
_GREY_NORM = 6.0

FloatArray = npt.NDArray[np.float64]


def _clip(value: float, low: float = 0.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


def _subject_summary(subject: Subject, scale: float, pixels: int) -> SubjectEstimate:
    box = None
    if subject.box is not None:
        top, left, bottom, right = subject.box
        box = (
            round(top / scale),
            round(left / scale),
            round(bottom / scale),
            round(right / scale),
        )
    return SubjectEstimate(
        found=subject.found,
        kind=subject.kind,
        confidence=round(subject.confidence, 3),
        reason=subject.reason,
        box=box,
        pixels=pixels,
    )


def _direction_confidence(fit: ShadingFit, subject_confidence: float) -> float:
    total = fit.ambient + fit.key_strength + fit.fill_strength
    share = fit.key_strength / total if total > 0.0 else 0.0
    certainty = _clip(1.0 - fit.spread_deg / 80.0, 0.2, 1.0)
    clarity = _clip((share - _FLAT_KEY_SHARE) / 0.4, 0.1, 1.0)
    quality = _clip((fit.explained - 0.4) / 0.45, 0.2, 1.0)
    return _clip(subject_confidence * (certainty * clarity * quality) ** (1.0 / 3.0))


def lateral_angle(azimuth: float, elevation: float) -> float:
    """Degrees a light at ``azimuth``, ``elevation`` stands off the vertical plane through the
    camera axis (−90…90, + camera-right): how far to one side the camera sees it. A high light
    above the camera is not to a side, even at a sizeable azimuth."""
    lateral = math.sin(math.radians(azimuth)) * math.cos(math.radians(elevation))
    return math.degrees(math.asin(max(-1.0, min(1.0, lateral))))


def _side(
    azimuth: float,
    elevation: float,
    *,
    confidence: float,
    asymmetry: float | None,
    subject_confidence: float,
) -> KeySideEstimate:
    size = abs(lateral_angle(azimuth, elevation))
    unsided = (
        confidence < _AMBIGUOUS_BELOW or abs(azimuth) >= _BEHIND_DEG or size <= _FRONT_FITTED_DEG
    )
    if (
        unsided
        and confidence < _HALVES_TRUSTED_BELOW
        and asymmetry is not None
        and abs(asymmetry) >= _HALVES_STOPS
    ):
        # the fit cannot place the key, but one half of the face is clearly the brighter: the
        # key is on that side (how far, the fit cannot say)
        return KeySideEstimate(
            side=KeySide.CAMERA_RIGHT if asymmetry > 0.0 else KeySide.CAMERA_LEFT,
            confidence=round(subject_confidence * _clip(0.25 * abs(asymmetry), 0.2, 0.5), 3),
        )
    if confidence < _AMBIGUOUS_BELOW or abs(azimuth) >= _BEHIND_DEG:
        return KeySideEstimate(
            side=KeySide.AMBIGUOUS, confidence=round(0.5 * subject_confidence, 3)
        )
    if size <= _FRONT_FITTED_DEG:
        sure = _clip(0.5 + (_FRONT_FITTED_DEG - size) / _FRONT_FITTED_DEG)
        return KeySideEstimate(side=KeySide.FRONT, confidence=round(confidence * sure, 3))
    side = KeySide.CAMERA_RIGHT if azimuth > 0 else KeySide.CAMERA_LEFT
    sure = _clip(0.5 + (size - _FRONT_FITTED_DEG) / 24.0)
    # the brighter half of the face should be the key's; when it clearly is not, doubt
    if asymmetry is not None and asymmetry * azimuth < 0.0 and abs(asymmetry) > 0.25:
        sure *= 0.5
    return KeySideEstimate(side=side, confidence=round(confidence * sure, 3))


def _asymmetry(
    subject: Subject, rows: npt.NDArray[np.intp], cols: npt.NDArray[np.intp], log_y: FloatArray
) -> float | None:
    """Stops the right half of the face is brighter than the left (None if a half is empty)."""
    outline = subject.outline
    if outline is None:
        return None
    k = np.clip(rows - outline.top, 0, outline.height - 1)
    across = (cols + 0.5 - outline.centre[k]) / outline.half_width[k]
    right, left = log_y[across > 0.2], log_y[across < -0.2]
    if right.size < 5 or left.size < 5:
        return None
    return float(np.median(right) - np.median(left))


def _ratio(
    fit: ShadingFit,
    *,
    normals: FloatArray,
    luminance: FloatArray,
    azimuth: float,
    elevation: float,
    confidence: float,
    dark_share: float,
) -> RatioEstimate:
    lit_probe, shadow_probe = (np.asarray(p) for p in probe_normals(azimuth, elevation))
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
    doubt = _clip(1.0 - dark_share / 0.6, 0.3, 1.0)
    return RatioEstimate(
        stops=round(stops, 3),
        ratio=round(2.0**stops, 3),
        confidence=round(confidence * agreement * doubt, 3),
    )


def _colour(
    picture: LinearImage,
    subject: Subject,
    *,
    rows: npt.NDArray[np.intp],
    cols: npt.NDArray[np.intp],
    facing: FloatArray | None,
    white_balance: float,
) -> ColourEstimate | str:
    rgb = picture.linear[rows, cols].astype(np.float64)
    usable = ~picture.clipped[rows, cols]
    if subject.kind is SubjectKind.FACE:
        if facing is not None:
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
        subject.confidence
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


def _within_outline(
    subject: Subject, picture: LinearImage
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """Rows and columns of the unclipped pixels within the face's outline."""
    outline = subject.outline
    if outline is None:
        rows, cols = np.nonzero(subject.skin)
        return rows, cols
    cols = np.arange(picture.width)
    inside = np.abs(cols[None, :] + 0.5 - outline.centre[:, None]) < outline.half_width[:, None]
    mask = np.zeros((picture.height, picture.width), dtype=np.bool_)
    mask[outline.top : outline.bottom] = inside
    rows, cols = np.nonzero(mask & ~picture.clipped)
    return rows, cols


def _dark_share(subject: Subject, picture: LinearImage) -> float:
    """The share of the face's outline that is not readable skin (too dark, or features)."""
    outline = subject.outline
    if outline is None:
        return 0.0
    rows = np.arange(outline.top, outline.bottom)
    cols = np.arange(picture.width)
    inside = np.abs(cols[None, :] + 0.5 - outline.centre[:, None]) < outline.half_width[:, None]
    area = float(inside.sum())
    if area <= 0.0:
        return 0.0
    skin = subject.skin[rows][inside]
    return 1.0 - float(skin.sum()) / area


def estimate_lighting(
    image: bytes | npt.NDArray[np.generic], *, white_balance: float = DEFAULT_WHITE_BALANCE
) -> LightingEstimate:
    """Read the light on the subject of ``image``.

    ``image``: encoded bytes (PNG, JPEG, …) or an encoded sRGB array (see
    :func:`lightrig.verify.image.decode`). ``white_balance``: the camera's, in kelvin, assumed
    for the colour temperature (lightrig's default 5600 K). Raises
    :class:`~lightrig.verify.image.ImageDecodeError` for bytes that are not a picture.
    """
    encoded = decode(image)
    height, width = int(encoded.shape[0]), int(encoded.shape[1])
    if min(height, width) < MIN_SIDE:
        reason = f"the picture is {width} × {height} pixels; at least {MIN_SIDE} a side is needed"
        return LightingEstimate(
            width=width,
            height=height,
            subject=SubjectEstimate(
                found=False, kind=SubjectKind.NONE, confidence=0.0, reason=reason
            ),
            reasons=dict.fromkeys(ATTRIBUTES, reason),
        )
    picture = linearise(encoded)
    subject = find_subject(picture, white_balance)
    rows, cols = np.nonzero(subject.skin)
    summary = _subject_summary(subject, picture.scale, int(rows.size))
    if not subject.found or subject.outline is None:
        return LightingEstimate(
            width=width,
            height=height,
            subject=summary,
            reasons=dict.fromkeys(ATTRIBUTES, subject.reason),
        )

    reasons: dict[str, str] = {}
    luminance = picture.luminance[rows, cols].astype(np.float64)
    fit: ShadingFit | None = None
    normals: FloatArray | None = None
    if rows.size >= _MIN_FACE_PIXELS:
        # the fit also reads the face's shadowed skin, too dark to show its colour: that no
        # light reaches it is evidence too
        shaded_rows, shaded_cols = np.nonzero(subject.shaded & ~picture.clipped)
        fit_rows, fit_cols = (
            np.concatenate([rows, shaded_rows]),
            np.concatenate([cols, shaded_cols]),
        )
        across, down = outline_coordinates(subject.outline, fit_rows, fit_cols)
        fit_normals = head_map().lookup(across, down)
        fit = fit_shading(
            fit_normals,
            picture.luminance[fit_rows, fit_cols].astype(np.float64),
            visibility=occlusion_for(across, down),
        )
        normals = fit_normals[: rows.size]  # the skin's (the shaded pixels follow it)
        why = "the face shows no shading to read the light from"
    else:
        why = f"the face is too small ({rows.size} readable pixels; {_MIN_FACE_PIXELS} needed)"

    key_side: KeySideEstimate | None = None
    direction: DirectionEstimate | None = None
    ratio: RatioEstimate | None = None
    facing: FloatArray | None = None
    if fit is None or normals is None:
        for name in ("key_side", "direction", "ratio"):
            reasons[name] = why
    else:
        azimuth, elevation = direction_angles(fit.key)
        confidence = _direction_confidence(fit, subject.confidence)
        direction = DirectionEstimate(
            azimuth=round(azimuth, 2),
            elevation=round(elevation, 2),
            confidence=round(confidence, 3),
        )
        log_y = np.log2(np.maximum(luminance, 1e-6))
        asymmetry = _asymmetry(subject, rows, cols, log_y)
        key_side = _side(
            azimuth,
            elevation,
            confidence=confidence,
            asymmetry=asymmetry,
            subject_confidence=subject.confidence,
        )
        # the ratio reads every pixel within the face's outline, skin-coloured or not: the
        # darkest skin shows no colour, and leaving it out would brighten the shadow side
        face_rows, face_cols = _within_outline(subject, picture)
        ratio = _ratio(
            fit,
            normals=face_normals(subject.outline, face_rows, face_cols),
            luminance=picture.luminance[face_rows, face_cols].astype(np.float64),
            azimuth=azimuth,
            elevation=elevation,
            confidence=confidence,
            dark_share=_dark_share(subject, picture),
        )
        facing = normals @ fit.key

    read = _colour(
        picture, subject, rows=rows, cols=cols, facing=facing, white_balance=white_balance
    )
    colour: ColourEstimate | None = None
    if isinstance(read, str):
        reasons["colour"] = read
    else:
        colour = read

    hardness: HardnessEstimate | None = None
    value = sharpness(picture.luminance, subject.skin, subject.outline.width)
    if fit is None:
        reasons["hardness"] = why
    elif value is None:
        reasons["hardness"] = "too little of the face lies away from its edges to judge shadows"
    else:
        label, clarity = classify(value)
        hardness = HardnessEstimate(
            hardness=label,
            sharpness=round(value, 4),
            confidence=round(_HARDNESS_CONFIDENCE_CAP * clarity * subject.confidence, 3),
        )
    return LightingEstimate(
        width=width,
        height=height,
        subject=summary,
        key_side=key_side,
        direction=direction,
        ratio=ratio,
        colour=colour,
        hardness=hardness,
        reasons=reasons,
    )
