"""Background generations become jobs a fleet of workers can take, retry and take over.

A ``retrying`` status (waiting to run again after its worker died or its host failed in a
way worth retrying); ``attempts`` (runs started); ``job`` (added as queued: run by the job
queue, so a worker may take it over when its lease runs out, where a generation someone waits
for is declared interrupted instead); ``due_at`` (when a waiting job was last handed to the
queue, or when a retrying one may run again, UTC). Records queued before this revision are
jobs.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BEFORE = ("queued", "running", "success", "error", "interrupted")
_AFTER = (*_BEFORE, "retrying")


def _status_check(statuses: tuple[str, ...]) -> str:
    return "status IN (" + ", ".join(f"'{status}'" for status in statuses) + ")"


def upgrade() -> None:
    """Add the columns, widen the status check, mark waiting records as jobs."""
    with op.batch_alter_table("generations") as batch:
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("job", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("due_at", sa.DateTime(timezone=True), nullable=True))
        batch.drop_constraint(op.f("ck_generations_status"), type_="check")
        batch.create_check_constraint(op.f("ck_generations_status"), _status_check(_AFTER))
        batch.create_index(op.f("ix_generations_job_status_due_at"), ["job", "status", "due_at"])
    generations = sa.table(
        "generations",
        sa.column("status", sa.String()),
        sa.column("job", sa.Boolean()),
        sa.column("attempts", sa.Integer()),
        sa.column("started_at", sa.DateTime(timezone=True)),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("due_at", sa.DateTime(timezone=True)),
    )
    op.execute(
        generations.update()
        .where(generations.c.status == "queued")
        .values(job=True, due_at=generations.c.created_at)
    )
    op.execute(generations.update().where(generations.c.started_at.is_not(None)).values(attempts=1))


def downgrade() -> None:
    """Back to 0002: retrying records become queued again."""
    generations = sa.table("generations", sa.column("status", sa.String()))
    op.execute(
        generations.update().where(generations.c.status == "retrying").values(status="queued")
    )
    with op.batch_alter_table("generations") as batch:
        batch.drop_index(op.f("ix_generations_job_status_due_at"))
        batch.drop_constraint(op.f("ck_generations_status"), type_="check")
        batch.create_check_constraint(op.f("ck_generations_status"), _status_check(_BEFORE))
        batch.drop_column("due_at")
        batch.drop_column("job")
        batch.drop_column("attempts")
