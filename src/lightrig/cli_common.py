"""What the command line's commands share: the bad-input error, JSON output, the console, the
``--json`` option and the settings with command-line overrides."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from lightrig.config import BACKENDS, Settings
from lightrig.models.generation import GenerationResponse
from lightrig.translate.factory import TRANSLATORS

__all__ = [
    "BadInputError",
    "JsonOption",
    "new_console",
    "print_json",
    "result_json",
    "settings_for",
]

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


class BadInputError(Exception):
    """Input the user must fix; its message is the one line the CLI prints (exit code 2)."""


def new_console() -> Console:
    """The console results are printed on."""
    return Console(soft_wrap=False)


def print_json(value: Any) -> None:
    """``value`` as indented JSON on standard output."""
    sys.stdout.write(json.dumps(value, indent=2, ensure_ascii=False) + "\n")


def result_json(result: GenerationResponse, file: Path | None = None) -> dict[str, Any]:
    """A generation for scripts: the record without the bulky request and analysis, the
    analyzer's pattern names, and the file it was copied to."""
    data = result.model_dump(mode="json", exclude={"analysis", "request"})
    data["pattern_names"] = result.analysis.pattern_names if result.analysis else None
    data["file"] = None if file is None else str(file)
    return data


def settings_for(backend: str | None = None, translator: str | None = None) -> Settings:
    """The settings from the environment, with a backend or translator named on the command
    line instead (checked)."""
    settings = Settings()
    if backend is not None and backend not in BACKENDS:
        raise BadInputError(f"unknown backend {backend!r}; backends: {', '.join(BACKENDS)}")
    if translator is not None and translator not in TRANSLATORS:
        raise BadInputError(
            f"unknown translator {translator!r}; translators: {', '.join(TRANSLATORS)}"
        )
    update = {"backend": backend, "translator": translator}
    return settings.model_copy(update={k: v for k, v in update.items() if v is not None})
