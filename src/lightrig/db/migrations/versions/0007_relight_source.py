"""Generations that re-light a photograph keep the photograph.

``source_url``, ``source_key``, ``source_media_type``, ``source_width``, ``source_height``
(pixels): the stored photograph a relight edits, kept in image storage like a result; null for
every other generation and for records made before this revision. ``source_key`` is indexed: a
stored image is deleted only when no record uses it, as a result or as a source.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the columns and the index."""
    with op.batch_alter_table("generations") as batch:
        batch.add_column(sa.Column("source_url", sa.Text(), nullable=True))
        batch.add_column(sa.Column("source_key", sa.String(), nullable=True))
        batch.add_column(sa.Column("source_media_type", sa.String(), nullable=True))
        batch.add_column(sa.Column("source_width", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("source_height", sa.Integer(), nullable=True))
        batch.create_index("ix_generations_source_key", ["source_key"])


def downgrade() -> None:
    """Back to 0006: the photographs' records are forgotten (the files stay in storage)."""
    with op.batch_alter_table("generations") as batch:
        batch.drop_index("ix_generations_source_key")
        for column in ("source_height", "source_width", "source_media_type", "source_key"):
            batch.drop_column(column)
        batch.drop_column("source_url")
