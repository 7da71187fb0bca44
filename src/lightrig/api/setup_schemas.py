"""The bodies of the saved-setups API (``/v1/setups``, ``/v1/shared``): what is sent to save
or rename a setup, and what is answered — a setup with its request, a new share link, and the
little a share link shows (the name and the light; never the owner nor the setup's id)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from lightrig.db.base import MAX_SETUP_NAME, SETUP_NAME_PATTERN, SavedSetup, setup_name_problem
from lightrig.models.base import RequestModel
from lightrig.models.scene import SceneRequest
from lightrig.models.values import SWITCH

__all__ = [
    "SetupName",
    "SetupOut",
    "SetupRename",
    "SetupSave",
    "SetupShareOut",
    "SharedSetupOut",
    "setup_out",
]


def _named(value: str) -> str:
    problem = setup_name_problem(value)
    if problem is not None:
        raise ValueError(problem)
    return value


#: A setup's name as a body gives it: checked by the rule the store keeps, which the schema
#: states (its length, and the pattern: no control character, no white space at either end).
SetupName = Annotated[
    str,
    AfterValidator(_named),
    Field(
        description=f"The setup's name, unique among yours: 1-{MAX_SETUP_NAME} characters, "
        "without control characters or white space at either end.",
        examples=["Portrait, warm key"],
        json_schema_extra={
            "minLength": 1,
            "maxLength": MAX_SETUP_NAME,
            "pattern": SETUP_NAME_PATTERN,
        },
    ),
]


class SetupSave(RequestModel):
    """A setup to keep under a name."""

    model_config = ConfigDict(extra="forbid")

    name: SetupName
    request: Annotated[
        SceneRequest,
        Field(description="The scene request (or its lighting setup alone, keyed by role)."),
    ]
    overwrite: Annotated[
        bool,
        Field(
            description="Save over your setup of this name (it keeps its id and share links); "
            "false: a name in use is refused with 409."
        ),
        SWITCH,
    ] = False


class SetupRename(RequestModel):
    """A new name for a saved setup."""

    model_config = ConfigDict(extra="forbid")

    name: SetupName


class SetupOut(BaseModel):
    """A saved setup."""

    setup_id: Annotated[str, Field(description="The setup's id.")]
    name: Annotated[str, Field(description="Its name, unique among yours.")]
    request: SceneRequest
    created_at: Annotated[datetime, Field(description="When it was first saved (UTC).")]
    updated_at: Annotated[datetime, Field(description="When it was last saved or renamed (UTC).")]
    shared: Annotated[bool, Field(description="Whether a share link to it works now.")]


def setup_out(setup: SavedSetup) -> SetupOut:
    """The API's view of a :class:`~lightrig.db.base.SavedSetup`."""
    return SetupOut(
        setup_id=setup.id,
        name=setup.name,
        request=setup.request,
        created_at=setup.created_at,
        updated_at=setup.updated_at,
        shared=setup.shared,
    )


class SetupShareOut(BaseModel):
    """A new read-only link to a saved setup. The token is shown this once: only its hash is
    kept, so a lost link cannot be shown again (make another)."""

    setup_id: Annotated[str, Field(description="The setup it opens.")]
    token: Annotated[str, Field(description="The link's secret: lrs_ and 43 characters.")]
    url: Annotated[str, Field(description="The studio opening the setup, on this server.")]
    api_path: Annotated[
        str, Field(description="Where the setup is read without a key: /v1/shared/{token}.")
    ]
    created_at: Annotated[datetime, Field(description="When the link was made (UTC).")]


class SharedSetupOut(BaseModel):
    """What a share link shows: the setup's name and light, and nothing of its owner."""

    name: Annotated[str, Field(description="The setup's name.")]
    request: SceneRequest
    updated_at: Annotated[datetime, Field(description="When it was last saved (UTC).")]
