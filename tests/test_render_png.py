"""The preview's own PNG encoder: what any decoder reads back is the picture, byte for byte."""

from __future__ import annotations

import io
import zlib

import numpy as np
import pytest
from PIL import Image

from lightrig.render.png import encode_png


def _decoded(data: bytes) -> tuple[np.ndarray, dict[str, object]]:
    with Image.open(io.BytesIO(data)) as image:
        image.load()
        assert image.format == "PNG"
        assert image.mode == "RGB"
        return np.asarray(image), {str(key): value for key, value in image.info.items()}


@pytest.mark.parametrize("level", [0, 1, 6, 9])
@pytest.mark.parametrize("shape", [(1, 1), (7, 13), (64, 48)])
def test_pixels_and_text_read_back(level: int, shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(sum(shape) + level)
    # steps up and down that wrap the Up filter's byte differences round 256
    pixels = rng.integers(0, 256, size=(*shape, 3), dtype=np.uint8)
    data = encode_png(pixels, compress_level=level, text={"lightrig:exposure": "-1.25"})
    decoded, info = _decoded(data)
    np.testing.assert_array_equal(decoded, pixels)
    assert info["lightrig:exposure"] == "-1.25"


def test_a_preview_compresses_as_well_as_with_pillows_choice_of_filters() -> None:
    from lightrig.presets import get_preset
    from lightrig.render.preview import PreviewRenderer

    request = get_preset("rembrandt").request()
    pixels = PreviewRenderer().render(request, 200, antialias=True, coarse_backdrop=True).srgb
    ours = encode_png(pixels, compress_level=1)
    buffer = io.BytesIO()
    Image.fromarray(pixels, mode="RGB").save(buffer, format="PNG", compress_level=1)
    assert len(ours) <= 1.1 * len(buffer.getvalue())
    np.testing.assert_array_equal(_decoded(ours)[0], pixels)


def test_a_non_contiguous_picture_is_encoded_as_it_looks() -> None:
    pixels = np.arange(10 * 12 * 3, dtype=np.uint8).reshape(10, 12, 3)[:, ::2]
    np.testing.assert_array_equal(_decoded(encode_png(pixels))[0], pixels)


def test_chunks_carry_valid_crcs() -> None:
    data = encode_png(np.zeros((2, 2, 3), dtype=np.uint8), text={"k": "v"})
    at = 8
    kinds = []
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        kind = data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + length]
        crc = int.from_bytes(data[at + 8 + length : at + 12 + length], "big")
        assert crc == zlib.crc32(body, zlib.crc32(kind))
        kinds.append(kind)
        at += 12 + length
    assert kinds == [b"IHDR", b"tEXt", b"IDAT", b"IEND"]


@pytest.mark.parametrize(
    ("pixels", "options", "field"),
    [
        (np.zeros((2, 2), dtype=np.uint8), {}, "pixels"),
        (np.zeros((2, 2, 4), dtype=np.uint8), {}, "pixels"),
        (np.zeros((2, 2, 3), dtype=np.float32), {}, "pixels"),
        (np.zeros((0, 2, 3), dtype=np.uint8), {}, "pixels"),
        (np.zeros((2, 2, 3), dtype=np.uint8), {"compress_level": 10}, "compress_level"),
        (np.zeros((2, 2, 3), dtype=np.uint8), {"text": {"": "x"}}, "text"),
    ],
)
def test_bad_input_is_named(pixels: np.ndarray, options: dict[str, object], field: str) -> None:
    with pytest.raises(ValueError, match=f"^{field}: got"):
        encode_png(pixels, **options)  # type: ignore[arg-type]
