"""Saved setups through the REST API (a real uvicorn server over HTTP) and the command line (real
processes, real exit codes): saved, listed, read, renamed, deleted; names unique per user;
another user's setups invisible; share links that open a setup without a key, grant nothing
else, and answer 404 once revoked or deleted; setup files exported and imported.

The store's own contract, on SQLite and PostgreSQL, is ``tests/test_metadata_store.py``'s.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from lightrig.api.app import create_app
from lightrig.config import Settings
from lightrig.db.factory import create_store
from lightrig.models.scene import SceneRequest
from lightrig.models.setup_file import setup_file
from lightrig.presets import PRESETS
from tests.apiserver import serve

PROBLEM_JSON = "application/problem+json"


def preset(name: str) -> dict[str, Any]:
    """A preset's scene request, as JSON."""
    data: dict[str, Any] = PRESETS[name].request().model_dump(mode="json")
    return data


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    """``response`` is a problem+json of ``status``; its body."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["detail"]
    return body


def _settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, preview_size=64)


async def _users(data_dir: Path, *names: str) -> list[str]:
    store = create_store(_settings(data_dir))
    try:
        await store.migrate()
        return [(await store.create_user(name))[1] for name in names]
    finally:
        await store.aclose()


@dataclass
class Server:
    url: str
    data_dir: Path

    def client(self, key: str | None = None) -> httpx.Client:
        headers = {} if key is None else {"Authorization": f"Bearer {key}"}
        return httpx.Client(base_url=self.url, headers=headers, timeout=30)


@pytest.fixture
def open_server(tmp_path: Path) -> Iterator[Server]:
    """A server with no users: this machine's requests act as the local user."""
    with serve(create_app(_settings(tmp_path), allow_anonymous=True)) as url:
        yield Server(url, tmp_path)


@pytest.fixture
def keyed(tmp_path: Path) -> Iterator[tuple[Server, str, str]]:
    """A server whose requests need a key, and alice's and bob's keys."""
    alice, bob = asyncio.run(_users(tmp_path, "alice", "bob"))
    with serve(create_app(_settings(tmp_path))) as url:
        yield Server(url, tmp_path), alice, bob


# ------------------------------------------------------------------------------------- the API


def test_a_setup_is_saved_listed_read_renamed_and_deleted(open_server: Server) -> None:
    with open_server.client() as client:
        assert client.get("/v1/setups").json() == []
        made = client.post("/v1/setups", json={"name": "Portrait", "request": preset("loop")})
        assert made.status_code == 201, made.text
        body = made.json()
        assert made.headers["location"] == f"/v1/setups/{body['setup_id']}"
        assert body["name"] == "Portrait"
        assert body["shared"] is False
        assert SceneRequest.model_validate(body["request"]) == PRESETS["loop"].request()
        assert body["created_at"] == body["updated_at"]
        other = client.post("/v1/setups", json={"name": "Split", "request": preset("split")})
        assert other.status_code == 201

        listed = client.get("/v1/setups").json()
        assert [item["name"] for item in listed] == ["Split", "Portrait"]  # the latest first
        assert [item["name"] for item in client.get("/v1/setups?limit=1").json()] == ["Split"]
        assert client.get(f"/v1/setups/{body['setup_id']}").json() == body

        renamed = client.patch(f"/v1/setups/{body['setup_id']}", json={"name": "Loop, warm"})
        assert renamed.status_code == 200
        assert renamed.json()["name"] == "Loop, warm"
        assert renamed.json()["setup_id"] == body["setup_id"]
        listed = client.get("/v1/setups").json()
        assert [item["name"] for item in listed] == ["Loop, warm", "Split"]

        gone = client.delete(f"/v1/setups/{body['setup_id']}")
        assert gone.status_code == 204
        problem(client.get(f"/v1/setups/{body['setup_id']}"), 404)
        problem(client.delete(f"/v1/setups/{body['setup_id']}"), 404)
        assert [item["name"] for item in client.get("/v1/setups").json()] == ["Split"]


def test_a_name_in_use_is_409_unless_saved_over(open_server: Server) -> None:
    with open_server.client() as client:
        first = client.post("/v1/setups", json={"name": "Key", "request": preset("loop")}).json()
        refused = problem(
            client.post("/v1/setups", json={"name": "Key", "request": preset("split")}), 409
        )
        assert "'Key' exists already" in refused["detail"]
        assert "overwrite" in refused["detail"]
        over = client.post(
            "/v1/setups", json={"name": "Key", "request": preset("split"), "overwrite": True}
        )
        assert over.status_code == 200
        assert over.json()["setup_id"] == first["setup_id"]
        assert SceneRequest.model_validate(over.json()["request"]) == PRESETS["split"].request()
        other = client.post("/v1/setups", json={"name": "Other", "request": preset("loop")})
        renaming = client.patch(f"/v1/setups/{other.json()['setup_id']}", json={"name": "Key"})
        assert "'Key' exists already" in problem(renaming, 409)["detail"]


