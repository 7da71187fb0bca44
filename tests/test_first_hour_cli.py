"""A new user's first hour on the command line (issue 18): every mistake and every unreachable
dependency is one line on stderr with the right exit code, never a traceback (unless asked for
with ``--debug``); misspelt settings are named; help shows flags as flags; completion installs;
piped output is never wrapped; ``history list`` fits the terminal.

Run as a user runs it — real processes, real PostgreSQL and Redis (skipped without them outside
CI, failing in CI) — and, where a process cannot show it, through :func:`lightrig.cli.main`.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from lightrig.cli import main
from lightrig.cli.common import MAX_JSON_DEPTH, BadInputError, parse_json
from lightrig.cli.records import history_table
from lightrig.config import setting_names, settings_error_line, unknown_settings
from lightrig.errors import DependencyUnavailableError, LightingGenerationError
from lightrig.models.generation import GenerationResponse, GenerationStatus
from tests.apiserver import free_port
from tests.services import require_postgres, require_redis

#: A password that must never be shown.
SECRET = "hunter2"


# ---------------------------------------------------------------------------------- helpers
def run(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """``lightrig ARGS`` in a fresh process, with ``env`` added to this environment."""
    return subprocess.run(
        [sys.executable, "-m", "lightrig", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


def one_line(result: subprocess.CompletedProcess[str], code: int) -> str:
    """The single ``lightrig: error:`` line a failed command printed, its exit code checked."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert result.returncode == code, (result.returncode, result.stderr)
    assert lines[0].startswith("lightrig: error: "), lines[0]
    return lines[0]


