"""A new user's first hour (issue 18), the models and the API: every mistake in a request is one
line naming the field, what it got and what is accepted — through the library (lightrig's own
``InvalidLightingSetupError``, a ``ValueError``, never Pydantic's error) and through the API
(422 problem+json naming the field); one request shape across the API (the shorthand, and the
``{"request": ...}`` wrapping, everywhere a scene request goes); a body nested too deep is said
so; the README's keyless curl works while no user exists; the JSON logs carry no ANSI codes; a
dependency that is down is 503 naming its setting and nothing of where it points.
"""

from __future__ import annotations

import json
import logging
import math
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import APIRouter
from fastapi.testclient import TestClient
from pydantic import ValidationError

import lightrig
from lightrig import (
    CameraSettings,
    InvalidLightingSetupError,
    LightSettings,
    SceneRequest,
    parse_scene_request,
)
from lightrig.api.app import create_app
from lightrig.api.logs import JsonFormatter
from lightrig.api.problems import MAX_JSON_DEPTH
from lightrig.config import Settings
from lightrig.errors import DependencyUnavailableError

ROLES = "roles: key, fill, rim, kicker, hair, background, ambient"
KEY = {"direction": "45 degrees camera-left", "intensity": 0.8}


def refused(make: Callable[[], object]) -> InvalidLightingSetupError:
    """The error ``make()`` raises: lightrig's, a ValueError, its text one line."""
    with pytest.raises(InvalidLightingSetupError) as caught:
        make()
    error = caught.value
    assert isinstance(error, ValueError)
    assert not isinstance(error, ValidationError)
    assert "\n" not in str(error)
    return error


def messages(error: InvalidLightingSetupError) -> dict[str, str]:
    return {e.loc: e.message for e in error.errors}


# --------------------------------------------------------------------------------- the library


@pytest.mark.parametrize(
    "make",
    [
        lambda: LightSettings(direction="front", intensity=2),
        lambda: LightSettings.model_validate({"direction": "front", "intensity": 2}),
        lambda: LightSettings.model_validate_json('{"direction": "front", "intensity": 2}'),
        lambda: SceneRequest(lighting_setup={"key": {"direction": "front", "intensity": 2}}),
        lambda: SceneRequest.model_validate({"key": {"direction": "front", "intensity": 2}}),
        lambda: CameraSettings(aperture=100),
        lambda: CameraSettings.model_validate({"white_balance": "warm"}),
    ],
)
def test_every_public_request_model_raises_lightrig_s_error(make: Callable[[], object]) -> None:
    error = refused(make)
    (_loc, message), *_ = messages(error).items()
    assert message.startswith("got "), message
    assert "; accepted: " in message
    assert isinstance(error, lightrig.InvalidLightingSetupError)


def test_a_bad_value_says_what_it_got_and_what_is_accepted() -> None:
    error = refused(lambda: LightSettings(direction="front", intensity=1.5))
    assert str(error) == "intensity: got 1.5; accepted: a number from 0 to 1"
    error = refused(lambda: LightSettings(direction="front", intensity="bright"))
    assert str(error) == "intensity: got 'bright'; accepted: a number from 0 to 1"
    error = refused(lambda: LightSettings(direction="front", intensity=0.5, enabled=1))
    assert str(error) == "enabled: got 1; accepted: true or false"
    error = refused(lambda: LightSettings(direction="front", intensity=0.5, modifier="lamp"))
    assert str(error).startswith("""modifier: got 'lamp'; accepted: one of "bare", """)
    error = refused(lambda: LightSettings(direction="front"))
    assert str(error) == "intensity: missing; accepted: a number from 0 to 1"
    error = refused(lambda: CameraSettings(focal_length=2))
    assert str(error) == "focal_length: got 2; accepted: a number from 8 to 800"


