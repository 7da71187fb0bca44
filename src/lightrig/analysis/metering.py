"""The meter's part of an analysis: :class:`~lightrig.lighting.meter.Meter` as a report."""

from __future__ import annotations

import math

from lightrig.lighting.measure import Measurements
from lightrig.lighting.meter import (
    EXPOSURE_TOLERANCE_STOPS,
    LightMeter,
    Meter,
    MeterReading,
    meter,
    power_setting_text,
)
from lightrig.lighting.power import REFERENCE_EXPOSURE
from lightrig.models.analysis import LightMeterReport, MeterReadingReport, MeterReport
from lightrig.models.camera import shutter_text

__all__ = ["exposure_words", "meter_report", "power_change_words"]


def _reading(r: MeterReading | None) -> MeterReadingReport | None:
    if r is None:
        return None
    return MeterReadingReport(
        text=r.text, f_number=r.f_number, av=r.av, ev=r.ev, exposure=r.exposure
    )


def _light(x: LightMeter) -> LightMeterReport:
    light = x.light
    return LightMeterReport(
        role=light.role,
        power_stated=x.power_stated,
        power_setting=power_setting_text(light.intensity),
        power_setting_stops=math.log2(light.intensity) if light.intensity > 0.0 else -math.inf,
        full_power_at_1m=light.output * REFERENCE_EXPOSURE,
        facing=_reading(x.facing),
        lit=_reading(x.lit),
        shadow=_reading(x.shadow),
    )


def exposure_words(stops: float | None, *, assumed: bool = False) -> str:
    """``"correct"`` within a third of a stop, else ``"1.3 stops over"`` / ``"0.7 stops under"``;
    ``"no light on the face"`` without a reading. ``assumed``: no light states its power, so
    the verdict holds for reference-light power only, and says so."""
    if stops is None:
        return "no light on the face"
    words = (
        "correct"
        if abs(stops) <= EXPOSURE_TOLERANCE_STOPS
        else f"{abs(stops):.1f} stops {'over' if stops > 0 else 'under'}"
    )
    return (
        f"{words} if every light is the reference light (none states its power)"
        if assumed
        else words
    )


def power_change_words(found: Meter) -> str:
    """What to set each light to for the target aperture: ``"−1.3 stops on every light: key
    1/2 power (−1.0) → 1/4 +0.7 (−2.3), …"``."""
    change = found.power_change_stops
    target = f"f/{found.target_aperture:g}"
    if change is None:
        return f"no light on the face: nothing to change for {target}"
    if abs(change) < 0.05:
        return f"none: the lit side already meters {target}"
    moves = []
    for x in found.lights:
        light = x.light
        new_stops = math.log2(light.intensity) + change  # in log space: no overflow
        shown = power_setting_text(2.0**new_stops) if new_stops <= 0.0 else "over full power"
        moves.append(f"{light.role} {power_setting_text(light.intensity)} → {shown}")
    return f"{change:+.1f} stops on every light for {target}: " + "; ".join(moves)


def meter_report(m: Measurements, *, target_aperture: float | None = None) -> MeterReport:
    """Meter the measured rig and report it (``target_aperture``: see
    :func:`~lightrig.lighting.meter.meter`)."""
    found = meter(m, target_aperture=target_aperture)
    return MeterReport(
        iso=found.iso,
        shutter=found.shutter,
        shutter_text=shutter_text(found.shutter),
        aperture=found.aperture,
        lit=_reading(found.lit),
        shadow=_reading(found.shadow),
        backdrop=_reading(found.backdrop),
        ratio_stops=found.ratio_stops,
        exposure_stops=found.exposure_stops,
        exposure=exposure_words(
            found.exposure_stops, assumed=not any(x.power_stated for x in found.lights)
        ),
        target_aperture=found.target_aperture,
        power_change_stops=found.power_change_stops,
        power_change=power_change_words(found),
        lights=[_light(x) for x in found.lights],
        notes=list(found.notes),
    )
