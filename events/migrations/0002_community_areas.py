"""Create Chicago's 77 community areas on a fresh Chicago install (settings.DEFAULT_AREAS is
"chicago", the default while CAMPAIGN_CITY is Chicago); another city starts with none and loads
its own with `manage.py load_areas PATH --replace`. Boundaries are loaded later by `load_areas`."""

from django.conf import settings
from django.db import migrations

from events.areas import AREAS


def create_areas(apps, schema_editor):
    if getattr(settings, "DEFAULT_AREAS", "chicago") != "chicago":
        return
    CommunityArea = apps.get_model("events", "CommunityArea")
    for number, official_name, name, latitude, longitude in AREAS:
        CommunityArea.objects.update_or_create(
            number=number,
            defaults={"official_name": official_name, "name": name,
                      "centroid_latitude": latitude, "centroid_longitude": longitude},
        )


def remove_areas(apps, schema_editor):
    apps.get_model("events", "CommunityArea").objects.filter(number__lte=77).delete()


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]
    operations = [migrations.RunPython(create_areas, remove_areas)]
