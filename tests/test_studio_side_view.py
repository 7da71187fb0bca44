"""The studio's side view and heights in metres (``js/side-view.js``), driven in real Chromium:
the side view's stand heights follow the light's elevation slider and its distance, drawn and
labelled; typing a light's height in metres sets its elevation (and a height out of reach is
refused in words, leaving it be); the subject's eye height moves the subject and every light
with it, and the API takes the scene with it; the side view's labels never overlap.

The browser's fixtures and helpers are ``tests/test_studio.py``'s. Heights are checked against
the formula of :mod:`lightrig.lighting.stands` computed here: a light ``d`` metres away at
elevation ``a`` from eyes ``e`` metres high stands ``e + d·sin a`` above the floor.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from lightrig.lighting.stands import elevation_for_height, light_height
from tests.test_studio import (  # noqa: F401 - pytest fixtures, used by name
    Studio,
    _starting_from,
    base_url,
    browser,
    open_studio,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

#: What the page shows of one light in the side view, and of the drawing's floor and eyes.
_SIDE_JS = """
(role) => {
  const svg = document.querySelector('#side-view-svg');
  const light = svg.querySelector(`.side-light[data-role="${role}"]`);
  const subject = svg.querySelector('#side-subject');
  return {
    height: Number(light.dataset.height),
    y: Number(light.dataset.y),
    label: light.querySelector('.side-label').textContent,
    floorY: Number(svg.querySelector('.side-floor').getAttribute('y1')),
    eyeY: Number(subject.dataset.eyeY),
    eye: Number(subject.dataset.eyeHeight),
  };
}
"""

#: Every side-view label's box on screen (CSS px), by role.
_LABELS_JS = """
() => Object.fromEntries([...document.querySelectorAll('#side-view-svg .side-light')].map((g) => {
  const r = g.querySelector('.side-label').getBoundingClientRect();
  return [g.dataset.role, [r.left, r.top, r.right, r.bottom]];
}))
"""


def _side(page: Page, role: str) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(_SIDE_JS, role)
    return found


def _metres(value: float) -> str:
    """The page's words for metres (format.js distanceText): up to two decimals below 10 m."""
    return f"{round(value, 2):g} m" if value < 10 else f"{round(value)} m"


def _number(page: Page, selector: str) -> float:
    return float(page.input_value(selector))


def _type(page: Page, selector: str, value: str) -> None:
    page.fill(selector, value)
    page.press(selector, "Enter")
    page.locator("body").click(position={"x": 2, "y": 2})  # leave the box: it shows the state


def _assert_drawn_at(page: Page, role: str, height: float) -> dict[str, Any]:
    """The light's stand in the side view says ``height`` metres and is drawn that high: its
    head stands height / eyes as far above the floor as the eyes do."""
    side = _side(page, role)
    assert side["height"] == pytest.approx(height, abs=1e-3)
    assert side["label"].endswith(_metres(height)), side["label"]
    above_floor = side["floorY"] - side["y"]
    eyes_above_floor = side["floorY"] - side["eyeY"]
    assert above_floor / eyes_above_floor == pytest.approx(height / side["eye"], abs=0.02)
    return side


def _key_height(page: Page) -> float:
    eye = float(page.input_value("#subject-eye-height"))
    return light_height(eye, _number(page, "#light-elevation"), _number(page, "#light-distance"))


def test_the_side_view_follows_the_elevation_slider_and_the_distance(
    open_studio: Callable[..., Studio],  # noqa: F811 - the fixture
    base_url: str,  # noqa: F811 - the fixture
) -> None:
    studio = open_studio(base_url)
    page = studio.page
    assert page.evaluate("document.activeElement && document.activeElement.id") != "light-height"
    start = _assert_drawn_at(page, "key", _key_height(page))
    assert float(page.input_value("#light-height")) == pytest.approx(start["height"], abs=0.006)

    # the slider moving, as a drag does: the stand rises while it moves
    page.eval_on_selector(
        "#light-elevation-range",
        "(r) => { r.value = String(Number(r.value) + 120); r.dispatchEvent(new Event('input')); }",
    )
    higher = _assert_drawn_at(page, "key", _key_height(page))
    assert higher["height"] > start["height"] + 0.1
    assert higher["y"] < start["y"]  # up the drawing
    assert float(page.input_value("#light-height")) == pytest.approx(higher["height"], abs=0.006)
    page.eval_on_selector("#light-elevation-range", "(r) => r.dispatchEvent(new Event('change'))")

    # a typed elevation and a longer distance: the same light, higher still
    _type(page, "#light-elevation", "40")
    _type(page, "#light-distance", "2.5")
    assert _number(page, "#light-elevation") == 40
    moved = _assert_drawn_at(page, "key", light_height(1.6, 40.0, 2.5))
    assert moved["label"] == "Key 3.21 m"
    assert page.input_value("#light-height") == "3.21"
    # below eye level the stand comes down under the eyes
    _type(page, "#light-elevation", "-20")
    low = _assert_drawn_at(page, "key", light_height(1.6, -20.0, 2.5))
    assert low["y"] > low["eyeY"]
    studio.settled()
    assert studio.errors == []


