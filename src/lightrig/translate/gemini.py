"""The Gemini translator: Google's Gemini API through the ``google-genai`` client, in JSON mode
with lightrig's answer schema (``pip install 'lightrig[llm]'``).

On the wire (google-genai 3.x, async client over httpx2):
``POST {base_url}/v1beta/models/{model}:generateContent`` with the key in the
``x-goog-api-key`` header and a camelCase body — ``contents`` (``role`` ``user`` / ``model``,
``parts[].text``), ``systemInstruction``, ``generationConfig`` (``temperature``,
``responseMimeType: "application/json"``, ``responseJsonSchema``). The client's own default API
version is ``v1`` in 3.x; lightrig pins ``v1beta``, where ``systemInstruction`` and
``responseJsonSchema`` have been served longest. The client's retries are switched off (one
attempt): lightrig retries itself (:mod:`lightrig.translate.llm`).

Settings: ``gemini_api_key`` (required), ``gemini_model``, ``gemini_base_url`` (a proxy or a
test server, e.g. :class:`~lightrig.testing.mock_gemini.MockGeminiServer`),
``translator_timeout_s`` (seconds per call), ``translator_attempts``, ``retry_initial_s`` and
``retry_max_s`` (seconds of backoff between transport retries).
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import httpx

from lightrig.config import Settings
from lightrig.errors import NaturalLanguageTranslationError
from lightrig.translate.llm import LLMTranslator
from lightrig.translate.llm_failures import ModelCallError, retry_delay_seconds
from lightrig.translate.llm_prompt import SYSTEM_PROMPT, Turn
from lightrig.translate.llm_schema import output_schema

if TYPE_CHECKING:
    from google import genai
    from google.genai import errors, types

__all__ = ["DEFAULT_GEMINI_URL", "GEMINI_API_VERSION", "GeminiTranslator"]

#: The API version lightrig asks for (the path's first segment).
GEMINI_API_VERSION = "v1beta"
#: Where the client goes when ``gemini_base_url`` is not set.
DEFAULT_GEMINI_URL = "https://generativelanguage.googleapis.com"

_Errors = tuple[type[BaseException], ...]


def _transport_errors() -> tuple[_Errors, _Errors]:
    """(timeouts, other transport failures) of every HTTP stack google-genai may use: httpx2
    (its default), httpx, and aiohttp when installed (its timeouts are builtin TimeoutErrors)."""
    timeouts: list[type[BaseException]] = [httpx.TimeoutException, TimeoutError]
    transport: list[type[BaseException]] = [httpx.TransportError]
    for module_name, timeout_name, transport_name in (
        ("httpx2", "TimeoutException", "TransportError"),
        ("aiohttp", "ServerTimeoutError", "ClientError"),
    ):
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        for name, found in ((timeout_name, timeouts), (transport_name, transport)):
            cls = getattr(module, name, None)
            if isinstance(cls, type) and issubclass(cls, BaseException):
                found.append(cls)
    return tuple(timeouts), tuple(transport)


def _error_details(details: object) -> list[Mapping[str, Any]]:
    """The ``error.details`` entries of a Google error body."""
    if not isinstance(details, Mapping):
        return []
    error = details.get("error", details)
    entries = error.get("details") if isinstance(error, Mapping) else None
    if not isinstance(entries, list):
        return []
    return [entry for entry in entries if isinstance(entry, Mapping)]


def _is_key_error(exc: errors.APIError) -> bool:
    """Whether a 400 is Google's answer to a bad API key (``reason: API_KEY_INVALID``)."""
    if any(entry.get("reason") == "API_KEY_INVALID" for entry in _error_details(exc.details)):
        return True
    return "api key" in (exc.message or "").lower()


def _retry_after(exc: errors.APIError) -> float | None:
    """The delay a 429 asks for: ``RetryInfo.retryDelay`` (``"7s"``) or ``Retry-After``."""
    for entry in _error_details(exc.details):
        if str(entry.get("@type", "")).endswith("google.rpc.RetryInfo"):
            delay = retry_delay_seconds(entry.get("retryDelay"))
            if delay is not None:
                return delay
    headers = getattr(exc.response, "headers", None)
    return retry_delay_seconds(headers.get("retry-after")) if headers is not None else None


