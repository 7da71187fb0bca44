"""Shadow hardness from the fine detail of a face's shading.

A small (hard) source draws cast shadows — under the nose, in the eye sockets, under the jaw — with
crisp, deep edges; a large (soft) source fills them with penumbra, so the shading's fine detail
weakens relative to its broad modelling. The statistic is the ratio of the two in log luminance
over the face's skin (away from its edges): the 95th percentile of the detail finer than about
1/70 of the face's width over the 95th percentile of the detail between that scale and three
times it. It is weak evidence — the face's own features (nose ridge, lips, sockets) add fine
detail under any light, and at small picture sizes penumbras are a pixel or two — so its
confidence is capped low. The thresholds were first set on preview renders of random setups whose
truth is the analyzer's class (apparent angle under 10° hard, over 25° soft) — renders with one
sample a pixel, whose aliasing adds fine detail of its own. A picture is antialiased (a camera's
pixels integrate the light; the preview backend supersamples, and the check's reference render
now does too), and reads lower: on 140 random setups (``benchmarks/verify.py``'s main-set
generator, seeds 11–14), rendered at 512 px with 2 × 2 samples a pixel and read at 320 px, the
statistic read a median 0.017 under the same setups rendered at 384 px with one sample a pixel
(0.06 under the benchmark's own 192–256 px ones). The thresholds moved down by that 0.017 (to
0.45 and 0.415), so an antialiased picture of a hard light reads hard. The bust was then
reshaped (rounder cheeks and jaw, a brow, nostrils; ``benchmarks/hardness.py``): the same 140
setups, rendered and read the same way, read a median 0.021 lower on the new bust than on the
old one (pair by pair; quartiles −0.049 and +0.019; hard keys 0.034 lower, medium ones 0.005,
soft ones 0.019), and the thresholds moved down by that too (to 0.43 and 0.395).
The statistic does not tell the classes apart on random setups. On today's verifier the same 140
setups (the dev set) read right 58 times in 140 — hard keys 1 of 31, medium ones 6 of 56, soft
ones 51 of 53, with medians 0.335, 0.348 and 0.331 — and 70 further setups kept out of every
choice (seeds 21 and 22, 35 each) 25 times in 70 (hard 1 of 15, medium 2 of 29, soft 22 of 26).
Whatever the thresholds, a hard setup reads higher than a soft one in 56 % of such pairs on the
dev set and 48 % on the held-out one (50 %: chance; ``benchmarks/hardness.py`` prints these
rankings). What moves it is mostly where the key is: one head under one key without fill reads
0.74 under a 2.5° source and 0.51 under a 48° one from 45° to the side, but about 0.26 under
every size from 20° (``benchmarks/hardness.py --sweep``). The preview renderer lights a surface
by the cosine of the key's centre, so a terminator (the edge of an attached shadow, most of the
face's strong shadow edges) is drawn the same under every source size; only cast shadows get a
penumbra, and at 320 px (the reference render: 288 px) a face is about 100 px wide, so a 10°
source's penumbra from the nose is two or three pixels. The preview backend's picture of
the film-noir preset (a 4.3° key) reads 0.297 and its reference render 0.279, below that 48°
source, so no threshold reads it hard without reading soft side light hard too. Measuring the
width of the strong shadow edges directly (the step across an edge over its steepest gradient,
or the share of a step taken within 1/40 of the face's width, at the strongest edges) did no
better: the variants best on the dev set (ranking hard over soft 0.69–0.71 there) ranked it
0.45–0.59 on the held-out one, and reading the picture at its own 512 px instead of 320 did not
help. The statistic is kept, with its thresholds, until the renders show the source's size. On
real photographs of faces lit by one small strobe (every fourth of the 1173 pictures of the
cropped Extended Yale Face Database B set that ``benchmarks/verify_real.py`` reads, 294, read
with the default display encoding) it reads hard 291 times (median 0.549, quartiles 0.515 and
0.596); there is no softly lit set beside them to tell how much of that is the light and how
much the skin's own texture.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from lightrig.lighting.softness import ShadowHardness
from lightrig.verify.regions import erode

__all__ = ["HARD_ABOVE", "SOFT_BELOW", "classify", "sharpness"]

#: Sharpness above this reads hard, below the second soft.
HARD_ABOVE = 0.43
SOFT_BELOW = 0.395
#: Fine detail scale as a fraction of the face's width.
_FINE_OF_WIDTH = 1.0 / 70.0
_MIN_PIXELS = 60


def _box(values: npt.NDArray[np.float64], radius: int) -> npt.NDArray[np.float64]:
    """Mean over a (2·radius + 1)² square (edges repeated), by summed-area table."""
    side = 2 * radius + 1
    padded = np.pad(values, radius, mode="edge")
    table = np.pad(padded.cumsum(axis=0).cumsum(axis=1), ((1, 0), (1, 0)))
    total = (
        table[side:, side:] - table[:-side, side:] - table[side:, :-side] + table[:-side, :-side]
    )
    return np.asarray(total / (side * side), dtype=np.float64)


def sharpness(
    luminance: npt.NDArray[np.floating], skin: npt.NDArray[np.bool_], face_width: float
) -> float | None:
    """The fine-to-coarse detail ratio of the face's shading (about 0.3–0.6), or None when
    too little skin remains away from its edges."""
    radius = max(1, round(face_width * _FINE_OF_WIDTH))
    inner = erode(skin, 3 * radius)
    if int(inner.sum()) < _MIN_PIXELS:
        return None
    log = np.log2(np.maximum(np.asarray(luminance, dtype=np.float64), 1e-5))
    fine_mean = _box(log, radius)
    fine = np.abs(log - fine_mean)[inner]
    coarse = np.abs(fine_mean - _box(log, 3 * radius))[inner]
    broad = float(np.percentile(coarse, 95.0))
    if broad <= 1e-4:
        return None
    return float(np.percentile(fine, 95.0)) / broad


def classify(value: float) -> tuple[ShadowHardness, float]:
    """The class of a sharpness value and how clearly it falls in it (0–1, before capping)."""
    if value > HARD_ABOVE:
        return ShadowHardness.HARD, min(1.0, (value - HARD_ABOVE) / 0.05)
    if value < SOFT_BELOW:
        return ShadowHardness.SOFT, min(1.0, (SOFT_BELOW - value) / 0.05)
    middle = 0.5 * (HARD_ABOVE + SOFT_BELOW)
    return ShadowHardness.MEDIUM, 1.0 - abs(value - middle) / (0.5 * (HARD_ABOVE - SOFT_BELOW))
