"""Generations say how many of their submissions the host may have billed twice.

``possible_duplicates``: submissions beyond one that the image host may also have accepted —
sent again after an answer that left acceptance unknown, which only
``LIGHTRIG_<BACKEND>_RESUBMIT_UNKNOWN`` allows. 0 for records made before this revision.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the column."""
    with op.batch_alter_table("generations") as batch:
        batch.add_column(
            sa.Column("possible_duplicates", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    """Back to 0004: the count is dropped."""
    with op.batch_alter_table("generations") as batch:
        batch.drop_column("possible_duplicates")
