"""A fuzz test of the CLI's file inputs (issue 18): whatever a file holds — any JSON shape, nested
thousands deep, in UTF-8, UTF-16, UTF-32 or Latin-1, with or without a byte-order mark, with
bytes that are no text, numbers too long to read, or a scene request built from the real field
names with wrong types, values out of range, NaN, misspelt names — ``analyze``, ``prompt``,
``parse`` and ``render`` answer with their result (exit 0) or one line saying what is wrong
(exit 2), never a traceback.

Hypothesis runs derandomized (the same cases every run) with no deadline; the commands run in
this process through :func:`lightrig.cli.main`, their output captured.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lightrig.cli import main
from lightrig.lighting.roles import LightType
from lightrig.models import CameraSettings, LightSettings, SceneRequest

#: The exit codes a command may end with here: done, or bad input.
ALLOWED_EXITS = (0, 2)

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- what a file may hold ---------------------------------------------------------------------

_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
)
#: Any JSON value (NaN and infinities among the numbers, as Python's json writes them).
JSON_VALUES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
#: Values a user might put in a field: of the wrong type, out of range, the words lightrig reads.
ODD_VALUES = st.one_of(
    _SCALARS,
    st.sampled_from(
        [
            "front",
            "45 degrees camera-left",
            "behind subject, camera-right",
            "overhead",
            "f/2.8",
            "softbox",
            "close-up",
            "bird's eye",
            "#1a1a1a",
            "grey",
            "",
            "   ",
            "\n",
            "0.5",
            "NaN",
        ]
    ),
    st.floats(min_value=-2, max_value=2),
    st.integers(min_value=0, max_value=12000),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _misspelt(names: list[str]) -> st.SearchStrategy[str]:
    """A real name, or one a hand could have typed instead."""
    return st.sampled_from(names).flatmap(
        lambda name: st.sampled_from(
            [
                name,
                name,
                name[:-1],
                name + "s",
                name[1:] + name[:1],
                name.upper(),
                name.replace("_", "-"),
                name.replace("_", " "),
            ]
        )
    )


ROLES = [role.value for role in LightType]
LIGHT_FIELDS = list(LightSettings.model_fields)
CAMERA_FIELDS = list(CameraSettings.model_fields)
SCENE_FIELDS = list(SceneRequest.model_fields)

LIGHTS = st.dictionaries(_misspelt(LIGHT_FIELDS), ODD_VALUES, max_size=6) | st.fixed_dictionaries(
    {"direction": ODD_VALUES, "intensity": ODD_VALUES},
    optional=dict.fromkeys(
        [name for name in LIGHT_FIELDS if name not in ("direction", "intensity")], ODD_VALUES
    ),
)
SETUPS = st.dictionaries(_misspelt(ROLES), LIGHTS | ODD_VALUES, max_size=4)
CAMERAS = st.dictionaries(_misspelt(CAMERA_FIELDS), ODD_VALUES, max_size=5)
#: Scene requests built from the real field names, most of them wrong somewhere; and shorthands.
SCENES = st.one_of(
    st.fixed_dictionaries(
        {"lighting_setup": SETUPS},
        optional={
            "camera_settings": CAMERAS | ODD_VALUES,
            **{name: ODD_VALUES for name in SCENE_FIELDS if name != "lighting_setup"},
        },
    ),
    st.dictionaries(_misspelt(SCENE_FIELDS), SETUPS | CAMERAS | ODD_VALUES, max_size=4),
    SETUPS,
)
#: Structured prompts' shapes, for ``parse``: the ten keys, the lighting text odd.
CAPTIONS = st.fixed_dictionaries(
    {
        "lighting": st.dictionaries(
            st.sampled_from(["conditions", "direction", "shadows"]), ODD_VALUES
        )
    },
    optional={"short_description": ODD_VALUES, "objects": JSON_VALUES, "context": ODD_VALUES},
)


def _deep(depth: int, kind: str) -> str:
    if kind == "lists":
        return "[" * depth + "]" * depth
    if kind == "objects":
        return '{"key": ' * depth + "1" + "}" * depth
    return '{"lighting_setup": {"key": ' + "[" * depth + "]" * depth + "}}"


#: Documents nested from a few to thousands of levels deep.
DEEP_TEXTS = st.builds(
    _deep, st.integers(min_value=1, max_value=6000), st.sampled_from(["lists", "objects", "light"])
)
#: Texts that are no JSON, or JSON Python reads only up to a point (a 5,000-digit number).
ODD_TEXTS = st.one_of(
    st.text(max_size=60),
    st.just('{"key": {"intensity": ' + "1" * 5000 + "}}"),
    st.just('{"key": {"direction": "front", "intensity": 0.8}} trailing'),
    st.just("\ufeff\ufeff{}"),
    st.just(""),
    st.just("{" * 5 + '"'),
)


def _document(value: Any) -> str:
    return json.dumps(value)  # NaN and Infinity written as Python's json writes them


#: How the text is stored: an encoding with or without a byte-order mark.
ENCODINGS = st.sampled_from(
    ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252"]
)


@st.composite
def file_bytes(draw: st.DrawFn, texts: st.SearchStrategy[str]) -> bytes:
    """A text in some encoding, sometimes with bytes that are no text put in or cut off."""
    text = draw(texts)
    data = text.encode(draw(ENCODINGS), errors="replace")
    spoil = draw(st.sampled_from(["none", "none", "insert", "truncate"]))
    if spoil == "insert" and data:
        at = draw(st.integers(min_value=0, max_value=len(data)))
        junk = draw(st.sampled_from([b"\xff", b"\xc3", b"\x00", b"\xed\xa0\x80", b"\x80\x80"]))
        data = data[:at] + junk + data[at:]
    elif spoil == "truncate" and len(data) > 1:
        data = data[: draw(st.integers(min_value=1, max_value=len(data) - 1))]
    return data


# --- running the CLI --------------------------------------------------------------------------


@contextmanager
def a_file(data: bytes, name: str = "setup.json") -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="lightrig-fuzz-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        yield path


def run(*args: str) -> tuple[int, str, str]:
    """``lightrig ARGS`` in this process: its exit code, standard output and standard error."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        else:
            code = 0
    return code, out.getvalue(), err.getvalue()


