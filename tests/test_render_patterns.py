"""The lighting patterns read on the preview, measured on the render itself.

Regions are placed with the renderer's own geometry buffers (each pixel's bust-space position,
normal and material), never with pixel coordinates guessed from a picture: the nose tip is the
face's most forward skin, the mouth's corners the lips' outermost pixels (or, on a bust without
lip pixels, 2.5 cm either side of the nose 3.5 cm under its tip), the cheeks the skin either side
of the nose between the tip's height and the eyes'. Light and shadow are split at the geometric
mean of the analyzer's two probes read on the same render (:mod:`lightrig.render.probes`), so a
pattern is judged against its own ratio, not against a fixed level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pytest
from scipy import ndimage

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.lighting.geometry import wrap_degrees
from lightrig.lighting.patterns import Pattern, classify_pattern
from lightrig.presets import PRESETS, get_preset
from lightrig.render.bust import EYE, LIP, SKIN
from lightrig.render.kernel import IRIS, PUPIL
from lightrig.render.preview import PreviewImage, PreviewRenderer
from lightrig.render.probes import read_probes
from lightrig.verify import KeySide, estimate_lighting

SIZE = 384
#: The face: above the jaw line, below the hairline (bust metres, y up from eye level).
FACE_Y = (-0.13, 0.07)
_LUMINANCE = np.array([0.2126, 0.7152, 0.0722])


@dataclass(frozen=True)
class Face:
    """A render and the regions of its face, in the bust's own coordinates (metres)."""

    picture: PreviewImage
    #: +1 when the key's shadow side is the bust's +x (camera-right), −1 otherwise
    shadow_sign: float
    luminance: npt.NDArray[np.float64]
    face: npt.NDArray[np.bool_]
    dark: npt.NDArray[np.bool_]
    nose_tip: tuple[float, float, float]
    mouth_corner: tuple[float, float]  # on the shadow side: (x, y)

    @property
    def x(self) -> npt.NDArray[np.float32]:
        """Bust x of each pixel, signed so that + is the shadow side."""
        return self.shadow_sign * self.picture.local[..., 0]

    @property
    def y(self) -> npt.NDArray[np.float32]:
        return self.picture.local[..., 1]


def _face(renderer: PreviewRenderer, preset: str) -> Face:
    request = get_preset(preset).request()
    rig = request.rig()
    picture = renderer.render(request, SIZE)
    key = rig.key()
    assert key is not None
    reading = read_probes(picture, rig, renderer)
    assert reading is not None
    material = picture.material
    local = picture.local
    skin = np.isin(material, (SKIN, LIP))
    face = (
        np.isin(material, (SKIN, LIP, EYE, IRIS, PUPIL))
        & (local[..., 1] > FACE_Y[0])
        & (local[..., 1] < FACE_Y[1])
    )
    luminance = picture.linear.astype(np.float64) @ _LUMINANCE
    split = math.sqrt(reading.lit.level * reading.shadow.level)
    dark = face & (luminance < split)
    forward = np.where(skin & face, local[..., 2], -np.inf)
    row, col = np.unravel_index(int(np.argmax(forward)), forward.shape)
    tip = (float(local[row, col, 0]), float(local[row, col, 1]), float(local[row, col, 2]))
    sign = 1.0 if key.face_azimuth < 0 else -1.0
    lips = material == LIP
    if lips.any():
        xs = sign * local[..., 0][lips]
        corner_index = int(np.argmax(xs))
        corner = (float(xs[corner_index]), float(local[..., 1][lips][corner_index]))
    else:
        corner = (0.025, tip[1] - 0.035)
    return Face(picture, sign, luminance, face, dark, tip, corner)


def _component(labels: npt.NDArray[np.int32], region: npt.NDArray[np.bool_]) -> int:
    """The label most pixels of ``region`` carry (0: none of them is labelled)."""
    values = labels[region & (labels > 0)]
    if values.size == 0:
        return 0
    return int(np.bincount(values).argmax())


@pytest.fixture(scope="module")
def renderer() -> PreviewRenderer:
    return PreviewRenderer()


