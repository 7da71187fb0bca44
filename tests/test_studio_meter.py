"""The studio's meter (issue 22): a light's stated power, the camera's ISO and shutter, and the
readings the analysis gives — in real Chromium against a real server.

The browser's fixtures and helpers are ``tests/test_studio.py``'s.
"""

from __future__ import annotations

from collections.abc import Callable

from lightrig.analysis.analyzer import LightingAnalyzer
from tests.test_studio import (  # noqa: F401 - pytest fixtures, used by name
    Studio,
    _starting_from,
    base_url,
    browser,
    open_studio,
)

STROBE = {
    "lighting_setup": {
        "key": {
            "azimuth": 0,
            "elevation": 0,
            "distance": 4.0,
            "intensity": 1.0,
            "modifier": "bare",
            "modifier_size": 0.18,
        }
    },
    "camera_settings": {"aperture": 8},
}


def _reading(studio: Studio) -> str:
    return studio.page.inner_text("#meter-lit")


def test_power_iso_and_shutter_drive_the_meter(
    open_studio: Callable[..., Studio],  # noqa: F811 - the fixture
    base_url: str,  # noqa: F811 - the fixture
) -> None:
    saved = {"scene": STROBE, "preset": None}
    studio = open_studio(base_url, prepare=lambda p: p.add_init_script(_starting_from(saved)))
    page = studio.page
    assert "reference light" in page.inner_text("#meter-facts")

    page.click("#tab-light")
    page.select_option("#light-power-kind", "guide_number")
    studio.settled()
    page.fill("#light-power-value", "32")
    page.dispatch_event("#light-power-value", "change")
    studio.settled()
    expected = (
        LightingAnalyzer()
        .analyze(
            {
                **STROBE,
                "lighting_setup": {
                    "key": {**STROBE["lighting_setup"]["key"], "power": {"guide_number": 32}}
                },
            }
        )
        .meter
    )
    assert expected.lit is not None
    assert _reading(studio) == expected.lit.text  # GN 32 at 4 m, 45° onto the lit probe
    assert "f/8" in page.inner_text("#light-meter")  # facing it: GN / d = 32 / 4
    assert "reference light" not in page.inner_text("#meter-facts")

    page.click("#tab-camera")
    page.select_option("#camera-iso", "400")
    studio.settled()
    two_stops_more = (
        LightingAnalyzer()
        .analyze(
            {
                "lighting_setup": {
                    "key": {**STROBE["lighting_setup"]["key"], "power": {"guide_number": 32}}
                },
                "camera_settings": {"aperture": 8, "iso": 400},
            }
        )
        .meter
    )
    assert two_stops_more.lit is not None
    assert _reading(studio) == two_stops_more.lit.text
    assert "over" in page.inner_text("#camera-exposure")

    page.select_option("#camera-shutter", str(1 / 1000))
    studio.settled()
    assert "sync speed" in page.inner_text("#meter-facts")
    assert not studio.errors


def test_print_opens_the_lighting_plot(
    open_studio: Callable[..., Studio],  # noqa: F811 - the fixture
    base_url: str,  # noqa: F811 - the fixture
) -> None:
    studio = open_studio(base_url)
    page = studio.page
    # a page of print-resolution drawings takes seconds, longer on a loaded machine
    with (
        page.expect_popup(timeout=90_000) as popup,
        page.expect_response("**/v1/plot", timeout=90_000) as answer,
    ):
        page.click("#print-plot")
    response = answer.value
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert int(response.headers["content-length"]) > 10_000  # the page, not an error
    assert popup.value.url.startswith("blob:")
    assert not studio.errors