@pytest.fixture
def data_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a user whose data lives in a fresh folder."""
    return {"LIGHTRIG_DATA_DIR": str(tmp_path / "data")}


# ------------------------------------------------------------------------- files of JSON
def _deep_objects(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


def _deep_arrays(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("command", ["analyze", "parse"])
@pytest.mark.parametrize(
    "text", [_deep_objects(5000), _deep_arrays(100_000)], ids=["objects", "arrays"]
)
def test_deeply_nested_json_is_bad_input_naming_the_depth(
    tmp_path: Path, command: str, text: str
) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text(text)
    line = one_line(run(command, str(deep)), 2)
    assert f"{deep}: line 1 column " in line
    assert f"nested deeper than {MAX_JSON_DEPTH} levels" in line


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ('{"key": {"direction": "front", "intensity": ' + "9" * 5000 + "}}", "4300 digits"),
        ('{"key": {"direction": "front", "intensity": NaN}}', "NaN is not a JSON number"),
        ('{"key": {"direction": "front", "intensity": -Infinity}}', "-Infinity is not a JSON"),
        ('{"key": {"direction": "front", "intensity": 1e999}}', "1e999 is too large"),
        ('{\n  "key": [1, 2,]\n}', "invalid JSON at line 2 column"),
    ],
    ids=["huge-int", "nan", "infinity", "overflow", "trailing-comma"],
)
def test_what_json_cannot_hold_is_one_line(tmp_path: Path, text: str, told: str) -> None:
    setup = tmp_path / "setup.json"
    setup.write_text(text)
    line = one_line(run("analyze", str(setup)), 2)
    assert str(setup) in line
    assert told in line


def test_the_nesting_a_request_needs_is_read_and_a_byte_order_mark_is_allowed(
    tmp_path: Path,
) -> None:
    value = parse_json(_deep_arrays(MAX_JSON_DEPTH), "x")
    for _ in range(MAX_JSON_DEPTH - 1):
        (value,) = value
    assert value == []
    with pytest.raises(BadInputError, match=f"deeper than {MAX_JSON_DEPTH}"):
        parse_json(_deep_arrays(MAX_JSON_DEPTH + 1), "x")
    # brackets and NaN inside strings are text, not structure
    assert parse_json('{"a": "[[[[NaN{{{{' + "[" * 200 + '"}', "x") == {
        "a": "[[[[NaN{{{{" + "[" * 200
    }
    setup = tmp_path / "bom.json"
    setup.write_bytes(
        b"\xef\xbb\xbf" + json.dumps({"key": {"direction": "front", "intensity": 0.5}}).encode()
    )
    result = run("analyze", str(setup), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["key_role"] == "key"


def test_a_deep_line_of_a_batch_file_names_the_line(
    tmp_path: Path, data_env: dict[str, str]
) -> None:
    jobs = tmp_path / "jobs.jsonl"
    jobs.write_text('{"key": {"direction": "front", "intensity": 0.5}}\n' + _deep_arrays(10_000))
    line = one_line(run("batch", str(jobs), env=data_env), 2)
    assert f"{jobs}:2: line 1 column {MAX_JSON_DEPTH + 1}: nested deeper" in line


#: Any JSON value, a few levels deep.
_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
_ROLES = st.sampled_from(["key", "fill", "rim", "hair", "kye", "lighting_setup", "background"])
#: Shapes close to a setup: role names with random values, requests around them.
_SETUPS = st.dictionaries(_ROLES, _JSON | st.dictionaries(st.text(max_size=10), _JSON))
_CONTENTS = st.one_of(
    _JSON.map(json.dumps),
    _SETUPS.map(json.dumps),
    _SETUPS.map(lambda setup: json.dumps({"lighting_setup": setup})),
    st.integers(min_value=1, max_value=3000).map(_deep_arrays),
    st.integers(min_value=1, max_value=3000).map(_deep_objects),
    st.text(max_size=40),
)
_ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"])


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=_CONTENTS, encoding=_ENCODINGS, command=st.sampled_from(["analyze", "parse"]))
def test_no_file_makes_a_traceback(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: str,
    encoding: str,
    command: str,
) -> None:
    """Whatever a file holds — any JSON shape, any depth, any encoding — the answer is a
    result (exit 0) or one line of bad input (exit 2): never an internal error."""
    given_file = tmp_path / "given.json"
    try:
        given_file.write_bytes(content.encode(encoding))
    except UnicodeEncodeError:
        given_file.write_bytes(content.encode("utf-8", "surrogatepass"))
    capsys.readouterr()
    with pytest.raises(SystemExit) as exited:
        main([command, str(given_file), "--json"])
    err = capsys.readouterr().err
    assert exited.value.code in (0, 2), err
    if exited.value.code == 2:
        assert len(err.strip().splitlines()) == 1, err
        assert "internal error" not in err


# ---------------------------------------------------------------------- the database
def _postgres_at(user: str, port: int | None = None) -> str:
    url = make_url(require_postgres())
    return url.set(username=user, password=SECRET, port=port or url.port).render_as_string(
        hide_password=False
    )


def _database_urls() -> Iterator[Any]:
    yield pytest.param(
        lambda: f"postgresql://u:{SECRET}@nohost.invalid/db",
        "nohost.invalid:5432: the host name does not resolve",
        id="unresolvable",
    )
    yield pytest.param(
        lambda: f"postgresql://u:{SECRET}@127.0.0.1:{free_port()}/db",
        "connection refused",
        id="refused",
    )
    yield pytest.param(
        lambda: _postgres_at("nosuchrole"), 'role "nosuchrole" does not exist', id="unknown-role"
    )


@pytest.mark.parametrize(("url", "cause"), list(_database_urls()))
@pytest.mark.parametrize(
    "command",
    [
        ["users", "list"],
        ["users", "create", "x"],
        ["serve"],
        ["worker"],
        ["history", "list"],
        ["generate", "--preset", "loop"],
    ],
    ids=" ".join,
)
def test_an_unusable_database_is_one_line_naming_the_setting(
    url: Any, cause: str, command: list[str], data_env: dict[str, str]
) -> None:
    env = {**data_env, "LIGHTRIG_DATABASE_URL": url()}
    if command == ["worker"]:
        env["LIGHTRIG_QUEUE_URL"] = require_redis()
    line = one_line(run(*command, env=env), 1)
    assert line.startswith(
        "lightrig: error: setting LIGHTRIG_DATABASE_URL: cannot use the database: "
    )
    assert cause in line
    assert SECRET not in line


@pytest.mark.parametrize("command", [["users", "list"], ["serve"], ["history", "list"]])
def test_an_unsupported_database_scheme_is_a_bad_setting(
    command: list[str], data_env: dict[str, str]
) -> None:
    env = {**data_env, "LIGHTRIG_DATABASE_URL": f"mysql://u:{SECRET}@localhost/db"}
    line = one_line(run(*command, env=env), 2)
    assert "setting LIGHTRIG_DATABASE_URL: unsupported database URL scheme 'mysql'" in line
    assert SECRET not in line


def test_the_store_raises_lightrigs_error_not_sqlalchemys(tmp_path: Path) -> None:
    from lightrig.db.sql import SqlMetadataStore

    async def fails(url: str) -> DependencyUnavailableError:
        store = SqlMetadataStore(url)
        try:
            with pytest.raises(DependencyUnavailableError) as caught:
                await store.migrate()
            with pytest.raises(DependencyUnavailableError):
                await store.list_users()
            return caught.value
        finally:
            await store.aclose()

    refused = asyncio.run(fails(f"postgresql://u:{SECRET}@127.0.0.1:{free_port()}/db"))
    unknown = asyncio.run(fails(_postgres_at("nosuchrole")))
    for error in (refused, unknown):
        assert isinstance(error, ConnectionError)
        assert isinstance(error, LightingGenerationError)
        assert not isinstance(error, SQLAlchemyError)
        assert error.setting == "LIGHTRIG_DATABASE_URL"
        assert SECRET not in str(error)
        assert SECRET not in json.dumps(error.context)
    assert "connection refused" in refused.cause
    assert 'role "nosuchrole" does not exist' in unknown.cause
    # a SQLite file that cannot be opened (its folder is a file)
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    with pytest.raises(DependencyUnavailableError) as sqlite:
        SqlMetadataStore(f"sqlite:///{blocker}/lightrig.db")
    assert sqlite.value.setting == "LIGHTRIG_DATABASE_URL"
    assert f"sqlite {blocker}/lightrig.db: " in sqlite.value.cause


# ------------------------------------------------------------------------------- Redis
def test_redis_down_during_generate_is_one_line_naming_the_setting(
    data_env: dict[str, str],
) -> None:
    env = {**data_env, "LIGHTRIG_REDIS_URL": f"redis://:{SECRET}@127.0.0.1:{free_port()}/0"}
    line = one_line(run("generate", "--preset", "loop", env=env), 1)
    assert line.startswith("lightrig: error: setting LIGHTRIG_REDIS_URL: ")
    assert "connection refused" in line
    assert SECRET not in line


def test_a_redis_that_hangs_up_mid_run_is_lightrigs_error() -> None:
    """A Redis that takes the connection and drops it (as one killed mid-run does): the
    cache and the rate limits raise DependencyUnavailableError naming the setting."""
    from lightrig.cache.redis import RedisCache
    from lightrig.limits.redis import RedisRateLimiter

    async def main_() -> list[DependencyUnavailableError]:
        async def hang_up(_: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            writer.close()

        server = await asyncio.start_server(hang_up, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        url = f"redis://127.0.0.1:{port}/0"
        cache, limiter = RedisCache(url), RedisRateLimiter(url)
        found = []
        try:
            with pytest.raises(DependencyUnavailableError) as cached:
                await cache.set("k", b"v", 10.0)
            found.append(cached.value)
            with pytest.raises(DependencyUnavailableError) as limited:
                await limiter.try_acquire("k", 60.0, burst=1)
            found.append(limited.value)
        finally:
            await cache.aclose()
            await limiter.aclose()
            server.close()
            await server.wait_closed()
        return found

    for error in asyncio.run(main_()):
        assert error.setting == "LIGHTRIG_REDIS_URL"
        assert "127.0.0.1:" in error.cause


def test_a_dependency_failure_is_logged_in_one_line(caplog: pytest.LogCaptureFixture) -> None:
    import logging

    from lightrig.service.retries import log_failure

    log = logging.getLogger("lightrig.test")
    with caplog.at_level(logging.INFO, logger="lightrig.test"):
        log_failure(log, "generation g1", ConnectionRefusedError(111, "Connection refused"))
        log_failure(log, "generation g2", KeyError("bug"))
    refused, bug = caplog.records
    assert refused.exc_info is None
    assert refused.getMessage() == (
        "generation g1 failed: generation failed: ConnectionRefusedError: "
        "[Errno 111] Connection refused"
    )
    assert bug.exc_info is not None  # a bug keeps its traceback


# ---------------------------------------------------------------------------- settings
def test_a_setting_that_is_not_json_is_one_line_with_an_example(
    data_env: dict[str, str],
) -> None:
    env = {**data_env, "LIGHTRIG_PRICES_USD": "notjson"}
    line = one_line(run("generate", "--preset", "loop", env=env), 2)
    assert line == (
        "lightrig: error: setting LIGHTRIG_PRICES_USD: not JSON (Expecting value at column 1); "
        'expected JSON, e.g. {"bria": 0.03}'
    )


def test_settings_that_fail_their_checks_are_named_each(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("LIGHTRIG_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LIGHTRIG_STEPS", "0")
    monkeypatch.setenv("LIGHTRIG_PRICES_USD", '{"bria": "cheap"}')
    with pytest.raises(SystemExit) as exited:
        main(["history", "list"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "setting LIGHTRIG_STEPS: got '0'; accepted: a whole number from 1 to 100" in err
    assert "setting LIGHTRIG_PRICES_USD: bria: Input should be a valid number" in err
    assert settings_error_line(KeyError("not a settings error")) is None


def test_misspelt_settings_are_warned_about_once_with_the_one_meant(
    data_env: dict[str, str],
) -> None:
    env = {**data_env, "LIGHTRIG_BAKCEND": "bria", "LIGHTRIG_TEST_ANYTHING": "1"}
    result = run("history", "list", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "lightrig: warning: LIGHTRIG_BAKCEND is not a lightrig setting "
        "(did you mean LIGHTRIG_BACKEND?)"
    ]


def test_misspelt_settings_in_the_env_file_are_warned_about_too(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(f"LIGHTRIG_BACKND=bria\nLIGHTRIG_DATA_DIR={tmp_path}\n")
    result = run("history", "list", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "lightrig: warning: LIGHTRIG_BACKND is not a lightrig setting "
        "(did you mean LIGHTRIG_BACKEND?)"
    ]


def test_unknown_settings_spares_settings_and_lightrigs_own_variables() -> None:
    environ = dict.fromkeys(setting_names(), "x")
    environ |= {
        "LIGHTRIG_DEBUG": "1",
        "LIGHTRIG_TEST_POSTGRES_URL": "x",
        "LIGHTRIG_BENCH_REDIS_URL": "x",
        "lightrig_backend": "bria",  # the settings read names in any case
        "PATH": "/bin",
        "LIGHTRIG_REDIS_URI": "x",
        "LIGHTRIG_NOTHING_LIKE_IT": "x",
    }
    assert unknown_settings(environ) == [
        "LIGHTRIG_NOTHING_LIKE_IT is not a lightrig setting",
        "LIGHTRIG_REDIS_URI is not a lightrig setting (did you mean LIGHTRIG_REDIS_URL?)",
    ]


# ---------------------------------------------------------------------- internal errors
def test_an_unexpected_error_is_one_line_and_debug_shows_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from lightrig.analysis.analyzer import LightingAnalyzer

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("the analyzer broke\nsecond line")

    monkeypatch.setattr(LightingAnalyzer, "analyze", broken)
    monkeypatch.delenv("LIGHTRIG_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exited:
        main(["analyze", "--preset", "loop"])
    assert exited.value.code == 1
    assert capsys.readouterr().err == (
        "lightrig: error: internal error: RuntimeError: the analyzer broke "
        "(run with --debug for the traceback)\n"
    )
    with pytest.raises(RuntimeError, match="the analyzer broke"):
        main(["--debug", "analyze", "--preset", "loop"])
    monkeypatch.setenv("LIGHTRIG_DEBUG", "1")
    with pytest.raises(RuntimeError, match="the analyzer broke"):
        main(["analyze", "--preset", "loop"])


def test_debug_in_a_real_process_shows_the_traceback(data_env: dict[str, str]) -> None:
    env = {**data_env, "LIGHTRIG_DATABASE_URL": f"postgresql://u@127.0.0.1:{free_port()}/db"}
    shown = run("--debug", "history", "list", env=env)
    assert shown.returncode == 1
    assert "Traceback" in shown.stderr
    assert "DependencyUnavailableError" in shown.stderr


# --------------------------------------------------------------------------- the CLI's face
def _command_paths() -> list[list[str]]:
    import typer

    from lightrig.cli import app

    paths: list[list[str]] = []

    def walk(command: Any, path: list[str]) -> None:
        paths.append(path)
        for name, child in getattr(command, "commands", {}).items():
            walk(child, [*path, name])

    walk(typer.main.get_command(app), [])
    return paths


def test_every_help_shows_flags_as_flags(capsys: pytest.CaptureFixture[str]) -> None:
    paths = _command_paths()
    assert ["history", "list"] in paths
    assert len(paths) > 20
    for path in paths:
        with pytest.raises(SystemExit) as exited:
            main([*path, "--help"])
        assert exited.value.code == 0
        shown = capsys.readouterr().out
        assert "--help" in shown
        assert "<bool>" not in shown, (path, shown)
    main_help = run("--help").stdout
    for flag in ("--version", "--debug", "--install-completion", "--show-completion"):
        assert flag in main_help


def test_completion_installs_and_completes(tmp_path: Path) -> None:
    shown = run("--show-completion", "bash", env={"SHELL": "/bin/bash"})
    assert shown.returncode == 0, shown.stderr
    assert "_LIGHTRIG_COMPLETE" in shown.stdout
    installed = run("--install-completion", "bash", env={"HOME": str(tmp_path)})
    assert installed.returncode == 0, installed.stderr
    assert "lightrig" in (tmp_path / ".bashrc").read_text()
    completed = run(
        env={
            "_LIGHTRIG_COMPLETE": "complete_bash",
            "COMP_WORDS": "lightrig hist",
            "COMP_CWORD": "1",
        }
    )
    assert completed.stdout.split() == ["history"]


def test_piped_output_is_never_wrapped(tmp_path: Path) -> None:
    analysis = json.loads(run("analyze", "--preset", "rembrandt", "--json").stdout)
    human = run("analyze", "--preset", "rembrandt", env={"COLUMNS": ""}).stdout.splitlines()
    assert analysis["summary"] in human
    for warning in analysis["warnings"]:
        assert f"  • {warning}" in human  # whole, on one line
    data = tmp_path / ("a-folder-with-a-long-name-" * 6) / "data"
    made = run("generate", "--preset", "loop", env={"LIGHTRIG_DATA_DIR": str(data)})
    assert made.returncode == 0, made.stderr
    (image,) = [line for line in made.stdout.splitlines() if line.startswith("image: ")]
    assert Path(image.removeprefix("image: ")).is_file()
    assert len(image) > 200


def _record(number: int, error: str | None = None) -> GenerationResponse:
    return GenerationResponse.model_validate(
        {
            "generation_id": f"{number:032x}",
            "status": GenerationStatus.ERROR if error else GenerationStatus.SUCCESS,
            "created_at": datetime(2026, 12, 5, tzinfo=UTC) + timedelta(minutes=number),
            "user_id": "3f1c0b52-6b1d-4b8e-9a55-2f0c9e7d1a10",
            "backend": "preview",
            "seed": 1_000_000 + number,
            "image_key": None if error else f"{'ab' * 32}.png",
            "error": error,
        }
    )


@pytest.mark.parametrize("width", [80, 100, 160, 400])
def test_history_list_fits_the_terminal(width: int) -> None:
    records = [_record(1), _record(2, "setting LIGHTRIG_REDIS_URL: cannot use the cache: " * 3)]
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(history_table(records, width))
    lines = console.export_text().splitlines()
    assert all(len(line.rstrip()) <= width for line in lines), lines
    rows = [line for line in lines if line.startswith(("0000", " 0000"))]
    assert len(rows) == 2  # one line each: nothing wraps
    assert all(record.generation_id in text for record, text in zip(records, rows, strict=True))
    assert "success" in rows[0]
    assert "error" in rows[1]
    header = next(line for line in lines if line.lstrip().startswith("id"))
    if width >= 160:
        assert all(name in header for name in ("backend", "seed", "created (UTC)"))
        assert f"{'ab' * 32}.png" in rows[0]
    if width >= 400:
        assert "user" in header
        assert rows[1].rstrip().endswith("cannot use the cache:")


def test_the_dependency_error_is_in_the_tree_and_says_its_cause() -> None:
    from lightrig import errors
    from lightrig.errors import connection_failure

    assert issubclass(DependencyUnavailableError, LightingGenerationError)
    assert issubclass(DependencyUnavailableError, ConnectionError)
    assert "DependencyUnavailableError (ConnectionError)" in (errors.__doc__ or "")
    error = DependencyUnavailableError("LIGHTRIG_REDIS_URL", "h:1: no answer", service="Redis")
    assert str(error) == "setting LIGHTRIG_REDIS_URL: cannot use Redis: h:1: no answer"
    assert error.context == {
        "setting": "LIGHTRIG_REDIS_URL",
        "cause": "h:1: no answer",
        "service": "Redis",
    }
    wrapped = RuntimeError("driver failed")
    wrapped.__cause__ = socket.gaierror(-2, "Name or service not known")
    assert connection_failure(wrapped, "nohost:5432") == (
        "nohost:5432: the host name does not resolve (Name or service not known)"
    )
    assert connection_failure(TimeoutError(), "h:1") == "h:1: no answer in time"
    assert connection_failure(ValueError("first\nsecond"), "h:1") == "h:1: first"


class _DyingRedis:
    """A TCP proxy to the real Redis that dies — stops listening and drops every connection —
    when a client first sends SET: Redis killed in the middle of a generation, after the cache
    was read and before the result is kept."""

    def __init__(self, target: str) -> None:
        url = make_url(target.replace("redis://", "postgresql://", 1))  # host and port only
        self._target = (url.host or "127.0.0.1", url.port or 6379)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._open: list[socket.socket] = []
        self.died = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.died.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(self._target)
            self._open += [client, server]
            threading.Thread(target=self._pipe, args=(client, server, True), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, False), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, watch: bool) -> None:
        try:
            while chunk := source.recv(65536):
                if watch and b"$3\r\nSET\r\n" in chunk.upper():
                    self.kill()
                    return
                sink.sendall(chunk)
        except OSError:
            return

    def kill(self) -> None:
        self.died.set()
        self._listener.close()
        for connection in self._open:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            connection.close()


def test_redis_killed_mid_generate_is_one_line(data_env: dict[str, str]) -> None:
    dying = _DyingRedis(require_redis())
    env = {**data_env, "LIGHTRIG_REDIS_URL": f"redis://127.0.0.1:{dying.port}/0"}
    try:
        result = run("generate", "--preset", "loop", env=env)
    finally:
        dying.kill()
    assert dying.died.is_set()  # it was reached, then died
    line = one_line(result, 1)
    assert line.startswith("lightrig: error: setting LIGHTRIG_REDIS_URL: cannot use the cache: ")
    assert f"127.0.0.1:{dying.port}/0" in line
