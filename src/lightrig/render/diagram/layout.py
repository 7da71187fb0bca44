"""Where a light's label goes: a search around its icon for a box that stays in the drawing
and clear of everything drawn so far.

Candidates turn away from the light's outward direction (from the subject through the light)
by 0°, ±35°, ±70°, ±110°, ±150° and 180°, at 5, 20, 38, 60, 90, 125 and 165 px beyond the icon;
they are tried from the least turned and nearest (a turn of 35° weighs as much as 12 px of gap).
Labels never overlap one another: the first candidate clear of everything wins; failing that,
the first clear of the other labels (it may cover a guide or a ring's words); only when no
candidate is clear of the labels does the one overlapping them least win. A label set away from
its light is joined to it by a leader line (:mod:`.labels`). Lengths are viewBox units.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

from lightrig.render.diagram.boxes import Box
from lightrig.render.diagram.canvas import AREA_W, VIEW_H

__all__ = ["LABEL_BOUNDS", "Anchor", "place_label"]


class Anchor(Protocol):
    """What a label is placed around: a drawn thing's centre (``x``, ``y``), the radius
    enclosing it (``extent``) and the unit vector pointing away from what it surrounds
    (``outward``); a plan view's :class:`~.placement.Placed` light is one."""

    @property
    def x(self) -> float: ...

    @property
    def y(self) -> float: ...

    @property
    def extent(self) -> float: ...

    @property
    def outward(self) -> tuple[float, float]: ...


#: Where labels may go: the drawing, less a small margin.
LABEL_BOUNDS = Box(6.0, 6.0, AREA_W - 6.0, VIEW_H - 4.0)

_TURNS_DEG = (0.0, 35.0, -35.0, 70.0, -70.0, 110.0, -110.0, 150.0, -150.0, 180.0)
_GAPS_PX = (5.0, 20.0, 38.0, 60.0, 90.0, 125.0, 165.0)


def _candidate(p: Anchor, turn: float, gap: float, w: float, h: float) -> Box:
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


def place_label(
    p: Anchor,
    w: float,
    h: float,
    obstacles: Sequence[Box],
    labels: Sequence[Box] = (),
    *,
    bounds: Box = LABEL_BOUNDS,
) -> Box:
    """The first ``w`` × ``h`` box (px) around the icon of ``p``, outward side first, that stays
    in the drawing (``bounds``: the plan view's unless given) and clear of every obstacle and
    of the ``labels`` already placed; failing that, the first inside the drawing clear of the
    labels; failing that, the one overlapping the labels (then the obstacles) least, kept
    inside the drawing."""
    candidates = sorted(
        (abs(turn) / 35.0 + gap / 12.0, index, turn, gap)
        for index, (turn, gap) in enumerate((t, g) for g in _GAPS_PX for t in _TURNS_DEG)
    )
    clear_of_labels: Box | None = None
    best: Box | None = None
    best_overlap = (math.inf, math.inf)
    for _, _, turn, gap in candidates:
        box = _candidate(p, turn, gap, w, h)
        inside = box.within(bounds)
        box = box.clamped(bounds)
        on_labels = sum(box.overlap(o) for o in labels)
        on_others = sum(box.overlap(o) for o in obstacles)
        if inside and on_labels == 0.0:
            if on_others == 0.0:
                return box
            if clear_of_labels is None:
                clear_of_labels = box
        if (on_labels, on_others) < best_overlap:
            best, best_overlap = box, (on_labels, on_others)
    if clear_of_labels is not None:
        return clear_of_labels
    assert best is not None
    return best
