"""The API against its own OpenAPI document: Schemathesis's engine — what ``st run --checks all``
runs — over every operation, with every check and every phase, on a real server.

The app runs for real (uvicorn on a free localhost port, :mod:`tests.apiserver`) on the preview
backend, with Bria and fal.ai on their local mocks for the requests that name them, two users
made with the service's own store (their keys in a Web Fuzzing Commons auth file, so that
``object_level_authorization`` replays one user's reads as the other) and the API's rate limit
out of reach. The phases:

* examples — the document's own examples;
* coverage — boundary values, missing and wrong parameters, undocumented methods;
* fuzzing — Schemathesis's cases, positive and negative, half of the positive ones completed
  with data the service accepts (scene requests, descriptions, a real picture, ids that exist,
  setup names and share tokens),
  so that the answers of success are checked too and not only the refusals;
* stateful — chains that follow the document's links (create a generation → read it, fetch its
  image, re-light, check and delete it; a batch → its progress and its generations; a saved
  setup → read, rename, share (→ the shared setup, read without a key), revoke and delete it)
  and the links Schemathesis infers.

Every check runs on every answer (``CHECKS``, plus ``max_response_time``), failures are
collected (one per operation, check and kind), and the cases run per operation and per check
are printed. Expensive inputs are made cheap just before they are sent — a picture's size over
128 px is sent as 128, a batch of more than 3 requests as its first 3 — only where the value was
valid, so that a valid case stays valid and an invalid one invalid. Generation is deterministic.

Expectations that differ from Schemathesis's defaults, each for a reason (``_EXPECTATIONS``):
a description or a picture that the schema calls valid may still say nothing the service can
read (no light in the words, no picture in the bytes): 422 answers those.

Three kinds of failure are dropped, and counted (``_unexplained_only``): a request refused by
the document only because it gives both of a pair that must agree (a direction and an azimuth, a
softness and a modifier size, a height and an elevation, a focal length and a field of view) and
accepted by the server because they do agree. The document names one of each pair — a JSON
schema cannot say "agree" — while responses give both, and the stateful phase sends a response's
scene request back; the server must read it (the studio does the same). And a request the
document calls valid that the server refuses (422) because a light given a height alone cannot
reach it from the subject's eyes at its distance (``|height − eyes| > distance``, computed here):
a JSON schema cannot relate three numbers either. And the documented 502 of a series on the local
pipeline, whose model folder does not exist here (:func:`_settings`): a generation there is a
background job that fails on its own, but a series waits for its pictures, so its only honest
answer is that the backend failed — any other 5xx there still fails the run.
"""

from __future__ import annotations

import asyncio
import base64
import json
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
import requests
import schemathesis
from hypothesis import strategies as st
from pydantic import SecretStr
from schemathesis import Case, GenerationMode
from schemathesis.config import ChecksConfig, SchemathesisConfig
from schemathesis.core.failures import AcceptedNegativeData, Failure, ServerError
from schemathesis.core.transport import Response
from schemathesis.engine import Status, from_schema
from schemathesis.engine import events as engine_events
from schemathesis.engine.recorder import ScenarioRecorder
from schemathesis.hooks import HookContext
from schemathesis.openapi.checks import RejectedPositiveData

from lightrig.api.app import create_app
from lightrig.api.schemas import MAX_BATCH
from lightrig.backends.base import ASPECT_RATIOS
from lightrig.backends.served import served_models
from lightrig.config import Settings
from lightrig.db.base import MAX_SETUP_NAME, SETUP_NAME_PATTERN
from lightrig.lighting.roles import LightType
from lightrig.lighting.stands import DEFAULT_EYE_HEIGHT_M
from lightrig.lighting.vocabulary import MODEL_NAMES
from lightrig.models.lights import CANONICAL_DIRECTION
from lightrig.models.scene import SceneRequest
from lightrig.presets import PRESETS
from lightrig.testing.mock_bria import MockBriaServer
from lightrig.testing.mock_fal import MockFalServer
from tests.apiserver import serve
from tests.devset import CASES
from tests.strategies import scene_requests

pytestmark = pytest.mark.slow

