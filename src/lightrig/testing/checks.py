"""Checks on the fields of requests a mock host receives: each returns the problem in words
(``must be between 20 and 50, got 60``), or ``None`` when the value is fine."""

from __future__ import annotations

import base64
import binascii
import json
import math
from collections.abc import Callable, Iterable, Mapping
from typing import Any, cast

from lightrig.backends.base import ASPECT_RATIOS
from lightrig.errors import InvalidStructuredPromptError
from lightrig.fibo.schema import validate_prompt

__all__ = [
    "DEFAULT_SEED",
    "FIBO_INPUTS",
    "MAX_SEED",
    "Check",
    "JSONObject",
    "check_bool",
    "check_choice",
    "check_image",
    "check_int",
    "check_str",
    "input_problems",
    "is_int",
    "is_number",
    "json_type",
    "prompt_problems",
]

#: The seed a job gets when the request names none.
DEFAULT_SEED = 5555
#: The largest seed the hosts accept (2³¹ − 1).
MAX_SEED = 2_147_483_647

JSONObject = dict[str, Any]
#: A check on one field's value: the problem in words, or ``None``.
Check = Callable[[object], str | None]


def is_int(value: object) -> bool:
    """An integer in JSON (``true`` and ``false`` are not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> bool:
    """A finite number in JSON (``true`` and ``false`` are not)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def check_int(value: object, low: int, high: int) -> str | None:
    """``value`` must be an integer in ``low``–``high``."""
    if not is_int(value):
        return f"must be an integer, got {json_type(value)}"
    if not low <= cast(int, value) <= high:
        return f"must be between {low} and {high}, got {value}"
    return None


def check_str(value: object) -> str | None:
    """``value`` must be a string."""
    return None if isinstance(value, str) else f"must be a string, got {json_type(value)}"


def check_bool(value: object) -> str | None:
    """``value`` must be ``true`` or ``false``."""
    return None if isinstance(value, bool) else f"must be a boolean, got {json_type(value)}"


def check_choice(value: object, choices: Iterable[str]) -> str | None:
    """``value`` must be one of ``choices``."""
    options = tuple(choices)
    if value in options:
        return None
    return f"must be one of {', '.join(options)}; got {json.dumps(value)}"


#: The image encodings the hosts take, by the bytes each starts with.
_IMAGE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/webp": (b"RIFF",),
}


def _image_kind(data: bytes) -> str | None:
    for media_type, signatures in _IMAGE_SIGNATURES.items():
        if data.startswith(signatures) and (media_type != "image/webp" or data[8:12] == b"WEBP"):
            return media_type
    return None


def check_image(value: object) -> str | None:
    """``value`` must name an image as the hosts take one: an ``http(s)`` URL, a base64
    ``data:`` URL of a PNG, JPEG or WebP (whose bytes are one), or such bytes in base64."""
    if not isinstance(value, str):
        return f"must be a URL or a base64 image, got {json_type(value)}"
    if value.startswith(("http://", "https://")):
        return None
    declared: str | None = None
    payload = value
    if value.startswith("data:"):
        header, _, payload = value.partition(",")
        declared = header.removeprefix("data:").removesuffix(";base64")
        if not header.endswith(";base64") or declared not in _IMAGE_SIGNATURES:
            return (
                "a data URL must be data:image/png, image/jpeg or image/webp ;base64, got "
                f"{header[:40]!r}"
            )
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        return "is neither a URL nor valid base64"
    kind = _image_kind(data)
    if kind is None:
        return "is not a PNG, JPEG or WebP image"
    if declared is not None and declared != kind:
        return f"says {declared} but holds {kind}"
    return None


def prompt_problems(data: object) -> list[str]:
    """What keeps ``data`` from being a structured prompt (``validate_prompt``, not strict)."""
    try:
        validate_prompt(data, strict=False)
    except InvalidStructuredPromptError as exc:
        return [str(error) for error in exc.errors] or [str(exc)]
    return []


def json_type(value: object) -> str:
    """The JSON name of ``value``'s type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


#: The model inputs both FIBO hosts take by the same names, and their checks.
FIBO_INPUTS: Mapping[str, Check] = {
    "prompt": check_str,
    "negative_prompt": check_str,
    "seed": lambda value: check_int(value, 0, MAX_SEED),
    "steps_num": lambda value: check_int(value, 20, 50),
    "aspect_ratio": lambda value: check_choice(value, ASPECT_RATIOS),
}


def input_problems(
    body: JSONObject,
    *,
    fields: Mapping[str, Check],
    unknown: str,
    structured_prompt: Callable[[object], list[str]],
) -> list[tuple[str, str]]:
    """Every problem with a generation request's ``body``, as (field, message) pairs: a field
    not in ``fields`` (``unknown`` says so), neither a prompt nor a structured prompt, what
    ``structured_prompt`` finds wrong with the structured prompt, and each field's check."""
    problems = [(name, unknown) for name in body if name not in fields]
    if "prompt" not in body and "structured_prompt" not in body:
        problems.append(("structured_prompt", "send a structured_prompt, a prompt, or both"))
    if "structured_prompt" in body:
        problems += [("structured_prompt", m) for m in structured_prompt(body["structured_prompt"])]
    for name, check in fields.items():
        if name in body and (problem := check(body[name])) is not None:
            problems.append((name, problem))
    return problems
