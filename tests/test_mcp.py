"""The MCP server, driven through the ``mcp`` package's own clients: ``lightrig mcp`` as a
subprocess over stdio (initialize, the tools, resources and prompt, image results, tool errors
in the CLI's one line), and ``/mcp`` on a real running REST server over streamable HTTP (the
API's keys, per-user isolation, the API's view of a generation, progress of a background gated
generation on a mock Bria host)."""

from __future__ import annotations

import base64
import io
import json
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import ClientSession
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client
from mcp.shared.exceptions import MCPError
from mcp_types import CallToolResult, ImageContent, TextContent
from PIL import Image

from lightrig.analysis.analyzer import LightingAnalyzer
from lightrig.conventions import conventions
from lightrig.fibo.compile import compile_prompt
from lightrig.models.scene import SceneRequest
from lightrig.presets import PRESETS
from lightrig.render.diagram import lighting_diagram
from tests.hosts import mock_host
from tests.test_api import Launch, assert_private, bria_settings, launch, problem

__all__ = ["launch"]  # the API server fixture, used by name

TOOLS = {
    "list_presets",
    "get_preset",
    "analyze_setup",
    "translate_words",
    "fibo_prompt",
    "render_preview",
    "render_diagram",
    "verify_picture",
    "match_reference",
    "generate",
    "relight_photo",
    "get_generation",
}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
#: The side of the pictures the tests render and read (small, but large enough to read a face).
SIDE = 192

Progress = list[tuple[float, float | None, str | None]]


def loop() -> dict[str, Any]:
    data: dict[str, Any] = PRESETS["loop"].request().model_dump(mode="json", exclude_none=True)
    return data


def text_of(result: CallToolResult) -> str:
    assert len(result.content) >= 1
    block = result.content[0]
    assert isinstance(block, TextContent), block
    return block.text


def structured(result: CallToolResult) -> Any:
    assert not result.is_error, text_of(result)
    assert result.structured_content is not None
    return result.structured_content


def image_of(result: CallToolResult) -> tuple[bytes, str]:
    """The one image a result carries: its bytes and type."""
    images = [block for block in result.content if isinstance(block, ImageContent)]
    assert len(images) == 1, result.content
    return base64.b64decode(images[0].data), images[0].mime_type


def one_line_error(result: CallToolResult) -> str:
    """A tool error's text: the CLI's one line, nothing of the SDK's wording."""
    assert result.is_error
    line = text_of(result)
    assert "\n" not in line
    assert line.startswith("lightrig: error: "), line
    assert "Error executing tool" not in line
    return line


def recorder() -> tuple[Progress, Callable[[float, float | None, str | None], Awaitable[None]]]:
    told: Progress = []

    async def record(progress: float, total: float | None, message: str | None) -> None:
        told.append((progress, total, message))

    return told, record


# ----------------------------------------------------------------------------------- stdio


@asynccontextmanager
async def stdio_session(data_dir: Path, log: Path) -> AsyncIterator[ClientSession]:
    """``lightrig mcp`` started as a subprocess on its own data folder, initialised."""
    env = {
        **os.environ,
        "LIGHTRIG_DATA_DIR": str(data_dir),
        "LIGHTRIG_PREVIEW_SIZE": "96",
        "LIGHTRIG_BACKEND": "preview",
        "LIGHTRIG_TRANSLATOR": "rules",
    }
    server = StdioServerParameters(command=sys.executable, args=["-m", "lightrig", "mcp"], env=env)
    with log.open("w") as errors:
        async with (
            stdio_client(server, errlog=errors) as (read, write),
            ClientSession(read, write) as session,
        ):
            init = await session.initialize()
            assert init.server_info.name == "lightrig"
            assert init.instructions is not None
            assert "plan_light" in init.instructions
            yield session


def test_stdio_serves_every_tool_resource_and_the_prompt(tmp_path: Path) -> None:
    import asyncio

    asyncio.run(_stdio_tour(tmp_path))