#: Every check Schemathesis 4.32 has (``st run --checks all``); ``max_response_time`` is on too.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "positive_data_acceptance",
    "negative_data_rejection",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "use_after_free",
    "ensure_resource_availability",
    "ignored_auth",
    "object_level_authorization",
)
#: The slowest answer accepted, seconds (a preview render of 128 px takes well under one).
MAX_RESPONSE_TIME_S = 30.0
#: Cases Hypothesis is asked for per operation in the fuzzing phase.
FUZZING_EXAMPLES = 60
#: The least the whole run must make, across phases and operations.
MIN_TOTAL = 2000

#: Caps on what makes a request expensive: a picture's size (pixels; a 2048 px render takes
#: half a minute) and the items of a batch.
MAX_PICTURE = 128
MAX_BATCH_ITEMS = 3

#: Where Schemathesis's default expectations do not hold, and why (operation ids).
_ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]
_EXPECTATIONS: list[dict[str, Any]] = [
    {
        # words the schema calls valid ("0", "hello") may say nothing about light: the
        # translator answers 422 naming what it would need, which no schema can say
        "include-operation-id": ["translate", "create_from_words"],
        "checks": {"positive_data_acceptance": {"expected-statuses": [*_ACCEPTED, "422"]}},
    },
    {
        # a string the schema calls valid is not a picture unless its bytes decode as one
        # (PNG, JPEG, WebP...): 422 says so, which no schema can say; a relight also answers
        # 422 for words that say nothing about light and for a backend that cannot edit
        # photographs (the local pipeline), which the schema cannot say either — nor can it
        # for re-lighting a re-lit photograph there
        "include-operation-id": [
            "verify",
            "match",
            "create_relight",
            "refine_generation",
            "create_series",
        ],
        "checks": {"positive_data_acceptance": {"expected-statuses": [*_ACCEPTED, "422"]}},
    },
    {
        # a saved setup's text may hold no NUL character (PostgreSQL keeps none in a JSON
        # document, and the store refuses it on every database alike), which the scene
        # request's schema, shared with the operations that store nothing, does not say
        "include-operation-id": ["save_setup"],
        "checks": {"positive_data_acceptance": {"expected-statuses": [*_ACCEPTED, "422"]}},
    },
]


def _settings(data_dir: Path, bria: MockBriaServer, fal: MockFalServer) -> Settings:
    """The preview backend at 64 px by default, everything embedded, and every other backend a
    request may name working too: Bria and fal.ai on their local mocks (polled quickly), the
    local pipeline on a folder that does not exist (its background jobs fail at once instead of
    downloading a model). So no 5xx is expected of any request but a series there, which waits
    for its pictures and is answered the documented 502. Rate limits are out of reach:
    the document's 429 is not what is under test."""
    return Settings(
        data_dir=data_dir,
        preview_size=64,
        backend="preview",
        translator="rules",
        database_url=None,
        storage_url=None,
        redis_url=None,
        bria_base_url=f"{bria.url}/v2",
        bria_api_token=SecretStr(bria.token),
        bria_requests_per_minute=100_000,
        bria_poll_initial_s=0.05,
        bria_poll_max_s=0.2,
        fal_base_url=fal.url,
        fal_key=SecretStr(fal.key),
        fal_requests_per_minute=100_000,
        fal_poll_initial_s=0.05,
        fal_poll_max_s=0.2,
        diffusers_model=str(data_dir / "no-such-model"),
        api_requests_per_minute=1_000_000,
        api_burst=1_000_000,
    )


@dataclass
class Server:
    """The served app: its base URL, the two users' keys, and what exists on it."""

    base_url: str
    keys: dict[str, str]
    generation_ids: list[str] = field(default_factory=list)
    batch_ids: list[str] = field(default_factory=list)
    picture: str = ""
    setup_ids: list[str] = field(default_factory=list)
    share_tokens: list[str] = field(default_factory=list)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """The app served with two users, seeded with generations, a batch, a picture and saved
    setups (one shared)."""
    with (
        MockBriaServer(latency_s=0.05, image_size=32, requests_per_minute=100_000) as bria,
        MockFalServer(latency_s=0.05, image_size=32, requests_per_minute=100_000) as fal,
    ):
        app = create_app(_settings(tmp_path, bria, fal))
        store = app.state.service.store

        async def make_users() -> dict[str, str]:
            await store.migrate()
            keys = {}
            for name in ("alice", "bob"):
                _, keys[name] = await store.create_user(name)
            await store.aclose()  # its connections belong to this event loop, not the server's
            return keys

        keys = asyncio.run(make_users())
        with serve(app) as base_url:
            found = Server(base_url, keys)
            _seed(found)
            yield found


