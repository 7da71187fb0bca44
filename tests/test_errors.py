"""The exception tree: builtins they mean, context they carry, the tree in the docstring."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from lightrig import errors
from lightrig.errors import (
    FIBOGenerationError,
    FieldError,
    InvalidLightingSetupError,
    InvalidStructuredPromptError,
    LightingGenerationError,
    NaturalLanguageTranslationError,
)
from lightrig.models import SceneRequest


def test_tree_and_builtins() -> None:
    assert issubclass(InvalidLightingSetupError, LightingGenerationError)
    assert issubclass(InvalidLightingSetupError, ValueError)
    assert issubclass(InvalidStructuredPromptError, InvalidLightingSetupError)
    assert issubclass(FIBOGenerationError, LightingGenerationError)
    assert issubclass(FIBOGenerationError, RuntimeError)
    assert issubclass(NaturalLanguageTranslationError, LightingGenerationError)
    assert issubclass(NaturalLanguageTranslationError, ValueError)


def test_docstring_draws_every_exception() -> None:
    doc = errors.__doc__ or ""
    for name in (
        "LightingGenerationError",
        "InvalidLightingSetupError",
        "InvalidStructuredPromptError",
        "FIBOGenerationError",
        "NaturalLanguageTranslationError",
    ):
        assert name in doc
    assert "├──" in doc
    assert "└──" in doc


def test_context_is_carried() -> None:
    fibo = FIBOGenerationError("rate limited", backend="bria", status_code=429, retryable=True)
    assert fibo.context == {
        "backend": "bria",
        "status_code": 429,
        "request_id": None,
        "retryable": True,
        "timed_out": False,
    }
    words = NaturalLanguageTranslationError("no light in it", text="a cat", translator="rules")
    assert words.context["text"] == "a cat"
    assert str(words) == "no light in it"


def test_invalid_setup_keeps_every_field_path() -> None:
    with pytest.raises(ValidationError) as caught:  # Pydantic's own, as a TypeAdapter raises it
        TypeAdapter(SceneRequest).validate_python(
            {"lighting_setup": {"key": {"direction": "front", "intensity": 2.0, "distance": -1}}}
        )
    error = InvalidLightingSetupError.from_validation_error(caught.value)
    locs = {e.loc for e in error.errors}
    assert locs == {"lighting_setup.key.intensity", "lighting_setup.key.distance"}
    assert "lighting_setup.key.intensity" in str(error)
    assert error.context["errors"][0]["loc"].startswith("lighting_setup.key")


def test_invalid_setup_needs_a_reason() -> None:
    with pytest.raises(ValueError, match="at least one"):
        InvalidLightingSetupError([])
    assert str(InvalidLightingSetupError([FieldError("a.b", "bad")])) == "a.b: bad"
