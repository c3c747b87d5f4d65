"""The Moderators group may follow summit registrations and moderate reflections."""

from django.db import migrations

from twh.core.roles import grant_to_moderators

# Kept as written at the time of the migration; tests restore the group from this list.
PERMISSIONS = [
    ("summit", "view_summit"),
    ("summit", "view_agendaitem"),
    ("summit", "view_summitprompt"),
    ("summit", "view_registration"),
    ("summit", "change_registration"),  # check-in, promote from the waitlist, CSV export
    ("summit", "view_accessrequest"),
    ("summit", "change_accessrequest"),
    ("summit", "view_reflection"),
    ("summit", "change_reflection"),
    ("summit", "moderate_reflection"),
]


def grant(apps, schema_editor):
    grant_to_moderators(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("summit", "0001_initial"),
                    ("auth", "0012_alter_user_first_name_max_length"),
                    ("contenttypes", "0002_remove_content_type_name")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
