"""The API against its own OpenAPI document: Schemathesis generates requests for every operation
from ``/openapi.json`` and checks each answer — no 5xx, and every status code, content type,
header and body as the document says.

The app runs for real (uvicorn on a free localhost port, :mod:`tests.apiserver`) on the preview
backend, with Bria and fal.ai on their local mocks for the requests that name them, and an API
key made with the service's own store before the run. Every operation gets

* positive cases: Schemathesis's own, half of them completed with data the service accepts
  (valid scene requests, descriptions, known generation / batch / preset ids), so that the
  answers of success are checked too and not only the 422s that free-form input mostly earns;
* negative cases: input the document forbids, which must be refused as documented.

Hypothesis is derandomized (the same cases on every run), without deadlines or a database.
Expensive inputs are capped in the copy of the document generation reads (not in the one
answers are checked against): preview and generation sizes at 128 px, batches at 3 requests.
Every failure is collected, so one run lists them all; the cases run per operation are printed.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from pydantic import SecretStr
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lightrig.api.app import create_app
from lightrig.backends.base import ASPECT_RATIOS
from lightrig.config import Settings
from lightrig.presets import PRESETS
from lightrig.testing.mock_bria import MockBriaServer
from lightrig.testing.mock_fal import MockFalServer
from tests.apiserver import serve
from tests.devset import CASES
from tests.strategies import scene_requests

#: Cases Hypothesis is asked for per operation (fewer run where fewer distinct inputs exist).
POSITIVE_EXAMPLES = 30
NEGATIVE_EXAMPLES = 10
#: The least the whole run must make, across all operations.
MIN_TOTAL = 300

#: Caps on what makes a request expensive: the preview's and a generation's picture size
#: (pixels; a 2048 px generation renders for half a minute) and the items of a batch.
MAX_PICTURE = 128
MAX_BATCH_ITEMS = 3

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]

HYPOTHESIS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    # no shrinking: it would replay failing requests many times; failures are recorded as found
    phases=[Phase.generate],
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)


def _settings(data_dir: Path, bria: MockBriaServer, fal: MockFalServer) -> Settings:
    """The preview backend at 64 px by default, everything embedded, and every other backend a
    request may name working too: Bria and fal.ai on their local mocks (polled quickly), the
    local pipeline on a folder that does not exist (its background jobs fail at once instead of
    downloading a model). So no 5xx is expected of any request. Rate limits are out of reach:
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


def _affordable(document: dict[str, Any]) -> dict[str, Any]:
    """A copy of the OpenAPI document whose expensive request parameters are capped (these
    schemas describe requests only, so answers are still checked against the original)."""
    capped = copy.deepcopy(document)
    operation = capped["paths"]["/v1/preview"]["post"]
    for parameter in operation["parameters"]:
        if parameter["name"] == "size":
            parameter["schema"]["maximum"] = MAX_PICTURE
    schemas = capped["components"]["schemas"]
    size = schemas["GenerationCreate"]["properties"]["size"]
    for option in size.get("anyOf", [size]):
        if option.get("type") == "integer":
            option["maximum"] = MAX_PICTURE
    schemas["BatchCreate"]["properties"]["requests"]["maxItems"] = MAX_BATCH_ITEMS
    return capped


@dataclass
class Known:
    """Things that exist on the server, for path parameters that would otherwise never
    name one."""

    generation_ids: list[str]
    batch_ids: list[str]
    preset_names: list[str] = field(default_factory=lambda: list(PRESETS))


@dataclass
class Tally:
    """What one operation's run did."""

    positive: int = 0
    negative: int = 0
    statuses: Counter[int] = field(default_factory=Counter)


#: Makes a generated case one the service accepts, drawing what it sets.
Completion = Callable[[Case, st.DrawFn], None]

_DESCRIPTIONS = st.sampled_from([case.text for case in CASES])
_SCENES = scene_requests()


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


