"""BPS's SKD block I guestbook categories.

Adds ``occupation_other``, ``disability`` and ``disability_kind`` to visitors
and visits, and moves the categories of existing rows to
the SKD ones with the mapping documented in ``docs/guestbook.md`` so reports
keep counting them. The mapping is frozen here (not read from the data file),
so this migration means the same thing forever.

Revision ID: 0008
Revises: 0005 (assigned 0003; re-chained onto main's head 0005 at the merge)
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0005"
branch_labels = None
depends_on = None

#: old value -> SKD value (age bands: the SKD band holding most of the old band's
#: visitors; see docs/guestbook.md)
MAPPING: dict[str, dict[str, str]] = {
    "age_group": {
        "under_20": "17_25",
        "20_29": "17_25",
        "30_39": "26_34",
        "40_49": "35_44",
        "50_59": "45_54",
        "60_plus": "55_65",
    },
    "education": {"sd": "up_to_slta", "smp": "up_to_slta", "sma": "up_to_slta"},
    "institution_category": {"umum_perorangan": "lainnya"},
}
#: SKD value -> old value, for a downgrade (bands that merged map to one old band)
REVERSE: dict[str, dict[str, str]] = {
    "age_group": {
        "under_17": "under_20",
        "17_25": "20_29",
        "26_34": "30_39",
        "35_44": "40_49",
        "45_54": "50_59",
        "55_65": "60_plus",
        "over_65": "60_plus",
    },
    "education": {"up_to_slta": "sma"},
    "institution_category": {"tni_polri_bin_kejaksaan": "kementerian_lembaga"},
}
TABLES = ("visitors", "visits")


def _new_columns() -> list[sa.Column]:
    return [
        sa.Column("occupation_other", sa.String(length=100), nullable=True),
        sa.Column("disability", sa.String(length=8), nullable=True),
        sa.Column("disability_kind", sa.String(length=16), nullable=True),
    ]


def _remap(mapping: dict[str, dict[str, str]]) -> None:
    for table in TABLES:
        for column, values in mapping.items():
            t = sa.table(table, sa.column(column, sa.String))
            for old, new in values.items():
                op.execute(sa.update(t).where(t.c[column] == old).values({column: new}))


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in _new_columns():
                batch_op.add_column(column)
    _remap(MAPPING)


def downgrade() -> None:
    _remap(REVERSE)
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in reversed(_new_columns()):
                batch_op.drop_column(column.name)
