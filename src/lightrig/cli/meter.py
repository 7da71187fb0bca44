"""``lightrig meter``: what a light meter reads on set, in f-numbers at the camera's ISO and
shutter."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer
from pydantic import TypeAdapter

from lightrig.analysis.metering import meter_report
from lightrig.cli.common import (
    BadInputError,
    JsonOption,
    PresetOption,
    SetupArgument,
    new_console,
    request_from,
)
from lightrig.errors import InvalidLightingSetupError
from lightrig.lighting.reading import read
from lightrig.models.analysis import MeterReport
from lightrig.models.camera import CameraSettings
from lightrig.models.scene import SceneRequest, parse_scene_request

__all__ = ["meter"]

IsoOption = Annotated[
    float | None,
    typer.Option("--iso", help="ISO speed, 25–409600 (default: the setup's, else 100)."),
]
ShutterOption = Annotated[
    str | None,
    typer.Option(
        "--shutter",
        help="Shutter time: '1/125', '2 s' or seconds (default: the setup's, else 1/125).",
    ),
]
TargetOption = Annotated[
    str | None,
    typer.Option(
        "--target",
        help="The f-number to set the lights for, 'f/8' or 8 (default: the camera's aperture).",
    ),
]


def _with_camera(request: SceneRequest, iso: float | None, shutter: str | None) -> SceneRequest:
    data: dict[str, Any] = request.model_dump(mode="json", exclude_none=True)
    camera = data.setdefault("camera_settings", {})
    if iso is not None:
        camera["iso"] = iso
    if shutter is not None:
        camera["shutter"] = shutter
    try:
        return parse_scene_request(data)
    except InvalidLightingSetupError as exc:
        raise BadInputError(str(exc).replace("camera_settings.", "--")) from None


def _target(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        return CameraSettings.model_validate({"aperture": text}).aperture
    except InvalidLightingSetupError as exc:
        raise BadInputError(str(exc).replace("aperture", "--target", 1)) from None


def meter(
    setup: SetupArgument = None,
    preset: PresetOption = None,
    iso: IsoOption = None,
    shutter: ShutterOption = None,
    target: TargetOption = None,
    as_json: JsonOption = False,
) -> None:
    """Meter a setup: each light's incident reading on the face's lit and shadow sides and
    facing it, all together, the backdrop, the exposure against the camera's aperture and the
    power change for a target f-number."""
    request = _with_camera(request_from(setup, preset), iso, shutter)
    report = meter_report(read(request.rig()).measurements, target_aperture=_target(target))
    if as_json:
        sys.stdout.write(TypeAdapter(MeterReport).dump_json(report, indent=2).decode() + "\n")
        return
    from lightrig.cli.views import meter_view  # noqa: PLC0415 - Rich, for people only

    new_console().print(meter_view(report))
