"""``GET /v1/backends``: the image backends this server can run, which one runs when a request
names none, what each costs per image, whether it is set up, and which settings set it up — so
the studio can say, before anything is generated, where and at what price an image will be made.

Credentials are never shown: only whether one is set.
"""

from __future__ import annotations

from importlib.util import find_spec
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from lightrig.api.deps import CurrentUser, Service
from lightrig.api.problems import PROBLEM_RESPONSES
from lightrig.backends.served import served_models
from lightrig.config import BACKENDS, BackendName, Settings
from lightrig.lighting.vocabulary import FIBO_MODELS
from lightrig.models.params import FiboModel

__all__ = ["BackendOut", "BackendsOut", "ModelOut", "router"]

router = APIRouter(prefix="/v1", tags=["generations"], responses=PROBLEM_RESPONSES)

#: What each backend is, in a few words.
_WHAT: dict[str, str] = {
    "preview": "lightrig's own renderer: a lit bust, not FIBO",
    "bria": "FIBO on Bria's platform API",
    "fal": "FIBO on fal.ai's queue",
    "diffusers": "FIBO run on this machine (BriaFiboPipeline)",
}
#: The settings that set each backend up (environment variables, or lines of ``.env``).
_SETTINGS: dict[str, tuple[str, ...]] = {
    "preview": (),
    "bria": ("LIGHTRIG_BRIA_API_TOKEN", "LIGHTRIG_BRIA_BASE_URL", "LIGHTRIG_FIBO_MODEL"),
    "fal": (
        "LIGHTRIG_FAL_KEY",
        "LIGHTRIG_FAL_MODEL",
        "LIGHTRIG_FAL_EDIT_MODEL",
        "LIGHTRIG_FIBO_MODEL",
    ),
    "diffusers": (
        "LIGHTRIG_DIFFUSERS_MODEL",
        "LIGHTRIG_DIFFUSERS_EDIT_MODEL",
        "LIGHTRIG_DIFFUSERS_DEVICE",
    ),
}
#: How to make each backend ready when it is not.
_SETUP: dict[str, str] = {
    "preview": "",
    "bria": "set LIGHTRIG_BRIA_API_TOKEN to a Bria API token and restart the server",
    "fal": "set LIGHTRIG_FAL_KEY to a fal.ai key and restart the server",
    "diffusers": "pip install 'lightrig[local]' on the server, and set LIGHTRIG_DIFFUSERS_MODEL "
    "to a Hub id or folder (default briaai/FIBO)",
}


class ModelOut(BaseModel):
    """A FIBO model a backend serves, and its price there."""

    model_config = ConfigDict(frozen=True)

    name: FiboModel
    title: Annotated[str, Field(description="The model as its host names it.")]
    description: Annotated[str, Field(description="What it is, in a few words.")]
    price_usd: Annotated[
        float,
        Field(
            ge=0.0,
            description="US dollars per image of this model here (LIGHTRIG_PRICES_USD's "
            "backend:model entry, else the backend's).",
        ),
    ]
    edits: Annotated[bool, Field(description="Photos are re-lit with it here too.")]
    default: Annotated[
        bool, Field(description="A request naming no model gets it (LIGHTRIG_FIBO_MODEL).")
    ]


class BackendOut(BaseModel):
    """One image backend as this server has it."""

    model_config = ConfigDict(frozen=True)

    name: BackendName
    description: Annotated[str, Field(description="What it is, in a few words.")]
    default: Annotated[
        bool, Field(description="It runs when a request names no backend (LIGHTRIG_BACKEND).")
    ]
    price_usd: Annotated[
        float,
        Field(
            ge=0.0,
            description="US dollars per image of the default model (LIGHTRIG_PRICES_USD).",
        ),
    ]
    models: Annotated[
        list[ModelOut],
        Field(
            description="The FIBO models it serves with these settings, each with its price "
            "(the preview renders the same for any)."
        ),
    ]
    background: Annotated[
        bool, Field(description="It runs as a job (202, poll it); otherwise it answers at once.")
    ]
    configured: Annotated[
        bool,
        Field(
            description="Its credential is set (Bria, fal.ai) or its packages are installed "
            "(diffusers); the preview always is. Whether the host accepts the credential is "
            "/readyz's to say."
        ),
    ]
    settings: Annotated[
        list[str], Field(description="The LIGHTRIG_ settings that set it up (may be empty).")
    ]
    setup: Annotated[str, Field(description="What to do to set it up; empty when configured.")]


class BackendsOut(BaseModel):
    """The server's image backends and its default."""

    model_config = ConfigDict(frozen=True)

    default: Annotated[BackendName, Field(description="The backend a request naming none gets.")]
    backends: list[BackendOut]


def _configured(name: str, settings: Settings) -> bool:
    """Whether ``name`` has what it needs to run, as far as can be known without calling it."""
    if name == "bria":
        return settings.bria_api_token is not None
    if name == "fal":
        return settings.fal_key is not None
    if name == "diffusers":
        return find_spec("diffusers") is not None and find_spec("torch") is not None
    return True


def _models(name: str, settings: Settings) -> list[ModelOut]:
    """The models ``name`` serves with ``settings``, priced."""
    served = served_models(name, settings)
    return [
        ModelOut(
            name=model.name,
            title=model.title,
            description=model.about,
            price_usd=settings.price_of(name, model.name),
            edits=model.name in served.edit_models,
            default=model.name == settings.fibo_model,
        )
        for model in FIBO_MODELS
        if model.name in served.models
    ]


def backends_of(settings: Settings) -> BackendsOut:
    """Every backend in ``settings``' terms: the default, prices, and whether it is set up."""
    found = []
    for name in BACKENDS:
        configured = _configured(name, settings)
        found.append(
            BackendOut(
                name=name,
                description=_WHAT[name],
                default=name == settings.backend,
                price_usd=settings.price_of(name, settings.fibo_model),
                models=_models(name, settings),
                background=name != "preview",
                configured=configured,
                settings=list(_SETTINGS[name]),
                setup="" if configured else _SETUP[name],
            )
        )
    return BackendsOut(default=settings.backend, backends=found)


@router.get("/backends", response_model=BackendsOut, summary="The image backends and prices")
async def list_backends(user: CurrentUser, service: Service) -> BackendsOut:
    """Which backend runs when a request names none, each backend's price per image (US
    dollars) and the FIBO models it serves with theirs, whether it runs at once or as a job,
    and whether it is set up — with the settings that set it up. Credentials are never
    shown."""
    return backends_of(service.settings)
