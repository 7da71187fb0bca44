"""One pooled HTTP client per image host, with the retry rules every host call follows.

Three kinds of call, three rules (see :mod:`lightrig.backends.retry`):

* :meth:`HostClient.submit` — starts a paid generation: repeated only when the host certainly
  did not take it (429, 5xx, or the request never left);
* :meth:`HostClient.fetch_json` — a status poll or result fetch: repeated on any transient
  failure (429, 5xx, timeouts, dropped connections, unreadable bodies) until the deadline;
* :meth:`HostClient.download` — the image bytes: repeated likewise.

Every failure ends as :class:`~lightrig.errors.FIBOGenerationError` with a message that names the
host's complaint and never the credentials.
"""

from __future__ import annotations

import asyncio
import io
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
from PIL import Image, UnidentifiedImageError

from lightrig.backends.retry import RetryPolicy, never_sent
from lightrig.errors import FIBOGenerationError

__all__ = ["HostClient", "decode_png_size", "json_or_none"]

ErrorText = Callable[[Any], str]
Hook = Callable[[], Awaitable[None]]

_HINTS = {
    401: "the API key or token was refused",
    403: "the account has no access or no quota left",
    404: "not found",
    413: "the request is too large",
    415: "the request's content type was refused",
    422: "the request was refused as invalid (or by content moderation)",
}


def json_or_none(response: httpx.Response) -> Any:
    """The response's JSON body, or ``None`` when it is not JSON."""
    try:
        return response.json()
    except ValueError:
        return None


