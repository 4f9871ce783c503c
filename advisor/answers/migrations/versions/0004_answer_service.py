"""Add demand_answers.service: the clinic's service a client matched best, kept as its name.

An answer keeps the name it was matched to when the menu changes later; answers sent before
this column (or while no menu was shown) have none.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    with op.batch_alter_table("demand_answers") as batch:
        batch.add_column(sa.Column("service", sa.String(60), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("demand_answers") as batch:
        batch.drop_column("service")
