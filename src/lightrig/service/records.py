"""Stored generations: read, listed, checked again, deleted, resumed or given up, and their
images fetched — each only the owner's, when an owner is given (anyone else's is "not found",
so ids and keys cannot be probed)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from lightrig.errors import RecordNotFoundError, StaleRecordError
from lightrig.models.generation import GenerationStatus
from lightrig.records import lifecycle
from lightrig.records.record import GenerationRecord
from lightrig.service.adapters import Adapters
from lightrig.storage.base import ImageNotFoundError

if TYPE_CHECKING:
    from lightrig.service.worker import Worker

__all__ = ["Records"]


class Records:
    """What can be done with stored generations. ``ready`` is awaited before any work."""

    def __init__(
        self, parts: Adapters, ready: Callable[[], Awaitable[object]], worker: Worker
    ) -> None:
        self.parts = parts
        self._ready = ready
        self._worker = worker

    async def get(self, generation_id: str, *, owner: str | None = None) -> GenerationRecord:
        """A stored generation (``owner``'s, when given); :class:`RecordNotFoundError`."""
        await self._ready()
        found = await self.parts.store.get_generation(generation_id, owner=owner)
        if found is None:
            raise RecordNotFoundError(f"no generation {generation_id!r}")
        return found

    async def check(self, generation_id: str, *, owner: str | None = None) -> GenerationRecord:
        """Check a successful generation's image against its own request again and keep the
        score; the record. :class:`~lightrig.errors.IllegalTransitionError` (a
        :class:`StaleRecordError`) for a generation without an image."""
        record = await self.get(generation_id, owner=owner)
        lifecycle.require(record, lifecycle.Transition.RESCORE)  # it succeeded
        if record.image is None or record.request is None:
            raise StaleRecordError(f"generation {generation_id!r} kept no image or request")
        image = await self.parts.storage.get(record.image.key)
        adherence = await self.parts.verifier.adherence(image, record.request)
        return await self.parts.store.set_adherence(generation_id, adherence)

    async def history(
        self,
        *,
        owner: str | None = None,
        statuses: Sequence[GenerationStatus] = (),
        batch_id: str | None = None,
        limit: int = 50,
        before: datetime | None = None,
    ) -> list[GenerationRecord]:
        """Stored generations, newest first, filtered; ``before`` pages back in time."""
        await self._ready()
        return await self.parts.store.list_generations(
            owner=owner, statuses=statuses, batch_id=batch_id, limit=limit, before=before
        )

    async def delete(self, generation_id: str, *, owner: str | None = None) -> GenerationRecord:
        """Remove a finished (or interrupted) generation's record, its cached result, and its
        image (and a relight's photograph) when no other record refers to it; the record
        removed."""
        await self._ready()
        removed = await self.parts.store.delete_generation(generation_id, owner=owner)
        if removed.image is not None:
            # Its cached result goes whether or not the image stays: images are stored by
            # content, so different work can share one (the preview renders the light, not the
            # words), and a result left cached here would outlive the image once the last
            # record using it is deleted — answering later work with an image that is gone.
            runner = self.parts.runner
            await self.parts.cache.delete(runner.result_key_of(removed))
            await runner.drop_image(removed.image.key)  # unless another record uses it
        if removed.source is not None:  # the photograph a relight edited, likewise
            await self.parts.runner.drop_image(removed.source.key)
        return removed

    async def image(self, image_key: str, *, owner: str | None = None) -> bytes:
        """The bytes of a stored image; with ``owner``, only one of their generations'
        images."""
        await self._ready()
        if owner is not None and not await self.parts.store.owns_image(image_key, owner):
            raise RecordNotFoundError(f"no image {image_key!r}")
        try:
            return await self.parts.storage.get(image_key)
        except ImageNotFoundError:
            raise RecordNotFoundError(f"no image {image_key!r}") from None

    async def resume(self, generation_id: str, *, owner: str | None = None) -> GenerationRecord:
        """Run an ``interrupted`` (or still ``queued``) generation again; the completed
        record."""
        return await self._worker.resume(await self.get(generation_id, owner=owner))

    async def give_up(
        self, generation_id: str, reason: str, *, owner: str | None = None
    ) -> GenerationRecord:
        """Finish an ``interrupted``, ``queued`` or ``retrying`` generation as ``error`` with
        ``reason``; the record."""
        record = await self.get(generation_id, owner=owner)
        lifecycle.give_up(record, reason, now=datetime.now(UTC))  # refused from other states
        return await self.parts.store.fail_generation(generation_id, reason)
