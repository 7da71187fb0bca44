"""The Gemini and OpenAI-compatible translators against their mock servers, over real HTTP and
through the real google-genai and openai clients: answers, the wire, retries, errors."""

from __future__ import annotations

import asyncio
import json
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from lightrig.config import Settings
from lightrig.errors import NaturalLanguageTranslationError, TranslatorUnavailableError
from lightrig.lighting.roles import LightType
from lightrig.models.camera import CameraSettings
from lightrig.models.scene import SceneRequest
from lightrig.presets import PRESETS
from lightrig.testing.mock_gemini import LLMMockServer, MockGeminiServer
from lightrig.testing.mock_openai import MockOpenAIServer
from lightrig.translate.base import MAX_TEXT_CHARS, Translation, Translator
from lightrig.translate.gemini import GeminiTranslator
from lightrig.translate.llm import (
    OUTPUT_SCHEMA_NAME,
    SYSTEM_PROMPT,
    LLMTranslator,
    SchemaDialect,
    answer_for,
    no_lighting_answer,
    output_schema,
    parse_answer,
    user_prompt,
)
from lightrig.translate.openai_compat import OpenAICompatibleTranslator
from lightrig.translate.rules import RulesTranslator

GEMINI_KEY = "gm-secret-7Hq2xLw9Zt"
OPENAI_KEY = "sk-secret-4Kd8nPq1Vr6Ys"
WRONG_KEY = "wrong-secret-9Zz8Yy7Xx6"
TEXT = "moody Rembrandt of an old fisherman, warm tungsten key, fill two stops under"

GOOD: dict[str, Any] = {
    "lighting_setup": {
        "key": {
            "azimuth": -45,
            "elevation": 42,
            "distance": 1.3,
            "intensity": 0.8,
            "color_temperature": 3200,
            "modifier": "softbox",
            "enabled": True,
        },
        "fill": {
            "azimuth": 20,
            "elevation": 0,
            "distance": 1.3,
            "intensity": 0.2,
            "color_temperature": 3200,
            "softness": 0.7,
        },
    },
    "backdrop_color": "#303030",
    "understood": ["moody", "Rembrandt", "warm tungsten key", "fill two stops under"],
    "ignored": ["old fisherman"],
    "no_lighting": False,
}
TOO_BRIGHT = {
    "lighting_setup": {"key": {"azimuth": 30, "elevation": 30, "intensity": 3}},
    "understood": ["key"],
    "ignored": [],
    "no_lighting": False,
}
UNKNOWN_ROLE = {
    "lighting_setup": {"spot": {"azimuth": 30, "elevation": 30, "intensity": 0.8}},
    "understood": ["spot"],
    "ignored": [],
    "no_lighting": False,
}


@dataclass
class Provider:
    """One API: its mock, how to build its translator and how to read what the mock received."""

    name: SchemaDialect
    server: LLMMockServer

    def settings(self, **values: Any) -> Settings:
        base: dict[str, Any] = {
            "translator": self.name,
            "gemini_api_key": SecretStr(GEMINI_KEY),
            "gemini_base_url": self.server.url,
            "openai_api_key": SecretStr(OPENAI_KEY),
            "openai_base_url": f"{self.server.url}/v1",
            "translator_timeout_s": 0.5,
            "translator_attempts": 3,
            "retry_initial_s": 0.01,
            "retry_max_s": 0.05,
        }
        base.update(values)
        return Settings(**base)

    def translator(self, **values: Any) -> LLMTranslator:
        settings = self.settings(**values)
        if self.name == "gemini":
            return GeminiTranslator(settings)
        return OpenAICompatibleTranslator(settings)

    @property
    def key_setting(self) -> str:
        return f"{self.name}_api_key"

    def system_text(self, body: dict[str, Any]) -> str:
        if self.name == "gemini":
            return "".join(part["text"] for part in body["systemInstruction"]["parts"])
        assert body["messages"][0]["role"] == "system"
        return str(body["messages"][0]["content"])

    def turns(self, body: dict[str, Any]) -> list[tuple[str, str]]:
        """The conversation after the system prompt as (``user`` | ``model``, text)."""
        if self.name == "gemini":
            return [
                (content["role"], "".join(part["text"] for part in content["parts"]))
                for content in body["contents"]
            ]
        roles = {"user": "user", "assistant": "model"}
        return [(roles[m["role"]], m["content"]) for m in body["messages"][1:]]


