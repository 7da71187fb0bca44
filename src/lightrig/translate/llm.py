"""What the translators backed by large language models share, composed from four rooms:

- :mod:`~lightrig.translate.llm_prompt`: the system prompt that teaches lightrig's lighting model,
  the user's message and the correction request;
- :mod:`~lightrig.translate.llm_schema`: the JSON schema of the answer, generated from the models,
  in Gemini's and OpenAI's strict dialects;
- :mod:`~lightrig.translate.llm_answer`: the answer validated into a
  :class:`~lightrig.models.scene.SceneRequest` (and a request written as an answer);
- :mod:`~lightrig.translate.llm_failures`: how one call fails (:class:`ModelCallError`), the
  host's retry delay and error message, the key redacted;

and here the translator that asks and retries (:class:`LLMTranslator`). Every name is importable
from this module as well as from its room.

The model answers one JSON object (``lighting_setup`` by role, ``subject_yaw``,
``backdrop_color``, ``understood``, ``ignored``, ``no_lighting``). Units are lightrig's
everywhere: angles in degrees (azimuth from the camera axis, positive camera-right, ±180 behind;
elevation above eye level), distances in metres, intensity 0–1 of full power, colour temperature
in kelvin, softness 0–1.

Retries (:class:`LLMTranslator`): ``settings.translator_attempts`` tries in all. A transport
failure (timeout, connection error, 408, 429, 5xx) is retried after a jittered backoff (or the
host's retry delay), both capped at ``settings.retry_max_s``; an answer that is not JSON or fails
validation is retried at once with the answer and the problems appended to the conversation, so
the model can correct itself. Refused keys, unknown models, rejected requests and "no lighting"
answers are final at once.
"""

from __future__ import annotations

import asyncio
import logging
import time
from abc import ABC, abstractmethod
from collections.abc import Sequence

from lightrig.backends.retry import RetryPolicy
from lightrig.config import Settings
from lightrig.errors import TranslatorUnavailableError
from lightrig.models.scene import SceneRequest
from lightrig.translate.base import Translation, check_text
from lightrig.translate.llm_answer import AnswerError, answer_for, no_lighting_answer, parse_answer
from lightrig.translate.llm_failures import (
    ModelCallError,
    error_message,
    redact,
    retry_delay_seconds,
)
from lightrig.translate.llm_prompt import (
    DESCRIPTION_END,
    DESCRIPTION_START,
    SYSTEM_PROMPT,
    Turn,
    correction_prompt,
    description_from_prompt,
    user_prompt,
)
from lightrig.translate.llm_schema import (
    ANSWER_FIELDS,
    LIGHT_FIELDS,
    OUTPUT_SCHEMA_NAME,
    SchemaDialect,
    output_schema,
)

__all__ = [
    "ANSWER_FIELDS",
    "DESCRIPTION_END",
    "DESCRIPTION_START",
    "HEALTH_PROBE_TEXT",
    "LIGHT_FIELDS",
    "OUTPUT_SCHEMA_NAME",
    "SYSTEM_PROMPT",
    "AnswerError",
    "LLMTranslator",
    "ModelCallError",
    "SchemaDialect",
    "Turn",
    "answer_for",
    "correction_prompt",
    "description_from_prompt",
    "error_message",
    "no_lighting_answer",
    "output_schema",
    "parse_answer",
    "redact",
    "retry_delay_seconds",
    "user_prompt",
]

logger = logging.getLogger("lightrig.translate")

#: The phrase :meth:`LLMTranslator.health` translates.
HEALTH_PROBE_TEXT = "loop lighting with a warm tungsten key"
#: Extra seconds past ``translator_timeout_s`` before lightrig abandons a call itself (a backstop
#: for clients whose timeout bounds each read rather than the whole answer).
DEADLINE_SLACK_S = 1.0


class LLMTranslator(ABC):
    """A translator that asks a large language model, with lightrig's validation and retries.

    Subclasses make one call in :meth:`_complete` (raising :class:`ModelCallError` for transport
    failures and refusals) and release their client in :meth:`aclose`.
    """

    name: str

    def __init__(self, settings: Settings, *, label: str, model: str, secret: str | None) -> None:
        self._settings = settings
        self._label = label
        self._model = model
        self._secret = secret
        self._policy = RetryPolicy(
            attempts=settings.translator_attempts,
            initial_s=settings.retry_initial_s,
            max_s=settings.retry_max_s,
        )

    @property
    def model(self) -> str:
        """The model asked."""
        return self._model

    @property
    def timeout_s(self) -> float:
        """Seconds one call may take."""
        return self._settings.translator_timeout_s

    def _timeout_text(self) -> str:
        return f"{self._label} did not answer within {self.timeout_s:g} s"

    @abstractmethod
    async def _complete(self, conversation: Sequence[Turn]) -> str:
        """The model's answer text to the system prompt and ``conversation``."""

    @abstractmethod
    async def aclose(self) -> None:
        """Release the client."""

    async def _call(self, conversation: Sequence[Turn]) -> str:
        try:
            async with asyncio.timeout(self.timeout_s + DEADLINE_SLACK_S):
                return await self._complete(conversation)
        except TimeoutError:
            raise ModelCallError(self._timeout_text(), retryable=True) from None

    def _delay(self, attempt: int, asked: float | None) -> float:
        wait = self._policy.backoff(attempt) if asked is None else asked
        return min(max(0.0, wait), self._settings.retry_max_s)

    async def translate(self, text: str, *, base: SceneRequest | None = None) -> Translation:
        """The lighting ``text`` describes, applied to ``base`` (its subject, environment and
        camera are kept). Raises :class:`NaturalLanguageTranslationError` for an empty or
        over-long text (before any call) and a description without lighting, and its subclass
        :class:`TranslatorUnavailableError` when the model failed: unreachable, refused, or
        without a usable answer in ``translator_attempts`` tries."""
        words = check_text(text, self.name)
        conversation = [Turn("user", user_prompt(words, base))]
        attempts = self._settings.translator_attempts
        for attempt in range(1, attempts + 1):
            last = attempt == attempts
            try:
                answer = await self._call(tuple(conversation))
            except ModelCallError as failure:
                message = redact(failure.message, [self._secret])
                if failure.retryable and not last:
                    delay = self._delay(attempt, failure.retry_after_s)
                    logger.info("%s; retrying in %.2f s (try %d)", message, delay, attempt)
                    await asyncio.sleep(delay)
                    continue
                if failure.retryable:
                    message = f"{message} (gave up after {attempt} tries)"
                raise TranslatorUnavailableError(message, text=text, translator=self.name) from None
            try:
                return parse_answer(answer, text=text, translator=self.name, base=base)
            except AnswerError as problem:
                message = redact(problem.message, [self._secret])
                if last:
                    raise TranslatorUnavailableError(
                        f"{message} (gave up after {attempt} tries)",
                        text=text,
                        translator=self.name,
                    ) from None
                logger.info("%s; asking the model to correct it (try %d)", message, attempt)
                conversation += [Turn("model", answer), Turn("user", correction_prompt(message))]
        raise AssertionError("unreachable: the last try returns or raises")

    async def health(self) -> str:
        """Translate a fixed short phrase for real; what answered, and how fast."""
        started = time.perf_counter()
        result = await self.translate(HEALTH_PROBE_TEXT)
        elapsed_ms = (time.perf_counter() - started) * 1000.0
        lights = len(result.request.lighting_setup)
        return (
            f"{self._label} model {self._model}: {lights} lights from a probe "
            f"in {elapsed_ms:.0f} ms"
        )
