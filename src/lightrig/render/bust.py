"""The studio bust: a head-and-shoulders figure as a signed distance function.

Built from smooth-blended ellipsoids and capsules, modelled as an adult's head and shoulders so
that the forms lighting patterns depend on are there: a skull with a forehead, a brow ridge over
eye sockets whose lids close round the eyeball to an almond, high cheekbones over a flat front
plane of the cheek that turns from the light gradually (so a loop key's nose shadow stays apart
from the far cheek's form shadow) and falls away below them, a nose with wings and nostrils, a
shallow philtrum, lips raised from the skin (not stuck on it), a jaw that tapers from the ears to
a chin of normal width, ears with a rolled helix
that catch a rim light, a neck with its muscles and the trapezius sloping to rounded shoulders,
a garment with a scooped neckline, and hair with volume that thins to a smooth hairline.

Every distance function takes the figure's ``form``, a tuple of floats (see the ``FORM_*``
indices and :data:`DEFAULT_FORM`; :mod:`lightrig.render.figure` makes one from the subject's
build, hair and beard): the jaw's, brow's, cheeks', neck's and shoulders' proportions, the lips'
fullness, an Adam's apple, hair (none, short, or long and falling to the shoulders behind) and a
short beard. The default form leaves every shape exactly as first modelled.

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
    "DEFAULT_FORM",
    "EYE",
    "EYE_R",
    "EYE_X",
    "EYE_Y",
    "EYE_Z",
    "FORM_ADAMS_APPLE",
    "FORM_BEARD",
    "FORM_BROW",
    "FORM_CHEEKS",
    "FORM_HAIR",
    "FORM_HAIR_LENGTH",
    "FORM_JAW",
    "FORM_LIPS",
    "FORM_NECK",
    "FORM_SHOULDERS",
    "FORM_SIZE",
    "HAIR",
    "LIP",
    "SKIN",
    "Form",
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

#: The figure's form: a tuple of :data:`FORM_SIZE` floats that every distance function takes
#: (a tuple, passed by value: compiled once for every figure, and no array to count references
#: to on each of the millions of calls a render makes), indexed by these. The scales
#: are factors on the default bust's own measures (1 leaves it as it is); the lengths are metres.
#: Jaw: the width of the jaw, the lower face and the chin.
FORM_JAW = 0
#: Brow: the brow ridge's thickness (and how far it stands forward, 4 mm per unit over 1).
FORM_BROW = 1
#: Neck: the neck's radius and the width of its muscles.
FORM_NECK = 2
#: Shoulders: the width of the chest, shoulders and arms.
FORM_SHOULDERS = 3
#: Lips: their height and how far they are raised from the skin.
FORM_LIPS = 4
#: Adam's apple: its size as a factor on a man's average (0 none).
FORM_ADAMS_APPLE = 5
#: Hair: 1 the hair as modelled, 0 bald.
FORM_HAIR = 6
#: Hair length: metres below eye level that hair falls behind the ears, neck and onto the
#: shoulders (0 short hair, which ends at the nape; 0.15–0.3 long).
FORM_HAIR_LENGTH = 7
#: Beard: its thickness in metres over the jaw, chin and upper lip (0 none, 0.003–0.008).
FORM_BEARD = 8
#: Cheeks: the fullness of the cheek's front below the cheekbone (its width and depth).
FORM_CHEEKS = 9
FORM_SIZE = 10
#: The type of a form.
Form = tuple[float, float, float, float, float, float, float, float, float, float]

#: The default bust's form: the studio bust as it was first modelled (an adult man's average
#: head without an Adam's apple, short hair, clean shaven).
DEFAULT_FORM: Form = (1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0)


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


@njit(cache=True, inline="always")
def _sphere(px: float, py: float, pz: float, cx: float, cy: float, cz: float, r: float) -> float:
    """Signed distance to a sphere; also a cheap lower bound for whatever lies inside it."""
    return math.sqrt((px - cx) ** 2 + (py - cy) ** 2 + (pz - cz) ** 2) - r


@njit(cache=True, inline="always")
def _ramp(t: float) -> float:
    """Smoothstep of t clamped to 0–1."""
    t = min(1.0, max(0.0, t))
    return t * t * (3.0 - 2.0 * t)


@njit(cache=True)
def _hairline(ax: float, pz: float) -> float:
    """Height (metres) of the hairline at a bearing round the head, from the point's x and z.

    Straight ahead it sits 6.2 cm above the eyes, recedes a little at the temples, runs down
    as a sideburn in front of the ear, lifts over the ear and falls to the nape behind it.
    The curve is smooth (a sum of ramps) so the hair's edge never steps.
    """
    bearing = math.atan2(ax, pz + 0.01)  # 0 straight ahead, pi/2 at the ear, pi at the nape
    deg = math.degrees(bearing)
    y = 0.062
    y -= 0.016 * _ramp((deg - 20.0) / 30.0)  # temples recede
    y -= 0.05 * _ramp((deg - 55.0) / 18.0)  # the sideburn, down to eye level
    y += 0.022 * _ramp((deg - 76.0) / 10.0)  # over the ear
    y -= 0.085 * _ramp((deg - 102.0) / 50.0)  # behind the ear, down to the nape
    return y


#: Rounding of the mirror |x| (metres squared): |x| is replaced by sqrt(x² + this).
_MIRROR_ROUNDING_M2 = 0.004**2

#: The ear's plane is turned this far (degrees) from the head's side toward the face.
_EAR_TURN_DEG = 22.0
_EAR_C = math.cos(math.radians(_EAR_TURN_DEG))
_EAR_S = math.sin(math.radians(_EAR_TURN_DEG))


@njit(cache=True, inline="always")
def _ear(ax: float, py: float, pz: float) -> float:
    """An ear (on the +x side; pass |x|): a thin shell with a rolled helix round a hollow
    concha, standing off the head and turned toward the face so its rim catches a light."""
    # the ear's frame: u out of its face, v up, w toward the face along it
    qx, qy, qz = ax - 0.071, py + 0.017, pz + 0.014
    u = qx * _EAR_C - qz * _EAR_S
    w = qx * _EAR_S + qz * _EAR_C
    v = qy
    body = _ellipsoid(u, v, w, 0.0, 0.0, 0.0, 0.0065, 0.031, 0.0185)
    helix = _ellipsoid(u, v, w, 0.004, 0.002, -0.001, 0.0035, 0.029, 0.016)
    body = _smin(body, helix, 0.004)
    concha = _ellipsoid(u, v, w, 0.0075, -0.004, 0.003, 0.0055, 0.02, 0.0115)
    body = _smax(body, -concha, 0.003)
    lobe = _ellipsoid(u, v, w, 0.001, -0.027, 0.003, 0.0045, 0.009, 0.008)
    return _smin(body, lobe, 0.004)


@njit(cache=True)
def _head(px: float, py: float, pz: float, form: Form) -> float:
    """The head's skin: skull, face, jaw and features (metres), the jaw and brow shaped by
    ``form``."""
    # the face is symmetric: the paired features are mirrored through a rounded |x| (within
    # 0.3 mm of it from 1 cm off the midline), so shapes that meet at x = 0 leave no crease
    ax = math.sqrt(px * px + _MIRROR_ROUNDING_M2)
    # cranium and forehead; the midface (upper jaw) under the eyes, narrower than the skull
    d = _ellipsoid(px, py, pz, 0.0, 0.028, -0.015, 0.073, 0.092, 0.098)
    d = _smin(d, _ellipsoid(px, py, pz, 0.0, 0.036, 0.02, 0.058, 0.056, 0.064), 0.03)
    d = _smin(d, _ellipsoid(px, py, pz, 0.0, -0.036, 0.0, 0.062, 0.058, 0.085), 0.025)
    jaw = form[FORM_JAW]
    d = _smin(d, _ellipsoid(px, py, pz, 0.0, -0.062, 0.0, 0.06 * jaw, 0.048, 0.08), 0.02)
    # the dental arch round the mouth: a low barrel, not a muzzle
    d = _smin(d, _ellipsoid(px, py, pz, 0.0, -0.068, 0.026, 0.033, 0.032, 0.061), 0.022)
    # the jaw: the ramus down from under the ear to the angle, the body tapering to the chin
    # (widened or narrowed by scaling the point, which keeps the capsules' constants constant)
    jx = ax * (1.0 / jaw)
    d = _smin(d, _capsule(jx, py, pz, 0.052, -0.04, -0.026, 0.045, -0.078, -0.022, 0.008), 0.02)
    d = _smin(d, _capsule(jx, py, pz, 0.045, -0.078, -0.022, 0.009, -0.106, 0.054, 0.008), 0.022)
    d = _smin(d, _ellipsoid(px, py, pz, 0.0, -0.1, 0.063, 0.016 * jaw, 0.016, 0.02), 0.022)
    # high cheekbones and the zygomatic arch back to the ear; the cheek below them is
    # scooped a little so it falls flat to the jaw
    d = _smin(d, _ellipsoid(ax, py, pz, 0.046, -0.014, 0.04, 0.02, 0.012, 0.028), 0.018)
    d = _smin(d, _capsule(ax, py, pz, 0.05, -0.014, 0.04, 0.062, -0.016, 0.0, 0.008), 0.02)
    full = form[FORM_CHEEKS]
    upper = _ellipsoid(ax, py, pz, 0.031, -0.026, 0.062, 0.024 * full, 0.02, 0.024 * full)
    d = _smin(d, upper, 0.02)
    lower = _ellipsoid(ax, py, pz, 0.028, -0.047, 0.052, 0.025 * full, 0.032, 0.024 * full)
    d = _smin(d, lower, 0.02)
    # the brow ridge
    brow = form[FORM_BROW]
    bz = pz - 0.004 * (brow - 1.0)
    ridge = _capsule(ax, py, bz, 0.046, 0.016, 0.061, 0.013, 0.024, 0.078, 0.0085 * brow)
    d = _smin(d, ridge, 0.018)
    if _sphere(px, py, pz, 0.0, -0.018, 0.078, 0.062) < d + 0.016:
        # eye sockets carved under the brow, then eyelids: a thin shell over the eyeball
        # open in an almond, 3.8 mm above and 4.4 mm below the centre at most, closing to the
        # corners 14 mm either side
        socket = _ellipsoid(ax, py, pz, EYE_X + 0.003, 0.0, 0.084, 0.017, 0.0115, 0.014)
        d = _smax(d, -socket, 0.01)
        t = (ax - EYE_X) / 0.0145
        open_ = max(1.0 - t * t, 0.0)
        shell = _sphere(ax, py, pz, EYE_X, EYE_Y, EYE_Z, EYE_R + 0.0013)
        upper = EYE_Y + 0.0012 * t + 0.0041 * open_
        lower = EYE_Y + 0.0012 * t - 0.0045 * open_
        d = _smin(d, _smax(shell, 0.8 * (upper - py), 0.0015), 0.004)
        d = _smin(d, _smax(shell, 0.8 * (py - lower), 0.0015), 0.004)
        # nose: the root between the eyes, the dorsum widening down to the tip, the wings,
        # the nostrils
        d = _smin(d, _ellipsoid(px, py, pz, 0.0, 0.004, 0.078, 0.013, 0.014, 0.009), 0.014)
        d = _smin(d, _capsule(px, py, pz, 0.0, -0.002, 0.086, 0.0, -0.03, 0.098, 0.0055), 0.01)
        d = _smin(d, _capsule(px, py, pz, 0.0, -0.016, 0.087, 0.0, -0.034, 0.095, 0.0095), 0.01)
        d = _smin(d, _ellipsoid(px, py, pz, 0.0, -0.036, 0.0955, 0.0085, 0.0085, 0.0095), 0.006)
        d = _smin(d, _ellipsoid(ax, py, pz, 0.0115, -0.041, 0.089, 0.0068, 0.006, 0.0078), 0.006)
        nostril = _ellipsoid(ax, py, pz, 0.0062, -0.0465, 0.096, 0.0036, 0.0021, 0.0052)
        d = _smax(d, -nostril, 0.002)
        # the philtrum: a shallow groove from the nose to the lip's bow
        d = _smax(d, -_ellipsoid(px, py, pz, 0.0, -0.055, 0.0905, 0.0032, 0.0055, 0.0012), 0.003)
    ear_bound = _sphere(ax, py, pz, 0.071, -0.022, -0.014, 0.04)
    if ear_bound < d + 0.008:
        d = _smin(d, max(_ear(ax, py, pz), ear_bound), 0.008)
    return d


#: Height (metres, below the eyes) of the line where the lips meet, and half the mouth's width.
_MOUTH_Y = -0.0672
_MOUTH_HALF_WIDTH = 0.0245


@njit(cache=True, inline="always")
def _lips(ax: float, py: float, pz: float, skin: float, fullness: float) -> tuple[float, float]:
    """The mouth's line cut into the skin, and the lips: the skin raised by up to 2.8 mm inside
    the lips' outline (a cupid's bow over a fuller lower lip, both tapering to the corners), so
    they follow the face's curve instead of standing off it; ``fullness`` scales their height
    and lift (1 as modelled). Returns (skin, lips) in metres."""
    mouth = _ellipsoid(ax, py, pz, 0.0, _MOUTH_Y, 0.09, _MOUTH_HALF_WIDTH - 0.002, 0.0008, 0.012)
    skin = _smax(skin, -mouth, 0.0015)
    u = ax / _MOUTH_HALF_WIDTH
    if u >= 1.0 or pz < 0.05:
        return skin, 1.0
    taper = 1.0 - u * u
    bow = 0.0009 * max(0.0, 1.0 - (ax / 0.0045) ** 2)
    top = _MOUTH_Y + 0.0072 * fullness * taper**0.4 - bow
    bottom = _MOUTH_Y - 0.0088 * fullness * taper**0.5
    inside = min(py - bottom, top - py)
    if inside <= 0.0:
        return skin, 1.0
    lift = 0.0028 * fullness * _ramp(inside / 0.004) * taper**0.3
    return skin, skin + 0.0009 - lift


@njit(cache=True)
def _body(px: float, py: float, pz: float, form: Form) -> tuple[float, float]:
    """The neck's and chest's skin, and the garment over the chest and shoulders (metres), the
    neck and shoulders shaped by ``form``."""
    ax = math.sqrt(px * px + _MIRROR_ROUNDING_M2)
    neck = form[FORM_NECK]
    # neck, leaning forward as it rises, the muscles from behind the ear to the breastbone,
    # the trapezius sloping to the shoulders
    skin = _capsule(px, py, pz, 0.0, -0.06, -0.032, 0.0, -0.23, -0.012, 0.05 * neck)
    # (the paired parts widened or narrowed by scaling the point: their constants stay so)
    mx = ax * (1.0 / neck)
    muscle = _capsule(mx, py, pz, 0.048, -0.06, -0.03, 0.013, -0.2, 0.03, 0.007)
    skin = _smin(skin, muscle, 0.03)
    if form[FORM_ADAMS_APPLE] > 0.0:
        # the larynx's prominence, on the neck's front a hand below the chin
        size = form[FORM_ADAMS_APPLE]
        larynx = _ellipsoid(
            px, py, pz, 0.0, -0.142, 0.022 + 0.05 * (neck - 1.0), 0.009 * size, 0.012, 0.012
        )
        skin = _smin(skin, larynx, 0.012)
    wide = form[FORM_SHOULDERS]
    wx = ax * (1.0 / wide)
    trapezius = _capsule(wx, py, pz, 0.035, -0.16, -0.055, 0.15, -0.232, -0.045, 0.025)
    skin = _smin(skin, trapezius, 0.05)
    # the chest, the shoulders' deltoids and upper arms
    torso = _ellipsoid(px, py, pz, 0.0, -0.44, -0.025, 0.16 * wide, 0.25, 0.1)
    chest = _ellipsoid(px, py, pz, 0.0, -0.33, 0.015, 0.13 * wide, 0.065, 0.06)
    torso = _smin(torso, chest, 0.05)
    deltoid = _ellipsoid(ax, py, pz, 0.158 * wide, -0.268, -0.03, 0.055, 0.055, 0.056)
    torso = _smin(torso, deltoid, 0.06)
    arm = _capsule(wx, py, pz, 0.18, -0.3, -0.03, 0.19, -0.9, -0.04, 0.046)
    torso = _smin(torso, arm, 0.04)
    skin = _smin(skin, torso, 0.05)
    # the garment: 4 mm proud of the skin outside a round neckline, scooped at the front
    fz = pz + 0.02
    opening = math.sqrt(ax * ax + (0.8 * max(fz, 0.0)) ** 2 + min(fz, 0.0) ** 2)
    cloth = _smax(_smin(torso, trapezius, 0.05) - 0.004, 0.07 - opening, 0.006)
    return skin, cloth


@njit(cache=True)
def _long_hair(px: float, py: float, pz: float, length: float) -> float:
    """Long hair (metres): a curtain from the crown that falls behind the ears and the jaw's
    angle, either side of the neck and onto the shoulders behind, to ``length`` metres below eye
    level, widening as it falls. Its front edge stays behind the cheeks (2 cm behind the
    face's side at eye level), so the face is left clear."""
    fall = _ramp((0.02 - py) / 0.2)  # 0 at the temples and above, 1 from the shoulders down
    half_width = 0.086 + 0.03 * fall
    # the cross-section at this height: a rounded rectangle from 2 cm behind the ears' front
    # (the hair tucked behind them) back to the hair's outside over the back of the skull
    front, back = -0.022 - 0.006 * fall, -0.128 + 0.01 * fall
    cz = 0.5 * (front + back)
    d = _round_box(px, 0.0, pz - cz, half_width - 0.025, 1.0, 0.5 * (front - back) - 0.025, 0.025)
    # closed above (inside the hair over the skull) and rounded off at its ends below
    d = _smax(d, py - 0.03, 0.03)
    return _smax(d, -length - py, 0.05)


@njit(cache=True)
def _beard_edge(ax: float, pz: float) -> float:
    """Height (metres) of a beard's upper edge over the chin and jaw at a bearing round the
    face, from |x| and z: 8.2 cm below the eyes under the lower lip, 8.6 cm at the jaw line
    beyond the mouth's corners, rising a little toward the ear. The cheeks,
    and the skin beside the mouth where the analyzer's shadow probe sits, stay bare."""
    deg = math.degrees(math.atan2(ax, pz + 0.01))
    y = -0.082 - 0.004 * _ramp((deg - 8.0) / 10.0)
    return y + 0.012 * _ramp((deg - 40.0) / 40.0)


@njit(cache=True)
def _beard(ax: float, py: float, pz: float, skin: float, thickness: float) -> float:
    """A short beard (metres): a layer ``thickness`` metres proud of the skin over the chin,
    the jaw and under it to the neck's front, and a moustache over the upper lip, thinning to
    nothing at their edges; the lips, the cheeks and the skin beside the mouth stay bare."""
    inside = _beard_edge(ax, pz) - py  # below the upper edge
    # above the neckline: under the chin down to the throat, rising back to the jaw's angle
    inside = min(inside, py + 0.128 - 0.045 * _ramp((0.03 - pz) / 0.05))
    # the moustache: from under the nose to the lip, drooping a little to the mouth's corners
    top = -0.048 - 0.006 * _ramp((ax - 0.012) / 0.016)
    moustache = min(top - py, py + 0.062, 0.029 - ax, pz - 0.06)
    inside = max(inside, moustache)
    inside = min(inside, pz + 0.05)  # in front of the ears, never round the nape
    # the lips: an ellipse round the mouth, 1–4 mm clear of them
    mx = ax / (_MOUTH_HALF_WIDTH + 0.004)
    my = (py - _MOUTH_Y + 0.001) / (0.0095 if py > _MOUTH_Y - 0.001 else 0.012)
    inside = min(inside, 0.01 * (math.sqrt(mx * mx + my * my) - 1.0))
    if inside <= -0.004:
        return 1.0
    beard = skin + 0.0003 - thickness * _ramp(inside / 0.009)
    return _smax(beard, -inside, 0.002)


@njit(cache=True)
def _parts(
    px: float, py: float, pz: float, form: Form
) -> tuple[float, float, float, float, float, float]:
    """Distances to the skin, eye, lip, hair, cloth and beard parts (metres) of the figure
    ``form`` describes (see :data:`DEFAULT_FORM`).

    Proportions follow an adult man's averages: head 15 cm wide and 21 cm deep, eyes 6.4 cm
    apart on the y = 0 line (half the head's height), nose base 5 cm below them, the lips meeting
    6.7 cm below the eyes with the corners 2.5 cm off the midline, chin 12 cm below; the face
    is about 1.35 times as tall (hairline to chin) as it is wide. A group of parts (the face's
    features, the ears, the lips, the head, the body) is only evaluated where its bounding sphere
    or slab is near enough to change the blend; elsewhere it cannot, so skipping it leaves the
    field as it was.
    """
    far = 1.0
    ax = abs(px)
    # the body lies wholly below y = -0.01: above y = 0.04 it cannot blend with the head
    skin = cloth = far
    if py < 0.04:
        skin, cloth = _body(px, py, pz, form)
    # the head (with its hair) lies within 16 cm of the origin
    head_bound = _sphere(px, py, pz, 0.0, 0.0, 0.0, 0.16)
    eye = lips = hair = beard = far
    if head_bound < skin + 0.04:
        skin = _smin(skin, _head(px, py, pz, form), 0.03)
        eye = _sphere(ax, py, pz, EYE_X, EYE_Y, EYE_Z, EYE_R)
        if _sphere(px, py, pz, 0.0, -0.068, 0.08, 0.032) < skin + 0.008:
            skin, lips = _lips(ax, py, pz, skin, form[FORM_LIPS])
        # hair: a mass over the skull thinned to nothing at a smooth hairline
        if py > -0.1 and form[FORM_HAIR] > 0.0:
            hair = _ellipsoid(px, py, pz, 0.0, 0.03, -0.024, 0.081, 0.106, 0.109)
            hair = _smin(hair, _ellipsoid(px, py, pz, 0.012, 0.082, 0.012, 0.06, 0.045, 0.07), 0.03)
            line = _hairline(ax, pz)
            hair += 0.02 * (1.0 - _ramp((py - line) / 0.03))
            hair = _smax(hair, line - 0.02 - py, 0.01)
        if form[FORM_BEARD] > 0.0 and py < 0.0 and pz > -0.06:
            beard = _beard(ax, py, pz, skin, form[FORM_BEARD])
    else:
        skin = min(skin, head_bound)
    if form[FORM_HAIR_LENGTH] > 0.0 and form[FORM_HAIR] > 0.0 and py < 0.1:
        hair = _smin(hair, _long_hair(px, py, pz, form[FORM_HAIR_LENGTH]), 0.03)
    return skin, eye, lips, hair, cloth, beard


@njit(cache=True)
def bust_distance(px: float, py: float, pz: float, form: Form) -> float:
    """Signed distance in metres from a point (bust coordinates) to the surface of the bust
    ``form`` describes (:data:`FORM_SIZE` floats; :data:`DEFAULT_FORM` for the default
    bust)."""
    skin, eye, lips, hair, cloth, beard = _parts(px, py, pz, form)
    d = min(skin, lips)
    d = min(d, eye)
    d = _smin(d, hair, 0.012)
    if form[FORM_BEARD] > 0.0:
        d = min(d, beard)
    return _smin(d, cloth, 0.002)


@njit(cache=True)
def bust_material(px: float, py: float, pz: float, form: Form) -> int:
    """The material at a surface point of the bust ``form`` describes: the part whose surface
    is nearest (a beard is hair)."""
    skin, eye, lips, hair, cloth, beard = _parts(px, py, pz, form)
    best = skin
    material = SKIN
    if lips < best + 0.0008:
        best, material = lips, LIP
    if eye < best:
        best, material = eye, EYE
    if hair < best + 0.0015:
        best, material = hair, HAIR
    if form[FORM_BEARD] > 0.0 and beard < best + 0.0005:
        best, material = beard, HAIR
    if cloth < best:
        material = CLOTH
    return material
