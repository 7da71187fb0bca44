"""The base of every request model: lightrig's own exception, and errors a user can act on.

A request model (:class:`RequestModel`: a scene request, a light, a camera, the API's bodies)
that is built or validated from bad values raises
:class:`~lightrig.errors.InvalidLightingSetupError` — a ``ValueError`` carrying every failing
field — never Pydantic's ``ValidationError``. Each field's message is one line that says what it
got and what is accepted::

    lighting_setup.key.intensity: got NaN; accepted: a number from 0 to 1
    lighting_setup.key.intensty: unknown field 'intensty' (did you mean 'intensity'?); fields: ...

The messages are written while Pydantic validates (a wrap validator on every request model), so
they are the same wherever the model is validated: through the library, nested in another model,
or in a body the API reads. :func:`explain` words an error of Pydantic's that no request model
wrote (a query parameter's, say) the same way.
"""

from __future__ import annotations

import difflib
import enum
import json
import math
import types
import typing
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Self

import annotated_types
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from pydantic.fields import FieldInfo
from pydantic_core import InitErrorDetails, PydanticCustomError

from lightrig.errors import InvalidLightingSetupError

__all__ = [
    "MAX_JSON_DEPTH",
    "RequestModel",
    "accepted_for",
    "did_you_mean",
    "explain",
    "explained_error",
    "line_errors",
    "shown",
]

#: The deepest a request's JSON document may nest (objects and lists), in levels, wherever it is
#: read (a file on the command line, a body the API reads): far more than any request needs (a
#: scene request is 4 deep, a batch's light 5, a structured prompt 4), far less than what would
#: exhaust a parser's stack. Deeper documents are refused before they are parsed.
MAX_JSON_DEPTH = 64

#: The context key that marks an error whose message is lightrig's (written once, kept as it
#: travels out through the models that hold the one that failed).
EXPLAINED = "explained"
#: Pydantic's prefixes on a validator's own message, dropped: the message that follows is ours.
_PREFIXES = ("Value error, ", "Assertion failed, ")
#: How much of a text value an error shows.
_SHOWN_CHARS = 40
#: The error types that mean "not the right kind of value, or out of range".
_WRONG_VALUE = frozenset(
    {
        "float_type",
        "float_parsing",
        "int_type",
        "int_parsing",
        "int_from_float",
        "finite_number",
        "greater_than",
        "greater_than_equal",
        "less_than",
        "less_than_equal",
        "multiple_of",
        "bool_type",
        "bool_parsing",
        "string_type",
        "string_pattern_mismatch",
        "enum",
        "literal_error",
        "model_type",
        "model_attributes_type",
        "dict_type",
        "list_type",
        "tuple_type",
        "is_instance_of",
        "none_required",
        "too_short",
        "too_long",
    }
)


#: What a value of Pydantic's error's kind (the start of its type) is, in words.
_KINDS = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "string": "text",
    "dict": "an object",
    "list": "a list",
}


def shown(value: object) -> str:
    """``value`` as an error shows it: JSON's spelling (``NaN``, ``true``, ``null``), text
    quoted and cut to 40 characters, containers by kind (never their contents: a value may be
    nested thousands deep). Always one line."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if isinstance(value, int):
        return str(value) if abs(value) < 10**30 else f"a {value.bit_length()}-bit integer"
    if isinstance(value, str):
        if len(value) > _SHOWN_CHARS:
            return repr(value[:_SHOWN_CHARS]) + f"… ({len(value)} characters)"
        return repr(value)
    if isinstance(value, enum.Enum):
        return shown(value.value)
    if isinstance(value, Mapping):
        return "an object" if value else "an empty object"
    if isinstance(value, list | tuple):
        return "a list" if value else "an empty list"
    if isinstance(value, bytes | bytearray):
        return f"{len(value)} bytes"
    return f"a {type(value).__name__}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else f"{value:g}"


def did_you_mean(word: object, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when ``word`` is close to one of ``choices``: the start of some
    (each is named), a misspelling, or a longer name that starts with one ("keylight" and
    "key"); else ``""``."""
    if not isinstance(word, str):
        return ""
    options = list(choices)
    lowered = word.strip().lower()
    if lowered in options and lowered != word:
        return f" (did you mean {lowered!r}?)"
    # the start of a name ("subject"): every name it starts
    found = [option for option in options if len(lowered) >= 3 and option.startswith(lowered)]
    if not found:
        found = difflib.get_close_matches(lowered, options, n=1, cutoff=0.6)
    if not found:
        found = [option for option in options if lowered.startswith(option)][:1]
    if not found or found == [word]:
        return ""
    return " (did you mean " + " or ".join(repr(option) for option in found) + "?)"


