"""The subject's words choose the preview's sitter — build, hair, beard — and every figure keeps
the analysis's light. Regions are found with the renderer's own geometry buffers (each pixel's
material and bust-space position), never with pixel coordinates guessed from a picture."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from lightrig.lighting.measure import measure
from lightrig.presets import get_preset
from lightrig.render import subject
from lightrig.render.bust import DEFAULT_FORM, EYE, HAIR, LIP, SKIN, bust_distance, bust_material
from lightrig.render.field import bake_field
from lightrig.render.figure import Beard, Build, Figure, HairLength
from lightrig.render.kernel import IRIS, PUPIL, trace_kernel, trace_points_kernel
from lightrig.render.preview import PreviewImage, PreviewRenderer
from lightrig.render.probes import read_probes
from lightrig.render.subject import (
    BEARD_PHRASES,
    BUILD_PHRASES,
    HAIR_COLOUR_PHRASES,
    HAIR_PHRASES,
    TONE_PHRASES,
    HairColour,
    SkinTone,
    subject_for,
)

TOLERANCE_STOPS = 1.0 / 3.0
#: Samples of the default bust's analytic distance (metres) and material, taken from the bust
#: as it was before it had figures (tests/fixtures/default_bust_samples.npz: 2,000 points within
#: 4 mm of its surface, most on the head and face).
_DEFAULT_SAMPLES = Path(__file__).parent / "fixtures" / "default_bust_samples.npz"

_M, _W, _D = Build.MAN, Build.WOMAN, Build.DEFAULT
_SHORT, _LONG, _BALD = HairLength.SHORT, HairLength.LONG, HairLength.BALD
_NONE, _BEARD = Beard.NONE, Beard.BEARD


@pytest.mark.parametrize(
    ("description", "build", "hair", "beard"),
    [
        ("", _D, _SHORT, _NONE),
        ("a person", _D, _SHORT, _NONE),
        ("Professional portrait", _D, _SHORT, _NONE),
        ("a man in his fifties with a short grey beard", _M, _SHORT, _BEARD),
        ("woman with long hair", _W, _LONG, _NONE),
        ("a woman in her thirties with shoulder-length dark hair", _W, _LONG, _NONE),
        ("a young woman with long loose hair", _W, _LONG, _NONE),
        ("a WOMAN with long, dark, wavy hair", _W, _LONG, _NONE),
        ("a woman with a long neck and short hair", _W, _SHORT, _NONE),
        ("a dancer with her hair tied up", _W, _SHORT, _NONE),
        ("a bearded man", _M, _SHORT, _BEARD),
        ("a clean-shaven man with a beard-like shadow", _M, _SHORT, _NONE),
        ("a bald man", _M, _BALD, _NONE),
        ("dark hair", _D, _SHORT, _NONE),
        ("a human in a manor", _D, _SHORT, _NONE),
        ("a mannequin", _D, _SHORT, _NONE),
        ("a saxophone player holding his instrument", _M, _SHORT, _NONE),
        ("a long shot of a guy with short hair", _M, _SHORT, _NONE),
    ],
)
def test_the_words_pick_the_figure(
    description: str, build: Build, hair: HairLength, beard: Beard
) -> None:
    subject = subject_for(description)
    assert (subject.build, subject.hair, subject.beard) == (build, hair, beard)
    assert subject.figure == Figure(build, hair, beard)


@pytest.mark.parametrize(
    ("description", "tone", "colour"),
    [
        ("a man in his fifties with a short grey beard", SkinTone.MEDIUM, HairColour.GREY),
        ("a woman with long grey hair", SkinTone.MEDIUM, HairColour.GREY),
        ("a dark-haired woman", SkinTone.MEDIUM, HairColour.DARK),
        ("a woman with dark hair", SkinTone.MEDIUM, HairColour.DARK),
        ("a dark-skinned man with a grey beard", SkinTone.DARK, HairColour.GREY),
        ("a man in a grey suit", SkinTone.MEDIUM, HairColour.DARK),
    ],
)
def test_hair_words_are_not_skin_and_grey_words_are_hair(
    description: str, tone: SkinTone, colour: HairColour
) -> None:
    subject = subject_for(description)
    assert (subject.tone, subject.hair_colour) == (tone, colour)


def _documented() -> dict[str, tuple[str, ...]]:
    """The module docstring's tables of lightrig.render.subject: first column → its phrases."""
    rows: dict[str, list[str]] = {}
    last = None
    for line in (subject.__doc__ or "").splitlines():
        if not line.strip() or line.startswith("="):
            continue
        if line.startswith(" ") and last is not None:  # a row's continuation
            rows[last] += [p.strip() for p in line.split(",") if p.strip()]
            continue
        head, gap, rest = line.partition("  ")
        if gap and rest.strip() and head not in {"Tone", "Build", "Hair", "Beard", "Colour"}:
            last = f"{len(rows)}:{head.strip()}"
            rows[last] = [p.strip() for p in rest.split(",") if p.strip()]
        else:
            last = None
    return {key.split(":", 1)[1]: tuple(value) for key, value in rows.items()}


