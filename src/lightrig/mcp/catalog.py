"""What the MCP server offers beside its tools: the presets and the vocabulary as resources, and
the prompt that plans the light for a picture.

* ``lightrig://presets`` — every preset (name, title, description, pattern, scene request);
  ``lightrig://presets/{name}`` — one;
* ``lightrig://vocabulary`` — the words lightrig reads and writes (roles, modifiers, gels,
  patterns, light sources, colour names), the ranges it accepts and the diagram's conventions:
  the document ``GET /v1/conventions`` serves (:func:`lightrig.conventions.conventions`);
* the prompt ``plan_light`` — "plan the light for …": the steps an agent takes with the tools.
"""

from __future__ import annotations

import json
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceNotFoundError

from lightrig.api.preset_out import preset_out
from lightrig.conventions import conventions
from lightrig.presets import PRESETS

__all__ = ["register_catalog"]

_JSON = "application/json"

#: The steps of a plan, in the order an agent takes them; ``{subject}`` and ``{look}`` are
#: filled in.
_PLAN = """\
Plan the studio light for {subject}{look}, with lightrig's tools:

1. Start from words or a preset: call translate_words with the look in words (or list_presets
   and get_preset for a named setup such as rembrandt, loop or butterfly). Note what was
   understood, ignored and assumed.
2. Call analyze_setup on the setup: read its ratio in stops, pattern, colour, shadows, mood,
   rating and warnings. Adjust the lights (azimuth, elevation, intensity, modifier, colour)
   until the analysis says what the picture needs, analysing again after each change.
3. Look at it: render_preview shows the lit bust, render_diagram the plan from above.
4. Call fibo_prompt to see the structured prompt FIBO will be sent.
5. Generate with generate, passing a gate (e.g. min_adherence 0.7, max_attempts 3) so that an
   image whose light falls short is made again; read the adherence it reports.
6. To match a reference photo instead, call match_reference on it and start from that setup;
   to re-light a photo, call relight_photo. Check a picture's light with verify_picture.

Explain the final setup in a photographer's terms: each light, where it is and why.
"""


def register_catalog(server: MCPServer[Any]) -> None:
    """Add the resources and the prompt to ``server``."""

    @server.resource(
        "lightrig://presets",
        name="presets",
        title="Lighting presets",
        description="Every built-in lighting setup, with its scene request.",
        mime_type=_JSON,
    )
    def presets() -> str:
        return json.dumps([preset_out(p).model_dump(mode="json") for p in PRESETS.values()])

    @server.resource(
        "lightrig://presets/{name}",
        name="preset",
        title="A lighting preset",
        description="One built-in lighting setup by name, with its scene request.",
        mime_type=_JSON,
    )
    def preset(name: str) -> str:
        found = PRESETS.get(name)
        if found is None:
            raise ResourceNotFoundError(f"no preset {name!r}; presets: {', '.join(PRESETS)}")
        return preset_out(found).model_dump_json()

    @server.resource(
        "lightrig://vocabulary",
        name="vocabulary",
        title="The vocabulary of light",
        description="The words lightrig reads and writes — roles, modifiers and their sizes, "
        "gels, patterns, light sources, colour names — the ranges it accepts and the "
        "diagram's conventions.",
        mime_type=_JSON,
    )
    def vocabulary() -> str:
        return conventions().model_dump_json()

    @server.prompt(
        name="plan_light",
        title="Plan the light for…",
        description="Plan the studio light for a subject and a look, step by step with the "
        "tools: words or a preset, analysis, preview, prompt, and a gated generation.",
    )
    def plan_light(subject: str, look: str = "") -> str:
        told = f" ({look.strip()})" if look.strip() else ""
        return _PLAN.format(subject=subject.strip() or "a portrait", look=told)
