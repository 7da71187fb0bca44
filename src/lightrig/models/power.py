"""A light's stated power: a strobe's energy or guide number, or a continuous source's lux."""

from __future__ import annotations

from typing import Annotated, Any, Self

from pydantic import ConfigDict, Field, GetJsonSchemaHandler, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from lightrig.lighting.power import PowerKind
from lightrig.models.base import RequestModel
from lightrig.models.values import NUMBER

__all__ = ["LightPower"]

_KINDS = tuple(kind.value for kind in PowerKind)


class LightPower(RequestModel):
    """What the light puts out at full power; give exactly one of the three.

    ``intensity`` on the light is then the power setting: the fraction of this (0.25 = 1/4
    power, two stops under full). See :mod:`lightrig.lighting.power` for how each is turned
    into exposure and the modifiers' efficiencies.
    """

    model_config = ConfigDict(extra="forbid")

    watt_seconds: Annotated[
        float | None,
        Field(
            ge=1.0,
            le=20000.0,
            description=(
                "A strobe's energy in watt-seconds (joules), 1–20000; its modifier's on-axis "
                "efficiency is applied (a softbox costs about 2.2 stops against a standard "
                "reflector)."
            ),
        ),
        NUMBER,
    ] = None
    guide_number: Annotated[
        float | None,
        Field(
            ge=1.0,
            le=500.0,
            description=(
                "A strobe's guide number in metres at ISO 100 through its modifier, 1–500 "
                "(GN = distance × f-number at full power)."
            ),
        ),
        NUMBER,
    ] = None
    lux_at_1m: Annotated[
        float | None,
        Field(
            ge=1.0,
            le=1_000_000.0,
            description=(
                "A continuous source's illuminance at 1 m through its modifier, lux, 1–1000000 "
                "(for ambient light: the illuminance everywhere on the subject)."
            ),
        ),
        NUMBER,
    ] = None

    @classmethod
    def __get_pydantic_json_schema__(
        cls, core_schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        """The schema says "exactly one of the three" (a number, not null)."""
        schema = handler(core_schema)
        if handler.mode != "validation":
            return schema
        found = handler.resolve_ref_schema(schema)
        found["oneOf"] = [
            {"required": [kind], "properties": {kind: {"type": "number"}}} for kind in _KINDS
        ]
        return schema

    @model_validator(mode="after")
    def _one(self) -> Self:
        given = [kind for kind in _KINDS if getattr(self, kind) is not None]
        if len(given) != 1:
            got = "none" if not given else " and ".join(given)
            raise ValueError(f"give exactly one of {', '.join(_KINDS)}; got {got}")
        return self

    @property
    def kind(self) -> PowerKind:
        """Which of the three is given."""
        for kind in PowerKind:
            if getattr(self, kind.value) is not None:
                return kind
        raise AssertionError("validated power states one kind")  # pragma: no cover

    @property
    def value(self) -> float:
        """The number given (watt-seconds, metres or lux)."""
        found: Any = getattr(self, self.kind.value)
        return float(found)

    @property
    def is_continuous(self) -> bool:
        """Whether the light shines continuously (stated in lux)."""
        return self.kind is PowerKind.LUX_AT_1M