def test_split_darkens_one_half_by_more_than_three_stops(renderer: PreviewRenderer) -> None:
    f = _face(renderer, "split")
    skin = f.face & np.isin(f.picture.material, (SKIN,))
    shadow_half = float(np.median(f.luminance[skin & (f.x > 0.01)]))
    lit_half = float(np.median(f.luminance[skin & (f.x < -0.01)]))
    assert math.log2(lit_half / max(shadow_half, 1e-12)) > 3.0


def test_butterfly_nose_shadow_is_centred_under_the_nose(renderer: PreviewRenderer) -> None:
    f = _face(renderer, "butterfly")
    tip_x, tip_y, _ = f.nose_tip
    under = (f.y < tip_y - 0.003) & (f.y > tip_y - 0.03) & (np.abs(f.x - tip_x) < 0.03)
    shadow = f.dark & under
    count = int(shadow.sum())
    assert count >= 20, "no nose shadow under the nose"
    centre = float(np.mean(f.picture.local[..., 0][shadow])) - tip_x
    assert abs(centre) < 0.004, f"the nose shadow's centre is {1000 * centre:.1f} mm off the nose"
    left = int((shadow & (f.picture.local[..., 0] < tip_x)).sum())
    assert abs(2 * left - count) <= 0.3 * count


def test_loop_nose_shadow_falls_toward_the_mouth_corner_apart_from_the_cheek_shadow(
    renderer: PreviewRenderer,
) -> None:
    f = _face(renderer, "loop")
    tip_x, tip_y, _ = f.nose_tip
    labels, _ = ndimage.label(f.dark)
    beside_nose = (
        (f.x - f.shadow_sign * tip_x > 0.004)
        & (f.x - f.shadow_sign * tip_x < 0.02)
        & (f.y < tip_y - 0.004)
        & (f.y > tip_y - 0.025)
    )
    nose = _component(labels, beside_nose)
    assert nose, "no nose shadow beside and under the nose on the shadow side"
    pixels = labels == nose
    dx = float(np.mean(f.x[pixels])) - f.shadow_sign * tip_x
    dy = float(np.mean(f.y[pixels])) - tip_y
    heading = math.degrees(math.atan2(-dy, dx))  # below the horizontal, toward the shadow side
    corner = math.degrees(
        math.atan2(tip_y - f.mouth_corner[1], f.mouth_corner[0] - f.shadow_sign * tip_x)
    )
    assert dx > 0.0, "the nose shadow does not fall to the shadow side"
    assert dy < 0.0, "the nose shadow does not fall below the nose"
    assert abs(heading - corner) <= 25.0, (heading, corner)
    outer_cheek = (f.x > 0.05) & (f.y < -0.01) & (f.y > tip_y - 0.01) & f.face
    cheek = _component(labels, outer_cheek)
    assert cheek != nose, "the nose shadow joins the cheek shadow (that is Rembrandt)"


def test_rembrandt_leaves_a_closed_lit_triangle_on_the_shadow_cheek(
    renderer: PreviewRenderer,
) -> None:
    f = _face(renderer, "rembrandt")
    tip_y = f.nose_tip[1]
    lit = f.face & ~f.dark
    labels, _ = ndimage.label(lit)
    shadow_cheek = (f.x > 0.015) & (f.x < 0.06) & (f.y < -0.015) & (f.y > tip_y - 0.01) & f.face
    lit_cheek = (f.x < -0.02) & (f.x > -0.06) & (f.y < -0.015) & (f.y > tip_y - 0.01)
    triangle = _component(labels, shadow_cheek)
    assert triangle, "no light on the shadow cheek"
    assert triangle != _component(labels, lit_cheek), (
        "the light on the shadow cheek runs into the lit side: no closed triangle"
    )
    area = int((labels == triangle).sum())
    assert area >= 30, "the triangle is a speck"
    # it is closed: shadow all round it, not the edge of the face
    grown = ndimage.binary_dilation(labels == triangle, iterations=2)
    rim = grown & ~(labels == triangle)
    assert np.mean(f.dark[rim]) >= 0.8


#: |face azimuth| beyond which the key is behind the face (rim-lit or silhouette alike).
_BEHIND_DEG = 100.0
#: A key within this many degrees of the vertical plane through the camera axis is "front"
#: (the estimator's own definition), and within ± this slack of that edge either counts.
_FRONT_DEG, _SLACK_DEG = 12.0, 4.0


