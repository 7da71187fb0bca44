"""The per-pixel renderer, in two passes compiled with numba and run in parallel.

**Geometry** (:func:`trace_kernel`): each camera ray is sphere traced against the bust's distance
field (the bust turned by the subject's yaw) or else meets the backdrop plane; the pass records the
surface point, its normal, its material and how open it is to ambient light. It depends only on
the camera, the subject's turn and the backdrop, so a renderer keeps it while lights change.

**Light** (:func:`shade_kernel`): each light adds, in linear RGB,

* Lambert diffuse plus GGX specular (Trowbridge-Reitz distribution, Smith-Schlick geometry,
  Schlick Fresnel), the lobe widened by the source's apparent size, so that a near-mirror such as
  the eye reflects a softbox as a broad patch at the source's own brightness times Fresnel and a
  bare bulb as a pin-point glint;
* illuminance ``I · emit(θ) · cos θᵢ / (d² + R²)`` from the light's true position, so falloff
  follows inverse square from each point, and a diffuser's output falls with the cosine off its
  axis;
* a soft shadow: a ray marched toward the light keeps the narrowest clearance angle it meets
  (negative inside the bust), measured against the source's angular radius — the penumbra
  straddles the geometric shadow edge and grows with the source's apparent size, as a real one
  does. The light pass traces it per pixel, or reads it from a **shadow** pass
  (:func:`shadow_kernel`) that traces one light's shadows over a frame at a quarter of its
  pixels, tracing the rest only where the shadow is not settled around them.

A background light lights only the backdrop (a spot aimed at it); ambient light adds a uniform
irradiance, darkened in creases by the occlusion the geometry pass measured.

The eye (sclera, iris and pupil under the cornea) is a mirror: instead of the widened lobe it
reflects what its mirror ray meets — the source's own face, its shape the modifier's (a disc, a
rectangle for a softbox or a tall one for a strip box, a ring with a dark centre for a beauty
dish, four panes for a window), of the source's equal area — at the source's radiance
``I / (π R²)`` times Fresnel: the catchlight.

Light table columns: 0–2 position (world, metres), 3–5 unit aim direction, 6 intensity,
7 source radius (metres; the equal-area circle's), 8–10 linear RGB colour (luminance 1), 11 kind
(0 subject light, 1 background light), 12 emission exponent, 13 the face's shape
(:data:`DISC`, :data:`RECTANGLE`, :data:`RING`, :data:`PANES`), 14 its height over its width.

Rows are dealt to threads interleaved (thread k takes rows k, k + n, ...), so the costly rows that
cross the head are shared evenly.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from numba import njit, prange

from lightrig.render.bust import (
    BOUNDS_MAX,
    BOUNDS_MIN,
    EYE,
    EYE_X,
    EYE_Y,
    EYE_Z,
    Form,
    bust_distance,
    bust_material,
)
from lightrig.render.field import field_distance, grid_distance
from lightrig.render.numba_cache import use_numba_cache

use_numba_cache()

__all__ = [
    "BACKDROP",
    "DISC",
    "EMPTY",
    "IRIS",
    "MATERIALS",
    "PANES",
    "PUPIL",
    "RECTANGLE",
    "RING",
    "SUBSURFACE_WARMTH",
    "SURFACE_OFFSET_M",
    "shade_kernel",
    "shadow_kernel",
    "soft_shadow",
    "trace_kernel",
    "trace_points_kernel",
]

#: Material ids beyond the bust's own (see :mod:`lightrig.render.bust`).
BACKDROP = 5
EMPTY = 6
IRIS = 7
PUPIL = 8

#: Per material id: linear albedo R, G, B, roughness (GGX alpha = roughness²), F0, 1 for a
#: mirror-smooth wet surface that shows the sources' shapes (the eye) else 0, and 1 for a
#: translucent one whose light warms where it turns away (skin, lips: see
#: :data:`SUBSURFACE_WARMTH`) else 0. The backdrop's albedo row is replaced per render by the
#: backdrop colour.
MATERIALS = np.array(
    [
        [0.456, 0.265, 0.191, 0.5, 0.028, 0.0, 1.0],  # skin: a mid tone of luminance 0.3
        [0.5, 0.48, 0.46, 0.08, 0.03, 1.0, 0.0],  # sclera, wet
        [0.40, 0.16, 0.15, 0.38, 0.03, 0.0, 1.0],  # lips
        [0.045, 0.03, 0.022, 0.42, 0.046, 0.0, 0.0],  # dark brown hair
        [0.05, 0.05, 0.058, 0.85, 0.03, 0.0, 0.0],  # charcoal knit
        [0.18, 0.18, 0.18, 0.9, 0.02, 0.0, 0.0],  # backdrop paper (colour set per render)
        [0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0],  # nothing
        [0.09, 0.055, 0.035, 0.08, 0.03, 1.0, 0.0],  # iris, under the cornea
        [0.01, 0.01, 0.01, 0.08, 0.03, 1.0, 0.0],  # pupil, under the cornea
    ]
)

#: Subsurface light in skin, approximated: where a light's incidence turns grazing (its cosine
#: under :data:`_WARM_BELOW`) or its shadow's penumbra falls, the light that skin sends back
#: has travelled through blood-filled tissue and comes back redder. The diffuse light there is
#: tinted — red up by this fraction at the terminator itself, blue down by
#: :data:`_COOL_CUT` times it, green set so that the luminance is unchanged — so the shadow
#: edge glows warm while every level a meter or the verifier reads stays as it was.
SUBSURFACE_WARMTH = 0.3
_COOL_CUT = 1.2
_WARM_BELOW = 0.4

#: The shapes of a source's face (light table column 13).
DISC = 0.0
RECTANGLE = 1.0
RING = 2.0
PANES = 3.0
#: A beauty dish's dark centre (its deflector), as a fraction of its outer radius.
RING_INNER = 0.4
#: A window's glazing bars, as a fraction of its width.
PANE_BAR = 0.12

_HIT_EPS = 2.5e-4
_MAX_PRIMARY_STEPS = 160
_MAX_SHADOW_STEPS = 64
_SHADOW_START_M = 0.006
#: Shadow rays start this far off the surface along its normal, metres.
SURFACE_OFFSET_M = 0.0012
_NORMAL_EPS = 4e-4
_BX0, _BY0, _BZ0 = BOUNDS_MIN
_BX1, _BY1, _BZ1 = BOUNDS_MAX


@njit(cache=True, inline="always")
def _box_span(
    ox: float, oy: float, oz: float, dx: float, dy: float, dz: float
) -> tuple[float, float]:
    """Entry and exit distances of a ray through the bust's box (entry > exit: a miss)."""
    t0 = 0.0
    t1 = 1e9
    for o, d, lo, hi in ((ox, dx, _BX0, _BX1), (oy, dy, _BY0, _BY1), (oz, dz, _BZ0, _BZ1)):
        if abs(d) < 1e-12:
            if o < lo or o > hi:
                return 1.0, 0.0
        else:
            a = (lo - o) / d
            b = (hi - o) / d
            if a > b:
                a, b = b, a
            t0 = max(t0, a)
            t1 = min(t1, b)
    return t0, t1


