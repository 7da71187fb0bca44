"""Every shell and Python block of the README runs as written, so the README cannot rot.

Each block runs as a new user would paste it: in a fresh folder holding a copy of
``examples/``, with ``LIGHTRIG_DATA_DIR`` in a temporary folder, no ``LIGHTRIG_*`` setting
inherited and one added for speed (:data:`PREVIEW_SIZE`). A shell block is run one command at
a time (``\\`` continuations joined, comments dropped) by bash, the variables it sets or
exports carried to the next command; each must exit 0 and print no traceback. Comment lines
directly under a command (no blank line between) are the output the README shows for it: each
must appear in the command's output, in order (``...`` stands for anything; white space is
compared loosely, so wrapping does not matter).

Servers are started in the background and stopped when the block ends: a command ending in
``&`` and every ``lightrig serve``, ``worker`` or ``mock-bria`` (which run until stopped) —
each must come up (``/healthz`` answers, the worker says it takes jobs, the mock's port opens)
and stop on SIGTERM without a traceback. Ports the README names (8000, 8765) are replaced by
free ones, so the test never meets another process on them.

What a block needs that the README leaves to the reader is named per block below: the ids its
``<placeholders>`` stand for (made by real commands first), and for *Many machines* the
production hosts replaced by local PostgreSQL, Redis, a moto S3 server and the mock Bria. The
commands that cannot run in a test are in :data:`NOT_RUN`, each with its reason; a test fails
when an entry there no longer matches a README command.

Python blocks are executed in the same kind of folder (``tests/test_readme.py`` checks what
two of them print).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from contextlib import ExitStack, redirect_stdout
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path
from typing import Any

import pytest

from tests.apiserver import free_port

ROOT = Path(__file__).parent.parent
README = ROOT / "README.md"
EXAMPLES = ROOT / "examples"
BIN = Path(sys.executable).parent

#: README commands that are not run here, by how they start, and why.
NOT_RUN = {
    "make run": "builds .venv with pip (network) and serves forever; what it runs, `lightrig "
    "serve`, is started and probed in the REST API block",
    "make test": "the whole suite, this test included",
    "pip install": "installs from PyPI (network) into the environment the tests run in",
}

#: Ports the README names, replaced by free ones.
README_PORTS = ("8000", "8765")
#: The one setting the test adds for speed: generated previews of 128 pixels, not 512 (the same
#: code renders and checks them; a block's own ``--size`` is kept).
PREVIEW_SIZE = "128"
COMMAND_TIMEOUT_S = 300.0
READY_TIMEOUT_S = 90.0


# ------------------------------------------------------------------------------ the README
@dataclass(frozen=True)
class Block:
    """A fenced block of the README: its language, text, first line and section."""

    language: str
    text: str
    line: int
    section: str

    @property
    def name(self) -> str:
        slug = re.sub(r"[^a-z0-9]+", "-", self.section.lower()).strip("-")
        return f"{self.language}:{slug}:{self.line}"


def readme_blocks() -> list[Block]:
    """Every fenced block of the README with a language (plain ``` blocks are diagrams)."""
    blocks: list[Block] = []
    section = ""
    lines = README.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("#") and not line.startswith("#!"):
            section = line.lstrip("#").strip()
        fence = re.fullmatch(r"```(\w*)\s*", line)
        if fence is None:
            index += 1
            continue
        end = index + 1
        while not lines[end].startswith("```"):
            end += 1
        if fence.group(1):
            text = "\n".join(lines[index + 1 : end]) + "\n"
            blocks.append(Block(fence.group(1), text, index + 2, section))
        index = end + 1
    return blocks


@dataclass
class Command:
    """One shell command (continuations joined) and the output the README shows under it."""

    text: str
    line: int
    shown: list[str] = field(default_factory=list)


def commands_of(block: Block) -> list[Command]:
    """The commands of a shell block, in order."""
    commands: list[Command] = []
    lines = block.text.splitlines()
    index = 0
    previous_blank = True
    while index < len(lines):
        line = lines[index].rstrip()
        if not line.strip():
            previous_blank = True
            index += 1
            continue
        if line.lstrip().startswith("#"):
            if commands and not previous_blank:  # output shown under the command above
                commands[-1].shown.append(line.lstrip()[1:].strip())
            index += 1
            continue
        start = index
        text = line
        while text.endswith("\\"):
            index += 1
            text = text[:-1] + " " + lines[index].strip()
        commands.append(Command(text, block.line + start))
        previous_blank = False
        index += 1
    return commands


def skipped_because(command: str) -> str | None:
    """The reason ``command`` is not run, or ``None``."""
    for start, reason in NOT_RUN.items():
        if command.startswith(start):
            return reason
    return None


def shows(output: str, shown: list[str]) -> str | None:
    """Why ``output`` lacks the lines the README shows (in order), or ``None``."""
    text = " ".join(output.split())
    position = 0
    for expected in shown:
        pattern = r"\s*".join(
            ".*?" if part == "..." else re.escape(part)
            for part in re.split(r"(\.\.\.)", " ".join(expected.split()))
            if part
        )
        found = re.compile(pattern, re.DOTALL).search(text, position)
        if found is None:
            return f"the README shows {expected!r}, which is not in the output (in order)"
        position = found.end()
    return None


# ------------------------------------------------------------------------------ running
def http(url: str, body: Any = None, key: str | None = None) -> tuple[int, Any]:
    """A JSON request; the status and the decoded answer."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="GET" if body is None else "POST")
    request.add_header("content-type", "application/json")
    if key:
        request.add_header("authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@dataclass
class Background:
    """A server a block started; its output goes to ``log``."""

    command: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


class Session:
    """A shell session: one folder, one environment, the servers it started."""

    def __init__(self, folder: Path, environment: dict[str, str]) -> None:
        self.folder = folder
        self.env = environment
        self.state = folder.parent / f"{folder.name}.env"
        self.servers: list[Background] = []
        self.ran: list[str] = []
        self.skipped: list[tuple[str, str]] = []

    # one command -------------------------------------------------------------------------
    def run(self, command: Command) -> str:
        """Run ``command`` (a server in the background); its standard output."""
        text = command.text
        reason = skipped_because(text)
        if reason is not None:
            self.skipped.append((text, reason))
            return ""
        words = shlex.split(text, comments=True)
        program = [w for w in words if not re.fullmatch(r"[A-Z_][A-Z0-9_]*=.*", w)]
        if words[-1:] == ["&"] or (
            program[:1] == ["lightrig"] and program[1:2] in (["serve"], ["worker"], ["mock-bria"])
        ):
            self.start(shlex.join(w for w in words if w != "&"), program)
            return ""
        script = f'set -a\n{text}\n__rc=$?\nenv -0 > "$README_TEST_STATE"\nexit $__rc\n'
        started = time.monotonic()
        done = subprocess.run(
            ["bash", "-c", script],
            cwd=self.folder,
            env={**self.env, "README_TEST_STATE": str(self.state)},
            capture_output=True,
            timeout=COMMAND_TIMEOUT_S,
            check=False,
        )
        output = (done.stdout + done.stderr).decode("utf-8", errors="replace")
        where = f"README.md:{command.line}: {text}\n(exit {done.returncode}, "
        where += f"{time.monotonic() - started:.1f} s)\n{output[-4000:]}"
        assert "Traceback" not in output, where
        assert done.returncode == 0, where
        missing = shows(output, command.shown)
        assert missing is None, f"{missing}\n{where}"
        self._keep_variables()
        self.ran.append(text)
        return done.stdout.decode("utf-8", errors="replace")

    def _keep_variables(self) -> None:
        """The variables the command set (``set -a`` exports them) for the commands after."""
        if not self.state.exists():
            return
        for entry in self.state.read_bytes().decode("utf-8", errors="replace").split("\0"):
            name, _, value = entry.partition("=")
            if name and name not in {"README_TEST_STATE", "__rc", "_", "PWD", "OLDPWD", "SHLVL"}:
                self.env[name] = value

    # servers ------------------------------------------------------------------------------
    def start(self, text: str, program: list[str]) -> None:
        """Start a server and wait until it is ready."""
        log = self.folder.parent / f"{self.folder.name}-server-{len(self.servers)}.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                ["bash", "-c", text],
                cwd=self.folder,
                env={**self.env, "PYTHONUNBUFFERED": "1"},
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        server = Background(text, process, log)
        self.servers.append(server)
        kind = program[1] if program[:1] == ["lightrig"] and len(program) > 1 else ""
        port = _option(program, "--port")
        deadline = time.monotonic() + READY_TIMEOUT_S
        while not self._ready(kind, port, server):
            assert process.poll() is None, f"{text} exited {process.returncode}:\n{server.output()}"
            assert time.monotonic() < deadline, f"{text} never came up:\n{server.output()}"
            time.sleep(0.2)
        self.ran.append(text)

    @staticmethod
    def _ready(kind: str, port: str | None, server: Background) -> bool:
        if kind == "worker":
            return "taking jobs from" in server.output()
        if port is None:
            raise AssertionError(f"{server.command}: a background server needs its --port")
        if kind == "serve":
            try:
                return http(f"http://127.0.0.1:{port}/healthz")[0] == 200
            except OSError:
                return False
        try:
            with socket.create_connection(("127.0.0.1", int(port)), timeout=1.0):
                return True
        except OSError:
            return False

    def stop(self) -> None:
        """SIGTERM every server (their process groups); each must stop without a traceback."""
        problems = []
        for server in reversed(self.servers):
            if server.process.poll() is not None:
                problems.append(f"{server.command} stopped by itself ({server.process.returncode})")
            else:
                os.killpg(server.process.pid, signal.SIGTERM)
                try:
                    server.process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(server.process.pid, signal.SIGKILL)
                    server.process.wait()
                    problems.append(f"{server.command} did not stop on SIGTERM")
            if "Traceback" in server.output():
                problems.append(f"{server.command} printed a traceback:\n{server.output()[-4000:]}")
        self.servers.clear()
        assert not problems, "\n".join(problems)


def _option(words: list[str], name: str) -> str | None:
    for index, word in enumerate(words[:-1]):
        if word == name:
            return words[index + 1]
    return None


def environment(data_dir: Path) -> dict[str, str]:
    """The environment a new user's shell has: no lightrig setting but the data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("LIGHTRIG_")}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["LIGHTRIG_DATA_DIR"] = str(data_dir)
    env["LIGHTRIG_PREVIEW_SIZE"] = PREVIEW_SIZE
    env.pop("VIRTUAL_ENV", None)
    return env


# ------------------------------------------------------------------------------ per block
@dataclass
class Needs:
    """What one block needs that the README leaves to the reader."""

    #: README text → what the test runs instead
    replace: dict[str, str] = field(default_factory=dict)
    #: run after the block's commands, with the session (e.g. a check through the servers)
    after: Callable[[Session], None] | None = None


def _records_needs(session: Session, stack: ExitStack) -> Needs:
    """*Records*: a generation, a batch and a generation a dead process left running."""
    generated = session.run(Command("lightrig generate --preset loop --json", 0))
    batch = session.run(Command("lightrig batch examples/jobs.jsonl --json", 0))
    batch_id = json.loads(batch)[0]["batch_id"]
    assert batch_id
    return Needs(
        replace={
            "<id>": json.loads(generated)["generation_id"],
            "<batch-id>": batch_id,
            "<interrupted-id>": _killed_generation(session),
        }
    )


def _killed_generation(session: Session) -> str:
    """A ``lightrig generate`` killed with SIGKILL while its record is running, left until its
    lease (1 s) has run out: what a dead process leaves. Its id."""
    from lightrig.config import Settings
    from lightrig.db.factory import create_store
    from lightrig.models.generation import GenerationStatus

    env = {**session.env, "LIGHTRIG_GENERATION_LEASE_S": "1", "LIGHTRIG_PREVIEW_SIZE": "1024"}
    process = subprocess.Popen(
        ["lightrig", "generate", "--preset", "split"],
        cwd=session.folder,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    async def running() -> list[str]:
        store = create_store(Settings(data_dir=Path(session.env["LIGHTRIG_DATA_DIR"])))
        try:
            records = await store.list_generations(statuses=[GenerationStatus.RUNNING], limit=5)
            return [record.generation_id for record in records]
        finally:
            await store.aclose()

    try:
        deadline = time.monotonic() + 60
        while not (found := asyncio.run(running())):
            assert process.poll() is None, "the generation ended before it could be killed"
            assert time.monotonic() < deadline, "the generation's record never ran"
            time.sleep(0.05)
    finally:
        process.kill()
        process.wait()
    time.sleep(1.5)  # its lease runs out
    return found[0]


def _fleet_needs(session: Session, stack: ExitStack) -> Needs:
    """*Many machines*: the production hosts replaced by local servers, and after the block a
    generation through the API that a worker runs on the mock Bria and stores in S3."""
    from tests.services import postgres_schema, require_postgres, require_redis, s3_server

    database = require_postgres()
    redis_url = require_redis()
    schema = postgres_schema()
    queue = f"lightrig-test:{uuid.uuid4().hex[:12]}:jobs"
    bucket = f"lr-readme-{uuid.uuid4().hex[:12]}"
    s3 = stack.enter_context(s3_server())
    from lightrig.testing.mock_bria import MockBriaServer

    bria = stack.enter_context(MockBriaServer(latency_s=0.2, image_size=64))
    credentials = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",  # moto's dummy credentials
        "AWS_DEFAULT_REGION": "us-east-1",
    }
    import boto3

    s3_client = boto3.client("s3", endpoint_url=s3, region_name="us-east-1", **_aws(credentials))
    s3_client.create_bucket(Bucket=bucket)
    session.env.update(credentials)
    # the test's own isolation on shared servers: a schema and a queue of its own
    session.env["LIGHTRIG_DATABASE_SCHEMA"] = schema
    session.env["LIGHTRIG_QUEUE_NAME"] = queue
    session.env["LIGHTRIG_VERIFY_IMAGES"] = "false"  # the fleet is about the queue
    stack.callback(_drop_schema, database, schema)
    stack.callback(_drop_queue, redis_url, queue)

    def through_the_fleet(session: Session) -> None:
        made = session.run(Command("lightrig users create readme-probe --json", 0))
        key = json.loads(made)["api_key"]
        port = _option(
            shlex.split(next(s.command for s in session.servers if " serve" in s.command)), "--port"
        )
        base = f"http://127.0.0.1:{port}"
        status, answer = http(
            f"{base}/v1/generations",
            {
                "request": {
                    "lighting_setup": {
                        "key": {"direction": "45 degrees camera-left", "intensity": 0.8}
                    }
                }
            },
            key,
        )
        assert status == 202, answer
        deadline = time.monotonic() + 60
        while answer["status"] != "success":
            assert answer["status"] in {"queued", "running", "retrying"}, answer
            assert time.monotonic() < deadline, answer
            time.sleep(0.3)
            status, answer = http(f"{base}/v1/generations/{answer['generation_id']}", key=key)
            assert status == 200, answer
        assert answer["backend"] == "bria"
        stored = s3_client.list_objects_v2(Bucket=bucket, Prefix="prod/").get("Contents", [])
        assert [item["Key"].rsplit("/", 1)[-1] for item in stored] == [answer["image_key"]]
        assert bria.accepted == 1

    return Needs(
        replace={
            "postgresql://lightrig@db.internal:5432/lightrig": database,
            "'s3://lightrig-images/prod?region=eu-west-1'": (
                f"'s3://{bucket}/prod?endpoint={s3}&region=us-east-1'"
            ),
            "redis://cache.internal:6379/0": redis_url,
            "redis://cache.internal:6379/1": redis_url,
            "LIGHTRIG_BRIA_API_TOKEN=...": (
                f"LIGHTRIG_BRIA_API_TOKEN=test-token LIGHTRIG_BRIA_BASE_URL={bria.url}/v2"
            ),
        },
        after=through_the_fleet,
    )


def _aws(credentials: dict[str, str]) -> dict[str, str]:
    return {
        "aws_access_key_id": credentials["AWS_ACCESS_KEY_ID"],
        "aws_secret_access_key": credentials["AWS_SECRET_ACCESS_KEY"],
    }


def _drop_schema(url: str, schema: str) -> None:
    from lightrig.db.sql import SqlMetadataStore

    async def drop() -> None:
        store = SqlMetadataStore(url, schema=schema)
        try:
            await store.drop_schema()
        finally:
            await store.aclose()

    asyncio.run(drop())


def _drop_queue(url: str, queue: str) -> None:
    import redis

    redis.Redis.from_url(url).delete(queue)


def _rest_needs(session: Session, stack: ExitStack) -> Needs:
    """*REST API*: after the block, the generation the curl made is ada's and succeeded."""

    def ada_generated(session: Session) -> None:
        port = _option(shlex.split(session.servers[0].command), "--port")
        key = session.env["KEY"]
        assert key.startswith("lr_"), "the block did not set KEY to ada's key"
        status, listed = http(f"http://127.0.0.1:{port}/v1/generations", key=key)
        assert status == 200, listed
        assert [item["status"] for item in listed["items"]] == ["success"], listed

    return Needs(after=ada_generated)


#: Blocks (by section) that need more than a fresh folder.
NEEDS: dict[str, Callable[[Session, ExitStack], Needs]] = {
    "Records, storage, cache and limits": _records_needs,
    "Many machines: API processes and workers": _fleet_needs,
    "REST API": _rest_needs,
}
#: Blocks that take long (marked slow; CI runs them).
SLOW = {
    "Generating images",
    "Checking that an image followed the light",
    "Records, storage, cache and limits",
}


# ------------------------------------------------------------------------------ the tests
def _param(block: Block) -> Any:
    marks = [pytest.mark.slow] if block.section in SLOW else []
    return pytest.param(block, id=block.name, marks=marks)


SHELL = [b for b in readme_blocks() if b.language in {"sh", "bash"}]
PYTHON = [b for b in readme_blocks() if b.language == "python"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A fresh working folder with a copy of the examples; the data folder beside it."""
    work = tmp_path / "work"
    shutil.copytree(EXAMPLES, work / "examples")
    return work


@pytest.mark.parametrize("block", [_param(b) for b in SHELL])
def test_shell_block_runs(block: Block, folder: Path, tmp_path: Path) -> None:
    session = Session(folder, environment(tmp_path / "data"))
    with ExitStack() as stack:
        needs = NEEDS[block.section](session, stack) if block.section in NEEDS else Needs()
        text = block.text
        for port in README_PORTS:
            text = re.sub(rf"(?<=:){port}\b|(?<=--port ){port}\b", str(free_port()), text)
        for written, instead in needs.replace.items():
            assert written in text, f"the README no longer says {written!r}"
            text = text.replace(written, instead)
        assert not re.findall(r"<[a-z-]+>", text), "a placeholder the test does not fill"
        try:
            for command in commands_of(Block(block.language, text, block.line, block.section)):
                session.run(command)
            if needs.after is not None:
                needs.after(session)
        finally:
            session.stop()
    assert session.ran or session.skipped


def test_every_command_left_out_is_in_the_readme() -> None:
    """Each entry of :data:`NOT_RUN` still matches a README command (no stale excuses)."""
    commands = [c.text for b in SHELL for c in commands_of(b)]
    for start in NOT_RUN:
        assert any(c.startswith(start) for c in commands), start
    left_out = [c for c in commands if skipped_because(c)]
    assert len(left_out) <= 6, left_out


def test_the_readme_parser_sees_every_block() -> None:
    text = README.read_text(encoding="utf-8")
    fences = re.findall(r"^```(\w*)", text, flags=re.MULTILINE)
    opened = fences[0::2]
    assert len(fences) % 2 == 0
    assert [b.language for b in readme_blocks()] == [lang for lang in opened if lang]
    assert {b.language for b in readme_blocks()} <= {"sh", "bash", "python"}  # runnable ones
    assert "python examples/generate.py" in text  # the reference script is run by a block


@pytest.mark.parametrize("block", [_param(b) for b in PYTHON])
def test_python_block_runs(
    block: Block, folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in [k for k in os.environ if k.startswith("LIGHTRIG_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("LIGHTRIG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LIGHTRIG_PREVIEW_SIZE", PREVIEW_SIZE)
    monkeypatch.chdir(folder)
    out = StringIO()
    with redirect_stdout(out):
        exec(compile(block.text, f"README.md:{block.line}", "exec"), {})  # our own README
    assert out.getvalue().strip(), "the block printed nothing"


def test_example_pictures_are_what_their_script_makes(tmp_path: Path) -> None:
    """``examples/shot.jpg`` and ``raw-export.png`` are the renders ``make_pictures.py`` makes
    of ``my-setup.json`` (to within a JPEG's and a CPU's last bits)."""
    import numpy as np
    from PIL import Image

    subprocess.run(
        [sys.executable, str(EXAMPLES / "make_pictures.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        timeout=COMMAND_TIMEOUT_S,
    )
    for name in ("shot.jpg", "raw-export.png"):
        made = np.asarray(Image.open(tmp_path / name), dtype=np.float64)
        kept = np.asarray(Image.open(EXAMPLES / name), dtype=np.float64)
        assert made.shape == kept.shape == (384, 384, 3), name
        assert np.abs(made - kept).mean() < 1.0, f"{name} is not what make_pictures.py makes"
