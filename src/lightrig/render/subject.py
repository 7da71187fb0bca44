"""Who sits for the preview: the subject's skin tone, build, hair and beard, read from the
request's description.

:func:`subject_for` is a pure function of the words of ``subject_description``. For each
attribute, the first row of its table (read top to bottom) with a phrase in the description sets
it; phrases match whole words, case, hyphens and punctuation aside ("Dark-skinned" is "dark
skinned", "shoulder-length" is "shoulder length"); with none the attribute keeps the default
bust's. A ``…`` in a phrase stands for up to two other words ("long … hair" is "long hair",
"long dark hair" and "long wavy grey hair").

Skin tone (default medium):

=============  ==========================================================================
Tone           Phrases
=============  ==========================================================================
very dark      very dark skinned, very dark skin, deep dark skin, ebony skin
very light     very pale, very fair skinned, very fair skin, porcelain, alabaster
dark           dark skinned, dark skin, dark complexion, deep skin, deep skinned
tan            tanned, tan skin, tan skinned, brown skinned, brown skin, bronzed
light          pale, fair skinned, fair skin, fair complexion, light skinned, light skin
medium         olive skinned, olive skin, medium skin
=============  ==========================================================================

Hair and eyes are not skin: "dark hair" or "fair hair" leave the tone as it is.

Build (default: the studio bust as it always was, modelled on a man's average head):

=======  ====================================================================================
Build    Phrases
=======  ====================================================================================
woman    woman, women, girl, lady, female, she, her, actress, businesswoman, mother, bride
man      man, men, boy, gentleman, guy, male, he, his, him, actor, businessman, father, groom
=======  ====================================================================================

Hair (default short):

=======  ====================================================================================
Hair     Phrases
=======  ====================================================================================
bald     bald, shaved head, shaven head, hairless
short    short … hair, short haired, cropped hair, crew cut, buzz cut, pixie cut
long     long … hair, long haired, shoulder length, flowing hair, hair down, mane
=======  ====================================================================================

Beard (default none):

=======  ====================================================================================
Beard    Phrases
=======  ====================================================================================
none     clean shaven, no beard, beardless, without a beard
beard    beard, bearded, short beard, full beard
=======  ====================================================================================

Hair colour (default dark brown; a beard takes the hair's colour):

=======  ====================================================================================
Colour   Phrases
=======  ====================================================================================
grey     grey … hair, gray … hair, grey haired, gray haired, silver … hair, white … hair,
         grey … beard, gray … beard, white … beard, salt and pepper, greying, graying
=======  ====================================================================================

So "a man in his fifties with a short grey beard" is a man with short grey hair and a beard;
"a woman with long hair" a woman with long hair; "dark hair" changes nothing.
:mod:`lightrig.render.figure` says what each build, hair and beard changes on the bust.

Each tone is a diffuse albedo in linear sRGB (0–1 per channel), its luminance from about 0.46
(very light) to 0.06 (very dark), the hue deepening as it darkens; the lips follow the skin. The
renderer lights the skin with it; the exposure is still an incident meter's, so a dark-skinned
subject renders dark and a pale one bright, as they photograph. The skin's sheen (the same Fresnel
reflectance on every tone) is a larger share of what dark skin sends back and peaks on the lit
side, so on dark skin the picture's lit-to-shadow ratio reads above the analysis's incident one
(by 0.4–0.9 stop on very dark skin, against about 0.1 on medium).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from lightrig.render.figure import Beard, Build, Figure, HairLength

__all__ = [
    "BEARD_PHRASES",
    "BUILD_PHRASES",
    "HAIR_ALBEDO",
    "HAIR_COLOUR_PHRASES",
    "HAIR_PHRASES",
    "SKIN_ALBEDO",
    "TONE_PHRASES",
    "HairColour",
    "SkinTone",
    "Subject",
    "subject_for",
]


class SkinTone(StrEnum):
    """The subject's skin, very light to very dark."""

    VERY_LIGHT = "very light"
    LIGHT = "light"
    MEDIUM = "medium"
    TAN = "tan"
    DARK = "dark"
    VERY_DARK = "very dark"


#: Diffuse albedo per tone, linear sRGB (0–1 per channel); medium is the bust's default skin.
SKIN_ALBEDO: dict[SkinTone, tuple[float, float, float]] = {
    SkinTone.VERY_LIGHT: (0.66, 0.42, 0.34),
    SkinTone.LIGHT: (0.56, 0.35, 0.27),
    SkinTone.MEDIUM: (0.456, 0.265, 0.191),
    SkinTone.TAN: (0.34, 0.18, 0.12),
    SkinTone.DARK: (0.19, 0.09, 0.06),
    SkinTone.VERY_DARK: (0.10, 0.045, 0.03),
}

#: The words of each tone, in the order they are tried (the module's table).
TONE_PHRASES: tuple[tuple[SkinTone, tuple[str, ...]], ...] = (
    (SkinTone.VERY_DARK, ("very dark skinned", "very dark skin", "deep dark skin", "ebony skin")),
    (
        SkinTone.VERY_LIGHT,
        ("very pale", "very fair skinned", "very fair skin", "porcelain", "alabaster"),
    ),
    (
        SkinTone.DARK,
        ("dark skinned", "dark skin", "dark complexion", "deep skin", "deep skinned"),
    ),
    (
        SkinTone.TAN,
        ("tanned", "tan skin", "tan skinned", "brown skinned", "brown skin", "bronzed"),
    ),
    (
        SkinTone.LIGHT,
        (
            "pale",
            "fair skinned",
            "fair skin",
            "fair complexion",
            "light skinned",
            "light skin",
        ),
    ),
    (SkinTone.MEDIUM, ("olive skinned", "olive skin", "medium skin")),
)

