"""The initial schema: users, API keys, batches and generations.

Revision ID: 0001
Revises:
Create Date: 2026-05-09
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine[Any]:
    return sa.JSON(none_as_null=True).with_variant(
        postgresql.JSONB(none_as_null=True), "postgresql"
    )


def _ordered_json() -> sa.types.TypeEngine[Any]:
    return sa.JSON(none_as_null=True)


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    """Create the four tables and their indexes."""
    op.create_table(
        "users",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("revoked_at", _utc(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("name", name=op.f("uq_users_name")),
    )
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("user_id", sa.String(36), nullable=False),
        sa.Column("prefix", sa.String(16), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("revoked_at", _utc(), nullable=True),
        sa.Column("last_used_at", _utc(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_api_keys_user_id_users"),
            ondelete="CASCADE",
        ),
    )
    op.create_index(op.f("ix_api_keys_user_id"), "api_keys", ["user_id"])
    op.create_index(op.f("ix_api_keys_key_hash"), "api_keys", ["key_hash"], unique=True)
    op.create_table(
        "batches",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("user_id", sa.String(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("completed_at", _utc(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batches")),
        sa.CheckConstraint("total >= 0", name=op.f("ck_batches_total")),
    )
    op.create_index(op.f("ix_batches_user_id"), "batches", ["user_id"])
    op.create_table(
        "generations",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("user_id", sa.String(), nullable=True),
        sa.Column("image_url", sa.Text(), nullable=True),
        sa.Column("image_key", sa.String(), nullable=True),
        sa.Column("media_type", sa.String(), nullable=True),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("structured_prompt", _ordered_json(), nullable=True),
        sa.Column("request", _json(), nullable=True),
        sa.Column("analysis", _json(), nullable=True),
        sa.Column("backend", sa.String(), nullable=True),
        sa.Column("backend_request_id", sa.String(), nullable=True),
        sa.Column("seed", sa.BigInteger(), nullable=True),
        sa.Column("params", _ordered_json(), nullable=True),
        sa.Column("cost_usd", sa.Float(), nullable=True),
        sa.Column("duration_s", sa.Float(), nullable=True),
        sa.Column("cached", sa.Boolean(), nullable=False),
        sa.Column("parent_id", sa.String(), nullable=True),
        sa.Column("batch_id", sa.String(), nullable=True),
        sa.Column("batch_index", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("completed_at", _utc(), nullable=True),
        sa.Column("started_at", _utc(), nullable=True),
        sa.Column("lease_expires_at", _utc(), nullable=True),
        sa.Column("worker", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_generations")),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_generations_batch_id_batches")
        ),
        sa.CheckConstraint(
            "status IN ('queued', 'running', 'success', 'error', 'interrupted')",
            name=op.f("ck_generations_status"),
        ),
        sa.CheckConstraint("batch_index >= 0", name=op.f("ck_generations_batch_index")),
    )
    op.create_index(op.f("ix_generations_created_at"), "generations", ["created_at"])
    op.create_index(op.f("ix_generations_image_key"), "generations", ["image_key"])
    op.create_index(
        op.f("ix_generations_user_id_created_at"), "generations", ["user_id", "created_at"]
    )
    op.create_index(
        op.f("ix_generations_status_lease_expires_at"),
        "generations",
        ["status", "lease_expires_at"],
    )
    op.create_index(
        op.f("ix_generations_batch_id_batch_index"), "generations", ["batch_id", "batch_index"]
    )


def downgrade() -> None:
    """Drop everything :func:`upgrade` made."""
    op.drop_table("generations")
    op.drop_table("batches")
    op.drop_table("api_keys")
    op.drop_table("users")
