"""Generations say which adherence gate they are an attempt of.

``gate``: the gate's policy (the bar, the most attempts, the cost cap), a JSON document (JSONB
on PostgreSQL); ``gate_id``: the gate's first attempt's generation id (indexed: a gate's
attempts are looked up by it); ``gate_index``: the attempt's place, from 0. Null for
generations that are not gated, as every record made before this revision is.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON(none_as_null=True).with_variant(
        postgresql.JSONB(none_as_null=True), "postgresql"
    )


def upgrade() -> None:
    """Add the columns, the index on ``gate_id`` and the check on ``gate_index``."""
    with op.batch_alter_table("generations") as batch:
        batch.add_column(sa.Column("gate", _json(), nullable=True))
        batch.add_column(sa.Column("gate_id", sa.String(), nullable=True))
        batch.add_column(sa.Column("gate_index", sa.Integer(), nullable=True))
        batch.create_index(op.f("ix_generations_gate_id"), ["gate_id"])
        batch.create_check_constraint(op.f("ck_generations_gate_index"), "gate_index >= 0")


def downgrade() -> None:
    """Back to 0005: the gates are forgotten (their attempts stay, as plain generations)."""
    with op.batch_alter_table("generations") as batch:
        batch.drop_constraint(op.f("ck_generations_gate_index"), type_="check")
        batch.drop_index(op.f("ix_generations_gate_id"))
        batch.drop_column("gate_index")
        batch.drop_column("gate_id")
        batch.drop_column("gate")
