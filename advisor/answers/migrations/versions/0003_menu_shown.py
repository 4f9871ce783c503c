"""Create clinic_menu_options: whether clients see the saved menu (one row; none means shown),
and the hour the saved menu last changed.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_table(
        "clinic_menu_options",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("shown", sa.Boolean(), nullable=False),
        sa.Column("changed_hour", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("clinic_menu_options")
