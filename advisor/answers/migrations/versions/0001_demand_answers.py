"""Create demand_answers: the opt-in client answers.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "demand_answers",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("weights", sa.JSON(), nullable=False),
        sa.Column("preset", sa.String(40), nullable=True),
        sa.Column("certainty", sa.String(10), nullable=False),
        sa.Column("result", sa.String(40), nullable=False),
        sa.Column("sent_hour", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_demand_answers_sent_hour", "demand_answers", ["sent_hour"])


def downgrade() -> None:
    op.drop_index("ix_demand_answers_sent_hour", table_name="demand_answers")
    op.drop_table("demand_answers")