async def _stdio_tour(tmp_path: Path) -> None:
    analyzer = LightingAnalyzer()
    async with stdio_session(tmp_path / "data", tmp_path / "server.log") as session:
        listed = {tool.name: tool for tool in (await session.list_tools()).tools}
        assert set(listed) == TOOLS
        for tool in listed.values():
            assert tool.description, tool.name
            assert tool.output_schema is not None, tool.name  # typed outputs, every one
        assert "setup" in listed["analyze_setup"].input_schema["properties"]
        assert listed["generate"].annotations is not None
        assert listed["generate"].annotations.read_only_hint is False
        assert listed["analyze_setup"].annotations is not None
        assert listed["analyze_setup"].annotations.read_only_hint is True

        presets = structured(await session.call_tool("list_presets", {}))["result"]
        assert [p["name"] for p in presets] == list(PRESETS)
        one = structured(await session.call_tool("get_preset", {"name": "loop"}))
        assert SceneRequest.model_validate(one["request"]) == PRESETS["loop"].request()

        # the tools answer what the library answers
        request = PRESETS["rembrandt"].request()
        analysis = structured(await session.call_tool("analyze_setup", {"setup": loop()}))
        assert analysis == analyzer.analyze(PRESETS["loop"].request()).model_dump(mode="json")
        shorthand = {"key": {"azimuth": -40, "elevation": 35, "intensity": 0.8}}
        read = structured(await session.call_tool("analyze_setup", {"setup": shorthand}))
        assert read == analyzer.analyze(SceneRequest.model_validate(shorthand)).model_dump(
            mode="json"
        )
        prompt = structured(
            await session.call_tool("fibo_prompt", {"setup": request.model_dump(mode="json")})
        )
        assert prompt == json.loads(json.dumps(compile_prompt(request)))
        words = structured(
            await session.call_tool("translate_words", {"text": "warm rembrandt light"})
        )
        assert words["translator"] == "rules"
        assert words["understood"]
        assert words["analysis"]["pattern"] == "rembrandt"

        # pictures: the preview as a PNG image, the diagram as SVG text
        preview = await session.call_tool("render_preview", {"setup": loop(), "size": SIDE})
        png, media = image_of(preview)
        assert media == "image/png"
        assert png.startswith(PNG_MAGIC)
        with Image.open(io.BytesIO(png)) as picture:
            assert picture.size == (SIDE, SIDE)
        assert structured(preview)["size"] == SIDE
        diagram = await session.call_tool("render_diagram", {"setup": loop(), "width": 300})
        svg = structured(diagram)["svg"]
        loop_request = PRESETS["loop"].request()
        assert svg == lighting_diagram(loop_request, analyzer.analyze(loop_request), width=300)
        assert text_of(diagram) == svg

        # reading pictures: as base64, as a data: URL and (over stdio) as a file here
        encoded = base64.b64encode(png).decode()
        checked = structured(
            await session.call_tool("verify_picture", {"image": encoded, "preset": "loop"})
        )
        assert checked["adherence"] is not None
        assert checked["adherence"]["overall"] > 0.5
        file = tmp_path / "loop.png"
        file.write_bytes(png)
        by_path = structured(
            await session.call_tool("verify_picture", {"image": str(file), "preset": "loop"})
        )
        assert by_path["adherence"] == checked["adherence"]
        matched = structured(
            await session.call_tool(
                "match_reference", {"image": f"data:image/png;base64,{encoded}"}
            )
        )
        assert "key" in matched["request"]["lighting_setup"]
        assert matched["parts"]

        # making images, with the gate and progress, and reading them back
        told, record = recorder()
        made = await session.call_tool(
            "generate",
            {"preset": "loop", "seed": 7, "gate": {"min_adherence": 0.3, "max_attempts": 2}},
            progress_callback=record,
        )
        generation = structured(made)["generation"]
        assert generation["status"] == "success"
        assert generation["seed"] == 7
        assert generation["gate"]["outcome"] == "passed"
        assert generation["gate"]["policy"]["max_attempts"] == 2
        assert told, "no progress was reported"
        assert told[-1][1] == 2  # attempts made, of those the gate allows
        made_png, _ = image_of(made)
        with Image.open(io.BytesIO(made_png)) as picture:
            assert picture.size == (96, 96)  # LIGHTRIG_PREVIEW_SIZE
        again = await session.call_tool(
            "get_generation", {"generation_id": generation["generation_id"]}
        )
        assert structured(again)["generation"]["generation_id"] == generation["generation_id"]
        assert image_of(again)[0] == made_png
        bare = await session.call_tool(
            "get_generation",
            {"generation_id": generation["generation_id"], "include_image": False},
        )
        assert not [b for b in bare.content if isinstance(b, ImageContent)]
        from_words = structured(
            await session.call_tool("generate", {"words": "soft butterfly light", "seed": 3})
        )
        assert from_words["understood"]
        assert from_words["generation"]["status"] == "success"
        relit = await session.call_tool(
            "relight_photo", {"image": encoded, "preset": "split", "seed": 5}
        )
        relit_record = structured(relit)["generation"]
        assert relit_record["status"] == "success"
        assert relit_record["source"] is not None
        assert image_of(relit)[0].startswith(PNG_MAGIC)

        # resources and the prompt
        resources = {str(r.uri) for r in (await session.list_resources()).resources}
        assert {"lightrig://presets", "lightrig://vocabulary"} <= resources
        templates = (await session.list_resource_templates()).resource_templates
        assert [t.uri_template for t in templates] == ["lightrig://presets/{name}"]
        vocabulary = (await session.read_resource("lightrig://vocabulary")).contents[0]
        assert json.loads(getattr(vocabulary, "text", "")) == conventions().model_dump(mode="json")
        all_presets = (await session.read_resource("lightrig://presets")).contents[0]
        assert [p["name"] for p in json.loads(getattr(all_presets, "text", ""))] == list(PRESETS)
        split = (await session.read_resource("lightrig://presets/split")).contents[0]
        assert json.loads(getattr(split, "text", ""))["name"] == "split"
        prompts = (await session.list_prompts()).prompts
        assert [p.name for p in prompts] == ["plan_light"]
        plan = await session.get_prompt(
            "plan_light", {"subject": "a cellist on stage", "look": "moody"}
        )
        plan_text = getattr(plan.messages[0].content, "text", "")
        assert "a cellist on stage (moody)" in plan_text
        named = {word.strip(".,:;()") for word in plan_text.split() if "_" in word}
        assert named - {"min_adherence", "max_attempts", "plan_light"} <= TOOLS, named


