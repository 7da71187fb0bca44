"""Where a light's label goes: a search around its icon for a box that stays in the drawing
and clear of everything drawn so far.

Candidates turn away from the light's outward direction (from the subject through the light)
by 0°, ±35°, ±70°, ±110°, ±150° and 180°, at 5, 20, 38 and 60 px beyond the icon; they are
tried from the least turned and nearest (a turn of 35° weighs as much as 12 px of gap). Lengths
are viewBox units.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from lightrig.render.diagram.boxes import Box
from lightrig.render.diagram.canvas import AREA_W, VIEW_H
from lightrig.render.diagram.placement import Placed

__all__ = ["LABEL_BOUNDS", "place_label"]

#: Where labels may go: the drawing, less a small margin.
LABEL_BOUNDS = Box(6.0, 6.0, AREA_W - 6.0, VIEW_H - 4.0)

_TURNS_DEG = (0.0, 35.0, -35.0, 70.0, -70.0, 110.0, -110.0, 150.0, -150.0, 180.0)
_GAPS_PX = (5.0, 20.0, 38.0, 60.0)


def _candidate(p: Placed, turn: float, gap: float, w: float, h: float) -> Box:
    """The ``w`` × ``h`` box ``gap`` px beyond the icon of ``p``, in its outward direction turned
    by ``turn`` degrees, on the far side of that point (centred on it where the direction is
    nearly along an axis)."""
    ox, oy = p.outward
    t = math.radians(turn)
    ux, uy = ox * math.cos(t) - oy * math.sin(t), ox * math.sin(t) + oy * math.cos(t)
    ax, ay = p.x + ux * (p.extent + gap), p.y + uy * (p.extent + gap)
    x0 = ax if ux > 0.35 else ax - w if ux < -0.35 else ax - w / 2.0
    y0 = ay if uy > 0.35 else ay - h if uy < -0.35 else ay - h / 2.0
    return Box(x0, y0, x0 + w, y0 + h)


def place_label(p: Placed, w: float, h: float, obstacles: Sequence[Box]) -> Box:
    """The first ``w`` × ``h`` box (px) around the icon of ``p``, outward side first, that stays
    in the drawing and clear of every obstacle; failing that, the one that overlaps least, kept
    inside the drawing."""
    candidates = sorted(
        (abs(turn) / 35.0 + gap / 12.0, index, turn, gap)
        for index, (turn, gap) in enumerate((t, g) for g in _GAPS_PX for t in _TURNS_DEG)
    )
    best: Box | None = None
    best_overlap = math.inf
    for _, _, turn, gap in candidates:
        box = _candidate(p, turn, gap, w, h)
        inside = box.within(LABEL_BOUNDS)
        box = box.clamped(LABEL_BOUNDS)
        overlap = sum(box.overlap(o) for o in obstacles)
        if inside and overlap == 0.0:
            return box
        if overlap < best_overlap:
            best, best_overlap = box, overlap
    assert best is not None
    return best
