"""What a light puts out at full power, in absolute units, and the reference it is measured by.

A light may state its power one of three ways (see :class:`~lightrig.models.power.LightPower`):

- a strobe's energy in **watt-seconds**: its guide number through a standard 55° reflector is
  taken as ``3.6 m · √Ws`` at ISO 100 (the middle of monolights' published figures: 200 Ws ≈ 51,
  400 Ws ≈ 72, 600 Ws ≈ 88), then its modifier's on-axis efficiency is applied;
- a **guide number** in metres at ISO 100, measured through its modifier (``GN = d × N``);
- a continuous source's **lux at 1 m**, measured through its modifier.

A modifier's on-axis efficiency is its transmission times the share of a standard reflector's
beam it keeps on axis: ``t · Ω(55°) / Ω(beam)``, with ``Ω(θ) = 2π(1 − cos θ/2)`` the beam's
solid angle (:data:`MODIFIER_OUTPUT` lists each modifier's transmission and beam angle).

A light that states no power is the *reference light*: at full power it gives f/16 at 1 m at
ISO 100 (guide number 16 — a 100 Ws monolight through a softbox). The analysis's relative
illuminance ("1.0 = a full-power light 1 m away") is measured in units of the reference, so
setups that state no power read as they always did. A flash's exposure does not depend on the
shutter; a continuous source's does (exposure = illuminance × time): a continuous light that
states no power is as bright as the reference at the default 1/125 s.

Exposure is in lux-seconds (lx·s) at 1 m on a surface facing the light squarely; the far-field
value — nearer in, the analysis's round-source correction applies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

from lightrig.lighting.modifiers import Modifier

__all__ = [
    "CONTINUOUS_MODIFIERS",
    "DEFAULT_SHUTTER_S",
    "GN_PER_ROOT_WATT_SECOND",
    "METER_CALIBRATION",
    "MODIFIER_OUTPUT",
    "REFERENCE_EXPOSURE",
    "REFERENCE_GUIDE_NUMBER",
    "ModifierOutput",
    "PowerKind",
    "exposure_at_1m",
    "guide_number_for_exposure",
    "modifier_efficiency",
]

#: The incident-light meter's calibration constant for a flat receptor, lux (ISO 2720 allows
#: 240–400; 250 is the common flat-disc figure): ``N² / t = E · S / C``.
METER_CALIBRATION = 250.0
#: The ISO speed guide numbers are quoted at.
_GUIDE_ISO = 100.0
#: Guide number (metres, ISO 100) per √watt-second through a standard 55° reflector.
GN_PER_ROOT_WATT_SECOND = 3.6
#: The guide number of the reference light at full power: f/16 at 1 m, ISO 100.
REFERENCE_GUIDE_NUMBER = 16.0
#: The shutter (seconds) at which a continuous light that states no power matches the reference.
DEFAULT_SHUTTER_S = 1.0 / 125.0
#: The standard reflector's beam, degrees (full angle).
_STANDARD_BEAM_DEG = 55.0


def _exposure_for_guide_number(guide_number: float) -> float:
    """Lux-seconds at 1 m that give f/``guide_number`` at ISO 100: ``H = N² · C / S``."""
    return guide_number * guide_number * METER_CALIBRATION / _GUIDE_ISO


#: The reference light's full-power exposure at 1 m, lux-seconds (6 400 lx·s).
REFERENCE_EXPOSURE = _exposure_for_guide_number(REFERENCE_GUIDE_NUMBER)


class PowerKind(StrEnum):
    """How a light's power is stated."""

    WATT_SECONDS = "watt_seconds"
    GUIDE_NUMBER = "guide_number"
    LUX_AT_1M = "lux_at_1m"


@dataclass(frozen=True, slots=True)
class ModifierOutput:
    """A modifier's light budget: ``transmission`` 0–1 (what its diffusion or reflector keeps)
    and ``beam_deg``, the full angle its light spreads into, degrees."""

    transmission: float
    beam_deg: float


#: Each modifier's transmission and beam angle. Approximate figures for typical examples (a
#: double-diffused softbox keeps about 70 %, a fresnel focuses to about 30°); their on-axis
#: efficiencies against a standard reflector run from +1.0 stop (fresnel) to −3.7 (scrim).
#: Windows and the sky are daylight, measured in lux when stated.
MODIFIER_OUTPUT: dict[Modifier, ModifierOutput] = {
    Modifier.BARE: ModifierOutput(1.0, 55.0),
    Modifier.SNOOT: ModifierOutput(0.15, 20.0),
    Modifier.FRESNEL: ModifierOutput(0.6, 30.0),
    Modifier.BEAUTY_DISH: ModifierOutput(0.9, 70.0),
    Modifier.SOFTBOX: ModifierOutput(0.7, 100.0),
    Modifier.OCTABOX: ModifierOutput(0.7, 110.0),
    Modifier.STRIP_BOX: ModifierOutput(0.7, 90.0),
    Modifier.UMBRELLA: ModifierOutput(0.8, 120.0),
    Modifier.REFLECTOR: ModifierOutput(0.6, 120.0),
    Modifier.SCRIM: ModifierOutput(0.5, 150.0),
    Modifier.WINDOW: ModifierOutput(1.0, 180.0),
    Modifier.OVERCAST: ModifierOutput(1.0, 180.0),
}

#: Sources that are continuous by nature (daylight): a stated power must be in lux.
CONTINUOUS_MODIFIERS = frozenset({Modifier.WINDOW, Modifier.OVERCAST})


def _solid_angle(beam_deg: float) -> float:
    """Steradians of a cone of full angle ``beam_deg``."""
    return 2.0 * math.pi * (1.0 - math.cos(math.radians(beam_deg) / 2.0))


def modifier_efficiency(modifier: Modifier | None) -> float:
    """On-axis output through ``modifier`` relative to a standard 55° reflector (1.0 for none)."""
    if modifier is None:
        return 1.0
    out = MODIFIER_OUTPUT[modifier]
    return out.transmission * _solid_angle(_STANDARD_BEAM_DEG) / _solid_angle(out.beam_deg)


def exposure_at_1m(
    kind: PowerKind | None,
    value: float | None,
    modifier: Modifier | None,
    shutter: float,
    *,
    continuous: bool = False,
) -> float:
    """Full-power exposure at 1 m on a surface facing the light (lux-seconds, far field).

    ``kind``/``value``: the stated power (``None``: the reference light). ``shutter``: seconds,
    which a continuous source's exposure is the product of. ``continuous``: a source that states
    no power but shines continuously (ambient light, windows, the sky).
    """
    if kind is None or value is None:
        if continuous:
            return REFERENCE_EXPOSURE * shutter / DEFAULT_SHUTTER_S
        return REFERENCE_EXPOSURE
    if kind is PowerKind.LUX_AT_1M:
        return value * shutter
    if kind is PowerKind.GUIDE_NUMBER:
        return _exposure_for_guide_number(value)
    bare = GN_PER_ROOT_WATT_SECOND * math.sqrt(value)
    return _exposure_for_guide_number(bare) * modifier_efficiency(modifier)


def guide_number_for_exposure(exposure: float) -> float:
    """The guide number (metres, ISO 100) of a light giving ``exposure`` lx·s at 1 m."""
    return math.sqrt(exposure * _GUIDE_ISO / METER_CALIBRATION)