@pytest.fixture(params=["gemini", "openai"])
def provider(request: pytest.FixtureRequest) -> Iterator[Provider]:
    server: LLMMockServer
    if request.param == "gemini":
        server = MockGeminiServer(api_key=GEMINI_KEY, timeout_sleep_s=5.0)
    else:
        server = MockOpenAIServer(api_key=OPENAI_KEY, timeout_sleep_s=5.0)
    with server:
        yield Provider(request.param, server)


def translate(
    provider: Provider, text: str = TEXT, *, base: SceneRequest | None = None, **values: Any
) -> Translation:
    async def run() -> Translation:
        translator = provider.translator(**values)
        try:
            return await translator.translate(text, base=base)
        finally:
            await translator.aclose()

    return asyncio.run(run())


def refused(provider: Provider, text: str = TEXT, **values: Any) -> NaturalLanguageTranslationError:
    with pytest.raises(NaturalLanguageTranslationError) as info:
        translate(provider, text, **values)
    assert info.value.translator == provider.name
    return info.value


# --- answers ----------------------------------------------------------------------------------


def test_a_good_answer_becomes_a_validated_translation(provider: Provider) -> None:
    provider.server.script(GOOD)
    result = translate(provider)
    key = result.request.lighting_setup[LightType.KEY]
    fill = result.request.lighting_setup[LightType.FILL]
    assert (key.azimuth, key.elevation, key.distance) == (-45.0, 42.0, 1.3)
    assert (key.intensity, key.color_temperature) == (0.8, 3200.0)
    assert key.modifier is not None
    assert key.modifier.value == "softbox"
    assert fill.softness == 0.7
    assert fill.elevation == 0.0
    assert result.request.backdrop_color == "#303030"
    assert result.understood == ("moody", "Rembrandt", "warm tungsten key", "fill two stops under")
    assert result.ignored == ("old fisherman",)
    assert result.translator == provider.name
    assert provider.server.request_count == 1


@pytest.mark.parametrize("dialect", ["gemini", "openai"])
def test_a_setup_written_as_an_answer_reads_back_the_same(
    provider: Provider, dialect: SchemaDialect
) -> None:
    original = PRESETS["short"].request()
    provider.server.script(answer_for(original, understood=["short"], dialect=dialect))
    result = translate(provider)
    assert result.request.subject_yaw == original.subject_yaw
    assert result.request.backdrop_color == original.backdrop_color
    assert set(result.request.lighting_setup) == set(original.lighting_setup)
    for role, light in original.lighting_setup.items():
        got = result.request.lighting_setup[role]
        assert (got.azimuth, got.elevation, got.intensity) == (
            light.azimuth,
            light.elevation,
            light.intensity,
        )
        assert got.modifier == light.modifier
        assert got.softness == pytest.approx(light.softness, abs=1e-3)


def test_the_request_carries_prompt_text_json_mode_and_schema(provider: Provider) -> None:
    provider.server.script(GOOD)
    translate(provider)
    (call,) = provider.server.calls
    body = call.body
    assert provider.system_text(body) == SYSTEM_PROMPT
    assert provider.turns(body) == [("user", user_prompt(TEXT))]
    assert TEXT in user_prompt(TEXT)
    if provider.name == "gemini":
        assert call.path == "/v1beta/models/gemini-2.5-flash:generateContent"
        assert call.headers["x-goog-api-key"] == GEMINI_KEY
        assert "key" not in call.query  # the key travels in the header, not the URL
        config = body["generationConfig"]
        assert config["responseMimeType"] == "application/json"
        assert config["responseJsonSchema"] == output_schema("gemini")
        assert config["temperature"] == 0
    else:
        assert call.path == "/v1/chat/completions"
        assert call.headers["authorization"] == f"Bearer {OPENAI_KEY}"
        assert body["model"] == "gpt-4o-mini"
        assert body["temperature"] == 0
        assert body["response_format"] == {
            "type": "json_schema",
            "json_schema": {
                "name": OUTPUT_SCHEMA_NAME,
                "strict": True,
                "schema": output_schema("openai"),
            },
        }


def test_by_default_the_mock_answers_with_the_rules_translators_reading(
    provider: Provider,
) -> None:
    text = "loop lighting, warm tungsten key"
    expected = asyncio.run(RulesTranslator().translate(text))
    result = translate(provider, text)
    assert result.request.lighting_setup == expected.request.lighting_setup
    assert result.understood == expected.understood
    assert result.ignored == expected.ignored


