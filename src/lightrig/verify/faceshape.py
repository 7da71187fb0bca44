"""A landmarked face's own shape: which pixels it covers, their normals, what shades them.

The face mesh a :class:`~lightrig.verify.landmarks.Landmarker` placed on the picture is drawn into
the picture's pixel grid (:func:`lightrig.verify.raster.rasterize`): each pixel the face covers
knows its triangle and its barycentric coordinates there. From that come

* the pixels to read: covered, not clipped, and not on a feature whose colour is not skin's — the
  openings of the eyes and the mouth are holes in the mesh; the convex outlines of the eyes
  (grown by 4 % of the face's width, for lids and lashes), the brows (3 %) and the lips (2 %) are
  left out too;
* the **normals** of the mesh itself — each vertex's the area-weighted mean of its triangles'
  normals, interpolated across each triangle — in the camera frame (x camera-right, y up,
  z toward the camera; the mesh's depth is taken at the scale of its x, as the model gives it);
* the **visibility** of directions from each pixel: the mesh's own cast shadows (the nose on the
  cheek, the brow over the eye socket), measured at every vertex for the directions of a 10° grid
  with shadow maps (:func:`lightrig.verify.raster.vertex_visibility`) and interpolated across
  triangles and between directions (:class:`lightrig.verify.occlusion.Occlusion`);
* where each pixel lies **across** the face (−1 at its camera-left edge to +1 at its right, from
  the face's midline as its mirrored landmarks set it), for comparing the face's halves.

The mesh covers the face from brow to chin and cheek to cheek, not the forehead's top, the ears
or the neck; what lies outside it is not read.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lightrig.verify.landmarks import FEATURES, FaceLandmarks
from lightrig.verify.occlusion import Occlusion, from_half_grid, half_grid_directions
from lightrig.verify.raster import rasterize, vertex_visibility

__all__ = [
    "FaceSurface",
    "across_of",
    "camera_points",
    "face_surface",
    "on_features",
    "vertex_normals",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

#: How far each feature's outline is grown, as a share of the face's width.
_GROWTH = {"eye": 0.04, "brow": 0.03, "lips": 0.02}


def camera_points(points: FloatArray) -> FloatArray:
    """Landmarks (x right, y down, z away; pixels) in the camera frame (x right, y up, z toward
    the camera), same unit."""
    return np.stack([points[:, 0], -points[:, 1], -points[:, 2]], axis=1)


def vertex_normals(
    points: FloatArray, triangles: npt.NDArray[np.int32]
) -> tuple[FloatArray, FloatArray]:
    """Unit normals (V × 3) at a mesh's vertices (camera frame), each the area-weighted mean of
    its triangles' normals, turned so that most face the camera; and the triangles' own normals
    (M × 3, as long as twice their areas), turned the same way."""
    a, b, c = points[triangles[:, 0]], points[triangles[:, 1]], points[triangles[:, 2]]
    facets = np.cross(b - a, c - a)  # length: twice the area
    normals = np.zeros_like(points)
    for k in range(3):
        np.add.at(normals, triangles[:, k], facets)
    length = np.linalg.norm(normals, axis=1, keepdims=True)
    normals = normals / np.maximum(length, 1e-12)
    if float(normals[:, 2].mean()) < 0.0:
        normals, facets = -normals, -facets
    return np.asarray(normals, dtype=np.float64), np.asarray(facets, dtype=np.float64)


def _hull(points: FloatArray) -> FloatArray:
    """The convex hull (counter-clockwise in x right, y down… as given) of 2-D points (monotone
    chain); at least the points themselves when they are fewer than three."""
    ordered = sorted({(float(x), float(y)) for x, y in points})
    if len(ordered) < 3:
        return np.asarray(ordered, dtype=np.float64)

    def half(sequence: list[tuple[float, float]]) -> list[tuple[float, float]]:
        chain: list[tuple[float, float]] = []
        for p in sequence:
            while len(chain) >= 2:
                (ax, ay), (bx, by) = chain[-2], chain[-1]
                if (bx - ax) * (p[1] - ay) - (by - ay) * (p[0] - ax) > 0.0:
                    break
                chain.pop()
            chain.append(p)
        return chain[:-1]

    return np.asarray(half(ordered) + half(ordered[::-1]), dtype=np.float64)


def _inside_grown(hull: FloatArray, grow: float, x: FloatArray, y: FloatArray) -> BoolArray:
    """Which points lie within ``grow`` pixels of the convex polygon ``hull`` (or inside it)."""
    if hull.shape[0] < 3:
        return np.zeros(x.shape, dtype=np.bool_)
    inside = np.ones(x.shape, dtype=np.bool_)
    for (ax, ay), (bx, by) in zip(hull, np.roll(hull, -1, axis=0), strict=True):
        length = max(float(np.hypot(bx - ax, by - ay)), 1e-9)
        # signed distance to the edge's line, positive on the polygon's inner side
        distance = ((bx - ax) * (y - ay) - (by - ay) * (x - ax)) / length
        inside &= distance >= -grow
    return inside


def on_features(landmarks: FaceLandmarks, x: FloatArray, y: FloatArray) -> BoolArray:
    """Which points (pixel centres) lie on a feature whose colour is not skin's."""
    width = max(landmarks.width, 1.0)
    out = np.zeros(x.shape, dtype=np.bool_)
    for name in FEATURES:
        vertices = landmarks.regions.get(name)
        if vertices is None or len(vertices) < 3:
            continue
        grow = _GROWTH[next(kind for kind in _GROWTH if kind in name)] * width
        out |= _inside_grown(_hull(landmarks.points[vertices, :2]), grow, x, y)
    return out


