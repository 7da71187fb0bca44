"""lightrig's ComfyUI nodes without ComfyUI: the node interface each class declares, the
loader folder, and what each node's function returns (types, tensor shapes and values, setups
that validate, a FIBO prompt that validates)."""

from __future__ import annotations

import ast
import asyncio
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.comfyui import NODE_CLASS_MAPPINGS, NODE_DISPLAY_NAME_MAPPINGS, SETUP
from lightrig.comfyui.checking import CheckLightNode, MatchLightNode
from lightrig.comfyui.describe import AnalysisNode, FiboPromptNode
from lightrig.comfyui.pictures import DiagramNode, PreviewNode
from lightrig.comfyui.setup import (
    LightsSetupNode,
    PresetSetupNode,
    WordsSetupNode,
    setup_json,
    setup_request,
)
from lightrig.comfyui.tensors import from_image_batch, to_image_batch
from lightrig.errors import InvalidLightingSetupError
from lightrig.fibo.compile import compile_prompt, prompt_json
from lightrig.fibo.schema import validate_prompt
from lightrig.presets import UnknownPresetError, get_preset
from lightrig.render.preview import PreviewRenderer

torch = pytest.importorskip("torch")

REPO = Path(__file__).resolve().parents[1]
PACK_SOURCE = REPO / "src" / "lightrig" / "comfyui"
LOADER = REPO / "comfyui" / "lightrig_nodes" / "__init__.py"
#: ComfyUI's own modules, none of which the pack may import.
COMFY_MODULES = {"comfy", "comfy_api", "comfy_execution", "nodes", "folder_paths", "server"}
#: The socket types ComfyUI itself knows, and lightrig's own.
KNOWN_TYPES = {"IMAGE", "STRING", "FLOAT", "INT", "BOOLEAN", SETUP}


@pytest.fixture(scope="module")
def rembrandt() -> str:
    return setup_json(get_preset("rembrandt").request())


@pytest.fixture(scope="module")
def preview(rembrandt: str) -> Any:
    (image,) = PreviewNode().render(rembrandt, 192, 1)
    return image


def _light_defaults() -> dict[str, Any]:
    required = LightsSetupNode.INPUT_TYPES()["required"]
    return {name: spec[1]["default"] for name, spec in required.items()}


# ---------------------------------------------------------------------------- the interface
@pytest.mark.parametrize("name", list(NODE_CLASS_MAPPINGS))
def test_each_node_declares_comfyuis_plain_interface(name: str) -> None:
    node = NODE_CLASS_MAPPINGS[name]
    assert NODE_DISPLAY_NAME_MAPPINGS[name]
    assert node.CATEGORY == "lightrig"
    assert isinstance(node.OUTPUT_NODE, bool)
    assert isinstance(node.RETURN_TYPES, tuple)
    assert set(node.RETURN_TYPES) <= KNOWN_TYPES
    assert len(node.RETURN_NAMES) == len(node.RETURN_TYPES)
    assert callable(getattr(node, node.FUNCTION))
    inputs = node.INPUT_TYPES()
    assert set(inputs) <= {"required", "optional"}
    for group in inputs.values():
        for spec in group.values():
            kind = spec[0]
            assert isinstance(kind, list) or kind in KNOWN_TYPES, spec
            if isinstance(kind, list) and len(spec) > 1:
                assert spec[1]["default"] in kind


def test_the_pack_imports_nothing_of_comfyui() -> None:
    for path in [*sorted(PACK_SOURCE.glob("*.py")), LOADER]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names = [node.module]
            for imported in names:
                assert imported.split(".")[0] not in COMFY_MODULES, f"{path.name}: {imported}"


def test_importing_the_pack_loads_no_torch() -> None:
    probe = "import sys, lightrig.comfyui; print('torch' in sys.modules)"
    found = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert found.stdout.strip() == "False"