def test_stdio_tool_errors_are_the_cli_one_line(tmp_path: Path) -> None:
    import asyncio

    from lightrig.cli import error_line
    from lightrig.errors import InvalidLightingSetupError

    async def tour() -> None:
        async with stdio_session(tmp_path / "data", tmp_path / "server.log") as session:
            bad = {"key": {"azimuth": -40, "intensity": 7}}
            line = one_line_error(await session.call_tool("analyze_setup", {"setup": bad}))
            try:
                SceneRequest.model_validate(bad)
            except InvalidLightingSetupError as exc:
                expected = error_line(exc, "mcp")[0]
            # the CLI's line for the same setup, under the argument that holds it
            assert line == expected.replace("error: ", "error: setup.", 1)
            assert line == (
                "lightrig: error: setup.lighting_setup.key.intensity: got 7; accepted: a "
                "number from 0 to 1"
            )
            size = one_line_error(
                await session.call_tool("render_preview", {"setup": loop(), "size": 5000})
            )
            assert size.startswith("lightrig: error: size: got 5000; accepted:"), size
            missing = one_line_error(await session.call_tool("get_preset", {"name": "nope"}))
            assert missing.startswith("lightrig: error: name: no preset 'nope'; presets: "), missing
            picture = one_line_error(
                await session.call_tool("verify_picture", {"image": "not a picture!"})
            )
            assert picture == ("lightrig: error: image: neither a file here nor valid base64"), (
                picture
            )
            two = one_line_error(
                await session.call_tool("generate", {"preset": "loop", "words": "soft light"})
            )
            assert two == (
                "lightrig: error: setup: give the light as exactly one of setup, preset or "
                "words, not preset and words"
            )
            unknown = one_line_error(
                await session.call_tool("get_generation", {"generation_id": "no-such-id"})
            )
            assert "no-such-id" in unknown
            gate = one_line_error(
                await session.call_tool(
                    "generate", {"preset": "loop", "gate": {"min_adherence": 2}}
                )
            )
            assert gate.startswith("lightrig: error: gate.min_adherence: got 2; accepted:"), gate

    asyncio.run(tour())
    # the server's logs are JSON lines on standard error (standard output is the protocol's)
    logged = (tmp_path / "server.log").read_text().splitlines()
    assert logged  # each failed call is logged
    assert all(json.loads(line)["level"] for line in logged if line.strip()), logged


