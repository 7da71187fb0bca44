"""Make the example pictures the README verifies, with lightrig's own renderer.

    python examples/make_pictures.py [--out examples] [--size 384]

Renders ``examples/my-setup.json`` (a lighting setup keyed by role) and writes:

- ``shot.jpg``: the picture as a screen shows it (filmic tone curve, sRGB), JPEG quality 90 —
  what ``lightrig verify shot.jpg`` reads by default (``--encoding display``);
- ``raw-export.png``: the same render's linear values (proportional to the light, clipped to
  0–1), as a raw converter's linear export would hold them — ``--encoding linear``.

The render is deterministic but for the last bit of floating point on other CPUs; the pictures
in the repository were made by this script.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from PIL import Image

from lightrig import parse_scene_request
from lightrig.render.preview import PreviewRenderer

HERE = Path(__file__).parent


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="folder to write into")
    parser.add_argument("--size", type=int, default=384, help="pixels a side (16–4096)")
    options = parser.parse_args()

    data = json.loads((HERE / "my-setup.json").read_text(encoding="utf-8"))
    request = parse_scene_request(data)
    picture = PreviewRenderer().render(request, options.size, supersample=2)

    options.out.mkdir(parents=True, exist_ok=True)
    shot = options.out / "shot.jpg"
    Image.fromarray(picture.srgb).save(shot, quality=90)
    raw = options.out / "raw-export.png"
    linear = np.clip(np.rint(picture.linear * 255.0), 0, 255).astype(np.uint8)
    Image.fromarray(linear).save(raw, optimize=True)
    print(f"wrote {shot} and {raw}")


if __name__ == "__main__":
    main()
