"""The nodes that put a setup into words: Lighting Analysis (a photographer's reading) and FIBO
Structured Prompt (the JSON text Bria's FIBO nodes take as their ``structured_prompt``).

Both are output nodes: what they write is also returned to ComfyUI as ``ui.text``, so it is in
the run's ``/history`` whether or not anything is wired to them.
"""

from __future__ import annotations

from typing import Any

from lightrig.comfyui.setup import CATEGORY, SETUP, setup_request

__all__ = ["AnalysisNode", "FiboPromptNode"]


class AnalysisNode:
    """The analyzer's reading of a setup: a summary, and the whole analysis as JSON."""

    CATEGORY = CATEGORY
    DESCRIPTION = "Ratio, pattern, colour, shadows, mood and rating of a lighting setup."
    RETURN_TYPES = ("STRING", "STRING")
    RETURN_NAMES = ("summary", "analysis_json")
    FUNCTION = "analyze"
    OUTPUT_NODE = True

    @classmethod
    def INPUT_TYPES(cls) -> dict[str, Any]:  # noqa: N802 - ComfyUI's name
        return {"required": {"setup": (SETUP,)}}

    def analyze(self, setup: str) -> dict[str, Any]:
        from lightrig.analysis.analyzer import LightingAnalyzer  # noqa: PLC0415

        analysis = LightingAnalyzer().analyze(setup_request(setup))
        lines = [analysis.summary, *analysis.recommendations, *analysis.warnings]
        summary = "\n".join(lines)
        whole = analysis.model_dump_json(indent=2)
        return {"ui": {"text": [summary]}, "result": (summary, whole)}


class FiboPromptNode:
    """The setup compiled into FIBO's structured prompt, as the compact JSON text FIBO is
    sent (``lightrig.fibo.compile.prompt_json``)."""

    CATEGORY = CATEGORY
    DESCRIPTION = "FIBO's structured prompt for a lighting setup (JSON text)."
    RETURN_TYPES = ("STRING",)
    RETURN_NAMES = ("structured_prompt",)
    FUNCTION = "compile"
    OUTPUT_NODE = True

    @classmethod
    def INPUT_TYPES(cls) -> dict[str, Any]:  # noqa: N802 - ComfyUI's name
        return {"required": {"setup": (SETUP,)}}

    def compile(self, setup: str) -> dict[str, Any]:
        from lightrig.fibo.compile import compile_prompt, prompt_json  # noqa: PLC0415

        text = prompt_json(compile_prompt(setup_request(setup)))
        return {"ui": {"text": [text]}, "result": (text,)}
