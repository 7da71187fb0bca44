"""The light on a landmarked face: the shape that explains its shading, and the lights on it.

Given a face mesh placed on the picture (:mod:`lightrig.verify.landmarks`), the light is fitted on
the face's pixels (:mod:`lightrig.verify.faceshape`: skin only, clipped pixels left out, at most
1200 of them, evenly spread) with their linear luminance, each pixel weighted by how far the
assumed tone curve lets its value be trusted (:func:`lightrig.verify.image.trust`).

Two shapes are tried on the same pixels, each with its own cast shadows — the mesh's own normals,
and the generic face posed to the landmarks (:mod:`lightrig.verify.generic_face`) — with one light
and ambient (on the generic face, whose size is known, a light standing near the head as a studio
light does: :class:`~lightrig.verify.shading_surface.Surface`); the shape whose fit leaves the
smaller error is the face's (a real face is nearer its own mesh; a render of lightrig's bust is
the bust). On the chosen shape a key and a fill are fitted too, and the two lights are kept only
when they explain clearly more than one: a second light can always explain a little more — the
face's shape is never exactly the model's — and one light split into two points the "key" away
from the real one, while a real fill leaves a mark. How much more depends on how well the shape
is known. On the face's own mesh, whose normals come from landmarks that stray, the two must
leave at most 1/1.15 of the error one leaves: at a lower bar the single strobe of the real
development set splits into a high "key" and a "fill" from below (with 1/1.05 on every shape,
the key's azimuth p90 on half its pictures rose from 13° to 15° and the side fell from 99.8 %
to 99.4 %). On the generic face — a render of the bust, whose normals are nearly exact — 1/1.05 is
enough: the Rembrandt preset's fill, 2.5 stops under its key, takes only 9–13 % off the error,
and one light standing for the pair reads the key 15° toward the fill, as loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lightrig.verify.faceshape import across_of, face_surface
from lightrig.verify.generic_face import GenericFace, pose
from lightrig.verify.image import LinearImage, trust
from lightrig.verify.landmarks import FaceLandmarks
from lightrig.verify.models import SubjectEstimate, SubjectKind
from lightrig.verify.readings import ShadedFace, halves_asymmetry, modelled_light
from lightrig.verify.shading import (
    QUICK,
    ShadingFit,
    Visibility,
    evenly_spread,
    fit_shading,
    one_light_error,
)

__all__ = ["GENERIC_PAIR_GAIN", "PAIR_GAIN", "FaceFit", "fit_face", "read_landmarked", "scaled"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]

#: Two lights are kept when they leave at most 1 / PAIR_GAIN of the error one light leaves on
#: the face's own mesh, 1 / GENERIC_PAIR_GAIN on the generic face (see above).
PAIR_GAIN = 1.15
GENERIC_PAIR_GAIN = 1.05
#: Fewer readable face pixels than this and no light is fitted.
_MIN_PIXELS = 60
#: Pixels this far across the face from its midline (either way) count for its halves.
_HALF_FROM = 0.15
#: Encoded level (0–255, brightest channel) below which a face pixel is too dark to read.
_DARK_LEVEL = 6

OWN_MESH = "own mesh"
GENERIC = "generic face"


@dataclass(frozen=True)
class FaceFit:
    """The light fitted on a landmarked face.

    ``rows``, ``cols``: the face's readable pixels (the mesh's skin, unclipped, and for the
    generic face its skin beyond the mesh too); ``normals``: the chosen shape's unit normals there
    (N × 3, camera frame); ``across``: where each lies across the face (−1…1, camera-left to
    right); ``shape``: :data:`OWN_MESH` or :data:`GENERIC`; ``fit``: the lights; ``one_light``:
    the one-light fit on the same pixels; ``errors``: the least error one light leaves on each
    shape tried (:func:`~lightrig.verify.shading.one_light_error`, on the pixels they share);
    ``width``: the face's width, pixels; ``yaw``: degrees the head is turned from the camera
    (+: its nose toward camera-right; 0 when there is no generic face to pose).
    """

    rows: IntArray
    cols: IntArray
    normals: FloatArray
    across: FloatArray
    shape: str
    fit: ShadingFit
    one_light: ShadingFit
    errors: dict[str, float]
    width: float
    yaw: float = 0.0


def scaled(landmarks: FaceLandmarks, factor: float) -> FaceLandmarks:
    """The same landmarks in a picture resized by ``factor`` (all coordinates scale)."""
    if factor == 1.0:
        return landmarks
    return FaceLandmarks(
        points=landmarks.points * factor,
        triangles=landmarks.triangles,
        regions=landmarks.regions,
        score=landmarks.score,
        model=landmarks.model,
    )


def _fit(
    normals: FloatArray,
    luminance: FloatArray,
    weights: FloatArray,
    visibility: Visibility,
    places: FloatArray | None,
    *,
    lights: int,
) -> ShadingFit | None:
    return fit_shading(
        normals,
        luminance,
        visibility=visibility,
        points=places,
        weights=weights,
        lights=lights,
        coarse_pixels=QUICK.coarse_pixels,
        coarse_deg=QUICK.coarse_deg,
    )


def fit_face(
    picture: LinearImage,
    landmarks: FaceLandmarks,
    generic: GenericFace | None,
) -> FaceFit | str:
    """Fit the light on the face whose landmarks (in ``picture``'s pixels) are given; a reason
    in words when it cannot be read."""
    surface = face_surface(landmarks, picture.height, picture.width)
    if surface is None:
        return "the face's landmarks lie outside the picture"
    unclipped = ~picture.clipped
    mesh_pixels = np.flatnonzero(surface.skin & unclipped[surface.rows, surface.cols])
    if mesh_pixels.size < _MIN_PIXELS:
        return f"the face is too small ({mesh_pixels.size} readable pixels; {_MIN_PIXELS} needed)"
    shared = mesh_pixels[evenly_spread(mesh_pixels.size, QUICK.pixels)]

    rows, cols = surface.rows[shared], surface.cols[shared]
    luminance = picture.luminance[rows, cols].astype(np.float64)
    weights = trust(picture.encoded[rows, cols], picture.encoding)
    # each shape: its normals at the shared pixels, their visibility, and how to get its
    # normals at every readable pixel (the generic face's are only looked up when it is chosen)
    # and, on the generic face, their places on the head (the mesh's are in pixels, its size
    # in metres unknown: its lights stay distant)
    shapes: dict[str, tuple[FloatArray, Visibility, Callable[[], FloatArray], FloatArray | None]]
    shapes = {
        OWN_MESH: (
            surface.normals[shared],
            surface.visibility(shared),
            lambda: surface.normals[mesh_pixels],
            None,
        )
    }
    yaw = 0.0
    if generic is not None:
        posed = pose(generic, landmarks, surface, shared)
        shapes[GENERIC] = (
            posed.normals,
            posed.visibility(np.arange(shared.size)),
            lambda: pose(generic, landmarks, surface, mesh_pixels).normals,
            posed.places,
        )
        yaw = posed.yaw
    # the shape is chosen on the coarse searches' pixels and directions (refining both fits
    # chose the same shapes on the development sets, at twice the cost)
    errors: dict[str, float] = {}
    for name, (normals, visibility, _, places) in shapes.items():
        error = one_light_error(
            normals,
            luminance,
            visibility=visibility,
            points=places,
            weights=weights,
            coarse_pixels=QUICK.coarse_pixels,
            coarse_deg=QUICK.coarse_deg,
        )
        if error is not None:
            errors[name] = error
    if not errors:
        return "the face shows no shading to read the light from"
    shape = min(errors, key=lambda name: errors[name])
    normals, visibility, everywhere, places = shapes[shape]
    one = _fit(normals, luminance, weights, visibility, places, lights=1)
    if one is None:
        return "the face shows no shading to read the light from"
    two = _fit(normals, luminance, weights, visibility, places, lights=2)
    gain = GENERIC_PAIR_GAIN if shape == GENERIC else PAIR_GAIN
    rows, cols = surface.rows[mesh_pixels], surface.cols[mesh_pixels]
    return FaceFit(
        rows=rows,
        cols=cols,
        normals=everywhere(),
        across=across_of(landmarks, rows, cols),
        shape=shape,
        fit=two if two is not None and two.error * gain < one.error else one,
        one_light=one,
        errors=errors,
        width=surface.width,
        yaw=yaw,
    )


def read_landmarked(
    picture: LinearImage,
    landmarks: FaceLandmarks,
    generic: GenericFace | None,
) -> ShadedFace | str:
    """The light on the face whose landmarks (in ``picture``'s pixels) are given, ready for the
    shared readings; a reason in words when it cannot be read."""
    found = fit_face(picture, landmarks, generic)
    if isinstance(found, str):
        return found
    rows, cols = found.rows, found.cols
    luminance = picture.luminance[rows, cols].astype(np.float64)
    encoded = picture.encoded[rows, cols].max(axis=1)
    scale = picture.scale
    lights = "two lights" if found.fit.fill is not None else "one light"
    on = "its own mesh" if found.shape == OWN_MESH else "the generic face posed to it"
    subject = SubjectEstimate(
        found=True,
        kind=SubjectKind.FACE,
        confidence=round(landmarks.score, 3),
        reason=f"a face was found by its landmarks ({landmarks.model}); the light was fitted "
        f"on {on}, {lights}",
        box=(
            round(int(rows.min()) / scale),
            round(int(cols.min()) / scale),
            round((int(rows.max()) + 1) / scale),
            round((int(cols.max()) + 1) / scale),
        ),
        pixels=int(rows.size),
        method="landmarks",
    )
    mask = np.zeros((picture.height, picture.width), dtype=np.bool_)
    mask[rows, cols] = True
    return ShadedFace(
        subject=subject,
        subject_confidence=landmarks.score,
        fit=found.fit,
        why="",
        skin_rows=rows,
        skin_cols=cols,
        skin_normals=found.normals,
        skin_chroma_only=False,
        face_normals=found.normals,
        face_luminance=luminance,
        dark_share=float(np.mean(encoded < _DARK_LEVEL)),
        asymmetry=halves_asymmetry(luminance, found.across, _HALF_FROM),
        modelled_asymmetry=halves_asymmetry(
            modelled_light(found.fit, found.normals), found.across, _HALF_FROM
        ),
        hardness_mask=mask,
        face_width=found.width,
        yaw=found.yaw,
    )
