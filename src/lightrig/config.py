"""lightrig's settings: one object, read from ``LIGHTRIG_``-prefixed environment variables or
``.env``, built once by the application and passed to what needs it (no module-level instance).

Servers are given by URL; everything embedded lives under ``data_dir``.
"""

from __future__ import annotations

import difflib
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import Field, SecretStr, field_validator
from pydantic_core import PydanticCustomError
from pydantic_settings import BaseSettings, SettingsConfigDict

from lightrig.errors import InvalidSettingError
from lightrig.models.base import accepted_for
from lightrig.models.params import FiboModel
from lightrig.registry import UrlChoice

__all__ = [
    "BACKENDS",
    "CACHES",
    "CACHE_BY_URL",
    "DATABASES",
    "DATABASE_BY_URL",
    "DEFAULT_NEGATIVE_PROMPT",
    "DEFAULT_PRICES_USD",
    "JOB_QUEUES",
    "JOB_QUEUE_BY_URL",
    "LIMITERS",
    "LIMITER_BY_URL",
    "NOT_SETTINGS",
    "STORAGES",
    "STORAGE_BY_URL",
    "TRANSLATORS",
    "Settings",
    "default_data_dir",
    "env_file_variables",
    "setting_names",
    "settings_error_line",
    "unknown_settings",
]

# Each kind of adapter's names, the embedded default first; its factory module holds one
# factory for each (see lightrig.registry).

#: The image backends there are (``lightrig.backends.factory``).
BackendName = Literal["preview", "bria", "fal", "diffusers"]
BACKENDS: tuple[str, ...] = get_args(BackendName)

#: The translators there are (``lightrig.translate.factory``): the offline rules, then those
#: backed by a large language model (the ``llm`` extra).
TranslatorName = Literal["rules", "gemini", "openai"]
TRANSLATORS: tuple[str, ...] = get_args(TranslatorName)

#: The image stores there are (``lightrig.storage.factory``), by ``LIGHTRIG_STORAGE_URL``'s
#: scheme: a folder (``file:///folder`` or a bare path; unset, ``data_dir/images``) or an S3
#: bucket (the ``s3`` extra).
StorageName = Literal["file", "s3"]
STORAGES: tuple[str, ...] = get_args(StorageName)
STORAGE_BY_URL = UrlChoice("storage URL", STORAGES, folder=True)

#: The metadata stores there are (``lightrig.db.factory``), by ``LIGHTRIG_DATABASE_URL``'s
#: scheme: a SQLite file (unset, ``data_dir/lightrig.db``) or a PostgreSQL database.
DatabaseName = Literal["sqlite", "postgresql"]
DATABASES: tuple[str, ...] = get_args(DatabaseName)
DATABASE_BY_URL = UrlChoice("database URL", DATABASES)

#: The result caches there are (``lightrig.cache.factory``): this process's memory when
#: ``LIGHTRIG_REDIS_URL`` is unset, else the one its scheme names (the ``fleet`` extra).
CacheName = Literal["memory", "redis"]
CACHES: tuple[str, ...] = get_args(CacheName)
CACHE_BY_URL = UrlChoice("Redis URL", CACHES, default_by_url=False)

#: The rate limiters there are (``lightrig.limits.factory``), chosen as the caches are.
LimiterName = Literal["memory", "redis"]
LIMITERS: tuple[str, ...] = get_args(LimiterName)
LIMITER_BY_URL = UrlChoice("Redis URL", LIMITERS, default_by_url=False)

#: The job queues there are (``lightrig.jobs.factory``): jobs in the serving process when
#: ``LIGHTRIG_QUEUE_URL`` is unset, else the queue its scheme names (the ``fleet`` extra).
JobQueueName = Literal["inprocess", "redis"]
JOB_QUEUES: tuple[str, ...] = get_args(JobQueueName)
JOB_QUEUE_BY_URL = UrlChoice("queue URL", JOB_QUEUES, default_by_url=False)