def test_the_docstring_tables_are_the_tables_read() -> None:
    documented = _documented()
    tables = (TONE_PHRASES, BUILD_PHRASES, HAIR_PHRASES, BEARD_PHRASES, HAIR_COLOUR_PHRASES)
    read = {str(value): phrases for table in tables for value, phrases in table}
    assert documented == read


def test_no_words_is_the_default_bust_as_it_was() -> None:
    """The default figure's form is the bust's default, and with it the distance and material
    at 2,000 points near the surface are the bust's from before figures (to 1 nm: the same
    arithmetic; exact on one machine)."""
    figure = subject_for("").figure
    assert figure.is_default
    assert figure.name == "default"
    form = figure.form()
    assert form == DEFAULT_FORM
    samples = np.load(_DEFAULT_SAMPLES)
    distances = np.array([bust_distance(p[0], p[1], p[2], form) for p in samples["points"]])
    materials = np.array([bust_material(p[0], p[1], p[2], form) for p in samples["points"]])
    assert np.abs(distances - samples["distance"]).max() < 1e-9
    assert np.array_equal(materials, samples["material"])
    # the one field the verifier's occlusion table and the renderer's default share
    assert PreviewRenderer().field is bake_field()


@pytest.fixture(scope="module")
def renderer() -> PreviewRenderer:
    return PreviewRenderer()


def _render(
    renderer: PreviewRenderer, description: str, preset: str = "rembrandt", size: int = 192
) -> PreviewImage:
    request = get_preset(preset).request()
    return renderer.render(request.model_copy(update={"subject_description": description}), size)


def _width(picture: PreviewImage, y: float, material: int = SKIN) -> float:
    """Width (metres, bust x) of the ``material`` the camera sees within 3 mm of height ``y``."""
    band = (picture.material == material) & (np.abs(picture.local[..., 1] - y) < 0.003)
    x = picture.local[..., 0][band]
    assert x.size > 10, (y, x.size)
    return float(x.max() - x.min())


def test_a_womans_jaw_and_neck_are_narrower_than_a_mans(renderer: PreviewRenderer) -> None:
    man = _render(renderer, "a man", "clamshell")
    woman = _render(renderer, "a woman", "clamshell")
    default = _render(renderer, "a person", "clamshell")
    # the jaw 9 cm under the eyes, the neck 13 cm under them (below the chin, above where it
    # widens to the shoulders)
    assert _width(woman, -0.09) < 0.9 * _width(man, -0.09)
    assert _width(woman, -0.13) < 0.88 * _width(man, -0.13)
    assert _width(woman, -0.09) < _width(default, -0.09) < _width(man, -0.09)
    # the head itself (at the eyes) is the same size
    assert _width(woman, 0.0) == pytest.approx(_width(man, 0.0), abs=0.004)


def _probe_pixels(
    renderer: PreviewRenderer, description: str, preset: str
) -> npt.NDArray[np.bool_]:
    """The lit and shadow probes' pixels on a render of ``description`` under ``preset``."""
    request = get_preset(preset).request()
    request = request.model_copy(update={"subject_description": description})
    picture = renderer.render(request, 256)
    reading = read_probes(picture, request.rig(), renderer)
    assert reading is not None
    return reading.lit.pixels | reading.shadow.pixels


