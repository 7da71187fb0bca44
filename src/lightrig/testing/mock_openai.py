"""A local mock of OpenAI's chat completions API (and of the servers that copy it: Ollama, vLLM,
LM Studio), over real HTTP.

Route (the openai client reaches it with ``base_url=f"{server.url}/v1"``, to which it appends
``/chat/completions``):

- ``POST /v1/chat/completions`` with ``Authorization: Bearer <key>``: none or a wrong one → 401
  ``{"error": {"message", "type", "param", "code"}}`` as OpenAI's (its message shows the key
  masked, as OpenAI's does). With ``api_key=None`` any non-empty key passes, as on a local
  server.
- The body must hold ``model`` (a non-empty string), ``messages`` (objects with a ``role`` and a
  ``content``, at least one from the user) and ``response_format`` (``{"type": "json_schema",
  "json_schema": {"name", "schema", "strict"?}}`` or ``{"type": "json_object"}``); anything
  else is a 400 ``invalid_request_error`` naming the field in ``param``.
- The answer: ``{"id", "object": "chat.completion", "created", "model", "choices": [{"index": 0,
  "message": {"role": "assistant", "content": <JSON text>, "refusal": null}, "logprobs": null,
  "finish_reason": "stop"}], "usage": {...}, "system_fingerprint"}``.

Answers come from the rules translator by default, or from :meth:`LLMMockServer.script`, as for
:class:`~lightrig.testing.mock_gemini.MockGeminiServer`.
"""

from __future__ import annotations

import re
import time
import uuid
from typing import Any, ClassVar

from lightrig.testing.checks import JSONObject, is_number, json_type
from lightrig.testing.mock_gemini import LLMMockServer
from lightrig.testing.options import Option
from lightrig.testing.transport import Reply, Request
from lightrig.translate.llm import SchemaDialect, description_from_prompt

__all__ = ["MockOpenAIServer", "run_mock_openai"]

_PATH = "/v1/chat/completions"
_ROLES = frozenset({"system", "developer", "user", "assistant", "tool"})
_SCHEMA_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
_KEY_HELP = "You can find your API key at https://platform.openai.com/account/api-keys."


def _optional_key(name: str, value: object) -> str | None:
    if value is None or (isinstance(value, str) and value):
        return value
    raise ValueError(f"{name} must be a non-empty string or None, got {value!r}")


