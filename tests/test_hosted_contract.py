"""The hosted backends' half of the image-backend contract, run against Bria and fal.ai (their
mock hosts, over real HTTP): a job is submitted once and collected by whoever runs next
(resumable), polls ride out the host's hiccups, refusals and failed jobs are one-line errors,
the total time allowed is kept — and a submission is charged once: an answer that leaves
unknown whether the host took it ends the job as an error saying so, unless the backend's
``LIGHTRIG_<BACKEND>_RESUBMIT_UNKNOWN`` allows sending it again, and then every possible
duplicate is counted (a batch against a host that accepts then fails, run both ways).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from lightrig.api.metrics import Metrics
from lightrig.backends.base import BackendImage, GenerationParams, ResumableBackend
from lightrig.errors import FIBOGenerationError
from lightrig.fibo.compile import compile_prompt
from lightrig.models.generation import GenerationResponse, GenerationStatus
from lightrig.presets import PRESETS
from lightrig.service import LightingGenerationService
from tests.hosts import HOSTS, Host, mock_host, run_on

REQUEST = PRESETS["loop"].request()
PROMPT = compile_prompt(REQUEST)

#: Answers to a submission that leave unknown whether the host took it, and whether it had.
UNKNOWN = {
    "5xx": False,
    "drop": False,
    "malformed": False,
    "accept_5xx": True,
    "accept_drop": True,
    "accept_malformed": True,
    "timeout": True,  # handled, but the answer comes after the client gave up
}


@pytest.fixture(params=HOSTS)
def host(request: pytest.FixtureRequest) -> Iterator[Host]:
    with mock_host(request.param) as found:
        yield found


def generate(host: Host, seed: int = 5, **values: Any) -> BackendImage:
    made: BackendImage = run_on(
        host.backend(**values),
        lambda b: b.generate(PROMPT, REQUEST, GenerationParams(seed=seed)),
    )
    return made


# --- submit, poll, collect, resume ----------------------------------------------------------


def test_a_job_is_submitted_once_and_collected_by_another_process(host: Host) -> None:
    params = GenerationParams(seed=31)
    first = host.backend()
    assert isinstance(first, ResumableBackend)
    assert first.resumable
    submitted = run_on(first, lambda b: b.submit(PROMPT, REQUEST, params))
    assert submitted.request_id in host.server.job_ids
    assert submitted.possible_duplicates == 0
    # the process that submitted is gone; another one collects the job from its id alone
    made: BackendImage = run_on(host.backend(), lambda b: b.collect(submitted.request_id, params))
    assert made.request_id == submitted.request_id
    assert made.seed == 31
    assert made.structured_prompt == PROMPT
    assert host.server.accepted == 1
    assert host.server.requests_by_endpoint[host.submit] == 1


def test_generate_is_submit_then_collect(host: Host) -> None:
    made = generate(host, seed=9)
    assert made.request_id in host.server.job_ids
    assert host.server.requests_by_endpoint[host.status] >= 1
    assert host.server.accepted_by_seed == {9: 1}


def test_polls_ride_out_timeouts_drops_garbage_and_limits(host: Host) -> None:
    host.server.script(host.status, "timeout", "drop", "malformed", "429", "5xx")
    made = generate(host, request_timeout_s=0.5)
    assert made.width == 48
    assert host.server.accepted == 1


def test_a_429_on_submission_is_waited_out_and_sent_once_more(host: Host) -> None:
    host.server.script(host.submit, "429")
    start = time.monotonic()
    made = generate(host)
    assert time.monotonic() - start >= 1.0  # the mock asks for Retry-After: 1
    assert made.possible_duplicates == 0
    assert host.server.accepted == 1
    assert host.server.requests_by_endpoint[host.submit] == 2


def test_a_refused_credential_is_one_line_and_never_retried(host: Host) -> None:
    wrong = {"bria_api_token" if host.name == "bria" else "fal_key": SecretStr("s3cret-wrong")}
    with pytest.raises(FIBOGenerationError) as caught:
        generate(host, **wrong)
    assert caught.value.status_code == 401
    assert not caught.value.retryable
    assert "answered 401 (the API key or token was refused)" in str(caught.value)
    assert "s3cret-wrong" not in str(caught.value)
    assert "\n" not in str(caught.value)
    assert host.server.requests_by_endpoint[host.submit] == 1


def test_a_job_that_fails_on_the_host_names_it(host: Host) -> None:
    host.server.script(host.submit, "error")
    with pytest.raises(FIBOGenerationError) as caught:
        generate(host)
    assert not caught.value.retryable
    assert host.server.accepted == 1
    if host.name == "bria":
        assert caught.value.request_id in host.server.job_ids
        assert "could not generate request" in str(caught.value)
    else:  # fal reports it when the result is fetched: a 422 naming the field
        assert caught.value.status_code == 422
        assert "body.structured_prompt" in str(caught.value)


def test_the_total_time_allowed_is_kept(host: Host) -> None:
    host.server.latency_s = 5.0
    start = time.monotonic()
    with pytest.raises(FIBOGenerationError, match="did not finish within 1 s") as caught:
        generate(host, total_timeout_s=1.0)
    assert time.monotonic() - start < 2.5
    assert caught.value.timed_out
    assert caught.value.request_id in host.server.job_ids  # it may still finish there


def test_a_host_that_is_down_is_unhealthy(host: Host) -> None:
    backend = host.backend()
    host.server.stop()
    health = run_on(backend, lambda b: b.health())
    assert health.status == "unhealthy"
    assert health.detail.startswith(f"cannot reach {backend.title}")


# --- charged once -----------------------------------------------------------------------------


@pytest.mark.parametrize("fault", sorted(UNKNOWN))
def test_an_answer_of_unknown_fate_is_not_sent_again_by_default(host: Host, fault: str) -> None:
    host.server.script(host.submit, fault)
    with pytest.raises(FIBOGenerationError) as caught:
        generate(host, request_timeout_s=0.5)
    message = str(caught.value)
    assert f"{host.name} may have accepted the generation" in message
    assert "not submitting it again, to avoid a second charge" in message
    assert f"LIGHTRIG_{host.name.upper()}_RESUBMIT_UNKNOWN=true allows it" in message
    assert "\n" not in message
    assert not caught.value.retryable  # a job retry would be a second submission
    assert caught.value.possible_duplicates == 0
    assert host.server.requests_by_endpoint[host.submit] == 1
    assert host.server.accepted == int(UNKNOWN[fault])
    if fault == "accept_5xx":  # the 502 named the job it took
        (taken,) = host.server.job_ids
        assert caught.value.request_id == taken
        assert f"(request id {taken})" in message


@pytest.mark.parametrize("fault", sorted(UNKNOWN))
def test_when_allowed_a_resent_submission_is_counted_as_a_possible_duplicate(
    host: Host, fault: str
) -> None:
    host.server.script(host.submit, fault)
    made = generate(host, seed=12, request_timeout_s=0.5, **host.resubmit())
    assert made.possible_duplicates == 1
    assert host.server.requests_by_endpoint[host.submit] == 2
    assert host.server.accepted_by_seed[12] == 1 + int(UNKNOWN[fault])  # billed twice, or not


def test_when_every_try_is_of_unknown_fate_the_error_counts_them(host: Host) -> None:
    host.server.script(host.submit, "accept_5xx", "5xx", "accept_drop")
    with pytest.raises(FIBOGenerationError) as caught:
        generate(host, retry_attempts=3, **host.resubmit())
    assert "after 3 tries" in str(caught.value)
    assert not caught.value.retryable
    assert caught.value.possible_duplicates == 2  # three may have been billed: one, plus two
    assert host.server.accepted == 2


def test_a_refusal_after_an_unknown_answer_still_says_it_may_have_been_taken(host: Host) -> None:
    host.server.script(host.submit, "accept_5xx", "429")
    with pytest.raises(FIBOGenerationError) as caught:
        generate(host, retry_attempts=2, **host.resubmit())
    assert "1 earlier submission of it may have been accepted" in str(caught.value)
    assert not caught.value.retryable
    assert host.server.accepted == 1


# --- a batch against a host that accepts then fails, both ways ------------------------------

BATCH = 40


def faulty(host: Host) -> None:
    """About 30 % of requests fault; 60 % of the 5xx, drops and garbage on a submission come
    after the host took the job."""
    server = host.server
    server.latency_s = 0.05
    server.rate_5xx, server.rate_drop, server.rate_malformed, server.rate_429 = (
        0.15,
        0.05,
        0.05,
        0.05,
    )
    server.accept_then_fail = 0.6
    server.fault_seed = 17


def run_batch(host: Host, tmp_path: Path, **values: Any) -> tuple[list[GenerationResponse], float]:
    settings = host.settings(
        tmp_path, verify_images=False, retry_attempts=12, batch_concurrency=8, **values
    )
    metrics = Metrics()

    async def run() -> list[GenerationResponse]:
        async with LightingGenerationService(settings) as service:
            service.runner.observers.append(metrics.generation_finished)
            requests = [PRESETS[name].request() for name in list(PRESETS)[:4]] * (BATCH // 4)
            await service.batch_generate(requests)
            return await service.history(limit=BATCH)

    records = asyncio.run(run())
    counted = metrics.registry.get_sample_value(
        "lightrig_possible_duplicate_submissions_total", {"backend": host.name}
    )
    return records, counted or 0.0


def unknown_answers(host: Host, *, taken: bool | None = None) -> int:
    """The answers to submissions that left acceptance unknown (``taken``: only those after
    which the host had the job, or had not)."""
    served = host.server.faults_served
    return sum(
        count
        for (endpoint, fault), count in served.items()
        if endpoint == host.submit
        and fault in UNKNOWN
        and (taken is None or UNKNOWN[fault] is taken)
    )


def test_a_faulty_batch_by_default_sends_nothing_twice_and_every_job_ends(
    host: Host, tmp_path: Path
) -> None:
    faulty(host)
    records, counted = run_batch(host, tmp_path)
    assert len(records) == BATCH
    assert {r.status for r in records} <= {GenerationStatus.SUCCESS, GenerationStatus.ERROR}
    server = host.server
    assert len(server.accepted_by_seed) == server.accepted  # no seed submitted twice
    retried = server.faults_served[(host.submit, "429")]
    assert server.requests_by_endpoint[host.submit] == BATCH + retried  # only 429s sent again
    unknown = [r for r in records if r.error and "may have accepted" in r.error]
    assert len(unknown) == unknown_answers(host) > 0
    assert all(r.status is GenerationStatus.ERROR and r.cost_usd is None for r in unknown)
    assert server.accepted_unanswered == unknown_answers(host, taken=True)
    noted = {r.backend_request_id for r in unknown if r.backend_request_id}
    assert len(noted) == server.faults_served[(host.submit, "accept_5xx")]
    assert noted <= server.job_ids  # the 502s named the jobs they took
    assert sum(r.possible_duplicates for r in records) == counted == 0
    price = host.settings().price_of(host.name)
    assert all(r.cost_usd == pytest.approx(price) for r in records if r.status == "success")


def test_a_faulty_batch_allowed_to_resubmit_counts_and_prices_every_duplicate(
    host: Host, tmp_path: Path
) -> None:
    faulty(host)
    records, counted = run_batch(host, tmp_path, **host.resubmit())
    assert len(records) == BATCH
    assert all(r.status is GenerationStatus.SUCCESS for r in records), [r.error for r in records]
    server = host.server
    possible = sum(r.possible_duplicates for r in records)
    assert possible == unknown_answers(host) == counted > 0  # on the records and in metrics
    billed_twice = server.accepted - BATCH
    assert billed_twice == server.accepted_unanswered == unknown_answers(host, taken=True)
    assert billed_twice <= possible  # every real duplicate was among those counted
    price = host.settings().price_of(host.name)
    for record in records:
        assert record.cost_usd == pytest.approx(price * (1 + record.possible_duplicates))
        assert server.accepted_by_seed[record.seed or 0] <= 1 + record.possible_duplicates