@pytest.mark.parametrize(
    ("value", "spelt"), [(math.nan, "NaN"), (math.inf, "Infinity"), (-math.inf, "-Infinity")]
)
def test_nan_and_infinity_are_no_numbers_in_any_float_field(value: float, spelt: str) -> None:
    for field, accepted in (
        ("intensity", "a number from 0 to 1"),
        ("azimuth", "a number from -180 to 180"),
        ("elevation", "a number from -90 to 90"),
        ("distance", "a number from 0.1 to 100"),
        ("color_temperature", "a number from 1700 to 12000"),
        ("softness", "a number from 0 to 1"),
        ("modifier_size", "a number from 0 to 10"),
    ):
        light = {"intensity": 0.5, "azimuth": 10.0, field: value}
        found = messages(refused(lambda light=light: LightSettings(**light)))
        assert found == {field: f"got {spelt}; accepted: {accepted}"}
    for field in ("subject_yaw", "background_distance"):
        scene = {"key": KEY} | {}
        data = {"lighting_setup": scene, field: value}
        assert messages(refused(lambda data=data: parse_scene_request(data)))[field].startswith(
            f"got {spelt}; accepted: a number from "
        )
    for field in ("focal_length", "fov", "aperture", "white_balance"):
        camera = {field: value}
        assert messages(refused(lambda camera=camera: CameraSettings(**camera)))[field].startswith(
            f"got {spelt}; accepted: a number from "
        )


def test_a_numeric_direction_that_is_nan_is_refused_in_words() -> None:
    found = messages(refused(lambda: LightSettings(direction=math.nan, intensity=0.5)))  # type: ignore[arg-type]
    assert "direction" in found
    assert "nan" in found["direction"].lower()


def test_the_shorthand_is_a_scene_request_everywhere() -> None:
    shorthand = {"key": KEY, "fill": {"direction": "front", "intensity": 0.3}}
    full = parse_scene_request({"lighting_setup": shorthand})
    assert parse_scene_request(shorthand) == full
    assert SceneRequest.model_validate(shorthand) == full
    assert SceneRequest.model_validate_json(json.dumps(shorthand)) == full
    assert SceneRequest(**shorthand) == full
    assert full.subject_description == "a person"


def test_a_misspelt_role_is_named_with_a_did_you_mean() -> None:
    error = refused(lambda: parse_scene_request({"kye": {"intensity": 0.8}}))
    assert str(error) == f"lighting_setup.kye: unknown role 'kye' (did you mean 'key'?); {ROLES}"
    error = refused(lambda: parse_scene_request({"keylight": KEY}))
    assert str(error).startswith("lighting_setup.keylight: unknown role 'keylight' (did you mean")


def test_an_extra_role_is_named_and_not_the_valid_one() -> None:
    error = refused(lambda: parse_scene_request({"key": KEY, "spot": {"intensity": 0.3}}))
    assert str(error) == f"lighting_setup.spot: unknown role 'spot'; {ROLES}"
    assert "lighting_setup.key" not in messages(error)
    # the lights of the known roles are still checked, in the same answer
    bad_key = {"key": {**KEY, "intensity": 3}, "spot": {"intensity": 0.3}}
    assert set(messages(refused(lambda: parse_scene_request(bad_key)))) == {
        "lighting_setup.spot",
        "lighting_setup.key.intensity",
    }
    # and in a full scene request just the same
    full = {"lighting_setup": {"key": KEY, "fil": {"direction": "front", "intensity": 0.3}}}
    assert messages(refused(lambda: parse_scene_request(full))) == {
        "lighting_setup.fil": f"unknown role 'fil' (did you mean 'fill'?); {ROLES}"
    }


def test_an_unknown_field_gets_a_did_you_mean() -> None:
    error = refused(lambda: LightSettings(direction="front", intensity=0.5, intensty=0.5))
    assert messages(error)["intensty"].startswith(
        "unknown field 'intensty' (did you mean 'intensity'?); fields: direction, azimuth"
    )
    error = refused(lambda: parse_scene_request({"lighting_setup": {"key": KEY}, "subject": "x"}))
    suggested = "(did you mean 'subject_description' or 'subject_yaw' or 'subject_eye_height'?)"
    assert suggested in messages(error)["subject"]
    error = refused(lambda: parse_scene_request({"key": KEY, "subjet_description": "x"}))
    assert messages(error)["lighting_setup.subjet_description"] == (
        "unknown role 'subjet_description' (a field of the scene request, "
        f"'subject_description', goes beside lighting_setup); {ROLES}"
    )
    error = refused(lambda: parse_scene_request({"key": KEY, "subject_description": "x"}))
    assert messages(error)["key"] == (
        "a light given beside the scene request's fields; put it under lighting_setup "
        '({"lighting_setup": {"key": {...}}})'
    )
    error = refused(lambda: CameraSettings(shot="close-up"))
    assert messages(error)["shot"].startswith("unknown field 'shot' (did you mean 'shot_type'?)")