def _seed(server: Server) -> None:
    """Alice's generations (finished and failed), a batch, a picture to check, that picture
    re-lit, and two saved setups, the first shared."""
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {server.keys['alice']}"
        for name, backend in (
            ("rembrandt", "preview"),
            ("loop", "preview"),
            ("split", "diffusers"),
        ):
            scene = PRESETS[name].request().model_dump(mode="json")
            answer = session.post(
                f"{server.base_url}/v1/generations",
                json={"request": scene, "backend": backend},
                timeout=60,
            )
            assert answer.status_code in (201, 202), answer.text
            server.generation_ids.append(answer.json()["generation_id"])
        scenes = [
            PRESETS[name].request().model_dump(mode="json") for name in ("clamshell", "broad")
        ]
        answer = session.post(
            f"{server.base_url}/v1/batches", json={"requests": scenes}, timeout=60
        )
        assert answer.status_code == 202, answer.text
        server.batch_ids.append(answer.json()["batch_id"])
        scene = PRESETS["loop"].request().model_dump(mode="json")
        answer = session.post(f"{server.base_url}/v1/preview?size=96", json=scene, timeout=60)
        assert answer.status_code == 200, answer.text
        server.picture = base64.b64encode(answer.content).decode()
        answer = session.post(
            f"{server.base_url}/v1/relights",
            json={"image": server.picture, "preset": "split"},
            timeout=60,
        )
        assert answer.status_code == 201, answer.text
        server.generation_ids.append(answer.json()["generation_id"])  # one with a source
        for name in ("rembrandt", "split"):
            scene = PRESETS[name].request().model_dump(mode="json")
            answer = session.post(
                f"{server.base_url}/v1/setups", json={"name": name, "request": scene}, timeout=60
            )
            assert answer.status_code == 201, answer.text
            server.setup_ids.append(answer.json()["setup_id"])
        answer = session.post(f"{server.base_url}/v1/setups/{server.setup_ids[0]}/share")
        assert answer.status_code == 201, answer.text
        server.share_tokens.append(answer.json()["token"])


# --- making expensive requests cheap ----------------------------------------------------------


def _capped(value: object, high: int) -> object:
    """A valid size over :data:`MAX_PICTURE` (a whole number up to ``high``; in a query, its
    digits) made that; anything else — an invalid size among them — as it is."""
    number = int(value) if isinstance(value, str) and value.isascii() and value.isdigit() else value
    if isinstance(number, bool) or not isinstance(number, int | float):
        return value
    if not float(number).is_integer() or not MAX_PICTURE < number <= high:
        return value
    return str(MAX_PICTURE) if isinstance(value, str) else MAX_PICTURE


#: The operations that take a FIBO model for a backend that must serve it.
_MODEL_OPERATIONS = frozenset(
    {"POST /v1/generations", "POST /v1/generations/natural-language", "POST /v1/batches"}
)


def _served(case: Case) -> None:
    """A model the named backend does not serve here made the first it does: the pair is a
    422 on ``body.model``, which no schema can say (``tests/test_api.py`` checks the
    refusal); and a gate's cost cap below one image's price there raised to it (a 422 on
    ``body.gate.max_cost_usd`` the schema cannot say either). A value that is no model name,
    or no number, and a backend that is none, are left as they are (negative cases stay so)."""
    body = case.body
    if case.operation.label not in _MODEL_OPERATIONS or not isinstance(body, dict):
        return
    backend = body.get("backend") or "preview"
    if not isinstance(backend, str):
        return
    # as _settings has them: the local pipeline's folder is named for no model (FIBO)
    settings = Settings(diffusers_model="no-such-model")
    served = served_models(backend, settings).models
    model = body.get("model")
    if model in MODEL_NAMES and served and model not in served:
        body["model"] = model = served[0]
    gate = body.get("gate")
    cap = gate.get("max_cost_usd") if isinstance(gate, dict) else None
    price = settings.price_of(backend, model if model in MODEL_NAMES else None)
    if isinstance(cap, int | float) and not isinstance(cap, bool) and 0 <= cap < price:
        gate["max_cost_usd"] = price  # type: ignore[index]  # a dict, as cap says