def test_bad_input_is_422_naming_the_field(open_server: Server) -> None:
    with open_server.client() as client:
        for name in ("", " padded", "a\nb", "x" * 101):
            answer = client.post("/v1/setups", json={"name": name, "request": preset("loop")})
            body = problem(answer, 422)
            assert [error["loc"] for error in body["errors"]] == ["body.name"], body
            assert "accepted: 1-100 characters" in body["errors"][0]["message"]
        bad_light = {"lighting_setup": {"key": {"azimuth": -40, "intensity": 7}}}
        body = problem(client.post("/v1/setups", json={"name": "x", "request": bad_light}), 422)
        assert [error["loc"] for error in body["errors"]] == [
            "body.request.lighting_setup.key.intensity"
        ]
        nul = {**preset("loop"), "subject_description": "a\u0000b"}
        body = problem(client.post("/v1/setups", json={"name": "x", "request": nul}), 422)
        assert [error["loc"] for error in body["errors"]] == ["request.subject_description"]
        assert "NUL" in body["detail"]
        body = problem(client.post("/v1/setups", json={"name": "x"}), 422)
        assert [error["loc"] for error in body["errors"]] == ["body.request"]
        problem(client.patch("/v1/setups/nothing", json={"name": ""}), 422)
        problem(client.get("/v1/setups?limit=0"), 422)
        assert client.get("/v1/setups").json() == []  # nothing half-made


def test_another_users_setups_are_invisible(keyed: tuple[Server, str, str]) -> None:
    server, alice, bob = keyed
    with server.client(alice) as as_alice, server.client(bob) as as_bob, server.client() as none:
        problem(none.get("/v1/setups"), 401)  # no key: nothing
        mine = as_alice.post("/v1/setups", json={"name": "Mine", "request": preset("loop")})
        setup_id = mine.json()["setup_id"]
        assert as_bob.get("/v1/setups").json() == []
        problem(as_bob.get(f"/v1/setups/{setup_id}"), 404)
        problem(as_bob.get("/v1/setups/Mine"), 404)  # nor by its name
        problem(as_bob.patch(f"/v1/setups/{setup_id}", json={"name": "Bob's"}), 404)
        problem(as_bob.post(f"/v1/setups/{setup_id}/share"), 404)
        problem(as_bob.delete(f"/v1/setups/{setup_id}/share"), 404)
        problem(as_bob.delete(f"/v1/setups/{setup_id}"), 404)
        # bob may use the same name for a setup of his own
        assert as_bob.post(
            "/v1/setups", json={"name": "Mine", "request": preset("split")}
        ).is_success
        theirs = as_alice.get("/v1/setups").json()
        assert [(item["setup_id"], item["name"]) for item in theirs] == [(setup_id, "Mine")]
        assert SceneRequest.model_validate(theirs[0]["request"]) == PRESETS["loop"].request()


