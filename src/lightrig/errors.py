"""The exceptions lightrig raises.

Every error lightrig raises on purpose derives from :class:`LightingGenerationError`, and each also
derives from the builtin exception it means, so that callers' existing ``except ValueError`` or
``except RuntimeError`` clauses keep working::

    LightingGenerationError (Exception)
     ├── InvalidLightingSetupError (ValueError)
     │   │   a request or setup that cannot be lit as given; carries every failing field
     │   └── InvalidStructuredPromptError
     │           a FIBO structured prompt that breaks the ten-key schema
     ├── FIBOGenerationError (RuntimeError)
     │       a FIBO host (Bria, fal.ai, a local pipeline) failed to produce an image; carries
     │       the backend, the HTTP status and request id where there was one, whether a
     │       retry may help, and how many re-sent submissions the host may have billed too
     ├── RecordNotFoundError (KeyError)
     │       no such user, generation or batch (or none the caller owns)
     ├── DuplicateUserError (ValueError)
     │       a user of that name exists already
     ├── DuplicateSetupError (ValueError)
     │       the user has a saved setup of that name already (save over it, or pick another)
     ├── StaleRecordError (RuntimeError)
     │   │   a stored record is not in a state that allows the change asked for (finished
     │   │   already, or another process has it)
     │   └── IllegalTransitionError (ValueError)
     │           a generation record asked for a transition its status does not allow
     │           (resuming a finished one, completing a queued one); names the record, its
     │           status, the transition and the statuses that allow it (:mod:`lightrig.records`)
     ├── MissingExtraError (ModuleNotFoundError)
     │       a part of lightrig needs an optional extra that is not installed; names the extra
     │       and the pip command (:mod:`lightrig.extras`)
     ├── PoolFullError (RuntimeError)
     │       every worker of the API's CPU pool is busy and its queue is full; says how long to
     │       wait (the API answers 503 with ``Retry-After``; :mod:`lightrig.api.cpu_pool`)
     ├── InvalidSettingError (ValueError)
     │       a ``LIGHTRIG_*`` setting (environment or ``.env``) that cannot be read or fails its
     │       check: names the variable and what is wrong, never its value (:mod:`lightrig.config`;
     │       CLI exit 2)
     ├── DependencyUnavailableError (ConnectionError)
     │       a service lightrig depends on (the database, Redis, the job queue) cannot be used
     │       as its setting names it: unreachable, refused, a role it does not know, a scheme
     │       no adapter takes; carries the setting (``LIGHTRIG_DATABASE_URL``) and the cause,
     │       never the URL's password (CLI exit 1, HTTP 503)
     └── NaturalLanguageTranslationError (ValueError)
         │   a description in words could not be turned into a lighting setup; carries the text and
         │   the translator that tried
         └── TranslatorUnavailableError (ConnectionError)
                 the translator's model failed, not the text: it could not be reached, timed out,
                 refused the key, or gave no usable answer in all its tries

Each exception carries its context as attributes and as a ``context`` mapping (for structured logs
and API problem documents); ``str(exc)`` is one line a user can act on.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DependencyUnavailableError",
    "DuplicateSetupError",
    "DuplicateUserError",
    "FIBOGenerationError",
    "FieldError",
    "IllegalTransitionError",
    "InvalidLightingSetupError",
    "InvalidSettingError",
    "InvalidStructuredPromptError",
    "LightingGenerationError",
    "MissingExtraError",
    "NaturalLanguageTranslationError",
    "PoolFullError",
    "RecordNotFoundError",
    "StaleRecordError",
    "TranslatorUnavailableError",
    "connection_failure",
]


class LightingGenerationError(Exception):
    """Base of every error lightrig raises on purpose.

    ``context`` holds the facts that explain the error (field paths, backend names, ids); it never
    holds secrets such as API tokens.
    """

    def __init__(self, message: str, *, context: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.context: dict[str, Any] = dict(context or {})

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True, slots=True)
class FieldError:
    """One failing field: its dotted path (``lighting_setup.key.direction``) and what is wrong."""

    loc: str
    message: str

    def __str__(self) -> str:
        return f"{self.loc}: {self.message}" if self.loc else self.message


class InvalidLightingSetupError(LightingGenerationError, ValueError):
    """A lighting setup or scene request that is invalid; ``errors`` lists every failing field."""

    def __init__(self, errors: Iterable[FieldError], *, message: str | None = None) -> None:
        self.errors: tuple[FieldError, ...] = tuple(errors)
        if not self.errors and message is None:
            raise ValueError(
                "InvalidLightingSetupError needs at least one field error or a message"
            )
        text = message or "; ".join(str(error) for error in self.errors)
        super().__init__(
            text,
            context={"errors": [{"loc": e.loc, "message": e.message} for e in self.errors]},
        )

    @classmethod
    def from_validation_error(cls, exc: Any) -> InvalidLightingSetupError:
        """Build from a :class:`pydantic.ValidationError`, keeping every field path.

        Pydantic's "Value error, " prefix is dropped: the message that follows is ours.
        """
        found: list[FieldError] = []
        for item in exc.errors(include_url=False):
            loc = ".".join(str(part) for part in item.get("loc", ()))
            message = str(item.get("msg", "invalid value"))
            for prefix in ("Value error, ", "Assertion failed, "):
                if message.startswith(prefix):
                    message = message[len(prefix) :]
            found.append(FieldError(loc=loc, message=message))
        return cls(found)


class InvalidStructuredPromptError(InvalidLightingSetupError):
    """A structured prompt that breaks FIBO's ten-key schema; ``errors`` lists every problem."""