def _optional_inner(annotation: Any) -> Any:
    """``X`` of ``X | None``; the annotation itself otherwise."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        if len(members) == 1:
            return members[0]
    return annotation


def _bounds(metadata: Sequence[Any]) -> tuple[float | None, float | None, bool, bool]:
    low = high = None
    low_open = high_open = False
    for item in metadata:
        if isinstance(item, annotated_types.Ge):
            low = float(item.ge)  # type: ignore[arg-type]
        elif isinstance(item, annotated_types.Gt):
            low, low_open = float(item.gt), True  # type: ignore[arg-type]
        elif isinstance(item, annotated_types.Le):
            high = float(item.le)  # type: ignore[arg-type]
        elif isinstance(item, annotated_types.Lt):
            high, high_open = float(item.lt), True  # type: ignore[arg-type]
    return low, high, low_open, high_open


def _lengths(metadata: Sequence[Any]) -> tuple[int | None, int | None]:
    low = high = None
    for item in metadata:
        if isinstance(item, annotated_types.MinLen):
            low = item.min_length
        elif isinstance(item, annotated_types.MaxLen):
            high = item.max_length
    return low, high


def _range_words(noun: str, metadata: Sequence[Any]) -> str:
    low, high, low_open, high_open = _bounds(metadata)
    if low is not None and high is not None and not (low_open or high_open):
        return f"{noun} from {_number(low)} to {_number(high)}"
    parts = []
    if low is not None:
        parts.append(f"{'above' if low_open else 'at least'} {_number(low)}")
    if high is not None:
        parts.append(f"{'below' if high_open else 'at most'} {_number(high)}")
    return f"{noun} " + " and ".join(parts) if parts else noun


def _kind_words(annotation: Any, metadata: Sequence[Any]) -> str | None:
    """What a value of ``annotation`` with ``metadata`` (bounds, lengths) may be, in words."""
    annotation = _optional_inner(annotation)
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *extra = typing.get_args(annotation)
        found = [
            part
            for item in extra
            for part in (item.metadata if isinstance(item, FieldInfo) else [item])
        ]
        return _kind_words(inner, [*found, *metadata])
    if origin is typing.Literal:
        return "one of " + ", ".join(json.dumps(choice) for choice in typing.get_args(annotation))
    if annotation is bool:
        return "true or false"
    if annotation is int:
        return _range_words("a whole number", metadata)
    if annotation is float:
        return _range_words("a number", metadata)
    if annotation is str:
        low, high = _lengths(metadata)
        if low is not None and high is not None:
            return f"text of {low} to {high} characters"
        if high is not None:
            return f"text of at most {high} characters"
        if low:
            return f"text of at least {low} character{'s' if low > 1 else ''}"
        return "text"
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return "one of " + ", ".join(f'"{member.value}"' for member in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "an object with the fields " + ", ".join(annotation.model_fields)
    if origin is dict:
        key, _ = typing.get_args(annotation)
        if isinstance(key, type) and issubclass(key, enum.Enum):
            return "an object keyed by " + ", ".join(str(member.value) for member in key)
        return "an object"
    if origin in (list, tuple):
        low, high = _lengths(metadata)
        if low is not None and high is not None:
            return f"a list of {low} to {high} items"
        return "a list"
    return None


def accepted_for(field: FieldInfo) -> str:
    """What ``field`` accepts, in words: its kind and range, else its description's first
    sentence."""
    found = _kind_words(field.annotation, field.metadata)
    if found is not None:
        return found
    description = (field.description or "").split(". ")[0].rstrip(".")
    return description or "see the request schema"


def explained_error(
    loc: tuple[int | str, ...], message: str, value: object = None, kind: str = "invalid"
) -> InitErrorDetails:
    """A line of a ``ValidationError`` whose message is ``message`` as it is (one line)."""
    text = " ".join(message.split("\n"))
    return InitErrorDetails(
        type=PydanticCustomError(kind, "{message}", {"message": text, EXPLAINED: True}),
        loc=loc,
        input=value,
    )


def line_errors(exc: ValidationError, prefix: tuple[int | str, ...] = ()) -> list[InitErrorDetails]:
    """``exc``'s errors, each with its message as it reads, put under ``prefix``."""
    return [
        explained_error(
            (*prefix, *error["loc"]), _message(error), error.get("input"), error["type"]
        )
        for error in exc.errors(include_url=False)
    ]


def _message(error: Mapping[str, Any]) -> str:
    message = str(error.get("msg", "invalid value"))
    for prefix in _PREFIXES:
        message = message.removeprefix(prefix)
    return message


