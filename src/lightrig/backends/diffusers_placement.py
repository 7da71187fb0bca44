"""Where and how the local FIBO pipelines run, decided without torch: device, dtype, CPU
offload, the image's shape, the ``from_pretrained`` keyword of the installed diffusers, which
pipeline class a model is (:class:`PipelineKind`: FIBO or FIBO-Edit), and where it comes from (a
local folder or a Hub id). Pure functions, testable without a GPU; the backend
(:mod:`lightrig.backends.diffusers_backend`) applies them, the same way to both pipelines.

- device ``auto`` picks CUDA when torch sees a GPU, else Apple's MPS, else the CPU;
- dtype ``auto`` picks bfloat16 on CUDA, float16 on MPS and float32 on the CPU;
- on a CUDA GPU with less than :data:`OFFLOAD_BELOW_BYTES` (40 GB) of memory the pipeline runs
  with ``enable_model_cpu_offload``.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "DTYPES",
    "EDIT_PIPELINE_CLASS",
    "FIBO",
    "FIBO_EDIT",
    "OFFLOAD_BELOW_BYTES",
    "PIPELINE_CLASS",
    "SIZE_MULTIPLE",
    "ModelSource",
    "PipelineKind",
    "check_local_folder",
    "choose_device",
    "choose_dtype",
    "dtype_keyword",
    "hub_offline",
    "image_size",
    "locate_model",
    "model_named",
    "scaled_size",
    "should_offload",
]

#: The diffusers pipeline class FIBO is loaded as.
PIPELINE_CLASS = "BriaFiboPipeline"
#: The diffusers pipeline class FIBO-Edit is loaded as.
EDIT_PIPELINE_CLASS = "BriaFiboEditPipeline"

#: Image sides are multiples of this many pixels (the pipeline's requirement).
SIZE_MULTIPLE = 16

#: CUDA devices with less memory than this (bytes; 40 GB) run with model CPU offload.
OFFLOAD_BELOW_BYTES = 40 * 10**9

#: The dtypes the pipeline may be loaded in, by torch name.
DTYPES: tuple[str, ...] = ("bfloat16", "float16", "float32")

#: The first diffusers release whose ``from_pretrained`` takes ``dtype`` (``torch_dtype`` before).
_DTYPE_KEYWORD_SINCE = (0, 40)

_DEVICE_FORM = re.compile(r"^(cpu|mps|cuda(:\d+)?)$")
_HUB_ID_FORM = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_TRUE_VALUES = frozenset({"1", "ON", "YES", "TRUE"})


def choose_device(requested: str, cuda_available: bool, mps_available: bool) -> str:
    """The torch device to run on.

    ``auto`` gives ``cuda`` when a CUDA GPU is available, else ``mps`` when Apple's Metal is,
    else ``cpu``. An explicit ``cpu``, ``cuda``, ``cuda:N`` or ``mps`` is returned as given
    (lower-cased); anything else raises :class:`ValueError`.
    """
    device = requested.strip().lower()
    if device == "auto":
        if cuda_available:
            return "cuda"
        return "mps" if mps_available else "cpu"
    if not _DEVICE_FORM.match(device):
        raise ValueError(
            f"unknown device {requested!r}; use 'auto', 'cpu', 'cuda', 'cuda:N' or 'mps'"
        )
    return device


def choose_dtype(requested: str, device: str) -> str:
    """The torch dtype name to load the weights in, for ``device`` (from :func:`choose_device`).

    ``auto`` gives ``bfloat16`` on CUDA (FIBO's training precision), ``float16`` on MPS and
    ``float32`` on the CPU (where half precision is slow or unsupported). An explicit name in
    :data:`DTYPES` is returned as given; anything else raises :class:`ValueError`.
    """
    dtype = requested.strip().lower()
    if dtype == "auto":
        if device.startswith("cuda"):
            return "bfloat16"
        return "float16" if device == "mps" else "float32"
    if dtype not in DTYPES:
        raise ValueError(f"unknown dtype {requested!r}; use 'auto', {', '.join(map(repr, DTYPES))}")
    return dtype


def should_offload(device: str, total_memory_bytes: int | None) -> bool:
    """Whether to enable model CPU offload: on CUDA with under :data:`OFFLOAD_BELOW_BYTES`.

    ``total_memory_bytes`` is the GPU's memory in bytes (``None`` when unknown or not a GPU).
    """
    return (
        device.startswith("cuda")
        and total_memory_bytes is not None
        and total_memory_bytes < OFFLOAD_BELOW_BYTES
    )


def _round_side(pixels: float) -> int:
    """``pixels`` to the nearest multiple of :data:`SIZE_MULTIPLE` (halves up), at least one."""
    multiples = int(pixels / SIZE_MULTIPLE + 0.5)
    return max(1, multiples) * SIZE_MULTIPLE


def scaled_size(width: int, height: int, size: int) -> tuple[int, int]:
    """``(width, height)`` in pixels of a ``width`` × ``height`` frame (or ratio) scaled so that
    its longest side is ``size`` px.

    Both sides are rounded to the nearest multiple of :data:`SIZE_MULTIPLE` (16 px) and are at
    least 16 px. Raises :class:`ValueError` for a side under 1 or a size under 1 px.
    """
    if width < 1 or height < 1:
        raise ValueError(f"a frame of {width} × {height} has no shape")
    if size < 1:
        raise ValueError(f"image size must be at least 1 px, got {size}")
    longest = max(width, height)
    return _round_side(size * width / longest), _round_side(size * height / longest)


def image_size(aspect_ratio: str, size: int) -> tuple[int, int]:
    """``(width, height)`` in pixels for ``aspect_ratio`` (``"W:H"``), the longest side ``size`` px.

    Both sides are rounded to the nearest multiple of :data:`SIZE_MULTIPLE` (16 px) and are at
    least 16 px (:func:`scaled_size`). Raises :class:`ValueError` for a malformed ratio or a size
    under 1 px.
    """
    match = re.fullmatch(r"\s*(\d+)\s*:\s*(\d+)\s*", aspect_ratio)
    if match is None or int(match[1]) == 0 or int(match[2]) == 0:
        raise ValueError(f"aspect ratio {aspect_ratio!r} is not 'W:H' with positive integers")
    return scaled_size(int(match[1]), int(match[2]), size)


def dtype_keyword(diffusers_version: str) -> str:
    """The ``from_pretrained`` keyword for the dtype in this diffusers version.

    ``dtype`` from 0.40 on (where ``torch_dtype`` is deprecated), ``torch_dtype`` before.
    """
    parts = re.findall(r"\d+", diffusers_version)[:2]
    version = tuple(int(part) for part in parts)
    return "dtype" if version >= _DTYPE_KEYWORD_SINCE else "torch_dtype"


def hub_offline(environ: dict[str, str] | None = None) -> bool:
    """Whether ``HF_HUB_OFFLINE`` is set to a true value (``1``, ``on``, ``yes``, ``true``)."""
    env = os.environ if environ is None else environ
    return env.get("HF_HUB_OFFLINE", "").strip().upper() in _TRUE_VALUES


@dataclass(frozen=True, slots=True)
class PipelineKind:
    """One of the pipelines the backend loads: its name in messages, its diffusers class, the
    setting that names its model, the first diffusers release that has the class (``None``:
    not recorded here) and a word on the size of its weights for messages."""

    title: str
    class_name: str
    setting: str
    since: str | None
    weights: str


#: FIBO, text to image (``LIGHTRIG_DIFFUSERS_MODEL``).
FIBO = PipelineKind(
    title="FIBO",
    class_name=PIPELINE_CLASS,
    setting="LIGHTRIG_DIFFUSERS_MODEL",
    since="0.36",
    weights="about 23 GB for briaai/FIBO",
)
#: FIBO-Edit, a photo and a structured instruction to image (``LIGHTRIG_DIFFUSERS_EDIT_MODEL``);
#: the same component classes as FIBO, another transformer's weights.
FIBO_EDIT = PipelineKind(
    title="FIBO-Edit",
    class_name=EDIT_PIPELINE_CLASS,
    setting="LIGHTRIG_DIFFUSERS_EDIT_MODEL",
    since=None,
    weights="about as large as FIBO's",
)


@dataclass(frozen=True, slots=True)
class ModelSource:
    """Where the pipeline comes from: a local folder (``path``) or a Hub repository id."""

    model: str
    path: Path | None

    @property
    def local(self) -> bool:
        """Whether the pipeline is a local folder."""
        return self.path is not None


def model_named(model: str) -> str:
    """The FIBO model (:data:`~lightrig.lighting.vocabulary.MODEL_NAMES`) a pipeline's Hub id
    or folder is taken to be, by its last part's name: ``fibo-1.5`` when it says 1.5
    (``briaai/Fibo-1.5``, ``FIBO-Edit-1.5``), ``fibo-lite`` when it says lite, else ``fibo``.
    The weights are not read: name the folder after its model."""
    name = model.strip().rstrip("/\\").replace("\\", "/").rsplit("/", 1)[-1].lower()
    if "1.5" in name or "1_5" in name:
        return "fibo-1.5"
    if "lite" in name:
        return "fibo-lite"
    return "fibo"


def locate_model(model: str) -> ModelSource:
    """Read ``Settings.diffusers_model`` or ``Settings.diffusers_edit_model``: a local folder,
    or a Hub id such as ``briaai/FIBO``.

    Anything that exists on disk, is absolute, starts with ``.`` or ``~``, or is not of the form
    ``owner/name`` is a local path.
    """
    text = model.strip()
    path = Path(text).expanduser()
    if (
        path.exists()
        or path.is_absolute()
        or text.startswith((".", "~"))
        or not _HUB_ID_FORM.match(text)
    ):
        return ModelSource(model=text, path=path)
    return ModelSource(model=text, path=None)


def check_local_folder(path: Path, pipeline_class: str) -> str | None:
    """What keeps ``path`` from being loaded as a ``pipeline_class`` (a diffusers class name,
    :data:`PIPELINE_CLASS` or :data:`EDIT_PIPELINE_CLASS`), or ``None`` when nothing does.

    Looks only at the folder and its ``model_index.json``; it loads no weights.
    """
    if not path.exists():
        return "the folder does not exist"
    if not path.is_dir():
        return "it is not a folder"
    index = path / "model_index.json"
    if not index.is_file():
        return "it has no model_index.json (not a folder written by save_pretrained)"
    try:
        data = json.loads(index.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return f"its model_index.json is unreadable ({exc})"
    if not isinstance(data, dict):
        return "its model_index.json is not a JSON object"
    class_name = data.get("_class_name")
    if class_name is not None and class_name != pipeline_class:
        return f"it holds a {class_name}, not a {pipeline_class}"
    return None
