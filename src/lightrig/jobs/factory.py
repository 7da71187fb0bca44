"""The job queue the settings ask for."""

from __future__ import annotations

from lightrig.config import Settings
from lightrig.jobs.base import JobQueue, RunJob
from lightrig.jobs.inprocess import InProcessJobQueue

__all__ = ["create_job_queue"]


def create_job_queue(settings: Settings, run: RunJob) -> JobQueue:
    """Jobs in this process, ``settings.job_concurrency`` at once; ``run`` runs each."""
    return InProcessJobQueue(run, concurrency=settings.job_concurrency)