@njit(cache=True, inline="always")
def _row(index: int, block: int, threads: int) -> int:
    """The image row for loop index ``index`` when rows are dealt to threads in turn."""
    return (index % block) * threads + index // block


@njit(cache=True)
def soft_shadow(
    grid: npt.NDArray[np.float32],
    gx: float,
    gy: float,
    gz: float,
    step: float,
    px: float,
    py: float,
    pz: float,
    lx: float,
    ly: float,
    lz: float,
    max_t: float,
    sharpness: float,
) -> float:
    """Visibility 0–1 of a light from a point, both in bust coordinates.

    ``sharpness`` is 1 / tan(the source's angular radius). Along the ray the clearance
    ``c = sharpness · h / t`` (h the distance to the bust at distance t) is +1 where the whole
    source clears the bust, 0 where the ray grazes it (half the source hidden) and −1 where the
    ray runs deep enough inside it to hide all of it; the march goes on through the bust, so the
    penumbra straddles the geometric shadow edge as a real one does. The smallest clearance maps
    to visibility by the smooth cubic ``(1 + c)² (2 − c) / 4``.
    """
    t0, t1 = _box_span(px, py, pz, lx, ly, lz)
    if t0 > t1:
        return 1.0
    t = max(t0, _SHADOW_START_M)
    end = min(t1, max_t)
    clearance = 1.0
    for _ in range(_MAX_SHADOW_STEPS):
        if t >= end:
            break
        h = grid_distance(grid, gx, gy, gz, step, px + lx * t, py + ly * t, pz + lz * t)
        clearance = min(clearance, sharpness * h / t)
        if clearance <= -1.0:
            return 0.0
        t += min(max(abs(h), 0.0015), 0.06)
    clearance = max(-1.0, clearance)
    return 0.25 * (1.0 + clearance) * (1.0 + clearance) * (2.0 - clearance)


