"""The sitter's figure: build, hair and beard, as the form the bust's distance functions take.

A :class:`Figure` is a choice among a few variants of the one studio bust (all modelled by hand
in :mod:`lightrig.render.bust`); :meth:`Figure.form` turns it into the tuple of parameters those
functions read. What each choice changes, as factors on the default bust's measures:

======  =====================================================================================
man     jaw and chin 8 % wider, brow ridge 30 % thicker and 1.2 mm further forward, neck and
        shoulders 4 % wider, an Adam's apple
woman   jaw and chin 10 % narrower, cheeks below the cheekbones 12 % fuller, brow ridge 40 %
        thinner and 1.6 mm further back, neck 16 % and shoulders 14 % narrower, lips 20 %
        fuller
long    hair falling from the crown to 26 cm below eye level, tucked behind the ears, either
        side of the neck and onto the shoulders behind; the face stays clear
bald    no hair
beard   a short beard, 4.5 mm thick, over the chin, along the jaw and under it to the throat,
        and a moustache over the upper lip; the lips, the cheeks and the skin beside the
        mouth (where the analyzer's shadow probe sits) stay bare
======  =====================================================================================

The default figure (no words) is the bust as it always was, and renders exactly as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import cast

from lightrig.render.bust import (
    DEFAULT_FORM,
    FORM_ADAMS_APPLE,
    FORM_BEARD,
    FORM_BROW,
    FORM_CHEEKS,
    FORM_HAIR,
    FORM_HAIR_LENGTH,
    FORM_JAW,
    FORM_LIPS,
    FORM_NECK,
    FORM_SHOULDERS,
    Form,
)

__all__ = ["Beard", "Build", "Figure", "HairLength"]


class Build(StrEnum):
    """The sitter's build: the default bust, or a man's or a woman's."""

    DEFAULT = "default"
    MAN = "man"
    WOMAN = "woman"


class HairLength(StrEnum):
    """The sitter's hair: short (the default bust's), long, or none."""

    SHORT = "short"
    LONG = "long"
    BALD = "bald"


class Beard(StrEnum):
    """Whether the sitter wears a (short) beard."""

    NONE = "none"
    BEARD = "beard"


#: Each choice's form values, over the default's (index in the form array: value).
_BUILD_FORM: dict[Build, dict[int, float]] = {
    Build.DEFAULT: {},
    Build.MAN: {
        FORM_JAW: 1.08,
        FORM_BROW: 1.3,
        FORM_NECK: 1.04,
        FORM_SHOULDERS: 1.04,
        FORM_ADAMS_APPLE: 1.0,
    },
    Build.WOMAN: {
        FORM_JAW: 0.9,
        FORM_CHEEKS: 1.12,
        FORM_BROW: 0.6,
        FORM_NECK: 0.84,
        FORM_SHOULDERS: 0.86,
        FORM_LIPS: 1.2,
    },
}
_HAIR_FORM: dict[HairLength, dict[int, float]] = {
    HairLength.SHORT: {},
    HairLength.LONG: {FORM_HAIR_LENGTH: 0.26},
    HairLength.BALD: {FORM_HAIR: 0.0},
}
_BEARD_FORM: dict[Beard, dict[int, float]] = {
    Beard.NONE: {},
    Beard.BEARD: {FORM_BEARD: 0.0045},
}


@dataclass(frozen=True)
class Figure:
    """Build, hair and beard: which variant of the bust sits for the preview."""

    build: Build = Build.DEFAULT
    hair: HairLength = HairLength.SHORT
    beard: Beard = Beard.NONE

    @property
    def is_default(self) -> bool:
        """Whether this is the default bust (no words chose anything)."""
        return self == Figure()

    @property
    def name(self) -> str:
        """A short name for files and captions: ``default``, or e.g. ``woman-long-hair``."""
        if self.is_default:
            return "default"
        parts = [] if self.build is Build.DEFAULT else [self.build.value]
        if self.hair is not HairLength.SHORT:
            parts.append("bald" if self.hair is HairLength.BALD else f"{self.hair.value}-hair")
        if self.beard is Beard.BEARD:
            parts.append("beard")
        return "-".join(parts)

    def form(self) -> Form:
        """The form the bust's distance functions take: :data:`~lightrig.render.bust.FORM_SIZE`
        floats, so every variant is the one type the compiled kernels were compiled for."""
        form = list(DEFAULT_FORM)
        for choice in (_BUILD_FORM[self.build], _HAIR_FORM[self.hair], _BEARD_FORM[self.beard]):
            for index, value in choice.items():
                form[index] = float(value)
        return cast("Form", tuple(form))
