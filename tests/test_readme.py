"""The README's Python example runs and says what the README says it says."""

from __future__ import annotations

import re
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path

import pytest

README = Path(__file__).parent.parent / "README.md"


def test_readme_python_example_runs() -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)
    assert blocks
    out = StringIO()
    with redirect_stdout(out):
        exec(compile(blocks[0], "README.md", "exec"), {})  # runs our own README
    printed = out.getvalue().splitlines()
    assert printed[0].startswith("rembrandt · 4.4:1 (2.1 stops)")
    assert printed[0].endswith("9.5/10")
    assert printed[1].startswith('{"short_description":')


def test_readme_service_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)
    service_example = next(b for b in blocks if "LightingGenerationService" in b)
    monkeypatch.setenv("LIGHTRIG_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("LIGHTRIG_PREVIEW_SIZE", "64")
    out = StringIO()
    with redirect_stdout(out):
        exec(compile(service_example, "README.md", "exec"), {})  # runs our own README
    first, relit, same_seed = out.getvalue().split()
    assert Path(first).is_file()
    assert Path(relit).is_file()
    assert first != relit
    assert same_seed == "True"
