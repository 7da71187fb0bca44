"""The studio bust: a head-and-shoulders figure as a signed distance function.

Built from smooth-blended ellipsoids and capsules so that the features lighting patterns depend
on are all there: brow ridge, eye sockets and eyeballs, a nose that casts a loop, butterfly or
Rembrandt shadow, cheekbones, lips, chin, ears, neck, shoulders and a cap of hair.

Coordinates are the bust's own, in metres: origin at the centre of the head at eye level, x toward
the subject's left as seen by a camera in front (camera-right), y up, z out of the face. The
functions are compiled with numba and evaluate one point at a time; :mod:`lightrig.render.field`
bakes them into a grid for fast tracing.
"""

from __future__ import annotations

import math

from numba import njit

from lightrig.render.numba_cache import use_numba_cache

use_numba_cache()

__all__ = [
    "BOUNDS_MAX",
    "BOUNDS_MIN",
    "CLOTH",
    "EYE",
    "EYE_R",
    "EYE_X",
    "EYE_Y",
    "EYE_Z",
    "HAIR",
    "LIP",
    "SKIN",
    "bust_distance",
    "bust_material",
]

#: Material ids.
SKIN = 0
EYE = 1
LIP = 2
HAIR = 3
CLOTH = 4

#: The box, in bust coordinates (metres), that holds the whole bust with a margin.
BOUNDS_MIN = (-0.25, -0.9, -0.15)
BOUNDS_MAX = (0.25, 0.16, 0.15)

#: The eyeballs: centre (±x, y, z) and radius, metres.
EYE_X = 0.032
EYE_Y = 0.0
EYE_Z = 0.0685
EYE_R = 0.0122


@njit(cache=True, inline="always")
def _ellipsoid(
    px: float,
    py: float,
    pz: float,
    cx: float,
    cy: float,
    cz: float,
    rx: float,
    ry: float,
    rz: float,
) -> float:
    """Approximate signed distance to an ellipsoid (exact on the axes, a bound elsewhere)."""
    x = (px - cx) / rx
    y = (py - cy) / ry
    z = (pz - cz) / rz
    k0 = math.sqrt(x * x + y * y + z * z)
    k1 = math.sqrt((x / rx) ** 2 + (y / ry) ** 2 + (z / rz) ** 2)
    if k1 < 1e-12:
        return -min(rx, ry, rz)
    return k0 * (k0 - 1.0) / k1


@njit(cache=True, inline="always")
def _capsule(
    px: float,
    py: float,
    pz: float,
    ax: float,
    ay: float,
    az: float,
    bx: float,
    by: float,
    bz: float,
    r: float,
) -> float:
    """Signed distance to a capsule from a to b of radius r."""
    pax, pay, paz = px - ax, py - ay, pz - az
    bax, bay, baz = bx - ax, by - ay, bz - az
    h = (pax * bax + pay * bay + paz * baz) / (bax * bax + bay * bay + baz * baz)
    h = min(1.0, max(0.0, h))
    dx, dy, dz = pax - bax * h, pay - bay * h, paz - baz * h
    return math.sqrt(dx * dx + dy * dy + dz * dz) - r


@njit(cache=True, inline="always")
def _round_box(px: float, py: float, pz: float, bx: float, by: float, bz: float, r: float) -> float:
    """Signed distance to a box of half-extents b (centred at the origin) rounded by r."""
    qx = abs(px) - bx
    qy = abs(py) - by
    qz = abs(pz) - bz
    ox, oy, oz = max(qx, 0.0), max(qy, 0.0), max(qz, 0.0)
    return math.sqrt(ox * ox + oy * oy + oz * oz) + min(max(qx, qy, qz), 0.0) - r


@njit(cache=True, inline="always")
def _smin(a: float, b: float, k: float) -> float:
    """Smooth minimum (polynomial): blends two shapes over a distance k (metres)."""
    h = max(k - abs(a - b), 0.0) / k
    return min(a, b) - h * h * k * 0.25


@njit(cache=True, inline="always")
def _smax(a: float, b: float, k: float) -> float:
    """Smooth maximum: carves b out of a (pass -b) with a fillet of size k."""
    return -_smin(-a, -b, k)