def _cheap(context: HookContext, case: Case, kwargs: dict[str, Any]) -> None:
    """Schemathesis's ``before_call`` hook: an expensive valid value made a cheap valid one,
    and a model its backend does not serve made one it does (:func:`_served`)."""
    _served(case)
    label = case.operation.label
    if label == "POST /v1/preview" and isinstance(case.query, dict) and "size" in case.query:
        case.query["size"] = _capped(case.query["size"], 1024)
    if not isinstance(case.body, dict):
        return
    if label == "POST /v1/generations" and "size" in case.body:
        case.body["size"] = _capped(case.body["size"], 2048)
    if label == "POST /v1/batches":
        items = case.body.get("requests")
        if isinstance(items, list) and MAX_BATCH_ITEMS < len(items) <= MAX_BATCH:
            case.body["requests"] = items[:MAX_BATCH_ITEMS]
    if label == "POST /v1/series":
        subjects = case.body.get("subjects")
        if isinstance(subjects, list) and len(subjects) > MAX_BATCH_ITEMS:
            case.body["subjects"] = subjects[:MAX_BATCH_ITEMS]


# --- completing positive cases ----------------------------------------------------------------

#: Makes a generated case one the service accepts, drawing what it sets.
Completion = Callable[[Case, st.DrawFn], None]


def _as_documented(scene: dict[str, Any]) -> dict[str, Any]:
    """A scene request as the request schema names it: validated, then each pair that must
    agree given one way (a canonical direction or the angles, the softness, the focal
    length), as a client that reads the document would write it."""
    resolved = SceneRequest.model_validate(scene).model_dump(mode="json")
    for role, light in resolved["lighting_setup"].items():
        given = scene["lighting_setup"][role].get("direction")
        if isinstance(given, str) and re.fullmatch(CANONICAL_DIRECTION, given):
            light["direction"], light["azimuth"] = given, None
        else:
            light["direction"] = None
        light["modifier_size"] = None
    resolved["camera_settings"]["fov"] = None
    return resolved


_SCENES = scene_requests().map(_as_documented)
#: Names a saved setup may have: plain ones, and any the document's pattern allows.
_SETUP_NAMES = st.one_of(
    st.sampled_from(["Portrait", "Key, warm", "Ünïcode — 🙂", "x" * MAX_SETUP_NAME]),
    st.from_regex(SETUP_NAME_PATTERN, fullmatch=True).filter(
        lambda name: len(name) <= MAX_SETUP_NAME
    ),
)
_DESCRIPTIONS = st.sampled_from([case.text for case in CASES])
#: RFC 3339 date-times anywhere in the representable range, in any UTC offset (the ends of
#: the range among them: in UTC they fall outside it).
_INSTANTS = st.one_of(
    st.sampled_from(["0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"]),
    st.datetimes(
        timezones=st.integers(min_value=-14 * 60, max_value=14 * 60).map(
            lambda minutes: timezone(timedelta(minutes=minutes))
        )
    ).map(datetime.isoformat),
)


def _with_body(values: st.SearchStrategy[dict[str, Any]], *, replace: bool = False) -> Completion:
    """A completion setting ``values`` in the case's JSON body (or replacing it)."""

    def complete(case: Case, draw: st.DrawFn) -> None:
        found = draw(values)
        if replace or not isinstance(case.body, dict):
            case.body = found
        else:
            case.body = {**case.body, **found}

    return complete


def _with_path(name: str, values: list[str]) -> Completion:
    def complete(case: Case, draw: st.DrawFn) -> None:
        case.path_parameters = {**(case.path_parameters or {}), name: draw(st.sampled_from(values))}

    return complete


