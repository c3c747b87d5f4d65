"""The Moderators group with what moderating events and messages needs (not delete, not users)."""

from django.db import migrations

from twh.core.roles import grant_to_moderators

# Kept as written at the time of the migration; tests restore the group from this list.
PERMISSIONS = [
    ("events", "view_healingevent"),
    ("events", "add_healingevent"),  # assisted intake on a resident's behalf
    ("events", "change_healingevent"),
    ("events", "moderate_healingevent"),
    ("events", "view_healingmessage"),
    ("events", "change_healingmessage"),
    ("events", "moderate_healingmessage"),
    ("events", "view_communityarea"),
    ("twh", "view_outboxemail"),
]


def grant(apps, schema_editor):
    grant_to_moderators(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("events", "0002_community_areas"), ("twh", "0001_initial"),
                    ("auth", "0012_alter_user_first_name_max_length"),
                    ("contenttypes", "0002_remove_content_type_name")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