@njit(cache=True)
def _parts(px: float, py: float, pz: float) -> tuple[float, float, float, float, float]:
    """Distances to the skin, eye, lip, hair and cloth parts (metres).

    Proportions follow adult averages: head 15 cm wide and 19 cm deep, eyes 6.4 cm apart on the
    y = 0 line, nose tip 3.4 cm below them and 2.3 cm proud of the cheeks, mouth 6.4 cm below the
    eyes, chin 11.5 cm below.
    """
    ax = abs(px)  # the face is symmetric: mirror the paired features
    # skull, face mass, muzzle, chin
    d = _ellipsoid(px, py, pz, 0.0, 0.03, -0.01, 0.075, 0.095, 0.098)
    d = _smin(d, _ellipsoid(px, py, pz, 0.0, -0.036, 0.018, 0.064, 0.07, 0.066), 0.04)
    d = _smin(d, _ellipsoid(px, py, pz, 0.0, -0.056, 0.058, 0.031, 0.03, 0.029), 0.025)
    d = _smin(d, _ellipsoid(px, py, pz, 0.0, -0.094, 0.056, 0.029, 0.022, 0.029), 0.03)
    # cheekbones and brow
    d = _smin(d, _ellipsoid(ax, py, pz, 0.039, -0.014, 0.061, 0.021, 0.017, 0.022), 0.03)
    d = _smin(d, _ellipsoid(px, py, pz, 0.0, 0.021, 0.077, 0.054, 0.012, 0.016), 0.02)
    # eye sockets carved under the brow, then eyelids: a thin shell over the eyeball, open
    # between 4.5 mm above and 5 mm below its centre
    socket = _ellipsoid(ax, py, pz, EYE_X, 0.002, 0.09, 0.02, 0.0125, 0.016)
    d = _smax(d, -socket, 0.014)
    shell = math.sqrt((ax - EYE_X) ** 2 + (py - EYE_Y) ** 2 + (pz - EYE_Z) ** 2) - EYE_R - 0.0014
    d = _smin(d, _smax(shell, (EYE_Y + 0.0062) - py, 0.002), 0.003)
    d = _smin(d, _smax(shell, py - (EYE_Y - 0.0068), 0.002), 0.003)
    # nose: bridge and dorsum, tip, wings
    d = _smin(d, _capsule(px, py, pz, 0.0, 0.004, 0.087, 0.0, -0.029, 0.103, 0.0075), 0.012)
    d = _smin(d, _ellipsoid(px, py, pz, 0.0, -0.034, 0.1, 0.0118, 0.0098, 0.011), 0.006)
    d = _smin(d, _ellipsoid(ax, py, pz, 0.0118, -0.039, 0.09, 0.0078, 0.0068, 0.008), 0.006)
    # ears
    d = _smin(d, _ellipsoid(ax, py, pz, 0.073, -0.004, -0.01, 0.0095, 0.03, 0.018), 0.008)
    # neck
    d = _smin(d, _capsule(px, py, pz, 0.0, -0.08, -0.02, 0.0, -0.22, -0.03, 0.054), 0.03)
    skin = d

    eye = math.sqrt((ax - EYE_X) ** 2 + (py - EYE_Y) ** 2 + (pz - EYE_Z) ** 2) - EYE_R

    lips = _ellipsoid(px, py, pz, 0.0, -0.0585, 0.0795, 0.021, 0.0052, 0.0085)
    lips = min(lips, _ellipsoid(px, py, pz, 0.0, -0.0695, 0.0775, 0.019, 0.0062, 0.0085))
    lips = _smax(lips, -_ellipsoid(px, py, pz, 0.0, -0.0638, 0.092, 0.022, 0.0009, 0.01), 0.0015)

    # hair: a cap over the skull, above a hairline that drops at the temples and the nape
    hair = _ellipsoid(px, py, pz, 0.0, 0.033, -0.012, 0.0785, 0.0985, 0.1015)
    hairline = 0.06 - 0.55 * max(0.0, ax - 0.035) - 0.45 * max(0.0, 0.02 - pz)
    hair = _smax(hair, hairline - py, 0.012)

    # shoulders and chest
    cloth = _round_box(px, py + 0.54, pz + 0.035, 0.15, 0.28, 0.05, 0.055)
    cloth = _smin(
        cloth, _capsule(px, py, pz, -0.135, -0.25, -0.03, 0.135, -0.25, -0.03, 0.058), 0.07
    )
    return skin, eye, lips, hair, cloth


@njit(cache=True)
def bust_distance(px: float, py: float, pz: float) -> float:
    """Signed distance in metres from a point (bust coordinates) to the bust's surface."""
    skin, eye, lips, hair, cloth = _parts(px, py, pz)
    d = _smin(skin, lips, 0.006)
    d = min(d, eye)
    d = _smin(d, hair, 0.012)
    return _smin(d, cloth, 0.04)


@njit(cache=True)
def bust_material(px: float, py: float, pz: float) -> int:
    """The material at a surface point: the part whose surface is nearest."""
    skin, eye, lips, hair, cloth = _parts(px, py, pz)
    best = skin
    material = SKIN
    if lips < best + 0.0008:
        best, material = lips, LIP
    if eye < best:
        best, material = eye, EYE
    if hair < best + 0.0015:
        best, material = hair, HAIR
    if cloth < best and py < -0.19:
        material = CLOTH
    return material