def _with_query(name: str, values: st.SearchStrategy[Any]) -> Completion:
    def complete(case: Case, draw: st.DrawFn) -> None:
        case.query = {**(case.query or {}), name: draw(values)}

    return complete


def _completions(server: Server) -> dict[str, list[Completion]]:
    """Per operation id, how to turn a generated case into one the service accepts (in part:
    the other fields stay as Schemathesis made them)."""
    ratios = st.sampled_from(list(ASPECT_RATIOS))
    scene_body = [_with_body(_SCENES, replace=True)]
    words = st.fixed_dictionaries({"text": _DESCRIPTIONS}, optional={"base": _SCENES})
    # an id with slashes in it (sent as %2F) must be a 404 like any other unknown one
    generation = _with_path("generation_id", [*server.generation_ids, "no/such/generation"])
    setup = _with_path("setup_id", [*server.setup_ids, "no/such/setup"])
    named = _with_body(st.fixed_dictionaries({"name": _SETUP_NAMES}), replace=True)
    relight = st.one_of(
        st.fixed_dictionaries({"request": _SCENES}),
        _SCENES.map(lambda scene: {"lighting_setup": scene["lighting_setup"]}),
    )
    picture = st.fixed_dictionaries(
        {"image": st.just(server.picture)},
        optional={"preset": st.sampled_from(list(PRESETS))},
    )
    return {
        "get_preset": [_with_path("name", list(PRESETS))],
        "list_generations": [
            _with_query("before", _INSTANTS),
            _with_query("batch_id", st.sampled_from(server.batch_ids)),
        ],
        "analyze": scene_body,
        "prompt": scene_body,
        "preview": scene_body,
        "diagram": scene_body,
        "translate": [_with_body(words, replace=True)],
        "create_generation": [
            _with_body(st.fixed_dictionaries({"request": _SCENES, "aspect_ratio": ratios}))
        ],
        "create_from_words": [_with_body(words)],
        "get_generation": [generation],
        "delete_generation": [generation],
        "get_image": [generation],
        "get_source": [generation],
        "verify_generation": [generation],
        "refine_generation": [generation, _with_body(relight, replace=True)],
        "create_batch": [
            _with_body(
                st.fixed_dictionaries(
                    {"requests": st.lists(_SCENES, min_size=1, max_size=MAX_BATCH_ITEMS)}
                )
            )
        ],
        "get_batch": [_with_path("batch_id", server.batch_ids)],
        "save_setup": [
            _with_body(
                st.fixed_dictionaries(
                    {"name": _SETUP_NAMES, "request": _SCENES},
                    optional={"overwrite": st.booleans()},
                ),
                replace=True,
            )
        ],
        "get_setup": [setup],
        "rename_setup": [setup, named],
        "delete_setup": [setup],
        "share_setup": [setup],
        "unshare_setup": [setup],
        "get_shared_setup": [_with_path("token", [*server.share_tokens, "no/such/token"])],
        "verify": [_with_body(picture, replace=True)],
        "match": [
            _with_body(st.fixed_dictionaries({"image": st.just(server.picture)}), replace=True)
        ],
        "create_series": [
            _with_body(
                st.fixed_dictionaries(
                    {
                        "preset": st.sampled_from(list(PRESETS)),
                        "subjects": st.lists(
                            st.one_of(
                                st.fixed_dictionaries({"description": st.just("a man")}),
                                st.fixed_dictionaries({"image": st.just(server.picture)}),
                            ),
                            min_size=1,
                            max_size=MAX_BATCH_ITEMS,
                        ),
                    }
                ),
                replace=True,
            )
        ],
        "create_relight": [
            _with_body(
                st.one_of(
                    st.fixed_dictionaries(
                        {"image": st.just(server.picture), "preset": st.sampled_from(list(PRESETS))}
                    ),
                    st.fixed_dictionaries({"image": st.just(server.picture), "request": _SCENES}),
                ),
                replace=True,
            )
        ],
    }


