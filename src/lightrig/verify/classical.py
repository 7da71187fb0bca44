"""The classical way of reading a face, without a face model: skin colour and a generic head.

The face is found by its skin (:mod:`lightrig.verify.subject`; the central region of the frame
stands in, with a low confidence, when there is no skin) and given the normals of a generic head —
lightrig's bust — by its outline (:mod:`lightrig.verify.shape`); a key, a fill and ambient light
are fitted to its shading with the bust's cast shadows (:mod:`lightrig.verify.shading`,
:mod:`lightrig.verify.occlusion`).

It is the weaker way: it reads lightrig's own renders well, but a real face differs from the bust
and is placed on it only by its outline, and a greyscale picture shows no skin. It is used when no
face model is installed (``pip install 'lightrig[faces]'``), when the model finds no face (a
product, a bust, an illustration), and when asked for (``method="classical"``).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from lightrig.verify.image import LinearImage
from lightrig.verify.models import SubjectEstimate, SubjectKind
from lightrig.verify.occlusion import occlusion_for
from lightrig.verify.readings import ShadedFace, halves_asymmetry, modelled_light
from lightrig.verify.shading import ShadingFit, fit_shading
from lightrig.verify.shape import face_normals, head_map, outline_coordinates
from lightrig.verify.subject import FaceOutline, Subject, find_subject

__all__ = ["WEAKER", "read_classically"]

#: How the classical way names itself in the subject's reason.
WEAKER = "classical method, skin colour and a generic head"
#: Fewer face pixels than this and nothing is read from the shading.
_MIN_FACE_PIXELS = 60
#: Pixels this far across the face from its midline (either way) count for its halves.
_HALF_FROM = 0.2

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]


def _summary(subject: Subject, scale: float, pixels: int, note: str) -> SubjectEstimate:
    box = None
    if subject.box is not None:
        top, left, bottom, right = subject.box
        box = (
            round(top / scale),
            round(left / scale),
            round(bottom / scale),
            round(right / scale),
        )
    reason = subject.reason if not subject.found else f"{subject.reason} ({WEAKER}{note})"
    return SubjectEstimate(
        found=subject.found,
        kind=subject.kind,
        confidence=round(subject.confidence, 3),
        reason=reason,
        box=box,
        pixels=pixels,
        method="classical",
    )


def _within_outline(subject: Subject, picture: LinearImage) -> tuple[IntArray, IntArray]:
    """Rows and columns of the unclipped pixels within the face's outline."""
    outline = subject.outline
    if outline is None:
        rows, cols = np.nonzero(subject.skin)
        return rows, cols
    cols = np.arange(picture.width)
    inside = np.abs(cols[None, :] + 0.5 - outline.centre[:, None]) < outline.half_width[:, None]
    mask = np.zeros((picture.height, picture.width), dtype=np.bool_)
    mask[outline.top : outline.bottom] = inside
    rows, cols = np.nonzero(mask & ~picture.clipped)
    return rows, cols


def _dark_share(subject: Subject, picture: LinearImage) -> float:
    """The share of the face's outline that is not readable skin (too dark, or features)."""
    outline = subject.outline
    if outline is None:
        return 0.0
    rows = np.arange(outline.top, outline.bottom)
    cols = np.arange(picture.width)
    inside = np.abs(cols[None, :] + 0.5 - outline.centre[:, None]) < outline.half_width[:, None]
    area = float(inside.sum())
    if area <= 0.0:
        return 0.0
    skin = subject.skin[rows][inside]
    return 1.0 - float(skin.sum()) / area


def _outline_reading(
    subject: Subject, outline: FaceOutline, picture: LinearImage
) -> tuple[FloatArray, FloatArray, float]:
    """What the ratio reads on a face found by its skin: the generic head's normals (N × 3) and
    the linear luminance (N) of every unclipped pixel within its outline, skin-coloured or not
    (the darkest skin shows no colour, and leaving it out would brighten the shadow side), and
    the share of the outline too dark to read."""
    rows, cols = _within_outline(subject, picture)
    return (
        face_normals(outline, rows, cols),
        picture.luminance[rows, cols].astype(np.float64),
        _dark_share(subject, picture),
    )


def read_classically(
    picture: LinearImage, white_balance: float, note: str = ""
) -> ShadedFace | SubjectEstimate:
    """Find the face by its skin and fit the light on the generic head (up to 2500 of its
    pixels, 10° coarse searches); the subject alone (not found, with the reason) when there is
    nothing to read. ``note``: added to the subject's reason (why the classical way was taken)."""
    subject = find_subject(picture, white_balance)
    rows, cols = np.nonzero(subject.skin)
    summary = _summary(subject, picture.scale, int(rows.size), note)
    if not subject.found or subject.outline is None:
        return summary
    across_skin, down_skin = outline_coordinates(subject.outline, rows, cols)
    fit: ShadingFit | None = None
    normals: FloatArray | None = None
    if rows.size >= _MIN_FACE_PIXELS:
        # the fit also reads the face's shadowed skin, too dark to show its colour: that no
        # light reaches it is evidence too
        shaded_rows, shaded_cols = np.nonzero(subject.shaded & ~picture.clipped)
        fit_rows = np.concatenate([rows, shaded_rows])
        fit_cols = np.concatenate([cols, shaded_cols])
        across, down = outline_coordinates(subject.outline, fit_rows, fit_cols)
        fit_normals = head_map().lookup(across, down)
        fit_luminance = picture.luminance[fit_rows, fit_cols].astype(np.float64)
        visibility = occlusion_for(across, down)
        fit = fit_shading(fit_normals, fit_luminance, visibility=visibility)
        normals = head_map().lookup(across_skin, down_skin)
        why = "the face shows no shading to read the light from"
    else:
        why = f"the face is too small ({rows.size} readable pixels; {_MIN_FACE_PIXELS} needed)"
    luminance = picture.luminance[rows, cols].astype(np.float64)
    modelled = None
    if fit is not None and normals is not None:
        modelled = halves_asymmetry(modelled_light(fit, normals), across_skin, _HALF_FROM)
    outline_normals, outline_luminance, dark_share = _outline_reading(
        subject, subject.outline, picture
    )
    return ShadedFace(
        subject=summary,
        subject_confidence=subject.confidence,
        fit=fit,
        why=why,
        skin_rows=rows,
        skin_cols=cols,
        skin_normals=normals,
        skin_chroma_only=subject.kind is not SubjectKind.FACE,
        face_normals=outline_normals,
        face_luminance=outline_luminance,
        dark_share=dark_share,
        asymmetry=halves_asymmetry(luminance, across_skin, _HALF_FROM),
        modelled_asymmetry=modelled,
        hardness_mask=subject.skin,
        face_width=subject.outline.width,
    )
