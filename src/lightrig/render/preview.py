"""The preview renderer: a scene request in, a picture of a lit studio bust out.

Every light is placed from its azimuth, elevation and distance, coloured along the Planckian locus
under the camera's white balance, sized by its modifier for soft shadows and highlights; the
background light lights the backdrop, ambient light fills everything. The skin takes the tone the
request's subject description names (:mod:`lightrig.render.subject`). The camera frames the bust
from the shot type and focal length. The result is exposed for the face's lit side (or held at a
fixed exposure for measurement), tone-mapped with a filmic curve and encoded to sRGB.

Each light is shaded into a layer of its own and the frame is their sum; the layers of the last
frame of each framing are kept (:mod:`lightrig.render.layers`), so a frame where one light moved
shades that light alone, and is the same picture a render from scratch gives.
"""

from __future__ import annotations

import functools
import math
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass

import numba
import numpy as np
import numpy.typing as npt

from lightrig.lighting.colour import kelvin_to_linear_srgb, srgb_to_linear
from lightrig.lighting.geometry import position
from lightrig.lighting.measure import measure
from lightrig.lighting.modifiers import Modifier
from lightrig.lighting.rig import FACE_REFLECTANCE, Rig
from lightrig.lighting.roles import LightType
from lightrig.models.scene import SceneRequest
from lightrig.render.bust import HAIR, LIP, SKIN
from lightrig.render.camera import frame
from lightrig.render.edges import SAMPLES as EDGE_SAMPLES
from lightrig.render.edges import (
    CoarseBackdrop,
    EdgeSamples,
    edge_pixels,
    edge_samples,
)
from lightrig.render.edges import coarse_backdrop as _coarse_backdrop
from lightrig.render.field import BustField, bake_field
from lightrig.render.figure import Figure
from lightrig.render.kernel import (
    BACKDROP,
    DISC,
    EMPTY,
    MATERIALS,
    PANES,
    RECTANGLE,
    RING,
    shade_kernel,
    shadow_kernel,
    trace_kernel,
    trace_points_kernel,
)
from lightrig.render.layers import DEFAULT_BUDGET_BYTES, LayerCache
from lightrig.render.png import encode_png
from lightrig.render.subject import subject_for
from lightrig.render.tonemap import expose_and_encode

__all__ = ["EXPOSURE_KEY", "MAX_SIZE", "MIN_SIZE", "PreviewImage", "PreviewRenderer"]

#: The PNG text chunk that carries a preview's exposure in stops.
EXPOSURE_KEY = "lightrig:exposure"
MIN_SIZE = 16
MAX_SIZE = 4096
#: Pre-tone-map level of a skin-toned surface squarely under the lit side's illuminance.
_SKIN_TARGET = 0.62
#: Background lights stand low behind the subject and point back at the backdrop.
_BACKGROUND_LIGHT_LEAN = (0.0, -0.35, 1.0)
_BACKGROUND_EXPONENT = 3.0


#: The figure of a picture that does not say (the default bust).
_DEFAULT_FIGURE = Figure()


@dataclass(frozen=True)
class PreviewImage:
    """A rendered preview.

    ``linear``: exposed linear RGB before tone mapping (H × W × 3, float32); ``srgb``: the
    encoded picture (uint8); ``material``: per-pixel material id (see
    :mod:`lightrig.render.bust` and :mod:`lightrig.render.kernel`); ``local``: the bust-space
    position (metres) of each bust pixel; ``exposure``: the factor applied to radiance;
    ``normal``: the unit surface normal of each bust pixel in the bust's own frame (the face's:
    nose along +z, whatever the subject's turn); ``openness``: how open each pixel's surface is
    to ambient light, 0 (deep in a crease) to 1 (fully open); ``figure``: the variant of the
    bust that sat for it (:mod:`lightrig.render.figure`).
    """

    linear: npt.NDArray[np.float32]
    srgb: npt.NDArray[np.uint8]
    material: npt.NDArray[np.int8]
    local: npt.NDArray[np.float32]
    exposure: float
    normal: npt.NDArray[np.float32]
    openness: npt.NDArray[np.float32]
    figure: Figure = _DEFAULT_FIGURE

    @property
    def exposure_stops(self) -> float:
        """The exposure in stops: log₂ of the factor on radiance (0 for a factor of 1)."""
        return math.log2(self.exposure) if self.exposure > 0.0 else -math.inf

    def png(self, pixels: npt.NDArray[np.uint8] | None = None, *, compress_level: int = 6) -> bytes:
        """The picture as PNG bytes; a ``lightrig:exposure`` text chunk says its exposure in
        stops (:attr:`exposure_stops`, two decimals). ``pixels``: sRGB pixels drawn over this
        picture (e.g. its probes outlined) to encode instead of :attr:`srgb`;
        ``compress_level``: zlib's level, 0–9 (on a 610 px preview 1 is ~4× faster than 6 —
        8 ms against 38 — for ~30 % more bytes). Encoded by
        :func:`lightrig.render.png.encode_png`."""
        return encode_png(
            self.srgb if pixels is None else pixels,
            compress_level=compress_level,
            text={EXPOSURE_KEY: f"{self.exposure_stops:.2f}"},
        )


