"""ComfyUI's IMAGE values and lightrig's pictures: a batch tensor ``[B, H, W, C]`` of float32
sRGB values 0–1 (C = 3) on one side, a list of ``H × W × 3`` ``uint8`` arrays on the other.

torch is imported inside the functions: ComfyUI brings it, lightrig does not depend on it, and
importing :mod:`lightrig.comfyui` without torch works (only these conversions need it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["from_image_batch", "to_image_batch"]


def to_image_batch(pictures: Sequence[npt.NDArray[np.uint8]]) -> Any:
    """``pictures`` (``uint8`` ``H × W × 3``, all one size) as one IMAGE batch: a float32
    torch tensor ``[B, H, W, 3]``, values 0–1."""
    import torch  # noqa: PLC0415 - ComfyUI's, by need

    if not pictures:
        raise ValueError("an image batch needs at least one picture")
    stack = np.stack([np.asarray(p, dtype=np.float32) / np.float32(255.0) for p in pictures])
    return torch.from_numpy(np.ascontiguousarray(stack[..., :3]))


def from_image_batch(images: Any) -> list[npt.NDArray[np.uint8]]:
    """Each picture of an IMAGE batch (``[B, H, W, C]``, C 1, 3 or 4, values 0–1; a single
    ``[H, W, C]`` picture is taken as a batch of one) as ``uint8`` ``H × W × 3``, alpha
    dropped. :class:`ValueError` naming the shape for anything else."""
    array = np.asarray(
        images.detach().cpu().float().numpy() if hasattr(images, "detach") else images
    )
    if array.ndim == 3:
        array = array[None]
    if array.ndim != 4 or array.shape[-1] not in (1, 3, 4) or array.shape[0] == 0:
        raise ValueError(
            f"images: got a tensor of shape {tuple(array.shape)}; accepted: [B, H, W, C] "
            "with B ≥ 1 and C 1, 3 or 4"
        )
    if not np.all(np.isfinite(array)):
        raise ValueError("images: the tensor holds NaN or infinite values; accepted: 0–1")
    if array.shape[-1] == 1:
        array = np.repeat(array, 3, axis=-1)
    encoded = np.clip(np.rint(array[..., :3] * 255.0), 0, 255).astype(np.uint8)
    return [np.ascontiguousarray(picture) for picture in encoded]
