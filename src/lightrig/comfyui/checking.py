"""The nodes that read pictures: Check Light (how well each picture of a batch follows a setup,
and a gate that passes only those at or above a bar) and Match Light (the setup that
reproduces a picture's light).

The gate. Check Light's ``passed`` output is the input batch with every picture below the bar
(or whose light cannot be read) taken out, in order; when none passes it is an empty batch
(``[0, H, W, 3]``), which ComfyUI's save and preview nodes take as nothing to save. ``passed_count``
says how many passed, ``score`` is the batch's mean adherence (0–1; a picture that cannot be
read counts 0), and ``findings`` has one block per picture: its score or why there is none,
the verifier's verdict and its findings.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from lightrig.comfyui.setup import CATEGORY, SETUP, setup_json, setup_request
from lightrig.comfyui.tensors import from_image_batch
from lightrig.verify.encoding import Encoding

if TYPE_CHECKING:
    from lightrig.render.preview import PreviewRenderer

__all__ = ["CheckLightNode", "MatchLightNode"]

_ENCODING_INPUT = (
    [e.value for e in Encoding],
    {
        "default": Encoding.DISPLAY.value,
        "tooltip": "How the pictures' values relate to the light: display (made for a screen), "
        "srgb (the plain sRGB curve) or linear.",
    },
)


class CheckLightNode:
    """Scores each picture against a setup and passes those at or above ``bar``."""

    CATEGORY = CATEGORY
    DESCRIPTION = "How well pictures follow a lighting setup; passes only those at the bar."
    RETURN_TYPES = ("IMAGE", "FLOAT", "STRING", "INT")
    RETURN_NAMES = ("passed", "score", "findings", "passed_count")
    FUNCTION = "check"
    OUTPUT_NODE = True

    def __init__(self) -> None:
        self._renderer: PreviewRenderer | None = None

    @classmethod
    def INPUT_TYPES(cls) -> dict[str, Any]:  # noqa: N802 - ComfyUI's name
        return {
            "required": {
                "images": ("IMAGE",),
                "setup": (SETUP,),
                "bar": ("FLOAT", {"default": 0.6, "min": 0.0, "max": 1.0, "step": 0.01}),
                "encoding": _ENCODING_INPUT,
            }
        }

    def check(self, images: Any, setup: str, bar: float, encoding: str) -> dict[str, Any]:
        import torch  # noqa: PLC0415 - ComfyUI's, by need

        from lightrig.render.preview import PreviewRenderer  # noqa: PLC0415 - numba
        from lightrig.verify.scoring import verify_image  # noqa: PLC0415

        if self._renderer is None:
            self._renderer = PreviewRenderer()
        request = setup_request(setup)
        pictures = from_image_batch(images)
        scores: list[float] = []
        blocks: list[str] = []
        for index, picture in enumerate(pictures):
            report = verify_image(picture, request, self._renderer, encoding=Encoding(encoding))
            adherence = report.adherence
            overall = None if adherence is None else adherence.overall
            scores.append(0.0 if overall is None else overall)
            head = f"picture {index}: " + ("no score" if overall is None else f"{overall:.2f}")
            lines = [head]
            if adherence is not None:
                lines += [adherence.verdict, *adherence.findings]
            blocks.append("\n".join(lines))
        kept = [
            i for i, (s, p) in enumerate(zip(scores, pictures, strict=True)) if s >= bar and p.size
        ]
        batch = torch.as_tensor(images, dtype=torch.float32)
        if batch.ndim == 3:
            batch = batch[None]
        passed = batch[kept] if kept else batch[:0]
        score = sum(scores) / len(scores)
        findings = "\n\n".join(blocks)
        return {
            "ui": {"text": [findings], "score": [score], "passed_count": [len(kept)]},
            "result": (passed, score, findings, len(kept)),
        }


class MatchLightNode:
    """The setup that reproduces the light of the batch's first picture."""

    CATEGORY = CATEGORY
    DESCRIPTION = "A lighting setup matched to a reference picture's light."
    RETURN_TYPES = (SETUP, "STRING")
    RETURN_NAMES = ("setup", "reading")
    FUNCTION = "match"
    OUTPUT_NODE = False

    @classmethod
    def INPUT_TYPES(cls) -> dict[str, Any]:  # noqa: N802 - ComfyUI's name
        return {"required": {"image": ("IMAGE",), "encoding": _ENCODING_INPUT}}

    def match(self, image: Any, encoding: str) -> tuple[str, str]:
        from lightrig.verify.match import match_estimate  # noqa: PLC0415
        from lightrig.verify.scoring import verify_image  # noqa: PLC0415

        picture = from_image_batch(image)[0]
        report = verify_image(picture, None, encoding=Encoding(encoding))
        matched = match_estimate(report.estimate)  # UnmatchableError is a ValueError
        reading = json.dumps(
            {
                "parts": {k: v.model_dump(mode="json") for k, v in matched.parts.items()},
                "notes": matched.notes,
            },
            ensure_ascii=False,
            indent=2,
        )
        return setup_json(matched.request), reading