def test_a_share_link_opens_the_setup_without_a_key_and_nothing_else(
    keyed: tuple[Server, str, str],
) -> None:
    server, alice, _ = keyed
    with server.client(alice) as as_alice, server.client() as anyone:
        setup_id = as_alice.post(
            "/v1/setups", json={"name": "Butterfly", "request": preset("butterfly")}
        ).json()["setup_id"]
        made = as_alice.post(f"/v1/setups/{setup_id}/share")
        assert made.status_code == 201, made.text
        link = made.json()
        token = link["token"]
        assert token.startswith("lrs_")
        assert len(token) == 47
        assert link["setup_id"] == setup_id
        assert link["url"] == f"{server.url}/?share={token}"
        assert link["api_path"] == f"/v1/shared/{token}"
        assert as_alice.get(f"/v1/setups/{setup_id}").json()["shared"] is True

        opened = anyone.get(link["api_path"])
        assert opened.status_code == 200, opened.text
        assert opened.headers["cache-control"] == "no-store"
        shown = opened.json()
        assert set(shown) == {"name", "request", "updated_at"}  # nothing of the owner
        assert shown["name"] == "Butterfly"
        assert SceneRequest.model_validate(shown["request"]) == PRESETS["butterfly"].request()
        assert anyone.get(f"/?share={token}").status_code == 200  # the studio's page

        # the token is no key: it grants nothing else
        as_token = {"Authorization": f"Bearer {token}"}
        for path in ("/v1/setups", f"/v1/setups/{setup_id}", "/v1/generations", "/v1/presets"):
            problem(anyone.get(path, headers=as_token), 401)
            problem(anyone.get(path), 401)
        problem(anyone.post(f"/v1/setups/{setup_id}/share", headers=as_token), 401)
        problem(anyone.get(f"/v1/shared/{token[:-1]}"), 404)
        problem(anyone.get("/v1/shared/lrs_" + "A" * 43), 404)

        second = as_alice.post(f"/v1/setups/{setup_id}/share").json()["token"]
        assert anyone.get(f"/v1/shared/{second}").status_code == 200
        assert as_alice.delete(f"/v1/setups/{setup_id}/share").status_code == 204
        for revoked in (token, second):
            body = problem(anyone.get(f"/v1/shared/{revoked}"), 404)
            assert "unknown or was revoked" in body["detail"]
        assert as_alice.get(f"/v1/setups/{setup_id}").json()["shared"] is False
        assert as_alice.delete(f"/v1/setups/{setup_id}/share").status_code == 204  # again: fine

        third = as_alice.post(f"/v1/setups/{setup_id}/share").json()["token"]
        assert anyone.get(f"/v1/shared/{third}").status_code == 200
        assert as_alice.delete(f"/v1/setups/{setup_id}").status_code == 204
        problem(anyone.get(f"/v1/shared/{third}"), 404)  # a deleted setup's link


def test_a_link_opens_what_the_setup_holds_now(open_server: Server) -> None:
    with open_server.client() as client:
        made = client.post("/v1/setups", json={"name": "Live", "request": preset("loop")})
        token = client.post(f"/v1/setups/{made.json()['setup_id']}/share").json()["token"]
        client.post(
            "/v1/setups", json={"name": "Live", "request": preset("split"), "overwrite": True}
        )
        shown = client.get(f"/v1/shared/{token}").json()
        assert SceneRequest.model_validate(shown["request"]) == PRESETS["split"].request()


def test_the_document_says_only_the_shared_setup_needs_no_key(
    keyed: tuple[Server, str, str],
) -> None:
    server, _, _ = keyed
    document = httpx.get(f"{server.url}/openapi.json").json()
    shared = document["paths"]["/v1/shared/{token}"]["get"]
    assert "security" not in shared
    assert "401" not in shared["responses"]
    assert set(shared["responses"]) >= {"200", "404"}
    for path, methods in (
        ("/v1/setups", ("get", "post")),
        ("/v1/setups/{setup_id}", ("get", "patch", "delete")),
        ("/v1/setups/{setup_id}/share", ("post", "delete")),
    ):
        for method in methods:
            operation = document["paths"][path][method]
            assert operation["security"] == [{"apiKey": []}], (path, method)
            assert "401" in operation["responses"]
    name = document["components"]["schemas"]["SetupSave"]["properties"]["name"]
    assert name["maxLength"] == 100
    assert name["pattern"].startswith("^[^")


# --------------------------------------------------------------------------- the command line


def cli(*args: str, data_dir: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "lightrig", "setups", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "LIGHTRIG_DATA_DIR": str(data_dir)},
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def refused(*args: str, data_dir: Path) -> str:
    """The one line a command refused with (exit code 2)."""
    result = cli(*args, data_dir=data_dir, check=False)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("lightrig: error: ")
    return lines[0]


def test_the_cli_saves_lists_shows_renames_and_deletes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    saved = json.loads(cli("save", "Loop", "--preset", "loop", "--json", data_dir=data).stdout)
    assert saved["name"] == "Loop"
    assert saved["user_id"] == "local"
    assert SceneRequest.model_validate(saved["request"]) == PRESETS["loop"].request()
    setup = tmp_path / "split.json"
    setup.write_text(json.dumps(preset("split")))
    cli("save", "Split", str(setup), data_dir=data)
    listed = json.loads(cli("list", "--json", data_dir=data).stdout)
    assert [item["name"] for item in listed] == ["Split", "Loop"]
    human = cli("list", data_dir=data).stdout
    assert "2 saved setups" in human
    assert saved["setup_id"] in human

    shown = json.loads(cli("show", "Loop", "--json", data_dir=data).stdout)  # by name
    assert shown == saved
    assert json.loads(cli("show", saved["setup_id"], "--json", data_dir=data).stdout) == saved
    words = cli("show", "Loop", data_dir=data).stdout
    assert "Loop" in words
    assert "key" in words

    assert "exists already" in refused("save", "Loop", "--preset", "split", data_dir=data)
    over = json.loads(
        cli("save", "Loop", "--preset", "split", "--overwrite", "--json", data_dir=data).stdout
    )
    assert over["setup_id"] == saved["setup_id"]
    renamed = json.loads(cli("rename", "Loop", "Loop 2", "--json", data_dir=data).stdout)
    assert renamed["name"] == "Loop 2"
    assert "'Split' exists already" in refused("rename", "Loop 2", "Split", data_dir=data)
    removed = json.loads(cli("delete", "Loop 2", "--json", data_dir=data).stdout)
    assert removed["setup_id"] == saved["setup_id"]
    assert "no saved setup 'Loop 2'" in refused("show", "Loop 2", data_dir=data)
    assert "name: got an empty name" in refused("save", "", "--preset", "loop", data_dir=data)
    assert "--user: no user 'carol'" in refused("list", "--user", "carol", data_dir=data)


