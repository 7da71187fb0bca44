"""Verification: read the light back out of a picture and score it against a setup."""

from __future__ import annotations

from fastapi import APIRouter, Request

from lightrig.api.cpu_pool import BUSY_RESPONSES, CpuPool, admitted
from lightrig.api.deps import CurrentUser, Service
from lightrig.api.pictures import invalid, picture_bytes
from lightrig.api.problems import PROBLEM_RESPONSES
from lightrig.api.schemas import MatchRequest, VerifyRequest
from lightrig.errors import InvalidLightingSetupError
from lightrig.models.scene import SceneRequest
from lightrig.presets import PRESETS
from lightrig.verify.match import MatchedSetup
from lightrig.verify.models import VerificationReport

__all__ = ["router"]

router = APIRouter(prefix="/v1", tags=["verification"], responses=PROBLEM_RESPONSES)


def _reference(body: VerifyRequest) -> SceneRequest | None:
    if body.preset is None:
        return body.request
    preset = PRESETS.get(body.preset)
    if preset is None:
        raise invalid("body.preset", f"no preset {body.preset!r}; presets: {', '.join(PRESETS)}")
    return preset.request()


@router.post(
    "/verify",
    response_model=VerificationReport,
    summary="Check a picture's light",
    responses=BUSY_RESPONSES,
)
async def verify(
    body: VerifyRequest, user: CurrentUser, service: Service, http: Request
) -> VerificationReport:
    """The light read back from the picture — key side and direction, ratio, colour
    temperature, shadow hardness, each with a confidence — and, given a scene request or a
    preset, how well the picture follows it (per attribute and overall, 0–1, with findings in
    words). The reference is the preview render of the request, read the same way."""
    reference = _reference(body)
    picture = picture_bytes(body.image)
    pool: CpuPool | None = http.app.state.cpu_pool
    try:
        # the verifier runs its estimate in threads of its own: the pool admits it, or sheds it
        return await admitted(
            pool, lambda: service.verify_image(picture, reference, encoding=body.encoding)
        )
    except InvalidLightingSetupError as exc:  # the bytes are not a picture it can read
        raise invalid("body.image", "; ".join(e.message for e in exc.errors)) from None


@router.post(
    "/match",
    response_model=MatchedSetup,
    summary="Match a reference picture's light",
    responses=BUSY_RESPONSES,
)
async def match(
    body: MatchRequest, user: CurrentUser, service: Service, http: Request
) -> MatchedSetup:
    """The scene request that reproduces the reference picture's light: the key where the light
    was read, sized by the shadows' hardness and coloured as the lit skin shows; a fill solved
    for the ratio read; each part with the confidence of its reading (``parts``) and what the
    picture does not tell (``notes``). 422 names ``body.image`` when it is not a picture or
    shows no face whose light can be read."""
    picture = picture_bytes(body.image)
    pool: CpuPool | None = http.app.state.cpu_pool
    try:
        return await admitted(pool, lambda: service.match_lighting(picture, encoding=body.encoding))
    except InvalidLightingSetupError as exc:
        raise invalid("body.image", "; ".join(e.message for e in exc.errors)) from None
