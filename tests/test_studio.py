"""The studio page (``src/lightrig/web/static``) driven in a real browser: Debian's Chromium
through Playwright's sync API, against the real API served by uvicorn on a free port.

What a user does, checked the way a user would see it: the page loads without errors; a preset
changes the analysis and the preview; dragging the key across the diagram moves the preview's
bright side and the pattern's name with it; words fill the setup; a generation lands in the
gallery and can be re-lit; each gallery image shows how well it follows the requested light (or
that it was not checked); another user's generation is refused, in words; the lights move by
keyboard; the panels do not overlap at 1280×800 nor at a tablet's 820 px.

Chromium is Debian's (``/usr/bin/chromium``; Playwright cannot download browsers here). Without
it (or without the ``playwright`` package) these tests skip locally and fail in CI (``CI`` set),
where they must run.
"""

from __future__ import annotations

import asyncio
import math
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest

from tests.apiserver import serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
TABLET = {"width": 820, "height": 1180}
TIMEOUT_MS = 15_000

# the mean luma of the left and right halves of the preview image, decoded in the page
_HALVES_JS = """
(img) => {
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth;
  canvas.height = img.naturalHeight;
  const g = canvas.getContext('2d');
  g.drawImage(img, 0, 0);
  const { data, width, height } = g.getImageData(0, 0, canvas.width, canvas.height);
  let left = 0;
  let right = 0;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = 4 * (y * width + x);
      const luma = 0.2126 * data[i] + 0.7152 * data[i + 1] + 0.0722 * data[i + 2];
      if (x < width / 2) left += luma; else right += luma;
    }
  }
  const half = (width * height) / 2;
  return [left / half, right / half];
}
"""


