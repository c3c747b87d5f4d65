"""Seeded data for the map benches: approved events with unique, realistic text.

Repeated demo titles and messages compress to a few bytes an event and flatter every size
figure; real submissions do not repeat. Each event here gets words drawn at random from a
vocabulary of several thousand made-up words, so its title, host message and host name are
its own, as a city's submissions would be.
"""

import random
import string

from django.utils import timezone

WORDS_SEED = 14


def _vocabulary(size: int = 6000) -> list[str]:
    rng = random.Random(WORDS_SEED)
    words = set()
    while len(words) < size:
        words.add("".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 10))))
    return sorted(words)


def _empty_events() -> None:
    """Every event gone, fast: a scratch database's TRUNCATE (cascading to rows that point at
    events), not 50,000 deletions each writing a history row."""
    from django.db import connection

    from events.models import HealingEvent

    if connection.vendor == "postgresql":
        tables = [HealingEvent._meta.db_table, HealingEvent.history.model._meta.db_table]
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE " + ", ".join(connection.ops.quote_name(t) for t in tables) + " CASCADE")
    else:
        HealingEvent.objects.all().delete()


def seed_events(count: int, *, seed: int = 7, progress=None) -> int:
    """Replace every event with `count` approved ones with unique text; returns the count."""
    from events.demo import build_event
    from events.models import CommunityArea, HealingEvent
    from twh.core.moderation import Status

    words = _vocabulary()
    rng = random.Random(seed)
    _empty_events()
    areas = list(CommunityArea.objects.order_by("number"))
    now = timezone.now()
    batch = []
    for index in range(count):
        event = build_event(index, seed, areas)
        event.title = " ".join(rng.choice(words) for _ in range(rng.randint(3, 6))).capitalize()
        event.message = " ".join(rng.choice(words) for _ in range(rng.randint(8, 30))) + "."
        event.message_consent = rng.random() < 0.7
        if event.host_type == "organization":
            event.host_name = " ".join(rng.choice(words) for _ in range(2)).title() + " Block Club"
        event.starts_at = event.starts_at.replace(minute=rng.choice([0, 15, 30, 45]))
        event.ends_at = None
        event.status = Status.APPROVED
        event.moderated_at = now
        batch.append(event)
        if len(batch) == 1000:
            HealingEvent.objects.bulk_create(batch)
            batch = []
            if progress:
                progress(index + 1, count)
    HealingEvent.objects.bulk_create(batch)
    return HealingEvent.objects.approved().count()
