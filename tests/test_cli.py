"""The command line, run as a user runs it: real processes, real exit codes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from lightrig.fibo.schema import TOP_LEVEL_KEYS, validate_prompt
from lightrig.presets import PRESETS

CAPTION = Path(__file__).parent / "fixtures" / "captions" / "cellist_loft.json"


def run(
    *args: str, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "lightrig", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=None if env is None else {**os.environ, **env},
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def bad(*args: str, env: dict[str, str] | None = None) -> str:
    result = run(*args, check=False, env=env)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("lightrig: error: ")
    return lines[0]


def test_analyze_preset_json_reports_pattern_and_stops() -> None:
    analysis = json.loads(run("analyze", "--preset", "rembrandt", "--json").stdout)
    assert analysis["pattern"] == "rembrandt"
    assert isinstance(analysis["ratio"]["stops"], float)
    assert analysis["ratio"]["stops"] > 1.0


def test_meter_prints_readings_and_refuses_a_bad_shutter_in_one_line(tmp_path: Path) -> None:
    setup = tmp_path / "strobe.json"
    setup.write_text(
        json.dumps(
            {
                "key": {
                    "direction": "front",
                    "intensity": 1.0,
                    "distance": 4.0,
                    "modifier": "bare",
                    "power": {"guide_number": 32},
                }
            }
        )
    )
    found = json.loads(run("meter", str(setup), "--iso", "100", "--json").stdout)
    assert found["lights"][0]["facing"]["text"] == "f/8"  # GN 32 at 4 m
    people = run("meter", str(setup), "--target", "f/8").stdout
    assert "Incident readings at ISO 100" in people
    assert "f/8" in people
    assert "--shutter" in bad("meter", str(setup), "--shutter", "1/9000")
    assert "--iso" in bad("meter", "--preset", "loop", "--iso", "7")


def test_prompt_prints_a_ten_key_json() -> None:
    pretty = json.loads(run("prompt", "--preset", "butterfly").stdout)
    compact = run("prompt", "--preset", "butterfly", "--json").stdout.strip()
    assert json.loads(compact) == pretty
    assert set(pretty) <= set(TOP_LEVEL_KEYS)
    assert len(pretty) == 9  # all but text_render, which is empty for a portrait
    validate_prompt(pretty)


def test_analyze_a_setup_file(tmp_path: Path) -> None:
    setup = tmp_path / "setup.json"
    setup.write_text(
        json.dumps(
            {
                "key": {"direction": "45 degrees camera-right", "intensity": 0.8},
                "fill": {"direction": "30 degrees camera-left", "intensity": 0.4, "distance": 2},
            }
        )
    )
    analysis = json.loads(run("analyze", str(setup), "--json").stdout)
    assert analysis["key_role"] == "key"
    human = run("analyze", str(setup)).stdout
    assert "Rating" in human
    assert "Recommendations" in human


def test_presets_table_and_json() -> None:
    listed = json.loads(run("presets", "--json").stdout)
    assert {p["name"] for p in listed} >= {"rembrandt", "loop", "film-noir"}
    assert all(p["pattern"] in p["pattern_names"] for p in listed)
    assert "rembrandt" in run("presets").stdout


def test_refine_and_parse_commands() -> None:
    refined = json.loads(run("prompt", "--preset", "split", "--refine", str(CAPTION)).stdout)
    original: dict[str, Any] = json.loads(CAPTION.read_text())
    assert refined["background_setting"] == original["background_setting"]
    assert "split" in refined["lighting"]["direction"]
    parsed = json.loads(run("parse", str(CAPTION), "--json").stdout)
    assert parsed["lighting_setup"]["key"]["azimuth"] == -90.0
    # understood holds the words read; the rest of the clause is ignored, never both
    assert "Side-lit from the left." in parsed["understood"]
    assert "windows" in parsed["ignored"]


def test_demo_runs(tmp_path: Path) -> None:
    out = run("demo", "--preset", "loop", "--out", str(tmp_path)).stdout
    assert "loop" in out
    assert "short_description" in out
    assert (tmp_path / "loop.png").stat().st_size > 1000
    assert "<svg" in (tmp_path / "loop.svg").read_text()


def test_render_writes_the_preview_and_the_diagram(tmp_path: Path) -> None:
    from PIL import Image

    result = json.loads(
        run("render", "--preset", "split", "--size", "128", "--out", str(tmp_path), "--json").stdout
    )
    assert result["analysis"]["pattern"] == "split"
    with Image.open(result["png"]) as picture:
        assert picture.size == (128, 128)
    assert "light-key" in Path(result["svg"]).read_text()
    human = run("render", "--preset", "split", "--size", "64", "--out", str(tmp_path)).stdout
    assert "preview:" in human
    assert "diagram:" in human


def test_render_with_probes_outlines_them_and_reads_their_ratio(tmp_path: Path) -> None:
    """``--probes`` draws the analyzer's probes on the picture and reports the ratio read
    between them on the render beside the analysis's, and the exposure the render used."""
    import numpy as np
    from PIL import Image

    args = ("render", "--preset", "loop", "--size", "256", "--supersample", "1")
    plain = json.loads(run(*args, "--out", str(tmp_path / "plain"), "--json").stdout)
    marked = json.loads(run(*args, "--probes", "--out", str(tmp_path / "m"), "--json").stdout)
    assert "probe_ratio_stops" not in plain
    assert marked["exposure_stops"] == plain["exposure_stops"]
    assert abs(marked["probe_ratio_stops"] - marked["analysis"]["ratio"]["stops"]) <= 1 / 3
    with Image.open(plain["png"]) as a, Image.open(marked["png"]) as b:
        changed = np.any(np.asarray(a.convert("RGB")) != np.asarray(b.convert("RGB")), axis=-1)
        yellow = np.all(np.asarray(b.convert("RGB")) == (255, 214, 0), axis=-1)
    assert changed.any()
    assert (yellow & changed).any()
    human = run(*args, "--probes", "--out", str(tmp_path / "h")).stdout
    assert "stops apart on the render; the analysis says" in human


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("analyze", "--preset", "disco"), "unknown preset 'disco'"),
        (("analyze",), "give a setup file or --preset NAME"),
        (("analyze", "missing.json"), "missing.json: no such file"),
        (("prompt", "--preset", "loop", "--bogus"), "No such option"),
        (("frobnicate",), "No such command"),
        (("render", "--preset", "loop", "--size", "4096"), "'--size'"),
        (("render", "--preset", "loop", "--size", "32"), "'--size'"),
        (("render", "--preset", "loop", "--out", "/dev/null/x"), "cannot write there"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_two(args: tuple[str, ...], fragment: str) -> None:
    assert fragment in bad(*args)


def test_bad_files_name_the_problem(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"key": {"intensity": 0.5,}}')
    assert "invalid JSON at line 1" in bad("analyze", str(broken))
    out_of_range = tmp_path / "range.json"
    out_of_range.write_text(json.dumps({"key": {"direction": "nowhere", "intensity": 3}}))
    message = bad("analyze", str(out_of_range))
    assert "lighting_setup.key.direction: cannot understand direction 'nowhere'" in message
    assert "lighting_setup.key.intensity" in message
    not_a_prompt = tmp_path / "caption.json"
    not_a_prompt.write_text(json.dumps({"lighting": "bright"}))
    assert "lighting: needs an object" in bad("parse", str(not_a_prompt))


def test_no_arguments_prints_help() -> None:
    result = run(check=False)
    assert result.returncode == 0
    assert "analyze" in result.stdout


def test_generate_on_the_preview_backend(tmp_path: Path) -> None:
    env = {"LIGHTRIG_DATA_DIR": str(tmp_path / "data"), "LIGHTRIG_PREVIEW_SIZE": "64"}
    out = tmp_path / "out"
    result = json.loads(
        run(
            "generate", "--preset", "loop", "--seed", "3", "--out", str(out), "--json", env=env
        ).stdout
    )
    assert result["status"] == "success"
    assert result["backend"] == "preview"
    assert result["seed"] == 3
    assert Path(result["file"]).parent == out
    assert Path(result["file"]).read_bytes()[:4] == b"\x89PNG"
    worded = json.loads(
        run("generate", "--describe", "film noir, warm tungsten key", "--json", env=env).stdout
    )
    assert "film noir" in worded["understood"]
    assert "low-key" in worded["pattern_names"]
    assert "no lighting" in bad("generate", "--describe", "a cat on a sofa", env=env)


def test_batch_from_jsonl(tmp_path: Path) -> None:
    env = {"LIGHTRIG_DATA_DIR": str(tmp_path / "data"), "LIGHTRIG_PREVIEW_SIZE": "64"}
    good = tmp_path / "good.jsonl"
    lines = [
        json.dumps(
            {"lighting_setup": {"key": {"direction": "45 degrees camera-left", "intensity": 1}}}
        ),
        "",
        json.dumps({"lighting_setup": {"key": {"direction": "overhead", "intensity": 0.7}}}),
    ]
    good.write_text("\n".join(lines))
    results = json.loads(run("batch", str(good), "--seed", "1", "--json", env=env).stdout)
    assert [r["status"] for r in results] == ["success", "success"]
    bad_file = tmp_path / "bad.jsonl"
    bad_file.write_text(lines[0] + "\n" + '{"lighting_setup": {"key": {"intensity": 5}}}\n')
    message = bad("batch", str(bad_file), env=env)
    assert f"{bad_file}:2:" in message
    assert "lighting_setup.key.intensity" in message
    assert "no such file" in bad("batch", str(tmp_path / "missing.jsonl"), env=env)
    broken = tmp_path / "broken.jsonl"
    broken.write_text("{not json}\n")
    assert f"{broken}:1: invalid JSON" in bad("batch", str(broken), env=env)


def test_batch_against_the_mock_bria_reports_failures(tmp_path: Path) -> None:
    from lightrig.testing.mock_bria import MockBriaServer

    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text(
        "\n".join(
            json.dumps(
                {
                    "subject_description": f"sitter {n}",
                    "lighting_setup": {"key": {"direction": "front", "intensity": 1}},
                }
            )
            for n in range(3)
        )
    )
    with MockBriaServer(latency_s=0.05, image_size=32) as server:
        server.script("generate", "error")
        env = {
            "LIGHTRIG_DATA_DIR": str(tmp_path / "data"),
            "LIGHTRIG_BACKEND": "bria",
            "LIGHTRIG_BRIA_BASE_URL": f"{server.url}/v2",
            "LIGHTRIG_BRIA_API_TOKEN": "test-token",
            "LIGHTRIG_BRIA_POLL_INITIAL_S": "0.05",
        }
        result = run("batch", str(jobs), "--concurrency", "1", env=env, check=False)
    assert result.returncode == 1
    assert "2 of 3 generated" in result.stdout
    assert "line 1: Bria could not generate request" in result.stdout


def test_health_and_settings_errors(tmp_path: Path) -> None:
    env = {"LIGHTRIG_DATA_DIR": str(tmp_path)}
    report = json.loads(run("health", "--json", env=env).stdout)
    assert report["status"] == "healthy"
    assert report["checks"]["fibo_api"]["status"] == "healthy"
    unhealthy = run(
        "health", "--backend", "bria", env={**env, "LIGHTRIG_BRIA_API_TOKEN": ""}, check=False
    )
    assert unhealthy.returncode == 1
    assert "LIGHTRIG_BACKEND" in bad("health", env={**env, "LIGHTRIG_BACKEND": "nope"})
    assert "unknown backend 'nope'" in bad("health", "--backend", "nope", env=env)


def test_mock_bria_serves_the_contract() -> None:
    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "lightrig", "mock-bria", "--port", str(port), "--token", "t0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/v2/status/x"
        for _ in range(100):
            try:
                answer = httpx.get(url, timeout=1.0)
                break
            except httpx.HTTPError:
                import time

                time.sleep(0.1)
        else:
            pytest.fail("the mock did not start")
        assert answer.status_code == 401
        assert httpx.get(url, headers={"api_token": "t0"}).json()["status"] == "UNKNOWN"
    finally:
        process.terminate()
        process.wait(10)


def test_translate_shows_what_was_understood_and_ignored(tmp_path: Path) -> None:
    env = {"LIGHTRIG_DATA_DIR": str(tmp_path)}
    text = "moody Rembrandt with a warm key from the right and a cool rim, on a Hasselblad"
    result = json.loads(run("translate", text, "--json", env=env).stdout)
    assert result["translator"] == "rules"
    assert "rembrandt" in result["pattern_names"]
    assert "warm" in result["understood"]
    assert result["ignored"] == ["Hasselblad"]
    assert result["request"]["lighting_setup"]["key"]["azimuth"] > 0
    human = run("translate", text, env=env).stdout
    assert "ignored: Hasselblad" in human
    assert "rembrandt" in human
    assert "no lighting" in bad("translate", "a cat on a sofa", env=env)
    assert "empty" in bad("translate", "  ", env=env)
    assert "unknown translator 'nope'" in bad("translate", "loop", "--translator", "nope", env=env)


def test_translate_through_a_configured_llm(tmp_path: Path) -> None:
    from lightrig.presets import PRESETS
    from lightrig.testing.mock_openai import MockOpenAIServer
    from lightrig.translate.llm import answer_for

    answer = answer_for(PRESETS["butterfly"].request(), understood=["Paramount"], dialect="openai")
    with MockOpenAIServer(api_key="sk-cli") as server:
        env = {
            "LIGHTRIG_DATA_DIR": str(tmp_path),
            "LIGHTRIG_TRANSLATOR": "openai",
            "LIGHTRIG_OPENAI_API_KEY": "sk-cli",
            "LIGHTRIG_OPENAI_BASE_URL": f"{server.url}/v1",
            "LIGHTRIG_TRANSLATOR_ATTEMPTS": "2",
            "LIGHTRIG_RETRY_INITIAL_S": "0.01",
        }
        server.script(answer)
        result = json.loads(run("translate", "Paramount glamour", "--json", env=env).stdout)
        assert result["translator"] == "openai"
        assert result["understood"] == ["Paramount"]
        assert "butterfly" in result["pattern_names"]
        # the model failing is not the user's input: exit 1, one line
        server.script("5xx", "5xx")
        failed = run("translate", "Paramount glamour", check=False, env=env)
        assert failed.returncode == 1
        assert failed.stderr.count("\n") == 1
        assert "gave up after 2 tries" in failed.stderr
        assert "sk-cli" not in failed.stderr


def test_users_create_list_revoke(tmp_path: Path) -> None:
    env = {"LIGHTRIG_DATA_DIR": str(tmp_path)}
    made = json.loads(run("users", "create", "ada", "--json", env=env).stdout)
    assert made["name"] == "ada"
    assert made["api_key"].startswith("lr_")
    assert made["active"] is True
    human = run("users", "create", "grace", env=env).stdout
    assert "API key: lr_" in human
    assert "shown once" in human
    assert "exists" in bad("users", "create", "ada", env=env)
    assert "use 1–64 letters" in bad("users", "create", "no spaces", env=env)
    listed = json.loads(run("users", "list", "--json", env=env).stdout)
    assert [user["name"] for user in listed] == ["ada", "grace"]
    revoked = json.loads(run("users", "revoke", "ada", "--json", env=env).stdout)
    assert revoked["active"] is False
    assert "no user" in bad("users", "revoke", "nobody", env=env)
    database = (tmp_path / "lightrig.db").read_bytes()
    assert made["api_key"].encode() not in database  # only its hash is kept


def test_history_lists_and_shows_generations(tmp_path: Path) -> None:
    env = {"LIGHTRIG_DATA_DIR": str(tmp_path), "LIGHTRIG_PREVIEW_SIZE": "64"}
    first = json.loads(
        run("generate", "--preset", "split", "--seed", "1", "--json", env=env).stdout
    )
    run("generate", "--preset", "loop", "--seed", "2", "--json", env=env)
    listed = json.loads(run("history", "list", "--json", env=env).stdout)
    assert [record["seed"] for record in listed] == [2, 1]  # newest first
    assert all(record["status"] == "success" for record in listed)
    only = json.loads(run("history", "list", "--limit", "1", "--json", env=env).stdout)
    assert len(only) == 1
    shown = json.loads(run("history", "show", first["generation_id"], "--json", env=env).stdout)
    assert shown["generation_id"] == first["generation_id"]
    assert shown["analysis"]["pattern"] == "split"
    assert shown["request"]["lighting_setup"]["key"]["azimuth"] < 0
    human = run("history", "list", env=env).stdout
    assert first["generation_id"] in human
    assert "no generation" in bad("history", "show", "nope", env=env)
    assert "no batch 'nope'" in bad("history", "batch", "nope", env=env)
    # a worker needs the distributed queue; it says which setting, and exits 2
    assert "LIGHTRIG_QUEUE_URL" in bad("worker", env={**env, "LIGHTRIG_QUEUE_URL": ""})
    assert "is not one of" in bad("history", "list", "--status", "done", env=env)
    assert "only an interrupted or queued" in bad(
        "history", "resume", first["generation_id"], env=env
    )


def test_history_verify_checks_an_unchecked_generation(tmp_path: Path) -> None:
    env = {
        "LIGHTRIG_DATA_DIR": str(tmp_path),
        "LIGHTRIG_PREVIEW_SIZE": "192",
        "LIGHTRIG_VERIFY_IMAGES": "false",
    }
    made = json.loads(run("generate", "--preset", "loop", "--json", env=env).stdout)
    assert made["adherence"] is None
    checked = json.loads(run("history", "verify", made["generation_id"], "--json", env=env).stdout)
    assert checked["adherence"]["verdict"] == "follows the requested light"
    shown = run("history", "show", made["generation_id"], env=env).stdout
    assert "follows the requested light" in shown
    assert "no generation" in bad("history", "verify", "nope", env=env)


def test_serve_starts_the_api_on_embedded_defaults(tmp_path: Path) -> None:
    """What `make run` does on a fresh machine: the API answers, with no key on loopback."""
    import httpx

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "lightrig", "serve", "--port", str(port)],
        env={**os.environ, "LIGHTRIG_DATA_DIR": str(tmp_path), "LIGHTRIG_PREVIEW_SIZE": "64"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            assert process.poll() is None, process.communicate()
            try:
                if httpx.get(f"{url}/healthz", timeout=1.0).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        ready = httpx.get(f"{url}/readyz", timeout=30.0)
        assert ready.status_code == 200, ready.text
        assert set(ready.json()["checks"]) >= {"fibo_api", "metadata_store", "image_storage"}
        made = httpx.post(
            f"{url}/v1/generations",
            json={"request": {"lighting_setup": {"key": {"azimuth": -40, "intensity": 0.8}}}},
            timeout=60.0,
        )
        assert made.status_code == 201, made.text
        assert httpx.get(f"{url}/docs", timeout=5.0).status_code == 200
    finally:
        process.terminate()
        process.communicate(timeout=30)
    assert (tmp_path / "lightrig.db").exists()


def test_verify_reads_the_light_and_scores_it_against_a_setup(tmp_path: Path) -> None:
    run("render", "--preset", "rembrandt", "--size", "256", "--out", str(tmp_path), "--json")
    picture = str(tmp_path / "rembrandt.png")
    alone = json.loads(run("verify", picture, "--json").stdout)
    assert alone["estimate"]["key_side"]["side"] == "camera-left"
    assert alone["adherence"] is None
    same = json.loads(run("verify", picture, "--preset", "rembrandt", "--json").stdout)
    assert same["adherence"]["overall"] >= 0.8
    setup = tmp_path / "mirrored.json"
    setup.write_text(json.dumps({"key": {"azimuth": 45, "elevation": 40, "intensity": 0.9}}))
    other = run("verify", picture, "--setup", str(setup), "--fail-under", "0.8", check=False)
    assert other.returncode == 1  # a picture that does not follow fails the check
    assert "key came from camera-left, asked camera-right" in " ".join(other.stdout.split())
    human = run("verify", picture, "--preset", "rembrandt").stdout
    assert "follows the requested light" in human
    linear = json.loads(run("verify", picture, "--encoding", "linear", "--json").stdout)
    assert linear["estimate"]["encoding"] == "linear"
    assert alone["estimate"]["encoding"] == "display"


def test_verify_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    text = tmp_path / "notes.png"
    text.write_text("not a picture")
    assert "not a picture in a format lightrig reads" in bad("verify", str(text))
    assert "no such file" in bad("verify", str(tmp_path / "missing.png"))
    assert "--fail-under needs the requested light" in bad(
        "verify", str(text), "--fail-under", "0.5"
    )
    assert "unknown preset" in bad("verify", str(text), "--preset", "nope")
    assert "gamma" in bad("verify", str(text), "--encoding", "gamma")


def test_version_prints_the_installed_version() -> None:
    from lightrig import __version__

    result = run("--version")
    assert result.stdout.strip() == f"lightrig {__version__}"


def test_model_bad_input_is_one_line_and_exit_code_two(tmp_path: Path) -> None:
    env = {
        "LIGHTRIG_DATA_DIR": str(tmp_path / "data"),
        "LIGHTRIG_PREVIEW_SIZE": "64",
        "LIGHTRIG_BRIA_API_TOKEN": "never-sent",
        "LIGHTRIG_BRIA_BASE_URL": "http://127.0.0.1:9/v2",  # nothing is sent anyway
    }
    line = bad("generate", "--preset", "loop", "--model", "fibo-9", env=env)
    assert "--model: got 'fibo-9'; accepted: fibo, fibo-1.5, fibo-lite" in line
    line = bad("generate", "--preset", "loop", "--backend", "bria", "--model", "fibo-1.5", env=env)
    assert "model: got 'fibo-1.5'; bria serves: fibo, fibo-lite" in line
    requests = tmp_path / "batch.jsonl"
    requests.write_text(json.dumps(PRESETS["loop"].request().model_dump(mode="json")) + "\n")
    assert "bria serves" in bad(
        "batch", str(requests), "-b", "bria", "--model", "fibo-1.5", env=env
    )
    made = json.loads(
        run("generate", "--preset", "loop", "--model", "fibo-lite", "--json", env=env).stdout
    )
    assert (made["backend"], made["params"]["model"]) == ("preview", "fibo-lite")
