"""The studio page: plain ES modules, CSS and HTML served as static files at ``/``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from starlette.routing import Match, Mount
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

if TYPE_CHECKING:
    from fastapi import FastAPI

__all__ = ["STATIC_DIR", "mount_studio"]

#: Where the studio's files are.
STATIC_DIR = Path(__file__).parent / "static"


class _StudioMount(Mount):
    """The studio's files at ``/``, but never for a path under ``/v1``: there the router's own
    answer stands (404 for no such endpoint, 405 with ``Allow`` for a wrong method), where the
    files would answer 404 or 405 without saying which methods the endpoint takes."""

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        path: str = scope.get("path", "")
        if path == "/v1" or path.startswith("/v1/"):
            return Match.NONE, {}
        return super().matches(scope)


def mount_studio(app: FastAPI) -> None:
    """Serve the studio at ``/`` (``index.html``) after every API route."""
    app.router.routes.append(
        _StudioMount("/", app=StaticFiles(directory=STATIC_DIR, html=True), name="studio")
    )
