"""The conventions document (:class:`~lightrig.models.conventions.Conventions`), assembled from
the tables the rest of lightrig reads — the vocabulary, the roles' default heights, softness,
gels, the request models' ranges, the diagram's scale and the stands' heights — so the studio,
which draws from it, cannot keep a copy that drifts.
"""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel

from lightrig.lighting import diagram_scale, softness, stands
from lightrig.lighting.gels import MATCHED_MIRED
from lightrig.lighting.modifiers import Modifier
from lightrig.lighting.patterns import Pattern
from lightrig.lighting.roles import DEFAULT_ELEVATION_DEG, LightType
from lightrig.lighting.vocabulary import (
    GELS,
    LIGHT_SOURCES,
    MODIFIERS,
    PATTERNS,
    ROLES,
    written_sources,
)
from lightrig.models.camera import CameraSettings
from lightrig.models.conventions import (
    AzimuthConvention,
    ColourName,
    Conventions,
    DiagramScale,
    GelConvention,
    LightSourceConvention,
    ModifierConvention,
    PatternConvention,
    Range,
    Ranges,
    RoleConvention,
    SoftnessConvention,
    StandsConvention,
)
from lightrig.models.lights import DEFAULT_SOFTNESS, LightSettings
from lightrig.models.scene import SceneRequest

__all__ = ["conventions", "declared_range"]

_VERSION_DIGITS = 16
#: Modifiers are listed in the enumeration's order (bare heads first, then ever larger sources),
#: not the vocabulary's, which is the order prose is read in.
_MODIFIER_ORDER: tuple[Modifier, ...] = tuple(Modifier)


def declared_range(model: type[BaseModel], field: str) -> Range:
    """The closed range (``ge`` / ``le``) ``model`` declares for ``field``, in its unit."""
    low: float | None = None
    high: float | None = None
    for constraint in model.model_fields[field].metadata:
        low = getattr(constraint, "ge", low)
        high = getattr(constraint, "le", high)
    if low is None or high is None:
        raise ValueError(f"{model.__name__}.{field} declares no closed range")
    return Range(min=low, max=high)


def _ranges() -> Ranges:
    return Ranges(
        kelvin=declared_range(LightSettings, "color_temperature"),
        white_balance_k=declared_range(CameraSettings, "white_balance"),
        distance_m=declared_range(LightSettings, "distance"),
        azimuth_deg=declared_range(LightSettings, "azimuth"),
        elevation_deg=declared_range(LightSettings, "elevation"),
        subject_yaw_deg=declared_range(SceneRequest, "subject_yaw"),
        background_distance_m=declared_range(SceneRequest, "background_distance"),
        subject_eye_height_m=declared_range(SceneRequest, "subject_eye_height"),
    )


def _colour_names() -> tuple[ColourName, ...]:
    names = []
    for source in written_sources():
        bound = source.written_below
        open_ended = bound is None or bound == float("inf")
        names.append(ColourName(name=source.name, below_kelvin=None if open_ended else bound))
    return tuple(names)


def _diagram() -> DiagramScale:
    return DiagramScale(
        base_px=diagram_scale.BASE_PX,
        px_per_m=diagram_scale.PX_PER_M,
        linear_limit_m=diagram_scale.LINEAR_LIMIT_M,
        px_per_decade=diagram_scale.PX_PER_DECADE,
        max_distance_m=diagram_scale.MAX_DISTANCE_M,
        min_background_light_m=diagram_scale.MIN_BACKGROUND_LIGHT_M,
        icon_px_per_m=diagram_scale.ICON_PX_PER_M,
        icon_min_px=diagram_scale.ICON_MIN_PX,
        icon_max_px=diagram_scale.ICON_MAX_PX,
    )


def _stands() -> StandsConvention:
    return StandsConvention(
        default_eye_height_m=stands.DEFAULT_EYE_HEIGHT_M,
        height_tolerance_m=stands.HEIGHT_TOLERANCE_M,
        camera_offset_m=dict(stands.CAMERA_OFFSET_M),
        min_camera_height_m=stands.MIN_CAMERA_HEIGHT_M,
        frame_height_m=dict(stands.FRAME_HEIGHT_M),
        sensor_height_mm=stands.SENSOR_HEIGHT_MM,
    )


def conventions() -> Conventions:
    """The conventions document, its ``version`` a hash of everything else in it."""
    body = {
        "roles": tuple(
            RoleConvention(
                value=LightType(role.value),
                label=role.label,
                blurb=role.blurb,
                accent=role.accent,
                accent_on_dark=role.accent_on_dark,
                default_elevation_deg=DEFAULT_ELEVATION_DEG[LightType(role.value)],
            )
            for role in ROLES
        ),
        "modifiers": tuple(
            ModifierConvention(
                value=Modifier(m.value),
                label=m.label,
                short=m.short,
                typical_size_m=m.size_m,
                sized=m.sized,
            )
            for m in sorted(MODIFIERS, key=lambda m: _MODIFIER_ORDER.index(Modifier(m.value)))
        ),
        "gels": tuple(GelConvention(name=g.name, mired_shift=g.mired_shift) for g in GELS),
        "matched_mired": MATCHED_MIRED,
        "patterns": tuple(
            PatternConvention(value=Pattern(p.value), label=p.label) for p in PATTERNS
        ),
        "light_sources": tuple(
            LightSourceConvention(name=s.name, kelvin=s.kelvin) for s in LIGHT_SOURCES
        ),
        "colour_names": _colour_names(),
        "ranges": _ranges(),
        "softness": SoftnessConvention(
            full_softness_angle_deg=softness.FULL_SOFTNESS_ANGLE_DEG,
            reference_distance_m=softness.REFERENCE_DISTANCE_M,
            hard_below_deg=softness.HARD_BELOW_DEG,
            soft_above_deg=softness.SOFT_ABOVE_DEG,
            default_softness=DEFAULT_SOFTNESS,
        ),
        "diagram": _diagram(),
        "azimuth": AzimuthConvention(),
        "stands": _stands(),
    }
    draft = Conventions.model_validate({**body, "version": "0" * _VERSION_DIGITS})
    unversioned = draft.model_dump(mode="json", exclude={"version"})
    canonical = json.dumps(unversioned, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    version = hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:_VERSION_DIGITS]
    return draft.model_copy(update={"version": version})