def _completing(completions: dict[str, list[Completion]]) -> Callable[..., Any]:
    """Schemathesis's ``before_generate_case`` hook: half of the fuzzing phase's positive cases
    of an operation with completions are completed."""

    def before_generate_case(
        context: HookContext, strategy: st.SearchStrategy[Case]
    ) -> st.SearchStrategy[Case]:
        operation = context.operation
        found = (
            completions.get(operation.definition.raw.get("operationId", "")) if operation else None
        )
        if not found:
            return strategy

        @st.composite
        def completed(draw: st.DrawFn) -> Case:
            case = draw(strategy)
            meta = case.meta
            # the fuzzing phase's only: the stateful phase's ids come from the links
            fuzzing = meta is not None and meta.phase.name == "fuzzing"
            positive = meta is not None and meta.generation.mode is GenerationMode.POSITIVE
            if fuzzing and positive and draw(st.booleans()):
                for complete in found:
                    complete(case, draw)
            return case

        return completed()

    return before_generate_case


# --- the kinds of failure dropped -----------------------------------------------------------------

#: The pairs that must agree, and which of each a request as the document names it keeps.
_PAIRS = (
    ("direction", "azimuth"),
    ("softness", "modifier_size"),
    ("elevation", "height"),
    ("focal_length", "fov"),
)
#: A light's distance when a request names none, metres (LightSettings' default).
_DEFAULT_DISTANCE_M = 1.5
_ROLES = frozenset(role.value for role in LightType)


def _one_way(value: Any) -> Any:
    """``value`` (JSON) with each pair that must agree given one way: the direction when it is
    one the document names, else the angles; the softness; the focal length."""
    if isinstance(value, list):
        return [_one_way(item) for item in value]
    if not isinstance(value, dict):
        return value
    found = {name: _one_way(item) for name, item in value.items()}
    for first, second in _PAIRS:
        if found.get(first) is None or found.get(second) is None:
            continue
        words = found[first]
        named = not isinstance(words, str) or re.fullmatch(CANONICAL_DIRECTION, words)
        found[second if first != "direction" or named else first] = None
    return found


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _setup_out_of_reach(setup: dict[str, Any], eye: float) -> bool:
    """Whether a light of ``setup`` (JSON) is given a height alone that it cannot reach from
    eyes ``eye`` metres high at its distance."""
    for light in setup.values():
        if not isinstance(light, dict) or light.get("elevation") is not None:
            continue
        height = _number(light.get("height"))
        distance = _number(light.get("distance", _DEFAULT_DISTANCE_M))
        if height is not None and distance is not None and abs(height - eye) > distance:
            return True
    return False


def _out_of_reach(value: Any) -> bool:
    """Whether ``value`` (JSON) holds a scene request — or the shorthand, a setup keyed by role
    — with a light given a height alone out of its reach (the server refuses it)."""
    if isinstance(value, list):
        return any(_out_of_reach(item) for item in value)
    if not isinstance(value, dict):
        return False
    setup = value.get("lighting_setup")
    if isinstance(setup, dict):
        eye = _number(value.get("subject_eye_height", DEFAULT_EYE_HEIGHT_M))
        if eye is not None and _setup_out_of_reach(setup, eye):
            return True
    elif value and set(value) <= _ROLES and _setup_out_of_reach(value, DEFAULT_EYE_HEIGHT_M):
        return True
    return any(_out_of_reach(item) for item in value.values())


def _local_series_failed(case: Case, response: Response) -> bool:
    """Whether ``response`` is a series on the local pipeline answered with the documented 502
    for a model that cannot be loaded (its folder does not exist here)."""
    if case.operation.label != "POST /v1/series" or not isinstance(case.body, dict):
        return False
    if case.body.get("backend") != "diffusers" or response.status_code != 502:
        return False
    try:
        problem = json.loads(response.content)
    except ValueError:
        return False
    return isinstance(problem, dict) and "cannot load the FIBO pipeline" in str(
        problem.get("detail", "")
    )