# ----------------------------------------------------------------------------------- HTTP


@asynccontextmanager
async def http_session(url: str, key: str | None) -> AsyncIterator[ClientSession]:
    """An MCP session on ``url``/mcp over streamable HTTP, sending ``key`` as a bearer token."""
    headers = {"Authorization": f"Bearer {key}"} if key is not None else None
    async with (
        create_mcp_http_client(headers=headers) as client,
        streamable_http_client(f"{url}/mcp", http_client=client) as (read, write),
        ClientSession(read, write) as session,
    ):
        await session.initialize()
        yield session


def test_http_mount_serves_each_user_as_themselves(launch: Launch) -> None:
    import asyncio

    api = launch()

    async def tour() -> tuple[dict[str, Any], str]:
        async with http_session(api.url, api.keys["alice"]) as alice:
            assert {tool.name for tool in (await alice.list_tools()).tools} == TOOLS
            # renders and readings go through the API's CPU pool
            png, _ = image_of(
                await alice.call_tool("render_preview", {"setup": loop(), "size": SIDE})
            )
            encoded = base64.b64encode(png).decode()
            checked = await alice.call_tool("verify_picture", {"image": encoded, "preset": "loop"})
            assert structured(checked)["adherence"]["overall"] > 0.5
            # the server's files are not the caller's to name
            refused_path = one_line_error(
                await alice.call_tool(
                    "verify_picture", {"image": str(api.settings.data_dir / "lightrig.db")}
                )
            )
            assert refused_path == "lightrig: error: image: not valid base64", refused_path
            made = await alice.call_tool("generate", {"preset": "loop", "seed": 11})
            generation = structured(made)["generation"]
            assert generation["user_id"] is not None
            assert image_of(made)[0].startswith(PNG_MAGIC)
            mine = await alice.call_tool(
                "get_generation", {"generation_id": generation["generation_id"]}
            )
            assert structured(mine)["generation"]["generation_id"] == generation["generation_id"]
        async with http_session(api.url, api.keys["bob"]) as bob:
            refused = one_line_error(
                await bob.call_tool(
                    "get_generation", {"generation_id": generation["generation_id"]}
                )
            )
        return generation, refused

    generation, refused = asyncio.run(tour())
    identifier = generation["generation_id"]
    # shown as the API shows it: its image at the API's owner-only URL
    assert generation["image_url"] == f"/v1/generations/{identifier}/image"
    assert_private(httpx.Response(200, text=json.dumps(generation)), api.settings.data_dir)
    assert identifier in refused
    # the REST API agrees: alice's generation is hers, and not found for bob
    assert api.client("alice").get(f"/v1/generations/{identifier}").status_code == 200
    problem(api.client("bob").get(f"/v1/generations/{identifier}"), 404)


