"""How analyses, presets and prompts look in a terminal (rich renderables, no I/O)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from lightrig.lighting.colour import swatch_hex
from lightrig.lighting.roles import LightType
from lightrig.lighting.vocabulary import NO_FILL
from lightrig.models.analysis import LightingAnalysis, MeterReadingReport, MeterReport
from lightrig.presets import Preset
from lightrig.verify.models import LightingEstimate, VerificationReport

__all__ = ["analysis_view", "presets_view", "prompt_view", "verification_view"]


def _bullets(title: str, lines: Iterable[str], style: str) -> RenderableType:
    text = Text()
    text.append(f"{title}\n", style=f"bold {style}")
    for line in lines:
        text.append(f"  • {line}\n")
    return text


def _position(role: str, azimuth: float, elevation: float) -> str:
    """Compact angles: ``45°L +42°`` (L/R as seen from the camera; + above eye level)."""
    if role == "ambient":
        return "all around"
    side = "" if abs(azimuth) < 0.5 else ("L" if azimuth < 0 else "R")
    return f"{abs(azimuth):.0f}°{side} {elevation:+.0f}°"


def _lights_table(analysis: LightingAnalysis) -> Table:
    table = Table(title="Lights at the subject", title_justify="left", expand=False)
    for header in (
        "role",
        "position",
        "distance",
        "power",
        "colour",
        "source",
        "shadows",
        "vs key",
    ):
        table.add_column(header, justify="right" if header in ("distance", "power") else "left")
    for light in analysis.lights:
        colour = Text(
            "■ ", style=swatch_hex(light.color_temperature, analysis.colour.white_balance)
        )
        colour.append(f"{light.color_temperature:.0f} K")
        modifier = light.modifier.value.replace("_", " ") if light.modifier else "source"
        stops = (
            ("key" if light.role is LightType.KEY else "acts as key")
            if light.role == analysis.key_role
            else ("—" if light.stops_from_key is None else f"{light.stops_from_key:+.1f} st")
        )
        table.add_row(
            light.role.value,
            _position(light.role.value, light.azimuth, light.elevation),
            f"{light.distance:.1f} m",
            f"{light.intensity:.2f}",
            colour,
            f"{modifier} {light.modifier_size * 100:.0f} cm",
            f"{light.hardness.value} ({light.apparent_angle:.0f}°)",
            stops,
        )
    return table


def _rating_table(analysis: LightingAnalysis) -> Table:
    table = Table(title=f"Rating {analysis.rating:.1f}/10", title_justify="left")
    table.add_column("component")
    table.add_column("score", justify="right")
    table.add_column("why")
    for part in analysis.rating_components:
        table.add_row(part.name, f"{part.score:.1f}/{part.max_score:.1f}", part.reason)
    return table


def analysis_view(analysis: LightingAnalysis) -> RenderableType:
    """The whole analysis as a photographer would want to read it."""
    ratio = analysis.ratio
    colour = analysis.colour
    shadows = analysis.shadows
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    over = "—" if ratio.key_over_fill_stops is None else f"{ratio.key_over_fill_stops:.1f} stops"
    naive = "—" if ratio.intensity_ratio is None else f"{ratio.intensity_ratio:.1f}:1"
    if ratio.shadow_unlit:  # a ratio to nothing is no number: say what it means
        contrast = f"{NO_FILL} (lit side {ratio.lit_side}); intensity ratio {naive}"
    else:
        contrast = (
            f"{ratio.ratio:.1f}:1 lit:shadow ({ratio.stops:.1f} stops, lit side "
            f"{ratio.lit_side}); ASC {ratio.asc_ratio:.1f}:1; key over fill {over}; "
            f"intensity ratio {naive}"
        )
    facts.add_row("ratio", contrast)
    names = ", ".join(analysis.pattern_names)
    facts.add_row("pattern", f"{names} — {analysis.pattern_reason}")
    facts.add_row("backdrop", f"{analysis.backdrop_stops:+.1f} stops from the face's lit side")
    facts.add_row(
        "colour",
        f"{colour.mean_kelvin:.0f} K mean under {colour.white_balance:.0f} K white balance "
        f"({colour.cast.value}); spread {colour.spread_mired:.0f} mired, "
        f"{colour.consistency.value}",
    )
    facts.add_row(
        "shadows",
        f"{shadows.hardness.value}: key spans {shadows.key_apparent_angle:.0f}°, nose-shadow edge "
        f"≈ {shadows.nose_shadow_edge_mm:.0f} mm",
    )
    facts.add_row("mood", ", ".join(analysis.mood))
    parts: list[RenderableType] = [
        Text(analysis.summary, style="bold"),
        facts,
        _lights_table(analysis),
        _rating_table(analysis),
        _bullets("Recommendations", analysis.recommendations, "green"),
    ]
    if analysis.warnings:
        parts.append(_bullets("Warnings", analysis.warnings, "yellow"))
    return Group(*parts)


def presets_view(presets: Iterable[tuple[Preset, LightingAnalysis]]) -> Table:
    """The preset list with what the analyzer finds in each."""
    table = Table(title="Presets", title_justify="left")
    table.add_column("name", style="bold")
    table.add_column("pattern")
    table.add_column("ratio", justify="right")
    table.add_column("rating", justify="right")
    table.add_column("description")
    for preset, analysis in presets:
        table.add_row(
            preset.name,
            ", ".join(analysis.pattern_names),
            "no fill" if analysis.ratio.shadow_unlit else f"{analysis.ratio.ratio:.1f}:1",
            f"{analysis.rating:.1f}",
            preset.description,
        )
    return table


def prompt_view(prompt: dict[str, Any], title: str = "FIBO structured prompt") -> Panel:
    """A structured prompt, indented and highlighted."""
    text = json.dumps(prompt, indent=2, ensure_ascii=False)
    # as wide as the JSON needs (a terminal's width at most): piped, it is never wrapped
    return Panel(
        Syntax(text, "json", word_wrap=True, background_color="default"),
        title=title,
        expand=False,
    )


def _estimate_rows(estimate: LightingEstimate) -> list[tuple[str, str, str]]:
    """(attribute, what was read, confidence) for each attribute of an estimate."""
    rows: list[tuple[str, str, str]] = []
    if estimate.key_side is not None:
        rows.append(
            ("key side", estimate.key_side.side.value, f"{estimate.key_side.confidence:.2f}")
        )
    if estimate.direction is not None:
        d = estimate.direction
        rows.append(
            (
                "direction",
                f"azimuth {d.azimuth:+.0f}°, elevation {d.elevation:+.0f}°",
                f"{d.confidence:.2f}",
            )
        )
    if estimate.ratio is not None:
        r = estimate.ratio
        rows.append(("ratio", f"{r.ratio:.1f}:1 ({r.stops:.1f} stops)", f"{r.confidence:.2f}"))
    if estimate.colour is not None:
        c = estimate.colour
        rows.append(
            (
                "colour",
                f"{c.kelvin:.0f} K ({c.mired:.0f} mired) under {c.white_balance:.0f} K",
                f"{c.confidence:.2f}",
            )
        )
    if estimate.hardness is not None:
        h = estimate.hardness
        rows.append(("hardness", h.hardness.value, f"{h.confidence:.2f}"))
    for name, why in estimate.reasons.items():
        rows.append((name.replace("_", " "), f"not read: {why}", "—"))
    return rows


def verification_view(report: VerificationReport) -> RenderableType:
    """A picture's light as read back, and with a request how well it follows it."""
    estimate = report.estimate
    subject = estimate.subject
    found = (
        f"{subject.kind.value} ({subject.pixels} px, confidence {subject.confidence:.2f})"
        if subject.found
        else f"no subject found: {subject.reason}"
    )
    table = Table(title="Light read from the picture", title_justify="left")
    for header in ("attribute", "reading", "confidence"):
        table.add_column(header)
    for row in _estimate_rows(estimate):
        table.add_row(*row)
    parts: list[RenderableType] = [
        Text(f"{estimate.width} × {estimate.height} px; subject: {found}"),
        table,
    ]
    adherence = report.adherence
    if adherence is None:
        return Group(*parts)
    overall = "—" if adherence.overall is None else f"{adherence.overall:.0%}"
    scores = Table(title=f"Adherence {overall}", title_justify="left")
    for header in ("attribute", "picture", "asked", "score", "finding"):
        scores.add_column(header)
    for score in adherence.scores:
        scores.add_row(
            score.attribute.replace("_", " "),
            score.generated,
            score.reference,
            "—" if score.score is None else f"{score.score:.0%}",
            score.finding,
        )
    if adherence.overall is None:
        style = "yellow"
    else:
        style = "green" if adherence.overall >= 0.8 else "yellow"
        style = "red" if adherence.verdict.startswith("does not") else style
    parts += [scores, Text(adherence.verdict, style=f"bold {style}")]
    return Group(*parts)


