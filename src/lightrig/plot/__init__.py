"""The lighting plot: one printable page a crew can build the setup from.

:func:`plot_sheet` gathers what the page says (pure: a setup and its analysis in, rows and lines
out); :func:`plot_pdf` lays it out as an A4 landscape PDF with the plan and side views and the
preview (fpdf2, with Source Sans Pro from the ``font-source-sans-pro`` package, SIL OFL 1.1).
"""

from lightrig.plot.document import plot_pdf
from lightrig.plot.sheet import LightRow, PlotSheet, plot_sheet

__all__ = ["LightRow", "PlotSheet", "plot_pdf", "plot_sheet"]
