"""A local mock of the Gemini API's ``generateContent``, over real HTTP.

Route (the google-genai client reaches it with ``HttpOptions(base_url=server.url)``):

- ``POST /{version}/models/{model}:generateContent``, ``version`` ``v1beta`` (what lightrig asks
  for) or ``v1`` (google-genai 3.x's own default). The key comes in the ``x-goog-api-key``
  header (what google-genai sends) or a ``key`` query parameter: none → 403
  ``PERMISSION_DENIED``; a wrong one → ``invalid_key_status``: 401 ``UNAUTHENTICATED`` by
  default, or 400 ``INVALID_ARGUMENT`` with reason ``API_KEY_INVALID``, which is what Google's
  endpoint answers for a bad key. Errors have Google's shape ``{"error": {"code", "message",
  "status"}}``.
- The body must be camelCase as Google's: ``contents`` (``role`` ``user`` / ``model``,
  ``parts[].text``, ending with the user), ``systemInstruction`` (``parts[].text``) and
  ``generationConfig`` with ``responseMimeType: "application/json"`` and a
  ``responseJsonSchema`` or ``responseSchema`` object; anything else is a 400
  ``INVALID_ARGUMENT`` naming the field.
- The answer: ``{"candidates": [{"content": {"role": "model", "parts": [{"text": <JSON
  text>}]}, "finishReason": "STOP", "index": 0}], "usageMetadata": {...}, "modelVersion",
  "responseId"}``.

What the model "answers": by default lightrig's offline :class:`~lightrig.translate.rules.
RulesTranslator` reads the description (the text between ``<description>`` markers of the first
user message) and its result is written in the answer schema, so demos get plausible answers.
Tests script answers with :meth:`LLMMockServer.script`. :class:`LLMMockServer` is shared with
:class:`~lightrig.testing.mock_openai.MockOpenAIServer`.
"""

from __future__ import annotations

import asyncio
import json
import re
import threading
import uuid
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from lightrig.errors import NaturalLanguageTranslationError
from lightrig.testing.checks import JSONObject, is_number, json_type
from lightrig.testing.options import Option, seconds, text
from lightrig.testing.server import MockServer
from lightrig.testing.transport import Reply, Request
from lightrig.translate.llm import (
    SchemaDialect,
    answer_for,
    description_from_prompt,
    no_lighting_answer,
)
from lightrig.translate.rules import RulesTranslator

__all__ = [
    "FAULTS",
    "Answer",
    "LLMMockServer",
    "MockGeminiServer",
    "ReceivedCall",
    "run_mock_gemini",
]

#: An answer to script: a dict (sent as its JSON text), a string (sent as the text, as is: for
#: malformed answers) or one of :data:`FAULTS`.
Answer = Mapping[str, Any] | str
#: HTTP faults a script may hold: a 429, a 503, or an answer held back ``timeout_sleep_s``.
FAULTS: frozenset[str] = frozenset({"429", "5xx", "timeout"})

_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_PATH = re.compile(r"/(v1beta|v1)/models/([^/:]+):generateContent")
_GOOGLE_STATUS = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    429: "RESOURCE_EXHAUSTED",
    503: "UNAVAILABLE",
}


@dataclass(frozen=True)
class ReceivedCall:
    """A request an LLM mock received: path, query, lower-case headers, the body parsed as JSON
    (``None`` when it was not JSON)."""

    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: Any