def _pattern_family(pattern: Pattern) -> str:
    """Butterfly and clamshell differ by a fill below the face that no direction shows; rim-lit
    and silhouette by the backdrop's brightness, which the estimator does not report."""
    if pattern in (Pattern.BUTTERFLY, Pattern.CLAMSHELL):
        return "butterfly"
    if pattern in (Pattern.RIM_LIT, Pattern.SILHOUETTE):
        return "behind"
    return pattern.value


# the presets the estimator reads differently from the setup today (see the report of issue 19);
# butterfly came in with the reshaped bust (the estimator's normal table is measured on it),
# rembrandt went out; rim-light, silhouette and golden-hour went out with the back-lit readings
# (the outline handed a face only when it is the face, the rim on a silhouette, a rim the fit
# corroborates); short went out when a turned head's normals came from the bust rendered turned as
# far (the frontal bust's, turned afterwards, pointed its broad side ~10° too near the camera).
# The two left read the key too far round or too low (the fill below pulling it, on high-key):
# the fit models a distant light, and the renderer's stand 1.2–2.5 m
# from the face, lighting its nearer parts more (on the render's own normals a fit of a light
# 1.5 m away reads loop, butterfly, Rembrandt and window light within 5°, a distant one 6–14° off)
# — the posed generic face (turned heads) is now lit so; the bust read by its outline is not: there
# the outline's placement errs more (it put rembrandt and loop over their boundaries). The truth
# itself stands near a boundary: high-key's key 3.8° from loop, window light's and Rembrandt's 5.1°.
_BLIND_MISSES: dict[str, str] = {
    # key (10°, 25°) and fill below (0°, -15°, 0.4 stop under) stand 41° apart: where both reach,
    # their sum shades as one light between them. The face's own mesh explains the shading
    # better than the bust does, and on it a key and fill (3°, 28° and 24°, -47°: butterfly) take
    # only 7–14 % off one light's error; on the real development set's single strobes the own
    # mesh's pair splits one light the same way (a high "key", a "fill" below) as often, so the
    # pair is not kept and the fit reads the light between them
    "high-key": "read 8° round and 12° up: flat (the key is 10° round, 25° up; the fill below "
    "pulls the fit down)",
}


@pytest.mark.parametrize(
    "preset",
    [
        pytest.param(
            name,
            marks=pytest.mark.xfail(strict=True, reason=_BLIND_MISSES[name])
            if name in _BLIND_MISSES
            else (),
        )
        for name in PRESETS
    ],
)
def test_blind_estimate_names_the_key_side_and_pattern(
    renderer: PreviewRenderer, preset: str
) -> None:
    from lightrig.verify.estimate import lateral_angle

    # the default bust, whatever the preset's words choose: the blind fit's misses above were
    # measured on it, and a change of face shape alone (a woman's narrower jaw or neck, fuller
    # lips) moves its reading by up to 30° (tests/test_render_subjects.py holds the figures'
    # light to the analysis instead)
    request = get_preset(preset).request().model_copy(update={"subject_description": "a person"})
    rig = request.rig()
    key = rig.key()
    assert key is not None
    analysis = LightingAnalyzer().analyze(request)
    estimate = estimate_lighting(renderer.render(request, SIZE).png())
    assert estimate.key_side is not None, estimate.reasons
    assert estimate.direction is not None, estimate.reasons
    lateral = abs(lateral_angle(key.azimuth, key.elevation))
    sides = set()
    if lateral <= _FRONT_DEG + _SLACK_DEG:
        sides.add(KeySide.FRONT)
    if lateral >= _FRONT_DEG - _SLACK_DEG:
        sides.add(KeySide.CAMERA_RIGHT if key.azimuth > 0 else KeySide.CAMERA_LEFT)
    assert estimate.key_side.side in sides, (estimate.key_side.side, sides)
    direction = estimate.direction
    face_azimuth = wrap_degrees(direction.azimuth - request.subject_yaw)
    ratio = estimate.ratio.ratio if estimate.ratio is not None else 1.0
    if abs(face_azimuth) > _BEHIND_DEG:
        read = "behind"
    else:
        read = _pattern_family(
            classify_pattern(face_azimuth, direction.elevation, ratio, None, -2.0).pattern
        )
    assert read == _pattern_family(analysis.pattern), (read, analysis.pattern, direction)