def _unavailable() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    if not CHROMIUM.exists():
        return (
            f"Debian's Chromium is not at {CHROMIUM} (apt-get install chromium; "
            "`make test` installs it)"
        )
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    reason = _unavailable()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"the studio's browser tests must run in CI: {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def _app(data_dir: Path) -> Any:
    from lightrig.api.app import create_app
    from lightrig.config import Settings

    return create_app(Settings(data_dir=data_dir, preview_size=64), allow_anonymous=True)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server with no users: open to this machine without a key."""
    with serve(_app(tmp_path_factory.mktemp("studio"))) as url:
        yield url


@dataclass
class Studio:
    """An open studio page and everything it reported as an error."""

    page: Page
    errors: list[str] = field(default_factory=list)

    def settled(self) -> None:
        """Wait until the preview and the analysis show the current scene."""
        version = self.page.get_attribute("#view-studio", "data-scene-version")
        self.page.wait_for_selector(f'#preview-image[data-version="{version}"]', state="attached")
        self.page.wait_for_selector(f'#analysis[data-version="{version}"]', state="attached")
        self.page.wait_for_function("document.querySelector('#preview-image').complete")

    def halves(self) -> tuple[float, float]:
        left, right = self.page.eval_on_selector("#preview-image", _HALVES_JS)
        return float(left), float(right)

    def pattern(self) -> str:
        return self.page.inner_text("#fig-pattern-value")

    def choose_preset(self, name: str) -> None:
        self.page.select_option("#preset-select", name)
        self.page.wait_for_function(
            "(name) => document.querySelector('#preset-select').value === name", arg=name
        )
        self.settled()


@pytest.fixture
def open_studio(browser: Browser) -> Iterator[Callable[..., Studio]]:
    contexts = []

    def opener(
        url: str,
        *,
        viewport: dict[str, int] | None = None,
        ready: bool = True,
        prepare: Callable[[Page], None] | None = None,
    ) -> Studio:
        """Open the studio at ``url``; ``prepare(page)`` runs before it loads (routes, scripts)."""
        context = browser.new_context(viewport=viewport or DESKTOP)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        studio = Studio(page)
        page.on("console", lambda m: studio.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: studio.errors.append(f"page error: {e}"))
        if prepare is not None:
            prepare(page)
        page.goto(url)
        if ready:
            page.wait_for_selector("body[data-ready='true']", state="attached")
            studio.settled()
        return studio

    yield opener
    for context in contexts:
        context.close()


def test_page_loads_without_errors(open_studio: Callable[..., Studio], base_url: str) -> None:
    studio = open_studio(base_url)
    page = studio.page
    assert page.title() == "lightrig studio"
    # the first preset is loaded, analysed, previewed and drawn
    assert page.input_value("#preset-select") == "rembrandt"
    assert "Rembrandt" in studio.pattern()
    assert page.eval_on_selector("#preview-image", "img => img.naturalWidth") >= 128
    assert page.locator("#diagram .light").count() == 3
    assert ":1" in page.inner_text("#fig-ratio-value")
    assert page.locator("#rating-components li").count() >= 3
    assert studio.errors == []


def test_a_preset_changes_the_analysis_and_the_preview(
    open_studio: Callable[..., Studio], base_url: str
) -> None:
    studio = open_studio(base_url)
    before_pattern, before_light = studio.pattern(), studio.halves()
    studio.choose_preset("split")
    assert studio.pattern() != before_pattern
    assert "Split" in studio.pattern()
    assert studio.halves() != before_light
    # split light from camera-left: the left half of the picture is the bright one
    left, right = studio.halves()
    assert left > right + 5
    assert "half the face" in studio.page.inner_text("#preset-note")
    assert studio.errors == []


def test_dragging_the_key_across_moves_the_bright_side_and_the_pattern(
    open_studio: Callable[..., Studio], base_url: str
) -> None:
    studio = open_studio(base_url)
    page = studio.page
    studio.choose_preset("short")  # face turned toward camera-right, key on that side
    left, right = studio.halves()
    assert right > left + 5
    assert "Short" in studio.pattern()

    key = page.locator('#diagram .light[data-role="key"] .knob').bounding_box()
    head = page.locator("#diagram .subject .head").bounding_box()
    assert key is not None
    assert head is not None
    x, y = key["x"] + key["width"] / 2, key["y"] + key["height"] / 2
    mirror = 2 * (head["x"] + head["width"] / 2) - x
    assert x > mirror  # the key starts on the right of the drawing (camera-right)
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(mirror, y, steps=12)
    page.mouse.up()
    studio.settled()

    azimuth = float(page.get_attribute('#diagram .light[data-role="key"]', "data-azimuth") or 0)
    assert -75 < azimuth < -55
    assert page.input_value("#light-azimuth") == f"{azimuth:g}"
    left, right = studio.halves()
    assert left > right + 5  # the light followed the key to camera-left
    assert "Broad" in studio.pattern()  # now the side turned toward the camera is lit
    assert studio.errors == []


def test_words_fill_the_setup(open_studio: Callable[..., Studio], base_url: str) -> None:
    studio = open_studio(base_url)
    page = studio.page
    page.fill("#describe-input", "split lighting from camera right, warm tungsten")
    page.click("#describe-form button[type=submit]")
    page.wait_for_selector("#understood-list")
    understood = page.inner_text("#understood-list")
    assert "split lighting" in understood
    assert "tungsten" in understood
    studio.settled()
    key = page.locator('#diagram .light[data-role="key"]')
    assert float(key.get_attribute("data-azimuth") or 0) > 45  # the key is on camera-right
    assert float(key.get_attribute("data-x") or 0) > 0  # drawn right of the subject
    assert page.input_value("#light-kelvin") == "3200"
    assert "Split" in studio.pattern()
    left, right = studio.halves()
    assert right > left + 5
    assert studio.errors == []


def test_a_generation_lands_in_the_gallery_and_can_be_relit(
    open_studio: Callable[..., Studio], base_url: str
) -> None:
    studio = open_studio(base_url)
    page = studio.page
    studio.choose_preset("loop")
    page.fill("#gen-seed", "1234")
    page.click("#gen-button")
    page.wait_for_selector("#gen-jobs .job[data-status='success']")
    assert "seed 1234" in page.inner_text("#gen-jobs")

    page.click("#tab-gallery")
    card = page.locator(".card[data-status='success']").first
    card.locator("img").wait_for()
    page.wait_for_function(
        "() => { const img = document.querySelector('.card[data-status=success] img');"
        " return img && img.complete && img.naturalWidth > 0; }"
    )
    assert "Loop" in card.locator("h3").inner_text()
    text = card.inner_text()
    for shown in ("seed 1234", "$0.00", "Key", "Fill"):
        assert shown in text

    # the downloads: the image, the structured prompt and the diagram, fetched with the key
    for button, suffix, starts in (
        ("Download the image", ".png", b"\x89PNG"),
        ("Download the structured prompt (JSON)", "-prompt.json", b"{"),
        ("Download the lighting diagram (SVG)", "-diagram.svg", b"<?xml"),
    ):
        with page.expect_download() as download:
            card.get_by_role("button", name=button).click()
        assert download.value.suggested_filename.endswith(suffix)
        assert Path(download.value.path()).read_bytes().startswith(starts)

    # re-light it: its setup comes back to the studio; move the key; the new card is its child
    parent_id = card.get_attribute("data-id")
    card.get_by_role("button", name="Re-light this").click()
    page.wait_for_selector("#relight-banner:not([hidden])")
    assert page.inner_text("#gen-button") == "Re-light"
    page.focus('#diagram .light[data-role="key"]')
    page.keyboard.press("Shift+ArrowRight")
    page.click("#gen-button")
    page.wait_for_selector(f"#gen-jobs .job[data-status='success']:not([data-id='{parent_id}'])")
    page.click("#tab-gallery")
    child = page.locator(".card", has_text=f"re-lit from {str(parent_id)[:8]}")
    child.wait_for()
    assert child.get_attribute("data-status") == "success"
    assert studio.errors == []


#: The badge's text colour in each band (the stylesheet's --ok, --warn, --error and --muted).
BAND_COLOURS = {
    "follows": "rgb(143, 207, 156)",
    "partly": "rgb(227, 178, 90)",
    "no": "rgb(255, 138, 128)",
    "unchecked": "rgb(160, 160, 160)",
}


def test_the_gate_switch_rerolls_below_the_bar_and_says_so(
    open_studio: Callable[..., Studio], base_url: str
) -> None:
    studio = open_studio(base_url)
    page = studio.page
    studio.choose_preset("loop")
    assert page.is_disabled("#gen-bar")
    page.check("#gen-gate")
    page.fill("#gen-bar", "1.5")  # the browser's own check refuses it: nothing is sent
    assert page.eval_on_selector("#gen-bar", "input => input.validity.rangeOverflow")
    page.fill("#gen-bar", "")  # the browser lets an empty box through; the panel does not
    page.click("#gen-button")
    page.wait_for_selector("#gen-error:not([hidden])")
    assert "from 0 to 1" in page.inner_text("#gen-error")
    assert page.locator("#gen-jobs .job").count() == 0
    page.fill("#gen-bar", "0.5")
    page.fill("#gen-attempts", "2")
    page.fill("#gen-seed", "4242")
    page.click("#gen-button")
    page.wait_for_selector("#gen-jobs .job[data-status='success']")
    meta = page.inner_text("#gen-jobs")
    assert "gate passed after 1 of 2" in meta
    assert studio.errors == []


def _band(adherence: dict[str, Any] | None) -> tuple[str, str]:
    """The badge's band and words a record's adherence should give, by the studio's rule."""
    if adherence is None or adherence["overall"] is None:
        return "unchecked", "Light not checked"
    percent = math.floor(adherence["overall"] * 100 + 1e-9)
    if adherence["verdict"].startswith("does not follow") or percent < 50:
        band = "no"
    else:
        band = "follows" if percent >= 80 else "partly"
    return band, f"Light {percent}%"


