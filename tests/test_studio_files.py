"""The studio's page asks for every one of its modules at once: ``index.html`` preloads each
module under ``js/`` that ``main.js`` imports (directly or through another), and nothing else,
so that the browser fetches them in one round rather than one round per level of imports."""

from __future__ import annotations

import re

from lightrig.web import STATIC_DIR

_IMPORT = re.compile(r"""(?:import|export)[^'"]*?from\s+['"]\./([\w.-]+)['"]""")
_PRELOAD = re.compile(r'<link rel="modulepreload" href="js/([\w.-]+)">')


def _imported_by_main() -> set[str]:
    folder = STATIC_DIR / "js"
    seen: set[str] = set()
    todo = ["main.js"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo.extend(_IMPORT.findall((folder / name).read_text(encoding="utf-8")))
    return seen - {"main.js"}


def test_the_page_preloads_exactly_the_modules_main_imports() -> None:
    page = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    preloaded = _PRELOAD.findall(page)
    assert len(preloaded) == len(set(preloaded)), "a module is preloaded twice"
    assert set(preloaded) == _imported_by_main()
    # and every module in the folder is one of them: none is left to be found late
    on_disk = {path.name for path in (STATIC_DIR / "js").glob("*.js")} - {"main.js"}
    assert set(preloaded) == on_disk
