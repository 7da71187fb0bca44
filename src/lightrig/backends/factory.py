"""The image backends by name: one ``{name: lazy factory}`` registry.

Each factory imports its backend when called, so choosing the preview never loads an HTTP
client and choosing a host never loads torch. The names are :data:`lightrig.config.BACKENDS`
(the settings' choices); a test holds the registry to them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from lightrig.backends.base import ImageBackend
from lightrig.config import BACKENDS, Settings
from lightrig.limits.base import RateLimiter

__all__ = ["BACKEND_FACTORIES", "BackendFactory", "create_backend"]

#: Makes a backend from the settings and the rate limiter hosts share.
BackendFactory = Callable[[Settings, RateLimiter | None], ImageBackend]


def _preview(settings: Settings, limiter: RateLimiter | None) -> ImageBackend:
    from lightrig.backends.preview import PreviewBackend  # noqa: PLC0415 - the renderer is heavy

    return PreviewBackend()


def _bria(settings: Settings, limiter: RateLimiter | None) -> ImageBackend:
    from lightrig.backends.bria import BriaBackend  # noqa: PLC0415 - by need

    return BriaBackend(settings, limiter)


def _fal(settings: Settings, limiter: RateLimiter | None) -> ImageBackend:
    from lightrig.backends.fal import FalBackend  # noqa: PLC0415 - by need

    return FalBackend(settings, limiter)


def _diffusers(settings: Settings, limiter: RateLimiter | None) -> ImageBackend:
    from lightrig.backends.diffusers_backend import DiffusersBackend  # noqa: PLC0415 - by need

    return DiffusersBackend(settings)


#: Every backend's factory, by name.
BACKEND_FACTORIES: Mapping[str, BackendFactory] = {
    "preview": _preview,
    "bria": _bria,
    "fal": _fal,
    "diffusers": _diffusers,
}


def create_backend(name: str, settings: Settings, limiter: RateLimiter | None) -> ImageBackend:
    """The backend called ``name`` (one of :data:`~lightrig.config.BACKENDS`); remote ones
    share ``limiter`` for their requests-per-minute budgets. :class:`ValueError` naming the
    backends there are for any other name."""
    factory = BACKEND_FACTORIES.get(name)
    if factory is None:
        raise ValueError(f"unknown backend {name!r}; backends: {', '.join(BACKENDS)}")
    return factory(settings, limiter)
