"""What the routes ask for: the service, and the user a request is served for (authenticated
and within their rate limit)."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from lightrig.api.auth import Authenticator, Principal
from lightrig.api.problems import ProblemError
from lightrig.limits.base import RateLimiter
from lightrig.service import LightingGenerationService

__all__ = [
    "CurrentUser",
    "PreviewUser",
    "Service",
    "UserRateLimit",
    "current_previewer",
    "current_user",
    "service_of",
]


def service_of(request: Request) -> LightingGenerationService:
    """The app's service."""
    service: LightingGenerationService = request.app.state.service
    return service


class UserRateLimit:
    """Each user's budget of requests: ``per_minute`` in the long run, ``burst`` at once,
    shared by every server process when the limiter is on Redis. ``name``: the budget's name
    (its policy's and its key's); ``what``: what it counts, as its 429 says it."""

    def __init__(
        self,
        limiter: RateLimiter,
        *,
        per_minute: int,
        burst: int,
        name: str = "per-user",
        what: str = "requests",
    ) -> None:
        self.limiter = limiter
        self.per_minute = per_minute
        self.burst = burst
        self.name = name
        self.what = what
        self.policy = f'"{name}";q={per_minute};w=60;burst={burst}'

    async def check(self, principal: Principal) -> None:
        """Take a request from ``principal``'s budget, or answer 429 with ``Retry-After``."""
        prefix = "api" if self.name == "per-user" else f"api-{self.name}"
        wait = await self.limiter.try_acquire(
            f"{prefix}:{principal.user_id}", self.per_minute, burst=self.burst
        )
        if wait > 0.0:
            seconds = max(1, math.ceil(wait))
            raise ProblemError(
                429,
                f"rate limit reached: {self.per_minute} {self.what} a minute, {self.burst} at "
                f"once; try again in {seconds} s",
                headers={
                    "Retry-After": str(seconds),
                    "RateLimit-Policy": self.policy,
                    "RateLimit": f'"{self.name}";r=0;t={seconds}',
                },
            )


#: The API key as the OpenAPI document names it (``Authorization: Bearer <key>``): a
#: declaration only — :class:`~lightrig.api.auth.Authenticator` reads the header and answers.
_API_KEY = HTTPBearer(
    scheme_name="apiKey",
    description="An API key from `lightrig users create`, sent as `Authorization: Bearer <key>`.",
    auto_error=False,
)


async def current_user(
    request: Request,
    _declared: Annotated[HTTPAuthorizationCredentials | None, Security(_API_KEY)],
) -> Principal:
    """The authenticated user, within their rate limit (401 / 429 otherwise)."""
    authenticator: Authenticator = request.app.state.authenticator
    principal = await authenticator(request)
    limit: UserRateLimit = request.app.state.rate_limit
    await limit.check(principal)
    return principal


async def current_previewer(
    request: Request,
    _declared: Annotated[HTTPAuthorizationCredentials | None, Security(_API_KEY)],
) -> Principal:
    """The authenticated user, within their budget of live previews (401 / 429 otherwise):
    a studio drag asks for 10–20 frames a second, more than the general budget allows, so
    previews have one of their own."""
    authenticator: Authenticator = request.app.state.authenticator
    principal = await authenticator(request)
    limit: UserRateLimit = request.app.state.preview_rate_limit
    await limit.check(principal)
    return principal


Service = Annotated[LightingGenerationService, Depends(service_of)]
CurrentUser = Annotated[Principal, Depends(current_user)]
PreviewUser = Annotated[Principal, Depends(current_previewer)]