def test_a_misspelt_field_of_the_request_is_not_taken_for_the_shorthand() -> None:
    error = refused(lambda: parse_scene_request({"lightning_setup": {"key": KEY}}))
    found = messages(error)
    assert "did you mean 'lighting_setup'?" in found["lightning_setup"]
    assert found["lighting_setup"].startswith("missing; give at least a key, e.g. ")


def test_an_empty_setup_says_to_give_a_key() -> None:
    expected = (
        'lighting_setup: no lights; give at least a key, e.g. {"key": {"direction": '
        '"45 degrees camera-left", "intensity": 0.8}}'
    )
    assert str(refused(lambda: parse_scene_request({"lighting_setup": {}}))) == expected
    assert str(refused(lambda: SceneRequest(lighting_setup={}))) == expected


def test_what_is_not_an_object_is_named_by_kind_never_printed_whole() -> None:
    deep: Any = 1
    for _ in range(3000):
        deep = {"a": deep}
    for data, shown in ((deep, None), ([1, 2], "got a list"), ("key", "got 'key'"), (None, "null")):
        message = str(refused(lambda data=data: parse_scene_request(data)))
        if shown is not None:
            assert shown in message
        assert len(message) < 400
    light = refused(lambda: parse_scene_request({"key": 0.8}))
    assert messages(light)["lighting_setup.key"].startswith(
        "got 0.8; accepted: an object with the fields direction, azimuth"
    )
    long = refused(lambda: parse_scene_request({"key": KEY, "subject_description": "x" * 900}))
    assert messages(long)["subject_description"] == (
        "got 900 characters; accepted: text of 1 to 500 characters"
    )


def test_pydantic_s_own_error_is_still_there_for_a_type_adapter() -> None:
    """Only the models' own entry points are lightrig's; validating the type elsewhere (a
    TypeAdapter, FastAPI) still raises Pydantic's error, with lightrig's messages in it."""
    from pydantic import TypeAdapter

    with pytest.raises(ValidationError) as caught:
        TypeAdapter(SceneRequest).validate_python({"kye": {"intensity": 0.8}})
    assert caught.value.errors()[0]["msg"].startswith("unknown role 'kye'")


# --------------------------------------------------------------------------------- the API


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """The app on the preview backend with no user made, on loopback (keys optional)."""
    settings = Settings(data_dir=tmp_path, preview_size=64)
    with TestClient(create_app(settings, allow_anonymous=True)) as found:
        yield found


def problem(response: Any, status: int = 422) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert "\n" not in body["detail"]
    return body


def test_the_api_names_the_field_what_it_got_and_what_is_accepted(client: TestClient) -> None:
    kye = problem(client.post("/v1/analyze", json={"kye": {"intensity": 0.8}}))
    assert kye["detail"] == (
        f"body.lighting_setup.kye: unknown role 'kye' (did you mean 'key'?); {ROLES}"
    )
    assert kye["errors"] == [
        {
            "loc": "body.lighting_setup.kye",
            "message": f"unknown role 'kye' (did you mean 'key'?); {ROLES}",
        }
    ]
    spot = problem(client.post("/v1/prompt", json={"key": KEY, "spot": {"intensity": 0.2}}))
    assert [e["loc"] for e in spot["errors"]] == ["body.lighting_setup.spot"]
    nan = b'{"lighting_setup": {"key": {"direction": "front", "intensity": NaN}}}'
    answer = client.post("/v1/analyze", content=nan, headers={"content-type": "application/json"})
    assert problem(answer)["detail"] == (
        "body.lighting_setup.key.intensity: got NaN; accepted: a number from 0 to 1"
    )
    inf = b'{"key": {"direction": "front", "intensity": 0.5, "distance": Infinity}}'
    answer = client.post("/v1/diagram", content=inf, headers={"content-type": "application/json"})
    assert problem(answer)["detail"] == (
        "body.lighting_setup.key.distance: got Infinity; accepted: a number from 0.1 to 100"
    )
    empty = problem(client.post("/v1/analyze", json={"lighting_setup": {}}))
    assert empty["detail"].startswith("body.lighting_setup: no lights; give at least a key, e.g.")
    extra = problem(client.post("/v1/analyze", json={"key": {**KEY, "intensty": 0.5}}))
    assert "(did you mean 'intensity'?)" in extra["detail"]
    options = problem(client.post("/v1/generations", json={"request": {"key": KEY}, "sed": 1}))
    assert options["errors"][0]["loc"] == "body.sed"
    assert "(did you mean 'seed'?)" in options["errors"][0]["message"]
    size = problem(client.post("/v1/preview", params={"size": 5000}, json={"key": KEY}))
    assert size["errors"][0]["loc"] == "query.size"
    assert "accepted: a number at most 1024" in size["errors"][0]["message"]


