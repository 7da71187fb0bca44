"""The legend: the panel on the right of the drawing that names the pattern, the lit:shadow
ratio, the rating, each light's power and stops from the key, the ambient light, the camera and
the distance scale.

Positions and sizes are viewBox units; font sizes px. The panel is written line by line from
the top; long text is wrapped to its width by estimate (:mod:`.measure`).
"""

from __future__ import annotations

from lightrig.lighting.colour import swatch_hex
from lightrig.lighting.roles import LightType
from lightrig.models.analysis import LightingAnalysis
from lightrig.models.lights import LightSettings
from lightrig.models.scene import SceneRequest
from lightrig.render.diagram.canvas import (
    ACCENTS,
    AREA_W,
    FONT,
    INK,
    MUTED,
    OFF_GREY,
    ROLE_ORDER,
    SWATCH_W,
    VIEW_H,
    VIEW_W,
)
from lightrig.render.diagram.measure import MINUS, text_width, wrap
from lightrig.render.diagram.svg import esc, tag, xml_text
from lightrig.render.diagram.wording import azimuth_text, kelvin_text, percent, role_title

__all__ = ["legend"]


class _Panel:
    """The panel on the right, written line by line from the top: ``x`` is where its lines
    start and ``width`` how wide they may be, ``y`` the baseline of the last line written
    (viewBox units)."""

    def __init__(self, x: float, width: float) -> None:
        self.x = x
        self.width = width
        self.y = 14.0
        self.parts: list[str] = []

    def heading(self, text: str) -> None:
        """A section's heading, in small capitals, below the last line."""
        self.y += 16.0
        self.parts.append(
            tag(
                "text",
                {
                    "x": self.x,
                    "y": self.y,
                    "font-size": 8.5,
                    "fill": MUTED,
                    "letter-spacing": 0.8,
                },
                esc(text.upper()),
            )
        )

    def line(
        self,
        text: str,
        *,
        size: float = 11.0,
        bold: bool = False,
        colour: str = INK,
        chip: str | None = None,
        italic: bool = False,
    ) -> str:
        """A line of ``text`` at ``size`` px below the last one, after a colour ``chip`` (a
        ``#rrggbb`` swatch) when given; its SVG, to be grouped with :meth:`add`."""
        self.y += size + 3.0
        x = self.x
        out = []
        if chip is not None:
            out.append(
                tag(
                    "rect",
                    {
                        "class": "swatch",
                        "x": x,
                        "y": self.y - 8.5,
                        "width": SWATCH_W,
                        "height": 9.0,
                        "fill": chip,
                        "stroke": "#495057",
                        "stroke-width": 0.5,
                    },
                )
            )
            x += SWATCH_W + 4.0
        attrs: dict[str, str | float] = {"x": x, "y": self.y, "font-size": size, "fill": colour}
        if bold:
            attrs["font-weight"] = "bold"
        if italic:
            attrs["font-style"] = "italic"
        out.append(tag("text", attrs, esc(text)))
        return "".join(out)

    def add(self, element_id: str, *lines: str) -> None:
        """``lines`` into the panel as one group with id ``element_id``."""
        self.parts.append(tag("g", {"id": element_id}, "".join(lines)))

    def wrapped(self, text: str, size: float, max_lines: int, *, bold: bool = False) -> list[str]:
        """``text`` at ``size`` px broken into at most ``max_lines`` lines of the panel's width."""
        return wrap(text, size, self.width, max_lines, bold=bold)