def _unexplained_only(document: dict[str, Any]) -> Callable[..., bool]:
    """Schemathesis's ``filter_failure`` hook: drops an accepted request the document refuses
    only because it gives both of a pair that must agree (and the server found they do), and a
    refused request the document accepts whose light is given a height out of its reach."""

    def filter_failure(
        context: HookContext, failure: Failure, case: Case, response: Response
    ) -> bool:
        if isinstance(failure, ServerError) and _local_series_failed(case, response):
            return False
        if isinstance(failure, RejectedPositiveData):
            return not (response.status_code == 422 and _out_of_reach(case.body))
        if not isinstance(failure, AcceptedNegativeData) or not isinstance(case.body, dict):
            return True
        reduced = _one_way(case.body)
        if reduced == case.body:
            return True
        operation = document["paths"][case.operation.path][case.method.lower()]
        schema = operation["requestBody"]["content"]["application/json"]["schema"]
        validator = jsonschema_rs.validator_for({**schema, "components": document["components"]})
        return not validator.is_valid(reduced)

    return filter_failure


# --- the run ----------------------------------------------------------------------------------


def _config(server: Server, auth_file: Path) -> SchemathesisConfig:
    return SchemathesisConfig.from_dict(
        {
            "base-url": server.base_url,
            "workers": 2,
            "request-timeout": 60,
            "continue-on-failure": True,
            # no cache: a run neither reads what an earlier one kept nor writes into the tree
            "cache": {"enabled": False},
            "generation": {
                "deterministic": True,
                "database": "none",
                "max-examples": FUZZING_EXAMPLES,
                "no-shrink": True,
            },
            "checks": {
                **{name: {"enabled": True} for name in CHECKS},
                "max_response_time": MAX_RESPONSE_TIME_S,
            },
            "phases": {
                "examples": {"enabled": True, "fill-missing": True},
                "coverage": {"enabled": True},
                "fuzzing": {"enabled": True},
                "stateful": {"enabled": True},
            },
            # every request is alice's (pinned: never another user's after a refusal); bob's
            # key is for object_level_authorization, which replays her reads as him
            "auth": {"wfc": {"path": str(auth_file), "user": "alice", "peers": list(server.keys)}},
            "operations": _EXPECTATIONS,
        }
    )


def _auth_file(server: Server, folder: Path) -> Path:
    """The users' keys as a Web Fuzzing Commons auth document (alice first: she is the one
    requests are made as; bob is the peer her reads are replayed as)."""
    path = folder / "auth.json"
    users = [
        {
            "name": name,
            "fixedHeaders": [{"name": "Authorization", "value": f"Bearer {key}"}],
        }
        for name, key in server.keys.items()
    ]
    path.write_text(json.dumps({"auth": users}))
    return path


@dataclass
class Record:
    """What the run did: cases per operation and phase, checks run and failed, failures."""

    cases: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    statuses: dict[str, Counter[int]] = field(default_factory=lambda: defaultdict(Counter))
    checks: Counter[str] = field(default_factory=Counter)
    failed_checks: Counter[str] = field(default_factory=Counter)
    failures: dict[tuple[str, ...], str] = field(default_factory=dict)
    #: failures the filter dropped (a pair given both ways, and agreeing; a height out of reach;
    #: a series on the local pipeline with no model)
    dropped: int = 0
    #: scenarios Schemathesis itself crashed in before sending (see :data:`_TOOL_CRASH`)
    tool_crashes: int = 0

    def add(self, phase: str, recorder: ScenarioRecorder) -> None:
        self.dropped += sum(recorder.filtered_failures.values())
        for case_id, node in recorder.cases.items():
            interaction = recorder.interactions.get(case_id)
            if interaction is None:
                continue  # never sent
            label = node.value.operation.label
            self.cases[label][phase] += 1
            if interaction.response is not None:
                self.statuses[label][interaction.response.status_code] += 1
        for case_id, checks in recorder.checks.items():
            node = recorder.cases.get(case_id)
            label = node.value.operation.label if node is not None else recorder.label
            for check in checks:
                self.checks[check.name] += 1
                if check.status is Status.SUCCESS:
                    continue
                self.failed_checks[check.name] += 1
                failure = check.failure_info.failure if check.failure_info else None
                title = failure.title if failure is not None else check.status.value
                message = failure.message if failure is not None else ""
                sample = check.failure_info.code_sample if check.failure_info else ""
                key = (phase, label, check.name, title)
                self.failures.setdefault(key, f"{' · '.join(key)}\n{message}\n{sample}")

    def error(self, phase: str, label: str, text: str) -> None:
        self.failures.setdefault((phase, label, "error"), f"{phase} · {label}: {text}")

    @property
    def total(self) -> int:
        return sum(sum(phases.values()) for phases in self.cases.values())

    def report(self) -> str:
        phases = ["examples", "coverage", "fuzzing", "stateful"]
        head = f"{'operation':<48}" + "".join(f"{phase:>10}" for phase in phases)
        lines = [f"{head}     total  statuses"]
        for label in sorted(self.cases):
            counts = self.cases[label]
            row = "".join(f"{counts[phase]:>10}" for phase in phases)
            answers = ", ".join(f"{code}×{n}" for code, n in sorted(self.statuses[label].items()))
            lines.append(f"{label:<48}{row}{sum(counts.values()):>10}  {answers}")
        totals = "".join(f"{sum(c[phase] for c in self.cases.values()):>10}" for phase in phases)
        lines.append(f"{'total':<48}{totals}{self.total:>10}")
        lines.append("")
        lines.append(f"{'check':<48}{'run':>10}{'failed':>10}")
        for name in sorted(self.checks):
            lines.append(f"{name:<48}{self.checks[name]:>10}{self.failed_checks[name]:>10}")
        lines.append(
            f"dropped: {self.dropped} (a pair that must agree given both ways, agreeing; "
            "a height given alone out of its light's reach; a series on the local pipeline, "
            "which has no model here, answered 502)"
        )
        lines.append(f"Schemathesis's own crashes ({_TOOL_CRASH}): {self.tool_crashes}")
        return "\n".join(lines)