def test_the_loader_folder_hands_comfyui_the_packs_mappings() -> None:
    spec = importlib.util.spec_from_file_location("lightrig_nodes", LOADER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.NODE_CLASS_MAPPINGS is NODE_CLASS_MAPPINGS
    assert module.NODE_DISPLAY_NAME_MAPPINGS is NODE_DISPLAY_NAME_MAPPINGS


# ---------------------------------------------------------------------------------- setups
def test_a_preset_setup_is_the_presets_request(rembrandt: str) -> None:
    (setup,) = PresetSetupNode().make("rembrandt")
    assert setup == rembrandt
    assert setup_request(setup) == get_preset("rembrandt").request()
    (other,) = PresetSetupNode().make("rembrandt", subject="a bronze bust")
    assert setup_request(other).subject_description == "a bronze bust"
    assert setup_request(other).lighting_setup == get_preset("rembrandt").request().lighting_setup


def test_an_unknown_preset_is_refused_naming_the_presets() -> None:
    with pytest.raises(UnknownPresetError, match="presets: rembrandt, "):
        PresetSetupNode().make("nonesuch")


def test_a_lights_setup_takes_each_lights_numbers() -> None:
    inputs = _light_defaults() | {"key_azimuth": 60.0, "key_kelvin": 3200.0, "fill_on": False}
    (setup,) = LightsSetupNode().make(**inputs)
    request = setup_request(setup)
    key = request.lighting_setup["key"]
    assert key.azimuth == 60.0
    assert key.color_temperature == 3200.0
    assert key.modifier is not None
    assert key.modifier.value == inputs["key_modifier"]
    assert request.lighting_setup["fill"].enabled is False
    assert request.lighting_setup["rim"].azimuth == inputs["rim_azimuth"]


def test_a_lights_setup_with_a_bad_value_names_the_field() -> None:
    inputs = _light_defaults() | {"key_intensity": 2.0}
    with pytest.raises(InvalidLightingSetupError, match=r"lighting_setup\.key\.intensity"):
        LightsSetupNode().make(**inputs)


def test_a_words_setup_reads_the_words(rembrandt: str) -> None:
    setup, reading = asyncio.run(WordsSetupNode().make("soft butterfly light, warm key"))
    assert "butterfly" in LightingAnalyzer().analyze(setup_request(setup)).pattern_names
    assert "butterfly" in json.loads(reading)["understood"]
    based, _ = asyncio.run(WordsSetupNode().make("hard split light", base=rembrandt))
    assert (
        setup_request(based).subject_description == "a man in his fifties with a short grey beard"
    )


def test_a_setup_that_is_not_json_is_refused() -> None:
    with pytest.raises(ValueError, match="setup: not a scene request"):
        AnalysisNode().analyze("{nope")


# ---------------------------------------------------------------------------------- words
def test_the_analysis_is_the_analyzers(rembrandt: str) -> None:
    result = AnalysisNode().analyze(rembrandt)
    summary, whole = result["result"]
    analysis = LightingAnalyzer().analyze(setup_request(rembrandt))
    assert summary.splitlines()[0] == analysis.summary
    assert result["ui"]["text"] == [summary]
    assert json.loads(whole)["pattern_names"] == analysis.pattern_names


def test_the_fibo_prompt_is_the_compilers_and_validates(rembrandt: str) -> None:
    result = FiboPromptNode().compile(rembrandt)
    (text,) = result["result"]
    assert text == prompt_json(compile_prompt(setup_request(rembrandt)))
    validate_prompt(json.loads(text))
    assert result["ui"]["text"] == [text]


# ---------------------------------------------------------------------------------- images
def test_the_preview_is_a_batch_of_one_float_picture(rembrandt: str, preview: Any) -> None:
    assert tuple(preview.shape) == (1, 192, 192, 3)
    assert preview.dtype == torch.float32
    assert float(preview.min()) >= 0.0
    assert float(preview.max()) <= 1.0
    expected = PreviewRenderer().render(setup_request(rembrandt), 192, supersample=1).srgb
    assert np.array_equal(from_image_batch(preview)[0], expected)


def test_the_diagram_is_a_picture_of_the_setup(rembrandt: str) -> None:
    (image,) = DiagramNode().draw(rembrandt, 480)
    assert tuple(image.shape) == (1, 384, 480, 3)
    assert image.dtype == torch.float32
    (other,) = DiagramNode().draw(setup_json(get_preset("butterfly").request()), 480)
    assert not torch.equal(image, other)
    picture = from_image_batch(image)[0]
    assert picture.std() > 20  # drawn, not blank


def test_check_light_passes_a_picture_that_follows_the_setup(rembrandt: str, preview: Any) -> None:
    result = CheckLightNode().check(preview, rembrandt, 0.6, "display")
    passed, score, findings, count = result["result"]
    assert count == 1
    assert score >= 0.6
    assert torch.equal(passed, preview)
    assert findings.startswith("picture 0: ")


def test_check_light_takes_out_what_is_under_the_bar(rembrandt: str, preview: Any) -> None:
    grey = torch.full_like(preview, 0.5)
    batch = torch.cat([grey, preview])
    passed, score, findings, count = CheckLightNode().check(batch, rembrandt, 0.6, "display")[
        "result"
    ]
    assert count == 1
    assert torch.equal(passed, preview)
    assert "picture 0: no score" in findings
    assert "picture 1: " in findings
    assert score < 0.6  # the unreadable grey frame counts 0 in the mean
    # the rembrandt preview is far from a high-key setup: nothing passes, an empty batch
    high_key = setup_json(get_preset("high-key").request())
    none, low, _, zero = CheckLightNode().check(preview, high_key, 0.6, "display")["result"]
    assert low < 0.6
    assert zero == 0
    assert tuple(none.shape) == (0, 192, 192, 3)


def test_match_light_reads_the_key_side_back(preview: Any) -> None:
    setup, reading = MatchLightNode().match(preview, "display")
    key = setup_request(setup).lighting_setup["key"]
    assert key.azimuth is not None
    assert key.azimuth < 0  # the rembrandt key stands camera-left
    assert "key_direction" in json.loads(reading)["parts"]


def test_match_light_refuses_a_picture_without_a_face() -> None:
    with pytest.raises(ValueError, match="no key direction"):
        MatchLightNode().match(torch.full((1, 128, 128, 3), 0.5), "display")


# --------------------------------------------------------------------------------- tensors
def test_image_batches_round_trip() -> None:
    pictures = [np.full((4, 6, 3), value, dtype=np.uint8) for value in (0, 128, 255)]
    batch = to_image_batch(pictures)
    assert tuple(batch.shape) == (3, 4, 6, 3)
    assert batch.dtype == torch.float32
    assert [p.tolist() for p in from_image_batch(batch)] == [p.tolist() for p in pictures]
    grey = from_image_batch(torch.full((1, 2, 2, 1), 1.0))[0]
    assert grey.shape == (2, 2, 3)
    assert int(grey.min()) == 255


@pytest.mark.parametrize("shape", [(2, 2), (1, 2, 2, 2), (0, 2, 2, 3), (1, 1, 2, 2, 3)])
def test_a_tensor_that_is_no_image_batch_is_refused(shape: tuple[int, ...]) -> None:
    with pytest.raises(ValueError, match=r"images: got a tensor of shape"):
        from_image_batch(torch.zeros(shape))


# -------------------------------------------------------------------------------- examples
def test_the_ui_workflow_is_the_api_workflow() -> None:
    """``examples/comfyui_workflow.json`` (written by docs/comfyui_screenshot.py from the page)
    holds the same nodes, links and widget values as the API-format example."""
    api = json.loads((REPO / "examples" / "comfyui_workflow_api.json").read_text("utf-8"))
    ui = json.loads((REPO / "examples" / "comfyui_workflow.json").read_text("utf-8"))
    links = {link[0]: (str(link[1]), link[2]) for link in ui["links"]}
    assert {str(node["id"]) for node in ui["nodes"]} == set(api)
    for node in ui["nodes"]:
        inputs = api[str(node["id"])]["inputs"]
        assert node["type"] == api[str(node["id"])]["class_type"]
        wired = {i["name"]: list(links[i["link"]]) for i in node["inputs"] if i["link"] is not None}
        assert wired == {k: v for k, v in inputs.items() if isinstance(v, list)}
        values = [v for v in inputs.values() if not isinstance(v, list)]
        assert node.get("widgets_values", []) == values