def test_one_request_shape_across_the_api(client: TestClient) -> None:
    shorthand = {"key": KEY}
    full = {"lighting_setup": shorthand}
    analysed = client.post("/v1/analyze", json=full).json()
    for body in (shorthand, {"request": full}, {"request": shorthand}):
        answer = client.post("/v1/analyze", json=body)
        assert answer.status_code == 200, answer.text
        assert answer.json() == analysed
        assert client.post("/v1/prompt", json=body).status_code == 200
        assert client.post("/v1/diagram", json=body).status_code == 200
        preview = client.post("/v1/preview", params={"size": 64}, json=body)
        assert preview.status_code == 200
    wrapped_bad = problem(client.post("/v1/analyze", json={"request": {"key": {"intensity": 2}}}))
    assert wrapped_bad["errors"][0]["loc"] == "body.request.lighting_setup.key.intensity"
    made = client.post("/v1/generations", json={"request": shorthand, "seed": 3})
    assert made.status_code == 201, made.text
    assert made.json()["request"]["lighting_setup"]["key"]["intensity"] == 0.8
    batch = client.post("/v1/batches", json={"requests": [shorthand, full]})
    assert batch.status_code == 202, batch.text
    bad_batch = problem(client.post("/v1/batches", json={"requests": [shorthand, {"kye": {}}]}))
    assert bad_batch["errors"][0]["loc"] == "body.requests.1.lighting_setup.kye"
    document = client.get("/openapi.json").json()
    body = document["paths"]["/v1/analyze"]["post"]["requestBody"]["content"]["application/json"]
    branches = body["schema"]["anyOf"]
    assert branches[0] == {"$ref": "#/components/schemas/SceneRequest-Input"}
    assert branches[1]["required"] == ["request"]
    scene = document["components"]["schemas"]["SceneRequest-Input"]
    assert scene["anyOf"][1]["propertyNames"] == {"$ref": "#/components/schemas/LightType"}


def test_deep_json_is_said_to_be_nested_too_deep(client: TestClient) -> None:
    json_type = {"content-type": "application/json"}
    for depth in (MAX_JSON_DEPTH + 1, 5000):
        body = b"[" * depth + b"]" * depth
        answer = problem(client.post("/v1/analyze", content=body, headers=json_type))
        message = f"nested too deep: {depth} levels; accepted up to {MAX_JSON_DEPTH}"
        assert answer["detail"] == f"body: {message}"
        assert answer["errors"] == [{"loc": "body", "message": message}]
    objects = b'{"a": ' * 5000 + b"1" + b"}" * 5000
    answer = problem(client.post("/v1/generations", content=objects, headers=json_type))
    assert "nested too deep: 5000 levels" in answer["detail"]
    # brackets inside strings are text, not levels
    words = {"key": {**KEY, "direction": "[" * 200}}
    answer = problem(client.post("/v1/analyze", json=words))
    assert answer["errors"][0]["loc"] == "body.lighting_setup.key.direction"
    at_limit = b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH
    answer = problem(client.post("/v1/analyze", content=at_limit, headers=json_type))
    assert "nested too deep" not in answer["detail"]


def test_an_empty_bearer_is_no_key_while_no_user_exists(client: TestClient) -> None:
    for header in ("Bearer ", "Bearer", "", "bearer   "):
        answer = client.get("/v1/presets", headers={"Authorization": header})
        assert answer.status_code == 200, (header, answer.text)
    made = client.post("/v1/analyze", json={"key": KEY}, headers={"Authorization": "Bearer "})
    assert made.status_code == 200
    wrong = problem(client.get("/v1/presets", headers={"Authorization": "Bearer lr_nope"}), 401)
    assert "no user has been made yet" in wrong["detail"]
    basic = problem(client.get("/v1/presets", headers={"Authorization": "Basic eDp5"}), 401)
    assert "Bearer <key>" in basic["detail"]


