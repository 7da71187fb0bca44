"""Axis-aligned boxes on the drawing: what labels must keep clear of, and where they go.

Coordinates are viewBox units, y growing downward.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Box"]


@dataclass(frozen=True, slots=True)
class Box:
    """The box from (``x0``, ``y0``), its top left, to (``x1``, ``y1``), its bottom right."""

    x0: float
    y0: float
    x1: float
    y1: float

    @classmethod
    def around(cls, x: float, y: float, radius: float) -> Box:
        """The square enclosing the circle of ``radius`` around (``x``, ``y``)."""
        return cls(x - radius, y - radius, x + radius, y + radius)

    def overlap(self, other: Box) -> float:
        """The area (square units) this box shares with ``other``; 0 when they only touch."""
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return w * h if w > 0.0 and h > 0.0 else 0.0

    def within(self, bounds: Box) -> bool:
        """Whether this box lies entirely inside ``bounds`` (edges may touch)."""
        return (
            self.x0 >= bounds.x0
            and self.y0 >= bounds.y0
            and self.x1 <= bounds.x1
            and self.y1 <= bounds.y1
        )

    def clamped(self, bounds: Box) -> Box:
        """This box moved the least distance that puts it inside ``bounds`` (as far as it fits)."""
        dx = max(bounds.x0 - self.x0, 0.0) + min(bounds.x1 - self.x1, 0.0)
        dy = max(bounds.y0 - self.y0, 0.0) + min(bounds.y1 - self.y1, 0.0)
        return Box(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)

    def nearest(self, x: float, y: float) -> tuple[float, float]:
        """The point of this box nearest to (``x``, ``y``)."""
        return min(max(x, self.x0), self.x1), min(max(y, self.y0), self.y1)
