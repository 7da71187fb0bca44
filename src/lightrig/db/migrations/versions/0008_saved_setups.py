"""Users keep lighting setups under names, and share them read-only through links.

``saved_setups``: a setup's owner (the user id requests are served for; not a foreign key, as
for generations), its name (unique per owner), the scene request as validated (a JSON document,
JSONB on PostgreSQL), when it was made and last saved or renamed (UTC; the owner's setups are
listed by the latter, through an index). ``setup_shares``: each read-only link's token as its
SHA-256 (unique, looked up by it), when it was made and revoked; a setup's links go with it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON(none_as_null=True).with_variant(
        postgresql.JSONB(none_as_null=True), "postgresql"
    )


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the two tables and their indexes."""
    op.create_table(
        "saved_setups",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("request", _json(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_setups")),
        sa.UniqueConstraint("user_id", "name", name=op.f("uq_saved_setups_user_id_name")),
    )
    op.create_index(
        op.f("ix_saved_setups_user_id_updated_at"), "saved_setups", ["user_id", "updated_at"]
    )
    op.create_table(
        "setup_shares",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("setup_id", sa.String(36), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("revoked_at", _utc(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_setup_shares")),
        sa.ForeignKeyConstraint(
            ["setup_id"],
            ["saved_setups.id"],
            name=op.f("fk_setup_shares_setup_id_saved_setups"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(op.f("ix_setup_shares_setup_id"), "setup_shares", ["setup_id"])
    op.create_index(op.f("ix_setup_shares_token_hash"), "setup_shares", ["token_hash"], unique=True)


def downgrade() -> None:
    """Back to 0007: every saved setup and link is forgotten."""
    op.drop_table("setup_shares")
    op.drop_table("saved_setups")