def test_each_gallery_image_shows_how_well_it_follows_the_light(
    open_studio: Callable[..., Studio], base_url: str
) -> None:
    studio = open_studio(base_url)
    page = studio.page
    studio.choose_preset("split")
    page.fill("#gen-seed", "4321")
    page.click("#gen-button")
    job = page.locator("#gen-jobs .job[data-status='success']").first
    job.wait_for()
    made = str(job.get_attribute("data-id"))
    record = httpx.get(f"{base_url}/v1/generations/{made}", timeout=30).json()
    adherence = record["adherence"]
    assert adherence is not None
    assert adherence["overall"] is not None
    band, words = _band(adherence)

    page.click("#tab-gallery")
    card = page.locator(f'.card[data-id="{made}"]')
    badge = card.locator(".card-image .light-badge")
    badge.wait_for()
    assert re.fullmatch(r"Light \d{1,3}%", badge.inner_text())
    assert badge.inner_text() == words
    assert badge.get_attribute("data-band") == band
    tooltip = badge.get_attribute("title") or ""
    assert adherence["verdict"] in tooltip
    for finding in adherence["findings"]:
        assert finding in tooltip
    label = card.get_by_role("img", name=f"Light adherence {words.split()[1]}")
    assert adherence["verdict"] in (label.get_attribute("aria-label") or "")
    assert badge.evaluate("(b) => getComputedStyle(b).color") == BAND_COLOURS[band]

    # the card lists each attribute's score and finding, folded away under the verdict
    check = card.locator(".card-check")
    assert adherence["verdict"] in check.locator("summary").inner_text()
    rows = check.locator(".components li")
    assert not rows.first.is_visible()
    check.locator("summary").click()
    assert rows.count() == len(adherence["scores"]) == 5
    for score in adherence["scores"]:
        row = check.locator(f'li[data-attribute="{score["attribute"]}"]')
        assert row.is_visible()
        shown = row.locator(".comp-score").inner_text()
        if score["score"] is None:
            assert shown == "not read"
        else:
            assert shown == f"{math.floor(score['score'] * 100 + 1e-9)}%"
        assert row.locator(".comp-reason").inner_text() == score["finding"]
    assert studio.errors == []


def test_an_image_not_checked_says_so(open_studio: Callable[..., Studio], tmp_path: Path) -> None:
    from lightrig.api.app import create_app
    from lightrig.config import Settings

    settings = Settings(data_dir=tmp_path, preview_size=64, verify_images=False)
    with serve(create_app(settings, allow_anonymous=True)) as url:
        preset = httpx.get(f"{url}/v1/presets/loop", timeout=30).json()
        made = httpx.post(
            f"{url}/v1/generations", json={"request": preset["request"], "seed": 5}, timeout=60
        )
        assert made.status_code == 201, made.text
        assert made.json()["adherence"] is None
        studio = open_studio(url)
        page = studio.page
        page.click("#tab-gallery")
        card = page.locator(f'.card[data-id="{made.json()["generation_id"]}"]')
        badge = card.locator(".light-badge")
        badge.wait_for()
        assert badge.inner_text() == "Light not checked"
        assert badge.get_attribute("data-band") == "unchecked"
        assert badge.evaluate("(b) => getComputedStyle(b).color") == BAND_COLOURS["unchecked"]
        assert "not checked" in (badge.get_attribute("title") or "")
        assert "not checked" in (badge.get_attribute("aria-label") or "")
        assert card.locator(".card-check").count() == 0
        assert studio.errors == []