@njit(cache=True, inline="always")
def _shadow_start(
    cyaw: float,
    syaw: float,
    wx: float,
    wy: float,
    wz: float,
    nx: float,
    ny: float,
    nz: float,
    on_backdrop: bool,
) -> tuple[float, float, float]:
    """Where a surface point's shadow rays start: the world point (``wx``, ``wy``, ``wz``) in
    bust coordinates (the bust turned by yaw, ``cyaw``/``syaw`` its cosine and sine), just off
    the surface along its world normal (``nx``, ``ny``, ``nz``) unless on the backdrop."""
    sx0 = cyaw * wx - syaw * wz
    sz0 = syaw * wx + cyaw * wz
    sy0 = wy
    if not on_backdrop:
        snx = cyaw * nx - syaw * nz
        snz = syaw * nx + cyaw * nz
        sx0 += snx * SURFACE_OFFSET_M
        sy0 += ny * SURFACE_OFFSET_M
        sz0 += snz * SURFACE_OFFSET_M
    return sx0, sy0, sz0


@njit(cache=True, inline="always")
def _seen(
    grid: npt.NDArray[np.float32],
    gx: float,
    gy: float,
    gz: float,
    grid_step: float,
    cyaw: float,
    syaw: float,
    start: tuple[float, float, float],
    lx: float,
    ly: float,
    lz: float,
    dist: float,
    radius: float,
) -> float:
    """:func:`soft_shadow` of a light ``dist`` metres away along the unit world direction
    (``lx``, ``ly``, ``lz``), of source radius ``radius``, from a shadow ray's ``start``
    (:func:`_shadow_start`)."""
    blx = cyaw * lx - syaw * lz
    blz = syaw * lx + cyaw * lz
    sharpness = dist / max(radius, 1e-4)
    sx0, sy0, sz0 = start
    return soft_shadow(grid, gx, gy, gz, grid_step, sx0, sy0, sz0, blx, ly, blz, dist, sharpness)


@njit(cache=True, inline="always")
def _ggx(
    nx: float,
    ny: float,
    nz: float,
    lx: float,
    ly: float,
    lz: float,
    vx: float,
    vy: float,
    vz: float,
    alpha: float,
    f0: float,
) -> float:
    """GGX microfacet specular BRDF value for unit normal, light and view vectors."""
    hx, hy, hz = lx + vx, ly + vy, lz + vz
    hl = math.sqrt(hx * hx + hy * hy + hz * hz)
    if hl < 1e-9:
        return 0.0
    hx, hy, hz = hx / hl, hy / hl, hz / hl
    n_h = max(nx * hx + ny * hy + nz * hz, 0.0)
    n_l = max(nx * lx + ny * ly + nz * lz, 1e-4)
    n_v = max(nx * vx + ny * vy + nz * vz, 1e-4)
    v_h = max(vx * hx + vy * hy + vz * hz, 0.0)
    a2 = alpha * alpha
    denom = n_h * n_h * (a2 - 1.0) + 1.0
    distribution = a2 / (math.pi * denom * denom)
    k = alpha / 2.0
    geometry = (n_l / (n_l * (1.0 - k) + k)) * (n_v / (n_v * (1.0 - k) + k))
    fresnel = f0 + (1.0 - f0) * (1.0 - v_h) ** 5
    return distribution * geometry * fresnel / (4.0 * n_l * n_v)


@njit(cache=True, inline="always")
def _on_source(
    wx: float,
    wy: float,
    wz: float,
    rx: float,
    ry: float,
    rz: float,
    light: npt.NDArray[np.float64],
) -> bool:
    """Whether the mirror ray from (``wx``, ``wy``, ``wz``) along unit (``rx``, ``ry``, ``rz``)
    meets the source's face: a row of the light table (position, aim, radius, shape, aspect).
    The face is upright (its height along the world's vertical as seen from the source)."""
    ax, ay, az = light[3], light[4], light[5]
    facing = rx * ax + ry * ay + rz * az
    if facing >= -1e-6:
        return False  # the ray runs away from the face, or along it
    t = ((light[0] - wx) * ax + (light[1] - wy) * ay + (light[2] - wz) * az) / facing
    if t <= 0.0:
        return False
    ox = wx + rx * t - light[0]
    oy = wy + ry * t - light[1]
    oz = wz + rz * t - light[2]
    # the face's horizontal: aim × world up (world z for a source straight above or below)
    hx, hy, hz = -az, 0.0, ax
    if hx * hx + hz * hz < 1e-8:
        hx, hy, hz = 1.0, 0.0, 0.0
    hl = math.sqrt(hx * hx + hy * hy + hz * hz)
    hx, hy, hz = hx / hl, hy / hl, hz / hl
    vx, vy, vz = hy * az - hz * ay, hz * ax - hx * az, hx * ay - hy * ax
    u = ox * hx + oy * hy + oz * hz
    v = ox * vx + oy * vy + oz * vz
    radius = light[7]
    shape = light[13]
    if shape == DISC:
        return bool(u * u + v * v <= radius * radius)
    if shape == RING:
        outer = radius / math.sqrt(1.0 - RING_INNER * RING_INNER)
        r2 = u * u + v * v
        return bool((RING_INNER * outer) ** 2 <= r2 <= outer * outer)
    # a rectangle (or window) of the disc's area, height = aspect × width
    aspect = max(light[14], 1e-3)
    half_w = 0.5 * math.sqrt(math.pi * radius * radius / aspect)
    half_h = aspect * half_w
    if abs(u) > half_w or abs(v) > half_h:
        return False
    if shape == PANES:
        bar = PANE_BAR * half_w
        return bool(abs(u) > bar and abs(v) > bar)
    return True


