"""The four default report questions (one per activity kind), and report moderation for the
Moderators group (view, add for assisted intake, change, moderate; not delete)."""

from django.db import migrations

from twh.core.roles import grant_to_moderators

# Kept as written at the time of the migration; tests restore them from these lists.
PERMISSIONS = [
    ("events", "view_eventreport"),
    ("events", "add_eventreport"),  # assisted intake on a host's behalf
    ("events", "change_eventreport"),
    ("events", "moderate_eventreport"),
    ("events", "view_reportquestion"),
    ("events", "change_reportquestion"),
]
QUESTIONS = [
    ("dialogue", "What was heard?", "A view, a story or a worry that people shared."),
    ("learning", "What was learned?", "Something people did not know before."),
    ("collaboration", "What was done together?", "What the group made, fixed or built."),
    ("connections", "What connections were made?", "Who met whom, and what they will do next."),
]


def seed_questions(apps):
    ReportQuestion = apps.get_model("events", "ReportQuestion")
    for kind, question, help_text in QUESTIONS:
        ReportQuestion.objects.get_or_create(kind=kind, defaults={"question": question, "help_text": help_text})


def forwards(apps, schema_editor):
    seed_questions(apps)
    grant_to_moderators(apps, PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("events", "0006_event_reports"), ("events", "0003_moderators_group")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
