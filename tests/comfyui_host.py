"""A real ComfyUI for the node pack's test: its own virtual environment, built once and cached,
and a server started from the source snapshot in ``../shared/comfyui`` with lightrig's pack
linked into a custom-nodes folder of its own.

The environment. ComfyUI's ``requirements.txt`` with torch 2.14.1 and torchvision 0.29.1 (both
lie on this project's machines' disk, ``/opt/wheels``; PyPI's torchvision does not load beside
the CPU-only torch 2.13.0 file, and ComfyUI cannot start without torchvision). torchaudio is
left out (ComfyUI loads it only for its audio nodes) and so is spandrel (an upscaler loader
whose torchvision requirement would pull another torch). lightrig's own run-time dependencies
(``[project].dependencies`` of ``pyproject.toml``) are installed with them; lightrig itself is
not: the server gets the repository's ``src`` on ``PYTHONPATH``, so one cached environment
serves every checkout. It lives in ``~/.cache/lightrig-comfyui-venv/<key>``, the key a hash of
ComfyUI's requirements, lightrig's dependencies and this recipe; it is built in a temporary
folder and renamed into place, so an interrupted build leaves nothing that looks finished.

The server. ``python main.py --cpu --listen 127.0.0.1 --port N --base-directory DIR``: the
snapshot is read where it is, never written (its ``custom_nodes``, input, output, temporary and
user folders all move to ``DIR``); ``DIR/custom_nodes/lightrig_nodes`` links to the repository's
``comfyui/lightrig_nodes``, the folder a user puts under their own ``custom_nodes``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

__all__ = ["ComfyServer", "comfyui_snapshot", "comfyui_venv", "running_comfyui"]

REPO = Path(__file__).resolve().parents[1]
PACK = REPO / "comfyui" / "lightrig_nodes"
CACHE = Path.home() / ".cache" / "lightrig-comfyui-venv"
#: What ComfyUI's own torch lines become; the machines hold both files on disk.
TORCH = ("torch==2.14.1", "torchvision==0.29.1")
#: Requirements left out (see the module docstring), and ComfyUI's torch lines, replaced.
LEFT_OUT = frozenset({"torch", "torchvision", "torchaudio", "spandrel"})
#: What ComfyUI imports without listing it (spandrel's dependencies used to bring it).
UNLISTED = ("requests",)
#: Changes whenever the recipe below does, so that a changed recipe builds afresh.
RECIPE = "3"
START_TIMEOUT_S = 240.0


def _snapshot_places() -> list[Path]:
    """Where the snapshot may be: ``LIGHTRIG_COMFYUI_SNAPSHOT``, else ``shared/comfyui`` beside
    the checkout, beside the main checkout when this is a ``git worktree``, or beside the local
    repository this checkout was cloned from."""
    if named := os.environ.get("LIGHTRIG_COMFYUI_SNAPSHOT"):
        return [Path(named)]
    places = [REPO.parent / "shared" / "comfyui"]
    found = subprocess.run(
        ["git", "rev-parse", "--path-format=absolute", "--git-common-dir"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode == 0 and found.stdout.strip():
        places.append(Path(found.stdout.strip()).parent.parent / "shared" / "comfyui")
    # a clean checkout cloned from a local repository (as CI makes one): beside that repository
    origin = subprocess.run(
        ["git", "remote", "get-url", "origin"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    source = origin.stdout.strip().removeprefix("file://")
    if origin.returncode == 0 and source.startswith("/"):
        places.append(Path(source).resolve().parent / "shared" / "comfyui")
    return list(dict.fromkeys(places))


def comfyui_snapshot() -> Path:
    """The ComfyUI source snapshot; skips (fails in CI) when it is not there."""
    places = _snapshot_places()
    for place in places:
        if (place / "main.py").is_file():
            return place
    message = f"no ComfyUI snapshot at {' or '.join(map(str, places))} (see SNAPSHOT.txt there)"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI needs it")
    pytest.skip(message)


def _requirement_name(line: str) -> str:
    name = line.split("#", 1)[0].strip()
    for mark in "<>=!~;[ ":
        name = name.split(mark, 1)[0]
    return name.lower()


def _requirements(snapshot: Path) -> list[str]:
    lines = (snapshot / "requirements.txt").read_text(encoding="utf-8").splitlines()
    kept = [line.split("#", 1)[0].strip() for line in lines]
    return [line for line in kept if line and _requirement_name(line) not in LEFT_OUT]


def _lightrig_dependencies() -> list[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return list(project["dependencies"])


def _key(requirements: list[str]) -> str:
    text = json.dumps([RECIPE, list(TORCH), requirements, sys.version_info[:2]])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def comfyui_venv(snapshot: Path) -> Path:
    """The cached environment's Python (built on first use: some minutes, ~6 GB)."""
    requirements = _requirements(snapshot) + list(UNLISTED) + _lightrig_dependencies()
    home = CACHE / _key(requirements)
    python = home / "bin" / "python"
    if python.is_file():
        return python
    CACHE.mkdir(parents=True, exist_ok=True)
    building = CACHE / f"{home.name}.building-{os.getpid()}"
    shutil.rmtree(building, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(building)], check=True)
    pip = [str(building / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    constraints = building / "torch-constraints.txt"
    constraints.write_text("\n".join(TORCH) + "\n", encoding="utf-8")
    subprocess.run([*pip, *TORCH], check=True)
    subprocess.run([*pip, "-c", str(constraints), *requirements], check=True)
    try:
        building.rename(home)
    except OSError:  # another run finished first: use its environment
        shutil.rmtree(building, ignore_errors=True)
    # a venv's scripts name the folder they were made in; only `bin/python` is used here
    return python


@dataclass(frozen=True)
class ComfyServer:
    """A running ComfyUI: its address and its folders."""

    url: str
    base: Path
    log: Path

    def get(self, path: str) -> Any:
        """The JSON answer to ``GET path``."""
        with urllib.request.urlopen(self.url + path, timeout=30) as answer:
            return json.load(answer)

    def get_bytes(self, path: str) -> bytes:
        """The raw answer to ``GET path``."""
        with urllib.request.urlopen(self.url + path, timeout=30) as answer:
            return bytes(answer.read())

    def post(self, path: str, body: Any) -> Any:
        """The JSON answer to ``POST path`` with ``body`` as JSON (``None`` for an empty one);
        an error answer's body is raised as an :class:`AssertionError` that shows it."""
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                text = answer.read()
                return json.loads(text) if text.strip() else None
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"{path}: {exc.code} {exc.read().decode()[:2000]}") from None

    def log_text(self) -> str:
        """What the server has printed so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_comfyui(base: Path) -> Iterator[ComfyServer]:
    """ComfyUI serving on a free loopback port, its folders under ``base``, lightrig's pack in
    its custom nodes; stopped (its process group) on exit."""
    snapshot = comfyui_snapshot()
    python = comfyui_venv(snapshot)
    nodes = base / "custom_nodes"
    nodes.mkdir(parents=True, exist_ok=True)
    (nodes / PACK.name).symlink_to(PACK, target_is_directory=True)
    port = _free_port()
    log = base / "comfyui.log"
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO / "src"),
        "NUMBA_CACHE_DIR": str(base / "numba-cache"),
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    command = [str(python), "main.py", "--cpu", "--listen", "127.0.0.1", "--port", str(port)]
    command += ["--base-directory", str(base), "--disable-auto-launch"]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=snapshot,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = ComfyServer(f"http://127.0.0.1:{port}", base, log)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise AssertionError(f"ComfyUI exited ({process.returncode}):\n{server.log_text()}")
            try:
                server.get("/system_stats")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise AssertionError(
                        f"ComfyUI did not answer in {START_TIMEOUT_S:.0f} s:\n{server.log_text()}"
                    ) from None
                time.sleep(1.0)
        yield server
    finally:
        if process.poll() is None:
            os.killpg(process.pid, 15)
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)
                process.wait()
