"""Create clinic_menu: the owner's own services, saved once the page is unlocked.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    op.create_table(
        "clinic_menu",
        sa.Column("position", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("fits", sa.JSON(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("clinic_menu")