#: The shape of each modifier's face as the eye reflects it (the catchlight) and its height
#: over its width: a 90 × 120 cm softbox, a 30 × 120 cm strip, a beauty dish's ring, a window's
#: four panes, a square scrim; every other source (bulb, snoot, fresnel, octabox, umbrella,
#: reflector, sky) a disc.
_FACES: dict[Modifier | None, tuple[float, float]] = {
    Modifier.SOFTBOX: (RECTANGLE, 4.0 / 3.0),
    Modifier.STRIP_BOX: (RECTANGLE, 4.0),
    Modifier.BEAUTY_DISH: (RING, 1.0),
    Modifier.WINDOW: (PANES, 1.4),
    Modifier.SCRIM: (RECTANGLE, 1.0),
}


def _light_table(rig: Rig) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    rows: list[list[float]] = []
    ambient = np.zeros(3)
    for light in rig.lights:
        colour = [max(0.0, c) for c in kelvin_to_linear_srgb(light.kelvin, rig.white_balance)]
        if light.role is LightType.AMBIENT:
            ambient += light.strength * np.asarray(colour)
            continue
        if light.role is LightType.BACKGROUND:
            spot = np.array([0.0, 0.1, -rig.background_distance])
            lean = np.asarray(_BACKGROUND_LIGHT_LEAN) / np.linalg.norm(_BACKGROUND_LIGHT_LEAN)
            where = spot + min(light.distance, 0.9 * rig.background_distance) * lean
            aim = (spot - where) / np.linalg.norm(spot - where)
            kind, exponent = 1.0, _BACKGROUND_EXPONENT
        else:
            where = np.asarray(position(light.azimuth, light.elevation, light.distance))
            aim = -where / np.linalg.norm(where)
            kind, exponent = 0.0, 1.0
        shape, aspect = _FACES.get(light.modifier, (DISC, 1.0)) if kind == 0.0 else (DISC, 1.0)
        rows.append(
            [*where, *aim, light.strength, light.radius, *colour, kind, exponent, shape, aspect]
        )
    table = np.asarray(rows, dtype=np.float64).reshape(-1, 15)
    return table, ambient


#: The largest exposure :func:`auto_exposure` chooses: radiance (float32) times more than this
#: could overflow, and light that would need it is too faint to show (it renders black).
_MAX_EXPOSURE = 1e30


def auto_exposure(rig: Rig) -> float:
    """The exposure a photographer would choose, as a factor on radiance.

    Normally skin on the face's lit side lands bright but unclipped. A key behind the subject
    is exposed so its rim is about two stops over the face's exposure point, keeping the rim
    bright and the face readable; when the face gets next to no light (a silhouette) the
    backdrop sets the exposure instead.
    """
    m = measure(rig)
    backdrop = 0.5 * m.backdrop * rig.backdrop_reflectance / FACE_REFLECTANCE
    reference = max(m.lit, 0.25 * m.key_facing)
    if reference < backdrop / 8.0:
        reference = backdrop
    if reference <= 0.0:
        return 1.0
    skin = FACE_REFLECTANCE / math.pi * reference  # radiance; 0.0 once it underflows
    # a light so faint that no float32 radiance shows it is not exposed into an overflow
    if skin <= _SKIN_TARGET / _MAX_EXPOSURE:
        return _MAX_EXPOSURE
    return _SKIN_TARGET / skin