def test_typing_a_height_in_metres_sets_the_elevation(
    open_studio: Callable[..., Studio],  # noqa: F811 - the fixture
    base_url: str,  # noqa: F811 - the fixture
) -> None:
    studio = open_studio(base_url)
    page = studio.page
    distance = _number(page, "#light-distance")
    _type(page, "#light-height", "2.1")
    expected = elevation_for_height(2.1, 1.6, distance)
    assert _number(page, "#light-elevation") == round(expected)
    drawn = page.get_attribute('#side-view-svg .side-light[data-role="key"]', "data-elevation")
    assert float(drawn or "nan") == pytest.approx(expected, abs=0.01)
    _assert_drawn_at(page, "key", 2.1)
    assert page.input_value("#light-height") == "2.1"
    # the plan's label shows the new elevation too
    assert f"+{round(expected)}°" in (page.text_content('#diagram .label[data-role="key"]') or "")

    # out of reach: refused in words, and the light stays where it was
    before = page.input_value("#light-elevation")
    page.fill("#light-height", "9")
    page.press("#light-height", "Enter")
    error = page.inner_text("#light-height-error")
    assert "out of reach" in error
    assert f"from eyes at 1.6 m: from {max(0.0, round(1.6 - distance, 2)):g} to" in error
    assert page.get_attribute("#light-height", "aria-invalid") == "true"
    assert page.input_value("#light-elevation") == before
    page.fill("#light-height", "-0.5")
    page.press("#light-height", "Enter")
    assert "below the floor" in page.inner_text("#light-height-error")
    assert page.input_value("#light-elevation") == before
    studio.settled()
    assert studio.errors == []


def test_the_eye_height_moves_the_subject_and_the_lights(
    open_studio: Callable[..., Studio],  # noqa: F811 - the fixture
    base_url: str,  # noqa: F811 - the fixture
) -> None:
    studio = open_studio(base_url)
    page = studio.page
    scene = page.evaluate("JSON.parse(localStorage.getItem('lightrig.scene')).scene")
    roles = [r for r in scene["lighting_setup"] if r != "ambient"]
    assert len(roles) >= 2
    before = {role: _side(page, role) for role in roles}
    assert all(side["eye"] == 1.6 for side in before.values())

    _type(page, "#subject-eye-height", "1.2")
    assert page.get_attribute("#side-subject", "data-eye-height") == "1.2"
    assert page.text_content("#side-view-svg .side-eye-words") == "eyes 1.2 m"
    for role in roles:
        light = scene["lighting_setup"][role]
        expected = light_height(1.2, light["elevation"], light["distance"])
        after = _assert_drawn_at(page, role, expected)
        # the light keeps its angle: its stand comes down with the eyes, by 0.4 m
        assert after["height"] == pytest.approx(before[role]["height"] - 0.4, abs=1e-3)
    # the light's own height follows the eyes too
    page.click('#roster .chip[data-role="key"] .chip-select')
    key = scene["lighting_setup"]["key"]
    assert float(page.input_value("#light-height")) == pytest.approx(
        light_height(1.2, key["elevation"], key["distance"]), abs=0.006
    )
    # the API takes the scene with its eye height, and it is kept for the next visit
    studio.settled()
    saved = page.evaluate("JSON.parse(localStorage.getItem('lightrig.scene')).scene")
    assert saved["subject_eye_height"] == 1.2
    assert page.evaluate("document.querySelector('#analysis').getAttribute('aria-busy')") == "false"
    assert studio.errors == []


def test_a_scene_saved_with_its_eye_height_opens_with_it(
    open_studio: Callable[..., Studio],  # noqa: F811 - the fixture
    base_url: str,  # noqa: F811 - the fixture
) -> None:
    scene = {
        "scene": {
            "lighting_setup": {
                "key": {"azimuth": -45, "elevation": 30, "distance": 1.5, "intensity": 0.8},
                "rim": {"azimuth": 150, "elevation": 25, "distance": 1.2, "intensity": 0.5},
            },
            "subject_eye_height": 0.9,
        },
        "preset": None,
    }
    studio = open_studio(base_url, prepare=lambda page: page.add_init_script(_starting_from(scene)))
    page = studio.page
    assert page.input_value("#subject-eye-height") == "0.9"
    _assert_drawn_at(page, "key", light_height(0.9, 30.0, 1.5))
    rim = _assert_drawn_at(page, "rim", light_height(0.9, 25.0, 1.2))
    along = page.get_attribute('#side-view-svg .side-light[data-role="rim"]', "data-along")
    assert float(along or "nan") < 0  # behind the subject: on the backdrop's side
    assert rim["label"] == f"Rim {_metres(light_height(0.9, 25.0, 1.2))}"
    assert studio.errors == []


@pytest.mark.parametrize("preset", ["rembrandt", "clamshell", "product-tabletop", "high-key"])
def test_the_side_views_labels_never_overlap(
    open_studio: Callable[..., Studio],  # noqa: F811 - the fixture
    base_url: str,  # noqa: F811 - the fixture
    preset: str,
) -> None:
    studio = open_studio(base_url)
    studio.choose_preset(preset)
    boxes: dict[str, list[float]] = studio.page.evaluate(_LABELS_JS)
    assert len(boxes) >= 2
    for (a, p), (b, q) in itertools.combinations(boxes.items(), 2):
        apart = p[2] <= q[0] or q[2] <= p[0] or p[3] <= q[1] or q[3] <= p[1]
        assert apart, f"{preset}: the {a} label overlaps the {b} label"
    for box in boxes.values():
        assert all(math.isfinite(v) for v in box)
    assert studio.errors == []
