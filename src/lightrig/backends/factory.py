"""Pick an image backend by name from the settings."""

from __future__ import annotations

from lightrig.backends.base import ImageBackend
from lightrig.config import BACKENDS, Settings
from lightrig.limits.base import RateLimiter

__all__ = ["create_backend"]


def create_backend(name: str, settings: Settings, limiter: RateLimiter | None) -> ImageBackend:
    """The backend called ``name`` (one of ``preview``, ``bria``, ``fal``, ``diffusers``).

    Remote backends share ``limiter`` for their requests-per-minute budgets.
    """
    if name == "preview":
        from lightrig.backends.preview import PreviewBackend  # noqa: PLC0415 - heavy imports

        return PreviewBackend()
    if name == "bria":
        from lightrig.backends.bria import BriaBackend  # noqa: PLC0415

        return BriaBackend(settings, limiter)
    if name == "fal":
        from lightrig.backends.fal import FalBackend  # noqa: PLC0415

        return FalBackend(settings, limiter)
    if name == "diffusers":
        from lightrig.backends.diffusers_backend import DiffusersBackend  # noqa: PLC0415

        return DiffusersBackend(settings)
    raise ValueError(f"unknown backend {name!r}; backends: {', '.join(BACKENDS)}")