@dataclass(frozen=True)
class _Geometry:
    """What the camera sees, per pixel: the geometry pass's output."""

    world: npt.NDArray[np.float32]
    normal: npt.NDArray[np.float32]
    local: npt.NDArray[np.float32]
    material: npt.NDArray[np.int8]
    openness: npt.NDArray[np.float32]

    @classmethod
    def empty(cls, rows: int, cols: int) -> _Geometry:
        """Zeroed buffers for ``rows`` × ``cols`` pixels, for a geometry pass to fill."""
        return cls(
            world=np.zeros((rows, cols, 3), dtype=np.float32),
            normal=np.zeros((rows, cols, 3), dtype=np.float32),
            local=np.zeros((rows, cols, 3), dtype=np.float32),
            material=np.zeros((rows, cols), dtype=np.int8),
            openness=np.zeros((rows, cols), dtype=np.float32),
        )


#: Shades lights (rows of the light table) and ambient light into a buffer: the light pass.
_Shade = Callable[
    [
        _Geometry,
        npt.NDArray[np.int8],
        npt.NDArray[np.float64],
        npt.NDArray[np.float64],
        npt.NDArray[np.float32],
    ],
    None,
]


@dataclass(frozen=True)
class _Lighting:
    """A frame's lights: the light table, ambient irradiance (linear RGB), the material table
    and the light pass that shades them (:data:`_Shade`)."""

    lights: npt.NDArray[np.float64]
    ambient: npt.NDArray[np.float64]
    materials: npt.NDArray[np.float64]
    shade: _Shade


def _to_bust_frame(world: npt.NDArray[np.float32], yaw: float) -> npt.NDArray[np.float32]:
    """World normals turned back by the subject's ``yaw`` (radians) into the bust's frame."""
    c, s = math.cos(yaw), math.sin(yaw)
    turned = np.empty_like(world)
    turned[..., 0] = c * world[..., 0] - s * world[..., 2]
    turned[..., 1] = world[..., 1]
    turned[..., 2] = s * world[..., 0] + c * world[..., 2]
    return turned


_GeometryKey = tuple[tuple[float, ...], float, float, int, Figure]
#: :func:`shade_kernel`'s ``visibility`` when it traces the shadows itself.
_NOT_TRACED = np.empty((0, 0, 0), dtype=np.float32)


