"""The analyzer's two probes, found on a rendered face and read from its linear light.

The analysis measures its lighting ratio as an incident meter would: on a surface of the face
leaning 45° toward the key (the lit probe) and one leaning 45° away from it (the shadow probe)
(:func:`lightrig.lighting.geometry.probe_normals`). On a render those probes are places: the skin
of the face whose true surface normal (from the renderer's own geometry buffers, not from the
picture) lies nearest each probe normal — within 15°, widened to 22° or 30° when fewer than
:data:`MIN_PIXELS` pixels are there — and that is open (ambient openness ≥
:data:`MIN_OPENNESS`, so not the inside of a nostril or a lid's crease, where no meter is held).
Each probe's level is the median linear luminance (Rec. 709 weights) of its pixels.

The analysis's meter sees every light that faces its probe; the face's own relief does not get
in the way (it leaves cast shadows out). Given the renderer, a probe keeps only the pixels from
which every such light is unshadowed (visibility ≥ :data:`MIN_VISIBILITY` along the renderer's
own soft-shadow ray through its distance field) — where the analysis's model of the face holds —
unless fewer than :data:`MIN_PIXELS` are; the nose's, brow's and chin's cast shadows are then
the picture's, not the meter's.

The probe normals are the analysis's own (:attr:`lightrig.lighting.measure.Measurements.lit_normal`
and its mirror image): toward and away from the key, along ±x without one, swapped when the key
is behind the face.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lightrig.lighting.geometry import Vec3, dot, position
from lightrig.lighting.measure import measure
from lightrig.lighting.rig import PlacedLight, Rig
from lightrig.render.bust import SKIN
from lightrig.render.kernel import SURFACE_OFFSET_M, soft_shadow
from lightrig.render.preview import PreviewImage, PreviewRenderer

__all__ = [
    "FACE_BELOW_Y",
    "MIN_OPENNESS",
    "MIN_PIXELS",
    "MIN_VISIBILITY",
    "ProbeReading",
    "ProbeSample",
    "mark_probes",
    "read_probes",
]

#: The face's skin only: above the jaw line (bust metres, y up from eye level).
FACE_BELOW_Y = -0.13
#: A probe's pixels are at least this open to ambient light (0–1).
MIN_OPENNESS = 0.8
#: Fewest pixels a probe is read from before its cone is widened.
MIN_PIXELS = 8
#: A light counts as reaching a pixel unshadowed from this visibility (0–1) up.
MIN_VISIBILITY = 0.9
_CONES_DEG = (15.0, 22.0, 30.0)
_LUMINANCE = np.array([0.2126, 0.7152, 0.0722])


@dataclass(frozen=True)
class ProbeSample:
    """One probe on the render: its normal (face frame), the pixels that stand for it (a
    boolean mask over the picture), the cone it was found within (degrees) and its level (median
    linear luminance, the picture's exposure included)."""

    normal: Vec3
    pixels: npt.NDArray[np.bool_]
    cone_deg: float
    level: float
    #: whether the pixels were kept to those every light facing the probe reaches unshadowed
    unshadowed: bool = False

    @property
    def centre(self) -> tuple[float, float]:
        """Mean row and column of the probe's pixels."""
        rows, cols = np.nonzero(self.pixels)
        return float(rows.mean()), float(cols.mean())


@dataclass(frozen=True)
class ProbeReading:
    """The lit and shadow probes of one render, and their ratio."""

    lit: ProbeSample
    shadow: ProbeSample

    @property
    def stops(self) -> float:
        """log₂ of the lit probe's level over the shadow probe's, ±10 stops at most."""
        if self.shadow.level <= 0.0:
            return 10.0
        if self.lit.level <= 0.0:
            return -10.0
        return max(-10.0, min(10.0, math.log2(self.lit.level / self.shadow.level)))


def _sample(
    picture: PreviewImage,
    face: npt.NDArray[np.bool_],
    normal: Vec3,
    luminance: npt.NDArray[np.float64],
) -> ProbeSample | None:
    cosine = np.where(face, picture.normal.astype(np.float64) @ np.asarray(normal), -1.0)
    for cone in _CONES_DEG:
        near = cosine >= math.cos(math.radians(cone))
        if int(near.sum()) >= MIN_PIXELS:
            return ProbeSample(normal, near, cone, float(np.median(luminance[near])))
    return None


def _unshadowed(
    picture: PreviewImage,
    pixels: npt.NDArray[np.bool_],
    lights: list[PlacedLight],
    renderer: PreviewRenderer,
) -> npt.NDArray[np.bool_]:
    """Those of ``pixels`` that every one of ``lights`` reaches unshadowed."""
    field = renderer.field_for(picture.figure)
    origin = field.origin
    keep = pixels.copy()
    for row, col in zip(*np.nonzero(pixels), strict=True):
        point = picture.local[row, col].astype(np.float64)
        normal = picture.normal[row, col].astype(np.float64)
        start = point + SURFACE_OFFSET_M * normal
        for light in lights:
            where = np.asarray(position(light.face_azimuth, light.elevation, light.distance))
            ray = where - start
            reach = float(np.linalg.norm(ray))
            ray /= reach
            if float(ray @ normal) <= 0.0:
                continue  # it lights the probe's direction, not this pixel's
            seen = soft_shadow(
                field.grid,
                origin[0],
                origin[1],
                origin[2],
                field.step,
                start[0],
                start[1],
                start[2],
                ray[0],
                ray[1],
                ray[2],
                reach,
                reach / max(light.radius, 1e-4),
            )
            if seen < MIN_VISIBILITY:
                keep[row, col] = False
                break
    return keep


def read_probes(
    picture: PreviewImage,
    rig: Rig,
    renderer: PreviewRenderer | None = None,
    *,
    min_openness: float = MIN_OPENNESS,
) -> ProbeReading | None:
    """The analyzer's lit and shadow probes of ``rig`` found and read on ``picture`` (its
    render); ``None`` when the face shows too little skin facing either probe.

    With the ``renderer`` that made the picture, each probe keeps the pixels every light facing
    it reaches unshadowed (see the module's docstring). ``min_openness`` (0–1): the least
    ambient openness of a probe's pixels (0 keeps creases too).
    """
    lit_normal = measure(rig).lit_normal  # the analysis's own, swapped when the key is behind
    shadow_normal: Vec3 = (-lit_normal[0], -lit_normal[1], lit_normal[2])
    face = (
        (picture.material == SKIN)
        & (picture.local[..., 1] > FACE_BELOW_Y)
        & (picture.openness >= min_openness)
    )
    luminance = picture.linear.astype(np.float64) @ _LUMINANCE
    samples = []
    for normal in (lit_normal, shadow_normal):
        sample = _sample(picture, face, normal, luminance)
        if sample is None:
            return None
        if renderer is not None:
            facing = [
                light
                for light in rig.lights
                if light.lights_subject
                and light.is_directional
                and dot(light.face_direction, normal) > 0.0
            ]
            kept = _unshadowed(picture, sample.pixels, facing, renderer)
            if int(kept.sum()) >= MIN_PIXELS:
                level = float(np.median(luminance[kept]))
                sample = ProbeSample(normal, kept, sample.cone_deg, level, unshadowed=True)
        samples.append(sample)
    return ProbeReading(samples[0], samples[1])


def mark_probes(picture: PreviewImage, reading: ProbeReading) -> npt.NDArray[np.uint8]:
    """The picture's sRGB pixels with each probe outlined: the lit probe's pixels edged in
    yellow, the shadow probe's in cyan (a copy; the picture is left as it is)."""
    marked = picture.srgb.copy()
    for sample, colour in ((reading.lit, (255, 214, 0)), (reading.shadow, (0, 200, 255))):
        inside = sample.pixels
        grown = inside.copy()
        grown[1:] |= inside[:-1]
        grown[:-1] |= inside[1:]
        grown[:, 1:] |= inside[:, :-1]
        grown[:, :-1] |= inside[:, 1:]
        marked[grown & ~inside] = colour
    return marked