def decode_png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels of encoded image bytes (PNG, JPEG, WebP)."""
    try:
        with Image.open(io.BytesIO(data)) as picture:
            return picture.size
    except (UnidentifiedImageError, OSError) as exc:
        raise ValueError(f"not an image: {exc}") from None


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


async def _nothing() -> None:
    return None


class HostClient:
    """HTTP calls to one host. ``retried`` counts retries by kind (``429``, ``5xx``, ...)."""

    def __init__(
        self,
        *,
        backend: str,
        timeout_s: float,
        policy: RetryPolicy,
        transport: httpx.AsyncBaseTransport | None = None,
        retryable_header: str | None = None,
    ) -> None:
        self.backend = backend
        self.policy = policy
        self.retried: Counter[str] = Counter()
        self._retryable_header = retryable_header
        self._timeout = httpx.Timeout(timeout_s, connect=min(10.0, timeout_s))
        self._client = httpx.AsyncClient(
            timeout=self._timeout,
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=32),
            transport=transport,
            follow_redirects=True,
        )

    def _error(
        self,
        message: str,
        *,
        status: int | None = None,
        retryable: bool = False,
        request_id: str | None = None,
        timed_out: bool = False,
    ) -> FIBOGenerationError:
        return FIBOGenerationError(
            message,
            backend=self.backend,
            status_code=status,
            retryable=retryable,
            request_id=request_id,
            timed_out=timed_out,
        )

    def _refusal(self, response: httpx.Response, describe: ErrorText) -> FIBOGenerationError:
        status = response.status_code
        body = json_or_none(response)
        detail = describe(body if body is not None else response.text)
        hint = _HINTS.get(status, "refused")
        return self._error(
            f"{self.backend} answered {status} ({hint}): {detail}", status=status, retryable=False
        )

    def _host_says_retry(self, response: httpx.Response) -> bool:
        if self._retryable_header is None:
            return True
        flag = response.headers.get(self._retryable_header)
        return flag is None or flag.strip().lower() != "false"

    async def _pause(self, seconds: float, deadline: float | None) -> None:
        if deadline is not None and time.monotonic() + seconds > deadline:
            raise self._error(
                f"{self.backend} kept failing and the time allowed ran out",
                retryable=True,
                timed_out=True,
            )
        await asyncio.sleep(seconds)

    async def submit(
        self,
        method: str,
        url: str,
        *,
        json: dict[str, Any],
        headers: dict[str, str],
        accepted: tuple[int, ...],
        before: Hook = _nothing,
        read_timeout_s: float | None = None,
        describe_error: ErrorText = str,
    ) -> dict[str, Any]:
        """Start a generation; the host's JSON answer. Never sent twice once it may have landed."""
        timeout = self._timeout
        if read_timeout_s is not None:
            timeout = httpx.Timeout(read_timeout_s, connect=min(10.0, read_timeout_s))
        for attempt in range(1, self.policy.attempts + 1):
            await before()
            try:
                response = await self._client.request(
                    method, url, json=json, headers=headers, timeout=timeout
                )
            except httpx.HTTPError as exc:
                if not never_sent(exc):
                    raise self._error(
                        f"{self.backend} may have accepted the generation but its answer was "
                        f"lost ({type(exc).__name__}); not submitting it again, to avoid a "
                        "second charge",
                        retryable=False,
                    ) from None
                if attempt == self.policy.attempts:
                    raise self._error(
                        f"cannot reach {_host(url)}: {type(exc).__name__}", retryable=True
                    ) from None
                self.retried["unreachable"] += 1
                await asyncio.sleep(self.policy.wait(attempt, None))
                continue
            status = response.status_code
            if status in accepted:
                body = json_or_none(response)
                if not isinstance(body, dict):
                    raise self._error(
                        f"{self.backend} accepted the generation (HTTP {status}) but its answer "
                        "was unreadable; not submitting it again, to avoid a second charge",
                        status=status,
                        retryable=False,
                    )
                return body
            if (status == 429 or status >= 500) and self._host_says_retry(response):
                kind = "429" if status == 429 else "5xx"
                if attempt == self.policy.attempts:
                    body = json_or_none(response)
                    raise self._error(
                        f"{self.backend} answered {status} on all {attempt} tries: "
                        f"{describe_error(body if body is not None else response.text)}",
                        status=status,
                        retryable=True,
                    )
                self.retried[kind] += 1
                await asyncio.sleep(self.policy.wait(attempt, response))
                continue
            raise self._refusal(response, describe_error)
        raise AssertionError("unreachable")  # pragma: no cover - the loop always returns or raises

    async def fetch_json(
        self,
        url: str,
        *,
        headers: dict[str, str],
        before: Hook = _nothing,
        deadline: float | None = None,
        describe_error: ErrorText = str,
    ) -> dict[str, Any]:
        """GET a JSON object, retrying transient failures until ``deadline`` (monotonic s)."""
        attempt = 0
        while True:
            attempt += 1
            await before()
            response: httpx.Response | None = None
            try:
                response = await self._client.get(url, headers=headers)
            except httpx.HTTPError as exc:
                kind = type(exc).__name__
            else:
                status = response.status_code
                if status == 200:
                    body = json_or_none(response)
                    if isinstance(body, dict):
                        return body
                    kind = "unreadable"
                elif status == 429 or status >= 500:
                    kind = "429" if status == 429 else "5xx"
                else:
                    raise self._refusal(response, describe_error)
            if attempt >= self.policy.attempts * 3:
                raise self._error(
                    f"{self.backend} kept failing on {_host(url)} ({kind}, {attempt} tries)",
                    retryable=True,
                    timed_out="Timeout" in kind,
                )
            self.retried[kind] += 1
            await self._pause(self.policy.wait(attempt, response), deadline)

    async def download(self, url: str, *, deadline: float | None = None) -> tuple[bytes, str]:
        """The bytes and media type of an image, retrying transient failures."""
        attempt = 0
        while True:
            attempt += 1
            response: httpx.Response | None = None
            try:
                response = await self._client.get(url)
            except httpx.HTTPError as exc:
                kind = type(exc).__name__
            else:
                status = response.status_code
                if status == 200:
                    media_type = response.headers.get("content-type", "").split(";")[0].strip()
                    data = response.content
                    try:
                        decode_png_size(data)
                    except ValueError:
                        kind = "not an image"
                    else:
                        return data, media_type or "image/png"
                elif status == 429 or status >= 500:
                    kind = "429" if status == 429 else "5xx"
                else:
                    raise self._error(
                        f"the image at {_host(url)} could not be fetched ({status})", status=status
                    )
            if attempt >= self.policy.attempts:
                raise self._error(
                    f"the image at {_host(url)} could not be fetched ({kind})",
                    retryable=True,
                    timed_out="Timeout" in kind,
                )
            self.retried[kind] += 1
            await self._pause(self.policy.wait(attempt, response), deadline)

    async def raw_get(self, url: str, *, headers: dict[str, str] | None = None) -> httpx.Response:
        """One plain GET, no retries (for health probes)."""
        return await self._client.get(url, headers=headers)

    async def aclose(self) -> None:
        """Close the pooled client."""
        await self._client.aclose()
