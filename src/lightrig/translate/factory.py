"""Pick a translator by name from the settings."""

from __future__ import annotations

from lightrig.config import Settings
from lightrig.translate.base import Translator

__all__ = ["TRANSLATORS", "create_translator"]

#: The translators there are: the offline default, then the LLM ones (the ``llm`` extra).
TRANSLATORS = ("rules", "gemini", "openai")


def create_translator(settings: Settings, name: str | None = None) -> Translator:
    """The translator called ``name`` (``settings.translator`` when ``None``)."""
    chosen = name or settings.translator
    if chosen == "rules":
        from lightrig.translate.rules import RulesTranslator  # noqa: PLC0415 - by need

        return RulesTranslator()
    if chosen == "gemini":
        from lightrig.translate.gemini import GeminiTranslator  # noqa: PLC0415 - optional extra

        return GeminiTranslator(settings)
    if chosen == "openai":
        from lightrig.translate.openai_compat import (  # noqa: PLC0415 - optional extra
            OpenAICompatibleTranslator,
        )

        return OpenAICompatibleTranslator(settings)
    raise ValueError(f"unknown translator {chosen!r}; translators: {', '.join(TRANSLATORS)}")