class FIBOGenerationError(LightingGenerationError, RuntimeError):
    """A FIBO host failed to produce an image.

    ``retryable`` says whether the same call may succeed later (a 429, a 5xx, a timeout); a
    rejected prompt or a bad credential is not retryable. ``timed_out``: the host did not
    answer, or the job did not finish, in the time allowed. ``possible_duplicates``: how many
    submissions beyond one the host may have accepted (and billed) before this failure — only
    when re-sending a submission whose acceptance was unknown is allowed; 0 otherwise.
    """

    def __init__(
        self,
        message: str,
        *,
        backend: str,
        status_code: int | None = None,
        request_id: str | None = None,
        retryable: bool = False,
        timed_out: bool = False,
        possible_duplicates: int = 0,
    ) -> None:
        self.backend = backend
        self.status_code = status_code
        self.request_id = request_id
        self.retryable = retryable
        self.timed_out = timed_out
        self.possible_duplicates = possible_duplicates
        context: dict[str, Any] = {
            "backend": backend,
            "status_code": status_code,
            "request_id": request_id,
            "retryable": retryable,
            "timed_out": timed_out,
        }
        if possible_duplicates:
            context["possible_duplicates"] = possible_duplicates
        super().__init__(message, context=context)


class NaturalLanguageTranslationError(LightingGenerationError, ValueError):
    """A description in words could not be turned into a lighting setup."""

    def __init__(self, message: str, *, text: str, translator: str) -> None:
        self.text = text
        self.translator = translator
        super().__init__(message, context={"text": text, "translator": translator})


class TranslatorUnavailableError(NaturalLanguageTranslationError, ConnectionError):
    """The translator's model failed, not the description: unreachable, too slow, refused, or
    without a usable answer after every try. Callers report it as a failed dependency (CLI exit
    1, HTTP 502), not as bad input."""


class RecordNotFoundError(LightingGenerationError, KeyError):
    """No such user, generation or batch (or none the caller owns)."""


class DuplicateUserError(LightingGenerationError, ValueError):
    """A user of that name exists already."""


