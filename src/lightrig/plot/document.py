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
from fpdf.enums import MethodReturnValue
from fpdf.fonts import FontFace

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.lighting.vocabulary.equipment import PLOT_COLUMNS
from lightrig.models.analysis import LightingAnalysis
from lightrig.models.scene import SceneRequest
from lightrig.plot.sheet import LightRow, PlotSheet, plot_sheet
from lightrig.render.diagram import lighting_diagram, side_view_svg
from lightrig.render.diagram.raster import diagram_png

__all__ = ["plot_pdf"]

#: Page and margins, millimetres (A4 landscape).
_PAGE_W, _PAGE_H, _MARGIN = 297.0, 210.0, 10.0
_LEFT_W = 150.0
#: Pixels the diagrams are drawn at: about 250 dpi at their printed width.
_DIAGRAM_PX = 1440
_FONT = "SourceSans"
_INK = (30, 30, 34)
_MUTED = (105, 105, 115)
_RULE = (200, 200, 206)
#: The light table's type size (points), line height and cell padding (millimetres).
_TABLE_FONT = 8.5
_TABLE_LINE = 4.0
_CELL_PADDING = 1.1
#: The left column's diagrams: the plan over the side view, at most this wide (mm), and never
#: smaller than this share of it (the table is given the rest of the page).
_DIAGRAM_W = 117.0
_MIN_DIAGRAM_SHARE = 0.45
#: Each column's width (mm), in the order of the vocabulary's headings: 277 mm in all.
_WIDTHS = (20.0, 38.0, 27.0, 36.0, 42.0, 54.0, 60.0)
_COLUMNS = tuple(zip(PLOT_COLUMNS, _WIDTHS, strict=True))


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


def _cells(row: LightRow) -> list[str]:
    return [row.role, row.position, row.height, row.modifier, row.colour, row.power, row.reading]


def _line_count(pdf: FPDF, width: float, height: float, text: str) -> int:
    """Lines ``text`` wraps to in ``width`` mm at the current font."""
    lines = pdf.multi_cell(width, height, text, dry_run=True, output=MethodReturnValue.LINES)
    return len(lines) if isinstance(lines, list) else 1


def _row_lines(pdf: FPDF, cells: list[str]) -> int:
    """Lines the tallest cell of a row wraps to at the current font."""
    return max(
        _line_count(pdf, width - 2 * _CELL_PADDING, _TABLE_LINE, text)
        for text, (_, width) in zip(cells, _COLUMNS, strict=True)
    )


def _table_height(pdf: FPDF, sheet: PlotSheet) -> float:
    """Millimetres the light table takes at the current font: its heading and its rows."""
    pdf.set_font(_FONT, "", _TABLE_FONT)
    rows = [[name for name, _ in _COLUMNS], *(_cells(row) for row in sheet.rows)]
    return sum(_row_lines(pdf, cells) * _TABLE_LINE + 2 * _CELL_PADDING for cells in rows)


def _table(pdf: FPDF, y: float, sheet: PlotSheet) -> float:
    pdf.set_xy(_MARGIN, y)
    pdf.set_font(_FONT, "", _TABLE_FONT)
    pdf.set_draw_color(*_RULE)
    heading = FontFace(emphasis="BOLD", fill_color=(236, 236, 240))
    with pdf.table(
        col_widths=tuple(width for _, width in _COLUMNS),
        width=sum(width for _, width in _COLUMNS),
        align="LEFT",
        line_height=_TABLE_LINE,
        headings_style=heading,
        borders_layout="HORIZONTAL_LINES",
        padding=_CELL_PADDING,
    ) as table:
        table.row([name for name, _ in _COLUMNS])
        for row in sheet.rows:
            table.row(_cells(row))
    return pdf.get_y()


def _fitted(pdf: FPDF, text: str, width: float) -> str:
    """``text`` cut with an ellipsis to fit ``width`` mm on one line at the current font."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _notes(
    pdf: FPDF, x: float, y: float, width: float, notes: tuple[str, ...], *, bottom: float
) -> None:
    """As many notes as fit above ``bottom``; the rest counted in a last line."""
    pdf.set_font(_FONT, "", 8.5)
    for index, note in enumerate(notes):
        left = len(notes) - index
        needed = _line_count(pdf, width, 4.2, f"• {note}")
        if y + (needed + 1) * 4.2 > bottom:
            pdf.set_xy(x, y)
            pdf.multi_cell(
                width, 4.2, f"… {left} more in the analysis", new_x="LMARGIN", new_y="NEXT"
            )
            return
        pdf.set_xy(x, y)
        pdf.multi_cell(width, 4.2, f"• {note}", new_x="LMARGIN", new_y="NEXT")
        y = pdf.get_y()


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
    text_width = _PAGE_W - 2 * _MARGIN

    pdf.set_font(_FONT, "B", 17)
    pdf.set_xy(_MARGIN, _MARGIN)
    pdf.cell(0, 8, _fitted(pdf, f"Lighting plot · {sheet.title}", text_width))
    pdf.set_font(_FONT, "", 9.5)
    pdf.set_text_color(*_MUTED)
    pdf.set_xy(_MARGIN, _MARGIN + 8)
    when = (day or date.today()).isoformat()
    tail = f" · {when} · lightrig"
    subtitle = _fitted(pdf, sheet.subtitle, text_width - pdf.get_string_width(tail)) + tail
    pdf.cell(0, 5, subtitle)
    pdf.set_text_color(*_INK)

    # the table takes what its rows need at the page's foot; the diagrams are scaled into the rest
    top = _MARGIN + 15
    table_h = _table_height(pdf, sheet)
    table_top = _PAGE_H - _MARGIN - table_h
    room = table_top - 3 - top  # for the plan over the side view
    stacked = 576 / 720 + 300 / 720  # their heights per unit of width, one above the other
    diagram_w = max(_DIAGRAM_W * _MIN_DIAGRAM_SHARE, min(_DIAGRAM_W, (room - 1) / stacked))
    plan_h, side_h = diagram_w * 576 / 720, diagram_w * 300 / 720
    pdf.image(io.BytesIO(plan), x=_MARGIN, y=top, w=diagram_w, h=plan_h)
    pdf.image(io.BytesIO(side), x=_MARGIN, y=top + plan_h + 1, w=diagram_w, h=side_h)
    table_top = max(table_top, top + plan_h + 1 + side_h + 2)

    right = _MARGIN + _DIAGRAM_W + 6
    width = _PAGE_W - _MARGIN - right
    preview_side = min(52.0, table_top - top - 8)
    _heading(pdf, right, top, "Preview")
    pdf.image(io.BytesIO(preview_png), x=right, y=top + 5, w=preview_side, h=preview_side)
    _heading(pdf, right + preview_side + 4, top, "Camera")
    below = _lines(pdf, right + preview_side + 4, top + 5, width - preview_side - 4, sheet.camera)
    y = max(top + 5 + preview_side, below) + 3
    _heading(pdf, right, y, "Analysis")
    y = _lines(pdf, right, y + 5, width, sheet.analysis) + 2
    if sheet.notes and y + 9 < table_top:
        _heading(pdf, right, y, "Notes")
        _notes(pdf, right, y + 5, width, sheet.notes, bottom=table_top - 2)

    _table(pdf, table_top, sheet)
    if pdf.page_no() > 1:  # the layout above is measured to fit: a second page is a bug
        raise AssertionError("the lighting plot ran past one page")
    return bytes(pdf.output())
