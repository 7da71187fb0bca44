"""The OpenAI-compatible translator: chat completions with Structured Outputs, through the
``openai`` client (``pip install 'lightrig[llm]'``), against OpenAI or any server that speaks
its API — Ollama (``http://localhost:11434/v1``), vLLM (``http://localhost:8000/v1``), LM Studio
(``http://localhost:1234/v1``).

On the wire (openai 3.x, async client over httpx2): ``POST {base_url}/chat/completions`` with
``Authorization: Bearer <key>`` and ``{"model", "messages": [system, user, ...], "temperature":
0, "response_format": {"type": "json_schema", "json_schema": {"name", "strict": true,
"schema"}}}``; the answer is ``choices[0].message.content``. The client's own retries are off
(``max_retries=0``): lightrig retries itself (:mod:`lightrig.translate.llm`).

The key: OpenAI needs ``openai_api_key``. A local server needs none, but the client always sends
one, so when ``openai_base_url`` is not ``api.openai.com`` and no key is set, the placeholder
``"not-needed"`` is sent (any non-empty key is accepted).

Settings: ``openai_api_key``, ``openai_base_url``, ``openai_model``, ``translator_timeout_s``
(seconds per call), ``translator_attempts``, ``retry_initial_s`` and ``retry_max_s`` (seconds of
backoff between transport retries).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from lightrig.config import Settings
from lightrig.errors import NaturalLanguageTranslationError
from lightrig.translate.llm import LLMTranslator
from lightrig.translate.llm_failures import ModelCallError, error_message, retry_delay_seconds
from lightrig.translate.llm_prompt import SYSTEM_PROMPT, Turn
from lightrig.translate.llm_schema import OUTPUT_SCHEMA_NAME, output_schema

if TYPE_CHECKING:
    import openai
    from openai.types.chat import ChatCompletion, ChatCompletionMessageParam
    from openai.types.shared_params import ResponseFormatJSONSchema

__all__ = ["LOCAL_PLACEHOLDER_KEY", "OPENAI_HOST", "OpenAICompatibleTranslator"]

#: The host whose API needs a real key.
OPENAI_HOST = "api.openai.com"
#: The key sent to a local server when none is set.
LOCAL_PLACEHOLDER_KEY = "not-needed"


class OpenAICompatibleTranslator(LLMTranslator):
    """Translates descriptions with a chat model (``settings.openai_model``) at
    ``settings.openai_base_url``.

    Raises :class:`NaturalLanguageTranslationError` at construction when the openai package is
    not installed, or no key is set for ``api.openai.com``.
    """

    name = "openai"

    def __init__(self, settings: Settings) -> None:
        try:
            import openai  # noqa: PLC0415 - an optional dependency
        except ImportError as exc:
            raise NaturalLanguageTranslationError(
                "the OpenAI-compatible translator needs the openai package: "
                "pip install 'lightrig[llm]'",
                text="",
                translator=self.name,
            ) from exc
        base_url = settings.openai_base_url.rstrip("/")
        host = (urlsplit(base_url).hostname or "").lower()
        official = host == OPENAI_HOST
        secret = settings.openai_api_key
        key = "" if secret is None else secret.get_secret_value().strip()
        if not key:
            if official:
                raise NaturalLanguageTranslationError(
                    "the OpenAI translator needs an API key: set LIGHTRIG_OPENAI_API_KEY "
                    "(a local OpenAI-compatible server such as Ollama needs none)",
                    text="",
                    translator=self.name,
                )
            key = LOCAL_PLACEHOLDER_KEY
        label = "OpenAI" if official else f"the OpenAI-compatible server at {base_url}"
        super().__init__(
            settings,
            label=label,
            model=settings.openai_model,
            secret=None if key == LOCAL_PLACEHOLDER_KEY else key,
        )
        self._base_url = base_url
        self._client: openai.AsyncOpenAI = openai.AsyncOpenAI(
            api_key=key,
            base_url=base_url,
            timeout=settings.translator_timeout_s,
            max_retries=0,
        )
        self._response_format: ResponseFormatJSONSchema = {
            "type": "json_schema",
            "json_schema": {
                "name": OUTPUT_SCHEMA_NAME,
                "strict": True,
                "schema": output_schema("openai"),
            },
        }
        self._closed = False

    def _messages(self, conversation: Sequence[Turn]) -> list[ChatCompletionMessageParam]:
        messages: list[ChatCompletionMessageParam] = [{"role": "system", "content": SYSTEM_PROMPT}]
        for turn in conversation:
            if turn.role == "model":
                messages.append({"role": "assistant", "content": turn.text})
            else:
                messages.append({"role": "user", "content": turn.text})
        return messages

    async def _complete(self, conversation: Sequence[Turn]) -> str:
        import openai  # noqa: PLC0415 - imported by __init__ already

        try:
            completion = await self._client.chat.completions.create(
                model=self._model,
                messages=self._messages(conversation),
                response_format=self._response_format,
                temperature=0.0,
            )
        except openai.APITimeoutError as exc:
            raise ModelCallError(self._timeout_text(), retryable=True) from exc
        except openai.APIConnectionError as exc:
            raise ModelCallError(
                f"could not reach {self._label}: {exc.message}", retryable=True
            ) from exc
        except openai.APIStatusError as exc:
            raise self._status_failure(exc) from exc
        except openai.APIError as exc:  # e.g. a 200 whose body is not a completion
            raise ModelCallError(
                f"{self._label} sent an unreadable answer: {type(exc).__name__}", retryable=True
            ) from exc
        return self._text(completion)

    def _status_failure(self, exc: openai.APIStatusError) -> ModelCallError:
        code = exc.status_code
        message = error_message(exc.body) or exc.message
        body_code = exc.body.get("code") if isinstance(exc.body, dict) else None
        if code in (401, 403):
            return ModelCallError(
                f"{self._label} refused the API key ({code}): check LIGHTRIG_OPENAI_API_KEY",
                retryable=False,
            )
        if code == 404:
            return ModelCallError(
                f"{self._label} has no model {self._model!r} or no chat completions at "
                f"{self._base_url} ({code}): check LIGHTRIG_OPENAI_MODEL and "
                "LIGHTRIG_OPENAI_BASE_URL",
                retryable=False,
            )
        if code == 429:
            if body_code == "insufficient_quota":
                return ModelCallError(
                    f"{self._label}: the account is out of quota (429)", retryable=False
                )
            headers = exc.response.headers
            asked = retry_delay_seconds(headers.get("retry-after"))
            return ModelCallError(
                f"{self._label} is rate limiting requests (429)",
                retryable=True,
                retry_after_s=asked,
            )
        if code in (408, 409) or code >= 500:
            return ModelCallError(f"{self._label} failed ({code}): {message}", retryable=True)
        return ModelCallError(
            f"{self._label} rejected the request ({code}): {message}", retryable=False
        )

    def _text(self, completion: ChatCompletion) -> str:
        if not completion.choices:
            raise ModelCallError(f"{self._label} answered with no choices", retryable=True)
        choice = completion.choices[0]
        if choice.message.refusal:
            raise ModelCallError(
                f"the model refused to translate: {choice.message.refusal}", retryable=False
            )
        content = choice.message.content
        if not content:
            raise ModelCallError(
                f"{self._label} gave no text (finish reason {choice.finish_reason})",
                retryable=True,
            )
        return content

    async def aclose(self) -> None:
        """Close the client's HTTP connections (once)."""
        if self._closed:
            return
        self._closed = True
        await self._client.close()