#: US dollars per image, by backend (its FIBO) and by ``backend:model`` where a model's price
#: differs (2026 list prices: Bria FIBO $0.03; fal.ai FIBO $0.04, Fibo Lite $0.036, FIBO 1.5
#: $0.04; local and preview free). A model with no entry of its own costs its backend's price.
DEFAULT_PRICES_USD: dict[str, float] = {
    "preview": 0.0,
    "bria": 0.03,
    "fal": 0.04,
    "fal:fibo-lite": 0.036,
    "fal:fibo-1.5": 0.04,
    "diffusers": 0.0,
}

#: Bria's default negative prompt for photographs, as a structured-prompt fragment.
DEFAULT_NEGATIVE_PROMPT: dict[str, str] = {
    "style_medium": "digital illustration",
    "artistic_style": "non-realistic",
}


def default_data_dir() -> Path:
    """``$XDG_DATA_HOME/lightrig`` (``~/.local/share/lightrig`` when unset)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "lightrig"


class Settings(BaseSettings):
    """Every setting, with its unit; from ``LIGHTRIG_<NAME>`` (e.g. ``LIGHTRIG_BACKEND``)."""

    model_config = SettingsConfigDict(
        env_prefix="LIGHTRIG_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        hide_input_in_errors=True,  # URLs and keys may hold passwords
    )

    data_dir: Annotated[
        Path, Field(default_factory=default_data_dir, description="Embedded data lives here.")
    ]
    backend: Annotated[
        BackendName, Field(default="preview", description="Image backend: " + ", ".join(BACKENDS))
    ]

    # generation defaults
    steps: Annotated[int, Field(default=50, ge=1, le=100, description="Diffusion steps.")]
    guidance_scale: Annotated[
        float, Field(default=5.0, ge=1.0, le=20.0, description="Classifier-free guidance.")
    ]
    aspect_ratio: Annotated[str, Field(default="1:1", description="Width:height of images.")]
    preview_size: Annotated[
        int, Field(default=512, ge=64, le=2048, description="Preview image side in pixels.")
    ]
    verify_images: Annotated[
        bool,
        Field(
            default=True,
            description="Read each generated image's light back and score it against the "
            "request (adds a reference render and two estimates per image).",
        ),
    ]
    fibo_model: Annotated[
        FiboModel,
        Field(
            default="fibo",
            description="FIBO model a request naming none gets: fibo, fibo-1.5 (fal), "
            "fibo-lite (fal, Bria); the backend must serve it.",
        ),
    ]
    prices_usd: Annotated[
        dict[str, float],
        Field(
            default_factory=lambda: dict(DEFAULT_PRICES_USD),
            description="$ per image, by backend and by backend:model (fal:fibo-lite).",
        ),
    ]

    # Bria platform API v2
    bria_base_url: Annotated[
        str,
        Field(default="https://engine.prod.bria-api.com/v2", description="Bria API base URL."),
    ]
    bria_api_token: Annotated[SecretStr | None, Field(default=None, description="Bria token.")]
    bria_sync: Annotated[
        bool, Field(default=False, description="Ask Bria to answer synchronously (no polling).")
    ]
    bria_requests_per_minute: Annotated[
        int,
        Field(default=60, ge=1, description="Bria's limit per endpoint (free 10, paid 60, more)."),
    ]
    bria_poll_initial_s: Annotated[
        float, Field(default=2.0, gt=0.0, description="First status poll after submitting (s).")
    ]
    bria_poll_max_s: Annotated[
        float, Field(default=10.0, gt=0.0, description="Longest wait between status polls (s).")
    ]
    bria_resubmit_unknown: Annotated[
        bool,
        Field(
            default=False,
            description="Send a generation to Bria again after an answer that leaves unknown "
            "whether Bria took it (a 5xx, a timeout, a dropped connection, an unreadable "
            "answer). Each may be billed: counted, priced and noted on the record. Off: the "
            "generation ends as an error saying Bria may have accepted it.",
        ),
    ]

    # fal.ai queue API
    fal_base_url: Annotated[
        str, Field(default="https://queue.fal.run", description="fal.ai queue base URL.")
    ]
    fal_model: Annotated[str, Field(default="bria/fibo/generate", description="fal model path.")]
    fal_edit_model: Annotated[
        str,
        Field(
            default="bria/fibo-edit/edit",
            description="fal model path of FIBO-Edit (photo edits); empty: no edits on fal.",
        ),
    ]
    fal_key: Annotated[SecretStr | None, Field(default=None, description="fal.ai API key.")]
    fal_requests_per_minute: Annotated[
        int, Field(default=60, ge=1, description="Client-side cap on fal.ai requests per minute.")
    ]
    fal_poll_initial_s: Annotated[float, Field(default=1.0, gt=0.0, description="Seconds.")]
    fal_poll_max_s: Annotated[float, Field(default=8.0, gt=0.0, description="Seconds.")]
    fal_resubmit_unknown: Annotated[
        bool,
        Field(
            default=False,
            description="Send a generation to fal again after an answer that leaves unknown "
            "whether fal queued it (as LIGHTRIG_BRIA_RESUBMIT_UNKNOWN, for fal).",
        ),
    ]

    # local diffusers pipeline
    diffusers_model: Annotated[
        str, Field(default="briaai/FIBO", description="Hub id or local folder of the pipeline.")
    ]
    diffusers_edit_model: Annotated[
        str,
        Field(
            default="",
            description="Hub id or local folder of FIBO-Edit (BriaFiboEditPipeline) for photo "
            "edits; empty: no edits on diffusers.",
        ),
    ]
    diffusers_device: Annotated[
        str, Field(default="auto", description="'auto', 'cpu', 'cuda', 'cuda:1', 'mps'.")
    ]
    diffusers_dtype: Annotated[
        str, Field(default="auto", description="'auto', 'bfloat16', 'float16', 'float32'.")
    ]

    # natural-language translators
    translator: Annotated[
        TranslatorName,
        Field(description="Words to lighting: rules (offline), gemini, openai (compatible)."),
    ] = "rules"
    gemini_api_key: Annotated[SecretStr | None, Field(description="Google Gemini API key.")] = None
    gemini_model: Annotated[str, Field(description="Gemini model.")] = "gemini-2.5-flash"
    gemini_base_url: Annotated[
        str | None, Field(description="Gemini endpoint override (a proxy, a test server).")
    ] = None
    openai_api_key: Annotated[
        SecretStr | None, Field(description="OpenAI (or compatible server) API key.")
    ] = None
    openai_base_url: Annotated[
        str, Field(description="OpenAI-compatible base URL (Ollama, vLLM, LM Studio too).")
    ] = "https://api.openai.com/v1"
    openai_model: Annotated[str, Field(description="Chat model name.")] = "gpt-4o-mini"
    translator_timeout_s: Annotated[
        float, Field(gt=0.0, description="Per translation call, seconds.")
    ] = 30.0
    translator_attempts: Annotated[
        int, Field(ge=1, le=10, description="Tries per translation (transport and bad answers).")
    ] = 3

    # HTTP behaviour of remote backends
    request_timeout_s: Annotated[
        float, Field(default=30.0, gt=0.0, description="Per HTTP call, seconds.")
    ]
    total_timeout_s: Annotated[
        float, Field(default=300.0, gt=0.0, description="Per generation, polling included (s).")
    ]
    retry_attempts: Annotated[
        int, Field(default=5, ge=1, le=20, description="Tries per HTTP call that may be retried.")
    ]
    retry_initial_s: Annotated[
        float, Field(default=0.5, ge=0.0, description="First backoff before jitter (s).")
    ]
    retry_max_s: Annotated[float, Field(default=20.0, ge=0.0, description="Longest backoff (s).")]

    # where things are kept: embedded under data_dir when unset
    database_url: Annotated[
        str | None,
        Field(
            default=None,
            description="SQLAlchemy URL of the metadata store: sqlite:///path or "
            "postgresql://user@host/db (default: SQLite in data_dir/lightrig.db).",
        ),
    ]
    database_schema: Annotated[
        str | None,
        Field(
            default=None,
            pattern=r"^[a-z_][a-z0-9_]{0,62}$",
            description="PostgreSQL schema to keep lightrig's tables in (default: the "
            "database's search path, usually public).",
        ),
    ]
    storage_url: Annotated[
        str | None,
        Field(
            default=None,
            description="Where images go: a folder, file:///folder, or "
            "s3://bucket/prefix?endpoint=URL&region=R (default: data_dir/images).",
        ),
    ]
    redis_url: Annotated[
        str | None,
        Field(
            default=None,
            description="redis://host:port/db for the shared cache and rate limits "
            "(default: in this process's memory).",
        ),
    ]
    generation_lease_s: Annotated[
        float,
        Field(
            default=60.0,
            ge=1.0,
            description="Seconds a running generation's record is held without renewal before "
            "another process may declare it interrupted (renewed every third of it).",
        ),
    ]
    cache_ttl_s: Annotated[
        float, Field(default=86400.0, gt=0.0, description="How long results stay cached (s).")
    ]

    # the REST API
    api_requests_per_minute: Annotated[
        int,
        Field(default=600, ge=1, description="Requests a minute each API user may make."),
    ]
    api_burst: Annotated[
        int, Field(default=60, ge=1, description="Requests an API user may make at once.")
    ]
    api_previews_per_minute: Annotated[
        int,
        Field(
            default=3000,
            ge=1,
            description="Live preview renders a minute each API user may ask for, a budget of "
            "their own (a drag in the studio asks for 10–20 frames a second; the CPU pool "
            "still turns away what it cannot render).",
        ),
    ]
    api_preview_burst: Annotated[
        int,
        Field(default=120, ge=1, description="Live preview renders an API user may ask at once."),
    ]
    api_max_body_bytes: Annotated[
        int,
        Field(
            default=16_000_000,
            ge=1024,
            description="Largest request body accepted, bytes (a picture sent to /v1/verify "
            "travels base64-encoded: 4/3 of its size).",
        ),
    ]
    cpu_workers: Annotated[
        int | None,
        Field(
            default=None,
            ge=0,
            le=256,
            description="API threads for CPU-bound work (previews, diagrams, verify estimates); "
            "unset: one per core; 0: no pool (work runs unbounded, as before the pool).",
        ),
    ]
    cpu_queue: Annotated[
        int | None,
        Field(
            default=None,
            ge=0,
            le=10_000,
            description="CPU-bound requests that may wait for a worker before the API answers "
            "503 with Retry-After; unset: four per worker.",
        ),
    ]
    log_level: Annotated[
        Literal["DEBUG", "INFO", "WARNING", "ERROR"],
        Field(default="INFO", description="Server log level."),
    ]

    # background jobs
    job_concurrency: Annotated[
        int,
        Field(
            default=4,
            ge=1,
            le=256,
            description="Background generations run at once (per process that runs jobs).",
        ),
    ]
    queue_url: Annotated[
        str | None,
        Field(
            default=None,
            description="redis://host:port/db of the distributed job queue (Taskiq on Redis "
            "streams; `lightrig worker` processes run the jobs). Default: jobs run inside "
            "the serving process.",
        ),
    ]
    queue_name: Annotated[
        str,
        Field(
            default="lightrig:jobs",
            min_length=1,
            max_length=200,
            description="The Redis stream of the job queue (and its consumer group's prefix).",
        ),
    ]
    queue_maxlen: Annotated[
        int,
        Field(
            default=100_000,
            ge=1000,
            description="Messages the job stream keeps at most (older, acknowledged ones are "
            "trimmed); keep it well above the jobs that can wait at once.",
        ),
    ]
    queue_redelivery_s: Annotated[
        float,
        Field(
            default=600.0,
            ge=1.0,
            description="Seconds a taken, unacknowledged job message waits before another "
            "worker may take it (its worker died holding it): the stream's idle timeout. Jobs "
            "are acknowledged once run, so keep it above the longest job (total_timeout_s); "
            "a redelivery while the job's lease still holds is harmless, only wasted.",
        ),
    ]
    job_max_attempts: Annotated[
        int,
        Field(
            default=3,
            ge=1,
            le=100,
            description="Runs a background job gets (its worker died, or the host failed in a "
            "way worth retrying) before it is finished as an error.",
        ),
    ]
    job_retry_delay_s: Annotated[
        float,
        Field(
            default=10.0,
            ge=0.0,
            description="Seconds before a job whose host failed retryably runs again (doubled "
            "on each further attempt).",
        ),
    ]
    job_requeue_after_s: Annotated[
        float,
        Field(
            default=600.0,
            ge=1.0,
            description="Seconds a queued job may wait untaken before a worker hands it to "
            "the queue again (its message was lost).",
        ),
    ]

    # batches
    batch_concurrency: Annotated[
        int, Field(default=8, ge=1, le=256, description="Generations in flight per batch.")
    ]

    def __init__(self, **values: Any) -> None:
        """Read the settings from ``values``, the environment and ``.env``; a setting that
        cannot be read or fails its check is :class:`~lightrig.errors.InvalidSettingError`
        naming each variable at fault (never pydantic's exception, never the value)."""
        from pydantic import ValidationError  # noqa: PLC0415 - pydantic's lazy top-level import
        from pydantic_settings import SettingsError  # noqa: PLC0415 - pydantic-settings' own

        try:
            super().__init__(**values)
        except (ValidationError, SettingsError) as exc:
            line = settings_error_line(exc) or f"the settings cannot be read: {type(exc).__name__}"
            variables = re.findall(r"setting (LIGHTRIG_\w+)", line)
            raise InvalidSettingError(line, variables=variables) from None

    @field_validator("storage_url")
    @classmethod
    def _storage_url_scheme(cls, url: str | None) -> str | None:
        return _chosen_by(STORAGE_BY_URL, url)

    @field_validator("database_url")
    @classmethod
    def _database_url_scheme(cls, url: str | None) -> str | None:
        return _chosen_by(DATABASE_BY_URL, url)

    @field_validator("redis_url")
    @classmethod
    def _redis_url_scheme(cls, url: str | None) -> str | None:
        return _chosen_by(LIMITER_BY_URL, _chosen_by(CACHE_BY_URL, url))

    @field_validator("queue_url")
    @classmethod
    def _queue_url_scheme(cls, url: str | None) -> str | None:
        return _chosen_by(JOB_QUEUE_BY_URL, url)

    def price_of(self, backend: str, model: str | None = None) -> float:
        """US dollars per image of ``model`` on ``backend``: the ``backend:model`` entry, else
        the backend's (0 when the table has neither)."""
        prices = self.prices_usd
        if model is not None and f"{backend}:{model}" in prices:
            return prices[f"{backend}:{model}"]
        return prices.get(backend, 0.0)


def _chosen_by(choice: UrlChoice, url: str | None) -> str | None:
    """``url`` when some adapter answers to it (see :meth:`UrlChoice.name`), else a validation
    error whose message is that one line alone."""
    try:
        choice.name(url)
    except ValueError as error:
        raise PydanticCustomError("url_scheme", str(error)) from None
    return url


#: ``LIGHTRIG_`` variables that are read outside the settings (never warned about as unknown):
#: ``LIGHTRIG_DEBUG`` (tracebacks on the command line).
NOT_SETTINGS: frozenset[str] = frozenset({"LIGHTRIG_DEBUG"})
#: Prefixes of the variables lightrig's own test suite and benchmarks read
#: (``LIGHTRIG_TEST_POSTGRES_URL``, ``LIGHTRIG_BENCH_REDIS_URL``): not settings either.
_TOOLING_PREFIXES = ("LIGHTRIG_TEST_", "LIGHTRIG_BENCH_")
_PREFIX = "LIGHTRIG_"


def setting_names() -> list[str]:
    """Every setting's environment variable, ``LIGHTRIG_BACKEND`` and the rest, sorted."""
    return sorted(_PREFIX + name.upper() for name in Settings.model_fields)


def unknown_settings(environ: Mapping[str, object]) -> list[str]:
    """One line for each ``LIGHTRIG_*`` variable in ``environ`` that is no setting (the
    settings ignore it silently), with the setting it may have meant: ``LIGHTRIG_BAKCEND is not
    a lightrig setting (did you mean LIGHTRIG_BACKEND?)``. Names are compared without regard to
    case, as the settings read them; :data:`NOT_SETTINGS` and the test suite's and benchmarks'
    own variables are not warned about. Pass ``os.environ``, and the ``.env`` file's variables
    too (see :func:`env_file_variables`)."""
    known = setting_names()
    lines = []
    for variable in sorted(environ):
        name = variable.upper()
        if (
            not name.startswith(_PREFIX)
            or name in known
            or name in NOT_SETTINGS
            or name.startswith(_TOOLING_PREFIXES)
        ):
            continue
        meant = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
        hint = f" (did you mean {meant[0]}?)" if meant else ""
        lines.append(f"{variable} is not a lightrig setting{hint}")
    return lines


def env_file_variables(path: Path = Path(".env")) -> dict[str, str | None]:
    """The variables of the ``.env`` file the settings read too (none when there is none)."""
    if not path.is_file():
        return {}
    from dotenv import dotenv_values  # noqa: PLC0415 - pydantic-settings' own dependency

    try:
        return dict(dotenv_values(path, encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}


def settings_error_line(exc: BaseException) -> str | None:
    """One line for an error that building :class:`Settings` raised — a value that fails its
    check (pydantic's ``ValidationError``) or one the settings could not even parse
    (pydantic-settings' ``SettingsError``, e.g. ``LIGHTRIG_PRICES_USD=notjson``) — naming the
    variable, what is wrong and, for a JSON setting, an example; ``None`` for any other
    error. Never the value itself: it may hold a password."""
    from pydantic import ValidationError  # noqa: PLC0415 - pydantic's lazy top-level import

    if isinstance(exc, ValidationError):
        told = []
        for error in exc.errors(include_url=False):
            loc = [str(part) for part in error.get("loc", ())]
            variable = _PREFIX + (loc[0].upper() if loc else "?")
            inner = ".".join(loc[1:])
            message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
            info = Settings.model_fields.get(loc[0]) if len(loc) == 1 else None
            if info is not None and error.get("type") in _WORDED_BY_FIELD:
                message = f"accepted: {accepted_for(info)}"
            got = _shown_value(loc[0], variable) if len(loc) == 1 else ""
            told.append(f"setting {variable}: {inner + ': ' if inner else ''}{got}{message}")
        return "; ".join(told) or None
    found = re.search(r'field "(\w+)"', str(exc))
    if type(exc).__name__ != "SettingsError" or found is None:
        return None
    field = found.group(1)
    variable = _PREFIX + field.upper()
    cause = exc.__cause__
    example = _example(field)
    expected = f"; expected JSON, e.g. {example}" if example else ""
    if isinstance(cause, json.JSONDecodeError):
        return f"setting {variable}: not JSON ({cause.msg} at column {cause.colno}){expected}"
    why = str(cause).strip().splitlines()[0] if cause is not None and str(cause) else "unreadable"
    return f"setting {variable}: cannot be read ({why}){expected}"


#: Pydantic's error types said by what the field accepts ("a whole number from 0 to 256").
_WORDED_BY_FIELD = frozenset(
    {
        "greater_than",
        "greater_than_equal",
        "less_than",
        "less_than_equal",
        "int_parsing",
        "int_type",
        "int_from_float",
        "float_parsing",
        "float_type",
        "bool_parsing",
        "literal_error",
        "finite_number",
    }
)

#: Words in a setting's name that mark a value never to be shown (it may hold a password).
_SECRET_WORDS = ("url", "key", "token", "secret", "password")


def _shown_value(field: str, variable: str) -> str:
    """``got '<value>'; `` for a setting read from the environment whose value is safe to show
    (not a URL, key or token); empty otherwise."""
    value = os.environ.get(variable)
    if value is None or any(word in field for word in _SECRET_WORDS):
        return ""
    return f"got {value[:40]!r}; "


def _example(field: str) -> str | None:
    """A small example of a JSON-valued setting, taken from its default."""
    info = Settings.model_fields.get(field)
    if info is None:
        return None
    default: Any = info.get_default(call_default_factory=True)
    if isinstance(default, dict) and default:
        # one entry, one that is not zero when there is one: {"bria": 0.03}
        key = next((k for k, v in default.items() if v), next(iter(default)))
        return json.dumps({key: default[key]})
    if isinstance(default, list | dict):
        return json.dumps(default)
    return None
