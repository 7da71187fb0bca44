"""The job queue the settings ask for."""

from __future__ import annotations

from lightrig.config import Settings
from lightrig.jobs.base import JobQueue, RunJob
from lightrig.jobs.inprocess import InProcessJobQueue

__all__ = ["create_job_queue"]


def create_job_queue(settings: Settings, run: RunJob) -> JobQueue:
    """With ``settings.queue_url``, the Redis stream ``settings.queue_name`` through Taskiq
    (``lightrig worker`` processes run the jobs); without, jobs in this process. Either way
    ``settings.job_concurrency`` jobs run at once per process that runs jobs, and ``run`` runs
    each."""
    if settings.queue_url:
        from lightrig.jobs.taskiq_queue import TaskiqJobQueue  # noqa: PLC0415 - Taskiq loads lazily

        return TaskiqJobQueue(
            run,
            url=settings.queue_url,
            queue_name=settings.queue_name,
            concurrency=settings.job_concurrency,
            redelivery_s=settings.queue_redelivery_s,
            maxlen=settings.queue_maxlen,
        )
    return InProcessJobQueue(run, concurrency=settings.job_concurrency)