def test_the_rest_server_serves_without_the_mcp_extra(tmp_path: Path) -> None:
    from tests.test_extras import _without

    code = f"""
from lightrig.api.app import create_app
from lightrig.config import Settings
app = create_app(Settings(data_dir={str(tmp_path)!r}))
paths = [getattr(route, "path", "") for route in app.routes]
print("/v1/analyze" in app.openapi()["paths"], "/mcp" in paths, app.state.mcp)
"""
    done = _without(["mcp"], code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "False", "None"]


def test_http_mount_refuses_a_request_without_a_valid_key(launch: Launch) -> None:
    import asyncio

    api = launch()
    hello = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-06-18",
            "capabilities": {},
            "clientInfo": {"name": "test", "version": "0"},
        },
    }
    headers = {"Accept": "application/json, text/event-stream"}
    for client in (api.client(None), api.client(key="lr_not-a-key")):
        refused = problem(client.post("/mcp", json=hello, headers=headers), 401)
        assert refused["detail"].startswith(("an API key is required", "the API key is unknown"))
        assert client.post("/mcp", json=hello, headers=headers).headers["www-authenticate"]

    async def without_key() -> None:
        async with http_session(api.url, None):
            pass

    # the SDK's client is refused at its first request (the 401 above), as an error
    with pytest.raises(ExceptionGroup) as caught:
        asyncio.run(without_key())
    assert caught.group_contains(MCPError, match="error response", depth=None)


def test_http_background_generation_reports_its_gate_progress(launch: Launch) -> None:
    """On a hosted backend the generation runs in the background; the tool follows it, telling
    each attempt of its gate as it finishes, and answers with the best attempt."""
    import asyncio

    with mock_host("bria", image_size=128, latency_s=0.05) as host:
        host.server.stray_seeds(8)  # the first attempt's light strays: the gate re-rolls
        api = launch(**bria_settings(host.server, bria_api_token=host.settings().bria_api_token))

        async def tour() -> tuple[dict[str, Any], Progress]:
            told, record = recorder()
            async with http_session(api.url, api.keys["alice"]) as alice:
                made = await alice.call_tool(
                    "generate",
                    {"setup": loop(), "seed": 8, "gate": {"min_adherence": 0.8}},
                    progress_callback=record,
                )
            return structured(made)["generation"], told

        generation, told = asyncio.run(tour())
        assert generation["status"] == "success"
        assert generation["backend"] == "bria"
        assert generation["gate"]["outcome"] == "passed"
        assert generation["generation_id"] == generation["gate"]["best_id"]
        assert len(generation["gate"]["attempts"]) == 2
        done = [progress for progress, total, _ in told if total == 3]
        assert done == sorted(done)
        assert done[0] == 0  # told while the first attempt was still running
        assert done[-1] == 2
        assert host.server.accepted == 2


def test_the_mcp_server_is_built_after_the_first_preview_not_before(tmp_path: Path) -> None:
    """A server just started spends nothing on MCP until its first preview has been served
    (or an agent calls /mcp, tested above), then builds it and runs it."""
    import asyncio

    from lightrig.api.app import create_app
    from lightrig.config import Settings

    app = create_app(Settings(data_dir=tmp_path), allow_anonymous=True)

    async def tour() -> tuple[object, object]:
        inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        lifespan = asyncio.ensure_future(
            app({"type": "lifespan", "asgi": {"version": "3.0"}}, inbox.get, outbox.put)
        )
        await inbox.put({"type": "lifespan.startup"})
        assert (await asyncio.wait_for(outbox.get(), 60))["type"] == "lifespan.startup.complete"
        await asyncio.sleep(0.5)
        before = app.state.mcp.server  # no preview yet, no call to /mcp: not built
        app.state.previewed.set()
        for _ in range(600):
            if app.state.mcp.server is not None:
                break
            await asyncio.sleep(0.1)
        after = app.state.mcp.server
        await inbox.put({"type": "lifespan.shutdown"})
        assert (await asyncio.wait_for(outbox.get(), 60))["type"] == "lifespan.shutdown.complete"
        await lifespan
        return before, after

    before, after = asyncio.run(tour())
    assert before is None
    assert after is not None