def test_a_failed_light_check_is_shown_as_words_not_markup(
    open_studio: Callable[..., Studio], base_url: str
) -> None:
    """A record whose light misses on one attribute (as the server words it: "does not follow"
    whatever the overall score), with text that looks like markup: the badge is in the failing
    band and every word is shown as text. The record is altered on its way to the page."""
    preset = httpx.get(f"{base_url}/v1/presets/loop", timeout=30).json()
    made = httpx.post(
        f"{base_url}/v1/generations", json={"request": preset["request"], "seed": 6}, timeout=60
    )
    assert made.status_code == 201, made.text
    made_id = made.json()["generation_id"]
    markup = '<img src=x onerror="window.injected=1">'
    missed = {
        "overall": 0.86,
        "verdict": f"does not follow the requested light: key on the wrong side {markup}",
        "scores": [
            {
                "attribute": "key_side",
                "score": 0.0,
                "weight": 0.25,
                "finding": f"key came from camera-left, asked camera-right {markup}",
                "generated": "camera-left",
                "reference": "camera-right",
            },
            {
                "attribute": "hardness",
                "score": None,
                "weight": 0.0,
                "finding": "hardness not compared: in the picture, no face",
                "generated": "unknown",
                "reference": "hard",
            },
        ],
        "findings": [f"key came from camera-left, asked camera-right {markup}"],
    }

    studio = open_studio(base_url)
    page = studio.page

    def alter(route: Any) -> None:
        response = route.fetch()
        body = response.json()
        for item in body["items"]:
            if item["generation_id"] == made_id:
                item["adherence"] = missed
        route.fulfill(response=response, json=body)

    page.route(re.compile(r"/v1/generations\?"), alter)
    page.click("#tab-gallery")
    page.click("#gallery-refresh")
    card = page.locator(f'.card[data-id="{made_id}"]')
    badge = card.locator(".light-badge")
    badge.wait_for()
    assert badge.inner_text() == "Light 86%"
    assert badge.get_attribute("data-band") == "no"
    assert badge.evaluate("(b) => getComputedStyle(b).color") == BAND_COLOURS["no"]
    assert markup in (badge.get_attribute("title") or "")
    check = card.locator(".card-check")
    check.locator("summary").click()
    assert markup in check.locator("summary").inner_text()
    assert check.locator('li[data-attribute="key_side"] .comp-score').inner_text() == "0%"
    assert check.locator('li[data-attribute="hardness"] .comp-score').inner_text() == "not read"
    assert markup in check.locator('li[data-attribute="key_side"] .comp-reason').inner_text()
    assert card.locator(".card-body img").count() == 0
    assert page.evaluate("window.injected") is None
    assert studio.errors == []


def test_the_lights_move_by_keyboard(open_studio: Callable[..., Studio], base_url: str) -> None:
    studio = open_studio(base_url)
    page = studio.page
    page.focus("#describe-input")
    for _ in range(40):  # reachable with Tab alone
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.role") == "key":
            break
    else:
        pytest.fail("Tab never reached the key light's handle in the diagram")
    key = page.locator('#diagram .light[data-role="key"]')
    azimuth = float(key.get_attribute("data-azimuth") or 0)
    elevation = float(page.input_value("#light-elevation"))
    distance = float(key.get_attribute("data-distance") or 0)
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("PageUp")
    page.keyboard.press("ArrowUp")
    assert float(key.get_attribute("data-azimuth") or 0) == azimuth + 15
    assert float(page.input_value("#light-elevation")) == elevation + 5
    assert float(key.get_attribute("data-distance") or 0) == pytest.approx(distance + 0.05)
    # undo takes back one key press at a time
    page.keyboard.press("Control+z")
    assert float(key.get_attribute("data-distance") or 0) == pytest.approx(distance)
    assert float(key.get_attribute("data-azimuth") or 0) == azimuth + 15
    page.keyboard.press("Control+z")
    page.keyboard.press("Control+z")
    assert float(key.get_attribute("data-azimuth") or 0) == azimuth
    assert float(page.input_value("#light-elevation")) == elevation
    studio.settled()
    assert studio.errors == []


@pytest.mark.parametrize("viewport", [DESKTOP, TABLET], ids=["1280x800", "tablet-820"])
def test_panels_fit_without_overlapping(
    open_studio: Callable[..., Studio], base_url: str, viewport: dict[str, int]
) -> None:
    studio = open_studio(base_url, viewport=viewport)
    page = studio.page
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    boxes = {}
    for panel in ("#setup", "#preview-panel", "#analysis", "#inspector", "#generate-panel"):
        box = page.locator(panel).bounding_box()
        assert box is not None, panel
        assert box["width"] > 200, panel
        assert box["height"] > 100, panel
        assert box["x"] >= 0, panel
        assert box["x"] + box["width"] <= viewport["width"], panel
        boxes[panel] = box
    names = list(boxes)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            p, q = boxes[a], boxes[b]
            apart = (
                p["x"] + p["width"] <= q["x"] + 0.5
                or q["x"] + q["width"] <= p["x"] + 0.5
                or p["y"] + p["height"] <= q["y"] + 0.5
                or q["y"] + q["height"] <= p["y"] + 0.5
            )
            assert apart, f"{a} overlaps {b}"
    if viewport == DESKTOP:  # the whole studio in one screen
        assert page.evaluate("document.documentElement.scrollHeight") <= viewport["height"]
    assert studio.errors == []