def openai_error(
    status: int,
    message: str,
    *,
    kind: str = "invalid_request_error",
    param: str | None = None,
    code: str | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """An error answer in OpenAI's shape: ``{"error": {"message", "type", "param", "code"}}``."""
    error = {"message": message, "type": kind, "param": param, "code": code}
    return Reply.json(status, {"error": error}, headers)


def _masked(key: str) -> str:
    """A key as OpenAI's error messages show it: its first and last few characters."""
    if len(key) <= 8:
        return "*" * len(key)
    return f"{key[:3]}{'*' * (len(key) - 7)}{key[-4:]}"


def _content_text(content: object) -> str | None:
    """A message's text: a string, or the text parts of a content array."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        texts = [
            part["text"]
            for part in content
            if isinstance(part, dict) and part.get("type") == "text"
            if isinstance(part.get("text"), str)
        ]
        return "".join(texts) if len(texts) == len(content) else None
    return None


def _openai_problems(body: object) -> list[tuple[str, str]]:
    """What is wrong with a chat completions body, as (param, problem) pairs."""
    if not isinstance(body, dict):
        return [("body", f"must be a JSON object, got {json_type(body)}")]
    problems: list[tuple[str, str]] = []
    model = body.get("model")
    if not isinstance(model, str) or not model:
        problems.append(("model", "you must provide a model parameter"))
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        problems.append(("messages", f"must be a non-empty array, got {json_type(messages)}"))
    else:
        for index, message in enumerate(messages):
            where = f"messages[{index}]"
            if not isinstance(message, dict) or message.get("role") not in _ROLES:
                problems.append((f"{where}.role", f"must be one of {', '.join(sorted(_ROLES))}"))
            elif _content_text(message.get("content")) is None:
                problems.append((f"{where}.content", "must be a string or text parts"))
        if not any(isinstance(m, dict) and m.get("role") == "user" for m in messages):
            problems.append(("messages", "must hold at least one user message"))
    problems += _response_format_problems(body.get("response_format"))
    temperature = body.get("temperature")
    if temperature is not None and (not is_number(temperature) or not 0 <= temperature <= 2):
        problems.append(("temperature", "must be a number in 0–2"))
    return problems


def _response_format_problems(value: object) -> list[tuple[str, str]]:
    if not isinstance(value, dict):
        return [("response_format", "required: this mock answers only in JSON mode")]
    kind = value.get("type")
    if kind == "json_object":
        return []
    if kind != "json_schema":
        return [("response_format.type", "must be 'json_schema' or 'json_object'")]
    spec = value.get("json_schema")
    if not isinstance(spec, dict):
        return [("response_format.json_schema", "must be an object")]
    problems: list[tuple[str, str]] = []
    name = spec.get("name")
    if not isinstance(name, str) or not _SCHEMA_NAME.fullmatch(name):
        problems.append(("response_format.json_schema.name", "must be a-z, 0-9, _ or -, ≤ 64"))
    if not isinstance(spec.get("schema"), dict):
        problems.append(("response_format.json_schema.schema", "must be an object"))
    if "strict" in spec and not isinstance(spec["strict"], bool | None):
        problems.append(("response_format.json_schema.strict", "must be a boolean"))
    return problems


def _first_user_text(messages: list[Any]) -> str:
    for message in messages:
        if message.get("role") == "user":
            return _content_text(message.get("content")) or ""
    return ""


class MockOpenAIServer(LLMMockServer):
    """OpenAI's chat completions on ``http://127.0.0.1:<port>`` (``port=0`` picks a free one);
    the client's base URL is :attr:`base_url`.

    Options (besides :class:`LLMMockServer`'s): ``api_key``, the bearer token every call must
    carry (``None``: any non-empty one, as a local server).
    """

    DIALECT: ClassVar[SchemaDialect] = "openai"
    ENDPOINT = "chat_completions"

    api_key = Option(_optional_key)

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str | None = "test-openai-key",
        latency_s: float = 0.0,
        timeout_sleep_s: float = 5.0,
        retry_after_s: float = 0.0,
    ) -> None:
        super().__init__(
            host=host,
            port=port,
            latency_s=latency_s,
            timeout_sleep_s=timeout_sleep_s,
            retry_after_s=retry_after_s,
        )
        self.api_key = api_key

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/v1``: the base URL an OpenAI client is given."""
        return f"{self.url}/v1"

    def handle(self, request: Request) -> Reply | None:
        """Answer ``POST /v1/chat/completions``."""
        if request.path != _PATH:
            return openai_error(404, f"Invalid URL ({request.method} {request.path})")
        body = self.receive(request, self.ENDPOINT)
        if request.method != "POST":
            return openai_error(405, f"Invalid method for URL ({request.method} {_PATH})")
        refused = self._check_key(request.header("authorization"))
        if refused is not None:
            return refused
        problems = _openai_problems(body)
        if problems:
            summary = "; ".join(f"{param}: {problem}" for param, problem in problems)
            return openai_error(400, f"Invalid request: {summary}", param=problems[0][0])

        answer = self.take_answer()
        if answer == "429":
            self.count_429()
            return openai_error(
                429,
                "Rate limit reached for requests per minute. Please try again shortly.",
                kind="requests",
                code="rate_limit_exceeded",
                headers={"retry-after": f"{self.retry_after_s:g}"},
            )
        if answer == "5xx":
            return openai_error(
                503,
                "The server is overloaded or not ready yet.",
                kind="server_error",
            )
        if not self.hold_for(answer):
            return None  # stopping: hang up
        scripted = None if answer == "timeout" else answer
        description = description_from_prompt(_first_user_text(body["messages"]))
        content = self.answer_text(scripted, description)
        return Reply.json(200, self._completion(body["model"], content, len(request.body)))

    def _check_key(self, header: str | None) -> Reply | None:
        scheme, _, token = (header or "").partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            return openai_error(
                401,
                "You didn't provide an API key. You need to provide your API key in an "
                "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY). "
                + _KEY_HELP,
            )
        expected = self.api_key
        if expected is not None and token != expected:
            return openai_error(
                401,
                f"Incorrect API key provided: {_masked(token)}. {_KEY_HELP}",
                code="invalid_api_key",
            )
        return None

    @staticmethod
    def _completion(model: str, content: str, body_bytes: int) -> JSONObject:
        prompt_tokens = body_bytes // 4
        answer_tokens = len(content) // 4
        return {
            "id": f"chatcmpl-{uuid.uuid4().hex[:24]}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content, "refusal": None},
                    "logprobs": None,
                    "finish_reason": "stop",
                }
            ],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": answer_tokens,
                "total_tokens": prompt_tokens + answer_tokens,
            },
            "system_fingerprint": "fp_lightrig_mock",
        }


def run_mock_openai(
    host: str = "127.0.0.1",
    port: int = 8767,
    *,
    api_key: str | None = None,
    latency_s: float = 0.0,
) -> None:
    """Serve the OpenAI mock on ``host``:``port`` (any key by default, as a local server;
    ``latency_s`` seconds per answer), print the settings that point lightrig at it and block
    until Ctrl-C."""
    server = MockOpenAIServer(host=host, port=port, api_key=api_key, latency_s=latency_s)
    server.start()
    print(f"mock OpenAI chat completions at {server.base_url}", flush=True)
    print(
        f"  LIGHTRIG_TRANSLATOR=openai LIGHTRIG_OPENAI_BASE_URL={server.base_url}"
        + ("" if api_key is None else f" LIGHTRIG_OPENAI_API_KEY={api_key}")
        + "  ·  Ctrl-C stops",
        flush=True,
    )
    server.serve_forever()
