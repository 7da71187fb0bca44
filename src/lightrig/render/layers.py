"""Each light's shaded layer of a frame, kept: a frame is the sum of its lights' layers.

Light adds: a frame's linear radiance is the ambient light's contribution plus each light's own,
and each of those depends only on what the camera sees (the geometry pass of its framing), the
materials (the subject's skin, the backdrop's colour) and that one light's row of the light
table. So the light pass shades every light into a layer of its own and sums them, and a
:class:`LayerCache` keeps the layers of the last frame of each framing: when one light moves — a
drag in the studio — only that light is shaded again and the others' layers are summed from the
cache. The full frame at the end of a drag shades the dragged light alone, since the other
lights' full-size layers are still kept from the last full frame (a drag's low-resolution frames
are another framing, kept apart).

A layer's key says everything it was shaded from, so a kept layer is the very layer a fresh
render would shade: a cached frame is the same picture as one rendered from scratch.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Mapping

import numpy as np
import numpy.typing as npt

__all__ = ["DEFAULT_BUDGET_BYTES", "LayerCache"]

#: The bytes of layers a renderer keeps by default: about 28 layers of a 610 px frame
#: (4.5 MB each).
DEFAULT_BUDGET_BYTES = 128 * 1024 * 1024

Layers = Mapping[Hashable, npt.NDArray[np.float32]]


class LayerCache:
    """The layers (float32 arrays, by a key of what each was shaded from) of the last frame of
    each group — a framing and the way its frames are shaded — the least recently used groups
    dropped first once they hold more than ``budget_bytes`` (≥ 0; 0 keeps nothing)."""

    def __init__(self, budget_bytes: int = DEFAULT_BUDGET_BYTES) -> None:
        if budget_bytes < 0:
            raise ValueError(f"budget_bytes: got {budget_bytes}; accepted: 0 or more")
        self._budget = budget_bytes
        self._groups: OrderedDict[Hashable, dict[Hashable, npt.NDArray[np.float32]]] = OrderedDict()
        self._bytes = 0

    @property
    def budget_bytes(self) -> int:
        """The most bytes of layers kept."""
        return self._budget

    @property
    def nbytes(self) -> int:
        """The bytes of the layers kept now."""
        return self._bytes

    def layers(self, group: Hashable) -> Layers:
        """The layers of ``group``'s last frame (empty when none are kept)."""
        return self._groups.get(group, {})

    def keep(self, group: Hashable, layers: Layers) -> None:
        """Keep ``layers`` (made read-only) as ``group``'s, in place of those it had, dropping
        the least recently kept groups while the budget is exceeded; a frame whose layers alone
        exceed it is not kept."""
        old = self._groups.pop(group, None)
        if old is not None:
            self._bytes -= sum(layer.nbytes for layer in old.values())
        size = sum(layer.nbytes for layer in layers.values())
        if size > self._budget:
            return
        for layer in layers.values():
            layer.flags.writeable = False
        self._groups[group] = dict(layers)
        self._bytes += size
        while self._bytes > self._budget:
            _, gone = self._groups.popitem(last=False)
            self._bytes -= sum(layer.nbytes for layer in gone.values())

    def clear(self) -> None:
        """Drop every layer."""
        self._groups.clear()
        self._bytes = 0
