"""Market dialogue: questionnaire versions (optimistic concurrency for edits) and corrected answers

- `dialogue_questionnaires.version`: bumped on every change; the API's `PATCH` sends it back (or
  `If-Match` with the ETag) so an edit never overwrites a change its author did not see.
- `dialogue_answers.corrected_at` / `correction_note`: a published answer the project group
  corrected, and what it says about the correction, shown to every registered supplier.

Revision ID: 0011_dialogue_corrections
Revises: 0010_deadline_announcements
Create Date: 2026-11-25 22:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0011_dialogue_corrections"
down_revision = "0010_deadline_announcements"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dialogue_questionnaires",
                  sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    op.add_column("dialogue_answers", sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("dialogue_answers",
                  sa.Column("correction_note", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    op.drop_column("dialogue_answers", "correction_note")
    op.drop_column("dialogue_answers", "corrected_at")
    op.drop_column("dialogue_questionnaires", "version")
