"""The SVG writer: numbers as the diagram writes them, XML escaping, and one tag at a time.

Coordinates and lengths are viewBox units (pixels at the diagram's default width of 720);
every number is written with one decimal at most, so the same drawing is always the same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from xml.sax.saxutils import escape

__all__ = ["attr", "esc", "num", "tag", "xml_text"]


def num(value: float) -> str:
    """``value`` (viewBox units, degrees or any other number) with one decimal, without a
    trailing ``.0`` or a negative zero: ``12.25`` → ``"12.2"``, ``-0.04`` → ``"0"``."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (controls, lone surrogates)."""
    return "".join(
        c
        for c in text
        if c in "\t\n\r"
        or "\x20" <= c <= "\ud7ff"
        or "\ue000" <= c <= "\ufffd"
        or c >= "\U00010000"
    )


def esc(text: str) -> str:
    """``text`` made safe as an element's content: ``&``, ``<`` and ``>`` escaped."""
    return escape(xml_text(text))


def attr(text: str) -> str:
    """``text`` made safe inside a double-quoted attribute: quotes and line breaks escaped
    too, so a parser reads back the very characters."""
    return escape(xml_text(text), {'"': "&quot;", "\n": "&#10;", "\t": "&#9;", "\r": "&#13;"})


def tag(name: str, attrs: Mapping[str, str | float], body: str | None = None) -> str:
    """The element ``name`` with ``attrs`` in their order (numbers through :func:`num`, text
    through :func:`attr`), self-closed without ``body``; ``body`` is written as it is (escape
    text with :func:`esc` first)."""
    parts = [name]
    for key, value in attrs.items():
        shown = num(value) if isinstance(value, float | int) else attr(value)
        parts.append(f'{key}="{shown}"')
    opening = " ".join(parts)
    if body is None:
        return f"<{opening}/>"
    return f"<{opening}>{body}</{name}>"
