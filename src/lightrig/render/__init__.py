"""Pictures of a setup: the physically based preview of a lit bust, and the lighting diagram.

The renderer's hot loops are compiled by numba and cached on disk. numba only notices edits to the
file that defines a compiled function, not to the modules it calls, so the cache lives in a
directory named by a fingerprint of the compiled modules' sources: any edit to them compiles
afresh.
``NUMBA_CACHE_DIR``, when set, is used as it is.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

#: The modules with numba-compiled code; together they decide whether the cache still holds.
_COMPILED_MODULES = ("bust.py", "field.py", "kernel.py")


def _cache_directory() -> str | None:
    if os.environ.get("NUMBA_CACHE_DIR"):
        return None
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in _COMPILED_MODULES:
        digest.update((here / name).read_bytes())
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    for base in (root, Path(tempfile.gettempdir())):
        folder = base / "lightrig" / "numba" / digest.hexdigest()[:16]
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        return str(folder)
    return None


def _configure_numba() -> None:
    folder = _cache_directory()
    if folder is not None:
        import numba  # noqa: PLC0415 - configured before any compiled module is imported

        numba.config.CACHE_DIR = folder  # type: ignore[attr-defined]  # numba ships no stubs


_configure_numba()
