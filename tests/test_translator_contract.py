"""The translator contract, run against every implementation: the offline rules, and Gemini and
an OpenAI-compatible server through their mocks (each scripted with the answer a model would
give for the description)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pydantic import SecretStr

from lightrig.config import Settings
from lightrig.errors import NaturalLanguageTranslationError
from lightrig.lighting.roles import LightType
from lightrig.models.scene import SceneRequest
from lightrig.presets import PRESETS
from lightrig.testing.mock_gemini import MockGeminiServer
from lightrig.testing.mock_openai import MockOpenAIServer
from lightrig.translate.base import MAX_TEXT_CHARS, Translation, Translator
from lightrig.translate.factory import create_translator
from lightrig.translate.llm import SchemaDialect, answer_for, no_lighting_answer

Script = Callable[[dict[str, Any]], None]


class Subject:
    """A translator under test (made afresh inside each event loop, as clients bind to theirs),
    and how to tell its model what to answer (if it has one)."""

    def __init__(self, settings: Settings, script: Script | None, dialect: SchemaDialect) -> None:
        self.settings = settings
        self.name = settings.translator
        self._script = script
        self.dialect = dialect

    def call(self, use: Callable[[Translator], Any]) -> Any:
        async def run() -> Any:
            translator = create_translator(self.settings)
            try:
                return await use(translator)
            finally:
                await translator.aclose()

        return asyncio.run(run())

    def answers(self, request: SceneRequest, understood: list[str]) -> None:
        if self._script is not None:
            self._script(answer_for(request, understood=understood, dialect=self.dialect))

    def answers_no_lighting(self, ignored: list[str]) -> None:
        if self._script is not None:
            self._script(no_lighting_answer(ignored, dialect=self.dialect))

    def run(self, text: str, base: SceneRequest | None = None) -> Translation:
        result: Translation = self.call(lambda t: t.translate(text, base=base))
        return result


@pytest.fixture(params=["rules", "gemini", "openai"])
def subject(request: pytest.FixtureRequest) -> Iterator[Subject]:
    name = request.param
    if name == "rules":
        yield Subject(Settings(translator="rules"), None, "gemini")
        return
    server: Any = (
        MockGeminiServer(api_key="gk-contract")
        if name == "gemini"
        else MockOpenAIServer(api_key="ok-contract")
    )
    with server:
        settings = Settings(
            translator=name,
            gemini_api_key=SecretStr("gk-contract"),
            gemini_base_url=server.url,
            openai_api_key=SecretStr("ok-contract"),
            openai_base_url=f"{server.url}/v1",
            translator_timeout_s=5.0,
        )
        yield Subject(settings, server.script, "gemini" if name == "gemini" else "openai")


def test_it_is_a_translator_named_as_configured(subject: Subject) -> None:
    async def check(translator: Translator) -> None:
        assert isinstance(translator, Translator)
        assert translator.name == subject.name

    subject.call(check)


def test_a_description_becomes_a_validated_request(subject: Subject) -> None:
    split = PRESETS["split"].request()
    subject.answers(split, ["split lighting", "from camera left"])
    result = subject.run("split lighting from camera left")
    assert result.translator == subject.name
    assert isinstance(result.request, SceneRequest)
    key = result.request.lighting_setup[LightType.KEY]
    assert key.azimuth is not None
    assert key.azimuth < -60  # camera-left, beside the face
    assert result.understood
    assert result.ignored == ()


def test_a_base_scene_keeps_its_subject(subject: Subject) -> None:
    base = PRESETS["clamshell"].request()
    subject.answers(PRESETS["loop"].request(), ["loop"])
    result = subject.run("loop lighting", base=base)
    assert result.request.subject_description == base.subject_description
    assert result.request.camera_settings == base.camera_settings


def test_no_lighting_is_an_error_that_says_so(subject: Subject) -> None:
    subject.answers_no_lighting(["a", "cat", "on", "a", "sofa"])
    with pytest.raises(NaturalLanguageTranslationError, match="found no lighting") as caught:
        subject.run("a cat on a sofa")
    assert caught.value.translator == subject.name


@pytest.mark.parametrize("text", ["", "  \n ", "soft key " * (MAX_TEXT_CHARS // 8)])
def test_empty_or_over_long_text_is_an_error(subject: Subject, text: str) -> None:
    with pytest.raises(NaturalLanguageTranslationError, match=r"empty|at most"):
        subject.run(text)


def test_health_translates_for_real(subject: Subject) -> None:
    subject.answers(PRESETS["loop"].request(), ["loop lighting", "warm tungsten key"])
    description = subject.call(lambda t: t.health())
    assert isinstance(description, str)
    assert description
