"""The nodes that draw a setup: Preview Render (lightrig's shaded bust under the setup's
lights) and Lighting Diagram (the top-down studio sketch, drawn to pixels by
:mod:`lightrig.render.diagram.raster`). Each gives an IMAGE batch of one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lightrig.comfyui.setup import CATEGORY, SETUP, setup_request
from lightrig.comfyui.tensors import to_image_batch

if TYPE_CHECKING:
    from lightrig.render.preview import PreviewRenderer

__all__ = ["DiagramNode", "PreviewNode"]


class PreviewNode:
    """The preview renderer's picture of a setup, ``size`` pixels square."""

    CATEGORY = CATEGORY
    DESCRIPTION = "A rendered preview of the setup's light on a bust (CPU, well under a second)."
    RETURN_TYPES = ("IMAGE",)
    RETURN_NAMES = ("image",)
    FUNCTION = "render"
    OUTPUT_NODE = False

    def __init__(self) -> None:
        self._renderer: PreviewRenderer | None = None

    @classmethod
    def INPUT_TYPES(cls) -> dict[str, Any]:  # noqa: N802 - ComfyUI's name
        return {
            "required": {
                "setup": (SETUP,),
                "size": ("INT", {"default": 512, "min": 64, "max": 2048, "step": 64}),
                "supersample": ("INT", {"default": 2, "min": 1, "max": 4}),
            }
        }

    def render(self, setup: str, size: int, supersample: int) -> tuple[Any]:
        if self._renderer is None:
            from lightrig.render.preview import PreviewRenderer  # noqa: PLC0415 - numba

            self._renderer = PreviewRenderer()
        picture = self._renderer.render(setup_request(setup), size, supersample=supersample)
        return (to_image_batch([picture.srgb]),)


class DiagramNode:
    """The lighting diagram, ``width`` pixels wide (its height is 0.8 of that)."""

    CATEGORY = CATEGORY
    DESCRIPTION = "The top-down lighting diagram of the setup, as an image."
    RETURN_TYPES = ("IMAGE",)
    RETURN_NAMES = ("image",)
    FUNCTION = "draw"
    OUTPUT_NODE = False

    @classmethod
    def INPUT_TYPES(cls) -> dict[str, Any]:  # noqa: N802 - ComfyUI's name
        return {
            "required": {
                "setup": (SETUP,),
                "width": ("INT", {"default": 720, "min": 240, "max": 2880, "step": 40}),
            }
        }

    def draw(self, setup: str, width: int) -> tuple[Any]:
        from lightrig.analysis.analyzer import LightingAnalyzer  # noqa: PLC0415
        from lightrig.render.diagram import lighting_diagram  # noqa: PLC0415
        from lightrig.render.diagram.raster import rasterise_diagram  # noqa: PLC0415

        request = setup_request(setup)
        svg = lighting_diagram(request, LightingAnalyzer().analyze(request))
        return (to_image_batch([rasterise_diagram(svg, width)]),)
