"""lightrig's optional extras, the packages each brings, and the one-line error when one is
missing.

``pip install lightrig`` gives the lighting core, the command line, the preview renderer and the
verifier. The rest comes in extras (``pip install 'lightrig[server,fleet]'``):

* ``server`` — the generation service with its records and the REST API: FastAPI, Uvicorn,
  SQLAlchemy, Alembic, the SQLite and PostgreSQL drivers, Prometheus metrics, and httpx for the
  hosted image backends (Bria, fal.ai);
* ``fleet`` — workers on a shared queue, and the Redis cache and rate limits: Taskiq, Redis;
* ``s3`` — images in an S3 bucket: boto3;
* ``llm`` — the translators backed by large language models: google-genai, openai (and httpx);
* ``local`` — FIBO run locally through diffusers and torch;
* ``faces`` — the face-landmark model the verifier reads real photographs with;
* ``mcp`` — the MCP server for agents (``lightrig mcp``, ``/mcp`` on the REST server): the MCP
  SDK, with the ``server`` extra it drives.

A face or a factory that imports an optional package does it inside :func:`needs_extra`, which
turns the ``ModuleNotFoundError`` of a missing package into :class:`MissingExtraError` whose
message names the extra, e.g. ``the REST server needs the 'server' extra: pip install
'lightrig[server]'``.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from contextlib import contextmanager

from lightrig.errors import MissingExtraError

__all__ = [
    "EXTRAS",
    "MissingExtraError",
    "extra_for",
    "missing_extra",
    "needs_extra",
    "require_extra",
]

#: Each extra and the modules it brings that lightrig imports (dotted names match submodules:
#: ``sqlalchemy`` covers ``sqlalchemy.ext.asyncio``). A module may come with two extras.
EXTRAS: dict[str, tuple[str, ...]] = {
    "server": (
        "fastapi",
        "starlette",
        "uvicorn",
        "sqlalchemy",
        "alembic",
        "aiosqlite",
        "asyncpg",
        "prometheus_client",
        "httpx",
    ),
    "fleet": ("taskiq", "taskiq_redis", "redis"),
    "s3": ("boto3", "botocore"),
    "llm": ("google.genai", "openai", "httpx"),
    "local": ("torch", "diffusers", "transformers", "accelerate"),
    "faces": ("mediapipe",),
    "mcp": ("mcp",),
}


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def extra_for(module: str, preferred: str | None = None) -> str | None:
    """The extra that brings ``module`` (a dotted name), ``preferred`` when it is one of
    several that do; ``None`` for a module no extra brings (a required dependency, or
    anything else)."""
    extras = [
        extra
        for extra, packages in EXTRAS.items()
        if any(_within(module, package) for package in packages)
    ]
    if preferred in extras:
        return preferred
    return extras[0] if extras else None


def missing_extra(
    error: ModuleNotFoundError, purpose: str, preferred: str | None = None
) -> MissingExtraError | None:
    """The :class:`MissingExtraError` that explains ``error`` (``purpose``: what needed the
    module, e.g. ``the REST server``), or ``None`` when no extra brings the missing module."""
    if isinstance(error, MissingExtraError):
        return error
    module = error.name or ""
    extra = extra_for(module, preferred)
    if extra is None:
        return None
    return MissingExtraError(
        f"{purpose} needs the {extra!r} extra: pip install 'lightrig[{extra}]'",
        extra=extra,
        module=module,
    )


@contextmanager
def needs_extra(purpose: str, extra: str) -> Iterator[None]:
    """Within it, a missing module that an extra brings raises :class:`MissingExtraError`
    naming that extra (``extra`` when the module comes with several); any other missing module
    is raised as it is."""
    try:
        yield
    except ModuleNotFoundError as error:
        explained = missing_extra(error, purpose, extra)
        if explained is None or explained is error:
            raise
        raise explained from error


def require_extra(extra: str, purpose: str, *modules: str) -> None:
    """Raise :class:`MissingExtraError` unless every top-level module of ``modules`` (those of
    ``extra`` that ``purpose`` always needs) can be imported — checked without importing them,
    for code that would otherwise find one missing only later, when it is first used."""
    for module in modules:
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):  # a parent that fails, or a half-imported module
            found = False
        if not found:
            raise MissingExtraError(
                f"{purpose} needs the {extra!r} extra: pip install 'lightrig[{extra}]'",
                extra=extra,
                module=module,
            )