def test_a_malformed_answer_is_corrected_on_the_next_try(provider: Provider) -> None:
    provider.server.script("Sure! Here is the lighting: {key: left", GOOD)
    result = translate(provider)
    assert result.request.backdrop_color == "#303030"
    assert provider.server.request_count == 2
    retry = provider.turns(provider.server.bodies[1])
    assert [role for role, _ in retry] == ["user", "model", "user"]
    assert retry[1][1] == "Sure! Here is the lighting: {key: left"
    assert "was not JSON" in retry[2][1]


def test_an_answer_in_a_markdown_fence_is_read() -> None:
    fenced = "```json\n" + json.dumps(GOOD) + "\n```"
    result = parse_answer(fenced, text=TEXT, translator="openai")
    assert result.request.backdrop_color == "#303030"


@pytest.mark.parametrize(
    ("answer", "field"),
    [(TOO_BRIGHT, "lighting_setup.key.intensity"), (UNKNOWN_ROLE, "lighting_setup.spot")],
)
def test_an_answer_failing_validation_every_time_names_the_field(
    provider: Provider, answer: dict[str, Any], field: str
) -> None:
    provider.server.script(answer, answer, answer)
    error = refused(provider)
    assert str(error).startswith("the model's setup failed validation: ")
    assert isinstance(error, TranslatorUnavailableError)  # the model's fault, not the words
    assert field in str(error)
    assert "gave up after 3 tries" in str(error)
    assert provider.server.request_count == 3
    for body in provider.server.bodies[1:]:
        correction = provider.turns(body)[-1][1]
        assert field in correction  # each retry told the model what to fix


def test_an_answer_off_the_schema_is_retried(provider: Provider) -> None:
    provider.server.script({"lighting_setup": [], "understood": "key"}, GOOD)
    translate(provider)
    correction = provider.turns(provider.server.bodies[1])[-1][1]
    assert "did not follow the schema" in correction
    assert "understood: must be a list of strings" in correction


def test_no_lighting_is_refused_without_retrying(provider: Provider) -> None:
    provider.server.script(no_lighting_answer(["cat", "sofa"], dialect=provider.name))
    error = refused(provider, "a cat on a sofa")
    assert str(error).startswith("found no lighting in the description")
    assert not isinstance(error, TranslatorUnavailableError)  # the words' fault
    assert error.text == "a cat on a sofa"
    assert provider.server.request_count == 1


# --- transport --------------------------------------------------------------------------------


def test_a_refused_key_is_a_clear_error_without_the_key(provider: Provider) -> None:
    wrong: dict[str, Any] = {provider.key_setting: SecretStr(WRONG_KEY)}
    error = refused(provider, TEXT, **wrong)
    assert "refused the API key (401)" in str(error)
    assert isinstance(error, TranslatorUnavailableError)
    assert f"LIGHTRIG_{provider.name.upper()}_API_KEY" in str(error)
    assert WRONG_KEY not in str(error)
    assert WRONG_KEY[-6:] not in str(error)  # not even the part OpenAI's own message shows
    assert WRONG_KEY not in repr(error.context)
    assert error.__cause__ is None
    assert provider.server.request_count == 1  # not retried


def test_googles_400_for_a_bad_key_is_read_as_a_refused_key() -> None:
    with MockGeminiServer(api_key=GEMINI_KEY, invalid_key_status=400) as server:
        error = refused(Provider("gemini", server), gemini_api_key=SecretStr(WRONG_KEY))
    assert "Gemini refused the API key (400)" in str(error)
    assert WRONG_KEY not in str(error)


@pytest.mark.parametrize("fault", ["429", "5xx"])
def test_rate_limits_and_server_errors_are_retried(provider: Provider, fault: str) -> None:
    provider.server.script(fault, GOOD)
    result = translate(provider)
    assert result.request.backdrop_color == "#303030"
    assert provider.server.request_count == 2
    assert provider.server.bodies[0] == provider.server.bodies[1]  # the same call again


def test_server_errors_every_time_end_in_an_error(provider: Provider) -> None:
    provider.server.script("5xx", "5xx")
    error = refused(provider, translator_attempts=2)
    assert "failed (503" in str(error)
    assert "gave up after 2 tries" in str(error)
    assert isinstance(error, TranslatorUnavailableError)


