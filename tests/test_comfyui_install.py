"""``lightrig comfyui install PATH``: the pack's loader folder written into a ComfyUI's
``custom_nodes``, the same file the repository keeps; bad places refused in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lightrig.comfyui.install import FOLDER, LOADER_SOURCE, NotAComfyUIError, install_pack
from tests.test_cli import bad, run

REPO_LOADER = Path(__file__).resolve().parents[1] / "comfyui" / FOLDER / "__init__.py"


@pytest.fixture
def comfyui(tmp_path: Path) -> Path:
    (tmp_path / "custom_nodes").mkdir()
    (tmp_path / "main.py").write_text("", encoding="utf-8")
    return tmp_path


def test_the_repositorys_folder_is_the_one_installed() -> None:
    assert REPO_LOADER.read_text(encoding="utf-8") == LOADER_SOURCE


def test_install_writes_the_loader_and_may_run_again(comfyui: Path) -> None:
    loader = install_pack(comfyui)
    assert loader == comfyui / "custom_nodes" / FOLDER / "__init__.py"
    assert loader.read_text(encoding="utf-8") == LOADER_SOURCE
    assert install_pack(comfyui / "custom_nodes") == loader  # custom_nodes itself, again


def test_install_leaves_someone_elses_folder_alone(comfyui: Path) -> None:
    folder = comfyui / "custom_nodes" / FOLDER
    folder.mkdir()
    (folder / "__init__.py").write_text("print('mine')\n", encoding="utf-8")
    with pytest.raises(NotAComfyUIError, match="already holds other files"):
        install_pack(comfyui)
    assert (folder / "__init__.py").read_text(encoding="utf-8") == "print('mine')\n"


def test_the_command_installs_and_says_what_next(comfyui: Path) -> None:
    result = run("comfyui", "install", str(comfyui), "--json")
    told = json.loads(result.stdout)
    assert told["installed"] == str(comfyui / "custom_nodes" / FOLDER)
    assert "pip install lightrig" in told["next"]
    assert (comfyui / "custom_nodes" / FOLDER / "__init__.py").is_file()


def test_the_command_refuses_a_folder_that_is_no_comfyui(tmp_path: Path) -> None:
    line = bad("comfyui", "install", str(tmp_path))
    assert f"{tmp_path}: got no custom_nodes folder there; accepted: a ComfyUI folder" in line