class DuplicateSetupError(LightingGenerationError, ValueError):
    """The user has a saved setup of that name already; ``name`` is the name. Saving over it
    must be asked for (``overwrite``)."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(
            f"a setup named {name!r} exists already; save over it (overwrite) or pick another name",
            context={"name": name},
        )


class StaleRecordError(LightingGenerationError, RuntimeError):
    """A stored record is not in a state that allows the change asked for."""


class IllegalTransitionError(StaleRecordError, ValueError):
    """A generation record was asked for a transition its status does not allow.

    ``generation_id`` names the record, ``status`` is where it stands, ``transition`` what was
    asked (``claim``, ``complete``, ``resume``...) and ``allowed`` the statuses from which that
    transition is legal. A :class:`StaleRecordError` (the record is not in a state that allows
    the change), and a ``ValueError`` (the record given is the wrong input for the change).
    """

    def __init__(
        self,
        message: str,
        *,
        generation_id: str,
        status: str,
        transition: str,
        allowed: Iterable[str],
    ) -> None:
        self.generation_id = generation_id
        self.status = status
        self.transition = transition
        self.allowed: tuple[str, ...] = tuple(allowed)
        super().__init__(
            message,
            context={
                "generation_id": generation_id,
                "status": status,
                "transition": transition,
                "allowed": list(self.allowed),
            },
        )


class MissingExtraError(LightingGenerationError, ModuleNotFoundError):
    """A part of lightrig needs an optional extra that is not installed (``pip install
    'lightrig[server]'`` and the like). ``extra`` names it, ``name`` the module that was missing;
    the message is one line: what needed it, the extra, the command that installs it."""

    def __init__(self, message: str, *, extra: str, module: str) -> None:
        super().__init__(message, context={"extra": extra, "module": module})
        self.extra = extra
        self.name = module


class PoolFullError(LightingGenerationError, RuntimeError):
    """Every worker is busy and the queue is full; ``retry_after_s`` (whole seconds, ≥ 1) is
    how long the caller should wait before trying again; ``admitted`` how many CPU-bound
    requests are running or waiting."""

    def __init__(self, admitted: int, retry_after_s: int) -> None:
        super().__init__(
            f"the server is busy: {admitted} CPU-bound requests are running or waiting; "
            f"retry in {retry_after_s} s",
            context={"admitted": admitted, "retry_after_s": retry_after_s},
        )
        self.admitted = admitted
        self.retry_after_s = retry_after_s


class InvalidSettingError(LightingGenerationError, ValueError):
    """A ``LIGHTRIG_*`` setting that cannot be read (``LIGHTRIG_PRICES_USD=notjson``) or fails
    its check (``LIGHTRIG_STEPS=0``, a URL scheme no adapter takes).

    ``variables`` names each setting at fault (``("LIGHTRIG_PRICES_USD",)``); the message is one
    line per fault, joined by ``"; "``, and never holds the value: it may hold a password.
    """

    def __init__(self, message: str, *, variables: Iterable[str] = ()) -> None:
        self.variables = tuple(variables)
        super().__init__(message, context={"variables": list(self.variables)})


class DependencyUnavailableError(LightingGenerationError, ConnectionError):
    """A service lightrig depends on cannot be used as its setting names it.

    ``setting`` is the environment variable that names the service (``LIGHTRIG_DATABASE_URL``,
    ``LIGHTRIG_REDIS_URL``, ``LIGHTRIG_QUEUE_URL``); ``cause`` says what went wrong in a few
    words (``host nohost.invalid does not resolve``, ``connection refused on 127.0.0.1:6399``,
    ``role "x" does not exist``). Neither ever holds a password. ``service`` names what was
    being reached (``the database``). The message is one line: the setting and the cause.
    A ``ConnectionError``: the dependency failed, not the caller's input (CLI exit 1, HTTP 503).
    """

    def __init__(self, setting: str, cause: str, *, service: str = "a dependency") -> None:
        self.setting = setting
        self.cause = cause
        self.service = service
        super().__init__(
            f"setting {setting}: cannot use {service}: {cause}",
            context={"setting": setting, "cause": cause, "service": service},
        )

    @classmethod
    def from_exception(
        cls, setting: str, exc: BaseException, *, where: str, service: str = "a dependency"
    ) -> DependencyUnavailableError:
        """The error for a connection to ``where`` (``host:port``, no password) that failed
        with ``exc``; the cause is said in words (see :func:`connection_failure`)."""
        return cls(setting, connection_failure(exc, where), service=service)


def connection_failure(exc: BaseException, where: str) -> str:
    """A few words on why a connection to ``where`` (``host:port``) failed: the host does not
    resolve, the connection was refused, no answer in time, or the first line of the error
    (the causes chained to ``exc`` are looked through for the operating system's reason)."""
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, socket.gaierror):
            return f"{where}: the host name does not resolve ({seen.strerror or seen})"
        if isinstance(seen, ConnectionRefusedError):
            return f"{where}: connection refused (is the server running there?)"
        if isinstance(seen, TimeoutError):
            return f"{where}: no answer in time"
        if isinstance(seen, OSError) and seen.strerror:
            return f"{where}: {seen.strerror}"
        seen = seen.__cause__ or seen.__context__
    lines = str(exc).strip().splitlines()
    return f"{where}: {lines[0] if lines else type(exc).__name__}"