def _invalid_key_status(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value not in (400, 401):
        raise ValueError(f"{name} must be 400 or 401, got {value!r}")
    return value


class LLMMockServer(MockServer):
    """What the Gemini and OpenAI mocks share: scripted answers and faults, the default answer
    from the rules translator, and a record of every call.

    Options (checked, settable later): ``latency_s`` (seconds before each answer),
    ``timeout_sleep_s`` (seconds a ``"timeout"`` fault holds the answer back), ``retry_after_s``
    (the delay a ``"429"`` asks for, seconds).
    """

    SCRIPTABLE: ClassVar[Mapping[str, frozenset[str]]] = {}
    SERVES_IMAGES: ClassVar[bool] = False
    #: The answer schema's dialect the default answers are written in.
    DIALECT: ClassVar[SchemaDialect] = "gemini"

    latency_s = Option(seconds)
    timeout_sleep_s = Option(seconds)
    retry_after_s = Option(seconds)

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        latency_s: float = 0.0,
        timeout_sleep_s: float = 5.0,
        retry_after_s: float = 0.0,
    ) -> None:
        super().__init__(host=host, port=port)
        self.latency_s = latency_s
        self.timeout_sleep_s = timeout_sleep_s
        self.retry_after_s = retry_after_s
        self._answers: deque[Answer] = deque()
        self._calls: list[ReceivedCall] = []
        self._rules_lock = threading.Lock()

    # scripting

    def script(self, *answers: Answer) -> None:
        """Queue answers for the next valid requests, one each, in order: a dict (answered as
        its JSON text), a string (answered as is) or a fault (``"429"``, ``"5xx"``,
        ``"timeout"``). An LLM mock has one endpoint, so none is named (unlike
        :meth:`MockServer.script`). Requests refused for their key or body take none."""
        for answer in answers:
            if not isinstance(answer, Mapping | str):
                raise TypeError(f"an answer is a dict or a string, not {type(answer).__name__}")
        with self.lock:
            self._answers.extend(answers)

    @property
    def pending_answers(self) -> list[Answer]:
        """The scripted answers and faults not yet taken."""
        with self.lock:
            return list(self._answers)

    def clear_script(self) -> None:
        """Drop every queued answer and fault."""
        super().clear_script()
        with self.lock:
            self._answers.clear()

    def take_answer(self) -> Answer | None:
        """The next scripted answer, ``None`` when the script is empty."""
        with self.lock:
            return self._answers.popleft() if self._answers else None

    # the record

    @property
    def request_count(self) -> int:
        """Requests received on the model endpoint, whatever their answer."""
        with self.lock:
            return len(self._calls)

    @property
    def calls(self) -> list[ReceivedCall]:
        """Every request received on the model endpoint, in order."""
        with self.lock:
            return list(self._calls)

    @property
    def bodies(self) -> list[Any]:
        """The body of every request received on the model endpoint, parsed as JSON."""
        with self.lock:
            return [call.body for call in self._calls]

    def reset_stats(self) -> None:
        """Zero the statistics and forget the calls received."""
        super().reset_stats()
        with self.lock:
            self._calls.clear()

    def receive(self, request: Request, endpoint: str) -> Any:
        """Record a request on the model endpoint; its body parsed as JSON (``None`` if not)."""
        self.count_request(endpoint)
        try:
            body = request.json()
        except ValueError:
            body = None
        call = ReceivedCall(request.path, dict(request.query), dict(request.headers), body)
        with self.lock:
            self._calls.append(call)
        return body

    # answers

    def answer_text(self, answer: Answer | None, description: str) -> str:
        """The text the model answers: a scripted answer's, else :meth:`default_answer`'s."""
        if answer is None:
            return json.dumps(self.default_answer(description))
        if isinstance(answer, str):
            return answer
        return json.dumps(dict(answer))

    def default_answer(self, description: str) -> JSONObject:
        """The offline rules translator's reading of ``description`` in the answer schema (a
        ``no_lighting`` answer when it finds no light)."""
        try:
            with self._rules_lock:
                translation = asyncio.run(RulesTranslator().translate(description))
        except NaturalLanguageTranslationError:
            words = list(dict.fromkeys(_WORD.findall(description)))
            return no_lighting_answer(words, dialect=self.DIALECT)
        return answer_for(
            translation.request,
            understood=translation.understood,
            ignored=translation.ignored,
            dialect=self.DIALECT,
        )

    def hold_for(self, answer: Answer | None) -> bool:
        """Wait ``latency_s`` (and ``timeout_sleep_s`` for a ``"timeout"`` fault); ``False`` when
        the server began stopping meanwhile."""
        delay = self.latency_s + (self.timeout_sleep_s if answer == "timeout" else 0.0)
        return self.hold(delay)


def google_error(
    code: int, message: str, details: list[JSONObject] | None = None, **headers: str
) -> Reply:
    """An error answer in Google's shape: ``{"error": {"code", "message", "status"}}``."""
    error: JSONObject = {
        "code": code,
        "message": message,
        "status": _GOOGLE_STATUS.get(code, "UNKNOWN"),
    }
    if details is not None:
        error["details"] = details
    return Reply.json(code, {"error": error}, headers)


def _parts_problems(value: object, where: str) -> list[str]:
    if not isinstance(value, list) or not value:
        return [f"{where}.parts: must be a non-empty array, got {json_type(value)}"]
    problems = []
    for index, part in enumerate(value):
        if not isinstance(part, dict) or not isinstance(part.get("text"), str):
            problems.append(f"{where}.parts[{index}].text: must be a string")
    return problems


def _gemini_problems(body: object) -> list[str]:
    """What is wrong with a ``generateContent`` body, field by field (camelCase names)."""
    if not isinstance(body, dict):
        return [f"body: must be a JSON object, got {json_type(body)}"]
    problems: list[str] = []
    contents = body.get("contents")
    if not isinstance(contents, list) or not contents:
        problems.append(f"contents: must be a non-empty array, got {json_type(contents)}")
    else:
        for index, content in enumerate(contents):
            where = f"contents[{index}]"
            if not isinstance(content, dict):
                problems.append(f"{where}: must be an object")
                continue
            if content.get("role") not in ("user", "model"):
                problems.append(f"{where}.role: must be 'user' or 'model'")
            problems += _parts_problems(content.get("parts"), where)
        last = contents[-1]
        if isinstance(last, dict) and last.get("role") != "user":
            problems.append("contents: must end with a 'user' turn")
    system = body.get("systemInstruction")
    if not isinstance(system, dict):
        problems.append(f"systemInstruction: must be an object, got {json_type(system)}")
    else:
        problems += _parts_problems(system.get("parts"), "systemInstruction")
    config = body.get("generationConfig")
    if not isinstance(config, dict):
        problems.append(f"generationConfig: must be an object, got {json_type(config)}")
        return problems
    if config.get("responseMimeType") != "application/json":
        problems.append("generationConfig.responseMimeType: must be 'application/json'")
    schemas = [name for name in ("responseJsonSchema", "responseSchema") if name in config]
    if len(schemas) != 1:
        problems.append(
            "generationConfig: give exactly one of responseJsonSchema and responseSchema"
        )
    elif not isinstance(config[schemas[0]], dict):
        problems.append(f"generationConfig.{schemas[0]}: must be an object")
    temperature = config.get("temperature")
    if temperature is not None and (not is_number(temperature) or not 0 <= temperature <= 2):
        problems.append("generationConfig.temperature: must be a number in 0–2")
    return problems


