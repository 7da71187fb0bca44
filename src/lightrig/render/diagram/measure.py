"""How wide text is drawn, estimated without a font, and text broken to fit a width.

Widths are in viewBox units (pixels at the diagram's default width); font sizes in px. The
estimate is generous: it takes the widths of a wide sans-serif face such as DejaVu Sans, so
narrower system faces only leave more room.
"""

from __future__ import annotations

__all__ = ["MINUS", "fit", "text_width", "wrap"]

#: The minus sign the diagram writes for negative numbers (wider than a hyphen).
MINUS = "\u2212"


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """An estimate (px, on the generous side) of the width of ``text`` at ``size`` px, 10 %
    wider in bold: each character counts a fixed share of an em by its kind."""
    units = 0.0
    for c in text:
        if c in " ·.,:;'|!il":
            units += 0.32
        elif c in "frtj()[]/":
            units += 0.42
        elif c in "mwMW%@":
            units += 0.96
        elif c == MINUS:
            units += 0.84
        elif c.isupper():
            units += 0.72
        elif c.isdigit():
            units += 0.64
        else:
            units += 0.61
    return units * size * (1.1 if bold else 1.0)


def fit(text: str, size: float, width: float, *, bold: bool = False) -> int:
    """How many leading characters of ``text`` (at ``size`` px) fit in ``width`` px (at least
    one)."""
    count = len(text)
    while count > 1 and text_width(text[:count], size, bold=bold) > width:
        count -= 1
    return count


def wrap(text: str, size: float, width: float, max_lines: int, *, bold: bool = False) -> list[str]:
    """``text`` broken into at most ``max_lines`` lines no wider than ``width`` px (estimated
    at ``size`` px), between words where it can, with an ellipsis when it had to be cut short."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        trial = f"{current} {word}" if current else word
        if text_width(trial, size, bold=bold) <= width:
            current = trial
            continue
        if current:
            lines.append(current)
        current = word
        while text_width(current, size, bold=bold) > width:  # a word longer than a line
            cut = fit(current, size, width, bold=bold)
            lines.append(current[:cut])
            current = current[cut:]
    if current or not lines:
        lines.append(current)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        last = last[: fit(last + "…", size, width, bold=bold) - 1].rstrip()
        lines = [*lines[: max_lines - 1], last + "…"]
    return lines
