"""Does a picture follow the requested light? Comparing two estimates, and checking a picture.

:func:`adherence` compares the estimate of a generated picture with a reference estimate — that of
the preview render of the requested setup, read by the same estimator, so that the estimator's own
biases (its generic head, its assumed skin and tone curve) cancel. Each attribute scores 0–1:

* **key side**: 1 on the same side, 0.5 when one is in front and the other to a side, 0 on
  opposite sides;
* **direction**: 1 within 10° of the reference, falling linearly to 0 at 60°;
* **ratio**: 1 within 0.25 stop, falling linearly to 0 at 1.5 stops;
* **colour**: 1 within 10 mired (a match to the eye), falling linearly to 0 at 70 mired;
* **hardness**: 1 for the same class, 0.5 for the next one, 0 for the opposite.

The overall score is their mean weighted by importance (side and colour 0.25, direction and ratio
0.2, hardness 0.1) times how confidently both pictures were read. The verdict follows the overall
score (0.8 and up: follows; 0.5 and up: partly follows), except that a clear miss — a score of
0.2 or less on an attribute read with at least middling confidence, such as the key on the wrong
side or a light 70 mired off — fails the picture by itself. Findings are plain words.

:func:`verify_image` renders the reference and does both steps.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from lightrig.lighting.colour import kelvin_from_mired
from lightrig.lighting.geometry import unit_vector, wrap_degrees
from lightrig.lighting.softness import ShadowHardness
from lightrig.verify.chroma import DEFAULT_WHITE_BALANCE
from lightrig.verify.estimate import ATTRIBUTES, at_size, estimate_lighting
from lightrig.verify.image import MAX_SIDE, Encoding, decode_sized
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
    VerificationReport,
)

if TYPE_CHECKING:
    from lightrig.models.scene import SceneRequest
    from lightrig.render.preview import PreviewRenderer

__all__ = ["WEIGHTS", "adherence", "verify_image"]

#: Importance of each attribute in the overall score.
WEIGHTS = {"key_side": 0.25, "direction": 0.2, "ratio": 0.2, "colour": 0.25, "hardness": 0.1}
#: The reference render's side is the picture's shorter side, kept within these pixels (the
#: estimator reads nothing larger than :data:`~lightrig.verify.image.MAX_SIDE`).
REFERENCE_SIZE = (128, MAX_SIDE)
#: Samples per pixel side of the reference render. A picture's pixels integrate the light over
#: their area — a camera's do, and the preview backend supersamples — so the reference's must
#: too: rendered with one sample a pixel it aliases, and the aliasing reads as crisp shadow
#: edges, so that an antialiased picture of the very same setup read a class softer than its
#: own reference ("shadows are medium, asked hard" on the preview backend's film-noir).
REFERENCE_SUPERSAMPLE = 2

#: A score at or below this is a clear miss, when its weight is at least this share of the
#: attribute's full weight (both pictures read with confidence 0.4 or more).
_MISS = 0.2
_MISS_WEIGHT = 0.55

_HARDNESS_ORDER = {ShadowHardness.HARD: 0, ShadowHardness.MEDIUM: 1, ShadowHardness.SOFT: 2}


def _ramp(error: float, good: float, bad: float) -> float:
    """1 up to ``good``, 0 from ``bad``, linear between."""
    return max(0.0, min(1.0, 1.0 - (error - good) / (bad - good)))


def _side_words(side: KeySide) -> str:
    return {
        KeySide.CAMERA_LEFT: "camera-left",
        KeySide.CAMERA_RIGHT: "camera-right",
        KeySide.FRONT: "in front",
        KeySide.AMBIGUOUS: "no clear direction",
    }[side]


Comparison = tuple[float | None, str, str, str]


def _side(g: KeySideEstimate, r: KeySideEstimate) -> Comparison:
    got, asked = g.side, r.side
    text_g, text_r = _side_words(got), _side_words(asked)
    if asked is KeySide.AMBIGUOUS:
        return None, "the requested light has no clear key side to compare", text_g, text_r
    if got is asked:
        return 1.0, f"key side matches ({text_r})", text_g, text_r
    if got is KeySide.AMBIGUOUS:
        return 0.3, f"no clear key in the picture; asked {text_r}", text_g, text_r
    if KeySide.FRONT in (got, asked):
        where = "from the front" if got is KeySide.FRONT else f"from {text_g}"
        return 0.5, f"key came {where}, asked {text_r}", text_g, text_r
    return 0.0, f"key came from {text_g}, asked {text_r}", text_g, text_r


def _direction(dg: DirectionEstimate, dr: DirectionEstimate) -> Comparison:
    a = unit_vector(dg.azimuth, dg.elevation)
    b = unit_vector(dr.azimuth, dr.elevation)
    cosine = max(-1.0, min(1.0, sum(x * y for x, y in zip(a, b, strict=True))))
    angle = math.degrees(math.acos(cosine))
    text_g = f"azimuth {dg.azimuth:.0f}°, elevation {dg.elevation:.0f}°"
    text_r = f"azimuth {dr.azimuth:.0f}°, elevation {dr.elevation:.0f}°"
    if angle <= 10.0:
        return 1.0, f"key direction matches (within {angle:.0f}°)", text_g, text_r
    parts = []
    turn = wrap_degrees(dg.azimuth - dr.azimuth)
    if abs(turn) >= 8.0:
        parts.append(f"{abs(turn):.0f}° further {'camera-right' if turn > 0 else 'camera-left'}")
    rise = dg.elevation - dr.elevation
    if abs(rise) >= 8.0:
        parts.append(f"{abs(rise):.0f}° {'higher' if rise > 0 else 'lower'}")
    detail = " and ".join(parts) if parts else f"{angle:.0f}° away"
    return _ramp(angle, 10.0, 60.0), f"key is {detail} than asked", text_g, text_r


def _ratio(g: RatioEstimate, r: RatioEstimate) -> Comparison:
    difference = g.stops - r.stops
    text_g = f"{g.ratio:.1f}:1 ({g.stops:.1f} stops)"
    text_r = f"{r.ratio:.1f}:1 ({r.stops:.1f} stops)"
    size = abs(difference)
    if size <= 0.25:
        finding = f"ratio matches ({text_g})"
    else:
        manner = "flatter" if difference < 0 else "more contrasty"
        finding = f"ratio {size:.1f} stops {manner} than asked ({text_g}, asked {text_r})"
    return _ramp(size, 0.25, 1.5), finding, text_g, text_r


def _colour(g: ColourEstimate, r: ColourEstimate) -> Comparison:
    shift = g.mired - r.mired  # positive: warmer than asked
    text_g = f"{g.kelvin:.0f} K ({g.mired:.0f} mired)"
    text_r = f"{r.kelvin:.0f} K ({r.mired:.0f} mired)"
    if abs(shift) <= 10.0:
        finding = f"light colour matches ({g.kelvin:.0f} K, within {abs(shift):.0f} mired)"
    else:
        kelvin = abs(kelvin_from_mired(g.mired) - kelvin_from_mired(r.mired))
        manner = "warmer" if shift > 0 else "cooler"
        finding = (
            f"light is {kelvin:.0f} K {manner} than asked ({g.kelvin:.0f} K vs "
            f"{r.kelvin:.0f} K, {shift:+.0f} mired)"
        )
    return _ramp(abs(shift), 10.0, 70.0), finding, text_g, text_r


def _hardness(g: HardnessEstimate, r: HardnessEstimate) -> Comparison:
    got, asked = g.hardness, r.hardness
    steps = abs(_HARDNESS_ORDER[got] - _HARDNESS_ORDER[asked])
    if steps == 0:
        return 1.0, f"shadows are {got.value}, as asked", got.value, asked.value
    score = 0.5 if steps == 1 else 0.0
    return score, f"shadows are {got.value}, asked {asked.value}", got.value, asked.value


def _compare(generated: LightingEstimate, reference: LightingEstimate, name: str) -> Comparison:
    """Compare one attribute that both estimates hold."""
    g, r = generated, reference
    if name == "key_side" and g.key_side is not None and r.key_side is not None:
        return _side(g.key_side, r.key_side)
    if name == "direction" and g.direction is not None and r.direction is not None:
        return _direction(g.direction, r.direction)
    if name == "ratio" and g.ratio is not None and r.ratio is not None:
        return _ratio(g.ratio, r.ratio)
    if name == "colour" and g.colour is not None and r.colour is not None:
        return _colour(g.colour, r.colour)
    if name == "hardness" and g.hardness is not None and r.hardness is not None:
        return _hardness(g.hardness, r.hardness)
    raise ValueError(f"cannot compare {name!r}")


def adherence(generated: LightingEstimate, reference: LightingEstimate) -> Adherence:
    """Score how well ``generated`` follows ``reference``, attribute by attribute (0–1)."""
    scores: list[AttributeScore] = []
    for name in ATTRIBUTES:
        g_value, r_value = getattr(generated, name), getattr(reference, name)
        if g_value is None or r_value is None:
            missing = generated if g_value is None else reference
            which = "the picture" if g_value is None else "the reference"
            why = missing.reasons.get(name, "it could not be read")
            scores.append(
                AttributeScore(
                    attribute=name,
                    score=None,
                    weight=0.0,
                    finding=f"{name.replace('_', ' ')} not compared: in {which}, {why}",
                    generated="unknown" if g_value is None else str(g_value),
                    reference="unknown" if r_value is None else str(r_value),
                )
            )
            continue
        score, finding, text_g, text_r = _compare(generated, reference, name)
        sure = min(float(g_value.confidence), float(r_value.confidence))
        weight = WEIGHTS[name] * (0.25 + 0.75 * sure) if score is not None else 0.0
        scores.append(
            AttributeScore(
                attribute=name,
                score=None if score is None else round(score, 3),
                weight=round(weight, 4),
                finding=finding,
                generated=text_g,
                reference=text_r,
            )
        )
    total = sum(s.weight for s in scores if s.score is not None)
    overall = (
        None
        if total <= 0.0
        else round(sum(s.weight * s.score for s in scores if s.score is not None) / total, 3)
    )
    # a clear miss on any attribute read with some confidence fails the picture on its own
    misses = [
        s
        for s in scores
        if s.score is not None
        and s.score <= _MISS
        and s.weight >= _MISS_WEIGHT * WEIGHTS[s.attribute]
    ]
    if overall is None:
        why = next(iter(generated.reasons.values()), None) or next(
            iter(reference.reasons.values()), "neither picture's light could be compared"
        )
        verdict = f"cannot tell: {why}"
    elif misses:
        worst = min(misses, key=lambda s: (s.score or 0.0, -s.weight))
        verdict = f"does not follow the requested light: {worst.finding}"
    elif overall >= 0.8:
        verdict = "follows the requested light"
    elif overall >= 0.5:
        verdict = "partly follows the requested light"
    else:
        verdict = "does not follow the requested light"
    findings = [
        s.finding
        for s in sorted(scores, key=lambda s: (s.score is None, s.score or 0.0))
        if s.score is None or s.score < 1.0
    ]
    return Adherence(overall=overall, verdict=verdict, scores=scores, findings=findings)


def _reference_size(encoded: npt.NDArray[np.uint8]) -> int:
    low, high = REFERENCE_SIZE
    return max(low, min(high, int(min(encoded.shape[0], encoded.shape[1]))))


def verify_image(
    image_bytes: bytes | npt.NDArray[np.generic],
    request: SceneRequest | None,
    renderer: PreviewRenderer | None = None,
    *,
    encoding: Encoding | str = Encoding.DISPLAY,
) -> VerificationReport:
    """Check a picture against the light ``request`` asked for.

    Reads the picture (``encoding``: how its values relate to the light, see
    :class:`~lightrig.verify.image.Encoding`; the preview is always display-encoded); with a
    request, renders its preview (``renderer``, or a new one) at the
    picture's shorter side (kept within 128–320 pixels, antialiased as a picture is:
    :data:`REFERENCE_SUPERSAMPLE`), reads that the same way — both under
    the request's camera white balance — and compares the two. Without a request the report
    holds the picture's estimate alone.
    """
    encoded, width, height = decode_sized(image_bytes)
    white_balance = (
        DEFAULT_WHITE_BALANCE if request is None else request.camera_settings.white_balance
    )
    estimate = at_size(
        estimate_lighting(encoded, white_balance=white_balance, encoding=encoding), width, height
    )
    if request is None:
        return VerificationReport(estimate=estimate)
    if renderer is None:
        from lightrig.render.preview import PreviewRenderer  # noqa: PLC0415 - heavy, lazy

        renderer = PreviewRenderer()
    size = _reference_size(encoded)
    preview = renderer.render(request, size, supersample=REFERENCE_SUPERSAMPLE)
    reference = estimate_lighting(preview.srgb, white_balance=white_balance)
    return VerificationReport(
        estimate=estimate,
        reference=reference,
        adherence=adherence(estimate, reference),
        reference_size=size,
    )