@njit(cache=True)
def _openness(
    grid: npt.NDArray[np.float32],
    gx: float,
    gy: float,
    gz: float,
    step: float,
    px: float,
    py: float,
    pz: float,
    nx: float,
    ny: float,
    nz: float,
) -> float:
    """How open a surface point is to ambient light, 0–1, from distances along its normal."""
    occlusion = 0.0
    weight = 1.0
    for i in range(1, 5):
        h = 0.012 * i
        d = grid_distance(grid, gx, gy, gz, step, px + nx * h, py + ny * h, pz + nz * h)
        occlusion += (h - d) * weight
        weight *= 0.6
    return min(1.0, max(0.0, 1.0 - 9.0 * occlusion))


@njit(cache=True, inline="always", fastmath=True)
def _trace_ray(
    sx: float,
    sy: float,
    camera: npt.NDArray[np.float64],
    cyaw: float,
    syaw: float,
    grid: npt.NDArray[np.float32],
    gx: float,
    gy: float,
    gz: float,
    grid_step: float,
    form: Form,
    backdrop_z: float,
    row: int,
    col: int,
    out_world: npt.NDArray[np.float32],
    out_normal: npt.NDArray[np.float32],
    out_local: npt.NDArray[np.float32],
    out_material: npt.NDArray[np.int8],
    out_openness: npt.NDArray[np.float32],
) -> None:
    """Trace the ray through image-plane point (``sx``, ``sy``) (tangent units) and record
    what it meets at ``[row, col]`` of the output buffers."""
    cx, cy, cz = camera[0], camera[1], camera[2]
    fx, fy, fz = camera[3], camera[4], camera[5]
    rx, ry, rz = camera[6], camera[7], camera[8]
    ux, uy, uz = camera[9], camera[10], camera[11]
    lox = cyaw * cx - syaw * cz  # the camera in bust coordinates (turned by -yaw about y)
    loz = syaw * cx + cyaw * cz
    loy = cy
    dx = fx + sx * rx + sy * ux
    dy = fy + sx * ry + sy * uy
    dz = fz + sx * rz + sy * uz
    dl = math.sqrt(dx * dx + dy * dy + dz * dz)
    dx, dy, dz = dx / dl, dy / dl, dz / dl
    ldx = cyaw * dx - syaw * dz
    ldz = syaw * dx + cyaw * dz
    ldy = dy

    hit = False
    t = 0.0
    t0, t1 = _box_span(lox, loy, loz, ldx, ldy, ldz)
    if t0 <= t1:
        t = t0
        for _ in range(_MAX_PRIMARY_STEPS):
            h = field_distance(
                grid, gx, gy, gz, grid_step, lox + ldx * t, loy + ldy * t, loz + ldz * t, form
            )
            if h < _HIT_EPS:
                hit = True
                break
            t += h * 0.9
            if t > t1:
                break

    if hit:
        px, py, pz = lox + ldx * t, loy + ldy * t, loz + ldz * t
        e = _NORMAL_EPS  # tetrahedral central difference: four evaluations
        a = bust_distance(px + e, py - e, pz - e, form)
        b = bust_distance(px - e, py - e, pz + e, form)
        c = bust_distance(px - e, py + e, pz - e, form)
        d = bust_distance(px + e, py + e, pz + e, form)
        nlx, nly, nlz = a - b - c + d, -a - b + c + d, -a + b - c + d
        nl = math.sqrt(nlx * nlx + nly * nly + nlz * nlz) + 1e-12
        nlx, nly, nlz = nlx / nl, nly / nl, nlz / nl
        material = bust_material(px, py, pz, form)
        if material == EYE:  # sclera, iris or pupil by the angle from the eye's axis
            side = 1.0 if px > 0.0 else -1.0
            ex, ey, ez = px - side * EYE_X, py - EYE_Y, pz - EYE_Z
            er = math.sqrt(ex * ex + ey * ey + ez * ez) + 1e-12
            facing = ez / er
            # the eyeball is a sphere: its own normal, not a difference that can reach across
            # to the lid resting on it (which bends a thin line of the eye's mirror upward)
            nlx, nly, nlz = ex / er, ey / er, ez / er
            if facing > 0.985:
                material = PUPIL
            elif facing > 0.93:
                material = IRIS
        out_material[row, col] = material
        out_local[row, col, 0] = px
        out_local[row, col, 1] = py
        out_local[row, col, 2] = pz
        out_world[row, col, 0] = cyaw * px + syaw * pz
        out_world[row, col, 1] = py
        out_world[row, col, 2] = -syaw * px + cyaw * pz
        out_normal[row, col, 0] = cyaw * nlx + syaw * nlz
        out_normal[row, col, 1] = nly
        out_normal[row, col, 2] = -syaw * nlx + cyaw * nlz
        out_openness[row, col] = _openness(grid, gx, gy, gz, grid_step, px, py, pz, nlx, nly, nlz)
    elif dz < -1e-9:
        tb = (backdrop_z - cz) / dz
        out_material[row, col] = BACKDROP
        out_world[row, col, 0] = cx + dx * tb
        out_world[row, col, 1] = cy + dy * tb
        out_world[row, col, 2] = backdrop_z
        out_normal[row, col, 0] = 0.0
        out_normal[row, col, 1] = 0.0
        out_normal[row, col, 2] = 1.0
        out_openness[row, col] = 1.0
    else:
        out_material[row, col] = EMPTY


