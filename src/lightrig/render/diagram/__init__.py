"""A top-down lighting diagram of a setup, as a standalone SVG document.

The studio is drawn from above, the way photographers sketch a setup: the subject's head at the
centre (its nose marks where the face points), the camera at the bottom centre looking up at it,
the backdrop as a band behind the subject at the top, and every positioned light around the
subject with an icon for its modifier, a beam toward what it lights and a label ("Key · 45° R ·
+30°", "1.5 m · softbox 90 cm", a kelvin swatch and "5600 K"). A panel on the right holds the
pattern names, the lit:shadow ratio, the rating, the ambient light and the camera.

Frame. The drawing works in a fixed 720 × 576 ``viewBox``; ``width`` only sets the rendered size
(height is 0.8 × width). The subject sits at (270, 266), the camera at (270, 539). A light at
azimuth ``a`` (degrees, 0 at the camera, positive toward camera-right, ±180 behind) and distance
``d`` (metres) is drawn at ``x = cx + s(d)·sin(a)``, ``y = cy + s(d)·cos(a)``: SVG's y grows
downward, so azimuth 0 lands below the subject, toward the camera, and camera-right lands on the
right of the drawing (the viewer looks over the camera's shoulder). The subject's yaw uses the
same convention for its nose.

Scale. :func:`diagram_radius` (from :mod:`lightrig.lighting.diagram_scale`, which the studio's
diagram reads too, through ``GET /v1/conventions``) maps metres to pixels: ``s(d) = 46 + 42·d``
up to 3 m (so a light never touches the subject, and 1 m reads as 42 px), then
``s(d) = 172 + 40·log10(d / 3)`` beyond (40 px per tenfold distance, so the 100 m maximum still
fits). Dashed range rings mark 1, 2 and 3 m (and 10 m when something is that far). Icons are
drawn roughly to scale, 40 px per metre of modifier diameter, clamped to 12–52 px and shrunk when
needed to stay clear of the subject.

A background light's distance is measured to the backdrop, not to the subject: it is drawn on
its azimuth where it stands that far in front of the backdrop (at least 0.25 m from the subject),
aimed at the backdrop behind the subject. A background light that is not behind the subject
keeps the general rule. Each role has one accent colour, used for its icon, beam, label and
legend entry; a light that is off is drawn grey and dashed, with "off" in its label.

The modules, one part of the drawing each: :mod:`.svg` writes tags and numbers, :mod:`.measure`
estimates text widths and wraps text, :mod:`.wording` words the numbers, :mod:`.canvas` holds
the frame and palette, :mod:`.placement` puts the lights, :mod:`.icons` draws their glyphs and
beams, :mod:`.figures` the subject and camera, :mod:`.stage` the rings, backdrop and hints,
:mod:`.boxes`, :mod:`.labels` and :mod:`.layout` the labels and where they go, :mod:`.legend` the
panel, :mod:`.description` the text for assistive technology, and :mod:`.document` puts them
together.

The side (elevation) view is a document of its own, :func:`side_view_svg` (:mod:`.side`, placed
by :mod:`.side_frame`): the floor, the subject at its eye height, every light on its stand
labelled with its height above the floor in metres, the camera at its angle's height. Either
drawing becomes a picture through :mod:`.raster` (``diagram_png(side_view_svg(request))``).
"""

from __future__ import annotations

from lightrig.lighting.diagram_scale import diagram_radius
from lightrig.render.diagram.document import lighting_diagram
from lightrig.render.diagram.side import side_view_svg

__all__ = ["diagram_radius", "lighting_diagram", "side_view_svg"]
