"""Checking pictures off the event loop: the verifier the service, the API and workers share.

:func:`~lightrig.verify.scoring.verify_image` is CPU work (a reference render plus two
estimates, some tens to hundreds of milliseconds); :class:`ImageVerifier` runs it in a worker
thread, one picture at a time (the renderer uses every core and keeps caches that are not
thread-safe), with a renderer of its own made on first use.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import TYPE_CHECKING

from lightrig.verify.encoding import Encoding
from lightrig.verify.models import Adherence, VerificationReport

if TYPE_CHECKING:
    from lightrig.models.scene import SceneRequest
    from lightrig.render.preview import PreviewRenderer

__all__ = ["ImageVerifier"]

log = logging.getLogger(__name__)


class ImageVerifier:
    """Reads the light of pictures and scores them against requests, in a worker thread."""

    def __init__(self, renderer: PreviewRenderer | None = None) -> None:
        self._renderer = renderer
        self._lock = asyncio.Lock()

    def _ensure_renderer(self) -> PreviewRenderer:
        if self._renderer is None:
            from lightrig.render.preview import PreviewRenderer  # noqa: PLC0415 - numba, lazily

            self._renderer = PreviewRenderer()
        return self._renderer

    async def report(
        self,
        image: bytes,
        request: SceneRequest | None,
        *,
        encoding: Encoding | str = Encoding.DISPLAY,
    ) -> VerificationReport:
        """The picture's light, and with a request its adherence to it (``encoding``: how the
        picture's values relate to the light, :class:`~lightrig.verify.image.Encoding`).

        :class:`~lightrig.verify.image.ImageDecodeError` when ``image`` is not a readable
        picture.
        """
        # the estimator (NumPy, numba, the face models) loads on the first picture, not when
        # a server starts: a server's start-up warms it in the background
        from lightrig.verify.scoring import verify_image  # noqa: PLC0415

        async with self._lock:
            renderer = self._ensure_renderer() if request is not None else None
            return await asyncio.to_thread(
                functools.partial(verify_image, encoding=encoding), image, request, renderer
            )

    async def adherence(self, image: bytes, request: SceneRequest) -> Adherence | None:
        """How well a generated picture follows ``request``.

        A picture the estimator cannot read (too small, not an image) gets an adherence with no
        score whose verdict says why; ``None`` (and a warning in the log) when the check itself
        failed. A failed check never fails the generation it checks.
        """
        from lightrig.verify.image import ImageDecodeError  # noqa: PLC0415 - NumPy, lazily

        try:
            report = await self.report(image, request)
        except ImageDecodeError as exc:
            reason = f"the image could not be read: {exc}"
            return Adherence(
                overall=None, verdict=f"cannot tell: {reason}", scores=[], findings=[reason]
            )
        except Exception:
            log.warning("could not check the light of a generated image", exc_info=True)
            return None
        return report.adherence