def test_a_queued_job_shows_its_progress_until_done(
    open_studio: Callable[..., Studio], tmp_path: Path
) -> None:
    from pydantic import SecretStr

    from lightrig.api.app import create_app
    from lightrig.config import Settings
    from lightrig.testing.mock_bria import MockBriaServer

    with MockBriaServer(token="studio-token", latency_s=1.5, image_size=64) as bria:
        settings = Settings(
            data_dir=tmp_path,
            backend="bria",
            bria_base_url=f"{bria.url}/v2",
            bria_api_token=SecretStr("studio-token"),
            bria_poll_initial_s=0.05,
            bria_poll_max_s=0.2,
            retry_initial_s=0.05,
            retry_max_s=0.2,
        )
        with serve(create_app(settings, allow_anonymous=True)) as url:
            studio = open_studio(url)
            page = studio.page
            page.select_option("#gen-backend", "bria")
            page.click("#gen-button")
            # 202: the job is queued, then polled; its progress shows until it finishes
            job = page.locator("#gen-jobs .job").first
            job.locator("[role=progressbar]").wait_for()
            assert page.locator("#gen-jobs .job[data-status='success']").count() == 0
            page.wait_for_selector("#gen-jobs .job[data-status='success']", timeout=30_000)
            assert "bria" in job.inner_text()
            page.click("#tab-gallery")
            card = page.locator(".card[data-status='success']").first
            assert "bria" in card.inner_text()
            assert studio.errors == []


def test_a_batch_shows_its_progress_in_the_gallery(
    open_studio: Callable[..., Studio], tmp_path: Path
) -> None:
    """A batch made through the API: the gallery follows it, item by item, to the end."""
    import httpx
    from pydantic import SecretStr

    from lightrig.api.app import create_app
    from lightrig.config import Settings
    from lightrig.presets import PRESETS
    from lightrig.testing.mock_bria import MockBriaServer

    with MockBriaServer(token="studio-token", latency_s=1.0, image_size=64) as bria:
        settings = Settings(
            data_dir=tmp_path,
            backend="bria",
            bria_base_url=f"{bria.url}/v2",
            bria_api_token=SecretStr("studio-token"),
            bria_poll_initial_s=0.05,
            bria_poll_max_s=0.2,
            job_concurrency=2,
        )
        with serve(create_app(settings, allow_anonymous=True)) as url:
            requests = [PRESETS[name].request().model_dump(mode="json") for name in ("loop",) * 6]
            made = httpx.post(f"{url}/v1/batches", json={"requests": requests}, timeout=30)
            assert made.status_code == 202, made.text
            short = made.json()["batch_id"][:8]
            studio = open_studio(url)
            page = studio.page
            page.click("#tab-gallery")
            line = page.locator(f"#gallery-batches li:has-text('Batch {short}')")
            line.wait_for(timeout=15_000)
            assert "of 6 done" in line.inner_text()
            assert "finished" not in line.inner_text()
            page.wait_for_selector(
                "#gallery-batches li:has-text('6 of 6 done — finished')", timeout=30_000
            )
            # the cards follow their generations on their own poll (every 2 s): within it, all
            # six show their image
            page.wait_for_function(
                "() => document.querySelectorAll(\".card[data-status='success']\").length === 6",
                timeout=10_000,
            )
            assert studio.errors == []


async def _two_users(data_dir: Path) -> tuple[str, str]:
    from lightrig.config import Settings
    from lightrig.db.factory import create_store

    store = create_store(Settings(data_dir=data_dir))
    try:
        await store.migrate()
        _, alice = await store.create_user("alice")
        _, bob = await store.create_user("bob")
    finally:
        await store.aclose()
    return alice, bob


