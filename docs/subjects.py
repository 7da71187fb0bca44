"""The picture of the preview's sitters the README shows: one Rembrandt light on each subject
the description's words choose (the default bust, a man, a woman, long hair, a beard) and on a
few skin tones, each captioned with its words and the figure they chose.

python docs/subjects.py [--tile 300] [--out docs/subjects.png]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image, ImageDraw

from lightrig.presets import get_preset
from lightrig.render.preview import PreviewRenderer
from lightrig.render.subject import subject_for

COLUMNS = 4
CAPTION = 34
#: The descriptions shown, in order.
DESCRIPTIONS = (
    "a person",
    "a man",
    "a woman",
    "a woman with long hair",
    "a man with a short beard",
    "a man in his fifties with a short grey beard",
    "a very pale woman with long dark hair",
    "a dark-skinned man",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--tile", type=int, default=300)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "subjects.png")
    options = parser.parse_args()

    tile = options.tile
    renderer = PreviewRenderer()
    rembrandt = get_preset("rembrandt").request()
    rows = (len(DESCRIPTIONS) + COLUMNS - 1) // COLUMNS
    sheet = Image.new("RGB", (tile * COLUMNS, (tile + CAPTION) * rows), (18, 18, 18))
    draw = ImageDraw.Draw(sheet)
    for index, description in enumerate(DESCRIPTIONS):
        request = rembrandt.model_copy(update={"subject_description": description})
        picture = renderer.render(request, tile, supersample=2)
        subject = subject_for(description)
        x = (index % COLUMNS) * tile
        y = (index // COLUMNS) * (tile + CAPTION)
        sheet.paste(Image.fromarray(picture.srgb), (x, y))
        draw.text((x + 6, y + tile + 4), f'"{description}"', fill=(240, 240, 240))
        detail = f"{subject.figure.name}, {subject.tone} skin, {subject.hair_colour} hair"
        draw.text((x + 6, y + tile + 18), detail, fill=(170, 170, 170))
    sheet.save(options.out, optimize=True)
    print(f"wrote {options.out}")


if __name__ == "__main__":
    main()
