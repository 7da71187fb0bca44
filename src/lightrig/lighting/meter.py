"""The light meter: each light's incident reading on the face, in f-numbers and EV.

An incident meter at ISO ``S`` reading exposure ``H`` (lux-seconds) gives the f-number
``N = √(H · S / C)`` (``C`` = :data:`~lightrig.lighting.power.METER_CALIBRATION`, 250, a flat
receptor); for continuous light ``H = E · t`` at the camera's shutter time ``t``, for a flash
``H`` is its pulse's lux-seconds. The reading's aperture value is ``AV = 2 log₂ N`` (one stop a
unit) and its exposure value ``EV = log₂(N² / t)``.

The meter reads where the analysis measures (:mod:`lightrig.lighting.measure`): the lit-side and
shadow-side probes of the face, a surface squarely facing each light, and the backdrop. Each
light's exposure there is its relative illuminance (inverse square with the round-source
correction, times the cosine of incidence) times the reference light's exposure at 1 m
(:data:`~lightrig.lighting.power.REFERENCE_EXPOSURE`), so the ratio in stops is exactly the
difference of the lit and shadow readings' AV — one model, not two.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lightrig.lighting.measure import Measurements
from lightrig.lighting.power import METER_CALIBRATION, REFERENCE_EXPOSURE
from lightrig.lighting.rig import PlacedLight

__all__ = [
    "EXPOSURE_TOLERANCE_STOPS",
    "LightMeter",
    "Meter",
    "MeterReading",
    "f_number_for",
    "f_number_text",
    "meter",
    "power_setting_text",
    "reading_for",
]

#: An exposure within this many stops of the camera's is called correct (a third of a stop).
EXPOSURE_TOLERANCE_STOPS = 1.0 / 3.0
#: The whole-stop f-numbers as lenses and meters mark them, by aperture value (AV = 2 log₂ N).
_MARKED = {
    -2: "0.5",
    -1: "0.7",
    0: "1",
    1: "1.4",
    2: "2",
    3: "2.8",
    4: "4",
    5: "5.6",
    6: "8",
    7: "11",
    8: "16",
    9: "22",
    10: "32",
    11: "45",
    12: "64",
    13: "90",
    14: "128",
    15: "180",
    16: "256",
}
#: The lowest power setting strobes show as a fraction, in stops under full (1/1024).
_LOWEST_SETTING_STOPS = 10
#: Strobes that state no power cannot sync faster than this (seconds) without high-speed sync.
_SYNC_S = 1.0 / 250.0


def f_number_for(exposure: float, iso: float) -> float:
    """The f-number an incident meter gives for ``exposure`` lux-seconds at ``iso``."""
    return math.sqrt(exposure * iso / METER_CALIBRATION)


def f_number_text(f_number: float) -> str:
    """``"f/8 + 3/10"``: the whole stop at or below the reading and the tenths above it, as a
    meter shows it; ``"f/8"`` on the stop. Beyond the marked range: ``"under f/0.5"``,
    ``"over f/256"``."""
    av = 2.0 * math.log2(f_number)
    tenths_total = round(av * 10.0)
    whole, tenths = divmod(tenths_total, 10)
    if whole < min(_MARKED):
        return f"under f/{_MARKED[min(_MARKED)]}"
    if whole > max(_MARKED) or (whole == max(_MARKED) and tenths):
        return f"over f/{_MARKED[max(_MARKED)]}"
    marked = f"f/{_MARKED[whole]}"
    return marked if tenths == 0 else f"{marked} + {tenths}/10"


def power_setting_text(intensity: float) -> str:
    """A power setting as strobes show it and in stops below full, to a tenth:
    ``"1/4 power (−2.0 stops)"``, ``"1/4 +0.7 (−1.3 stops)"``, ``"full power"``; below
    1/1024 (ten stops), ``"under 1/1024 power (−14.2 stops)"``."""
    if intensity >= 1.0:
        return "full power"
    if intensity <= 0.0:
        return "off"
    tenths_total = round(math.log2(intensity) * 10.0)
    if tenths_total == 0:
        return "full power"
    if tenths_total < -10 * _LOWEST_SETTING_STOPS:
        return f"under 1/{2**_LOWEST_SETTING_STOPS:d} power (−{-tenths_total / 10.0:.1f} stops)"
    below = -tenths_total / 10.0
    whole, tenths = divmod(tenths_total, 10)
    fraction = "full" if whole == 0 else f"1/{2**-whole:d}"
    head = f"{fraction} power" if tenths == 0 else f"{fraction} +{tenths / 10:.1f}"
    return f"{head} (−{below:.1f} stops)"


@dataclass(frozen=True, slots=True)
class MeterReading:
    """One incident reading: ``exposure`` in lux-seconds, the ``f_number`` it calls for at the
    camera's ISO, its aperture value ``av`` (stops, 2 log₂ N), ``ev`` at the camera's shutter
    (log₂ N²/t) and ``text`` ("f/8 + 3/10"). A surface no light reaches has no reading (the
    meter's ``None``)."""

    exposure: float
    f_number: float
    av: float
    ev: float
    text: str


def reading_for(exposure: float, iso: float, shutter: float) -> MeterReading | None:
    """The reading of ``exposure`` lux-seconds at ``iso`` and ``shutter`` seconds (``None`` for
    no light)."""
    if exposure <= 0.0:
        return None
    n = f_number_for(exposure, iso)
    av = 2.0 * math.log2(n)
    return MeterReading(
        exposure=exposure,
        f_number=n,
        av=av,
        ev=av - math.log2(shutter),
        text=f_number_text(n),
    )


@dataclass(frozen=True, slots=True)
class LightMeter:
    """One light metered alone: facing it squarely, on the lit probe and on the shadow probe;
    ``power_stated`` False when it is read as the reference light."""

    light: PlacedLight
    facing: MeterReading | None
    lit: MeterReading | None
    shadow: MeterReading | None
    power_stated: bool


@dataclass(frozen=True, slots=True)
class Meter:
    """Every reading of a setup and what they say about the exposure.

    ``exposure_stops``: the lit side against the camera's aperture, in stops (positive = over;
    ``None`` when nothing lights the face). ``target_aperture``: the f-number the power change
    aims the lit side at; ``power_change_stops``: what every light's power must change by to get
    there (the ratios kept; ``None`` without a reading).
    """

    iso: float
    shutter: float
    aperture: float
    lights: tuple[LightMeter, ...]
    lit: MeterReading | None
    shadow: MeterReading | None
    backdrop: MeterReading | None
    ratio_stops: float | None
    exposure_stops: float | None
    target_aperture: float
    power_change_stops: float | None
    notes: tuple[str, ...]


def meter(m: Measurements, *, target_aperture: float | None = None) -> Meter:
    """Meter a measured rig at its camera's ISO and shutter.

    ``target_aperture``: the f-number the power change aims at (default: the camera's
    aperture). Lights that state no power are read as the reference light; the notes say so.
    """
    rig = m.rig
    iso, shutter = rig.iso, rig.shutter
    target = rig.aperture if target_aperture is None else target_aperture
    scale = REFERENCE_EXPOSURE

    def read_(relative: float) -> MeterReading | None:
        return reading_for(relative * scale, iso, shutter)

    lights = tuple(
        LightMeter(
            light=x.light,
            facing=read_(x.facing),
            lit=read_(x.on_lit),
            shadow=read_(x.on_shadow),
            power_stated=x.light.power_stated,
        )
        for x in m.lights
    )
    lit, shadow = read_(m.lit), read_(m.shadow)
    ratio_stops = None if lit is None or shadow is None else lit.av - shadow.av
    exposure_stops = change = None
    if lit is not None:
        exposure_stops = 2.0 * math.log2(lit.f_number / rig.aperture)
        change = 2.0 * math.log2(target / lit.f_number)
    return Meter(
        iso=iso,
        shutter=shutter,
        aperture=rig.aperture,
        lights=lights,
        lit=lit,
        shadow=shadow,
        backdrop=read_(m.backdrop),
        ratio_stops=ratio_stops,
        exposure_stops=exposure_stops,
        target_aperture=target,
        power_change_stops=change,
        notes=_notes(lights, shutter, change),
    )


def _notes(lights: tuple[LightMeter, ...], shutter: float, change: float | None) -> tuple[str, ...]:
    notes: list[str] = []
    assumed = [str(x.light.role) for x in lights if not x.power_stated]
    if assumed:
        notes.append(
            f"{', '.join(assumed)}: no power stated, read as the reference light (f/16 at 1 m, "
            "ISO 100, at full power); give each light's power for absolute readings"
        )
    if shutter < _SYNC_S and any(x.light.is_directional for x in lights):
        notes.append(
            f"1/{round(1.0 / shutter):d} s is faster than a strobe's usual sync speed (1/250 s): "
            "use high-speed sync or a slower shutter"
        )
    if change is not None and change > 0.0:
        for x in lights:
            over = math.log2(x.light.intensity) + change  # stops over full power (log: no overflow)
            if over > 0.0:
                closer = x.light.distance / 2.0 ** min(over / 2.0, 512.0)
                notes.append(
                    f"{x.light.role} would need {over:.1f} stops over full power: "
                    f"move it to {closer:.2f} m or raise the ISO"
                )
    return tuple(notes)
