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


def seed_events(count: int, *, seed: int = 7, progress=None) -> int:
    """Replace every event with `count` approved ones with unique text; returns the count."""
    from events.demo import build_event
    from events.models import CommunityArea, HealingEvent
    from twh.moderation import Status

    words = _vocabulary()
    rng = random.Random(seed)
    HealingEvent.objects.all().delete()
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
