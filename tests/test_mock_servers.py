"""The mock Bria and fal.ai hosts, over real HTTP: their wire contracts, rate limits and faults."""

from __future__ import annotations

import io
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import numpy as np
import pytest
from PIL import Image

from lightrig.fibo.compile import compile_prompt, prompt_json
from lightrig.presets import PRESETS
from lightrig.testing.mock_bria import MockBriaServer
from lightrig.testing.mock_fal import MockFalServer

TOKEN = {"api_token": "test-token"}
FAL_KEY = {"Authorization": "Key test-key"}


@pytest.fixture(scope="module")
def prompt() -> dict[str, Any]:
    """The split preset's structured prompt: the key at 90° camera-left."""
    return compile_prompt(PRESETS["split"].request())


@pytest.fixture
def bria() -> Iterator[MockBriaServer]:
    with MockBriaServer(latency_s=0.2, image_size=64) as server:
        yield server


@pytest.fixture
def client(bria: MockBriaServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{bria.url}/v2", headers=TOKEN, timeout=5.0) as c:
        yield c


def _generate(client: httpx.Client, body: dict[str, Any]) -> httpx.Response:
    return client.post("/image/generate", json=body)


def _wait_for(client: httpx.Client, status_url: str, done: str, limit_s: float = 3.0) -> Any:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        body = client.get(status_url).json()
        if body["status"] == done:
            return body
        time.sleep(0.05)
    raise AssertionError(f"never reached {done}")


def _png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    assert image.format == "PNG"
    return image


# --- Bria: auth and validation ----------------------------------------------------------------


def test_bria_rejects_a_missing_or_wrong_token(
    bria: MockBriaServer, prompt: dict[str, Any]
) -> None:
    body = {"structured_prompt": prompt_json(prompt)}
    with httpx.Client(base_url=f"{bria.url}/v2") as anonymous:
        missing = anonymous.post("/image/generate", json=body)
        wrong = anonymous.post("/image/generate", json=body, headers={"api_token": "nope"})
        status = anonymous.get("/status/abc", headers={"api_token": "nope"})
    for response in (missing, wrong, status):
        assert response.status_code == 401
        assert response.json() == {"error": {"code": 401, "message": "Invalid API token"}}
    assert bria.accepted == 0


def test_bria_422_names_each_bad_field(client: httpx.Client, prompt: dict[str, Any]) -> None:
    as_object = _generate(client, {"structured_prompt": prompt})
    assert as_object.status_code == 422
    assert [d["field"] for d in as_object.json()["error"]["details"]] == ["structured_prompt"]

    steps = _generate(client, {"structured_prompt": prompt_json(prompt), "steps_num": 10})
    assert steps.status_code == 422
    error = steps.json()["error"]
    assert error["code"] == 422
    assert error["details"] == [{"field": "steps_num", "message": error["details"][0]["message"]}]
    assert "20" in error["details"][0]["message"]

    unknown = _generate(client, {"structured_prompt": prompt_json(prompt), "num_images": 2})
    assert unknown.status_code == 422
    assert [d["field"] for d in unknown.json()["error"]["details"]] == ["num_images"]

    several = _generate(client, {"prompt": 3, "seed": -1, "aspect_ratio": "7:5"})
    assert {d["field"] for d in several.json()["error"]["details"]} == {
        "prompt",
        "seed",
        "aspect_ratio",
    }
    assert _generate(client, {"seed": 1}).json()["error"]["details"][0]["field"] == (
        "structured_prompt"
    )


def test_bria_checks_the_structured_prompt_inside_the_string(
    client: httpx.Client, prompt: dict[str, Any]
) -> None:
    no_lighting = {k: v for k, v in prompt.items() if k != "lighting"}
    missing = _generate(client, {"structured_prompt": json.dumps(no_lighting)})
    assert missing.status_code == 422
    detail = missing.json()["error"]["details"][0]
    assert detail["field"] == "structured_prompt"
    assert "lighting" in detail["message"]
    garbled = _generate(client, {"structured_prompt": prompt_json(prompt)[:-1]})
    assert "not valid JSON" in garbled.json()["error"]["details"][0]["message"]


def test_bria_guidance_scale_takes_whole_numbers_only(
    client: httpx.Client, prompt: dict[str, Any]
) -> None:
    text = prompt_json(prompt)
    assert _generate(client, {"structured_prompt": text, "guidance_scale": 4.0}).status_code == 202
    assert _generate(client, {"structured_prompt": text, "guidance_scale": 4.5}).status_code == 422
    assert _generate(client, {"structured_prompt": text, "guidance_scale": 6}).status_code == 422


# --- Bria: the job's life ---------------------------------------------------------------------


def test_bria_async_job_runs_to_a_png_of_the_submitted_lighting(
    bria: MockBriaServer, client: httpx.Client, prompt: dict[str, Any]
) -> None:
    text = prompt_json(prompt)
    submitted = _generate(client, {"structured_prompt": text, "seed": 42, "steps_num": 30})
    assert submitted.status_code == 202
    request_id = submitted.json()["request_id"]
    assert len(request_id) == 32
    assert submitted.json()["status_url"] == f"{bria.url}/v2/status/{request_id}"

    first = client.get(f"/status/{request_id}").json()
    assert first == {"request_id": request_id, "status": "IN_PROGRESS"}
    done = _wait_for(client, submitted.json()["status_url"], "COMPLETED")
    assert done["result"]["structured_prompt"] == text
    assert done["result"]["seed"] == 42
    assert done["result"]["image_url"] == f"{bria.url}/files/{request_id}.png"

    download = httpx.get(done["result"]["image_url"])  # no token: files are public
    assert download.status_code == 200
    assert download.headers["content-type"] == "image/png"
    image = _png(download.content)
    assert image.size == (64, 64)
    # the picture is the submitted lighting: a split key from camera-left lights the left half
    grey = np.asarray(image.convert("L"), dtype=float)
    assert grey[:, :32].mean() > grey[:, 32:].mean() + 10.0

    mirrored = dict(prompt)
    mirrored["lighting"] = {
        k: v.replace("camera-left", "\0")
        .replace("camera-right", "camera-left")
        .replace("\0", "camera-right")
        for k, v in prompt["lighting"].items()
    }
    other = _generate(client, {"structured_prompt": json.dumps(mirrored)}).json()
    url = _wait_for(client, other["status_url"], "COMPLETED")["result"]["image_url"]
    grey = np.asarray(_png(httpx.get(url).content).convert("L"), dtype=float)
    assert grey[:, 32:].mean() > grey[:, :32].mean() + 10.0
    assert httpx.get(f"{bria.url}/files/{'0' * 32}.png").status_code == 404


def test_bria_sync_answers_with_the_result(
    bria: MockBriaServer, client: httpx.Client, prompt: dict[str, Any]
) -> None:
    started = time.monotonic()
    response = _generate(client, {"structured_prompt": prompt_json(prompt), "sync": True})
    assert time.monotonic() - started >= 0.2  # the latency is waited out before answering
    assert response.status_code == 200
    body = response.json()
    assert body["result"]["seed"] == 5555  # the default seed
    assert body["result"]["structured_prompt"] == prompt_json(prompt)
    status = client.get(f"/status/{body['request_id']}").json()
    assert status["status"] == "COMPLETED"
    assert status["result"] == body["result"]


def test_bria_unknown_request_id(client: httpx.Client) -> None:
    response = client.get("/status/does-not-exist")
    assert response.status_code == 200
    assert response.json() == {"request_id": "does-not-exist", "status": "UNKNOWN"}


def test_bria_text_prompt_only_and_structured_prompt_endpoint(client: httpx.Client) -> None:
    made = client.post("/structured_prompt/generate", json={"prompt": "a portrait"})
    assert made.status_code == 200
    structured = json.loads(made.json()["result"]["structured_prompt"])
    assert "lighting" in structured
    assert client.post("/structured_prompt/generate", json={}).status_code == 422
    submitted = _generate(client, {"prompt": "a portrait", "sync": True})
    assert submitted.status_code == 200
    assert "lighting" in json.loads(submitted.json()["result"]["structured_prompt"])


def test_bria_counts_accepted_submissions_by_seed(
    bria: MockBriaServer, client: httpx.Client, prompt: dict[str, Any]
) -> None:
    text = prompt_json(prompt)
    for seed in (1, 2, 2):
        assert _generate(client, {"structured_prompt": text, "seed": seed}).status_code == 202
    assert _generate(client, {"structured_prompt": text}).status_code == 202
    assert _generate(client, {"structured_prompt": text, "seed": -5}).status_code == 422
    assert bria.accepted == 4
    assert bria.accepted_by_seed == {1: 1, 2: 2, 5555: 1}
    assert [s.get("seed") for s in bria.submissions] == [1, 2, 2, None]
    assert bria.requests_by_endpoint["generate"] == 5


def test_bria_concurrent_submissions_are_all_counted(
    bria: MockBriaServer, prompt: dict[str, Any]
) -> None:
    text = prompt_json(prompt)
    ids: list[str] = []
    lock = threading.Lock()

    def submit(seed: int) -> None:
        with httpx.Client(base_url=f"{bria.url}/v2", headers=TOKEN) as c:
            response = _generate(c, {"structured_prompt": text, "seed": seed})
        with lock:
            ids.append(response.json()["request_id"])

    threads = [threading.Thread(target=submit, args=(i % 4,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(ids)) == 16
    assert bria.accepted == 16
    assert bria.accepted_by_seed == {0: 4, 1: 4, 2: 4, 3: 4}


# --- Bria: rate limit and faults --------------------------------------------------------------


def test_bria_rate_limit_is_per_endpoint(
    bria: MockBriaServer, client: httpx.Client, prompt: dict[str, Any]
) -> None:
    bria.requests_per_minute = 3
    text = prompt_json(prompt)
    # requests that fail authentication use none of the budget
    with httpx.Client(base_url=f"{bria.url}/v2") as anonymous:
        assert anonymous.post("/image/generate", json={}).status_code == 401
    answers = [_generate(client, {"structured_prompt": text}) for _ in range(4)]
    assert [a.status_code for a in answers] == [202, 202, 202, 429]
    assert 1 <= int(answers[3].headers["Retry-After"]) <= 60
    assert answers[3].json()["error"]["code"] == 429
    assert bria.accepted == 3
    assert bria.rejected_429 == 1
    # the status endpoint has its own budget
    request_id = answers[0].json()["request_id"]
    assert [client.get(f"/status/{request_id}").status_code for _ in range(3)] == [200] * 3
    assert client.get(f"/status/{request_id}").status_code == 429
    # and file downloads have none
    assert [httpx.get(f"{bria.url}/files/x.png").status_code for _ in range(4)] == [404] * 4
    assert bria.rejected_429 == 2
    assert bria.requests_by_endpoint == {"generate": 5, "status": 4, "files": 4}


def test_bria_scripted_faults(
    bria: MockBriaServer, client: httpx.Client, prompt: dict[str, Any]
) -> None:
    body = {"structured_prompt": prompt_json(prompt)}
    bria.script("generate", "5xx", "429", "malformed", "drop")

    unavailable = _generate(client, body)
    assert unavailable.status_code == 503
    assert unavailable.json() == {
        "error": {"code": 503, "message": "Service temporarily unavailable"}
    }
    spurious = _generate(client, body)
    assert spurious.status_code == 429
    assert spurious.headers["Retry-After"] == "1"
    malformed = _generate(client, body)
    assert malformed.status_code == 202
    assert malformed.headers["content-type"] == "application/json"
    with pytest.raises(json.JSONDecodeError):
        malformed.json()
    with pytest.raises(httpx.RemoteProtocolError):
        _generate(client, body)

    assert bria.accepted == 0  # none of those created a job
    assert bria.rejected_429 == 1
    assert _generate(client, body).status_code == 202  # the script is used up
    assert bria.accepted == 1
    with pytest.raises(ValueError, match="unknown fault"):
        bria.script("generate", "explode")


def test_bria_scripted_status_faults(
    bria: MockBriaServer, client: httpx.Client, prompt: dict[str, Any]
) -> None:
    request_id = _generate(client, {"structured_prompt": prompt_json(prompt)}).json()["request_id"]
    bria.script("status", "malformed", "5xx")
    malformed = client.get(f"/status/{request_id}")
    assert malformed.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        malformed.json()
    assert client.get(f"/status/{request_id}").status_code == 503
    assert client.get(f"/status/{request_id}").json()["status"] in ("IN_PROGRESS", "COMPLETED")


def test_bria_scripted_timeout_is_accepted_and_stop_is_prompt(
    prompt: dict[str, Any],
) -> None:
    server = MockBriaServer(latency_s=0.1, timeout_sleep_s=5.0).start()
    try:
        server.script("generate", "timeout")
        with (
            httpx.Client(base_url=f"{server.url}/v2", headers=TOKEN, timeout=0.3) as c,
            pytest.raises(httpx.ReadTimeout),
        ):
            _generate(c, {"structured_prompt": prompt_json(prompt), "seed": 9})
        assert server.accepted == 1  # the server took the job; the client cannot know
        assert server.accepted_by_seed == {9: 1}
        # an answer being held back does not hold up stopping: the client is hung up on
        server.script("status", "timeout")
        outcome: list[BaseException] = []

        def wait_on_status() -> None:
            try:
                httpx.get(f"{server.url}/v2/status/x", headers=TOKEN, timeout=10.0)
            except httpx.HTTPError as exc:
                outcome.append(exc)

        holder = threading.Thread(target=wait_on_status)
        holder.start()
        deadline = time.monotonic() + 2.0
        while server.requests_by_endpoint["status"] == 0 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert server.pending_faults("status") == []  # the request is being held
    finally:
        started = time.monotonic()
        server.stop()
    assert time.monotonic() - started < 1.0
    holder.join(2.0)
    assert not holder.is_alive()
    assert len(outcome) == 1
    assert isinstance(outcome[0], httpx.RemoteProtocolError)
    assert not server.running


def test_bria_scripted_error_ends_the_job_in_error(
    bria: MockBriaServer, client: httpx.Client, prompt: dict[str, Any]
) -> None:
    bria.script("generate", "error")
    submitted = _generate(client, {"structured_prompt": prompt_json(prompt)})
    assert submitted.status_code == 202
    assert bria.accepted == 1
    ended = _wait_for(client, submitted.json()["status_url"], "ERROR")
    assert ended["error"]["code"] == 500
    assert ended["error"]["message"] == "Generation failed"
    assert "result" not in ended
    assert httpx.get(f"{bria.url}/files/{ended['request_id']}.png").status_code == 404


def test_bria_accepted_then_failed_submissions_are_jobs_the_client_never_hears_of(
    bria: MockBriaServer, client: httpx.Client, prompt: dict[str, Any]
) -> None:
    body = {"structured_prompt": prompt_json(prompt), "seed": 3}
    bria.script("generate", "accept_5xx", "accept_malformed", "accept_drop")
    gateway = _generate(client, body)
    assert gateway.status_code == 502
    assert gateway.json()["error"] == {"code": 502, "message": "Bad gateway"}
    taken = gateway.json()["request_id"]
    assert taken in bria.job_ids  # the job exists: the 502 came after it was taken
    garbled = _generate(client, body)
    assert garbled.status_code == 202
    with pytest.raises(json.JSONDecodeError):
        garbled.json()
    with pytest.raises(httpx.RemoteProtocolError):
        _generate(client, body)
    assert bria.accepted == 3
    assert bria.accepted_by_seed == {3: 3}
    assert bria.accepted_unanswered == 3
    assert bria.faults_served == {
        ("generate", "accept_5xx"): 1,
        ("generate", "accept_malformed"): 1,
        ("generate", "accept_drop"): 1,
    }
    # an accepted-then-failed job runs to its image like any other
    assert _wait_for(client, f"/status/{taken}", "COMPLETED")["result"]["seed"] == 3
    # a submission refused as invalid is no job, so nothing is left unanswered
    bria.script("generate", "accept_5xx")
    assert _generate(client, {"structured_prompt": 3}).status_code == 422
    assert bria.accepted_unanswered == 3
    with pytest.raises(ValueError, match="unknown fault 'accept_5xx' for 'status'"):
        bria.script("status", "accept_5xx")


def test_the_accepted_then_fail_share_is_selectable(prompt: dict[str, Any]) -> None:
    def outcomes(share: float) -> tuple[int, int, int]:
        with (
            MockBriaServer(rate_5xx=0.5, accept_then_fail=share, fault_seed=3) as server,
            httpx.Client(base_url=f"{server.url}/v2", headers=TOKEN) as c,
        ):
            codes = [
                _generate(c, {"structured_prompt": prompt_json(prompt)}).status_code
                for _ in range(40)
            ]
            assert server.accepted == codes.count(202) + server.accepted_unanswered
            # status polls never meet an accepted-then-fail fault
            assert {c.get("/status/x").status_code for _ in range(20)} <= {200, 503}
            return codes.count(503), codes.count(502), server.accepted_unanswered

    assert outcomes(0.0)[1:] == (0, 0)
    refused, gateway, unanswered = outcomes(1.0)
    assert refused == 0
    assert gateway == unanswered > 10
    assert sum(outcomes(0.5)[:2]) == gateway  # the same faults, struck before or after
    with pytest.raises(ValueError, match="accept_then_fail"):
        MockBriaServer(accept_then_fail=2.0)


def test_bria_random_faults_follow_the_seed() -> None:
    def codes() -> list[int]:
        with (
            MockBriaServer(rate_5xx=0.3, rate_429=0.2, fault_seed=7) as server,
            httpx.Client(base_url=f"{server.url}/v2", headers=TOKEN) as c,
        ):
            return [c.get("/status/x").status_code for _ in range(30)]

    first = codes()
    assert first == codes()
    assert {200, 429, 503} <= set(first)


def test_bria_options_are_checked() -> None:
    server = MockBriaServer()
    with pytest.raises(ValueError, match="latency_s"):
        server.latency_s = -1.0
    with pytest.raises(ValueError, match="rate_5xx"):
        server.rate_5xx = 1.5
    with pytest.raises(ValueError, match="image_size"):
        MockBriaServer(image_size=8)
    server.requests_per_minute = 10
    assert server.requests_per_minute == 10
    with pytest.raises(RuntimeError):
        _ = server.url


# --- fal --------------------------------------------------------------------------------------


@pytest.fixture
def fal() -> Iterator[MockFalServer]:
    with MockFalServer(latency_s=0.3, image_size=64) as server:
        yield server


@pytest.fixture
def fal_client(fal: MockFalServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fal.url, headers=FAL_KEY, timeout=5.0) as c:
        yield c


def test_fal_rejects_a_missing_or_wrong_key(fal: MockFalServer, prompt: dict[str, Any]) -> None:
    with httpx.Client(base_url=fal.url) as anonymous:
        missing = anonymous.post("/bria/fibo/generate", json={"structured_prompt": prompt})
        wrong = anonymous.post(
            "/bria/fibo/generate",
            json={"structured_prompt": prompt},
            headers={"Authorization": "Key other"},
        )
    assert missing.status_code == wrong.status_code == 401
    assert wrong.json() == {"detail": "Unauthorized"}
    assert fal.accepted == 0


def test_fal_wants_the_structured_prompt_as_an_object(
    fal_client: httpx.Client, prompt: dict[str, Any]
) -> None:
    response = fal_client.post(
        "/bria/fibo/generate", json={"structured_prompt": prompt_json(prompt)}
    )
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [d["loc"] for d in detail] == [["body", "structured_prompt"]]
    assert detail[0]["type"] == "value_error"
    steps = fal_client.post(
        "/bria/fibo/generate", json={"structured_prompt": prompt, "steps_num": 60}
    )
    assert steps.json()["detail"][0]["loc"] == ["body", "steps_num"]


def test_fal_queue_runs_to_a_result(
    fal: MockFalServer, fal_client: httpx.Client, prompt: dict[str, Any]
) -> None:
    submitted = fal_client.post(
        "/bria/fibo/generate", json={"structured_prompt": prompt, "seed": 8}
    )
    assert submitted.status_code == 200
    body = submitted.json()
    request_id = body["request_id"]
    base = f"{fal.url}/bria/fibo/requests/{request_id}"
    assert body["response_url"] == base  # no "/generate" in the queue URLs
    assert body["status_url"] == f"{base}/status"
    assert body["cancel_url"] == f"{base}/cancel"
    assert fal.accepted == 1

    early = fal_client.get(body["response_url"])
    assert early.status_code == 400
    assert early.json() == {"detail": "Request is still in progress"}

    seen: list[str] = []
    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline:
        status = fal_client.get(body["status_url"]).json()
        if not seen or seen[-1] != status["status"]:
            seen.append(status["status"])
        if status["status"] == "COMPLETED":
            assert status["response_url"] == body["response_url"]
            break
        time.sleep(0.03)
    assert seen == ["IN_QUEUE", "IN_PROGRESS", "COMPLETED"]

    result = fal_client.get(body["response_url"]).json()
    assert result["seed"] == 8
    assert result["structured_prompt"] == prompt
    assert result["images"] == [result["image"]]
    image = result["image"]
    assert image["url"] == f"{fal.url}/files/{request_id}.png"
    assert (image["width"], image["height"], image["content_type"]) == (64, 64, "image/png")
    assert image["file_name"] == f"{request_id}.png"
    assert _png(httpx.get(image["url"]).content).size == (64, 64)

    assert fal_client.get(f"/bria/fibo/generate/requests/{request_id}/status").status_code == 404
    missing = fal_client.get("/bria/fibo/requests/nope/status")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Request not found"}


def test_fal_cancel(fal: MockFalServer, fal_client: httpx.Client, prompt: dict[str, Any]) -> None:
    body = fal_client.post("/bria/fibo/generate", json={"structured_prompt": prompt}).json()
    cancelled = fal_client.put(body["cancel_url"])
    assert cancelled.status_code == 202
    assert cancelled.json() == {"status": "CANCELLATION_REQUESTED"}
    assert fal_client.get(body["status_url"]).json()["status"] == "COMPLETED"
    assert fal_client.get(body["response_url"]).status_code == 400


def test_fal_scripted_faults(
    fal: MockFalServer, fal_client: httpx.Client, prompt: dict[str, Any]
) -> None:
    fal.script("submit", "5xx", "429", "malformed")
    failed = fal_client.post("/bria/fibo/generate", json={"structured_prompt": prompt})
    assert failed.status_code == 500
    assert failed.headers["X-Fal-Retryable"] == "true"
    limited = fal_client.post("/bria/fibo/generate", json={"structured_prompt": prompt})
    assert limited.status_code == 429
    malformed = fal_client.post("/bria/fibo/generate", json={"structured_prompt": prompt})
    with pytest.raises(json.JSONDecodeError):
        malformed.json()
    assert fal.accepted == 0

    fal.latency_s = 0.0
    fal.script("submit", "error")
    body = fal_client.post("/bria/fibo/generate", json={"structured_prompt": prompt}).json()
    assert fal.accepted == 1
    assert fal_client.get(body["status_url"]).json()["status"] == "COMPLETED"
    rejected = fal_client.get(body["response_url"])
    assert rejected.status_code == 422
    assert rejected.headers["X-Fal-Retryable"] == "false"
    assert rejected.json()["detail"][0]["loc"] == ["body", "structured_prompt"]


def test_fal_accepted_then_failed_submissions(
    fal: MockFalServer, fal_client: httpx.Client, prompt: dict[str, Any]
) -> None:
    fal.script("submit", "accept_5xx", "accept_drop")
    gateway = fal_client.post("/bria/fibo/generate", json={"structured_prompt": prompt})
    assert gateway.status_code == 502
    assert gateway.json()["detail"] == "Bad Gateway"
    assert gateway.json()["request_id"] in fal.job_ids
    with pytest.raises(httpx.RemoteProtocolError):
        fal_client.post("/bria/fibo/generate", json={"structured_prompt": prompt})
    assert fal.accepted == fal.accepted_unanswered == 2


def test_fal_random_faults_follow_the_seed() -> None:
    def codes() -> list[int]:
        with (
            MockFalServer(rate_5xx=0.3, rate_drop=0.2, fault_seed=5) as server,
            httpx.Client(base_url=server.url, headers=FAL_KEY) as c,
        ):
            found = []
            for _ in range(30):
                try:
                    found.append(c.get("/bria/fibo/requests/x/status").status_code)
                except httpx.RemoteProtocolError:
                    found.append(0)  # dropped
            return found

    first = codes()
    assert first == codes()
    assert {0, 404, 500} <= set(first)


def test_fal_rate_limit(fal: MockFalServer, fal_client: httpx.Client) -> None:
    fal.requests_per_minute = 2
    codes = [fal_client.get("/bria/fibo/requests/x/status").status_code for _ in range(3)]
    assert codes == [404, 404, 429]
    assert fal.rejected_429 == 1


# --- running from the command line ------------------------------------------------------------


def test_serve_forever_blocks_until_stopped() -> None:
    server = MockFalServer()
    serving = threading.Thread(target=server.serve_forever)
    serving.start()
    deadline = time.monotonic() + 2.0
    while not server.running and time.monotonic() < deadline:
        time.sleep(0.01)
    assert httpx.get(f"{server.url}/bria/fibo/requests/x/status").status_code == 401
    server.stop()
    serving.join(2.0)
    assert not serving.is_alive()


def test_run_mock_bria_prints_its_base_url(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from lightrig.testing import mock_bria

    served: list[MockBriaServer] = []

    def serve_once(self: MockBriaServer) -> None:
        served.append(self)
        self.stop()

    monkeypatch.setattr(mock_bria.MockBriaServer, "serve_forever", serve_once)
    mock_bria.run_mock_bria(port=0, token="cli-token", latency_s=0.5)
    assert served[0].token == "cli-token"
    assert served[0].latency_s == 0.5
    printed = capsys.readouterr().out
    assert "http://127.0.0.1:" in printed
    assert "/v2" in printed
