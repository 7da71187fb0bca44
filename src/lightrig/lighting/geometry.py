"""Studio geometry: where a light is, and which way a surface of the face points.

Frame: the subject's head at the origin (eye level), x toward camera-right, y up, z toward the
camera. A light's *azimuth* is measured in degrees around the vertical axis from the camera axis,
positive toward camera-right (−180…180: 0 = at the camera, ±90 = side, ±180 = behind); its
*elevation* in degrees above eye level (−90…90). Vectors are plain ``(x, y, z)`` tuples so that the
analysis of a setup stays cheap.
"""

from __future__ import annotations

import math

Vec3 = tuple[float, float, float]


def unit_vector(azimuth: float, elevation: float) -> Vec3:
    """Unit vector from the subject toward a light at ``azimuth``, ``elevation`` (degrees)."""
    az = math.radians(azimuth)
    el = math.radians(elevation)
    cos_el = math.cos(el)
    return (math.sin(az) * cos_el, math.sin(el), math.cos(az) * cos_el)


def position(azimuth: float, elevation: float, distance: float) -> Vec3:
    """Position in metres of a light ``distance`` metres from the subject."""
    x, y, z = unit_vector(azimuth, elevation)
    return (x * distance, y * distance, z * distance)


def dot(a: Vec3, b: Vec3) -> float:
    """Dot product."""
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def wrap_degrees(angle: float) -> float:
    """``angle`` folded into the interval (−180, 180] degrees."""
    folded = (angle + 180.0) % 360.0 - 180.0
    return 180.0 if folded == -180.0 else folded


def probe_normals(azimuth: float, elevation: float, tilt: float = 45.0) -> tuple[Vec3, Vec3]:
    """The lit-side and shadow-side probe normals for a key at ``azimuth``, ``elevation``.

    Both probes are tilted ``tilt`` degrees away from the nose axis (+z), in opposite directions
    along the key's own direction projected onto the face plane: the lit probe leans toward the
    key, the shadow probe away from it. A key from the side gives the two cheeks; a key straight
    above gives forehead and chin. A key exactly on the camera axis has no side: the probes then
    lie along x and both see it equally. Angles in degrees; the face looks along +z.
    """
    lx, ly, _ = unit_vector(azimuth, elevation)
    planar = math.hypot(lx, ly)
    if planar < 1e-9:
        cx, cy = 1.0, 0.0
    else:
        cx, cy = lx / planar, ly / planar
    t = math.radians(tilt)
    s, c = math.sin(t), math.cos(t)
    return (cx * s, cy * s, c), (-cx * s, -cy * s, c)
