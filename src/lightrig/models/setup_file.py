"""A setup file: the JSON document a lighting setup is exported to and imported from — what the
studio's Export (Setup JSON) writes and ``lightrig setups export`` writes alike, and what
``lightrig setups import``, the studio's Import and every command that takes a setup file read.

It is the scene request with each light placed by its angles (``azimuth``, ``elevation``,
degrees) and sized by its ``modifier_size`` (metres), and the camera by its focal length
(millimetres). What follows from those — a light's ``direction`` in words and ``softness``, the
camera's ``fov``, a light's stand ``height`` (from its elevation, distance and the eye height) —
is left out, so that a reader never has to check that a pair agrees; so is a power the light
does not state, and a ``lens_type`` is written only when one is set. Reading the file back
gives the same request.
"""

from __future__ import annotations

from typing import Any

from lightrig.models.scene import SceneRequest

__all__ = ["setup_file"]

#: A light's fields that follow from others (the angles, the modifier's size, the eye height):
#: left out.
_DERIVED_LIGHT = ("direction", "softness", "height")
#: The camera's field that follows from the focal length: left out.
_DERIVED_CAMERA = ("fov",)


def setup_file(request: SceneRequest) -> dict[str, Any]:
    """``request`` as a setup file holds it (JSON-ready; see the module docstring)."""
    document = request.model_dump(mode="json")
    for light in document["lighting_setup"].values():
        for name in _DERIVED_LIGHT:
            light.pop(name, None)
        power = light.get("power")
        if power is None:
            light.pop("power", None)  # the reference light: nothing stated
        else:
            light["power"] = {kind: value for kind, value in power.items() if value is not None}
    camera = document["camera_settings"]
    for name in _DERIVED_CAMERA:
        camera.pop(name, None)
    if camera.get("lens_type") is None:
        camera.pop("lens_type", None)
    return document