def test_a_timeout_is_retried(provider: Provider) -> None:
    provider.server.script("timeout", GOOD)
    started = time.perf_counter()
    result = translate(provider)
    elapsed = time.perf_counter() - started
    assert result.request.backdrop_color == "#303030"
    assert provider.server.request_count == 2
    # gave up on the answer held back 5 s after translator_timeout_s (0.5 s), and asked again
    assert 0.5 <= elapsed < 4.5


def test_timeouts_every_time_end_in_an_error(provider: Provider) -> None:
    provider.server.script("timeout", "timeout")
    error = refused(provider, translator_attempts=2)
    label = "Gemini" if provider.name == "gemini" else "OpenAI-compatible server"
    assert label in str(error)
    assert "did not answer within 0.5 s (gave up after 2 tries)" in str(error)
    assert isinstance(error, TranslatorUnavailableError)


# --- input and context ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   \n", "x" * (MAX_TEXT_CHARS + 1)])
def test_empty_and_overlong_text_is_refused_before_any_request(
    provider: Provider, text: str
) -> None:
    refused(provider, text)
    assert provider.server.request_count == 0


def test_a_base_requests_subject_camera_and_head_turn_are_kept(provider: Provider) -> None:
    base = SceneRequest(
        subject_description="a violinist mid-phrase",
        environment="a dim rehearsal room",
        lighting_setup={LightType.KEY: {"azimuth": 0, "intensity": 0.5}},
        camera_settings=CameraSettings(shot_type="full shot", focal_length=35, aperture=1.4),
        subject_yaw=12,
        backdrop_color="#a0a0a0",
    )
    provider.server.script(GOOD)
    result = translate(provider, base=base)
    request = result.request
    assert request.subject_description == "a violinist mid-phrase"
    assert request.environment == "a dim rehearsal room"
    assert request.camera_settings == base.camera_settings
    assert request.subject_yaw == 12  # the answer gave none
    assert request.backdrop_color == "#303030"  # the answer's
    assert set(request.lighting_setup) == {LightType.KEY, LightType.FILL}
    assert "a violinist mid-phrase" in provider.turns(provider.server.bodies[0])[0][1]


def test_health_makes_a_real_call(provider: Provider) -> None:
    async def run() -> str:
        translator = provider.translator()
        assert isinstance(translator, Translator)
        try:
            return await translator.health()
        finally:
            await translator.aclose()

    description = asyncio.run(run())
    model = "gemini-2.5-flash" if provider.name == "gemini" else "gpt-4o-mini"
    assert model in description
    assert re.search(r"\d+ lights", description)
    assert provider.server.request_count == 1


# --- construction -----------------------------------------------------------------------------


def test_gemini_needs_a_key() -> None:
    with pytest.raises(NaturalLanguageTranslationError, match="LIGHTRIG_GEMINI_API_KEY"):
        GeminiTranslator(Settings(gemini_api_key=None))


def test_openai_needs_a_key_but_a_local_server_does_not() -> None:
    with pytest.raises(NaturalLanguageTranslationError, match="LIGHTRIG_OPENAI_API_KEY"):
        OpenAICompatibleTranslator(Settings(openai_api_key=None))
    with MockOpenAIServer(api_key=None) as server:
        server.script(GOOD)
        local = Provider("openai", server)
        translate(local, openai_api_key=None)
        assert server.calls[0].headers["authorization"] == "Bearer not-needed"


@pytest.mark.parametrize(
    ("module", "build"),
    [("google", GeminiTranslator), ("openai", OpenAICompatibleTranslator)],
)
def test_a_missing_client_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, module: str, build: Any
) -> None:
    monkeypatch.setitem(sys.modules, module, None)
    settings = Settings(gemini_api_key=SecretStr(GEMINI_KEY), openai_api_key=SecretStr("k"))
    with pytest.raises(NaturalLanguageTranslationError, match=r"pip install 'lightrig\[llm\]'"):
        build(settings)


# --- the schema and the mocks' contract -------------------------------------------------------

_GEMINI_KEYWORDS = {
    "type",
    "description",
    "enum",
    "items",
    "minimum",
    "maximum",
    "anyOf",
    "properties",
    "additionalProperties",
    "required",
}


