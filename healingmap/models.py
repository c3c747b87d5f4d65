from django.db import models

from events.models import HealingEvent


class EventFeature(models.Model):
    """An approved event's GeoJSON feature, kept as JSON text (healingmap/feature_store.py).

    Building the map's documents then reads one text per event instead of making 10,000
    features again after every moderation decision. A kept feature is used only while what it
    shows is unchanged: the event (its updated_at), its report (likewise), its area's number and
    name, and the recipe (time zone, paths, rounding); otherwise it is made again. Internal: not
    in admin, so its names are not translated.
    """

    event = models.OneToOneField(HealingEvent, on_delete=models.CASCADE, primary_key=True, related_name="map_feature")
    recipe = models.CharField(max_length=16)
    event_updated_at = models.DateTimeField()
    report_updated_at = models.DateTimeField()  # feature_store.NO_REPORT when there is none
    area_number = models.PositiveIntegerField()
    area_name = models.CharField(max_length=200)
    # UTF-8 JSON. Text, not bytea: PostgreSQL would send bytea as hex, twice the bytes to
    # encode and decode; a build reads the text as bytes (feature_store.fetch_raw).
    feature = models.TextField()

    def __str__(self):
        return f"feature of event {self.event_id}"