def explain(error: Mapping[str, Any], field: FieldInfo | None = None) -> str:
    """One line for one of Pydantic's errors (an item of ``ValidationError.errors()``): what
    it got and what is accepted. ``field``: the field it is about, when known (its kind and
    range say what is accepted; else the error's own context does)."""
    ctx = error.get("ctx") or {}
    if ctx.get(EXPLAINED):
        return _message(error)
    kind = str(error.get("type", ""))
    value = error.get("input")
    if kind in {"value_error", "assertion_error"}:
        return _message(error)
    if field is not None:
        accepted = accepted_for(field)
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = next(iter(ctx.values()), None)
        words = {
            "greater_than_equal": "at least",
            "greater_than": "above",
            "less_than_equal": "at most",
            "less_than": "below",
        }[kind]
        accepted = f"a number {words} {_number(float(bound))}" if bound is not None else ""
    elif "expected" in ctx:
        accepted = f"one of {ctx['expected']}"
    elif kind.partition("_")[0] in _KINDS:
        accepted = _KINDS[kind.partition("_")[0]]
    else:
        accepted = _message(error).removeprefix("Input should be ").rstrip(".")
    if kind == "missing":
        return "missing" if field is None else f"missing; accepted: {accepted}"
    if kind in ("string_too_short", "string_too_long") and isinstance(value, str):
        got = f"{len(value)} characters" if value.strip() else "blank text" if value else "''"
        return f"got {got}; accepted: {accepted}"
    if kind in ("too_short", "too_long") and isinstance(value, list | tuple | Mapping):
        return f"got {len(value)} items; accepted: {accepted}"
    if kind == "enum":
        expected = [choice.strip(" '") for choice in str(ctx.get("expected", "")).split(",")]
        return f"got {shown(value)}{did_you_mean(value, expected)}; accepted: {accepted}"
    if kind in _WRONG_VALUE or accepted:
        return f"got {shown(value)}; accepted: {accepted}"
    return f"{_message(error)} (got {shown(value)})"


class RequestModel(BaseModel):
    """A model that a user fills: bad values raise
    :class:`~lightrig.errors.InvalidLightingSetupError` (a ``ValueError``), each field's
    message saying what it got and what is accepted; unknown fields are refused with a "did you
    mean"; NaN and infinities are no numbers.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise InvalidLightingSetupError.from_validation_error(exc) from None

    # Pydantic validates nested models without calling __init__ while this says it is its own
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    @classmethod
    def model_validate(cls, obj: Any, **options: Any) -> Self:
        """Validate ``obj``; :class:`~lightrig.errors.InvalidLightingSetupError` if it is not
        one."""
        try:
            return super().model_validate(obj, **options)
        except ValidationError as exc:
            raise InvalidLightingSetupError.from_validation_error(exc) from None

    @classmethod
    def model_validate_json(cls, json_data: str | bytes | bytearray, **options: Any) -> Self:
        """Validate a JSON document; :class:`~lightrig.errors.InvalidLightingSetupError` if it
        is not one."""
        try:
            return super().model_validate_json(json_data, **options)
        except ValidationError as exc:
            raise InvalidLightingSetupError.from_validation_error(exc) from None

    @classmethod
    def model_validate_strings(cls, obj: Any, **options: Any) -> Self:
        """Validate string data; :class:`~lightrig.errors.InvalidLightingSetupError` if it is
        not one."""
        try:
            return super().model_validate_strings(obj, **options)
        except ValidationError as exc:
            raise InvalidLightingSetupError.from_validation_error(exc) from None

    @model_validator(mode="wrap")
    @classmethod
    def _explained(cls, data: Any, handler: Any) -> Any:
        try:
            return handler(data)
        except ValidationError as exc:
            raise ValidationError.from_exception_data(
                cls.__name__, [cls._explain(error) for error in exc.errors(include_url=False)]
            ) from None

    @classmethod
    def _explain(cls, error: Any) -> InitErrorDetails:
        """One of the errors of validating this model, with its message written."""
        loc: tuple[int | str, ...] = tuple(error["loc"])
        value = error.get("input")
        kind = str(error["type"])
        fields = cls.model_fields
        if (error.get("ctx") or {}).get(EXPLAINED):
            return explained_error(loc, _message(error), value, kind)
        if not loc:
            if kind in ("model_type", "model_attributes_type", "dict_type"):
                message = f"got {shown(value)}; accepted: an object with the fields " + ", ".join(
                    fields
                )
            else:
                message = explain(error)
            return explained_error(loc, message, value, kind)
        name = loc[0]
        if kind == "extra_forbidden" and len(loc) == 1:
            message = f"unknown field {name!r}{did_you_mean(name, fields)}; fields: " + ", ".join(
                fields
            )
            return explained_error(loc, message, value, kind)
        field = fields.get(str(name)) if len(loc) == 1 else None
        return explained_error(loc, explain(error, field), value, kind)
