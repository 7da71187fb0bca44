"""The translators by name in one ``{name: lazy factory}`` registry: ``rules`` (offline, the
default), ``gemini`` and ``openai`` (an OpenAI-compatible server) — the last two need the ``llm``
extra, imported only when chosen.

The names are :data:`lightrig.config.TRANSLATORS`; a test holds the registry to them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from lightrig.config import TRANSLATORS, Settings
from lightrig.extras import needs_extra
from lightrig.registry import choose
from lightrig.translate.base import Translator

__all__ = ["TRANSLATORS", "TRANSLATOR_FACTORIES", "TranslatorFactory", "create_translator"]

#: Makes a translator from the settings.
TranslatorFactory = Callable[[Settings], Translator]


def _rules(settings: Settings) -> Translator:
    from lightrig.translate.rules import RulesTranslator  # noqa: PLC0415 - by need

    return RulesTranslator()


def _gemini(settings: Settings) -> Translator:
    with needs_extra("the gemini translator", "llm"):
        from lightrig.translate.gemini import GeminiTranslator  # noqa: PLC0415 - the llm extra

    return GeminiTranslator(settings)


def _openai(settings: Settings) -> Translator:
    with needs_extra("the openai translator", "llm"):
        from lightrig.translate.openai_compat import (  # noqa: PLC0415 - the llm extra
            OpenAICompatibleTranslator,
        )

    return OpenAICompatibleTranslator(settings)


#: Every translator's factory, by name.
TRANSLATOR_FACTORIES: Mapping[str, TranslatorFactory] = {
    "rules": _rules,
    "gemini": _gemini,
    "openai": _openai,
}


def create_translator(settings: Settings, name: str | None = None) -> Translator:
    """The translator called ``name`` (``settings.translator`` when ``None``); one-line
    :class:`ValueError` listing the translators for any other name,
    :class:`~lightrig.errors.MissingExtraError` when its extra is not installed."""
    return choose("translator", name or settings.translator, TRANSLATOR_FACTORIES)(settings)
