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


def test_package_docstring_is_a_tour_that_runs() -> None:
    """``help(lightrig)`` opens with a tour: its example runs, and every name, module and
    setting it mentions exists."""
    import importlib
    import textwrap

    import lightrig
    from lightrig.config import Settings

    doc = lightrig.__doc__ or ""
    example = textwrap.dedent(doc.split("::\n\n", 1)[1].split("\n\n**", 1)[0])
    out = StringIO()
    with redirect_stdout(out):
        exec(compile(example, "lightrig.__doc__", "exec"), {})  # our own docstring
    summary, prompt = out.getvalue().splitlines()
    assert summary.startswith("rembrandt")
    assert prompt.startswith('{"short_description":')
    for name in re.findall(r":(?:class|func):`(\w+)`", doc):
        assert getattr(lightrig, name) is not None, name
    for module in re.findall(r":mod:`([\w.]+)`|``(lightrig\.[a-z_.]+)", doc):
        path = next(part for part in module if part).rstrip(".")
        while True:
            try:
                importlib.import_module(path)
                break
            except ModuleNotFoundError:  # a function or class inside the module
                path = path.rsplit(".", 1)[0]
                assert "." in path, module
    fields = {f"LIGHTRIG_{name.upper()}" for name in Settings.model_fields}
    for variable in re.findall(r"``(LIGHTRIG_[A-Z_]+)``", doc):
        assert variable in fields, variable
    for method in re.findall(r"``(\w+)``", doc.split("**Generating.**")[1].split("**")[0]):
        if method.islower() and "_" in method:
            assert hasattr(lightrig.LightingGenerationService, method), method