@njit(parallel=True, cache=True, fastmath=True)
def trace_kernel(
    width: int,
    height: int,
    camera: npt.NDArray[np.float64],
    yaw: float,
    grid: npt.NDArray[np.float32],
    grid_origin: npt.NDArray[np.float64],
    grid_step: float,
    form: Form,
    backdrop_z: float,
    threads: int,
    out_world: npt.NDArray[np.float32],
    out_normal: npt.NDArray[np.float32],
    out_local: npt.NDArray[np.float32],
    out_material: npt.NDArray[np.int8],
    out_openness: npt.NDArray[np.float32],
) -> None:
    """The geometry pass: what each pixel sees (through its centre).

    ``camera``: position, forward, right, up (world), tan of the half field of view. ``yaw``:
    radians the bust is turned toward camera-right. ``grid``, ``grid_origin``, ``grid_step``,
    ``form``: the bust's baked field and its figure (:class:`~lightrig.render.field.BustField`).
    ``backdrop_z``: the backdrop plane (world, metres, facing +z). Writes, per pixel: world
    position and unit normal, bust-space position (bust pixels), material id and ambient
    openness.
    """
    tan_half = camera[12]
    gx, gy, gz = grid_origin[0], grid_origin[1], grid_origin[2]
    cyaw, syaw = math.cos(yaw), math.sin(yaw)
    block = (height + threads - 1) // threads
    for index in prange(block * threads):
        row = _row(index, block, threads)
        if row >= height:
            continue
        sy = (1.0 - 2.0 * (row + 0.5) / height) * tan_half
        for col in range(width):
            sx = (2.0 * (col + 0.5) / width - 1.0) * tan_half
            _trace_ray(
                sx, sy, camera, cyaw, syaw, grid, gx, gy, gz, grid_step, form, backdrop_z, row, col,
                out_world, out_normal, out_local, out_material, out_openness,
            )  # fmt: skip


