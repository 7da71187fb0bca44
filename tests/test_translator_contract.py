"""The translator contract, run against every translator of the registry: the offline rules, and
Gemini and an OpenAI-compatible server through their mocks (each scripted with the answer a
model would give for the description)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from lightrig.cli import main
from lightrig.config import TRANSLATORS, Settings
from lightrig.errors import InvalidSettingError, NaturalLanguageTranslationError
from lightrig.lighting.roles import LightType
from lightrig.models.scene import SceneRequest
from lightrig.presets import PRESETS
from lightrig.testing.mock_gemini import MockGeminiServer
from lightrig.testing.mock_openai import MockOpenAIServer
from lightrig.translate.base import MAX_TEXT_CHARS, Translation, Translator
from lightrig.translate.factory import TRANSLATOR_FACTORIES, create_translator
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


def rules_subject() -> Iterator[Subject]:
    yield Subject(Settings(translator="rules"), None, "gemini")


def gemini_subject() -> Iterator[Subject]:
    with MockGeminiServer(api_key="gk-contract") as server:
        settings = Settings(
            translator="gemini",
            gemini_api_key=SecretStr("gk-contract"),
            gemini_base_url=server.url,
            translator_timeout_s=5.0,
        )
        yield Subject(settings, server.script, "gemini")


def openai_subject() -> Iterator[Subject]:
    with MockOpenAIServer(api_key="ok-contract") as server:
        settings = Settings(
            translator="openai",
            openai_api_key=SecretStr("ok-contract"),
            openai_base_url=f"{server.url}/v1",
            translator_timeout_s=5.0,
        )
        yield Subject(settings, server.script, "openai")


#: How the contract sets up each translator of the registry: one registered without a set-up
#: here fails every contract test.
SET_UPS: dict[str, Callable[[], Iterator[Subject]]] = {
    "rules": rules_subject,
    "gemini": gemini_subject,
    "openai": openai_subject,
}


@pytest.fixture(params=TRANSLATORS)
def subject(request: pytest.FixtureRequest) -> Iterator[Subject]:
    set_up = SET_UPS.get(request.param)
    if set_up is None:
        pytest.fail(f"the {request.param!r} translator has no contract set-up in SET_UPS")
    yield from set_up()


def test_the_registry_holds_every_translator_named_in_the_settings() -> None:
    assert tuple(TRANSLATOR_FACTORIES) == TRANSLATORS
    assert TRANSLATORS[0] == Settings.model_fields["translator"].default == "rules"
    assert set(SET_UPS) == set(TRANSLATORS)


def test_an_unknown_name_is_one_line_naming_the_translators(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    accepted = ", ".join(TRANSLATORS)
    with pytest.raises(ValueError, match=r"^unknown") as raised:  # the factory
        create_translator(Settings(), "claude")
    assert str(raised.value) == f"unknown translator 'claude'; accepted: {accepted}"
    with pytest.raises(InvalidSettingError) as refused:  # the settings
        Settings(translator="claude")
    assert refused.value.variables == ("LIGHTRIG_TRANSLATOR",)
    assert all(f'"{name}"' in str(refused.value) for name in TRANSLATORS)
    monkeypatch.setenv("LIGHTRIG_DATA_DIR", str(tmp_path))  # the command line
    for args, env in ((["--translator", "claude"], None), ([], "claude")):
        if env is not None:
            monkeypatch.setenv("LIGHTRIG_TRANSLATOR", env)
        with pytest.raises(SystemExit) as exited:
            main(["translate", "loop lighting", *args])
        assert exited.value.code == 2
        [line] = capsys.readouterr().err.splitlines()
        assert line.startswith("lightrig: error: ")
        assert all(name in line for name in TRANSLATORS)


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
