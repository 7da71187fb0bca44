"""Numbers and switches as JSON writes them, for the models' fields.

Pydantic's lax mode reads ``true`` as 1, ``"0.5"`` as 0.5 and ``1`` or ``"yes"`` as true; the
JSON schema of a request says a number or a boolean, so a request that sends anything else is
refused, naming what it got. Put :data:`NUMBER` or :data:`SWITCH` last in a field's
``Annotated`` (``Annotated[float | None, Field(ge=0), NUMBER]``: after the ``Field``, whose
bounds Pydantic then still applies to the number alone); a whole float still fills an integer
field (JSON Schema counts ``2.0`` as an integer).
"""

from __future__ import annotations

from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

__all__ = ["NUMBER", "SWITCH"]


def _number(value: object) -> object:
    if isinstance(value, bool | str):
        # Pydantic's own type: a request model words it with the field's range
        raise PydanticCustomError("float_type", "Input should be a number")
    return value


def _switch(value: object) -> object:
    if not isinstance(value, bool):
        raise PydanticCustomError("bool_type", "Input should be true or false")
    return value


#: A number field takes a number: not a string, not true or false.
NUMBER = BeforeValidator(_number)
#: A switch takes true or false: not 0 or 1, not a string.
SWITCH = BeforeValidator(_switch)