@njit(parallel=True, cache=True, fastmath=True)
def trace_points_kernel(
    rows: npt.NDArray[np.float64],
    cols: npt.NDArray[np.float64],
    width: int,
    height: int,
    camera: npt.NDArray[np.float64],
    yaw: float,
    grid: npt.NDArray[np.float32],
    grid_origin: npt.NDArray[np.float64],
    grid_step: float,
    form: Form,
    backdrop_z: float,
    out_world: npt.NDArray[np.float32],
    out_normal: npt.NDArray[np.float32],
    out_local: npt.NDArray[np.float32],
    out_material: npt.NDArray[np.int8],
    out_openness: npt.NDArray[np.float32],
) -> None:
    """The geometry pass for chosen points of a ``width`` × ``height`` picture: point ``i`` at
    (``rows[i]``, ``cols[i]``) in pixel units (0 the top or left edge, 0.5 a pixel's centre),
    recorded at ``[i, 0]`` of buffers shaped like a one-pixel-wide picture (what
    :func:`shade_kernel` then lights): the sub-pixel samples of anti-aliased edges."""
    tan_half = camera[12]
    gx, gy, gz = grid_origin[0], grid_origin[1], grid_origin[2]
    cyaw, syaw = math.cos(yaw), math.sin(yaw)
    for i in prange(rows.shape[0]):
        sy = (1.0 - 2.0 * rows[i] / height) * tan_half
        sx = (2.0 * cols[i] / width - 1.0) * tan_half
        _trace_ray(
            sx, sy, camera, cyaw, syaw, grid, gx, gy, gz, grid_step, form, backdrop_z, i, 0,
            out_world, out_normal, out_local, out_material, out_openness,
        )  # fmt: skip


@njit(parallel=True, cache=True, fastmath=True)
def shade_kernel(
    camera: npt.NDArray[np.float64],
    yaw: float,
    grid: npt.NDArray[np.float32],
    grid_origin: npt.NDArray[np.float64],
    grid_step: float,
    world: npt.NDArray[np.float32],
    normal: npt.NDArray[np.float32],
    material: npt.NDArray[np.int8],
    openness: npt.NDArray[np.float32],
    materials: npt.NDArray[np.float64],
    lights: npt.NDArray[np.float64],
    ambient_rgb: npt.NDArray[np.float64],
    shadows: bool,
    visibility: npt.NDArray[np.float32],
    threads: int,
    out_rgb: npt.NDArray[np.float32],
) -> None:
    """The light pass: linear radiance of every pixel the geometry pass recorded.

    ``materials``: the material table (see :data:`MATERIALS`), backdrop row set. ``lights``: the
    light table (module docstring). ``ambient_rgb``: ambient irradiance per channel.
    ``visibility``: with ``shadows``, each light's visibility from each pixel (height × width ×
    lights, as :func:`shadow_kernel` traces it), or an empty array to trace them here.
    """
    height, width = material.shape
    cx, cy, cz = camera[0], camera[1], camera[2]
    gx, gy, gz = grid_origin[0], grid_origin[1], grid_origin[2]
    cyaw, syaw = math.cos(yaw), math.sin(yaw)
    count = lights.shape[0]
    traced = visibility.size > 0
    block = (height + threads - 1) // threads

    for index in prange(block * threads):
        row = _row(index, block, threads)
        if row >= height:
            continue
        for col in range(width):
            kind_of_surface = material[row, col]
            if kind_of_surface == EMPTY:
                out_rgb[row, col, 0] = 0.0
                out_rgb[row, col, 1] = 0.0
                out_rgb[row, col, 2] = 0.0
                continue
            on_backdrop = kind_of_surface == BACKDROP
            wx, wy, wz = world[row, col, 0], world[row, col, 1], world[row, col, 2]
            nx, ny, nz = normal[row, col, 0], normal[row, col, 1], normal[row, col, 2]
            ar = materials[kind_of_surface, 0]
            ag = materials[kind_of_surface, 1]
            ab = materials[kind_of_surface, 2]
            alpha = materials[kind_of_surface, 3] ** 2
            f0 = materials[kind_of_surface, 4]
            mirror = materials[kind_of_surface, 5] > 0.5
            translucent = materials[kind_of_surface, 6] > 0.5
            vx, vy, vz = cx - wx, cy - wy, cz - wz
            vl = math.sqrt(vx * vx + vy * vy + vz * vz)
            vx, vy, vz = vx / vl, vy / vl, vz / vl
            n_v = nx * vx + ny * vy + nz * vz
            # the mirror ray (the view reflected about the normal) and its Fresnel weight
            mrx = 2.0 * n_v * nx - vx
            mry = 2.0 * n_v * ny - vy
            mrz = 2.0 * n_v * nz - vz
            mirror_fresnel = f0 + (1.0 - f0) * (1.0 - max(n_v, 0.0)) ** 5
            # the shadow rays start in bust coordinates, just off the surface
            start = _shadow_start(cyaw, syaw, wx, wy, wz, nx, ny, nz, on_backdrop)
            open_to_sky = openness[row, col]
            red = ambient_rgb[0] * open_to_sky * ar / math.pi
            green = ambient_rgb[1] * open_to_sky * ag / math.pi
            blue = ambient_rgb[2] * open_to_sky * ab / math.pi

            for light in range(count):
                kind = lights[light, 11]
                if kind == 1.0 and not on_backdrop:
                    continue  # a background light is aimed at the backdrop only
                lx = lights[light, 0] - wx
                ly = lights[light, 1] - wy
                lz = lights[light, 2] - wz
                dist2 = lx * lx + ly * ly + lz * lz
                dist = math.sqrt(dist2)
                lx, ly, lz = lx / dist, ly / dist, lz / dist
                cos_in = nx * lx + ny * ly + nz * lz
                if cos_in <= 0.0:
                    continue
                emit = -(lx * lights[light, 3] + ly * lights[light, 4] + lz * lights[light, 5])
                if emit <= 0.0:
                    continue
                radius = lights[light, 7]
                irradiance = (
                    lights[light, 6]
                    * emit ** lights[light, 12]
                    * cos_in
                    / (dist2 + radius * radius)
                )
                seen = 1.0
                if shadows and kind == 0.0:
                    if traced:
                        seen = visibility[row, col, light]
                    else:
                        seen = _seen(
                            grid, gx, gy, gz, grid_step, cyaw, syaw, start, lx, ly, lz, dist,
                            radius,
                        )  # fmt: skip
                    if seen <= 0.0:
                        continue
                    irradiance *= seen
                if mirror:
                    # the catchlight: the source's face, in its shape, at its own radiance
                    shine = 0.0
                    if _on_source(wx, wy, wz, mrx, mry, mrz, lights[light]):
                        radiance = lights[light, 6] * emit ** lights[light, 12]
                        shine = seen * mirror_fresnel * radiance / (math.pi * radius * radius)
                    diffuse = irradiance / math.pi
                    red += lights[light, 8] * (diffuse * ar + shine)
                    green += lights[light, 9] * (diffuse * ag + shine)
                    blue += lights[light, 10] * (diffuse * ab + shine)
                    continue
                # the lobe widened to the source's angular size: a glossy surface shows a
                # highlight as broad as the source looks, a pin-point glint for a bare bulb
                widened = min(1.0, alpha + radius / (2.0 * dist))
                specular = _ggx(nx, ny, nz, lx, ly, lz, vx, vy, vz, widened, f0)
                tr, tg, tb = 1.0, 1.0, 1.0
                if translucent:
                    grazing = max(0.0, 1.0 - cos_in / _WARM_BELOW)
                    warmth = SUBSURFACE_WARMTH * max(grazing * grazing, 4.0 * seen * (1.0 - seen))
                    tr = 1.0 + warmth
                    tb = 1.0 - _COOL_CUT * warmth
                    # green takes up the difference, so the luminance of this light's diffuse
                    # light (its colour included) stays as it was
                    lr, lg, lb = lights[light, 8], lights[light, 9], lights[light, 10]
                    tg = 1.0 - warmth * (0.2126 * lr * ar - 0.0722 * lb * ab * _COOL_CUT) / (
                        0.7152 * max(lg * ag, 1e-6)
                    )
                red += irradiance * lights[light, 8] * (tr * ar / math.pi + specular)
                green += irradiance * lights[light, 9] * (tg * ag / math.pi + specular)
                blue += irradiance * lights[light, 10] * (tb * ab / math.pi + specular)

            out_rgb[row, col, 0] = red
            out_rgb[row, col, 1] = green
            out_rgb[row, col, 2] = blue


