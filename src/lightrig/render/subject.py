"""Who sits for the preview: the subject's skin tone, read from the request's description.

:func:`subject_for` is a pure function of the words of ``subject_description``. The first row of
this table (read top to bottom) with a phrase in the description sets the skin tone; phrases
match whole words, case and hyphens aside ("Dark-skinned" is "dark skinned"); with none the
tone is medium, the bust's default.

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

Each tone is a diffuse albedo in linear sRGB (0–1 per channel), its luminance from about 0.46
(very light) to 0.06 (very dark), the hue deepening as it darkens; the lips follow the skin. The
renderer lights the skin with it; the exposure is still an incident meter's, so a dark-skinned
subject renders dark and a pale one bright, as they photograph. The skin's sheen (the same Fresnel
reflectance on every tone) is a larger share of what dark skin sends back and peaks on the lit
side, so on dark skin the picture's lit-to-shadow ratio reads above the analysis's incident one
(by 0.4–0.9 stop on very dark skin, against about 0.1 on medium).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

__all__ = ["SKIN_ALBEDO", "TONE_PHRASES", "SkinTone", "Subject", "subject_for"]


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

#: The lips' albedo as a fraction of the skin's, per channel.
_LIP_SHARE = (0.40 / 0.456, 0.16 / 0.265, 0.15 / 0.191)


@dataclass(frozen=True)
class Subject:
    """The sitter: for now, their skin tone."""

    tone: SkinTone = SkinTone.MEDIUM

    @property
    def skin_albedo(self) -> tuple[float, float, float]:
        """The skin's diffuse albedo, linear sRGB (0–1 per channel)."""
        return SKIN_ALBEDO[self.tone]

    @property
    def lip_albedo(self) -> tuple[float, float, float]:
        """The lips' diffuse albedo, linear sRGB (0–1 per channel): the skin's, deepened."""
        r, g, b = self.skin_albedo
        return (r * _LIP_SHARE[0], g * _LIP_SHARE[1], b * _LIP_SHARE[2])

    def dress(self, materials: npt.NDArray[np.float64], skin: int, lip: int) -> None:
        """Write this subject's skin and lip albedo into a material table (rows ``skin`` and
        ``lip``, columns 0–2), in place."""
        materials[skin, :3] = self.skin_albedo
        materials[lip, :3] = self.lip_albedo


def _words(text: str) -> str:
    """Lower case, hyphens and punctuation as spaces, single spaces, padded by one each side."""
    return " " + " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split()) + " "


def subject_for(description: str) -> Subject:
    """The subject a description names (see the module's table); medium skin by default."""
    words = _words(description)
    for tone, phrases in TONE_PHRASES:
        if any(f" {phrase} " in words for phrase in phrases):
            return Subject(tone)
    return Subject()