def _first_user_text(contents: list[Any]) -> str:
    for content in contents:
        if content.get("role") == "user":
            return "".join(part["text"] for part in content["parts"])
    return ""


class MockGeminiServer(LLMMockServer):
    """The Gemini API's ``generateContent`` on ``http://127.0.0.1:<port>`` (``port=0`` picks a
    free one); the client's base URL is :attr:`url`.

    Options (besides :class:`LLMMockServer`'s): ``api_key`` (the key every call must carry),
    ``invalid_key_status`` (400 or 401, see the module docstring). ``modelVersion`` echoes the
    path's model.
    """

    DIALECT: ClassVar[SchemaDialect] = "gemini"
    ENDPOINT = "generateContent"

    api_key = Option(text)
    invalid_key_status = Option(_invalid_key_status)

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str = "test-gemini-key",
        invalid_key_status: int = 401,
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
        self.invalid_key_status = invalid_key_status

    def handle(self, request: Request) -> Reply | None:
        """Answer ``POST /{v1beta|v1}/models/{model}:generateContent``."""
        match = _PATH.fullmatch(request.path)
        if match is None:
            return google_error(404, f"Requested entity was not found: {request.path}")
        body = self.receive(request, self.ENDPOINT)
        if request.method != "POST":
            return google_error(405, f"Method {request.method} not allowed")
        key = request.header("x-goog-api-key") or next(iter(request.query.get("key", [])), "")
        if not key:
            return google_error(
                403,
                "Method doesn't allow unregistered callers (callers without established "
                "identity). Please use API Key or other form of API consumer identity to call "
                "this API.",
            )
        if key != self.api_key:
            return self._bad_key()
        problems = _gemini_problems(body)
        if problems:
            return google_error(400, "Invalid JSON payload received. " + "; ".join(problems))

        answer = self.take_answer()
        if answer == "429":
            self.count_429()
            delay = f"{self.retry_after_s:g}s"
            retry_info = {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": delay}
            return google_error(
                429,
                "You exceeded your current quota, please check your plan and billing details.",
                [retry_info],
            )
        if answer == "5xx":
            return google_error(503, "The model is overloaded. Please try again later.")
        if not self.hold_for(answer):
            return None  # stopping: hang up
        scripted = None if answer == "timeout" else answer
        description = description_from_prompt(_first_user_text(body["contents"]))
        answer_text = self.answer_text(scripted, description)
        model = match.group(2)
        prompt_tokens = len(request.body) // 4
        answer_tokens = len(answer_text) // 4
        return Reply.json(
            200,
            {
                "candidates": [
                    {
                        "content": {"role": "model", "parts": [{"text": answer_text}]},
                        "finishReason": "STOP",
                        "index": 0,
                    }
                ],
                "usageMetadata": {
                    "promptTokenCount": prompt_tokens,
                    "candidatesTokenCount": answer_tokens,
                    "totalTokenCount": prompt_tokens + answer_tokens,
                },
                "modelVersion": model,
                "responseId": uuid.uuid4().hex[:22],
            },
        )

    def _bad_key(self) -> Reply:
        message = "API key not valid. Please pass a valid API key."
        if self.invalid_key_status == 401:
            return google_error(401, message)
        reason = {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "API_KEY_INVALID",
            "domain": "googleapis.com",
            "metadata": {"service": "generativelanguage.googleapis.com"},
        }
        return google_error(400, message, [reason])


def run_mock_gemini(
    host: str = "127.0.0.1",
    port: int = 8766,
    *,
    api_key: str = "test-gemini-key",
    latency_s: float = 0.0,
) -> None:
    """Serve the Gemini mock on ``host``:``port`` (``latency_s`` seconds per answer), print the
    settings that point lightrig at it and block until Ctrl-C."""
    server = MockGeminiServer(host=host, port=port, api_key=api_key, latency_s=latency_s)
    server.start()
    print(f"mock Gemini API at {server.url} (x-goog-api-key: {api_key})", flush=True)
    print(
        f"  LIGHTRIG_TRANSLATOR=gemini LIGHTRIG_GEMINI_BASE_URL={server.url} "
        f"LIGHTRIG_GEMINI_API_KEY={api_key}  ·  Ctrl-C stops",
        flush=True,
    )
    server.serve_forever()
