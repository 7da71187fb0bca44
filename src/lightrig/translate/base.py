"""The translator contract: words in, a validated scene request out, with an account of what
was understood and what was ignored, so a user can see why they got the light they got."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from lightrig.errors import NaturalLanguageTranslationError
from lightrig.models.scene import SceneRequest

__all__ = ["MAX_TEXT_CHARS", "Translation", "Translator", "check_text", "no_lighting_error"]

#: The longest description a translator accepts, in characters.
MAX_TEXT_CHARS = 2000


@dataclass(frozen=True)
class Translation:
    """A description's lighting: the request, what was understood, what was ignored, and what
    the translator assumed that the words do not say (``assumptions``: phrases such as
    "subject: a woman in her thirties… (the loop preset's; the words name none)" or "a
    background light (the loop setup's; the words do not name it)"; empty when nothing was)."""

    request: SceneRequest
    understood: tuple[str, ...]
    ignored: tuple[str, ...]
    translator: str
    assumptions: tuple[str, ...] = ()


def check_text(text: str, translator: str) -> str:
    """The stripped description, or :class:`NaturalLanguageTranslationError` when it is empty
    or longer than :data:`MAX_TEXT_CHARS`."""
    stripped = text.strip()
    if not stripped:
        raise NaturalLanguageTranslationError(
            "the description is empty; describe the light, e.g. 'moody Rembrandt, warm key'",
            text=text,
            translator=translator,
        )
    if len(stripped) > MAX_TEXT_CHARS:
        raise NaturalLanguageTranslationError(
            f"the description is {len(stripped)} characters; at most {MAX_TEXT_CHARS} are read",
            text=text[:200],
            translator=translator,
        )
    return stripped


def no_lighting_error(text: str, translator: str) -> NaturalLanguageTranslationError:
    """The error for a description that says nothing about light."""
    return NaturalLanguageTranslationError(
        "found no lighting in the description: name a setup (Rembrandt, loop, butterfly, "
        "high-key...) or say where the light comes from, how hard and what colour it is",
        text=text,
        translator=translator,
    )


@runtime_checkable
class Translator(Protocol):
    """Turns a description in words into a lighting setup."""

    @property
    def name(self) -> str:
        """The translator's name (``rules``, ``gemini``, ``openai``)."""
        ...

    async def translate(self, text: str, *, base: SceneRequest | None = None) -> Translation:
        """The lighting ``text`` describes, applied to ``base`` (its subject, camera, backdrop)."""
        ...

    async def health(self) -> str:
        """Probe the translator for real; a short description of what answered."""
        ...

    async def aclose(self) -> None:
        """Release clients, if any."""
        ...
