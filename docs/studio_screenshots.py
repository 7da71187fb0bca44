"""The README's pictures of the studio page: the studio with a preset loaded, and the gallery.

Serves the API (with the studio) on a free port over a fresh data folder, drives Debian's
Chromium through Playwright at 1280×800, and writes ``docs/studio.png`` and
``docs/studio-gallery.png``; then the studio at each of :data:`WIDTHS` — a laptop's 1280×800,
a desktop's 1920×1080 and a tablet's 820×1180 (portrait) — as ``docs/studio-<name>.png``, each
taken once the preview has been rendered for that window's stage. Run by hand or by
``make docs``:

python docs/studio_screenshots.py [--preset rembrandt] [--out-dir docs]
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn
from playwright.sync_api import Page, ViewportSize, sync_playwright

from lightrig.api.app import create_app
from lightrig.config import Settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
#: The studio's screenshots at several window sizes: file name suffix → viewport.
WIDTHS: dict[str, ViewportSize] = {
    "1280": {"width": 1280, "height": 800},
    "1920": {"width": 1920, "height": 1080},
    "tablet": {"width": 820, "height": 1180},
}
#: The generations the gallery picture shows, oldest first: (preset, seed).
GALLERY = (("loop", 11), ("split", 22), ("golden-hour", 33))


@contextmanager
def serve(data_dir: Path) -> Iterator[str]:
    """The API and the studio on a free localhost port until the block ends."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    app = create_app(Settings(data_dir=data_dir), allow_anonymous=True)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)


def settled(page: Page) -> None:
    """Wait until the preview and the analysis show the current scene."""
    version = page.get_attribute("#view-studio", "data-scene-version")
    page.wait_for_selector(f'#preview-image[data-version="{version}"]', state="attached")
    page.wait_for_selector(f'#analysis[data-version="{version}"]', state="attached")
    page.wait_for_function("document.querySelector('#preview-image').complete")


def full_frame(page: Page) -> None:
    """Wait until the preview shows a full frame of the stage's size (after a resize)."""
    page.wait_for_function(
        """() => {
          const img = document.querySelector('#preview-image');
          const box = document.querySelector('#preview-stage').getBoundingClientRect();
          const side = Math.min(1024, Math.round(box.width * window.devicePixelRatio));
          return img.complete && img.dataset.resolution === 'full' && img.naturalWidth === side;
        }"""
    )


def choose(page: Page, preset: str) -> None:
    page.select_option("#preset-select", preset)
    settled(page)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--preset", default="rembrandt", help="The preset the studio shows.")
    parser.add_argument("--out-dir", type=Path, default=Path(__file__).parent)
    options = parser.parse_args()

    with (
        tempfile.TemporaryDirectory() as data,
        serve(Path(data)) as url,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        page.goto(url)
        page.wait_for_selector("body[data-ready='true']", state="attached")

        for made, (preset, seed) in enumerate(GALLERY, start=1):
            choose(page, preset)
            page.fill("#gen-seed", str(seed))
            page.click("#gen-button")
            page.wait_for_function(
                "(n) => document.querySelectorAll('.card[data-status=success]').length >= n",
                arg=made,
            )
        page.click("#tab-gallery")
        page.wait_for_function(
            "() => [...document.querySelectorAll('.card img')]"
            ".every((img) => img.complete && img.naturalWidth > 0)"
        )
        page.mouse.move(0, 0)
        page.screenshot(path=str(options.out_dir / "studio-gallery.png"))

        page.click("#tab-studio")
        choose(page, options.preset)
        page.evaluate("document.querySelectorAll('.notice').forEach((n) => n.remove())")
        page.focus('#diagram .light[data-role="key"]')  # the key selected, as a user would
        page.evaluate("document.activeElement.blur()")
        settled(page)
        page.screenshot(path=str(options.out_dir / "studio.png"))
        written = ["studio.png", "studio-gallery.png"]
        # a transition caught half-way is not the page at rest: the "Rendering" badge's fade
        page.add_style_tag(content=".stage-badge { transition: none !important; }")
        for name, viewport in WIDTHS.items():
            page.set_viewport_size(viewport)
            full_frame(page)
            settled(page)
            page.wait_for_selector('#preview-stage[aria-busy="false"]', state="attached")
            written.append(f"studio-{name}.png")
            page.screenshot(path=str(options.out_dir / written[-1]))
        browser.close()
    print(f"wrote {', '.join(written)} in {options.out_dir}")


if __name__ == "__main__":
    main()