def _completions(known: Known) -> dict[str, list[Completion]]:
    """Per operation, how to turn a generated case into one the service accepts (in part:
    the other fields stay as Schemathesis made them)."""
    ratios = st.sampled_from(list(ASPECT_RATIOS))
    scene_body = [_with_body(_SCENES, replace=True)]
    words = st.fixed_dictionaries({"text": _DESCRIPTIONS}, optional={"base": _SCENES})
    # an id with slashes in it (sent as %2F) must be a 404 like any other unknown one
    generation = _with_path("generation_id", [*known.generation_ids, "no/such/generation"])
    relight = st.one_of(
        st.fixed_dictionaries({"request": _SCENES}),
        _SCENES.map(lambda scene: {"lighting_setup": scene["lighting_setup"]}),
    )
    return {
        "GET /v1/presets/{name}": [_with_path("name", known.preset_names)],
        "GET /v1/generations": [
            _with_query("before", _INSTANTS),
            _with_query("batch_id", st.sampled_from(known.batch_ids)),
        ],
        "POST /v1/analyze": scene_body,
        "POST /v1/prompt": scene_body,
        "POST /v1/preview": scene_body,
        "POST /v1/diagram": scene_body,
        "POST /v1/translate": [_with_body(words, replace=True)],
        "POST /v1/generations": [
            _with_body(st.fixed_dictionaries({"request": _SCENES, "aspect_ratio": ratios}))
        ],
        "POST /v1/generations/natural-language": [_with_body(words)],
        "GET /v1/generations/{generation_id}": [generation],
        "DELETE /v1/generations/{generation_id}": [generation],
        "GET /v1/generations/{generation_id}/image": [generation],
        "POST /v1/generations/{generation_id}/refine": [
            generation,
            _with_body(relight, replace=True),
        ],
        "POST /v1/batches": [
            _with_body(
                st.fixed_dictionaries(
                    {"requests": st.lists(_SCENES, min_size=1, max_size=MAX_BATCH_ITEMS)}
                )
            )
        ],
        "GET /v1/batches/{batch_id}": [_with_path("batch_id", known.batch_ids)],
    }


def _positive_cases(
    operation: schemathesis.APIOperation, completions: list[Completion]
) -> st.SearchStrategy[Case]:
    """Schemathesis's cases, and as many of them completed (when there is a completion)."""
    generated: st.SearchStrategy[Case] = operation.as_strategy()
    if not completions:
        return generated

    @st.composite
    def completed(draw: st.DrawFn) -> Case:
        case = draw(generated)
        for complete in completions:
            complete(case, draw)
        return case

    return st.one_of(generated, completed())


@pytest.fixture
def api(tmp_path: Path) -> Iterator[tuple[str, str]]:
    """The served app's base URL and an API key made with its service's store."""
    with (
        MockBriaServer(latency_s=0.05, image_size=32, requests_per_minute=100_000) as bria,
        MockFalServer(latency_s=0.05, image_size=32, requests_per_minute=100_000) as fal,
    ):
        app = create_app(_settings(tmp_path, bria, fal))
        store = app.state.service.store

        async def make_user() -> str:
            await store.migrate()
            _, key = await store.create_user("schemathesis")
            await store.aclose()  # its connections belong to this event loop, not the server's
            return key

        key = asyncio.run(make_user())
        with serve(app) as base_url:
            yield base_url, key


def _seed(session: requests.Session, base_url: str) -> Known:
    """Generations (finished and failed) and a batch to refer to."""
    generation_ids = []
    for name, backend in (("rembrandt", "preview"), ("loop", "preview"), ("split", "diffusers")):
        scene = PRESETS[name].request().model_dump(mode="json")
        answer = session.post(
            f"{base_url}/v1/generations", json={"request": scene, "backend": backend}, timeout=60
        )
        assert answer.status_code in (201, 202), answer.text
        generation_ids.append(answer.json()["generation_id"])
    scenes = [PRESETS[name].request().model_dump(mode="json") for name in ("clamshell", "broad")]
    answer = session.post(f"{base_url}/v1/batches", json={"requests": scenes}, timeout=60)
    assert answer.status_code == 202, answer.text
    return Known(generation_ids=generation_ids, batch_ids=[answer.json()["batch_id"]])


