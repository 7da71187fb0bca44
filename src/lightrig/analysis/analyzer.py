"""``LightingAnalyzer``: a setup read as a photographer reads it.

It measures the rig (:mod:`lightrig.lighting.measure`), names what it sees
(:mod:`lightrig.lighting.reading`), rates it (:mod:`lightrig.lighting.rating`), finds its mood
(:mod:`lightrig.lighting.mood`) and advises (:mod:`lightrig.lighting.advice`), then reports it all
as a :class:`~lightrig.models.analysis.LightingAnalysis`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from lightrig.analysis.metering import meter_report
from lightrig.lighting.advice import LensInfo, recommendations, warnings
from lightrig.lighting.measure import LightMeasure, stops_between
from lightrig.lighting.rating import rate, total
from lightrig.lighting.reading import Reading, read
from lightrig.lighting.roles import LightType
from lightrig.lighting.softness import hardness_for_angle
from lightrig.models.analysis import (
    ColourReport,
    GelReport,
    LightingAnalysis,
    LightReport,
    RatingComponent,
    RatioReport,
    ShadowReport,
)
from lightrig.models.scene import SceneRequest, parse_scene_request

__all__ = ["LightingAnalyzer"]


def _light_report(x: LightMeasure, key_facing: float, is_key: bool) -> LightReport:
    light = x.light
    stops: float | None = None
    if not is_key and key_facing > 0.0 and x.facing > 0.0:
        stops = stops_between(x.facing, key_facing)
    return LightReport(
        role=light.role,
        azimuth=light.azimuth,
        elevation=light.elevation,
        distance=light.distance,
        intensity=light.intensity,
        color_temperature=light.kelvin,
        mired=light.mired,
        modifier=light.modifier,
        modifier_size=light.size,
        apparent_angle=light.apparent_angle,
        hardness=hardness_for_angle(light.apparent_angle),
        illuminance=x.facing,
        on_lit_side=x.on_lit,
        on_shadow_side=x.on_shadow,
        stops_from_key=stops,
        near_field=light.near_field,
    )


def _intensity_ratio(r: Reading) -> float | None:
    rig = r.measurements.rig
    key, fill = rig.light(LightType.KEY), rig.light(LightType.FILL)
    if key is None or fill is None or fill.intensity <= 0.0:
        return None
    ratio = key.intensity / fill.intensity
    return ratio if math.isfinite(ratio) else None  # a fill too faint for a number: none


def _key_name(role: LightType) -> str:
    """The key as the summary names it: a light of another role acting as the key says so."""
    return "key" if role is LightType.KEY else f"{role} as key"


def _summary(r: Reading, mood: list[str], rating: float) -> str:
    m = r.measurements
    names = " ".join(r.names)
    key = m.key
    key_text = (
        "ambient only"
        if key is None
        else (
            f"{r.hardness} {key.kelvin:.0f} K {_key_name(key.role)} "
            f"({key.apparent_angle:.0f}° wide)"
        )
    )
    return (
        f"{names} · {m.contrast} · {key_text} · "
        f"{r.colour.consistency} colour · {', '.join(mood[:2])} · {rating:.1f}/10"
    )


class LightingAnalyzer:
    """Analyses lighting setups. Stateless: one instance can serve any number of requests."""

    def analyze(
        self, request: SceneRequest | Mapping[str, Any], reading: Reading | None = None
    ) -> LightingAnalysis:
        """Analyse a scene request, or the plain data of one (a ``dict`` as JSON gives it, validated
        here: :class:`~lightrig.errors.InvalidLightingSetupError` names every failing field).

        Pass the request's :class:`Reading` when you already have it (the prompt compiler takes
        the same one), so the rig is measured once.
        """
        if not isinstance(request, SceneRequest):
            request = parse_scene_request(request)
        camera = request.camera_settings
        if reading is None:
            reading = read(request.rig())
        lens = LensInfo(camera.focal_length_mm, camera.lens_type, camera.notes)
        return self.report(reading, lens)

    def report(self, reading: Reading, lens: LensInfo) -> LightingAnalysis:
        """Turn a reading into the full analysis: numbers, names, rating, mood and advice."""
        m = reading.measurements
        key = m.key
        key_facing = m.key_facing
        components = rate(reading)
        rating = total(components)
        mood = reading.mood
        colour = reading.colour
        return LightingAnalysis(
            key_role=None if key is None else key.role,
            lights=[_light_report(x, key_facing, x.light is key) for x in m.lights],
            ratio=RatioReport(
                ratio=m.ratio,
                stops=m.stops,
                asc_ratio=m.asc_ratio,
                key_over_fill_stops=m.key_over_fill_stops,
                lit_side=m.lit_side,
                lit_illuminance=m.lit,
                shadow_illuminance=m.shadow,
                shadow_unlit=m.shadow_unlit,
                intensity_ratio=_intensity_ratio(reading),
            ),
            colour=ColourReport(
                white_balance=m.rig.white_balance,
                key_kelvin=m.rig.white_balance if key is None else key.kelvin,
                mean_kelvin=colour.mean_kelvin,
                spread_mired=colour.spread,
                consistency=colour.consistency,
                cast=colour.cast,
                gels=[
                    GelReport(
                        role=g.role,
                        gel=g.suggestion.label,
                        mired_shift=g.suggestion.shift,
                        from_kelvin=g.from_kelvin,
                        to_kelvin=g.to_kelvin,
                        residual_mired=g.suggestion.residual,
                    )
                    for g in colour.gels
                ],
            ),
            shadows=ShadowReport(
                hardness=reading.hardness,
                key_apparent_angle=0.0 if key is None else key.apparent_angle,
                nose_shadow_edge_mm=m.nose_shadow_edge_mm,
            ),
            pattern=reading.pattern.pattern,
            pattern_reason=reading.explanation,
            facing=reading.facing,
            tonal_key=reading.tonal_key,
            pattern_names=reading.names,
            backdrop_stops=m.backdrop_stops,
            meter=meter_report(m),
            mood=mood,
            rating=rating,
            rating_components=[
                RatingComponent(name=c.name, score=c.score, max_score=c.max_score, reason=c.reason)
                for c in components
            ],
            recommendations=recommendations(reading),
            warnings=warnings(reading, lens),
            summary=_summary(reading, mood, rating),
        )