#: The text of CPython's SystemError when a recursion limit is hit while it builds an AST.
_TOOL_CRASH = "AST constructor recursion depth mismatch"


def _run(schema: Any) -> Record:
    record = Record()
    for event in from_schema(schema).execute():
        if isinstance(event, engine_events.ScenarioFinished):
            record.add(event.phase.value, event.recorder)
        elif isinstance(event, engine_events.NonFatalError):
            if _TOOL_CRASH in str(event.value):
                # CPython's own SystemError inside Schemathesis's generation (a RecursionError
                # caught mid-AST-conversion on a deeply nested case): no request was answered,
                # so nothing of the API is at fault; counted and shown, not a failure
                record.tool_crashes += 1
                continue
            record.error(str(event.phase), event.label, _told(event.value))
        elif isinstance(event, engine_events.FatalError):
            raise event.exception
    return record


def _told(error: BaseException) -> str:
    """``error`` with what it groups (Hypothesis's "inconsistent results" holds the first
    run's failure), so that a run's report says what failed, not only that something did."""
    parts = [str(error)]
    for inner in getattr(error, "exceptions", ()):
        parts.append(f"  - {type(inner).__name__}: {_told(inner)}")
    return "\n".join(parts)


def test_every_check_holds_for_every_operation(
    server: Server, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = _config(server, _auth_file(server, tmp_path))
    schema = schemathesis.openapi.from_url(f"{server.base_url}/openapi.json", config=config)
    schema.hooks.register_hook_with_name(_completing(_completions(server)), "before_generate_case")
    schema.hooks.register_hook_with_name(_unexplained_only(schema.raw_schema), "filter_failure")
    # Schemathesis calls `before_call` hooks from its global registry only
    schemathesis.hooks.GLOBAL_HOOK_DISPATCHER.register_hook_with_name(_cheap, "before_call")
    try:
        record = _run(schema)
    finally:
        schemathesis.hooks.unregister(_cheap)

    with capsys.disabled():
        print(f"\n{record.report()}")
    summary = "\n".join(" · ".join(key) for key in record.failures)
    details = "\n\n".join(record.failures.values())
    assert not record.failures, f"{len(record.failures)} distinct failures:\n{summary}\n\n{details}"
    assert set(CHECKS) <= set(record.checks) | {"object_level_authorization", "use_after_free"}
    assert record.total >= MIN_TOTAL


def test_the_list_of_checks_is_schemathesis_s_own() -> None:
    """``CHECKS`` is every built-in check Schemathesis has (a new one must be added here)."""
    names = {f.name for f in fields(ChecksConfig) if not f.name.startswith("_")}
    assert names == {*CHECKS, "max_response_time"}
