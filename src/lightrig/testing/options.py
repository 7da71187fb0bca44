"""A mock server's settings: each checked on every write and read and written under the
server's lock, so that a test may change one while requests are being answered.

The checkers take the option's name and the value given and return the value to keep, or raise
:class:`ValueError` with one line naming the option, what it got and what it accepts.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Generic, Protocol, Self, TypeVar, cast, overload

from lightrig.render.preview import MAX_SIZE, MIN_SIZE

__all__ = ["Option", "fraction", "image_side", "positive_int", "seconds", "text"]

T = TypeVar("T")


class Locked(Protocol):
    """What holds options: anything with a ``lock``."""

    @property
    def lock(self) -> AbstractContextManager[Any]: ...


class Option(Generic[T]):
    """A server setting: checked on every write, read and written under the owner's lock.

    ``check(name, value)`` returns the value to store or raises :class:`ValueError`.
    """

    def __init__(self, check: Callable[[str, object], T]) -> None:
        self._check = check
        self._name = ""
        self._slot = ""

    def __set_name__(self, owner: type[object], name: str) -> None:
        self._name = name
        self._slot = f"_option_{name}"

    @overload
    def __get__(self, obj: None, owner: type[object] | None = None) -> Self: ...

    @overload
    def __get__(self, obj: Locked, owner: type[object] | None = None) -> T: ...

    def __get__(self, obj: Locked | None, owner: type[object] | None = None) -> T | Self:
        if obj is None:
            return self
        with obj.lock:
            return cast(T, getattr(obj, self._slot))

    def __set__(self, obj: Locked, value: T) -> None:
        checked = self._check(self._name, value)
        with obj.lock:
            setattr(obj, self._slot, checked)


def seconds(name: str, value: object) -> float:
    """A duration in seconds, finite and not negative."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} must be a number of seconds, got {value!r}")
    if value < 0:
        raise ValueError(f"{name} must be 0 s or more, got {value!r}")
    return float(value)


def fraction(name: str, value: object) -> float:
    """A probability in 0–1."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be a rate between 0 and 1, got {value!r}")
    return float(value)


def positive_int(name: str, value: object) -> int:
    """A whole number of 1 or more."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{name} must be a whole number of 1 or more, got {value!r}")
    return value


def image_side(name: str, value: object) -> int:
    """An image side the preview renderer can draw, in pixels (16–4096)."""
    if isinstance(value, bool) or not isinstance(value, int) or not MIN_SIZE <= value <= MAX_SIZE:
        raise ValueError(f"{name} must be {MIN_SIZE}–{MAX_SIZE} pixels, got {value!r}")
    return value


def text(name: str, value: object) -> str:
    """A non-empty string."""
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be a non-empty string, got {value!r}")
    return value
