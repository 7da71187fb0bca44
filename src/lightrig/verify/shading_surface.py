"""The face as the shading fit sees it: each pixel's unit normal (camera frame) and, when known,
how visible each direction is from it (the cast shadows of the nose, brows and chin), and the
light a unit-strength source from a direction gives each pixel (Lambert's cosine law, cut off
where it grazes the surface, dimmed by its visibility)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from lightrig.verify.shading_directions import FloatArray

__all__ = ["Surface", "Visibility"]


class Visibility(Protocol):
    """How visible directions are from each of a face's pixels (see
    :class:`lightrig.verify.occlusion.Occlusion`)."""

    def take(self, index: npt.NDArray[np.intp]) -> Visibility:
        """The same for a subset of the pixels."""
        ...

    def __call__(self, directions: FloatArray) -> FloatArray:
        """Visibility 0–1 (N × C) of C unit directions (C × 3)."""
        ...


@dataclass(frozen=True)
class Surface:
    """The face's pixels as the fit sees them: unit normals (N × 3) and, when known, the
    visibility of directions from each."""

    normals: FloatArray
    visibility: Visibility | None

    def take(self, index: npt.NDArray[np.intp]) -> Surface:
        return Surface(
            self.normals[index], None if self.visibility is None else self.visibility.take(index)
        )

    def lit(self, directions: FloatArray) -> FloatArray:
        """The light (N × C) each of C unit directions (C × 3) of unit strength gives."""
        cosine = np.maximum(self.normals @ directions.T, 0.0)
        if self.visibility is not None:
            cosine = cosine * self.visibility(directions)
        return np.asarray(cosine, dtype=np.float64)

    def one(self, direction: FloatArray) -> FloatArray:
        """The light (N) a unit-strength light from ``direction`` gives."""
        return self.lit(direction[None, :])[:, 0]