def test_another_users_generation_is_refused_in_words(
    open_studio: Callable[..., Studio], tmp_path: Path
) -> None:
    # Playwright's sync API keeps an event loop running in this thread: make the users in another
    with ThreadPoolExecutor(max_workers=1) as pool:
        alice, bob = pool.submit(asyncio.run, _two_users(tmp_path)).result()
    with serve(_app(tmp_path)) as url:
        preset = httpx.get(
            f"{url}/v1/presets/loop", headers={"Authorization": f"Bearer {bob}"}
        ).json()
        made = httpx.post(
            f"{url}/v1/generations",
            json={"request": preset["request"], "seed": 7},
            headers={"Authorization": f"Bearer {bob}"},
            timeout=60,
        )
        assert made.status_code == 201
        bobs = made.json()["generation_id"]

        studio = open_studio(url, ready=False)
        page = studio.page
        # without a key the server refuses, and the page says what to do
        page.locator(".notice-error", has_text="needs an API key").wait_for()
        page.click("#key-button")
        page.fill("#key-input", alice)
        page.click("#key-form button[type=submit]")
        page.wait_for_function("document.querySelector('#preset-select').value === 'rembrandt'")
        studio.settled()
        assert "…" + alice[-4:] in page.inner_text("#key-button")

        page.click("#tab-gallery")
        page.fill("#open-id", bobs)
        page.click("#open-form button[type=submit]")
        refusal = page.locator("#open-error")
        refusal.wait_for()
        words = refusal.inner_text()
        assert "Not found (404)" in words
        assert bobs in words
        assert page.locator(f'.card[data-id="{bobs}"]').count() == 0


# --- the studio draws and names with the API's conventions (GET /v1/conventions)

#: A setup the page starts from (as a previous visit would have left it): a softbox key 1.5 m
#: away at camera-left, an umbrella fill 10 m away (on the scale's logarithmic part).
_SAVED_SCENE = {
    "scene": {
        "lighting_setup": {
            "key": {
                "azimuth": -45,
                "elevation": 30,
                "distance": 1.5,
                "intensity": 0.8,
                "color_temperature": 5600,
                "modifier": "softbox",
                "modifier_size": 0.9,
            },
            "fill": {
                "azimuth": 40,
                "elevation": 0,
                "distance": 10,
                "intensity": 0.6,
                "color_temperature": 5600,
                "modifier": "umbrella",
                "modifier_size": 1.05,
            },
        },
    },
    "preset": None,
}


def _starting_from(scene: dict[str, Any]) -> str:
    """A script that leaves ``scene`` in the page's storage before the studio starts."""
    import json

    return f"localStorage.setItem('lightrig.scene', {json.dumps(json.dumps(scene))});"


def _drawn_radius(page: Page, role: str) -> float:
    """The distance (viewBox px) from the subject at which the diagram draws a light."""
    light = page.locator(f'#diagram .light[data-role="{role}"]')
    x = float(light.get_attribute("data-x") or "nan")
    y = float(light.get_attribute("data-y") or "nan")
    return math.hypot(x, y)


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


def test_the_diagram_draws_with_the_apis_conventions(
    open_studio: Callable[..., Studio], base_url: str
) -> None:
    from lightrig.conventions import conventions
    from lightrig.render.diagram import diagram_radius

    document = httpx.get(f"{base_url}/v1/conventions", timeout=30).json()
    assert document == conventions().model_dump(mode="json")
    studio = open_studio(
        base_url, prepare=lambda page: page.add_init_script(_starting_from(_SAVED_SCENE))
    )
    page = studio.page
    assert page.get_attribute("body", "data-conventions") == document["version"]
    # each light stands where Python's diagram puts it, on both parts of the scale
    assert _drawn_radius(page, "key") == pytest.approx(diagram_radius(1.5), abs=0.1)
    assert _drawn_radius(page, "fill") == pytest.approx(diagram_radius(10.0), abs=0.1)
    roles = {r["value"]: r for r in document["roles"]}
    shorts = {m["value"]: m["short"] for m in document["modifiers"]}
    for role, modifier in (("key", "softbox"), ("fill", "umbrella")):
        knob = page.locator(f'#diagram .light[data-role="{role}"] .knob')
        assert knob.evaluate("(k) => getComputedStyle(k).fill") == _rgb(
            roles[role]["accent_on_dark"]
        )
        label = page.locator("#diagram .labels .label", has_text=roles[role]["label"])
        assert label.locator(".label-name").text_content() == roles[role]["label"]
        assert shorts[modifier] in (label.locator(".label-detail").text_content() or "")
    assert studio.errors == []


def test_a_changed_conventions_document_changes_the_diagram(
    open_studio: Callable[..., Studio], base_url: str
) -> None:
    """The page keeps no copy: serve it a document whose key is called "Main" in #123456, whose
    softbox is a "boxy thing" and whose scale is 50 px a metre, and the diagram follows."""
    document = httpx.get(f"{base_url}/v1/conventions", timeout=30).json()
    for role in document["roles"]:
        if role["value"] == "key":
            role.update(label="Main", accent_on_dark="#123456")
    for modifier in document["modifiers"]:
        if modifier["value"] == "softbox":
            modifier["short"] = "boxy thing"
    document["diagram"]["px_per_m"] = 50.0
    document["version"] = "0123456789abcdef"

    def prepare(page: Page) -> None:
        page.add_init_script(_starting_from(_SAVED_SCENE))
        page.route("**/v1/conventions", lambda route: route.fulfill(json=document))

    studio = open_studio(base_url, prepare=prepare)
    page = studio.page
    assert page.get_attribute("body", "data-conventions") == "0123456789abcdef"
    key = page.locator('#diagram .light[data-role="key"]')
    assert (key.get_attribute("aria-label") or "").startswith("Main light")
    assert key.locator(".knob").evaluate("(k) => getComputedStyle(k).fill") == _rgb("#123456")
    label = page.locator("#diagram .labels .label", has_text="Main")
    assert label.locator(".label-name").text_content() == "Main"
    assert label.locator(".label-name").evaluate("(t) => getComputedStyle(t).fill") == _rgb(
        "#123456"
    )
    assert "boxy thing" in (label.locator(".label-detail").text_content() or "")
    assert _drawn_radius(page, "key") == pytest.approx(46.0 + 50.0 * 1.5, abs=0.1)
    assert page.inner_text("#light-title") == "Main light"
    assert studio.errors == []