class GeminiTranslator(LLMTranslator):
    """Translates descriptions with a Gemini model (``settings.gemini_model``).

    Raises :class:`NaturalLanguageTranslationError` at construction when google-genai is not
    installed or ``gemini_api_key`` is not set.
    """

    name = "gemini"

    def __init__(self, settings: Settings) -> None:
        try:
            from google import genai  # noqa: PLC0415 - an optional dependency
            from google.genai import types  # noqa: PLC0415
        except ImportError as exc:
            raise NaturalLanguageTranslationError(
                "the Gemini translator needs the google-genai package: pip install 'lightrig[llm]'",
                text="",
                translator=self.name,
            ) from exc
        secret = settings.gemini_api_key
        key = "" if secret is None else secret.get_secret_value().strip()
        if not key:
            raise NaturalLanguageTranslationError(
                "the Gemini translator needs an API key: set LIGHTRIG_GEMINI_API_KEY "
                "(one from https://aistudio.google.com/apikey)",
                text="",
                translator=self.name,
            )
        super().__init__(settings, label="Gemini", model=settings.gemini_model, secret=key)
        self._endpoint = settings.gemini_base_url or DEFAULT_GEMINI_URL
        options = types.HttpOptions(
            api_version=GEMINI_API_VERSION,
            timeout=max(1, round(settings.translator_timeout_s * 1000.0)),  # milliseconds
            retry_options=types.HttpRetryOptions(attempts=1),
        )
        if settings.gemini_base_url:
            options.base_url = settings.gemini_base_url
        self._client: genai.Client = genai.Client(api_key=key, vertexai=False, http_options=options)
        self._config = types.GenerateContentConfig(
            system_instruction=SYSTEM_PROMPT,
            response_mime_type="application/json",
            response_json_schema=output_schema("gemini"),
            temperature=0.0,
        )
        self._timeouts, self._transport = _transport_errors()
        self._closed = False

    async def _complete(self, conversation: Sequence[Turn]) -> str:
        from google.genai import errors, types  # noqa: PLC0415 - imported by __init__ already

        contents = [
            types.Content(role=turn.role, parts=[types.Part(text=turn.text)])
            for turn in conversation
        ]
        try:
            response = await self._client.aio.models.generate_content(
                model=self._model, contents=contents, config=self._config
            )
        except errors.APIError as exc:
            raise self._api_failure(exc) from exc
        except self._timeouts as exc:
            raise ModelCallError(self._timeout_text(), retryable=True) from exc
        except self._transport as exc:
            raise ModelCallError(
                f"could not reach Gemini at {self._endpoint}: {type(exc).__name__}",
                retryable=True,
            ) from exc
        except json.JSONDecodeError as exc:  # a 200 whose body is not JSON
            raise ModelCallError(
                f"Gemini sent an unreadable answer: {exc}", retryable=True
            ) from exc
        return self._text(response)

    def _api_failure(self, exc: errors.APIError) -> ModelCallError:
        code = exc.code
        status = f"{code} {exc.status}" if exc.status else str(code)
        message = exc.message or "no message"
        if code in (401, 403) or (code == 400 and _is_key_error(exc)):
            return ModelCallError(
                f"Gemini refused the API key ({code}): check LIGHTRIG_GEMINI_API_KEY",
                retryable=False,
            )
        if code == 404:
            return ModelCallError(
                f"Gemini has no model {self._model!r} ({code}): check LIGHTRIG_GEMINI_MODEL",
                retryable=False,
            )
        if code == 429:
            return ModelCallError(
                f"Gemini is rate limiting requests ({status})",
                retryable=True,
                retry_after_s=_retry_after(exc),
            )
        if code == 408 or code >= 500:
            return ModelCallError(f"Gemini failed ({status}): {message}", retryable=True)
        return ModelCallError(f"Gemini rejected the request ({status}): {message}", retryable=False)

    def _text(self, response: types.GenerateContentResponse) -> str:
        feedback = response.prompt_feedback
        if feedback is not None and feedback.block_reason is not None:
            reason = getattr(feedback.block_reason, "value", feedback.block_reason)
            raise ModelCallError(f"Gemini blocked the description ({reason})", retryable=False)
        text = response.text
        if text:
            return text
        candidates = response.candidates or []
        finish = candidates[0].finish_reason if candidates else None
        reason = getattr(finish, "value", finish) or "no candidate"
        raise ModelCallError(f"Gemini gave no text (finish reason {reason})", retryable=True)

    async def aclose(self) -> None:
        """Close the client's async and sync HTTP connections (once)."""
        if self._closed:
            return
        self._closed = True
        await self._client.aio.aclose()
        self._client.close()
