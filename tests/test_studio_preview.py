"""The studio's preview, instant and large (issue 19), in a real browser (Debian's Chromium
through Playwright, as tests/test_studio.py drives it, whose fixtures these tests use).

* The picture is rendered at the size its stage is drawn, in device pixels: the image's natural
  width is the stage's CSS width × devicePixelRatio at 1280 and 1920 px wide and on a 2× screen,
  and the stage grows with the window.
* A drag streams low-resolution frames while the light moves and asks for the full frame when
  it is let go; the frame shown then is the full one of the scene as it was left.
* A preview that failed because the server went away is brought up to date, with nothing done
  on the page, when a server answers on that address again.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest

from tests.apiserver import free_port
from tests.test_studio import TIMEOUT_MS, Studio, _app, base_url, browser

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Request

__all__ = ["base_url", "browser"]  # the fixtures, imported for pytest to find

#: The page's bounds on the side it asks for, and the sides of its low-resolution frames
#: (preview.js: MAX_SIZE, LOW_SIZES).
MAX_SIZE = 1024
LOW_SIZES = (128, 192, 256)


@pytest.fixture
def open_at(browser: Browser) -> Iterator[Callable[..., Studio]]:
    """Open the studio at a viewport and device pixel ratio, settled on its first preset."""
    contexts = []

    def opener(url: str, width: int, height: int, dpr: float = 1.0) -> Studio:
        context = browser.new_context(
            viewport={"width": width, "height": height}, device_scale_factor=dpr
        )
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        studio = Studio(page)
        page.on("console", lambda m: studio.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: studio.errors.append(f"page error: {e}"))
        page.goto(url)
        page.wait_for_selector("body[data-ready='true']", state="attached")
        studio.settled()
        return studio

    yield opener
    for context in contexts:
        context.close()


def _stage_device_px(studio: Studio) -> int:
    """The stage's side as drawn, in device pixels (what the page should ask for)."""
    side = studio.page.eval_on_selector(
        "#preview-stage",
        "(s) => Math.round(s.getBoundingClientRect().width * window.devicePixelRatio)",
    )
    return min(MAX_SIZE, int(side))


def _natural(studio: Studio) -> tuple[int, int]:
    w, h = studio.page.eval_on_selector(
        "#preview-image", "(img) => [img.naturalWidth, img.naturalHeight]"
    )
    return int(w), int(h)


@pytest.mark.parametrize(
    ("width", "height", "dpr"),
    [(1280, 800, 1.0), (1920, 1080, 1.0), (1280, 800, 2.0)],
    ids=["1280x800", "1920x1080", "1280x800@2x"],
)
def test_the_picture_is_rendered_at_the_stages_size_in_device_pixels(
    open_at: Callable[..., Studio], base_url: str, width: int, height: int, dpr: float
) -> None:
    studio = open_at(base_url, width, height, dpr)
    expected = _stage_device_px(studio)
    assert _natural(studio) == (expected, expected)
    assert studio.page.get_attribute("#preview-image", "data-resolution") == "full"
    # the image fills its stage: drawn at the stage's CSS size, not a fixed one
    drawn, stage = studio.page.evaluate(
        "[document.querySelector('#preview-image').getBoundingClientRect().width,"
        " document.querySelector('#preview-stage').getBoundingClientRect().width]"
    )
    assert abs(drawn - stage) < 1
    assert studio.errors == []


def test_the_stage_grows_with_the_window(open_at: Callable[..., Studio], base_url: str) -> None:
    small = _stage_device_px(open_at(base_url, 1280, 800))
    large = _stage_device_px(open_at(base_url, 1920, 1080))
    wide = _stage_device_px(open_at(base_url, 2560, 1440))
    assert large >= small + 200  # 330 → 610 px as laid out today
    assert wide > large


def test_a_resized_window_gets_a_frame_of_its_new_size(
    open_at: Callable[..., Studio], base_url: str
) -> None:
    studio = open_at(base_url, 1280, 800)
    before = _natural(studio)[0]
    studio.page.set_viewport_size({"width": 1920, "height": 1080})
    after = _stage_device_px(studio)
    assert after > before
    studio.page.wait_for_function(
        "(side) => document.querySelector('#preview-image').naturalWidth === side", arg=after
    )
    assert studio.errors == []


def _preview_sizes(requests: list[tuple[float, int]]) -> Callable[[Request], None]:
    def record(request: Request) -> None:
        url = urlparse(request.url)
        if url.path == "/v1/preview" and request.method == "POST":
            requests.append((time.monotonic(), int(parse_qs(url.query)["size"][0])))

    return record


def _drag_key(studio: Studio, *, steps: int = 40, pause_ms: int = 25) -> None:
    """Press on the key's knob and move it across the head in `steps` moves, `pause_ms` apart,
    pointer still down."""
    page = studio.page
    key = page.locator('#diagram .light[data-role="key"] .knob').bounding_box()
    head = page.locator("#diagram .subject .head").bounding_box()
    assert key is not None
    assert head is not None
    x, y = key["x"] + key["width"] / 2, key["y"] + key["height"] / 2
    mirror = 2 * (head["x"] + head["width"] / 2) - x
    page.mouse.move(x, y)
    page.mouse.down()
    for step in range(1, steps + 1):
        page.mouse.move(x + (mirror - x) * step / steps, y)
        page.wait_for_timeout(pause_ms)