#: Colour temperatures across the API's range (kelvin), evenly in mireds, and white balances.
_KELVINS = [round(1e6 / (1e6 / 1700 - (1e6 / 1700 - 1e6 / 12000) * i / 40)) for i in range(41)]
_BALANCES = [2000, 2800, 3200, 4300, 5000, 5600, 6504, 7500, 10000]

_PAGE_COLOUR_JS = """
async ({ kelvins, balances, needs }) => {
  const colour = await import('/js/colour.js');
  const { Conventions } = await import('/js/conventions.js');
  const conventions = new Conventions(await (await fetch('/v1/conventions')).json());
  const pairs = kelvins.flatMap((k) => balances.map((wb) => [k, wb]));
  return {
    swatches: pairs.map(([k, wb]) => colour.swatchHex(k, wb)),
    casts: pairs.map(([k, wb]) => colour.colourCast(k, wb)),
    gels: needs.map((n) => {
      const s = colour.suggestGel(n, conventions);
      return s === null ? null : s.gels.map((g) => g.name);
    }),
    names: kelvins.map((k) => conventions.colourName(k)),
  };
}
"""


def test_the_pages_colour_maths_is_pythons(
    open_studio: Callable[..., Studio], base_url: str
) -> None:
    from lightrig.lighting.colour import colour_cast, kelvin_source_name, swatch_hex
    from lightrig.lighting.gels import suggest_gel

    studio = open_studio(base_url)
    needs = list(range(-320, 321, 3))
    page = studio.page.evaluate(
        _PAGE_COLOUR_JS, {"kelvins": _KELVINS, "balances": _BALANCES, "needs": needs}
    )
    pairs = [(k, wb) for k in _KELVINS for wb in _BALANCES]
    assert page["swatches"] == [swatch_hex(k, wb) for k, wb in pairs]
    assert page["casts"] == [colour_cast(k, wb).value for k, wb in pairs]
    python_gels = []
    for need in needs:
        suggestion = suggest_gel(float(need))
        python_gels.append(None if suggestion is None else [g.name for g in suggestion.gels])
    assert page["gels"] == python_gels
    assert page["names"] == [kelvin_source_name(k) for k in _KELVINS]
    assert studio.errors == []


_PAGE_SCALE_JS = """
async ({ distances, sizes, angles }) => {
  const { Conventions } = await import('/js/conventions.js');
  const conventions = new Conventions(await (await fetch('/v1/conventions')).json());
  return {
    radii: distances.map((d) => conventions.diagramRadius(d)),
    back: distances.map((d) => conventions.distanceForRadius(conventions.diagramRadius(d))),
    softness: sizes.map((s) => conventions.softnessFromSize(s)),
    sizes: sizes.map((s) => conventions.sizeFromSoftness(Math.min(1, s))),
    hardness: angles.map((a) => conventions.hardnessForAngle(a)),
  };
}
"""


def test_the_pages_scale_and_softness_are_pythons(
    open_studio: Callable[..., Studio], base_url: str
) -> None:
    from lightrig.lighting.softness import (
        hardness_for_angle,
        size_from_softness,
        softness_from_size,
    )
    from lightrig.models.lights import LightSettings
    from lightrig.render.diagram import diagram_radius

    distances = [0.1, 0.5, 1.0, 1.5, 2.0, 3.0, 3.5, 7.0, 10.0, 42.0, 100.0]
    sizes = [0.05, 0.15, 0.3, 0.55, 0.9, 1.2, 1.8]
    angles = [0.5, 9.9, 10.0, 17.0, 25.0, 25.1, 60.0]
    studio = open_studio(base_url)
    page = studio.page.evaluate(
        _PAGE_SCALE_JS, {"distances": distances, "sizes": sizes, "angles": angles}
    )
    assert page["radii"] == pytest.approx([diagram_radius(d) for d in distances], abs=1e-9)
    assert page["back"] == pytest.approx(distances, abs=1e-9)
    assert page["softness"] == pytest.approx([softness_from_size(s) for s in sizes], abs=1e-12)
    assert page["sizes"] == pytest.approx([size_from_softness(min(1, s)) for s in sizes])
    assert page["hardness"] == [hardness_for_angle(a).value for a in angles]
    # the page's fallback light (no size given) is the API's
    default = LightSettings(azimuth=0.0, intensity=0.5).modifier_size
    assert default == pytest.approx(
        studio.page.evaluate(
            "async () => { const { Conventions } = await import('/js/conventions.js');"
            " const c = new Conventions(await (await fetch('/v1/conventions')).json());"
            " return c.defaultSize; }"
        )
    )
    assert studio.errors == []


