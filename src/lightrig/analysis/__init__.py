"""The analysis: a setup read as a photographer would, as the public
:class:`~lightrig.models.analysis.LightingAnalysis` (the pure reading it builds on is
:mod:`lightrig.lighting.reading`; this package sits above the models, which the reading sits
below)."""

from lightrig.analysis.analyzer import LightingAnalyzer

__all__ = ["LightingAnalyzer"]
