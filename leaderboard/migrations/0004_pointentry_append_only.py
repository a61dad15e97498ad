"""The points ledger refuses UPDATE and DELETE in the database (PostgreSQL).

A correction is a new entry with negative points; nothing rewrites or removes an entry. The one
exception is `leaderboard.ledger.erase_entries`, which sets the transaction-local setting
`portal.ledger_erasure = 'on'` for its own DELETE (people erased for good). UPDATE is refused
always. TRUNCATE is not covered: Django's test flush and `manage.py flush` use it, and it needs
the table's owner. SQLite gets nothing here: there the rule holds by convention.
"""

from django.db import migrations

FUNCTION = "leaderboard_pointentry_append_only"

CREATE = [
    f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('portal.ledger_erasure', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION USING
        ERRCODE = 'restrict_violation',
        MESSAGE = TG_OP || ' on leaderboard_pointentry refused: the points ledger is append-only',
        HINT = 'A correction is a new entry with negative points (leaderboard.services).';
END;
$$
""",
    f"DROP TRIGGER IF EXISTS {FUNCTION} ON leaderboard_pointentry",
    f"""
CREATE TRIGGER {FUNCTION}
    BEFORE UPDATE OR DELETE ON leaderboard_pointentry
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()
""",
]

DROP = [
    f"DROP TRIGGER IF EXISTS {FUNCTION} ON leaderboard_pointentry",
    f"DROP FUNCTION IF EXISTS {FUNCTION}()",
]


class PostgreSQLOnly(migrations.RunSQL):
    """RunSQL that runs on PostgreSQL only (SQLite has no PL/pgSQL)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("leaderboard", "0003_recognition_story"),
    ]

    operations = [
        PostgreSQLOnly(sql=CREATE, reverse_sql=DROP),
    ]