def test_the_cli_exports_what_it_imports_and_refuses_bad_files_in_one_line(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    cli("save", "Rembrandt", "--preset", "rembrandt", data_dir=data)
    out = tmp_path / "exported.json"
    cli("export", "Rembrandt", "--out", str(out), data_dir=data)
    written = json.loads(out.read_text())
    assert written == setup_file(PRESETS["rembrandt"].request())
    assert cli("export", "Rembrandt", data_dir=data).stdout == out.read_text()  # to stdout alike

    imported = json.loads(cli("import", str(out), "--json", data_dir=data).stdout)
    assert imported["name"] == "exported"  # the file's name
    assert SceneRequest.model_validate(imported["request"]) == PRESETS["rembrandt"].request()
    named = json.loads(cli("import", str(out), "--name", "Again", "--json", data_dir=data).stdout)
    assert named["name"] == "Again"
    assert "'exported' exists already" in refused("import", str(out), data_dir=data)
    # a saved setup as the API (or --json) answers it keeps its name
    answer = tmp_path / "answer.json"
    answer.write_text(json.dumps({"name": "From the API", "request": preset("split")}))
    assert json.loads(cli("import", str(answer), "--json", data_dir=data).stdout)["name"] == (
        "From the API"
    )

    broken = tmp_path / "broken.json"
    broken.write_text('{"lighting_setup": ')
    assert "invalid JSON at line 1" in refused("import", str(broken), data_dir=data)
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"lighting_setup": {"key": {"azimuth": 0, "intensity": 3}}}))
    line = refused("import", str(wrong), data_dir=data)
    assert "lighting_setup.key.intensity" in line
    assert f"{tmp_path / 'missing.json'}: no such file" in refused(
        "import", str(tmp_path / "missing.json"), data_dir=data
    )
    listed = json.loads(cli("list", "--json", data_dir=data).stdout)
    assert sorted(item["name"] for item in listed) == [
        "Again",
        "From the API",
        "Rembrandt",
        "exported",
    ]


def test_the_cli_shares_and_the_server_opens_the_link_until_unshared(tmp_path: Path) -> None:
    alice, _ = asyncio.run(_users(tmp_path, "alice", "bob"))
    cli("save", "Hers", "--preset", "clamshell", "--user", "alice", data_dir=tmp_path)
    assert json.loads(cli("list", "--user", "bob", "--json", data_dir=tmp_path).stdout) == []
    assert json.loads(cli("list", "--json", data_dir=tmp_path).stdout) == []  # the local user's
    assert "no saved setup 'Hers'" in refused("share", "Hers", "--user", "bob", data_dir=tmp_path)
    link = json.loads(
        cli(
            "share",
            "Hers",
            "--user",
            "alice",
            "--base-url",
            "http://studio.example/",
            "--json",
            data_dir=tmp_path,
        ).stdout
    )
    token = link["token"]
    assert link["url"] == f"http://studio.example/?share={token}"
    with serve(create_app(_settings(tmp_path))) as url:
        opened = httpx.get(f"{url}/v1/shared/{token}")
        assert opened.status_code == 200
        assert opened.json()["name"] == "Hers"
        listed = httpx.get(f"{url}/v1/setups", headers={"Authorization": f"Bearer {alice}"})
        assert [item["name"] for item in listed.json()] == ["Hers"]
        unshared = json.loads(
            cli("unshare", "Hers", "--user", "alice", "--json", data_dir=tmp_path).stdout
        )
        assert unshared["revoked"] == 1
        assert unshared["shared"] is False
        assert httpx.get(f"{url}/v1/shared/{token}").status_code == 404