class PreviewRenderer:
    """Renders previews.

    It holds the bust's baked distance field of each figure it has rendered (made on first use)
    and the geometry of the last few camera framings, so that a render which only changes the
    lights — the studio's case, as a light is dragged — skips the geometry pass; and each
    light's shaded layer of the last frame of each framing (:mod:`lightrig.render.layers`), so
    that such a render shades only the lights that changed. ``geometry_cache``: framings kept;
    ``layer_budget_bytes``: the most bytes of layers kept (0 keeps none).
    """

    def __init__(
        self, geometry_cache: int = 8, layer_budget_bytes: int = DEFAULT_BUDGET_BYTES
    ) -> None:
        self._fields: dict[Figure, BustField] = {}
        #: each light's shaded layer of the last frame of each framing (:mod:`.layers`)
        self._layers = LayerCache(layer_budget_bytes)
        self._geometry: OrderedDict[_GeometryKey, _Geometry] = OrderedDict()
        #: the edge pixels' samples of the framings in ``_geometry`` (made when first asked for)
        self._edges: dict[_GeometryKey, tuple[EdgeSamples, _Geometry]] = {}
        #: the backdrop pixels of those framings a coarse frame skips (made when first asked for)
        self._coarse: dict[_GeometryKey, CoarseBackdrop] = {}
        self._geometry_cache = geometry_cache

    @property
    def field(self) -> BustField:
        """The baked distance field of the default bust."""
        return self.field_for(Figure())

    def field_for(self, figure: Figure) -> BustField:
        """The baked distance field of the bust ``figure`` describes."""
        field = self._fields.get(figure)
        if field is None:
            field = self._fields[figure] = bake_field(figure=figure)
        return field

    def _trace(
        self, camera: list[float], yaw: float, backdrop_z: float, side: int, figure: Figure
    ) -> _Geometry:
        key = (tuple(camera), yaw, backdrop_z, side, figure)
        cached = self._geometry.get(key)
        if cached is not None:
            self._geometry.move_to_end(key)
            return cached
        field = self.field_for(figure)
        geometry = _Geometry.empty(side, side)
        trace_kernel(
            side,
            side,
            np.asarray(camera, dtype=np.float64),
            yaw,
            field.grid,
            np.asarray(field.origin, dtype=np.float64),
            field.step,
            field.form,
            backdrop_z,
            numba.get_num_threads(),
            geometry.world,
            geometry.normal,
            geometry.local,
            geometry.material,
            geometry.openness,
        )
        self._geometry[key] = geometry
        while len(self._geometry) > self._geometry_cache:
            gone, _ = self._geometry.popitem(last=False)
            self._edges.pop(gone, None)
            self._coarse.pop(gone, None)
        return geometry

    def _trace_edges(
        self,
        camera: list[float],
        yaw: float,
        backdrop_z: float,
        side: int,
        geometry: _Geometry,
        *,
        figure: Figure,
    ) -> tuple[EdgeSamples, _Geometry]:
        """The samples of ``geometry``'s edge pixels (:mod:`lightrig.render.edges`) traced,
        as a one-pixel-wide picture; kept with the framing's geometry."""
        key = (tuple(camera), yaw, backdrop_z, side, figure)
        kept = self._edges.get(key)
        if kept is not None:
            return kept
        samples = edge_samples(edge_pixels(geometry.material, geometry.world))
        n = samples.count
        traced = _Geometry.empty(n, 1)
        if n:
            field = self.field_for(figure)
            trace_points_kernel(
                samples.rows,
                samples.cols,
                side,
                side,
                np.asarray(camera, dtype=np.float64),
                yaw,
                field.grid,
                np.asarray(field.origin, dtype=np.float64),
                field.step,
                field.form,
                backdrop_z,
                traced.world,
                traced.normal,
                traced.local,
                traced.material,
                traced.openness,
            )
        if key in self._geometry:  # kept only while its framing is
            self._edges[key] = (samples, traced)
        return samples, traced

    def _layered(
        self,
        lighting: _Lighting,
        group: tuple[object, ...],
        seen: _Geometry,
        material: npt.NDArray[np.int8],
    ) -> npt.NDArray[np.float32]:
        """The linear radiance of the pixels ``seen`` (with ``material`` ids): the ambient
        light's layer plus each light's, those kept for ``group`` taken as they are and the rest
        shaded by ``lighting.shade``; the frame's layers are then kept as ``group``'s. A frame
        whose layers could not all be kept (a large supersampled render) shades each light in
        turn into one buffer and sums it, keeping none."""
        lights, ambient, shade = lighting.lights, lighting.ambient, lighting.shade
        materials = lighting.materials
        kept = self._layers.layers(group)
        made: dict[Hashable, npt.NDArray[np.float32]] = {}
        stuff = materials.tobytes()
        none = np.zeros((0, lights.shape[1]), dtype=np.float64)
        dark = np.zeros(3, dtype=np.float64)
        parts = [(none, ambient)] + [(lights[i : i + 1], dark) for i in range(lights.shape[0])]
        shape = (*material.shape, 3)
        keeping = len(parts) * math.prod(shape) * 4 <= self._layers.budget_bytes
        scratch: npt.NDArray[np.float32] | None = None
        total: npt.NDArray[np.float32] | None = None
        for rows, ambient_rgb in parts:
            key = (stuff, rows.tobytes() + ambient_rgb.tobytes())
            layer = made.get(key)
            if layer is None:
                layer = kept.get(key)
            if layer is None:
                if keeping or scratch is None:
                    scratch = np.empty(shape, dtype=np.float32)
                layer = scratch
                shade(seen, material, rows, ambient_rgb, layer)
            if keeping:
                made[key] = layer
            if total is None:
                total = layer.copy()
            else:
                total += layer
        if keeping:
            self._layers.keep(group, made)
        assert total is not None  # the ambient layer is always there
        return total

    def render(
        self,
        request: SceneRequest,
        size: int = 512,
        *,
        shadows: bool = True,
        exposure: float | None = None,
        supersample: int = 1,
        antialias: bool = False,
        coarse_backdrop: bool = False,
    ) -> PreviewImage:
        """Render ``request`` as a ``size`` × ``size`` picture.

        ``exposure``: a fixed factor on radiance (for comparing renders); by default the
        exposure follows the face's lit side. ``supersample``: samples per pixel side (2 gives
        smooth edges at four times the cost). ``antialias``: with one sample a pixel, sample
        only the edge pixels four times (:mod:`lightrig.render.edges`: smooth outlines for a
        few per cent more time); the geometry buffers keep each pixel's centre sample.
        ``coarse_backdrop``: light the open backdrop on every other row and column only and fill
        the rest from its lit neighbours (:mod:`lightrig.render.edges`; a live frame's saving,
        about a third of the light pass in a portrait frame).
        """
        if not MIN_SIZE <= size <= MAX_SIZE:
            raise ValueError(f"size {size} is outside {MIN_SIZE}–{MAX_SIZE} pixels")
        if supersample < 1:
            raise ValueError("supersample must be 1 or more")
        rig = request.rig()
        lights, ambient = _light_table(rig)
        materials = MATERIALS.copy()
        subject = subject_for(request.subject_description)
        subject.dress(materials, SKIN, LIP, HAIR)
        figure = subject.figure
        if request.backdrop_color is not None:
            code = request.backdrop_color
            materials[BACKDROP, :3] = [
                srgb_to_linear(int(code[i : i + 2], 16) / 255.0) for i in (1, 3, 5)
            ]
        side = size * supersample
        camera = frame(request.camera_settings).as_list()
        yaw = math.radians(request.subject_yaw)
        geometry = self._trace(camera, yaw, -request.background_distance, side, figure)
        field = self.field_for(figure)
        coarse = None
        if coarse_backdrop and supersample == 1:
            key = (tuple(camera), yaw, -request.background_distance, side, figure)
            coarse = self._coarse.get(key)
            if coarse is None:
                coarse = _coarse_backdrop(geometry.material, BACKDROP, EMPTY)
                if key in self._geometry:
                    self._coarse[key] = coarse

        eye = np.asarray(camera, dtype=np.float64)
        origin = np.asarray(field.origin, dtype=np.float64)

        def shade(
            seen: _Geometry,
            material: npt.NDArray[np.int8],
            rows: npt.NDArray[np.float64],
            ambient_rgb: npt.NDArray[np.float64],
            out: npt.NDArray[np.float32],
        ) -> None:
            threads = numba.get_num_threads()
            visibility = _NOT_TRACED
            if shadows and rows.shape[0] == 1 and rows[0, 11] == 0.0:  # one subject light
                visibility = np.empty((*material.shape, 1), dtype=np.float32)
                shadow_kernel(
                    yaw,
                    field.grid,
                    origin,
                    field.step,
                    seen.world,
                    seen.normal,
                    material,
                    rows[0],
                    material.shape[1] > 1,  # a frame, not a list of edge samples
                    threads,
                    visibility.reshape(material.shape),
                )
            shade_kernel(
                eye,
                yaw,
                field.grid,
                origin,
                field.step,
                seen.world,
                seen.normal,
                material,
                seen.openness,
                materials,
                rows,
                ambient_rgb,
                shadows,
                visibility,
                threads,
                out,
            )

        framing = (tuple(camera), yaw, -request.background_distance, side, figure)
        layered = functools.partial(self._layered, _Lighting(lights, ambient, materials, shade))
        if coarse is None:
            linear = layered((framing, "frame", shadows), geometry, geometry.material)
        else:
            linear = layered((framing, "coarse", shadows), geometry, coarse.material)
            coarse.fill(linear)
        if antialias and supersample == 1:
            samples, traced = self._trace_edges(
                camera, yaw, -request.background_distance, side, geometry, figure=figure
            )
            if samples.count:
                lit = layered((framing, "edges", shadows), traced, traced.material)
                per_pixel = lit.reshape(-1, len(EDGE_SAMPLES), 3).mean(axis=1)
                linear[samples.pixel_rows, samples.pixel_cols] = per_pixel
        material, local = geometry.material, geometry.local
        normal, openness = geometry.normal, geometry.openness
        if supersample > 1:
            linear = linear.reshape(size, supersample, size, supersample, 3).mean(axis=(1, 3))
            linear = linear.astype(np.float32)
            material = material[::supersample, ::supersample]
            local = local[::supersample, ::supersample]
            normal = normal[::supersample, ::supersample]
            openness = openness[::supersample, ::supersample]
        scale = auto_exposure(rig) if exposure is None else exposure
        srgb = expose_and_encode(linear, scale)
        return PreviewImage(
            linear=linear,
            srgb=srgb,
            material=material.copy(),
            local=local.copy(),
            exposure=scale,
            normal=_to_bust_frame(normal, yaw),
            openness=openness.copy(),
            figure=figure,
        )