def _shown(reading: MeterReadingReport | None) -> str:
    return "—" if reading is None else f"{reading.text}  (EV {reading.ev:.1f})"


def meter_view(report: MeterReport) -> RenderableType:
    """The meter's readings as a crew reads them off the meter."""
    camera = f"ISO {report.iso:g} · {report.shutter_text} · f/{report.aperture:g}"
    table = Table(title=f"Incident readings at {camera}", title_justify="left")
    for column in ("light", "power", "facing it", "lit side", "shadow side"):
        table.add_column(column)
    for light in report.lights:
        power = light.power_setting + ("" if light.power_stated else " *")
        table.add_row(
            str(light.role), power, _shown(light.facing), _shown(light.lit), _shown(light.shadow)
        )
    table.add_row("all together", "", "", _shown(report.lit), _shown(report.shadow), style="bold")
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold")
    facts.add_column()
    facts.add_row("exposure", f"{report.exposure} at f/{report.aperture:g}")
    if report.ratio_stops is not None:
        facts.add_row("ratio", f"{report.ratio_stops:.1f} stops (lit − shadow)")
    facts.add_row("backdrop", _shown(report.backdrop))
    facts.add_row("to the target", report.power_change)
    notes = [*report.notes]
    if any(not light.power_stated for light in report.lights):
        notes.insert(0, "* power not stated: read as the reference light")
    return Group(table, facts, _bullets("Notes", notes, "yellow"))