def assert_no_traceback(args: tuple[str, ...], code: int, out: str, err: str) -> None:
    """Done (0) or bad input (2) told in at most one line; never a traceback."""
    shown = f"lightrig {' '.join(args)} → {code}\nstdout: {out[:500]!r}\nstderr: {err[:2000]!r}"
    assert "Traceback" not in out, shown
    assert "Traceback" not in err, shown
    assert code in ALLOWED_EXITS, shown
    assert err.count("\n") <= 1, shown
    if code == 2:
        assert err.startswith("lightrig: error: "), shown


def check(command: list[str], data: bytes, *extra: str) -> None:
    with a_file(data) as path:
        args = (*command[:1], str(path), *command[1:], *extra)
        assert_no_traceback(args, *run(*args))


def setup_module() -> None:
    # the one switch that would let a traceback through on purpose
    assert not os.environ.get("LIGHTRIG_DEBUG"), "unset LIGHTRIG_DEBUG to run the fuzz test"


SETUP_COMMANDS = st.sampled_from(
    [["analyze"], ["analyze", "--json"], ["prompt"], ["prompt", "--json"]]
)


# --- the tests --------------------------------------------------------------------------------


@FUZZ
@given(command=SETUP_COMMANDS, data=file_bytes(SCENES.map(_document)))
def test_scene_requests_with_wrong_values_never_trace_back(command: list[str], data: bytes) -> None:
    check(command, data)


@FUZZ
@given(command=SETUP_COMMANDS, data=file_bytes(JSON_VALUES.map(_document) | ODD_TEXTS))
def test_any_json_or_none_never_traces_back(command: list[str], data: bytes) -> None:
    check(command, data)


@settings(FUZZ, max_examples=60)
@given(command=SETUP_COMMANDS | st.just(["parse"]), data=file_bytes(DEEP_TEXTS))
def test_deep_nesting_never_traces_back(command: list[str], data: bytes) -> None:
    check(command, data)


@FUZZ
@given(
    command=st.sampled_from([["parse"], ["parse", "--json"]]),
    data=file_bytes(CAPTIONS.map(_document) | JSON_VALUES.map(_document) | ODD_TEXTS),
)
def test_parse_never_traces_back(command: list[str], data: bytes) -> None:
    check(command, data)


@settings(FUZZ, max_examples=40)
@given(data=file_bytes(SCENES.map(_document) | JSON_VALUES.map(_document)))
def test_render_never_traces_back(data: bytes) -> None:
    with tempfile.TemporaryDirectory(prefix="lightrig-fuzz-out-") as out:
        check(["render"], data, "--size", "64", "--out", out, "--json")


def test_the_fuzzed_commands_do_succeed_on_good_input() -> None:
    """The same runs on a good file: exit 0 with output (the fuzz tests above can fail)."""
    good = json.dumps({"key": {"direction": "45 degrees camera-left", "intensity": 0.8}})
    for encoding in ("utf-8", "utf-8-sig"):
        for command in (["analyze", "--json"], ["prompt", "--json"]):
            with a_file(good.encode(encoding)) as path:
                code, out, err = run(command[0], str(path), *command[1:])
            assert code == 0, err
            assert json.loads(out)
    with a_file(b'{"kye": {"intensity": 0.8}}') as path:
        code, out, err = run("analyze", str(path))
    assert code == 2
    assert "unknown role 'kye' (did you mean 'key'?)" in err
    assert err.count("\n") == 1
