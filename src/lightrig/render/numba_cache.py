"""Where numba keeps lightrig's compiled kernels: a per-user cache folder, never the package.

The renderer's and the verifier's hot loops are compiled by numba (``cache=True``) and kept on
disk. numba only notices edits to the file that defines a compiled function, not to the modules
it calls, so the folder is named by a fingerprint of every module with compiled code: any edit
to one of them compiles afresh. The folder is
``<platform cache>/lightrig/numba/<fingerprint>`` — ``$XDG_CACHE_HOME`` or ``~/.cache`` on
Linux, ``~/Library/Caches`` on macOS, ``%LOCALAPPDATA%`` on Windows — or, where that cannot be
written, a folder of this user's under the system's temporary directory. ``NUMBA_CACHE_DIR``,
when set, is used as it is.

numba picks a compiled function's cache folder when the function is decorated, so each module
with compiled code calls :func:`use_numba_cache` before its first ``@njit``: the fingerprint is
taken, and the folder made, when the first such module is imported — when something is first
rendered or verified — not when :mod:`lightrig.render` is.

Compiling takes seconds (10–15 s on two cores), loading the compiled kernels well under one, so
they are compiled ahead: at install (``make run``/``make dev`` run
``python -m lightrig.render.numba_cache``, which calls :func:`compile_ahead`) and, failing that,
in the background when ``lightrig serve`` starts — never on a user's first request.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
import tempfile
from pathlib import Path

from lightrig.render.parallel import wait_passively

__all__ = [
    "COMPILED_MODULES",
    "cache_roots",
    "compile_ahead",
    "fingerprint",
    "kept_folder",
    "use_numba_cache",
]

#: The modules with numba-compiled code, relative to the ``lightrig`` package; together they
#: decide whether the cache still holds.
COMPILED_MODULES = (
    "render/bust.py",
    "render/edges.py",
    "render/field.py",
    "render/kernel.py",
    "render/tonemap.py",
    "verify/occlusion.py",
    "verify/raster.py",
    "verify/regions.py",
)

_PACKAGE = Path(__file__).resolve().parents[1]
#: Hex digits of the fingerprint in the folder's name.
_DIGITS = 16


def fingerprint() -> str:
    """A hash of the compiled modules' sources (16 hex digits)."""
    digest = hashlib.sha256()
    for name in COMPILED_MODULES:
        digest.update(name.encode())
        digest.update((_PACKAGE / name).read_bytes())
    return digest.hexdigest()[:_DIGITS]


def _platform_cache() -> Path:
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"])
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def cache_roots() -> list[Path]:
    """Where lightrig's caches may go, best first: the platform's per-user cache folder, then
    one of this user's in the temporary directory."""
    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return [_platform_cache() / "lightrig", Path(tempfile.gettempdir()) / f"lightrig-{user}"]


@functools.cache
def use_numba_cache() -> str | None:
    """Point numba's cache at ``<root>/numba/<fingerprint>`` (made if need be) and return it;
    ``None`` when ``NUMBA_CACHE_DIR`` is set (numba uses it) or no root can be written (numba
    then keeps to its own places). Runs once per process; it also sets how the kernels' threads
    wait (:func:`lightrig.render.parallel.wait_passively`), before numba's first parallel
    loop."""
    wait_passively()
    if os.environ.get("NUMBA_CACHE_DIR"):
        return None
    try:
        name = fingerprint()
    except OSError:  # sources not on disk (a zipped install): numba cannot cache there either
        return None
    for root in cache_roots():
        folder = root / "numba" / name
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        import numba  # noqa: PLC0415 - configured before the caller's first @njit

        numba.config.CACHE_DIR = str(folder)  # type: ignore[attr-defined]  # no stubs
        return str(folder)
    return None


def kept_folder() -> Path | None:
    """A folder for what the compiled modules make once and keep (the baked distance field),
    named by the same fingerprint, so that any edit to them starts afresh: numba's folder, or
    ``$NUMBA_CACHE_DIR/lightrig-<fingerprint>`` when that is set; ``None`` when nothing can be
    written."""
    configured = os.environ.get("NUMBA_CACHE_DIR")
    if not configured:
        folder = use_numba_cache()
        return Path(folder) if folder is not None else None
    try:
        kept = Path(configured) / f"lightrig-{fingerprint()}"
        kept.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return kept


def compile_ahead() -> str | None:
    """Compile every kernel lightrig has — the renderer's and the verifier's — into the cache
    (or load them, when it already holds them): render a small probe with shadows and read its
    light back against its setup (which also bakes the bust's distance field and keeps it in
    :func:`kept_folder`), then read it the classical way too — the way taken when no face model
    is installed or none finds the face, whose skin search has kernels of its own. Returns the
    cache folder (``None`` as :func:`use_numba_cache`)."""
    from lightrig.models.scene import SceneRequest  # noqa: PLC0415 - numba and NumPy, lazily
    from lightrig.render.preview import PreviewRenderer  # noqa: PLC0415
    from lightrig.verify.estimate import estimate_lighting  # noqa: PLC0415
    from lightrig.verify.scoring import verify_image  # noqa: PLC0415

    probe = SceneRequest.model_validate(
        {
            "lighting_setup": {
                "key": {"azimuth": -45, "elevation": 35, "intensity": 0.8},
                "fill": {"azimuth": 40, "elevation": 10, "intensity": 0.3},
            }
        }
    )
    renderer = PreviewRenderer()
    # a studio frame: the edge samples' own trace, the coarse backdrop's fill
    renderer.render(probe, 64, antialias=True, coarse_backdrop=True)
    picture = renderer.render(probe, 96, supersample=2).png()
    verify_image(picture, probe, renderer)
    estimate_lighting(picture, method="classical")
    return use_numba_cache()


if __name__ == "__main__":
    import time

    _start = time.perf_counter()
    _folder = compile_ahead()
    print(
        f"lightrig's kernels compiled ahead in {time.perf_counter() - _start:.1f} s "
        f"({_folder or os.environ.get('NUMBA_CACHE_DIR') or 'numba default cache'})"
    )
