"""The offline translator: a description read with the photographers' vocabulary.

:mod:`~lightrig.translate.reading` reads the words (:mod:`~lightrig.lighting.vocabulary` holds
them); :mod:`~lightrig.translate.composing` builds the setup they ask for on a preset. Every
phrase that was used is reported as understood; every other word that is not a common English
word is reported as ignored, never guessed at; everything the request holds that the words do not
say — the subject, the setting and camera of the preset it starts from, the starting setup when
none is named, a light the words never mention — is reported as an assumption. A description in
which no light is found is an error that says so.
"""

from __future__ import annotations

from lightrig.errors import InvalidLightingSetupError, NaturalLanguageTranslationError
from lightrig.models.scene import SceneRequest, parse_scene_request
from lightrig.translate.base import Translation, check_text, no_lighting_error
from lightrig.translate.composing import assumed, compose
from lightrig.translate.reading import DescriptionText, read_description

__all__ = ["RulesTranslator"]


class RulesTranslator:
    """Reads descriptions offline with the photographers' vocabulary (module docstring)."""

    name = "rules"

    async def translate(self, text: str, *, base: SceneRequest | None = None) -> Translation:
        """The lighting ``text`` describes, applied to ``base``'s scene when given."""
        original = check_text(text, self.name)
        reading = DescriptionText(original.lower())
        plan = read_description(reading)
        if not plan.lighting_found:
            raise no_lighting_error(text, self.name)
        said_preset = plan.preset  # compose may choose one; what the words named is this
        data = compose(plan, base)
        try:
            request = parse_scene_request(data)
        except InvalidLightingSetupError as exc:
            raise NaturalLanguageTranslationError(
                f"the description gives an impossible setup: {exc}", text=text, translator=self.name
            ) from None
        return Translation(
            request=request,
            understood=tuple(dict.fromkeys(reading.understood)),
            ignored=reading.ignored(original),
            translator=self.name,
            assumptions=assumed(plan, said_preset, base, data),
        )

    async def health(self) -> str:
        """Translate a fixed phrase."""
        result = await self.translate("loop lighting, warm tungsten key")
        return f"offline rules ({len(result.understood)} phrases understood in a probe)"

    async def aclose(self) -> None:
        """Nothing to release."""
