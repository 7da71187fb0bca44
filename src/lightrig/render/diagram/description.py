"""The diagram's text for assistive technology: the whole setup in sentences, for the SVG's
``<desc>``. Angles are in degrees, distances in metres, colour temperatures in kelvin."""

from __future__ import annotations

from lightrig.lighting.roles import LightType
from lightrig.models.analysis import LightingAnalysis
from lightrig.models.scene import SceneRequest
from lightrig.render.diagram import wording
from lightrig.render.diagram.canvas import ROLE_ORDER

__all__ = ["describe"]


def describe(request: SceneRequest, analysis: LightingAnalysis) -> str:
    """What the diagram of ``request`` shows, in sentences: the orientation, the subject and
    head turn, every light (ambient included) and the analysis's pattern, ratio and rating."""
    parts = [
        "Top-down lighting diagram: camera at the bottom looking up at the subject, "
        "backdrop at the top, camera-right on the right.",
        f"Subject: {request.subject_description}.",
    ]
    if request.subject_yaw:
        parts.append(f"Head turned {wording.azimuth_text(request.subject_yaw)}.")
    for role in ROLE_ORDER:
        light = request.lighting_setup.get(role)
        if light is None:
            continue
        if role is LightType.AMBIENT:
            state = "" if light.is_on else " (off)"
            parts.append(
                f"Ambient{state}: intensity {light.intensity:.2g}, "
                f"{wording.kelvin_text(light.color_temperature)}."
            )
            continue
        state = "" if light.is_on else " (off)"
        parts.append(
            f"{wording.role_title(role)}{state}: {wording.modifier_text(light)}, "
            f"azimuth {wording.azimuth_text(light.azimuth or 0.0)}, "
            f"elevation {wording.signed_degrees(light.elevation or 0.0)}, "
            f"{wording.distance_text(light.distance)}, "
            f"{wording.kelvin_text(light.color_temperature)}, "
            f"intensity {light.intensity:.2g}."
        )
    parts.append(f"Pattern: {', '.join(analysis.pattern_names)}.")
    parts.append(
        f"Lit to shadow ratio {analysis.ratio.ratio:.1f}:1 ({analysis.ratio.stops:.1f} stops)."
    )
    parts.append(f"Rating {analysis.rating:.1f} out of 10.")
    return " ".join(parts)
