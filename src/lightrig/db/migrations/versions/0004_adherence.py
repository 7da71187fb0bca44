"""Generations keep how well their image follows the requested light.

``adherence``: the verifier's scores for the image (lightrig.verify), a JSON document (JSONB on
PostgreSQL); null for records made before this revision and for images not checked.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON(none_as_null=True).with_variant(
        postgresql.JSONB(none_as_null=True), "postgresql"
    )


def upgrade() -> None:
    """Add the column."""
    with op.batch_alter_table("generations") as batch:
        batch.add_column(sa.Column("adherence", _json(), nullable=True))


def downgrade() -> None:
    """Back to 0003: the scores are dropped."""
    with op.batch_alter_table("generations") as batch:
        batch.drop_column("adherence")
