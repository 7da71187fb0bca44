"""The conventions document (``GET /v1/conventions``) the studio draws and names with: it is the
Python tables themselves — the vocabulary, the roles' default heights, softness, gels, the
request models' ranges and the diagram's scale — and the API serves it, cacheably, without a key.

The studio's side (that it uses the document rather than copies) is in ``tests/test_studio.py``.
"""

from __future__ import annotations

import dataclasses
import math
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import httpx
import pytest

import lightrig.conventions as conventions_module
from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.api.app import create_app
from lightrig.config import Settings
from lightrig.conventions import conventions
from lightrig.errors import InvalidLightingSetupError
from lightrig.lighting import softness
from lightrig.lighting.colour import MAX_KELVIN, MIN_KELVIN, kelvin_source_name
from lightrig.lighting.diagram_scale import distance_for_radius
from lightrig.lighting.gels import GELS, MATCHED_MIRED
from lightrig.lighting.modifiers import TYPICAL_SIZE_M, Modifier
from lightrig.lighting.patterns import Pattern
from lightrig.lighting.roles import DEFAULT_ELEVATION_DEG, LightType
from lightrig.lighting.vocabulary import MODIFIERS, PATTERNS, ROLES
from lightrig.models.camera import CameraSettings
from lightrig.models.conventions import Conventions
from lightrig.models.lights import LightSettings
from lightrig.models.scene import SceneRequest
from lightrig.render.diagram import diagram_radius, lighting_diagram
from tests.apiserver import serve

NS = "{http://www.w3.org/2000/svg}"
#: Distances in metres across both parts of the diagram's scale and beyond its clamps.
DISTANCES_M = (
    -1.0,
    0.0,
    0.1,
    0.5,
    1.0,
    1.5,
    2.999,
    3.0,
    3.001,
    4.5,
    10.0,
    30.0,
    99.0,
    100.0,
    250.0,
)


def document_radius(doc: dict[str, Any], distance_m: float) -> float:
    """The diagram radius (px) the document's scale gives, by the formula it states."""
    scale = doc["diagram"]
    d = min(max(distance_m, 0.0), scale["max_distance_m"])
    linear = scale["linear_limit_m"]
    if d <= linear:
        return float(scale["base_px"] + scale["px_per_m"] * d)
    return float(
        scale["base_px"]
        + scale["px_per_m"] * linear
        + scale["px_per_decade"] * math.log10(d / linear)
    )


def test_the_roles_are_the_vocabulary_with_their_default_heights() -> None:
    doc = conventions()
    assert [r.value for r in doc.roles] == list(LightType)
    for role, words in zip(doc.roles, ROLES, strict=True):
        assert (role.label, role.blurb) == (words.label, words.blurb)
        assert (role.accent, role.accent_on_dark) == (words.accent, words.accent_on_dark)
        assert role.default_elevation_deg == DEFAULT_ELEVATION_DEG[role.value]


def test_the_modifiers_are_the_vocabulary_with_their_typical_sizes() -> None:
    doc = conventions()
    assert [m.value for m in doc.modifiers] == list(Modifier)
    assert {m.value: m.typical_size_m for m in doc.modifiers} == TYPICAL_SIZE_M
    words = {m.value: m for m in MODIFIERS}
    for m in doc.modifiers:
        assert (m.label, m.short, m.sized) == (
            words[m.value].label,
            words[m.value].short,
            words[m.value].sized,
        )


def test_gels_patterns_and_sources_are_the_tables() -> None:
    doc = conventions()
    assert [(g.name, g.mired_shift) for g in doc.gels] == [(g.name, g.mired_shift) for g in GELS]
    assert doc.matched_mired == MATCHED_MIRED
    assert {p.value for p in doc.patterns} == set(Pattern)
    assert [(p.value, p.label) for p in doc.patterns] == [(p.value, p.label) for p in PATTERNS]
    assert [s.name for s in doc.light_sources] == [s.name for s in conventions_module.LIGHT_SOURCES]


def test_the_colour_names_name_colours_as_python_does() -> None:
    names = conventions().colour_names
    assert names[-1].below_kelvin is None
    for kelvin in range(MIN_KELVIN, MAX_KELVIN + 1, 25):
        named = next(n.name for n in names if n.below_kelvin is None or kelvin < n.below_kelvin)
        assert named == kelvin_source_name(kelvin), kelvin


def test_the_ranges_are_what_the_models_accept() -> None:
    ranges = conventions().ranges
    assert (ranges.kelvin.min, ranges.kelvin.max) == (MIN_KELVIN, MAX_KELVIN)
    checks = (
        (LightSettings, "distance", ranges.distance_m, {"intensity": 0.5}),
        (LightSettings, "color_temperature", ranges.kelvin, {"intensity": 0.5}),
        (LightSettings, "azimuth", ranges.azimuth_deg, {"intensity": 0.5}),
        (LightSettings, "elevation", ranges.elevation_deg, {"intensity": 0.5, "azimuth": 0.0}),
        (CameraSettings, "white_balance", ranges.white_balance_k, {}),
    )
    for model, name, declared, extra in checks:
        for inside in (declared.min, declared.max):
            model.model_validate({**extra, name: inside})
        for outside in (declared.min - 0.01, declared.max + 0.01):
            with pytest.raises(InvalidLightingSetupError, match=name):
                model.model_validate({**extra, name: outside})
    key = {"key": {"azimuth": 0.0, "intensity": 0.5}}
    for name, declared in (
        ("subject_yaw", ranges.subject_yaw_deg),
        ("background_distance", ranges.background_distance_m),
    ):
        SceneRequest.model_validate({"lighting_setup": key, name: declared.max})
        with pytest.raises(InvalidLightingSetupError, match=name):
            SceneRequest.model_validate({"lighting_setup": key, name: declared.max + 0.01})


