"""Colour-correction gels, and the gel that brings one light to another's colour.

Gels add mireds (Lee Filters' published shifts): CTO warms, CTB cools. Stacking gels adds their
shifts. A suggestion is the single gel, or the stack of two from the same family, whose shift comes
closest to what is needed; a second gel is only worth it when it gets at least 8 mired closer
(about one just-noticeable difference).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations_with_replacement

from lightrig.lighting.colour import kelvin_from_mired, mired
from lightrig.lighting.vocabulary import GELS as VOCABULARY_GELS
from lightrig.lighting.vocabulary import GelWords

__all__ = ["GELS", "Gel", "GelSuggestion", "gelled_kelvin", "suggest_gel"]

#: A difference in mireds below which two lights read as matched.
MATCHED_MIRED = 10.0
_WORTH_A_SECOND_GEL = 8.0


#: A correction gel: its ``name`` and its ``mired_shift`` (positive warms).
Gel = GelWords

#: The gels there are (the vocabulary's table).
GELS: tuple[Gel, ...] = VOCABULARY_GELS


@dataclass(frozen=True, slots=True)
class GelSuggestion:
    """Gels to put on a light: their names, total shift and what is left over (mireds)."""

    gels: tuple[Gel, ...]
    shift: float
    residual: float

    @property
    def label(self) -> str:
        """``"1/2 CTO"`` or ``"full CTO + 1/4 CTO"``."""
        return " + ".join(g.name for g in self.gels)


def gelled_kelvin(kelvin: float, gels: tuple[Gel, ...]) -> float:
    """The colour temperature in kelvin of a ``kelvin`` light behind ``gels``."""
    return kelvin_from_mired(mired(kelvin) + sum(g.mired_shift for g in gels))


@lru_cache(maxsize=1024)
def suggest_gel(needed_shift: float) -> GelSuggestion | None:
    """The gel stack closest to ``needed_shift`` mireds, or ``None`` when no gel is needed.

    No gel is needed within 10 mired (the lights already read as matched).
    """
    if abs(needed_shift) <= MATCHED_MIRED:
        return None
    family = [g for g in GELS if (g.mired_shift > 0) == (needed_shift > 0)]
    single = min(family, key=lambda g: abs(needed_shift - g.mired_shift))
    pair = min(
        combinations_with_replacement(family, 2),
        key=lambda p: abs(needed_shift - p[0].mired_shift - p[1].mired_shift),
    )
    pair_shift = pair[0].mired_shift + pair[1].mired_shift
    if abs(needed_shift - pair_shift) + _WORTH_A_SECOND_GEL <= abs(
        needed_shift - single.mired_shift
    ):
        return GelSuggestion(pair, pair_shift, needed_shift - pair_shift)
    return GelSuggestion((single,), single.mired_shift, needed_shift - single.mired_shift)
