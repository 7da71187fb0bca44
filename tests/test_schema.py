"""The ten-key schema: strict for what lightrig sends, lenient for captions it reads."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lightrig.errors import InvalidStructuredPromptError
from lightrig.fibo.compile import compile_prompt
from lightrig.fibo.schema import validate_prompt
from lightrig.presets import PRESETS

CAPTIONS = Path(__file__).parent / "fixtures" / "captions"


def _valid() -> dict[str, Any]:
    return compile_prompt(PRESETS["loop"].request())


def _problems(data: Any, *, strict: bool = True) -> dict[str, str]:
    with pytest.raises(InvalidStructuredPromptError) as caught:
        validate_prompt(data, strict=strict)
    return {e.loc: e.message for e in caught.value.errors}


def test_a_compiled_prompt_passes() -> None:
    validate_prompt(_valid())


def test_extra_keys_are_refused() -> None:
    data = _valid()
    data["seed"] = 5
    assert "Extra inputs are not permitted" in _problems(data)["seed"]
    data = _valid()
    data["lighting"]["intensity"] = "high"
    assert "lighting.intensity" in _problems(data)


def test_empty_values_are_refused_in_strict_mode_only() -> None:
    data = _valid()
    data = {
        **{k: v for k, v in data.items() if k != "context"},
        "text_render": [],
        "context": data["context"],
    }
    data.pop("artistic_style")
    data["objects"][0]["pose"] = None
    problems = _problems(data)
    assert set(problems) == {"text_render", "objects.0.pose"}
    validate_prompt(data, strict=False)


def test_required_keys_order_and_limits() -> None:
    data = _valid()
    del data["context"]
    assert "context" in _problems(data)
    reordered = dict(reversed(list(_valid().items())))
    assert "FIBO's order" in _problems(reordered)[""]
    data = _valid()
    data["short_description"] = "word " * 201
    assert "201 words" in _problems(data)["short_description"]
    data = _valid()
    data["objects"] = data["objects"] * 6
    assert "objects" in _problems(data)
    assert "JSON object" in _problems(["not", "a", "prompt"])[""]


@pytest.mark.parametrize("path", sorted(CAPTIONS.glob("*.json")), ids=lambda p: p.stem)
def test_published_style_captions_pass_the_lenient_schema(path: Path) -> None:
    validate_prompt(json.loads(path.read_text()), strict=False)
