"""One pooled HTTP client per image host, with the retry rules every host call follows.

Three kinds of call, three rules (see :mod:`lightrig.backends.retry`):

* :meth:`HostClient.submit` — starts a paid generation: repeated when the host certainly did not
  take it (a 429, or the request never left). An answer that leaves acceptance unknown (a 5xx,
  a read timeout, a dropped connection, an unreadable 2xx) ends the submission with an error
  saying the host may have accepted it — unless the client was made with
  ``resubmit_unknown``: then it is sent again, and each such answer is counted, since the host
  may have billed every one;
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
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx
from PIL import Image, UnidentifiedImageError

from lightrig.backends.retry import RetryPolicy, never_sent
from lightrig.errors import FIBOGenerationError

__all__ = ["HostClient", "Submitted", "decode_png_size", "json_or_none"]

ErrorText = Callable[[Any], str]
RequestIdOf = Callable[[Any], str | None]
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


def _no_request_id(body: Any) -> str | None:
    return None


@dataclass(frozen=True)
class Submitted:
    """A submission the host accepted: its JSON answer, and ``unknown``, how many earlier sends
    of it got an answer that left acceptance unknown (each may have been accepted too)."""

    body: dict[str, Any]
    unknown: int = 0


@dataclass(frozen=True)
class _Unknown:
    """An answer to a submission that leaves acceptance unknown: what happened, the host's
    request id if one came back, the status (if any) and the response (for Retry-After)."""

    what: str
    request_id: str | None = None
    status: int | None = None
    response: httpx.Response | None = None


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
        resubmit_unknown: bool = False,
        resubmit_setting: str = "",
    ) -> None:
        self.backend = backend
        self.policy = policy
        self.retried: Counter[str] = Counter()
        self.resubmit_unknown = resubmit_unknown
        self._resubmit_setting = resubmit_setting
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
        unknown: int = 0,
    ) -> FIBOGenerationError:
        if unknown:  # earlier sends may have landed: never worth a blind retry of the job
            message += (
                f"; {unknown} earlier submission{'s' if unknown > 1 else ''} of it may have "
                "been accepted"
            )
            retryable = False
        return FIBOGenerationError(
            message,
            backend=self.backend,
            status_code=status,
            retryable=retryable,
            request_id=request_id,
            timed_out=timed_out,
            possible_duplicates=max(0, unknown - 1),
        )

    def _refusal(
        self, response: httpx.Response, describe: ErrorText, unknown: int = 0
    ) -> FIBOGenerationError:
        status = response.status_code
        body = json_or_none(response)
        detail = describe(body if body is not None else response.text)
        hint = _HINTS.get(status, "refused")
        return self._error(
            f"{self.backend} answered {status} ({hint}): {detail}",
            status=status,
            retryable=False,
            unknown=unknown,
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
        request_id_of: RequestIdOf = _no_request_id,
    ) -> Submitted:
        """Start a generation; the host's JSON answer. Sent again when the host certainly did
        not take it; when it may have, only if ``resubmit_unknown`` allows (see the module).

        ``request_id_of`` reads the host's job id from an error body, for the message."""
        timeout = self._timeout
        if read_timeout_s is not None:
            timeout = httpx.Timeout(read_timeout_s, connect=min(10.0, read_timeout_s))
        unknown = 0
        named: str | None = None  # the host's id for a job it may have taken, if it gave one
        for attempt in range(1, self.policy.attempts + 1):
            last = attempt == self.policy.attempts
            await before()
            try:
                response = await self._client.request(
                    method, url, json=json, headers=headers, timeout=timeout
                )
            except httpx.HTTPError as exc:
                if not never_sent(exc):
                    outcome = _Unknown(f"its answer was lost ({type(exc).__name__})")
                elif last:
                    raise self._error(
                        f"cannot reach {_host(url)}: {type(exc).__name__}",
                        retryable=True,
                        unknown=unknown,
                    ) from None
                else:
                    self.retried["unreachable"] += 1
                    await asyncio.sleep(self.policy.wait(attempt, None))
                    continue
            else:
                status = response.status_code
                body = json_or_none(response)
                if status in accepted and isinstance(body, dict):
                    return Submitted(body, unknown)
                if status == 429 and self._host_says_retry(response):
                    if last:
                        raise self._error(
                            f"{self.backend} answered 429 on all {attempt} tries: "
                            f"{describe_error(body if body is not None else response.text)}",
                            status=429,
                            retryable=True,
                            unknown=unknown,
                        )
                    self.retried["429"] += 1
                    await asyncio.sleep(self.policy.wait(attempt, response))
                    continue
                if status in accepted:
                    outcome = _Unknown(f"its answer (HTTP {status}) was unreadable", None, status)
                elif status >= 500:
                    detail = describe_error(body if body is not None else response.text)
                    found = request_id_of(body)
                    outcome = _Unknown(f"answered {status}: {detail}", found, status, response)
                else:
                    raise self._refusal(response, describe_error, unknown)
            unknown += 1
            named = outcome.request_id or named
            if not self.resubmit_unknown or last or not self._resend_allowed(outcome):
                raise self._acceptance_unknown(outcome, unknown, attempt, named)
            self.retried["unknown"] += 1
            await asyncio.sleep(self.policy.wait(attempt, outcome.response))
        raise AssertionError("unreachable")  # pragma: no cover - the loop always returns or raises

    def _resend_allowed(self, outcome: _Unknown) -> bool:
        return outcome.response is None or self._host_says_retry(outcome.response)

    def _acceptance_unknown(
        self, outcome: _Unknown, unknown: int, attempts: int, request_id: str | None
    ) -> FIBOGenerationError:
        """The error that ends a submission whose last answer left acceptance unknown;
        ``request_id``: the latest id the host gave for a job it may have taken."""
        named = f" (request id {request_id})" if request_id else ""
        if not self.resubmit_unknown:
            message = (
                f"{self.backend} may have accepted the generation{named} but {outcome.what}; "
                "not submitting it again, to avoid a second charge"
            )
            if self._resubmit_setting:
                message += f" ({self._resubmit_setting}=true allows it)"
        else:
            message = (
                f"{self.backend} may have accepted the generation{named} but {outcome.what}, "
                f"after {attempts} tries; any of the {unknown} submissions left unanswered may "
                "have been accepted and billed"
            )
        return FIBOGenerationError(
            message,
            backend=self.backend,
            status_code=outcome.status,
            request_id=request_id,
            retryable=False,
            possible_duplicates=max(0, unknown - 1),
        )

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
