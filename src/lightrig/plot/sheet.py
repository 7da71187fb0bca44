"""What the lighting plot says: a row per light, the camera, the analysis in brief.

Every figure comes from the setup and its analysis (:class:`~lightrig.models.analysis.
LightingAnalysis`, whose meter gives the readings); nothing here measures anything itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from lightrig.lighting.direction import describe_direction
from lightrig.lighting.modifiers import modifier_phrase
from lightrig.lighting.stands import camera_height, light_height
from lightrig.lighting.vocabulary import ROLES
from lightrig.models.analysis import LightingAnalysis, MeterReadingReport
from lightrig.models.camera import shutter_text
from lightrig.models.scene import SceneRequest

__all__ = ["LightRow", "PlotSheet", "plot_sheet"]


@dataclass(frozen=True, slots=True)
class LightRow:
    """One light as the crew sets it up (every field already in words and units)."""

    role: str
    position: str
    height: str
    modifier: str
    colour: str
    power: str
    reading: str


@dataclass(frozen=True, slots=True)
class PlotSheet:
    """The page's words: ``title``, ``subtitle``, a row per light that is on, the camera's and
    the analysis's lines, and notes."""

    title: str
    subtitle: str
    rows: tuple[LightRow, ...]
    camera: tuple[str, ...]
    analysis: tuple[str, ...]
    notes: tuple[str, ...]


def _reading(reading: MeterReadingReport | None) -> str:
    return "—" if reading is None else reading.text


def plot_sheet(
    request: SceneRequest, analysis: LightingAnalysis, *, title: str | None = None
) -> PlotSheet:
    """The plot of ``request`` (``analysis`` is its analysis; ``title`` heads the page, by
    default the pattern's names)."""
    eye = request.subject_eye_height
    meter = analysis.meter
    by_role = {light.role: light for light in meter.lights}
    gels = {gel.role: gel for gel in analysis.colour.gels}
    rows: list[LightRow] = []
    for role, light in request.lighting_setup.items():
        metered = by_role.get(role)
        if metered is None:  # off, or at zero
            continue
        label = _LABELS.get(role.value, str(role))
        azimuth = light.azimuth or 0.0
        elevation = light.elevation or 0.0
        if role.value == "ambient":
            position, height = "everywhere", "—"
        else:
            position = f"{describe_direction(azimuth)}, {light.distance:.2f} m"
            height = f"{light_height(eye, elevation, light.distance):.2f} m ({elevation:+.0f}°)"
        modifier = (
            "—"
            if light.modifier is None
            else modifier_phrase(light.modifier, light.modifier_size or 0.0)
        )
        colour = f"{light.color_temperature:.0f} K"
        gel = gels.get(role)
        if gel is not None:
            colour += f"; gel {gel.gel} to match the key"
        power = metered.power_setting
        if light.power is not None:
            power += f" of {light.power.value:g} {_POWER_UNITS[light.power.kind.value]}"
        rows.append(
            LightRow(
                role=label,
                position=position,
                height=height,
                modifier=modifier,
                colour=colour,
                power=power,
                reading=f"{_reading(metered.facing)} facing · {_reading(metered.lit)} on face",
            )
        )
    camera = request.camera_settings
    camera_lines = (
        f"{camera.shot_type}, {camera.focal_length_mm:.0f} mm, {camera.camera_angle}",
        f"f/{camera.aperture:g} · {shutter_text(camera.shutter)} · ISO {camera.iso:g} · "
        f"WB {camera.white_balance:.0f} K",
        f"Camera {camera_height(str(camera.camera_angle), eye):.2f} m high · eyes {eye:.2f} m · "
        f"backdrop {request.background_distance:.1f} m behind",
    )
    ratio = analysis.ratio
    contrast = "no fill" if ratio.shadow_unlit else f"{ratio.ratio:.1f}:1 ({ratio.stops:.1f} stops)"
    analysis_lines = (
        f"{' · '.join(analysis.pattern_names)} · {contrast} · rating {analysis.rating:.1f}/10",
        f"Face meters {_reading(meter.lit)} lit, {_reading(meter.shadow)} shadow; "
        f"backdrop {_reading(meter.backdrop)}",
        f"Exposure at f/{meter.aperture:g}: {meter.exposure}",
        f"{analysis.shadows.hardness} shadows · {', '.join(analysis.mood[:3])}",
    )
    notes = tuple(analysis.warnings[:3]) + tuple(meter.notes[:2])
    return PlotSheet(
        title=title or " · ".join(name.title() for name in analysis.pattern_names),
        subtitle=request.subject_description,
        rows=tuple(rows),
        camera=camera_lines,
        analysis=analysis_lines,
        notes=notes,
    )


_LABELS = {words.value: words.label for words in ROLES}
_POWER_UNITS = {"watt_seconds": "Ws", "guide_number": "GN", "lux_at_1m": "lx at 1 m"}
