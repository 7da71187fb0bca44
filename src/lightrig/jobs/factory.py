"""The job queues by name in one ``{name: lazy factory}`` registry: ``inprocess`` (jobs run in
this process, the default) and ``redis`` (a Redis stream through Taskiq, run by ``lightrig
worker`` processes; chosen by ``settings.queue_url``'s scheme; the ``fleet`` extra, imported
only then).

The names are :data:`lightrig.config.JOB_QUEUES`; a test holds the registry to them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from lightrig.config import JOB_QUEUE_BY_URL, Settings
from lightrig.extras import needs_extra
from lightrig.jobs.base import JobQueue, RunJob
from lightrig.registry import choose

__all__ = ["JOB_QUEUE_FACTORIES", "JobQueueFactory", "create_job_queue", "job_queue_name"]

#: Makes a job queue from the settings and the function that runs each job.
JobQueueFactory = Callable[[Settings, RunJob], JobQueue]


def _inprocess(settings: Settings, run: RunJob) -> JobQueue:
    from lightrig.jobs.inprocess import InProcessJobQueue  # noqa: PLC0415 - by need

    return InProcessJobQueue(run, concurrency=settings.job_concurrency)


def _redis(settings: Settings, run: RunJob) -> JobQueue:
    if not settings.queue_url:
        raise ValueError("the redis job queue needs LIGHTRIG_QUEUE_URL (redis://host:port/db)")
    with needs_extra("the redis job queue", "fleet"):
        from lightrig.jobs.taskiq_queue import TaskiqJobQueue  # noqa: PLC0415 - the fleet extra

    return TaskiqJobQueue(
        run,
        url=settings.queue_url,
        queue_name=settings.queue_name,
        concurrency=settings.job_concurrency,
        redelivery_s=settings.queue_redelivery_s,
        maxlen=settings.queue_maxlen,
    )


#: Every job queue's factory, by name.
JOB_QUEUE_FACTORIES: Mapping[str, JobQueueFactory] = {"inprocess": _inprocess, "redis": _redis}


def job_queue_name(settings: Settings) -> str:
    """The name of the job queue the settings choose: ``inprocess`` without ``queue_url``, else
    the one its scheme names; :class:`ValueError` naming the accepted schemes for any other."""
    return JOB_QUEUE_BY_URL.name(settings.queue_url)


def create_job_queue(settings: Settings, run: RunJob) -> JobQueue:
    """The job queue the settings choose (see :func:`job_queue_name`), running each job with
    ``run``, ``settings.job_concurrency`` at once per process that runs jobs;
    :class:`~lightrig.errors.MissingExtraError` when its extra is not installed."""
    return choose("job queue", job_queue_name(settings), JOB_QUEUE_FACTORIES)(settings, run)
