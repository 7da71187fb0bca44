"""How long lightrig takes to start, next to the libraries every lightrig process needs.

Times, in fresh interpreters, (a) ``python -c "import pydantic, typer"`` — the baseline: the
least any lightrig process loads — (b) ``import lightrig``, (c) ``lightrig --help`` and
(d) ``lightrig analyze --preset loop --json``, and prints each one's median wall time over the
rounds and its ratio to (a). The goals: (b) ≤ 3× and (c), (d) ≤ 5× the baseline.

Each round starts every command once, in turn, so machine noise hits them alike; a warm-up
round first fills the operating system's file cache and Python's bytecode caches, so "cold"
means a new interpreter, not a cold disk. Besides times it counts the modules each command
imports (from ``python -X importtime``) and names the heavy packages among them.

    python benchmarks/startup.py [--rounds 9]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

#: Packages the core and the quick commands should not need; named when a command loads them.
HEAVY = (
    "numba",
    "llvmlite",
    "numpy",
    "scipy",
    "PIL",
    "httpx",
    "sqlalchemy",
    "alembic",
    "redis",
    "fastapi",
    "starlette",
    "uvicorn",
    "boto3",
    "botocore",
    "taskiq",
)

#: goal per command: its median start-up over the baseline's, at most
GOALS = {"import lightrig": 3.0, "lightrig --help": 5.0, "lightrig analyze --preset loop": 5.0}


def _lightrig_command() -> list[str]:
    """How to start the ``lightrig`` console script of this interpreter's environment (through
    ``-m lightrig`` where the script is not installed next to the interpreter)."""
    script = Path(sys.executable).parent / "lightrig"
    return [str(script)] if script.exists() else [sys.executable, "-m", "lightrig"]


def _commands() -> dict[str, list[str]]:
    lightrig = _lightrig_command()
    return {
        "baseline: import pydantic, typer": [sys.executable, "-c", "import pydantic, typer"],
        "import lightrig": [sys.executable, "-c", "import lightrig"],
        "lightrig --help": [*lightrig, "--help"],
        "lightrig analyze --preset loop": [*lightrig, "analyze", "--preset", "loop", "--json"],
    }


def _run(command: list[str], env: dict[str, str]) -> float:
    """Seconds from start to exit of ``command``; a failure stops the benchmark."""
    start = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(command)} exited with {done.returncode}: "
            f"{done.stderr.decode(errors='replace').strip()[-400:]}"
        )
    return elapsed


def _imports(command: list[str], env: dict[str, str]) -> tuple[int, list[str]]:
    """How many modules ``command`` imports, and which of :data:`HEAVY` (``-X importtime``)."""
    done = subprocess.run(
        command, env={**env, "PYTHONPROFILEIMPORTTIME": "1"}, capture_output=True, check=False
    )
    names = [
        line.rsplit("|", 1)[-1].strip()
        for line in done.stderr.decode(errors="replace").splitlines()
        if line.startswith("import time:") and not line.rstrip().endswith("imported package")
    ]
    tops = {name.split(".", 1)[0] for name in names}
    return len(names), [package for package in HEAVY if package in tops]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    options = parser.parse_args()

    env = {key: value for key, value in os.environ.items() if key != "PYTHONPROFILEIMPORTTIME"}
    env["COLUMNS"] = "100"  # the help text's width, whatever the terminal
    commands = _commands()
    for command in commands.values():  # warm-up: file cache, bytecode caches
        _run(command, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(options.rounds):
        for name, command in commands.items():
            times[name].append(_run(command, env))
    medians = {name: statistics.median(values) for name, values in times.items()}
    baseline_name = next(iter(commands))
    baseline = medians[baseline_name]
    print(f"{options.rounds} rounds of fresh interpreters, median wall time; Python {sys.version}")
    for name, command in commands.items():
        count, heavy = _imports(command, env)
        goal = GOALS.get(name)
        verdict = "" if goal is None else f"  goal <= {goal:.0f}x: "
        if goal is not None:
            verdict += "met" if medians[name] / baseline <= goal else "MISSED"
        print(
            f"{name:34s} {medians[name] * 1000:7.0f} ms  {medians[name] / baseline:5.2f}x  "
            f"{count:5d} modules{verdict}"
        )
        if heavy:
            print(f"{'':34s} loads {', '.join(heavy)}")


if __name__ == "__main__":
    main()