def _objects(schema: Any) -> Iterator[dict[str, Any]]:
    if isinstance(schema, dict):
        yield schema
        for value in schema.values():
            yield from _objects(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _objects(value)


def _conforms(value: Any, schema: dict[str, Any]) -> bool:
    """``value`` against the JSON-schema subset lightrig's schemas use."""
    if "anyOf" in schema:
        return any(_conforms(value, option) for option in schema["anyOf"])
    kind = schema["type"]
    if kind == "null":
        return value is None
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "string":
        pattern = schema.get("pattern")
        return (
            isinstance(value, str)
            and (value in schema["enum"] if "enum" in schema else True)
            and (pattern is None or re.search(pattern, value) is not None)
        )
    if kind == "number":
        return (
            isinstance(value, int | float)
            and not isinstance(value, bool)
            and schema["minimum"] <= value <= schema["maximum"]
        )
    if kind == "array":
        return isinstance(value, list) and all(_conforms(v, schema["items"]) for v in value)
    properties = schema["properties"]
    return (
        isinstance(value, dict)
        and set(schema["required"]) <= set(value)
        and set(value) <= set(properties)
        and all(_conforms(v, properties[k]) for k, v in value.items())
    )


def test_the_openai_schema_meets_strict_mode() -> None:
    schema = output_schema("openai")
    for node in _objects(schema):
        if node.get("type") == "object":
            assert node["additionalProperties"] is False
            assert node["required"] == list(node["properties"])
    assert schema["type"] == "object"
    assert "anyOf" not in schema


def test_the_gemini_schema_uses_only_keywords_gemini_supports() -> None:
    schema = output_schema("gemini")
    for node in _objects(schema):
        if "type" in node or "anyOf" in node:
            assert set(node) <= _GEMINI_KEYWORDS, set(node) - _GEMINI_KEYWORDS
    assert "anyOf" not in json.dumps(schema)


@pytest.mark.parametrize("dialect", ["gemini", "openai"])
def test_mock_answers_follow_the_schema(dialect: SchemaDialect) -> None:
    schema = output_schema(dialect)
    for preset in PRESETS.values():
        assert _conforms(answer_for(preset.request(), dialect=dialect), schema), preset.name
    assert _conforms(no_lighting_answer(["cat"], dialect=dialect), schema)
    assert _conforms(GOOD, output_schema("gemini"))
    assert not _conforms(TOO_BRIGHT, schema)


def test_the_gemini_mock_checks_body_and_key() -> None:
    with MockGeminiServer(api_key=GEMINI_KEY) as server:
        url = f"{server.url}/v1beta/models/gemini-2.5-flash:generateContent"
        body: dict[str, Any] = {"contents": [{"role": "user", "parts": [{"text": "loop"}]}]}
        answer = httpx.post(url, json=body, headers={"x-goog-api-key": GEMINI_KEY})
        assert answer.status_code == 400
        error = answer.json()["error"]
        assert error["status"] == "INVALID_ARGUMENT"
        assert "systemInstruction" in error["message"]
        assert "generationConfig" in error["message"]
        assert httpx.post(url, json=body).json()["error"]["code"] == 403
        body["systemInstruction"] = {"parts": [{"text": "be brief"}]}
        body["generationConfig"] = {
            "responseMimeType": "application/json",
            "responseJsonSchema": {"type": "object"},
        }
        answer = httpx.post(url, json=body, params={"key": GEMINI_KEY})  # the key as a query
        assert answer.status_code == 200
        candidate = answer.json()["candidates"][0]
        assert candidate["finishReason"] == "STOP"
        assert json.loads(candidate["content"]["parts"][0]["text"])["no_lighting"] is False
        assert server.request_count == 3


def test_the_openai_mock_checks_body_and_key() -> None:
    with MockOpenAIServer(api_key=OPENAI_KEY) as server:
        url = f"{server.base_url}/chat/completions"
        body: dict[str, Any] = {"model": "m", "messages": [{"role": "user", "content": "loop"}]}
        headers = {"authorization": f"Bearer {OPENAI_KEY}"}
        answer = httpx.post(url, json=body, headers=headers)
        assert answer.status_code == 400
        assert answer.json()["error"]["param"] == "response_format"
        refused_key = httpx.post(url, json=body, headers={"authorization": f"Bearer {WRONG_KEY}"})
        assert refused_key.status_code == 401
        assert refused_key.json()["error"]["code"] == "invalid_api_key"
        assert WRONG_KEY not in refused_key.text  # masked, as OpenAI does
        body["response_format"] = {"type": "json_object"}
        answer = httpx.post(url, json=body, headers=headers)
        assert answer.status_code == 200
        completion = answer.json()
        assert completion["object"] == "chat.completion"
        assert completion["choices"][0]["finish_reason"] == "stop"
        assert json.loads(completion["choices"][0]["message"]["content"])["lighting_setup"]