@dataclass
class Run:
    """Sends cases to the server, checks each answer and keeps count; failures are collected
    (one per operation and kind), not raised, so that one run finds them all."""

    session: requests.Session
    base_url: str
    headers: dict[str, str]
    tallies: dict[str, Tally] = field(default_factory=dict)
    failures: dict[tuple[str, ...], str] = field(default_factory=dict)

    def check(self, case: Case, *, negative: bool) -> None:
        """Send ``case`` and run every check on the answer."""
        label = case.operation.label
        tally = self.tallies.setdefault(label, Tally())
        if negative:
            tally.negative += 1
        else:
            tally.positive += 1
        headers = self.headers
        try:
            response = case.call(
                base_url=self.base_url, session=self.session, headers=headers, timeout=60
            )
        except requests.RequestException as error:
            self.failures.setdefault((label, type(error).__name__), f"{label}: {error}")
            return
        tally.statuses[response.status_code] += 1
        try:
            case.validate_response(
                response,
                checks=CHECKS,
                headers=headers,
                transport_kwargs={"base_url": self.base_url, "session": self.session},
            )
        except (Exception, BaseExceptionGroup) as error:
            parts = getattr(error, "exceptions", None) or [error]
            kinds = sorted(getattr(part, "title", type(part).__name__) for part in parts)
            key = (label, str(response.status_code), *kinds)
            self.failures.setdefault(key, f"{label}: {error}")

    def explore(self, strategy: st.SearchStrategy[Case], examples: int, *, negative: bool) -> None:
        """Check up to ``examples`` cases drawn from ``strategy``."""

        @settings(HYPOTHESIS, max_examples=examples)
        @given(case=strategy)
        def explore(case: Case) -> None:
            self.check(case, negative=negative)

        explore()

    def report(self) -> str:
        """Cases run per operation, and the statuses they were answered with."""
        lines = [f"{'operation':<48} {'positive':>8} {'negative':>8}  statuses"]
        for label, tally in self.tallies.items():
            statuses = ", ".join(f"{code}×{n}" for code, n in sorted(tally.statuses.items()))
            lines.append(f"{label:<48} {tally.positive:>8} {tally.negative:>8}  {statuses}")
        lines.append(f"{'total':<48} {self.total:>17}")
        return "\n".join(lines)

    @property
    def total(self) -> int:
        return sum(tally.positive + tally.negative for tally in self.tallies.values())


def test_every_operation_conforms_to_the_openapi_document(
    api: tuple[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    base_url, key = api
    headers = {"Authorization": f"Bearer {key}"}
    with requests.Session() as session:
        session.headers.update(headers)
        document = session.get(f"{base_url}/openapi.json", timeout=30).json()
        known = _seed(session, base_url)
        schema = schemathesis.openapi.from_dict(_affordable(document))
        operations = [result.ok() for result in schema.get_all_operations()]
        # deleting last leaves the known generations to the other operations
        operations.sort(key=lambda operation: operation.method.upper() == "DELETE")
        completions = _completions(known)
        run = Run(session, base_url, headers)
        for operation in operations:
            completing = completions.get(operation.label, [])
            run.explore(_positive_cases(operation, completing), POSITIVE_EXAMPLES, negative=False)
            # no input the document forbids exists for some (no parameters, or only free text)
            with contextlib.suppress(Unsatisfiable):
                negative = operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
                run.explore(negative, NEGATIVE_EXAMPLES, negative=True)

    with capsys.disabled():
        print(f"\n{run.report()}")
    summary = "\n".join(" · ".join(key) for key in run.failures)
    details = "\n\n".join(run.failures.values())
    assert not run.failures, f"{len(run.failures)} distinct failures:\n{summary}\n\n{details}"
    assert run.total >= MIN_TOTAL
