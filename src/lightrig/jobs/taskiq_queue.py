"""Jobs on a Redis stream through Taskiq: the API processes enqueue, ``lightrig worker`` processes
(anywhere) run them.

A message carries only a generation id. Each worker reads the stream in the consumer group
``<queue_name>:workers``, one message per free slot (``concurrency`` at once), and acknowledges a
message only once its job has run — finished or failed. A message taken by a worker that died
(killed, host lost) stays pending in the group; once it has been idle ``redelivery_s`` another
worker claims it and runs the job again, which is harmless (the run claims its record in the
metadata store first). The stream is trimmed to about ``maxlen`` messages, the oldest first.

Taskiq-redis's own ``RedisStreamBroker.listen`` only looks for abandoned messages after new ones
arrived, and takes up to 100 at once; the broker here reads one message per free slot and looks
for abandoned ones on every poll, busy or idle, claiming them with ``XCLAIM`` (whose min-idle
check is atomic: one worker wins each message).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import AsyncGenerator, Callable, Coroutine, Iterator
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError
from taskiq import AckableMessage, AcknowledgeType, Context, TaskiqDepends
from taskiq.abc.broker import AsyncBroker
from taskiq.decor import AsyncTaskiqDecoratedTask
from taskiq.exceptions import SendTaskError
from taskiq.receiver import Receiver
from taskiq_redis import RedisStreamBroker

from lightrig.cache.redis import COMMAND_TIMEOUT_S, CONNECT_TIMEOUT_S, describe_redis
from lightrig.errors import DependencyUnavailableError
from lightrig.jobs.base import RunJob

__all__ = ["TASK_NAME", "TaskiqJobQueue"]

log = logging.getLogger(__name__)

#: The name the job is sent and registered under (stable across releases: queued messages name it).
TASK_NAME = "lightrig.run_generation"

#: Seconds a killed worker's reclaim lock could outlive it (taskiq-redis's own listen takes that
#: lock; this module's claims need none, see the module docstring).
_RECLAIM_LOCK_TIMEOUT_S = 5.0
#: Longest wait for new messages in one read (also how often an idle worker looks for abandoned
#: ones); below the command timeout.
_MAX_POLL_S = 2.0
#: Seconds between measurements of the queue depth while serving or while jobs are outstanding.
_REFRESH_S = 1.0
#: Seconds to wait for jobs cancelled at shutdown to unwind.
_CANCEL_WAIT_S = 5.0
#: Most undelivered messages counted one by one when Redis cannot tell the group's lag.
_LAG_COUNT_CAP = 1000

_UNREACHABLE = (RedisConnectionError, RedisTimeoutError)

#: The setting that names the queue's Redis, for the errors that say it cannot be reached.
QUEUE_SETTING = "LIGHTRIG_QUEUE_URL"


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


@dataclass(frozen=True)
class _StreamState:
    """What the stream holds: messages kept, not yet delivered, delivered but unacknowledged."""

    length: int
    waiting: int
    in_flight: int
    consumers: int


class _JobStreamBroker(RedisStreamBroker):
    """A Redis stream broker that takes one message per free slot and reclaims abandoned
    messages on every poll (see the module docstring)."""

    #: Set to end :meth:`listen` at its next poll. The receiver stops a listener by cancelling
    #: it, but on Python 3.11 a cancellation can be lost: redis-py sends each command under
    #: ``asyncio.wait_for``, which there drops a cancellation arriving as the send completes
    #: (fixed in 3.12), and the listener would then poll on for ever.
    stopping = False

    async def listen(self) -> AsyncGenerator[AckableMessage, None]:
        """Yield one message at a time: an abandoned one when a poll finds one idle for
        ``idle_timeout`` ms, else a new one (waiting up to ``xread_block`` ms for it), until
        :attr:`stopping` is set. Redis outages are waited out."""
        loop = asyncio.get_running_loop()
        next_reclaim = 0.0
        failures = 0
        async with Redis(connection_pool=self.connection_pool) as conn:
            while not self.stopping:
                try:
                    message = None
                    if loop.time() >= next_reclaim:
                        message = await self._reclaim_one(conn)
                        if message is None:
                            next_reclaim = loop.time() + self.block / 1000
                    if message is None:
                        message = await self._read_one(conn)
                    failures = 0
                except _UNREACHABLE as exc:
                    failures += 1
                    delay = min(30.0, 0.5 * 2 ** min(failures, 6))
                    log.warning("job queue: Redis unreachable (%s); retrying in %.1f s", exc, delay)
                    await asyncio.sleep(delay)
                    continue
                except ResponseError as exc:
                    if "NOGROUP" not in str(exc):
                        raise
                    # the stream was deleted under us (flushed, say): declare it again
                    log.warning("job queue: the consumer group is gone; declaring it again")
                    await self._declare_consumer_group()
                    continue
                if message is not None:
                    yield message

    async def _read_one(self, conn: Redis) -> AckableMessage | None:
        """The next undelivered message, now pending to this consumer; ``None`` after the
        poll time."""
        fetched: Any = await conn.xreadgroup(
            self.consumer_group_name,
            self.consumer_name,
            {self.queue_name: ">"},
            count=1,
            block=self.block,
        )
        if isinstance(fetched, dict):  # RESP3: {stream: [entries]}
            batches = [entries for value in fetched.values() for entries in value]
        else:  # RESP2: [[stream, entries]]
            batches = [entries for _stream, entries in fetched or ()]
        for entries in batches:
            for message_id, fields in entries:
                return await self._message(conn, message_id, fields)
        return None

    async def _reclaim_one(self, conn: Redis) -> AckableMessage | None:
        """The oldest message left unacknowledged for ``idle_timeout`` ms (its consumer died,
        or its job outran the timeout), claimed for this consumer; ``None`` when there is
        none, or another consumer claimed it first."""
        pending = await conn.xpending_range(
            self.queue_name,
            self.consumer_group_name,
            min="-",
            max="+",
            count=1,
            idle=self.idle_timeout,
        )
        if not pending:
            return None
        entry = pending[0]
        claimed = await conn.xclaim(
            self.queue_name,
            self.consumer_group_name,
            self.consumer_name,
            min_idle_time=self.idle_timeout,
            message_ids=[entry["message_id"]],
        )
        for item in claimed:
            if not isinstance(item, tuple):  # JUSTID answers: not asked for
                continue
            message_id, fields = item
            if message_id is None:
                continue
            log.warning(
                "job message %s was left unacknowledged by %s for %.0f s; running it here "
                "(delivery %s)",
                _text(message_id),
                _text(entry["consumer"]),
                int(entry["time_since_delivered"]) / 1000,
                int(entry["times_delivered"]) + 1,
            )
            return await self._message(conn, message_id, fields)
        return None

    async def _message(
        self, conn: Redis, message_id: bytes | str, fields: dict[Any, Any] | None
    ) -> AckableMessage | None:
        ack = self._ack_generator(id=_text(message_id), queue_name=self.queue_name)
        data = (fields or {}).get(b"data")
        if not isinstance(data, bytes):
            # trimmed away before it was claimed (Redis < 7 still hands those out), or not ours
            log.warning("job message %s has no data; dropping it", _text(message_id))
            await ack()
            return None
        return AckableMessage(data=data, ack=ack)


class _JobTask(AsyncTaskiqDecoratedTask[..., Any]):
    """A registered task without the ``ProcessPoolExecutor`` workaround of taskiq's own class,
    which renames the function and stores it on its module (a module-level reference to the
    last queue made). Jobs here are coroutines; no process pool runs them."""

    def __init__(  # the workaround is all the base initialiser adds
        self,
        broker: AsyncBroker,
        task_name: str,
        original_func: Callable[..., Any],
        labels: dict[str, Any],
        return_type: type[Any] | None = None,
    ) -> None:
        self.broker = broker
        self.task_name = task_name
        self.original_func = original_func
        self.labels = labels
        self.return_type = return_type


class TaskiqJobQueue:
    """Generation ids on the Redis stream ``queue_name``; :meth:`serve` is a worker.

    ``run`` runs one job; ``concurrency`` jobs run at once in each serving process; a message
    taken but not acknowledged ``redelivery_s`` seconds ago is handed to another worker; the
    stream keeps about ``maxlen`` messages. At shutdown :meth:`serve` lets running jobs finish
    for ``shutdown_grace_s`` seconds, then cancels them (unacknowledged: they run again
    elsewhere). Each instance has its own broker and connections; use it in one event loop.
    """

    #: messages wait in Redis, whatever happens to this process
    durable = True

    def __init__(
        self,
        run: RunJob,
        *,
        url: str,
        queue_name: str,
        concurrency: int,
        redelivery_s: float,
        maxlen: int,
        shutdown_grace_s: float = 30.0,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if redelivery_s <= 0:
            raise ValueError("redelivery_s must be positive")
        if maxlen < 1:
            raise ValueError("maxlen must be at least 1")
        if shutdown_grace_s < 0:
            raise ValueError("shutdown_grace_s must not be negative")
        poll_s = min(_MAX_POLL_S, max(0.05, redelivery_s / 4))
        self._broker = _JobStreamBroker(
            url,
            queue_name=queue_name,
            consumer_group_name=f"{queue_name}:workers",
            consumer_name=f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:8]}",
            # a group declared after messages were added still delivers them
            consumer_id="0",
            mkstream=True,
            xread_block=round(poll_s * 1000),
            xread_count=1,
            maxlen=maxlen,
            approximate=True,
            idle_timeout=max(1, round(redelivery_s * 1000)),
            unacknowledged_batch_size=1,
            unacknowledged_lock_timeout=_RECLAIM_LOCK_TIMEOUT_S,
            # serving takes one connection to read, one per job to acknowledge, and a few more
            max_connection_pool_size=concurrency + 8,
            socket_connect_timeout=CONNECT_TIMEOUT_S,
            socket_timeout=COMMAND_TIMEOUT_S,
            health_check_interval=30,
        )
        if self._broker.connection_pool.connection_kwargs.get("decode_responses"):
            raise ValueError("the queue's Redis URL must not set decode_responses")
        self._where = describe_redis(Redis(connection_pool=self._broker.connection_pool))
        self._task = _JobTask(
            broker=self._broker,
            task_name=TASK_NAME,
            original_func=self._job_function(),
            # the job acknowledges its message itself, once run (see _job_function)
            labels={"ack_type": AcknowledgeType.MANUAL.value},
        )
        self._broker.local_task_registry[TASK_NAME] = self._task
        self._run = run
        self.concurrency = concurrency
        self.queue_name = queue_name
        self.redelivery_s = redelivery_s
        self.maxlen = maxlen
        self.shutdown_grace_s = shutdown_grace_s
        self._start_lock = asyncio.Lock()
        self._started = False
        self._closed = False
        self._depth = 0
        self._refresher: asyncio.Task[None] | None = None
        self._running: set[asyncio.Task[Any]] = set()
        self._finish: asyncio.Event | None = None
        self._served = asyncio.Event()
        self._served.set()

    # ------------------------------------------------------------------------------- the job
    def _job_function(self) -> Callable[..., Coroutine[Any, Any, None]]:
        queue = self

        async def run_generation(
            generation_id: str,
            context: Context = TaskiqDepends(),  # noqa: B008 (taskiq's dependency marker)
        ) -> None:
            """Run the job, then acknowledge its message: a job that fails is acknowledged
            too (its record says why); one cut off (cancelled at shutdown, or its process
            killed) is not, so it runs again elsewhere after the redelivery timeout."""
            if queue._closed:  # taken while closing: leave it to another worker
                return
            me = asyncio.current_task()
            if me is not None:
                queue._running.add(me)
            try:
                try:
                    await queue._run(generation_id)
                except DependencyUnavailableError as exc:  # one line: no bug to trace
                    log.warning("job %s failed: %s", generation_id, exc)
                except Exception:  # the record says what failed; the worker goes on
                    log.warning("job %s failed", generation_id, exc_info=True)
                await context.ack()
            finally:
                if me is not None:
                    queue._running.discard(me)

        return run_generation

    # ------------------------------------------------------------------------------ producing
    @contextlib.contextmanager
    def _reaching_redis(self, what: str) -> Iterator[None]:
        """Redis being unreachable surfaces as a
        :class:`~lightrig.errors.DependencyUnavailableError` (a :class:`ConnectionError`)
        naming ``LIGHTRIG_QUEUE_URL``, where the queue is and why; ``what`` names the work."""
        where = self._where.removeprefix("redis ")
        try:
            yield
        except (SendTaskError, *_UNREACHABLE) as exc:
            raise DependencyUnavailableError.from_exception(
                QUEUE_SETTING, exc, where=where, service=f"the job queue ({what})"
            ) from exc

    async def _ensure_started(self) -> None:
        """Start the broker once (it declares the stream and its consumer group)."""
        if self._started:
            return
        async with self._start_lock:
            if self._closed:
                raise RuntimeError("the job queue is closed")
            if not self._started:
                with self._reaching_redis("reaching it"):
                    await self._broker.startup()
                self._started = True

    async def enqueue(self, generation_id: str) -> None:
        """Add the generation id to the stream (starting the broker on first use)."""
        if self._closed:
            raise RuntimeError("the job queue is closed")
        await self._ensure_started()
        with self._reaching_redis(f"handing it job {generation_id}"):
            await self._task.kiq(generation_id)
        self._keep_measuring()

    # ------------------------------------------------------------------------------- serving
    async def serve(self, stop: asyncio.Event) -> None:
        """Run jobs from the stream until ``stop`` is set (or the queue is closed), then let
        running jobs finish for ``shutdown_grace_s`` seconds and cancel the rest."""
        if self._closed:
            raise RuntimeError("the job queue is closed")
        if self._finish is not None:
            raise RuntimeError("this job queue is already serving")
        await self._ensure_started()
        finish = asyncio.Event()
        self._finish = finish
        self._served.clear()

        async def relay() -> None:
            await stop.wait()
            self._broker.stopping = True
            finish.set()

        self._broker.stopping = False
        relaying = asyncio.create_task(relay(), name="job-queue:stop")
        receiver = Receiver(
            self._broker,
            max_async_tasks=self.concurrency,
            max_prefetch=0,
            ack_type=AcknowledgeType.MANUAL,
            run_startup=False,
            wait_tasks_timeout=self.shutdown_grace_s,
        )
        self._keep_measuring()
        log.info(
            "serving jobs from %s stream %s as %s, %d at once",
            self._where,
            self.queue_name,
            self._broker.consumer_name,
            self.concurrency,
        )
        try:
            await receiver.listen(finish)
        finally:
            relaying.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await relaying
            await self._cancel_running()
            await self._leave_group()
            self._finish = None
            self._served.set()

    async def _cancel_running(self) -> None:
        """Cancel the jobs still running; their messages stay unacknowledged."""
        tasks = list(self._running)
        if not tasks:
            return
        log.warning("cancelling %d jobs still running; they will run again elsewhere", len(tasks))
        for task in tasks:
            task.cancel()
        await asyncio.wait(tasks, timeout=_CANCEL_WAIT_S)

    async def _leave_group(self) -> None:
        """Remove this consumer from the group when it holds no message (so the group lists
        live workers); one holding messages stays, for them to be reclaimed."""
        group, me = self._broker.consumer_group_name, self._broker.consumer_name
        try:
            async with Redis(connection_pool=self._broker.connection_pool) as conn:
                for consumer in await conn.xinfo_consumers(self.queue_name, group):
                    if _text(consumer["name"]) == me and int(consumer["pending"]) == 0:
                        await conn.xgroup_delconsumer(self.queue_name, group, me)
        except RedisError:
            log.debug("could not leave the consumer group", exc_info=True)

    # ------------------------------------------------------------------------------- metrics
    def depth(self) -> int:
        """Jobs waiting or in flight in the stream, as last measured (by :meth:`health`, and
        every second while serving or while jobs this process enqueued are outstanding)."""
        return self._depth

    def _keep_measuring(self) -> None:
        if self._closed or (self._refresher is not None and not self._refresher.done()):
            return
        self._refresher = asyncio.create_task(self._measure_loop(), name="job-queue:depth")

    async def _measure_loop(self) -> None:
        while not self._closed:  # checked as well as cancelled: see _JobStreamBroker.stopping
            try:
                async with Redis(connection_pool=self._broker.connection_pool) as conn:
                    await self._measure(conn)
            except Exception:  # a metric: never worth failing over
                log.debug("could not measure the job queue", exc_info=True)
            if self._finish is None and self._depth == 0:
                return
            await asyncio.sleep(_REFRESH_S)

    async def _measure(self, conn: Redis) -> _StreamState:
        """Read the stream's length and its group's lag and pending count; update the depth."""
        try:
            groups = await conn.xinfo_groups(self.queue_name)
        except ResponseError as exc:
            if "no such key" not in str(exc).lower():
                raise
            state = _StreamState(0, 0, 0, 0)  # nothing enqueued yet
        else:
            length = int(await conn.xlen(self.queue_name))
            group = next(
                (g for g in groups if _text(g["name"]) == self._broker.consumer_group_name),
                None,
            )
            if group is None:  # declared at the next start
                state = _StreamState(length, length, 0, 0)
            else:
                lag = group.get("lag")
                if lag is None:  # Redis cannot tell (entries deleted): count, up to a cap
                    undelivered = await conn.xrange(
                        self.queue_name,
                        min=f"({_text(group['last-delivered-id'])}",
                        count=_LAG_COUNT_CAP,
                    )
                    lag = len(undelivered or ())
                state = _StreamState(
                    length, int(lag), int(group["pending"]), int(group["consumers"])
                )
        self._depth = state.waiting + state.in_flight
        return state

    # -------------------------------------------------------------------------------- health
    async def health(self) -> str:
        """PING Redis and read the stream; raises :class:`ConnectionError` when Redis is
        unreachable."""
        with self._reaching_redis("reaching it"):
            async with Redis(connection_pool=self._broker.connection_pool) as conn:
                await conn.ping()
                state = await self._measure(conn)
        return (
            f"taskiq on {self._where} stream {self.queue_name}: {state.length} messages, "
            f"{state.waiting} waiting, {state.in_flight} in flight, "
            f"{state.consumers} consumers"
        )

    # ------------------------------------------------------------------------------ closing
    async def aclose(self) -> None:
        """Stop serving, cancel running jobs (unacknowledged: they run again elsewhere) and
        close the connections. Calling it again does nothing."""
        if self._closed:
            return
        self._closed = True
        if self._finish is not None:
            self._broker.stopping = True
            self._finish.set()
            await self._cancel_running()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._served.wait(), _CANCEL_WAIT_S * 2)
        if self._refresher is not None:
            self._refresher.cancel()
            await asyncio.wait({self._refresher}, timeout=_CANCEL_WAIT_S)
        await self._broker.shutdown()