# --- a missing light is said in words, and every warning reaches the page (issue 18)


def _switch(page: Page, label: str, *, on: bool) -> None:
    """Switch a light on or off by its chip in the roster, as a user would."""
    toggle = page.get_by_label(f"{label} light on")
    if on:
        toggle.check()
    else:
        toggle.uncheck()


def test_a_key_alone_says_no_fill_not_a_ratio(
    open_studio: Callable[..., Studio], base_url: str
) -> None:
    """With the fill switched off no light reaches the shadow side: the analysis measures it as
    its 1024:1 cap, which the page must say as "no fill" (the word table's sentence in full on
    the figure's tooltip and the gallery card's), never as a ratio."""
    from lightrig.lighting.vocabulary import NO_FILL

    studio = open_studio(
        base_url, prepare=lambda page: page.add_init_script(_starting_from(_SAVED_SCENE))
    )
    page = studio.page
    assert ":1" in page.inner_text("#fig-ratio-value")  # key and fill: a ratio
    _switch(page, "Fill", on=False)
    studio.settled()

    assert page.inner_text("#fig-ratio-value") == "No fill"
    assert "the shadow side is unlit" in page.inner_text("#fig-ratio-sub")
    assert NO_FILL in (page.get_attribute("#fig-ratio", "title") or "").lower()
    panel = page.inner_text("#analysis")
    assert "1024" not in panel
    assert "10.0 stops" not in panel  # the cap in stops is no measurement either
    warnings = page.locator("#analysis-warnings li", has_text="No light reaches the shadow side")
    assert warnings.is_visible()

    # the generation's card in the gallery says it the same way
    page.fill("#gen-seed", "77")
    page.click("#gen-button")
    job = page.locator("#gen-jobs .job[data-status='success']").first
    job.wait_for()
    generation = job.get_attribute("data-id")
    page.click("#tab-gallery")
    card = page.locator(f'.card[data-id="{generation}"]')
    card.wait_for()
    figures = card.locator(".card-figures")
    assert figures.inner_text().startswith("no fill ·")
    assert "1024" not in card.inner_text()
    assert NO_FILL in (figures.locator(".no-fill").get_attribute("title") or "").lower()

    # the fill back on: a ratio again, and the words go
    page.click("#tab-studio")
    _switch(page, "Fill", on=True)
    studio.settled()
    assert re.fullmatch(r"\d+(\.\d)?:1", page.inner_text("#fig-ratio-value"))
    assert "unlit" not in page.inner_text("#fig-ratio-sub")
    assert studio.errors == []


def test_a_fill_alone_warns_that_there_is_no_key(
    open_studio: Callable[..., Studio], base_url: str
) -> None:
    """The key switched off, the fill is the only light: the analysis panel shows the API's
    warning that it acts as the key, word for word, where the other advice is."""
    studio = open_studio(
        base_url, prepare=lambda page: page.add_init_script(_starting_from(_SAVED_SCENE))
    )
    page = studio.page
    assert page.locator("#analysis-warnings li", has_text="No key").count() == 0
    _switch(page, "Key", on=False)
    studio.settled()

    setup = _SAVED_SCENE["scene"]["lighting_setup"]  # type: ignore[index]
    request = {"lighting_setup": {"key": {**setup["key"], "enabled": False}, "fill": setup["fill"]}}
    answer = httpx.post(f"{base_url}/v1/analyze", json=request, timeout=30)
    answer.raise_for_status()
    expected = [w for w in answer.json()["warnings"] if w.startswith("No key")]
    assert expected, answer.json()["warnings"]
    warning = page.locator("#analysis-warnings li", has_text="No key")
    assert warning.is_visible()
    assert warning.inner_text().endswith(expected[0])
    assert "camera-right" in warning.inner_text()
    assert studio.errors == []


def test_the_words_box_shows_what_the_translator_assumed(
    open_studio: Callable[..., Studio], base_url: str
) -> None:
    """Words that name no kicker nor ambient light keep the preset's: the translator says it
    assumed them, and the page shows each assumption the API answered with."""
    studio = open_studio(base_url)
    page = studio.page
    page.fill("#describe-input", "split lighting from camera right, warm tungsten")
    with page.expect_response(lambda r: r.url.endswith("/v1/translate")) as response:
        page.click("#describe-form button[type=submit]")
    assumptions = response.value.json()["assumptions"]
    assert assumptions  # the split preset's kicker and ambient, which the words do not name
    page.wait_for_selector("#assumed-list")
    box = page.inner_text("#describe-result")
    assert "Assumed" in box
    shown = page.locator("#assumed-list li").all_inner_texts()
    assert shown == assumptions
    assert any("kicker" in a for a in shown)
    assert studio.errors == []
