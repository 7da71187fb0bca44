"""Pictures in request bodies: base64 text (or a base64 ``data:`` URL) to bytes; and the
service's field errors named as the body's fields."""

from __future__ import annotations

import base64
import binascii

from lightrig.api.problems import FieldProblem, ProblemError
from lightrig.errors import InvalidLightingSetupError
from lightrig.service import LightingGenerationService

__all__ = ["checked_model", "in_body", "invalid", "picture_bytes"]


def checked_model(
    service: LightingGenerationService,
    backend: str | None,
    model: str | None,
    *,
    edits: bool = False,
) -> str:
    """The model a request gets on ``backend`` (see
    :meth:`~lightrig.service.LightingGenerationService.check_model`); a 422 naming
    ``body.model`` when the backend does not serve it."""
    try:
        return service.check_model(backend, model, edits=edits)
    except InvalidLightingSetupError as exc:
        raise in_body(exc) from None


def invalid(loc: str, message: str) -> ProblemError:
    """The 422 problem for one field ``loc`` (``body.image``...) and what is wrong with it."""
    return ProblemError(422, f"{loc}: {message}", errors=[FieldProblem(loc=loc, message=message)])


def picture_bytes(text: str, loc: str = "body.image") -> bytes:
    """The bytes of a base64 picture (optionally a ``data:`` URL); a 422 naming ``loc`` for
    text that is not base64."""
    if text.startswith("data:"):
        header, _, text = text.partition(",")
        if not header.endswith(";base64"):
            raise invalid(loc, "a data: URL must be base64 (data:image/png;base64,…)")
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        raise invalid(loc, "not valid base64") from None


def in_body(exc: InvalidLightingSetupError) -> ProblemError:
    """The 422 problem for the service's field errors, each field named as a body field
    (``image`` → ``body.image``)."""
    errors = [
        FieldProblem(loc=f"body.{e.loc}" if e.loc else "body", message=e.message)
        for e in exc.errors
    ]
    detail = "; ".join(f"{e.loc}: {e.message}" for e in errors) or "invalid input"
    return ProblemError(422, detail, errors=errors)
