"""What the photo-edit tests share: a photo to edit (a preview render of the bust, which lightrig
can read), and a structured instruction that asks for a different light."""

from __future__ import annotations

import functools
from typing import Any

from lightrig.backends.base import SourceImage
from lightrig.fibo.compile import compile_prompt
from lightrig.fibo.instruction import structured_instruction
from lightrig.fibo.refine import refine_prompt
from lightrig.models.scene import SceneRequest
from lightrig.presets import PRESETS
from lightrig.render.preview import PreviewRenderer

#: The photo's light: a loop key at camera-left.
PHOTO_REQUEST = PRESETS["loop"].request()
#: The light asked for: a hard key 70° camera-right, no fill.
RELIT = SceneRequest.model_validate(
    {
        "subject_description": "a woman with dark skin",
        "lighting_setup": {
            "key": {"azimuth": 70, "elevation": 20, "intensity": 0.8, "modifier": "bare"}
        },
    }
)
EDIT_WORDS = "relight her with a hard key from camera-right"


@functools.cache
def photo() -> SourceImage:
    """The bust under the loop preset, 160 px square, as a PNG photo."""
    data = PreviewRenderer().render(PHOTO_REQUEST, 160).png()
    return SourceImage(data=data, media_type="image/png", width=160, height=160)


def instruction() -> dict[str, Any]:
    """The photo's caption relit by :data:`RELIT`, with :data:`EDIT_WORDS`."""
    caption = compile_prompt(PHOTO_REQUEST.model_copy(update={"subject_description": "a woman"}))
    caption["objects"][0]["description"] = "A woman with dark skin."
    return structured_instruction(refine_prompt(caption, RELIT), EDIT_WORDS)
