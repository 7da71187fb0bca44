"""lightrig's ComfyUI node pack: lighting setups, their analysis, FIBO prompt, preview and
diagram, and the light of pictures checked and matched, as ComfyUI nodes.

Written against ComfyUI's plain node interface (classes with ``INPUT_TYPES``, ``RETURN_TYPES``,
``RETURN_NAMES``, ``FUNCTION``, ``CATEGORY`` and ``OUTPUT_NODE``, collected in
:data:`NODE_CLASS_MAPPINGS` and :data:`NODE_DISPLAY_NAME_MAPPINGS`), and importing nothing of
ComfyUI: the folder ComfyUI loads (``comfyui/lightrig_nodes`` in the repository, placed under a
ComfyUI's ``custom_nodes``) only re-exports these two mappings from the installed ``lightrig``.
torch, which ComfyUI brings and lightrig does not depend on, is imported inside the functions
that make or read IMAGE tensors.

Setups travel between nodes on the ``LIGHTRIG_SETUP`` socket type as a scene request's JSON
text (:mod:`lightrig.comfyui.setup`).
"""

from __future__ import annotations

from typing import Any

from lightrig.comfyui.checking import CheckLightNode, MatchLightNode
from lightrig.comfyui.describe import AnalysisNode, FiboPromptNode
from lightrig.comfyui.pictures import DiagramNode, PreviewNode
from lightrig.comfyui.setup import SETUP, LightsSetupNode, PresetSetupNode, WordsSetupNode

__all__ = ["NODE_CLASS_MAPPINGS", "NODE_DISPLAY_NAME_MAPPINGS", "SETUP"]

#: Each node's id in a workflow, and its class.
NODE_CLASS_MAPPINGS: dict[str, type[Any]] = {
    "LightrigPresetSetup": PresetSetupNode,
    "LightrigWordsSetup": WordsSetupNode,
    "LightrigLightsSetup": LightsSetupNode,
    "LightrigAnalysis": AnalysisNode,
    "LightrigFiboPrompt": FiboPromptNode,
    "LightrigPreviewRender": PreviewNode,
    "LightrigDiagram": DiagramNode,
    "LightrigCheckLight": CheckLightNode,
    "LightrigMatchLight": MatchLightNode,
}
#: The names ComfyUI shows for them.
NODE_DISPLAY_NAME_MAPPINGS: dict[str, str] = {
    "LightrigPresetSetup": "Lighting Setup (preset)",
    "LightrigWordsSetup": "Lighting Setup (words)",
    "LightrigLightsSetup": "Lighting Setup (lights)",
    "LightrigAnalysis": "Lighting Analysis",
    "LightrigFiboPrompt": "FIBO Structured Prompt",
    "LightrigPreviewRender": "Preview Render",
    "LightrigDiagram": "Lighting Diagram",
    "LightrigCheckLight": "Check Light",
    "LightrigMatchLight": "Match Light",
}
