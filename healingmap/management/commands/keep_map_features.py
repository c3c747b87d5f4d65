"""manage.py keep_map_features: make the map's kept features ahead of the first build."""

from django.core.management.base import BaseCommand

from healingmap.feature_store import keep_all


class Command(BaseCommand):
    help = ("Make the kept GeoJSON feature of every approved event whose feature is missing or out "
            "of date (run after migrate: a deploy that changed their recipe would otherwise leave "
            "that work to the first visitor's build).")

    def handle(self, *args, **options):
        made, right = keep_all()
        self.stdout.write(f"Made {made:,} map features; {right:,} were already right.")
