"""The lighting plot the README shows: a setup with stated strobe power, printed to PDF and
turned into a PNG by poppler's pdftoppm (as the plot's test does).

python docs/lighting_plot.py [--out docs/lighting-plot.png] [--pdf docs/lighting-plot.pdf]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from lightrig.models.scene import parse_scene_request
from lightrig.plot import plot_pdf

#: A Rembrandt portrait with two strobes and a hair light, each stating its power.
SETUP = {
    "subject_description": "a man in his fifties with a short grey beard",
    "lighting_setup": {
        "key": {
            "direction": "45 degrees camera-left",
            "elevation": 35,
            "distance": 1.5,
            "intensity": 0.25,
            "modifier": "octabox",
            "power": {"watt_seconds": 500},
        },
        "fill": {
            "direction": "30 degrees camera-right",
            "elevation": 0,
            "distance": 2.5,
            "intensity": 0.5,
            "modifier": "umbrella",
            "power": {"watt_seconds": 250},
        },
        "hair": {
            "direction": "behind subject, camera-right",
            "elevation": 50,
            "distance": 1.2,
            "intensity": 0.125,
            "modifier": "strip_box",
            "power": {"guide_number": 36},
        },
    },
    "camera_settings": {"focal_length": 85, "aperture": 8, "iso": 100, "shutter": "1/160"},
    "backdrop_color": "#3a3a3a",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "lighting-plot.png")
    parser.add_argument("--pdf", type=Path, default=None, help="Also keep the PDF here.")
    options = parser.parse_args()
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise SystemExit("pdftoppm (Debian's poppler-utils) is needed: run scripts/browser-up")
    document = plot_pdf(parse_scene_request(SETUP), title="Rembrandt, three strobes")
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "plot.pdf"
        pdf.write_bytes(document)
        subprocess.run(
            [pdftoppm, "-r", "110", "-png", "-singlefile", str(pdf), str(Path(folder) / "page")],
            check=True,
        )
        shutil.copyfile(Path(folder) / "page.png", options.out)
    if options.pdf is not None:
        options.pdf.write_bytes(document)
    print(f"lighting plot → {options.out}")


if __name__ == "__main__":
    main()