def test_a_drag_streams_low_frames_then_the_full_frame(
    open_at: Callable[..., Studio], base_url: str
) -> None:
    studio = open_at(base_url, 1280, 800)
    page = studio.page
    full = _stage_device_px(studio)
    assert full > max(LOW_SIZES)  # else there is no lower resolution to stream
    requests: list[tuple[float, int]] = []
    page.on("request", _preview_sizes(requests))

    _drag_key(studio)
    during = [size for _, size in requests]
    shown_low = page.get_attribute("#preview-image", "data-resolution")
    page.mouse.up()
    released = time.monotonic()
    studio.settled()

    # while the light moved: several frames, all at the low resolution, and one on screen
    assert len(during) >= 3, during
    assert len(set(during)) == 1, during  # one low size for the whole drag
    assert during[0] in LOW_SIZES, during
    assert shown_low == "low"
    # let go: the full frame was asked for at once and is what is shown
    after = [(at, size) for at, size in requests if at >= released]
    assert after, "no frame asked for after the drag ended"
    assert after[-1][1] == full
    assert after[0][0] - released < 0.1
    assert page.get_attribute("#preview-image", "data-resolution") == "full"
    assert _natural(studio) == (full, full)
    version = page.get_attribute("#view-studio", "data-scene-version")
    assert page.get_attribute("#preview-image", "data-version") == version
    assert studio.errors == []


def test_a_drag_that_rests_gets_its_full_frame_before_release(
    open_at: Callable[..., Studio], base_url: str
) -> None:
    """The pointer held still mid-drag: the full frame of where the light rests is asked for
    (and shown) without waiting for the release."""
    studio = open_at(base_url, 1280, 800)
    page = studio.page
    full = _stage_device_px(studio)
    _drag_key(studio, steps=12)
    version = page.get_attribute("#view-studio", "data-scene-version")
    page.wait_for_selector(
        f'#preview-image[data-version="{version}"][data-resolution="full"]', state="attached"
    )
    assert _natural(studio) == (full, full)
    page.mouse.up()


def test_the_probes_switch_outlines_the_probes_and_reads_their_ratio(
    open_at: Callable[..., Studio], base_url: str
) -> None:
    """The caption always gives the frame's exposure; "Probes" asks for the frame with the
    analyzer's probes outlined and says how many stops apart they read on the render — the
    analysis's ratio, within a third of a stop."""
    studio = open_at(base_url, 1280, 800)
    page = studio.page
    caption = page.text_content("#preview-caption") or ""
    assert "exposure +" in caption or "exposure −" in caption, caption
    assert page.get_attribute("#preview-image", "data-probe-stops") == ""
    requests: list[Request] = []
    page.on(
        "request",
        lambda r: requests.append(r) if urlparse(r.url).path == "/v1/preview" else None,
    )
    version = page.get_attribute("#preview-image", "data-version")
    page.check("#preview-probes")
    page.wait_for_function(
        "(v) => { const img = document.querySelector('#preview-image');"
        " return img.dataset.probeStops !== '' && img.dataset.version === v; }",
        arg=version,
    )
    asked = [r for r in requests if parse_qs(urlparse(r.url).query).get("probes") == ["true"]]
    assert asked, [r.url for r in requests]
    read = float(page.get_attribute("#preview-image", "data-probe-stops") or "nan")
    scene = json.loads(asked[-1].post_data or "{}")
    analysis = httpx.post(f"{base_url}/v1/analyze", json=scene, timeout=60).json()
    assert abs(read - analysis["ratio"]["stops"]) <= 1 / 3, (read, analysis["ratio"])
    assert "stops apart on the render" in (page.text_content("#preview-caption") or "")
    page.uncheck("#preview-probes")
    page.wait_for_function(
        "() => document.querySelector('#preview-image').dataset.probeStops === ''"
    )
    assert studio.errors == []


@contextmanager
def _serve_on(app: Any, port: int) -> Iterator[str]:
    """``app`` served on ``port`` until the block ends (a fixed port: the server can come back
    where the page expects it)."""
    import uvicorn

    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_config=None, access_log=False, lifespan="on"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name=f"uvicorn:{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError(f"the API server did not start on port {port}")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def test_the_preview_refreshes_when_the_server_returns(
    open_at: Callable[..., Studio], tmp_path: Path
) -> None:
    port = free_port()
    with _serve_on(_app(tmp_path / "first"), port) as url:
        studio = open_at(url, 1280, 800)
    page = studio.page
    # the server is gone: a change cannot be previewed, and the page says so
    page.select_option("#preset-select", "split")
    page.wait_for_selector("#preview-error:not([hidden])")
    assert page.inner_text("#preview-status") == "Not up to date"
    assert "Cannot reach the lightrig server" in page.inner_text("#preview-error")
    # it comes back where it was: the preview catches up by itself
    with _serve_on(_app(tmp_path / "second"), port):
        studio.settled()
        page.wait_for_function(
            "document.querySelector('#preview-status').textContent === 'Up to date'"
        )
        assert page.is_hidden("#preview-error")
        version = page.get_attribute("#view-studio", "data-scene-version")
        assert page.get_attribute("#preview-image", "data-version") == version