def _legend_row(
    panel: _Panel,
    role: LightType,
    light: LightSettings,
    analysis: LightingAnalysis,
    stops_from_key: float | None,
) -> str:
    """One light in the legend: a dot in its accent, its name, power and stops from the key."""
    on = light.is_on
    if not on:
        words = "off"
    elif role is analysis.key_role:
        words = f"{percent(light.intensity)} · key"
    else:
        words = percent(light.intensity)
        if stops_from_key is not None:
            words += f" · {stops_from_key:+.1f} st".replace("-", MINUS)
    name = role_title(role)
    accent = ACCENTS[role] if on else OFF_GREY
    colour = INK if on else OFF_GREY
    size = 10.5
    panel.y += 14.0
    dot = tag("circle", {"cx": panel.x + 4.0, "cy": panel.y - 3.5, "r": 4.0, "fill": accent})
    x = panel.x + 13.0
    name_tspan = tag("tspan", {"font-weight": "bold"}, esc(name))
    width = text_width(name, size, bold=True) + text_width(f" {words}", size)
    style: dict[str, str | float] = {"font-size": size, "fill": colour}
    if width <= panel.width - 13.0:
        text = tag("text", {"x": x, "y": panel.y, **style}, name_tspan + esc(f" {words}"))
    else:  # the numbers go under the name
        text = tag("text", {"x": x, "y": panel.y, **style}, name_tspan)
        panel.y += 13.0
        text += tag("text", {"x": x, "y": panel.y, **style}, esc(words))
    return tag("g", {"data-role": role.value}, dot + text)


def legend(request: SceneRequest, analysis: LightingAnalysis, white_balance: float) -> str:
    """The legend panel for ``request`` and its ``analysis``, swatches as a camera balanced at
    ``white_balance`` kelvin renders them."""
    panel_x = AREA_W + 4.0
    panel = _Panel(panel_x + 12.0, VIEW_W - panel_x - 30.0)
    panel.parts.append(
        tag(
            "rect",
            {
                "x": panel_x,
                "y": 8.0,
                "width": VIEW_W - panel_x - 8.0,
                "height": VIEW_H - 16.0,
                "rx": 6.0,
                "fill": "#f8f9fa",
                "stroke": "#dee2e6",
            },
        )
    )
    panel.add("legend-title", panel.line("Lighting diagram", size=14.0, bold=True))
    subject_lines = panel.wrapped(xml_text(request.subject_description), 10.0, 3)
    panel.add(
        "legend-subject",
        *(panel.line(t, size=10.0, colour=MUTED, italic=True) for t in subject_lines),
    )
    if request.subject_yaw:
        panel.add(
            "legend-yaw",
            panel.line(f"head turned {azimuth_text(request.subject_yaw)}", size=10.0),
        )

    panel.heading("Pattern")
    names = " · ".join(analysis.pattern_names) or str(analysis.pattern)
    panel.add(
        "legend-pattern",
        *(panel.line(t, bold=True) for t in panel.wrapped(names, 11.0, 2, bold=True)),
    )

    panel.heading("Lit : shadow")
    ratio = (
        "no fill: unlit"
        if analysis.ratio.shadow_unlit
        else f"{analysis.ratio.ratio:.1f}:1 · {analysis.ratio.stops:.1f} stops"
    )
    panel.add("legend-ratio", panel.line(ratio, bold=True))

    panel.heading("Rating")
    panel.add("legend-rating", panel.line(f"{analysis.rating:.1f} / 10", bold=True))

    panel.heading("Lights")
    stops = {report.role: report.stops_from_key for report in analysis.lights}
    rows = []
    for role in ROLE_ORDER:
        light = request.lighting_setup.get(role)
        if light is None or role is LightType.AMBIENT:
            continue
        rows.append(_legend_row(panel, role, light, analysis, stops.get(role)))
    panel.add("legend-lights", *rows)

    ambient = request.lighting_setup.get(LightType.AMBIENT)
    if ambient is not None:
        panel.heading("Ambient")
        state = percent(ambient.intensity) if ambient.is_on else "off"
        words = f"{state} · {kelvin_text(ambient.color_temperature)}"
        chip = swatch_hex(ambient.color_temperature, white_balance)
        panel.add("legend-ambient", panel.line(words, chip=chip))

    camera = request.camera_settings
    panel.heading("Camera")
    panel.add(
        "legend-camera",
        panel.line(f"{round(camera.focal_length_mm):d} mm · f/{camera.aperture:g}"),
        panel.line(f"white balance {kelvin_text(white_balance)}", size=10.0),
    )

    panel.heading("Distance scale")
    panel.add(
        "legend-scale",
        *(
            panel.line(t, size=9.5, colour=MUTED)
            for t in panel.wrapped(
                "Rings at 1, 2 and 3 m from the subject; linear to 3 m, logarithmic beyond.",
                9.5,
                3,
            )
        ),
    )
    return tag("g", {"id": "legend", "font-family": FONT}, "".join(panel.parts))
