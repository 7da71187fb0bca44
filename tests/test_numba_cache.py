"""numba's compiled kernels are cached in a per-user folder named by the compiled sources'
fingerprint, never inside the package, and only once something compiled is imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import lightrig
from lightrig.render import numba_cache

PACKAGE = Path(lightrig.__file__).parent

#: Imports the package, reports whether a cache folder exists; then labels a mask (a cached
#: kernel of the verifier's) and reports what numba was pointed at.
_PROBE = """
import os, sys
from pathlib import Path
root = Path(sys.argv[1])
import lightrig.render
print("after render:", any(root.rglob("*")))
import numpy as np
from lightrig.verify.regions import label
labels, count = label(np.eye(5, dtype=bool) | np.eye(5, dtype=bool)[::-1])
import numba
print("count:", count)
print("cache:", numba.config.CACHE_DIR)
"""


def _probe(cache_home: Path, **extra: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env.update(XDG_CACHE_HOME=str(cache_home), **extra)
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(cache_home)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_the_cache_is_a_per_user_folder_named_by_the_sources(tmp_path: Path) -> None:
    before = set(PACKAGE.rglob("*.nbi"))
    lines = _probe(tmp_path)
    assert lines[0] == "after render: False"  # importing render makes no folder
    assert lines[1] == "count: 1"
    folder = tmp_path / "lightrig" / "numba" / numba_cache.fingerprint()
    assert lines[2] == f"cache: {folder}"
    assert list(folder.rglob("*regions*.nbi")), sorted(folder.rglob("*"))
    assert set(PACKAGE.rglob("*.nbi")) == before  # nothing inside the package


def test_numba_cache_dir_is_used_as_it_is(tmp_path: Path) -> None:
    chosen = tmp_path / "chosen"
    lines = _probe(tmp_path / "home", NUMBA_CACHE_DIR=str(chosen))
    assert lines[2] == f"cache: {chosen}"
    assert not (tmp_path / "home" / "lightrig").exists()


def test_the_fingerprint_covers_every_compiled_module() -> None:
    compiled = {
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if "@njit" in path.read_text(encoding="utf-8") and path.name != "numba_cache.py"
    }
    assert compiled == set(numba_cache.COMPILED_MODULES)
    for module in compiled:
        assert "use_numba_cache()" in (PACKAGE / module).read_text(encoding="utf-8"), module


@pytest.mark.slow
def test_compiling_ahead_fills_the_cache_with_every_compiled_module(tmp_path: Path) -> None:
    """``python -m lightrig.render.numba_cache`` (what ``make run`` runs at install) compiles
    the kernels of every module with compiled code into an empty cache, so a server's first
    request never waits for numba."""
    env = {k: v for k, v in os.environ.items() if k != "NUMBA_CACHE_DIR"}
    env["XDG_CACHE_HOME"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "lightrig.render.numba_cache"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "lightrig" / "numba" / numba_cache.fingerprint()
    assert str(folder) in done.stdout
    for module in numba_cache.COMPILED_MODULES:
        stem = Path(module).stem
        assert list(folder.rglob(f"*{stem}*.nbi")), (module, sorted(folder.rglob("*.nbi")))
    assert (folder / "field-4mm.npy").is_file()  # the bust's baked field, kept beside them


def test_the_baked_field_is_kept_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first bake keeps its grid in the kept folder; the next process reads it instead of
    baking; a kept file that is damaged or of another shape is baked over, never used."""
    import numpy as np

    from lightrig.render import field

    monkeypatch.setattr(field, "kept_folder", lambda: tmp_path)
    bake = field.load_or_bake  # bake_field keeps the process's first one
    baked = bake()
    kept = tmp_path / "field-4mm.npy"
    assert kept.is_file()
    assert np.array_equal(np.load(kept), baked.grid)

    calls: list[object] = []
    real_bake = field._bake
    monkeypatch.setattr(field, "_bake", lambda *a: calls.append(a) or real_bake(*a))
    read = bake()
    assert not calls  # read, not baked
    assert np.array_equal(read.grid, baked.grid)
    assert not read.grid.flags.writeable

    np.save(kept, np.zeros((3, 3, 3), dtype=np.float32))  # another shape: baked again
    again = bake()
    assert len(calls) == 1
    assert np.array_equal(again.grid, baked.grid)
    kept.write_bytes(b"not a grid")  # damaged: baked again, and kept whole
    assert np.array_equal(bake().grid, baked.grid)
    assert len(calls) == 2
    assert np.array_equal(np.load(kept), baked.grid)
