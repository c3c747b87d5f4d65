"""Clear the end of any event stored past the sane window (issue 10): on PostgreSQL an end of
9999-12-31T23:00 Chicago time was stored as year 10000 in UTC, which Python cannot read, so the
moderation list failed for everyone. The end is optional; the start was always checked."""

from django.db import migrations

TABLES = ["events_healingevent", "events_historicalhealingevent"]


def clear_far_ends(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # elsewhere such a date could never be stored: Python refused it on the way in
    with schema_editor.connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(
                f"UPDATE {table} SET ends_at = NULL "  # noqa: S608 - fixed table names
                "WHERE ends_at >= '2101-01-01' OR ends_at < '2000-01-01'"
            )


class Migration(migrations.Migration):
    dependencies = [("events", "0008_input_rules")]

    operations = [migrations.RunPython(clear_far_ends, migrations.RunPython.noop)]