@pytest.mark.parametrize("preset", ["loop", "rembrandt", "split"])
def test_long_hair_falls_beside_the_neck_and_leaves_the_face_clear(
    renderer: PreviewRenderer, preset: str
) -> None:
    short = _render(renderer, "a woman", preset, 256)
    long = _render(renderer, "a woman with long hair", preset, 256)

    def beside_the_neck(picture: PreviewImage) -> int:
        x, y = picture.local[..., 0], picture.local[..., 1]
        return int(((picture.material == HAIR) & (y < -0.12) & (np.abs(x) > 0.05)).sum())

    assert beside_the_neck(short) == 0
    assert beside_the_neck(long) > 300
    # the face is clear: where a short-haired woman's probes are, the long-haired one's skin is
    probes = _probe_pixels(renderer, "a woman", preset)
    assert (long.material[probes] == SKIN).all()
    # and so are the eyes, the lips and the nose's tip
    for ids in ((EYE, IRIS, PUPIL), (LIP,)):
        seen = np.isin(short.material, ids).sum()
        assert np.isin(long.material, ids).sum() == pytest.approx(seen, rel=0.05)
    nose = np.unravel_index(
        np.argmax(np.where(short.material == SKIN, short.local[..., 2], -1)), short.material.shape
    )
    assert long.material[nose] == SKIN


@pytest.mark.parametrize("preset", ["loop", "rembrandt", "split"])
def test_a_beard_covers_the_chin_and_not_the_cheeks(renderer: PreviewRenderer, preset: str) -> None:
    shaven = _render(renderer, "a man", preset, 256)
    bearded = _render(renderer, "a man with a beard", preset, 256)

    def on_the_chin(picture: PreviewImage) -> float:
        x, y = picture.local[..., 0], picture.local[..., 1]
        chin = (np.abs(x) < 0.02) & (y < -0.085) & (y > -0.11) & (picture.local[..., 2] > 0.04)
        return float((picture.material[chin] == HAIR).mean())

    assert on_the_chin(shaven) == 0.0
    assert on_the_chin(bearded) > 0.9
    # the probes stand where they stood: each one's centre is what it was, most of each one's
    # skin is still skin, and what the beard takes of them lies below the nose (never the
    # cheek above the mouth)
    request = get_preset(preset).request().model_copy(update={"subject_description": "a man"})
    reading = read_probes(shaven, request.rig(), renderer)
    assert reading is not None
    for probe in (reading.lit, reading.shadow):
        row, col = (round(v) for v in probe.centre)
        assert bearded.material[row, col] == shaven.material[row, col]
        assert (bearded.material[probe.pixels] == SKIN).mean() > 0.6
        covered = probe.pixels & (bearded.material != SKIN)
        assert (shaven.local[..., 1][covered] < -0.045).all()
    assert np.isin(bearded.material, (LIP,)).sum() == pytest.approx(
        np.isin(shaven.material, (LIP,)).sum(), rel=0.05
    )


#: The figures the ratio is held on (the default bust's is tests/test_render_ratio.py's).
_FIGURES = [
    "a man",
    "a woman",
    "a woman with long hair",
    "a man with a beard",
    "a bald man with long hair",
    "a pale woman with long grey hair",
    "a man with long hair and a beard",
]


@pytest.mark.parametrize("description", _FIGURES)
@pytest.mark.parametrize("preset", ["loop", "rembrandt", "split"])
def test_every_figure_keeps_the_analysis_ratio(
    renderer: PreviewRenderer, description: str, preset: str
) -> None:
    """The lit/shadow probe ratio read on the render stays within ⅓ stop of the analysis's."""
    request = get_preset(preset).request()
    request = request.model_copy(update={"subject_description": description})
    rig = request.rig()
    reading = read_probes(renderer.render(request, 256), rig, renderer)
    assert reading is not None
    lean = reading.stops - measure(rig).stops
    assert abs(lean) <= TOLERANCE_STOPS, (description, preset, lean)


def test_figures_add_no_compiled_variants(renderer: PreviewRenderer) -> None:
    """Every figure's form is the one array type the kernels were compiled for (ahead, at
    install), so a new figure never compiles at a request; each figure's field is baked once
    per process and shared."""
    _render(renderer, "a person", size=48)
    renderer.render(get_preset("loop").request(), 48, antialias=True)
    before = (len(trace_kernel.signatures), len(trace_points_kernel.signatures))
    for description in _FIGURES:
        request = get_preset("loop").request()
        request = request.model_copy(update={"subject_description": description})
        renderer.render(request, 48, antialias=True)
    assert (len(trace_kernel.signatures), len(trace_points_kernel.signatures)) == before
    figure = subject_for("a woman with long hair").figure
    assert renderer.field_for(figure) is bake_field(figure=figure)
    assert renderer.field_for(figure) is not renderer.field
