"""Where a generation stands (its own module so that the gate's models, which
:class:`~lightrig.models.generation.GenerationResponse` carries, can name it too)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["GenerationStatus"]


class GenerationStatus(StrEnum):
    """Where a generation stands."""

    QUEUED = "queued"
    RUNNING = "running"
    SUCCESS = "success"
    ERROR = "error"
    #: the process working on it stopped before finishing; it can be resumed or failed
    INTERRUPTED = "interrupted"
    #: a background job waiting to run again: its worker died, or its host failed in a way
    #: worth retrying; a worker takes it up when it is due
    RETRYING = "retrying"