@njit(cache=True, inline="always")
def _light_seen(
    grid: npt.NDArray[np.float32],
    gx: float,
    gy: float,
    gz: float,
    grid_step: float,
    cyaw: float,
    syaw: float,
    world: npt.NDArray[np.float32],
    normal: npt.NDArray[np.float32],
    material: npt.NDArray[np.int8],
    light: npt.NDArray[np.float64],
    row: int,
    col: int,
) -> float:
    """The visibility (0–1) of ``light`` (a row of the light table) from pixel [``row``,
    ``col``], or −1 where the light does not reach it (nothing there, the surface turned away,
    the pixel outside the source's beam): what :func:`shade_kernel` would trace there."""
    surface = material[row, col]
    if surface == EMPTY:
        return -1.0
    wx, wy, wz = world[row, col, 0], world[row, col, 1], world[row, col, 2]
    nx, ny, nz = normal[row, col, 0], normal[row, col, 1], normal[row, col, 2]
    lx, ly, lz = light[0] - wx, light[1] - wy, light[2] - wz
    dist = math.sqrt(lx * lx + ly * ly + lz * lz)
    lx, ly, lz = lx / dist, ly / dist, lz / dist
    if nx * lx + ny * ly + nz * lz <= 0.0:
        return -1.0
    if lx * light[3] + ly * light[4] + lz * light[5] >= 0.0:
        return -1.0
    start = _shadow_start(cyaw, syaw, wx, wy, wz, nx, ny, nz, surface == BACKDROP)
    return _seen(grid, gx, gy, gz, grid_step, cyaw, syaw, start, lx, ly, lz, dist, light[7])


