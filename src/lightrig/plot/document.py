"""The lighting plot as a one-page A4 landscape PDF (fpdf2).

Left: the plan view (from above) and the side view (stands and heights), drawn at print
resolution by :mod:`lightrig.render.diagram.raster`. Right: the preview render, the camera and
the analysis in brief. Below: a table per light — role, position, stand height, modifier and
size, colour and gel, power setting, meter reading — and the notes. Text is set in Source Sans
Pro (``font-source-sans-pro``, SIL Open Font License 1.1), whose glyphs cover the product's
words (−, °, →, ·, ⅓).
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import font_source_sans_pro
from fpdf import FPDF
from fpdf.fonts import FontFace

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.models.analysis import LightingAnalysis
from lightrig.models.scene import SceneRequest
from lightrig.plot.sheet import PlotSheet, plot_sheet
from lightrig.render.diagram import lighting_diagram, side_view_svg
from lightrig.render.diagram.raster import diagram_png

__all__ = ["PLOT_MEDIA_TYPE", "plot_pdf"]

PLOT_MEDIA_TYPE = "application/pdf"
#: Page and margins, millimetres (A4 landscape).
_PAGE_W, _PAGE_H, _MARGIN = 297.0, 210.0, 10.0
_LEFT_W = 150.0
#: Pixels the diagrams are drawn at: about 250 dpi at their printed width.
_DIAGRAM_PX = 1440
_FONT = "SourceSans"
_INK = (30, 30, 34)
_MUTED = (105, 105, 115)
_RULE = (200, 200, 206)
_COLUMNS = (
    ("Light", 16.0),
    ("Position", 40.0),
    ("Stand height", 27.0),
    ("Modifier", 36.0),
    ("Colour", 42.0),
    ("Power setting", 54.0),
    ("Meter reading", 62.0),
)


def _fonts(pdf: FPDF) -> None:
    files = Path(font_source_sans_pro.__file__).parent / "files"
    pdf.add_font(_FONT, "", str(files / "SourceSansPro-Regular.ttf"))
    pdf.add_font(_FONT, "B", str(files / "SourceSansPro-Bold.ttf"))


def _heading(pdf: FPDF, x: float, y: float, words: str) -> None:
    pdf.set_xy(x, y)
    pdf.set_font(_FONT, "B", 9)
    pdf.set_text_color(*_MUTED)
    pdf.cell(0, 4, words.upper())
    pdf.set_text_color(*_INK)


def _lines(pdf: FPDF, x: float, y: float, width: float, lines: tuple[str, ...]) -> float:
    """Write ``lines`` from ``(x, y)`` in ``width`` mm; the y below them."""
    pdf.set_font(_FONT, "", 9.5)
    pdf.set_xy(x, y)
    for line in lines:
        pdf.set_x(x)
        pdf.multi_cell(width, 4.6, line, new_x="LMARGIN", new_y="NEXT")
    return pdf.get_y()


def _table(pdf: FPDF, y: float, sheet: PlotSheet) -> float:
    pdf.set_xy(_MARGIN, y)
    pdf.set_font(_FONT, "", 8.5)
    pdf.set_draw_color(*_RULE)
    heading = FontFace(emphasis="BOLD", fill_color=(236, 236, 240))
    with pdf.table(
        col_widths=tuple(width for _, width in _COLUMNS),
        width=sum(width for _, width in _COLUMNS),
        align="LEFT",
        line_height=4.4,
        headings_style=heading,
        borders_layout="HORIZONTAL_LINES",
        padding=1.2,
    ) as table:
        table.row([name for name, _ in _COLUMNS])
        for row in sheet.rows:
            table.row(
                [
                    row.role,
                    row.position,
                    row.height,
                    row.modifier,
                    row.colour,
                    row.power,
                    row.reading,
                ]
            )
    return pdf.get_y()


def plot_pdf(
    request: SceneRequest,
    *,
    analysis: LightingAnalysis | None = None,
    preview_png: bytes | None = None,
    title: str | None = None,
    day: date | None = None,
) -> bytes:
    """The lighting plot of ``request`` as PDF bytes.

    ``analysis``: computed when not given. ``preview_png``: the preview to print (rendered here
    at 512 px when not given). ``title``: the page's heading (default: the pattern's names);
    ``day``: the date printed (default: today).
    """
    if analysis is None:
        analysis = LightingAnalyzer().analyze(request)
    if preview_png is None:
        from lightrig.render.preview import PreviewRenderer  # noqa: PLC0415 - numba, when needed

        preview_png = PreviewRenderer().render(request, 512, antialias=True).png()
    sheet = plot_sheet(request, analysis, title=title)
    plan = diagram_png(lighting_diagram(request, analysis), _DIAGRAM_PX)
    side = diagram_png(side_view_svg(request), _DIAGRAM_PX)

    pdf = FPDF(orientation="landscape", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_creator("lightrig")
    pdf.set_title(f"Lighting plot: {sheet.title}")
    _fonts(pdf)
    pdf.add_page()
    pdf.set_text_color(*_INK)

    pdf.set_font(_FONT, "B", 17)
    pdf.set_xy(_MARGIN, _MARGIN)
    pdf.cell(0, 8, f"Lighting plot · {sheet.title}")
    pdf.set_font(_FONT, "", 9.5)
    pdf.set_text_color(*_MUTED)
    pdf.set_xy(_MARGIN, _MARGIN + 8)
    when = (day or date.today()).isoformat()
    pdf.cell(0, 5, f"{sheet.subtitle} · {when} · lightrig")
    pdf.set_text_color(*_INK)

    top = _MARGIN + 15
    plan_h = _LEFT_W * 576 / 720
    side_w = _LEFT_W * 0.78
    side_h = side_w * 300 / 720
    pdf.image(io.BytesIO(plan), x=_MARGIN, y=top, w=_LEFT_W * 0.78, h=plan_h * 0.78)
    pdf.image(io.BytesIO(side), x=_MARGIN, y=top + plan_h * 0.78 + 1, w=side_w, h=side_h)

    right = _MARGIN + _LEFT_W * 0.78 + 6
    width = _PAGE_W - _MARGIN - right
    preview_side = 52.0
    _heading(pdf, right, top, "Preview")
    pdf.image(io.BytesIO(preview_png), x=right, y=top + 5, w=preview_side, h=preview_side)
    _heading(pdf, right + preview_side + 4, top, "Camera")
    below = _lines(pdf, right + preview_side + 4, top + 5, width - preview_side - 4, sheet.camera)
    y = max(top + 5 + preview_side, below) + 3
    _heading(pdf, right, y, "Analysis")
    y = _lines(pdf, right, y + 5, width, sheet.analysis) + 2
    if sheet.notes:
        _heading(pdf, right, y, "Notes")
        pdf.set_font(_FONT, "", 8.5)
        y = _lines(pdf, right, y + 5, width, tuple(f"• {note}" for note in sheet.notes))

    table_top = max(top + plan_h * 0.78 + side_h + 4, y + 2)
    _table(pdf, table_top, sheet)
    if pdf.page_no() > 1 or pdf.get_y() > _PAGE_H - 4:
        raise ValueError("the lighting plot ran past one page")
    return bytes(pdf.output())
