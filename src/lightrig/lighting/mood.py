"""The mood a setup gives, in the words photographers and art directors use.

Heuristics: low-key and high ratios read dramatic and mysterious; high-key and low ratios bright,
clean and cheerful; light from below unsettling; hard light crisp and graphic, soft light gentle;
3500 K and under warm and intimate, 6500 K and over cool and modern (relative to the white balance).
"""

from __future__ import annotations

from lightrig.lighting.colour import ColourCast
from lightrig.lighting.consistency import ColourConsistency
from lightrig.lighting.patterns import Pattern, TonalKey
from lightrig.lighting.softness import ShadowHardness
from lightrig.lighting.vocabulary import CAST_MOODS, PATTERNS

__all__ = ["mood_words"]

_MAX_WORDS = 5
_PATTERN_WORDS: dict[str, str] = {p.value: p.mood for p in PATTERNS}


def mood_words(
    *,
    pattern: Pattern,
    tonal_key: TonalKey,
    stops: float,
    hardness: ShadowHardness,
    cast: ColourCast,
    consistency: ColourConsistency,
    face_lit: bool = True,
) -> list[str]:
    """Up to five mood words, strongest first, from what the light measurably does.

    ``face_lit``: whether the front of the face gets light within 3 stops of the key (it matters
    for rim-lit setups: a glowing backlit face is dreamy, a dark one dramatic).
    Two words come from the contrast and tonal key (or the rim-lit / silhouette look), then one
    each from the colour, the pattern, a deliberate colour mix and the shadow quality.
    """
    if pattern is Pattern.SILHOUETTE:
        tone = ["graphic", "mysterious"]
    elif pattern is Pattern.RIM_LIT:
        tone = ["luminous", "dreamy"] if face_lit else ["dramatic", "atmospheric"]
    elif tonal_key is TonalKey.LOW or stops >= 3.0:
        tone = ["dramatic", "mysterious" if stops >= 3.0 else "moody"]
    elif tonal_key is TonalKey.HIGH:
        tone = ["bright", "cheerful"]
    elif stops <= 1.0:
        tone = ["bright", "airy"]
    elif stops >= 2.0:
        tone = ["sculpted", "moody"]
    else:
        tone = ["polished", "natural"]
    words = [*tone]
    if cast in CAST_MOODS:
        words.append(CAST_MOODS[cast])
    words.append(_PATTERN_WORDS[pattern])
    if consistency is ColourConsistency.DELIBERATE_MIX:
        words.append("cinematic")
    if hardness is ShadowHardness.HARD:
        words.append("crisp")
    elif hardness is ShadowHardness.SOFT:
        words.append("gentle")
    return list(dict.fromkeys(words))[:_MAX_WORDS]