@njit(cache=True, inline="always")
def _samples_agree(
    seen: npt.NDArray[np.float32], material: npt.NDArray[np.int8], row: int, col: int
) -> float:
    """For a pixel off the traced grid (even rows' even columns): the visibility its nearest
    traced pixels share — the two beside it on its row, or above and below it in its column, or
    the four at its corners — when they are all of its material and all wholly lit (1) or
    wholly shadowed (0); else −1 (trace it)."""
    height, width = material.shape
    if row == height - 1 or col == width - 1:
        return -1.0
    down, across = row % 2, col % 2
    r0, c0, r1, c1 = row - down, col - across, row + down, col + across
    shared = seen[r0, c0]
    if shared < 0.0 or 0.0 < shared < 1.0:  # visibility is −1 or 0–1: neither 0 nor 1
        return -1.0
    surface = material[row, col]
    if seen[r1, c1] != shared or material[r0, c0] != surface or material[r1, c1] != surface:
        return -1.0
    if down and across:  # the other two corners
        if seen[r0, c1] != shared or material[r0, c1] != surface:
            return -1.0
        if seen[r1, c0] != shared or material[r1, c0] != surface:
            return -1.0
    return float(shared)


@njit(parallel=True, cache=True, fastmath=True)
def shadow_kernel(
    yaw: float,
    grid: npt.NDArray[np.float32],
    grid_origin: npt.NDArray[np.float64],
    grid_step: float,
    world: npt.NDArray[np.float32],
    normal: npt.NDArray[np.float32],
    material: npt.NDArray[np.int8],
    light: npt.NDArray[np.float64],
    half_rate: bool,
    threads: int,
    out_seen: npt.NDArray[np.float32],
) -> None:
    """The soft-shadow visibility of one subject light (a row of the light table) from every
    pixel the geometry pass recorded (−1 where it does not reach: see :func:`_light_seen`), for
    :func:`shade_kernel`'s ``visibility``.

    ``half_rate``: trace every other pixel of every other row (a quarter of them), then each of
    the rest only where its nearest traced pixels disagree (:func:`_samples_agree`); where
    they are all of its material and all wholly lit, or all wholly shadowed, it is taken to be
    so too. Most of a frame is wholly lit or wholly shadowed, so about 40 % of the rays are
    saved; a shadow's penumbra, its edge, is traced in full (on a frame whose pixels are
    neighbours: not on a list of edge samples). The bust's field is a 4 mm grid, so its shadows
    change over several pixels of even a 1024 px frame: on the presets' key at 610 px, a few
    dozen pixels of 350 000 took a neighbour's visibility that was off, by at most 0.05.
    """
    height, width = material.shape
    gx, gy, gz = grid_origin[0], grid_origin[1], grid_origin[2]
    cyaw, syaw = math.cos(yaw), math.sin(yaw)
    if not half_rate:
        block = (height + threads - 1) // threads
        for index in prange(block * threads):
            row = _row(index, block, threads)
            if row >= height:
                continue
            for col in range(width):
                out_seen[row, col] = _light_seen(
                    grid, gx, gy, gz, grid_step, cyaw, syaw, world, normal, material, light,
                    row, col,
                )  # fmt: skip
        return
    # rows in pairs (an even row and the odd one under it), the pairs dealt to threads in turn
    pairs = (height + 1) // 2
    block = (pairs + threads - 1) // threads
    for index in prange(block * threads):
        pair = _row(index, block, threads)
        if pair >= pairs:
            continue
        row = 2 * pair
        for col in range(0, width, 2):
            out_seen[row, col] = _light_seen(
                grid, gx, gy, gz, grid_step, cyaw, syaw, world, normal, material, light, row, col
            )
    for index in prange(block * threads):
        pair = _row(index, block, threads)
        if pair >= pairs:
            continue
        for row in range(2 * pair, min(2 * pair + 2, height)):
            for col in range(1 - row % 2, width, 2 - row % 2):
                shared = _samples_agree(out_seen, material, row, col)
                if shared < 0.0:
                    shared = _light_seen(
                        grid, gx, gy, gz, grid_step, cyaw, syaw, world, normal, material, light,
                        row, col,
                    )  # fmt: skip
                out_seen[row, col] = shared