@dataclass(frozen=True)
class FaceSurface:
    """The pixels a landmarked face covers, and what is known of each (N of them).

    ``rows``, ``cols``: the pixels; ``skin``: which are read for the light (not on a feature);
    ``corners``: the mesh vertices of each pixel's triangle (N × 3); ``weights``: the pixel's
    barycentric coordinates there (N × 3); ``normals``: the mesh's unit normals (N × 3, camera
    frame); ``across``: −1…1 from the face's camera-left edge to its right; ``points``: the
    mesh's vertices in the camera frame (pixels); ``width``: the face's width, pixels;
    ``facets``: each triangle's normal (M × 3, camera frame, turned like the vertices').
    """

    rows: IntArray
    cols: IntArray
    skin: npt.NDArray[np.bool_]
    corners: npt.NDArray[np.int32]
    weights: FloatArray
    normals: FloatArray
    across: FloatArray
    points: FloatArray
    triangles: npt.NDArray[np.int32]
    width: float
    facets: FloatArray

    def visibility(self, index: IntArray | None = None) -> Occlusion:
        """The mesh's cast shadows as seen from the pixels (all, or those at ``index``)."""
        corners = self.corners if index is None else self.corners[index]
        weights = self.weights if index is None else self.weights[index]
        # shadow maps every 20°, the grid's directions between filled linearly: a quarter of
        # the work, no change in the fitted key on the development sets
        rows = from_half_grid(
            vertex_visibility(self.points, self.triangles, self.facets, half_grid_directions())
        )
        # Occlusion mixes four rows per pixel; a triangle has three corners
        four = np.concatenate([corners, corners[:, :1]], axis=1).astype(np.intp)
        mix = np.concatenate([weights, np.zeros((weights.shape[0], 1))], axis=1)
        return Occlusion(rows, four, mix)


def _midline(landmarks: FaceLandmarks) -> tuple[FloatArray, FloatArray]:
    """A point on the face's midline and the unit vector across it (picture pixels, x right):
    the mean of the oval's points, and the direction of the line through its leftmost and
    rightmost points' halves."""
    oval = landmarks.regions.get("oval")
    points = landmarks.points[oval if oval is not None and len(oval) else slice(None), :2]
    centre = points.mean(axis=0)
    left = points[points[:, 0] < centre[0]].mean(axis=0)
    right = points[points[:, 0] >= centre[0]].mean(axis=0)
    across = right - left
    length = float(np.linalg.norm(across))
    if length <= 0.0:
        return centre, np.array([1.0, 0.0])
    return centre, across / length


def across_of(landmarks: FaceLandmarks, rows: IntArray, cols: IntArray) -> FloatArray:
    """Where pixels lie across the face: −1 at its camera-left edge, +1 at its right (clipped to
    ±1.5), measured from the midline along the line through the oval's halves."""
    centre, direction = _midline(landmarks)
    offset = (np.stack([cols + 0.5, rows + 0.5], axis=1) - centre) @ direction
    return np.asarray(np.clip(offset / (0.5 * max(landmarks.width, 1.0)), -1.5, 1.5))


def face_surface(landmarks: FaceLandmarks, height: int, width: int) -> FaceSurface | None:
    """The face's pixels in a picture of ``height`` × ``width`` pixels whose landmarks these
    are (in that picture's pixels), or None when the mesh covers no pixel."""
    points = landmarks.points
    owner, bary, _ = rasterize(points[:, :2], points[:, 2], landmarks.triangles, height, width)
    rows, cols = np.nonzero(owner >= 0)
    if rows.size == 0:
        return None
    triangle = owner[rows, cols]
    weights = bary[rows, cols].astype(np.float64)
    corners = landmarks.triangles[triangle]
    camera = camera_points(points)
    at_vertices, facets = vertex_normals(camera, landmarks.triangles)
    normals = np.einsum("nk,nkc->nc", weights, at_vertices[corners])
    normals /= np.maximum(np.linalg.norm(normals, axis=1, keepdims=True), 1e-12)
    face_width = max(landmarks.width, 1.0)
    return FaceSurface(
        rows=rows.astype(np.intp),
        cols=cols.astype(np.intp),
        skin=~on_features(landmarks, cols.astype(np.float64) + 0.5, rows.astype(np.float64) + 0.5),
        corners=corners,
        weights=weights,
        normals=np.asarray(normals, dtype=np.float64),
        across=across_of(landmarks, rows, cols),
        points=camera,
        triangles=landmarks.triangles,
        width=face_width,
        facets=facets,
    )