def test_softness_follows_the_documented_angle_and_thresholds() -> None:
    doc = conventions().softness
    for size in (0.05, 0.3, 0.9, 1.5, 3.0):
        angle = math.degrees(2 * math.atan(size / (2 * doc.reference_distance_m)))
        assert softness.softness_from_size(size) == pytest.approx(
            min(1.0, angle / doc.full_softness_angle_deg)
        )
    assert softness.hardness_for_angle(doc.hard_below_deg - 0.01) == "hard"
    assert softness.hardness_for_angle(doc.hard_below_deg) == "medium"
    assert softness.hardness_for_angle(doc.soft_above_deg) == "medium"
    assert softness.hardness_for_angle(doc.soft_above_deg + 0.01) == "soft"
    unsized = LightSettings(azimuth=0.0, intensity=0.5)
    assert unsized.softness == doc.default_softness


def test_the_documented_scale_is_the_diagrams() -> None:
    doc = conventions().model_dump(mode="json")
    for d in DISTANCES_M:
        assert document_radius(doc, d) == pytest.approx(diagram_radius(d), abs=1e-9), d
        if 0.0 <= d <= doc["diagram"]["max_distance_m"]:
            assert distance_for_radius(diagram_radius(d)) == pytest.approx(d, abs=1e-9)


def test_the_api_diagram_draws_with_the_documented_accents_and_names() -> None:
    doc = conventions()
    lights = {
        "key": {"azimuth": -45, "modifier": "softbox", "intensity": 0.8},
        "fill": {"azimuth": 30, "modifier": "umbrella", "intensity": 0.3},
        "rim": {"azimuth": 150, "modifier": "strip_box", "intensity": 0.4},
        "kicker": {"azimuth": -130, "modifier": "snoot", "intensity": 0.3},
        "hair": {"azimuth": 180, "elevation": 50, "modifier": "beauty_dish", "intensity": 0.3},
        "background": {"azimuth": 180, "modifier": "bare", "intensity": 0.3},
    }
    request = SceneRequest.model_validate({"lighting_setup": lights})
    root = ET.fromstring(lighting_diagram(request, LightingAnalyzer().analyze(request)))
    legend = {g.get("data-role"): g for g in root.iter(f"{NS}g") if g.get("data-role")}
    shorts = {m.value: m.short for m in doc.modifiers}
    for role in doc.roles:
        if role.value not in lights:
            continue
        dot = legend[role.value].find(f"{NS}circle")
        assert dot is not None
        assert dot.get("fill") == role.accent, role.value
        label = "".join(
            next(g for g in root.iter(f"{NS}g") if g.get("id") == f"light-{role.value}").itertext()
        )
        assert shorts[lights[role.value]["modifier"]] in label, label


def test_the_version_changes_with_the_content(monkeypatch: pytest.MonkeyPatch) -> None:
    before = conventions()
    assert conventions().version == before.version
    renamed = (dataclasses.replace(ROLES[0], label="Main"), *ROLES[1:])
    monkeypatch.setattr(conventions_module, "ROLES", renamed)
    after = conventions()
    assert after.roles[0].label == "Main"
    assert after.version != before.version


@pytest.fixture
def server(tmp_path: Path) -> Any:
    """A served app with a user, so requests without a key are refused where a key is needed."""
    import asyncio

    from lightrig.db.factory import create_store

    settings = Settings(data_dir=tmp_path, preview_size=64)

    async def make_user() -> None:
        store = create_store(settings)
        try:
            await store.migrate()
            await store.create_user("alice")
        finally:
            await store.aclose()

    asyncio.run(make_user())
    with serve(create_app(settings)) as url:
        yield url


def test_the_api_serves_the_document_without_a_key_and_cacheably(server: str) -> None:
    with httpx.Client(base_url=server, timeout=30) as client:
        assert client.get("/v1/presets").status_code == 401  # a key is needed there ...
        answer = client.get("/v1/conventions")  # ... and not here
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"] == "application/json"
        expected = conventions().model_dump(mode="json")
        assert answer.json() == expected
        Conventions.model_validate(answer.json())
        etag = answer.headers["etag"]
        assert etag == f'"{expected["version"]}"'
        assert "no-cache" in answer.headers["cache-control"]

        again = client.get("/v1/conventions", headers={"If-None-Match": etag})
        assert again.status_code == 304
        assert again.content == b""
        assert again.headers["etag"] == etag
        listed = client.get("/v1/conventions", headers={"If-None-Match": f'"x", W/{etag}'})
        assert listed.status_code == 304
        stale = client.get("/v1/conventions", headers={"If-None-Match": '"0123456789abcdef"'})
        assert stale.status_code == 200
        assert stale.json() == expected


def test_the_openapi_document_describes_it(server: str) -> None:
    document = httpx.get(f"{server}/openapi.json", timeout=30).json()
    operation = document["paths"]["/v1/conventions"]["get"]
    ok = operation["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Conventions"
    }
    assert set(ok["headers"]) == {"ETag", "Cache-Control", "X-Request-ID"}  # every answer's id
    assert "304" in operation["responses"]
    schema = document["components"]["schemas"]["Conventions"]
    assert set(schema["required"]) == set(Conventions.model_fields)
    scale = document["components"]["schemas"]["DiagramScale"]["properties"]
    assert set(scale) == set(conventions().diagram.model_dump())
    role = document["components"]["schemas"]["RoleConvention"]["properties"]
    assert role["value"] == {"$ref": "#/components/schemas/LightType"}