#: The words of each build, in the order they are tried (the module's table).
BUILD_PHRASES: tuple[tuple[Build, tuple[str, ...]], ...] = (
    (
        Build.WOMAN,
        (
            "woman",
            "women",
            "girl",
            "lady",
            "female",
            "she",
            "her",
            "actress",
            "businesswoman",
            "mother",
            "bride",
        ),
    ),
    (
        Build.MAN,
        (
            "man",
            "men",
            "boy",
            "gentleman",
            "guy",
            "male",
            "he",
            "his",
            "him",
            "actor",
            "businessman",
            "father",
            "groom",
        ),
    ),
)

#: The words of each hair length, in the order they are tried (the module's table).
HAIR_PHRASES: tuple[tuple[HairLength, tuple[str, ...]], ...] = (
    (HairLength.BALD, ("bald", "shaved head", "shaven head", "hairless")),
    (
        HairLength.SHORT,
        ("short … hair", "short haired", "cropped hair", "crew cut", "buzz cut", "pixie cut"),
    ),
    (
        HairLength.LONG,
        ("long … hair", "long haired", "shoulder length", "flowing hair", "hair down", "mane"),
    ),
)

#: The words of each beard, in the order they are tried (the module's table).
BEARD_PHRASES: tuple[tuple[Beard, tuple[str, ...]], ...] = (
    (Beard.NONE, ("clean shaven", "no beard", "beardless", "without a beard")),
    (Beard.BEARD, ("beard", "bearded", "short beard", "full beard")),
)


class HairColour(StrEnum):
    """The hair's (and a beard's) colour."""

    DARK = "dark brown"
    GREY = "grey"


#: The words of each hair colour, in the order they are tried (the module's table).
HAIR_COLOUR_PHRASES: tuple[tuple[HairColour, tuple[str, ...]], ...] = (
    (
        HairColour.GREY,
        (
            "grey … hair",
            "gray … hair",
            "grey haired",
            "gray haired",
            "silver … hair",
            "white … hair",
            "grey … beard",
            "gray … beard",
            "white … beard",
            "salt and pepper",
            "greying",
            "graying",
        ),
    ),
)

#: Diffuse albedo per hair colour, linear sRGB (0–1 per channel); dark brown is the bust's.
HAIR_ALBEDO: dict[HairColour, tuple[float, float, float]] = {
    HairColour.DARK: (0.045, 0.03, 0.022),
    HairColour.GREY: (0.12, 0.116, 0.112),
}

#: The lips' albedo as a fraction of the skin's, per channel.
_LIP_SHARE = (0.40 / 0.456, 0.16 / 0.265, 0.15 / 0.191)


@dataclass(frozen=True)
class Subject:
    """The sitter: skin tone, build, hair and beard."""

    tone: SkinTone = SkinTone.MEDIUM
    build: Build = Build.DEFAULT
    hair: HairLength = HairLength.SHORT
    beard: Beard = Beard.NONE
    hair_colour: HairColour = HairColour.DARK

    @property
    def figure(self) -> Figure:
        """The variant of the bust that sits: build, hair and beard."""
        return Figure(self.build, self.hair, self.beard)

    @property
    def skin_albedo(self) -> tuple[float, float, float]:
        """The skin's diffuse albedo, linear sRGB (0–1 per channel)."""
        return SKIN_ALBEDO[self.tone]

    @property
    def lip_albedo(self) -> tuple[float, float, float]:
        """The lips' diffuse albedo, linear sRGB (0–1 per channel): the skin's, deepened."""
        r, g, b = self.skin_albedo
        return (r * _LIP_SHARE[0], g * _LIP_SHARE[1], b * _LIP_SHARE[2])

    def dress(
        self, materials: npt.NDArray[np.float64], skin: int, lip: int, hair: int | None = None
    ) -> None:
        """Write this subject's skin, lip and (given its row) hair albedo into a material table
        (rows ``skin``, ``lip`` and ``hair``, columns 0–2), in place."""
        materials[skin, :3] = self.skin_albedo
        materials[lip, :3] = self.lip_albedo
        if hair is not None:
            materials[hair, :3] = HAIR_ALBEDO[self.hair_colour]


def _words(text: str) -> str:
    """Lower case, hyphens and punctuation as spaces, single spaces, padded by one each side."""
    return " " + " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split()) + " "


@functools.cache
def _pattern(phrase: str) -> re.Pattern[str]:
    """A phrase of the tables as a pattern over :func:`_words`' text: whole words, ``…`` up to
    two other words."""
    parts = [re.escape(part.strip()) for part in phrase.split("…")]
    return re.compile(" " + " (?:[a-z0-9]+ ){0,2}".join(parts) + " ")


_T = TypeVar("_T")


def _first(words: str, table: tuple[tuple[_T, tuple[str, ...]], ...], default: _T) -> _T:
    """The first row of ``table`` with a phrase in ``words``; else ``default``."""
    for value, phrases in table:
        if any(_pattern(phrase).search(words) for phrase in phrases):
            return value
    return default


def subject_for(description: str) -> Subject:
    """The subject a description names (see the module's tables); the default bust, medium
    skin, by default."""
    words = _words(description)
    return Subject(
        tone=_first(words, TONE_PHRASES, SkinTone.MEDIUM),
        build=_first(words, BUILD_PHRASES, Build.DEFAULT),
        hair=_first(words, HAIR_PHRASES, HairLength.SHORT),
        beard=_first(words, BEARD_PHRASES, Beard.NONE),
        hair_colour=_first(words, HAIR_COLOUR_PHRASES, HairColour.DARK),
    )
