"""The pictures the README shows: a contact sheet of every preset and one lighting diagram.

python docs/contact_sheet.py [--tile 260] [--out docs/presets.png]
                             [--diagram docs/rembrandt-diagram.svg]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image, ImageDraw

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.presets import PRESETS
from lightrig.render.diagram import lighting_diagram
from lightrig.render.preview import PreviewRenderer

COLUMNS = 5
CAPTION = 34


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--tile", type=int, default=260)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "presets.png")
    parser.add_argument(
        "--diagram", type=Path, default=Path(__file__).parent / "rembrandt-diagram.svg"
    )
    options = parser.parse_args()

    tile = options.tile
    renderer = PreviewRenderer()
    analyzer = LightingAnalyzer()
    rows = (len(PRESETS) + COLUMNS - 1) // COLUMNS
    sheet = Image.new("RGB", (tile * COLUMNS, (tile + CAPTION) * rows), (18, 18, 18))
    draw = ImageDraw.Draw(sheet)
    for index, preset in enumerate(PRESETS.values()):
        request = preset.request()
        picture = renderer.render(request, tile, supersample=2)
        analysis = analyzer.analyze(request)
        x = (index % COLUMNS) * tile
        y = (index // COLUMNS) * (tile + CAPTION)
        sheet.paste(Image.fromarray(picture.srgb), (x, y))
        draw.text((x + 6, y + tile + 4), preset.title, fill=(240, 240, 240))
        detail = f"{', '.join(analysis.pattern_names)} · {analysis.ratio.ratio:.1f}:1"
        draw.text((x + 6, y + tile + 18), detail, fill=(170, 170, 170))
    sheet.save(options.out, optimize=True)
    options.diagram.write_text(lighting_diagram(PRESETS["rembrandt"].request()), encoding="utf-8")
    print(f"wrote {options.out} and {options.diagram}")


if __name__ == "__main__":
    main()
