"""The README's picture of lightrig's nodes in ComfyUI, and the example workflow in ComfyUI's
own (UI) format.

Starts a real ComfyUI with the pack (``tests/comfyui_host.py``: the snapshot in
``../shared/comfyui``, its cached virtual environment), opens its page in Debian's Chromium
through Playwright, loads ``examples/comfyui_workflow_api.json`` (the API format) with the
page's own loader, lays the nodes out in columns, runs the workflow so that the image nodes show
their pictures, and writes ``docs/comfyui-workflow.png`` and, from the page's graph,
``examples/comfyui_workflow.json`` (the format ComfyUI's "Open" and drag-and-drop take).

python docs/comfyui_screenshot.py [--out-dir docs]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # tests.comfyui_host, which knows how to start ComfyUI

from tests.comfyui_host import ComfyServer, running_comfyui  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"]
WORKFLOW = REPO / "examples" / "comfyui_workflow_api.json"
UI_WORKFLOW = REPO / "examples" / "comfyui_workflow.json"
#: How long the first run may take (numba compiles the renderer on first use).
RUN_TIMEOUT_S = 400.0
#: Where each node of the example goes on the canvas (graph units), by its id in the workflow.
LAYOUT: dict[str, tuple[int, int]] = {
    "1": (30, 40),
    "12": (30, 190),
    "14": (30, 450),
    "2": (400, 40),
    "3": (400, 180),
    "4": (400, 300),
    "6": (400, 460),
    "13": (400, 600),
    "15": (400, 740),
    "8": (750, 40),
    "10": (750, 290),
    "11": (750, 430),
    "5": (1100, 40),
    "9": (1450, 40),
    "7": (1100, 430),
}
#: The least width of a node (graph units), so that titles and outputs are read whole.
MIN_WIDTH = 300
#: The words node's size: its text box need not be as tall as ComfyUI makes it.
WORDS_SIZE = (330, 220)


def load_and_run(page: Page, comfy: ComfyServer, workflow: dict[str, object]) -> None:
    """Load ``workflow`` with the page's API-format loader, place the nodes, run it."""
    page.goto(comfy.url)
    page.wait_for_function("window.app && window.app.graph && window.app.canvas", timeout=120_000)
    page.evaluate("(wf) => window.app.loadApiJson(wf, 'lightrig example')", workflow)
    page.evaluate(
        """([layout, minWidth, words]) => {
            const app = window.app;
            for (const node of app.graph._nodes) {
                const at = layout[String(node.id)];
                if (at) { node.pos = [at[0], at[1]]; }
                if (node.type !== "SaveImage") {
                    node.size = [Math.max(node.size[0], minWidth), node.size[1]];
                }
                if (node.type === "LightrigWordsSetup") { node.size = words; }
            }
            app.canvas.ds.scale = 0.85;
            app.canvas.ds.offset = [10, 10];
            app.graph.setDirtyCanvas(true, true);
        }""",
        [LAYOUT, MIN_WIDTH, list(WORDS_SIZE)],
    )
    page.evaluate("() => window.app.queuePrompt(0)")
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while not any(run["status"].get("completed") for run in comfy.get("/history").values()):
        if time.monotonic() > deadline:
            raise RuntimeError(f"the workflow did not finish in {RUN_TIMEOUT_S:.0f} s")
        time.sleep(1.0)
    page.wait_for_timeout(3000)  # the page shows the pictures it was sent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out-dir", type=Path, default=REPO / "docs")
    args = parser.parse_args()
    workflow = json.loads(WORKFLOW.read_text(encoding="utf-8"))
    with (
        tempfile.TemporaryDirectory() as base,
        running_comfyui(Path(base)) as comfy,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        # no first-run template gallery over the graph
        comfy.post("/settings/Comfy.TutorialCompleted", True)
        load_and_run(page, comfy, workflow)
        page.screenshot(path=str(args.out_dir / "comfyui-workflow.png"))
        graph = page.evaluate("() => window.app.graph.serialize()")
        UI_WORKFLOW.write_text(json.dumps(graph, indent=2) + "\n", encoding="utf-8")
        browser.close()


if __name__ == "__main__":
    main()