def test_an_empty_bearer_is_refused_once_a_user_exists(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, preview_size=64)
    app = create_app(settings, allow_anonymous=True)
    with TestClient(app) as client:
        client.portal.call(app.state.service.store.create_user, "erin")  # type: ignore[union-attr]
        app.state.authenticator._users_exist = None  # forget the cached answer
        for header in ("Bearer ", "Bearer"):
            problem(client.get("/v1/presets", headers={"Authorization": header}), 401)
        problem(client.get("/v1/presets"), 401)


def test_the_json_logs_carry_no_ansi_colour_message() -> None:
    record = logging.LogRecord("uvicorn.error", logging.INFO, __file__, 1, "Started", None, None)
    record.color_message = "\x1b[32mStarted\x1b[0m"
    record.port = 8000
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert "color_message" not in entry
    assert "\x1b" not in line
    assert entry["msg"] == "Started"
    assert entry["port"] == 8000


def test_a_dependency_that_is_down_is_503_naming_the_setting(client: TestClient) -> None:
    app: Any = client.app
    router = APIRouter()
    secret = "postgresql://lightrig:hunter2@db.internal:5432/lightrig"

    @router.get("/v1/test-dependency-down")
    async def down() -> None:
        raise DependencyUnavailableError(
            "LIGHTRIG_DATABASE_URL", "db.internal:5432: connection refused", service="the database"
        )

    app.include_router(router)
    response = client.get("/v1/test-dependency-down")
    answer = problem(response, 503)
    assert int(response.headers["retry-after"]) >= 1
    assert "LIGHTRIG_DATABASE_URL" in answer["detail"]
    assert "the database" in answer["detail"]
    for leak in ("db.internal", "5432", "hunter2", secret):
        assert leak not in answer["detail"]


def test_what_no_request_model_read_is_worded_the_same_way(client: TestClient) -> None:
    """A query parameter, a missing or unreadable body: Pydantic's or FastAPI's errors, said as
    lightrig says its own (got, accepted)."""
    none = problem(client.post("/v1/analyze"))
    assert none["detail"] == "body: missing; send the request as a JSON document (application/json)"
    size = problem(client.post("/v1/preview", params={"size": "abc"}, json={"key": KEY}))
    assert size["detail"] == "query.size: got 'abc'; accepted: a whole number"
    broken = client.post(
        "/v1/analyze", content=b'{"key": ', headers={"content-type": "application/json"}
    )
    assert problem(broken)["detail"].startswith("body: not valid JSON at character 8: ")
    listed = problem(client.post("/v1/analyze", json=[KEY]))
    assert listed["detail"].startswith("body: got a list; accepted: an object with the fields ")


def test_the_api_s_request_models_word_their_fields_the_same_way() -> None:
    from lightrig.api.schemas import BatchCreate, GenerationCreate, VerifyRequest
    from lightrig.config import BackendName

    request = {"key": {"azimuth": 10, "intensity": 0.5}}
    found = messages(
        refused(
            lambda: GenerationCreate.model_validate(
                {"request": request, "seed": -1, "steps": 0.5, "backend": "nope"}
            )
        )
    )
    assert found == {
        "seed": "got -1; accepted: a whole number from 0 to 2147483647",
        "steps": "got 0.5; accepted: a whole number from 1 to 100",
        "backend": "got 'nope'; accepted: one of "
        + ", ".join(f'"{name}"' for name in typing.get_args(BackendName)),
    }
    batch = refused(lambda: BatchCreate.model_validate({"requests": [request] * 501}))
    assert str(batch) == "requests: got 501 items; accepted: a list of 1 to 500 items"
    verify = refused(lambda: VerifyRequest.model_validate({"image": "", "encoding": "raw"}))
    assert messages(verify) == {
        "image": "got ''; accepted: text of at least 1 character",
        "encoding": 'got \'raw\'; accepted: one of "display", "srgb", "linear"',
    }
