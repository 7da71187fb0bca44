"""Finding the subject: the face (or head) in a picture, by colour and shape, without models.

Skin is recognised by its colour *relative to the light*: under any light, skin pixels cluster
tightly in log chroma (``ln R/G``, ``ln B/G``), because a change of light shifts every surface's
log chroma by the same amount. The clusters that could be skin — whose colour, with the mid skin
albedo divided out, lies near the Planckian locus — are weighed by brightness and by a mild
preference for the centre and upper half of the frame, and the strongest one is taken as the face's
skin; pixels like the picture's border (the backdrop) are left out first.

A pixel is skin-coloured when its log chroma lies within 0.1 of the cluster's, widened by how
uncertain its colour is (one code value of error moves a dark channel's log a lot, and a bright
one's too once the tone curve's shoulder is undone — which matters for JPEG), or when the mean
colour of its 5 × 5 neighbourhood does (against noise and JPEG's blocks). Gaps of a few pixels
(a dark brow) are bridged and the brightest connected patch, favouring the frame's centre, is the
face. Beside it, in its rows, pixels too dark to show any colour but unlike the backdrop are taken
as skin in deep shadow, so a black shadow side does not narrow the face to its lit half; the
search for them steps over a feature of another colour lit at the shadow's edge (the lips, a
nostril's rim), as long as it is short and not the backdrop's colour. The
face's rows, from the hairline down 1.2 face widths, and their left and right edges give its
outline, from which :mod:`lightrig.verify.shape` models the normals.

When no skin is found (a product shot, an illustration in odd colours), the central upper part of
the frame stands in for the subject with a low confidence. A flat, blank, black or white picture
has no subject at all, and says why.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lightrig.verify.chroma import SKIN_ALBEDO, locus, log_chroma
from lightrig.verify.image import LOG_STEP, LinearImage
from lightrig.verify.models import SubjectKind
from lightrig.verify.regions import close, label, open_

__all__ = [
    "FaceOutline",
    "Subject",
    "SubjectKind",
    "border_mask",
    "find_subject",
    "outline_of",
]

#: Encoded level (0–255) every channel must reach for a pixel's colour to be trusted.
_MIN_LEVEL = 6
#: Log-chroma radius of the skin cluster for well-exposed pixels.
_SKIN_RADIUS = 0.10
#: Extra radius per unit of a pixel's colour sensitivity (log change per code value).
_NOISE_RADIUS = 1.0
#: The same for bright channels, where the tone curve's shoulder, undone, multiplies the few
#: code values of error a JPEG makes (a shadow's channel is never brighter than the shoulder).
_SHOULDER_RADIUS = 4.0
#: Pixels this close (log chroma) to the border's colour count as backdrop.
_BACKDROP_RADIUS = 0.12
#: Skin-coloured pixels, seen through the skin albedo, lie within this Δuv of the locus.
_SKIN_DUV = 0.02
#: A border colour this close to skin (Δuv through the skin albedo) is taken for skin.
_BORDER_SKIN_DUV = 0.005
#: The face spans this many face widths down from the hairline.
_FACE_HEIGHT_IN_WIDTHS = 1.2
#: Dark pixels this far (stops) from the backdrop's brightness may be shadowed skin.
_SHADED_VS_BACKDROP_STOPS = 0.5
#: How far (face widths) shadowed skin may reach beside the lit skin.
_SHADED_REACH = 1.2
#: The longest run (face widths) of pixels neither dark nor skin-coloured nor the backdrop's
#: colour (the lips, a nostril's rim) the search for shadowed skin steps over.
_SHADED_GAP = 0.25
#: The least stretch of darkness (face widths) beyond such a run that is taken.
_SHADED_BEYOND = 0.2
#: At most this many further searches for shadowed skin over the rows of a taller outline.
_SHADED_PASSES = 3
#: Gaps up to 2·_BRIDGE + 1 pixels in the skin are bridged when choosing the face.
_BRIDGE = 2
#: Colour is also classified on a (2·_SMOOTH + 1)² mean of the picture.
_SMOOTH = 2
#: Confidence given to the central-region stand-in.
_FALLBACK_CONFIDENCE = 0.15

_SKIN_CHROMA = log_chroma(SKIN_ALBEDO)

BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class FaceOutline:
    """The face's outline, row by row (pixel units of the analysed picture).

    ``top``: the hairline row; ``bottom``: one past the last face row; ``centre`` and
    ``half_width``: per row from ``top`` to ``bottom``, the middle and half the width of the
    face there (smoothed); ``width``: the face's typical full width.
    """

    top: int
    bottom: int
    centre: FloatArray
    half_width: FloatArray
    width: float

    @property
    def height(self) -> int:
        """Rows the face spans."""
        return self.bottom - self.top


@dataclass(frozen=True)
class Subject:
    """Where the subject is.

    ``found``: False when there is nothing to analyse (``reason`` says why). ``kind``: a face
    found by its skin, or the central region standing in. ``confidence``: 0–1 that the region
    is the subject's face. ``skin``: the face's skin pixels (H × W); ``shaded``: face pixels
    too dark to show their colour (skin in deep shadow, as far as can be told); ``outline``: its
    rows and
    edges; ``skin_chroma``: the skin cluster's log chroma; ``box``: top, left, bottom, right
    (bottom and right exclusive) of the face.
    """

    found: bool
    kind: SubjectKind
    confidence: float
    reason: str
    skin: BoolArray
    shaded: BoolArray
    outline: FaceOutline | None
    skin_chroma: tuple[float, float] | None
    box: tuple[int, int, int, int] | None


def _none(shape: tuple[int, int], reason: str) -> Subject:
    return Subject(
        found=False,
        kind=SubjectKind.NONE,
        confidence=0.0,
        reason=reason,
        skin=np.zeros(shape, dtype=np.bool_),
        shaded=np.zeros(shape, dtype=np.bool_),
        outline=None,
        skin_chroma=None,
        box=None,
    )


def _flatness(image: LinearImage) -> str | None:
    """Why the picture has no subject at all, or None."""
    encoded = image.encoded.astype(np.float32)
    luma = encoded @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    low, high = np.percentile(luma, [1.0, 99.0])
    if high < 8.0:
        return "the image is black: nothing in it is lit"
    if low > 250.0:
        return "the image is white: everything in it is clipped"
    spread = float(high - low)
    colour_spread = float(np.percentile(np.ptp(encoded, axis=2), 99.0)) - float(
        np.percentile(np.ptp(encoded, axis=2), 1.0)
    )
    if spread < 6.0 and colour_spread < 6.0:
        return (
            f"the image is flat: its brightness varies by only {spread:.0f}/255 and it shows "
            "no shapes, so there is no subject and no light to read"
        )
    return None


def _smoothed(linear: npt.NDArray[np.float32], radius: int) -> npt.NDArray[np.float32]:
    """A (2·radius + 1)² mean of each channel (edges repeated): steadier colour for classifying
    pixels, against sensor noise and the blocks and halved colour resolution of JPEG."""
    if radius <= 0:
        return linear
    side = 2 * radius + 1
    padded = np.pad(linear, ((radius, radius), (radius, radius), (0, 0)), mode="edge")
    height, width = linear.shape[:2]
    total = np.zeros_like(linear)
    for dr in range(side):
        for dc in range(side):
            total += padded[dr : dr + height, dc : dc + width]
    return total / np.float32(side * side)


def border_mask(height: int, width: int) -> BoolArray:
    """The frame's border, where the backdrop shows (H × W): a band 4 % of the shorter side
    along the top and down each side over the upper 70 % (a subject's body may fill the bottom)."""
    band = max(2, round(0.04 * min(height, width)))
    mask = np.zeros((height, width), dtype=np.bool_)
    upper = round(0.7 * height)
    mask[:band, :] = True
    mask[:upper, :band] = True
    mask[:upper, width - band :] = True
    return mask


def _prior(height: int, width: int) -> FloatArray:
    """A mild preference for the centre and upper half of the frame (1 at its peak)."""
    rows = (np.arange(height) - 0.4 * height) / (0.45 * height)
    cols = (np.arange(width) - 0.5 * width) / (0.35 * width)
    return np.exp(-0.5 * (rows[:, None] ** 2 + cols[None, :] ** 2))


def _skin_mode(chroma: FloatArray, weight: FloatArray) -> tuple[float, float] | None:
    """The log chroma where the weighted candidates are densest, refined by a local mean."""
    if chroma.shape[0] < 20 or weight.sum() <= 0.0:
        return None
    low = np.percentile(chroma, 0.5, axis=0) - 0.05
    high = np.percentile(chroma, 99.5, axis=0) + 0.05
    bins = np.maximum(4, np.ceil((high - low) / 0.025)).astype(int)
    hist, edges_r, edges_b = np.histogram2d(
        chroma[:, 0],
        chroma[:, 1],
        bins=(int(bins[0]), int(bins[1])),
        range=((low[0], high[0]), (low[1], high[1])),
        weights=weight,
    )
    padded = np.pad(hist, 2)
    smooth = np.zeros_like(hist)
    for dr in range(5):
        for dc in range(5):
            smooth += padded[dr : dr + hist.shape[0], dc : dc + hist.shape[1]]
    i, j = np.unravel_index(int(np.argmax(smooth)), smooth.shape)
    peak = np.array([0.5 * (edges_r[i] + edges_r[i + 1]), 0.5 * (edges_b[j] + edges_b[j + 1])])
    for _ in range(3):
        near = ((chroma - peak) ** 2).sum(axis=1) < (0.08**2)
        if weight[near].sum() <= 0.0:
            break
        peak = (chroma[near] * weight[near, None]).sum(axis=0) / weight[near].sum()
    return float(peak[0]), float(peak[1])


def outline_of(skin: BoolArray) -> FaceOutline | None:
    """The face's outline from its skin mask, or None when the mask has no face shape.

    The typical width is the 80th percentile of the row widths in the mask's upper 40 %; the
    hairline is the first row at least 35 % that wide; the face runs 1.2 widths down from it.
    """
    rows = np.flatnonzero(skin.any(axis=1))
    if rows.size < 6:
        return None
    first, last = int(rows[0]), int(rows[-1]) + 1
    widths = np.zeros(last - first)
    lefts = np.zeros(last - first)
    rights = np.zeros(last - first)
    for k, row in enumerate(range(first, last)):
        cols = np.flatnonzero(skin[row])
        if cols.size:
            lefts[k], rights[k] = cols[0], cols[-1] + 1
            widths[k] = rights[k] - lefts[k]
    upper = widths[: max(3, int(0.4 * widths.size))]
    typical = float(np.percentile(upper, 80.0))
    if typical < 4.0:
        return None
    hairline = int(np.flatnonzero(widths >= 0.35 * typical)[0])
    top = first + hairline
    bottom = min(last, top + max(6, round(_FACE_HEIGHT_IN_WIDTHS * typical)))
    span = slice(top - first, bottom - first)
    left, right, width = lefts[span].copy(), rights[span].copy(), widths[span]
    # rows where the skin is missing or pinched (eyes in shadow, hair over the brow) take the
    # nearest good row's edges; then the edges are smoothed over a few rows
    good = width >= 0.5 * typical
    if good.sum() < 3:
        return None
    index = np.arange(width.size)
    left = np.interp(index, index[good], left[good])
    right = np.interp(index, index[good], right[good])
    kernel = np.ones(5) / 5.0
    left = np.convolve(np.pad(left, 2, mode="edge"), kernel, mode="valid")
    right = np.convolve(np.pad(right, 2, mode="edge"), kernel, mode="valid")
    return FaceOutline(
        top=top,
        bottom=bottom,
        centre=0.5 * (left + right),
        half_width=np.maximum(0.5 * (right - left), 1.0),
        width=typical,
    )


def _fallback(image: LinearImage, reason: str) -> Subject:
    height, width = image.height, image.width
    top, bottom = round(0.1 * height), round(0.65 * height)
    left, right = round(0.25 * width), round(0.75 * width)
    region = np.zeros((height, width), dtype=np.bool_)
    region[top:bottom, left:right] = True
    rows = bottom - top
    outline = FaceOutline(
        top=top,
        bottom=bottom,
        centre=np.full(rows, 0.5 * (left + right - 1)),
        half_width=np.full(rows, 0.5 * (right - left)),
        width=float(right - left),
    )
    return Subject(
        found=True,
        kind=SubjectKind.CENTRAL_REGION,
        confidence=_FALLBACK_CONFIDENCE,
        reason=reason + "; the central upper part of the frame stands in for the subject",
        skin=region & ~image.clipped,
        shaded=np.zeros((height, width), dtype=np.bool_),
        outline=outline,
        skin_chroma=None,
        box=(top, left, bottom, right),
    )


def _shaded(
    image: LinearImage,
    skin: BoolArray,
    valid: BoolArray,
    outline: FaceOutline,
    border: BoolArray,
    *,
    backdrop_chroma: FloatArray | None,
) -> tuple[BoolArray, BoolArray]:
    """Pixels beside the face's skin, in its rows, too dark to show their colour: those next to
    it, and those beyond a run of other pixels (see below).

    A side of the face in deep shadow is black, not skin-coloured; left out, it would narrow the
    outline to the lit side and mislead the shape. The skin is grown sideways, row by row,
    through pixels darker than a third of the skin's dimmer tenth — and unlike the backdrop
    (more than half a stop from the border's median brightness) — by at most 1.2 widths of the
    outline given (the lit part's, at first). The growth steps over runs of up to a quarter of
    that width of pixels that are neither dark nor the skin's colour nor (``backdrop_chroma``,
    log chroma, when the backdrop is one colour) the backdrop's: the face's own features at the
    shadow's edge, lit partly — the lips, a nostril's rim — which would otherwise stop it short
    of the dark side beyond them (the run itself is not taken: it is not dark); the darkness
    beyond a run is taken only where it stretches a fifth of the width or more (a sliver there
    is an edge, or hair or an ear beside the face); it widens the outline, but being less surely
    skin than darkness next to it, it is not given as shaded skin to read the light from. Without a
    backdrop colour nothing is stepped over. A row whose darkness runs on that far, or to the
    frame's edge, is dark into the backdrop and gains nothing.
    """
    luminance = image.luminance
    level = float(np.percentile(luminance[skin], 10.0)) / 3.0
    dark = ((luminance < level) | ~valid) & ~image.clipped
    if border.any():
        backdrop = float(np.median(luminance[border]))
        ratio = np.log2(np.maximum(luminance, 1e-6) / max(backdrop, 1e-6))
        dark &= np.abs(ratio) > _SHADED_VS_BACKDROP_STOPS
    dark &= ~skin
    rows = np.zeros(skin.shape[0], dtype=np.bool_)
    rows[outline.top : outline.bottom] = True
    dark &= rows[:, None]
    if backdrop_chroma is None:
        passable = np.zeros_like(skin)
    else:
        apart = ((log_chroma(image.linear) - backdrop_chroma) ** 2).sum(axis=2)
        passable = valid & ~dark & ~skin & (apart > _BACKDROP_RADIUS**2) & rows[:, None]
    longest = max(1, round(_SHADED_GAP * outline.width))
    shaded = np.zeros_like(skin)
    beyond_runs = np.zeros_like(skin)
    for leftward in (False, True):
        # the growth's front in each row, and how many passable pixels it has just crossed
        front = skin & rows[:, None]
        run = np.zeros(skin.shape, dtype=np.int32)
        # how many runs the front has stepped over, and (per pixel taken) how many it had
        stage = np.zeros(skin.shape, dtype=np.int32)
        segment = np.zeros(skin.shape, dtype=np.int32)
        side = np.zeros_like(skin)
        for _ in range(round(_SHADED_REACH * outline.width)):
            step = np.zeros_like(front)
            crossed = np.zeros_like(run)
            stages = np.zeros_like(stage)
            if leftward:
                step[:, :-1], crossed[:, :-1], stages[:, :-1] = (
                    front[:, 1:],
                    run[:, 1:],
                    stage[:, 1:],
                )
            else:
                step[:, 1:], crossed[:, 1:], stages[:, 1:] = (
                    front[:, :-1],
                    run[:, :-1],
                    stage[:, :-1],
                )
            step &= ~side & ~skin
            into_dark = step & dark
            over = step & passable & (crossed < longest)
            side |= into_dark
            # a front entering a run starts a new stage; one leaving it into the dark keeps it
            stage = np.where(over & (crossed == 0), stages + 1, stages).astype(np.int32)
            segment = np.where(into_dark, stage, segment)
            run = np.where(over, crossed + 1, 0).astype(np.int32)
            front = into_dark | over  # the rows still growing
            if not front.any():
                break
        # darkness beyond a run stepped over counts only when there is a stretch of it (the
        # shadowed side of a face), not a sliver (an edge, hair or an ear beyond the face's)
        shortest = max(2, round(_SHADED_BEYOND * outline.width))
        for k in range(1, int(segment.max(initial=0)) + 1):
            beyond = side & (segment == k)
            short = beyond.sum(axis=1) < shortest
            side[short[:, None] & (segment >= k)] = False
        # a row whose darkness runs on as far as the reach goes, or to the frame's edge, is dark
        # into the backdrop (a black one, or one the shadow cannot be told from): no face there
        edge = side[:, 0] | side[:, -1]
        side[front.any(axis=1) | edge] = False
        shaded |= side & (segment == 0)
        beyond_runs |= side & (segment > 0)
    return shaded, beyond_runs


def find_subject(image: LinearImage, white_balance: float) -> Subject:
    """Find the subject's face in ``image`` (white balance in kelvin, for the skin test)."""
    shape = (image.height, image.width)
    why = _flatness(image)
    if why is not None:
        return _none(shape, why)

    encoded = image.encoded
    valid = (encoded.min(axis=2) >= _MIN_LEVEL) & ~image.clipped
    chroma = log_chroma(image.linear)
    border = border_mask(*shape) & valid
    candidates = valid.copy()
    backdrop_chroma: FloatArray | None = None
    if border.sum() >= 20:
        backdrop = np.median(chroma[border], axis=0)
        spread = np.sqrt(((chroma[border] - backdrop) ** 2).sum(axis=1))
        seen_as_skin = locus(white_balance).nearest(
            image.linear[border].astype(np.float64).mean(axis=0) / SKIN_ALBEDO
        )[1]
        uniform = float(np.mean(spread < _BACKDROP_RADIUS)) >= 0.6
        if uniform:
            backdrop_chroma = np.asarray(backdrop, dtype=np.float64)
        # a border that is itself skin (a face filling the frame) is not a backdrop
        if uniform and float(seen_as_skin) > _BORDER_SKIN_DUV:
            candidates &= ((chroma - backdrop) ** 2).sum(axis=2) > _BACKDROP_RADIUS**2
    # plausibly skin: seen through the skin albedo, the colour is near a black body's
    rows, cols = np.nonzero(candidates)
    if rows.size:
        seen = chroma[rows, cols] - _SKIN_CHROMA
        keep = locus(white_balance).off_locus(seen) <= _SKIN_DUV
        rows, cols = rows[keep], cols[keep]
    if rows.size < max(25, 0.0015 * image.height * image.width):
        return _fallback(image, "no skin-toned region was found")

    prior = _prior(*shape)
    weight = image.luminance[rows, cols].astype(np.float64) * prior[rows, cols]
    mode = _skin_mode(chroma[rows, cols], weight)
    if mode is None:
        return _fallback(image, "no skin-toned region was found")

    # the colour of a pixel is as uncertain as its least certain channel: one code value moves
    # a dark channel's log a lot (quantisation), and a bright one's too (the tone curve's
    # shoulder undone), which JPEG's errors of a few code values make matter
    step = LOG_STEP[encoded]
    bright = encoded >= 128
    sensitivity = np.where(bright, 0.0, step).max(axis=2)
    shoulder = np.where(bright, step, 0.0).max(axis=2)
    radius = _SKIN_RADIUS + _NOISE_RADIUS * sensitivity + _SHOULDER_RADIUS * shoulder
    centre = np.asarray(mode)
    skin = valid & (((chroma - centre) ** 2).sum(axis=2) < radius**2)
    # the face's extent also takes pixels whose neighbourhood is skin-coloured (against noise
    # and JPEG's blocks), and bridges small gaps (a dark brow), before the face is chosen
    steady = log_chroma(_smoothed(image.linear, _SMOOTH))
    # (averaging n² pixels divides their noise by n, and so the allowance for it)
    steady_radius = _SKIN_RADIUS + (_NOISE_RADIUS * sensitivity + _SHOULDER_RADIUS * shoulder) / (
        2 * _SMOOTH + 1
    )
    extent = skin | (valid & (((steady - centre) ** 2).sum(axis=2) < steady_radius**2))
    if min(shape) >= 96:
        extent = open_(extent, 1)
    labels, count = label(close(extent, _BRIDGE))
    if count == 0:
        return _fallback(image, "no skin-toned region was found")
    areas = np.bincount(labels.ravel(), minlength=count + 1).astype(np.float64)
    scores = np.bincount(
        labels.ravel(), weights=(image.luminance * prior).ravel(), minlength=count + 1
    )
    scores[0] = 0.0
    best = int(np.argmax(scores))
    if areas[best] < max(20.0, 0.001 * image.height * image.width):
        return _fallback(image, "the skin-toned region is too small to be a face")
    component = labels == best
    face_skin = extent & component
    first = outline_of(component)
    if first is None:
        return _fallback(image, "the skin-toned region has no face shape")
    shaded, beyond = _shaded(
        image, component, valid, first, border, backdrop_chroma=backdrop_chroma
    )
    outline = outline_of(component | shaded | beyond)
    searched = first
    for _ in range(_SHADED_PASSES):
        if outline is None or outline.bottom <= searched.bottom:
            break
        # the lit half alone is narrow, and the face it outlines short: the dark half of its
        # lower rows is looked for again over the rows of the widened outline, until they
        # stop growing
        searched = outline
        shaded, beyond = _shaded(
            image, component, valid, outline, border, backdrop_chroma=backdrop_chroma
        )
        outline = outline_of(component | shaded | beyond)
    if outline is None:
        return _fallback(image, "the skin-toned region has no face shape")
    face_skin[: outline.top] = False
    face_skin[outline.bottom :] = False
    shaded[: outline.top] = False
    shaded[outline.bottom :] = False
    box = (
        outline.top,
        int(np.floor((outline.centre - outline.half_width).min())),
        outline.bottom,
        int(np.ceil((outline.centre + outline.half_width).max())),
    )
    share = float(scores[best] / max(scores.sum(), 1e-12))
    size = min(1.0, outline.width / 24.0)
    confidence = float(np.clip(0.35 + 0.65 * share, 0.0, 1.0) * (0.4 + 0.6 * size))
    return Subject(
        found=True,
        kind=SubjectKind.FACE,
        confidence=confidence,
        reason="a skin-toned face was found",
        skin=face_skin & valid,
        shaded=shaded,
        outline=outline,
        skin_chroma=mode,
        box=box,
    )
