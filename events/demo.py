"""Deterministic demo data: realistic healing events and messages across the city's areas."""

import random
import uuid
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from events.models import CommunityArea, HealingEvent, HealingMessage
from events.privacy import apply_public_point
from twh.core.moderation import RejectionReason, Status

DEMO_NAMESPACE = uuid.UUID("6f1c1f55-6c1b-4a8e-9a53-7d0c2b1e9a10")
# Areas that get no approved event in the demo, so coverage pages have gaps to show.
AREAS_WITHOUT_APPROVED = {13, 26, 39, 52, 65, 76}

TITLES = {
    HealingEvent.Kind.DIALOGUE: [
        "Story circle: growing up on our block", "Neighbours and police: a listening session",
        "Kitchen-table talk on race and belonging", "Intergenerational dialogue at the library",
        "Faith leaders' conversation on repair",
    ],
    HealingEvent.Kind.COLLABORATION: [
        "Community mural painted together", "Block clean-up and cookout",
        "Two congregations, one food pantry", "Youth and elders build a garden",
        "Neighbourhood quilt of healing",
    ],
    HealingEvent.Kind.LEARNING: [
        "History walk: the Great Migration", "Book club: The Warmth of Other Suns",
        "Workshop on redlining in our city", "Film screening and discussion",
        "Teach-in on restorative justice",
    ],
    HealingEvent.Kind.CONNECTIONS: [
        "Potluck across neighbourhoods", "Pen-pal exchange between schools",
        "Mentoring circle for young leaders", "Coffee with a new neighbour",
        "Virtual game night for healing",
    ],
}
ORGANIZATIONS = [
    "Southside Healing Collective", "Northside Neighbours United", "West Side Story Circle",
    "Lakefront Youth Alliance", "Interfaith Table", "Community Garden Network",
    "Library Friends Group", "Block Club Federation", "Arts for Repair", "Peace Makers Network",
]
FIRST_NAMES = ["Maria", "James", "Aisha", "Tomasz", "Wei", "Rosa", "Darnell", "Priya", ""]
MESSAGES = [
    "May we listen to each other with open hearts.",
    "Healing starts when we see each other as neighbours.",
    "Our city is stronger when every block is heard.",
    "Thank you to everyone who showed up and shared their story.",
    "Let us repair what was broken, together.",
    "Que sanemos juntos, cuadra por cuadra.",
    "From my family to yours: we belong to each other.",
]
DESCRIPTION = (
    "Residents came together to {verb}. We shared food, stories and hopes for the year ahead, "
    "and agreed on a next step for our community."
)
VERBS = {
    HealingEvent.Kind.DIALOGUE: "talk honestly about race and belonging",
    HealingEvent.Kind.COLLABORATION: "work side by side on a shared project",
    HealingEvent.Kind.LEARNING: "learn the history that shaped our neighbourhood",
    HealingEvent.Kind.CONNECTIONS: "meet neighbours we had never met",
}


def _status_for(rng: random.Random, area_number: int) -> str:
    if area_number in AREAS_WITHOUT_APPROVED:
        return rng.choice([Status.PENDING, Status.PENDING, Status.REJECTED])
    roll = rng.random()
    if roll < 0.78:
        return Status.APPROVED
    if roll < 0.92:
        return Status.PENDING
    if roll < 0.97:
        return Status.REJECTED
    return Status.WITHDRAWN


def _campaign_datetime(rng: random.Random):
    start = settings.CAMPAIGN_START or timezone.localdate()
    end = settings.CAMPAIGN_END or start + timedelta(days=60)
    day = start + timedelta(days=rng.randrange(max((end - start).days, 1) + 1))
    hour = rng.choice([10, 12, 14, 17, 18, 19])
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def build_event(index: int, seed: int, areas: list[CommunityArea]) -> HealingEvent:
    rng = random.Random(f"{seed}:{index}")
    area = areas[index % len(areas)]
    kind = rng.choice(list(HealingEvent.Kind))
    host_type = HealingEvent.HostType.ORGANIZATION if rng.random() < 0.6 else HealingEvent.HostType.INDIVIDUAL
    starts_at = _campaign_datetime(rng)
    status = _status_for(rng, area.number)
    event = HealingEvent(
        title=rng.choice(TITLES[kind]),
        description=DESCRIPTION.format(verb=VERBS[kind]),
        kind=kind,
        format=rng.choices(list(HealingEvent.Format), weights=[6, 3, 2])[0],
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=rng.choice([1, 2, 3])),
        participants=rng.choice([8, 12, 15, 20, 25, 30, 40, 60, 120]),
        language_of_event=rng.choices(["en", "es", "pl", "zh"], weights=[8, 3, 1, 1])[0],
        stakeholders=rng.sample([s.value for s in HealingEvent.Stakeholder], k=rng.randint(0, 3)),
        host_type=host_type,
        host_name=rng.choice(ORGANIZATIONS) if host_type == "organization" else rng.choice(FIRST_NAMES),
        website="https://example.org/" if host_type == "organization" and rng.random() < 0.5 else "",
        location_basis=rng.choice(list(HealingEvent.LocationBasis)),
        address=f"{rng.randint(100, 9999)} Demo Street, {settings.CAMPAIGN_CITY}",
        latitude=round(area.centroid_latitude + rng.uniform(-0.003, 0.003), 6),
        longitude=round(area.centroid_longitude + rng.uniform(-0.003, 0.003), 6),
        publish_exact_location=host_type == "organization" and rng.random() < 0.3,
        community_area=area,
        message=rng.choice(MESSAGES) if rng.random() < 0.6 else "",
        message_consent=True,
        contact_name=f"Demo Contact {index}",
        contact_email=f"demo{index}@example.org",
        contact_phone="",
        status=status,
        rejection_reason=RejectionReason.NOT_HEALING if status == Status.REJECTED else "",
        moderated_at=timezone.now() if status in (Status.APPROVED, Status.REJECTED) else None,
        submission_token=uuid.uuid5(DEMO_NAMESPACE, f"event:{seed}:{index}"),
        language=rng.choice(["en", "en", "es"]),
    )
    if not event.host_name:
        event.host_name = str(HealingEvent.INDIVIDUAL_DEFAULT_NAME)
    apply_public_point(event)
    return event


def build_message(index: int, seed: int, areas: list[CommunityArea]) -> HealingMessage:
    rng = random.Random(f"message:{seed}:{index}")
    status = Status.APPROVED if rng.random() < 0.8 else Status.PENDING
    return HealingMessage(
        display_name=rng.choice(FIRST_NAMES),
        community_area=rng.choice(areas) if rng.random() < 0.8 else None,
        text=rng.choice(MESSAGES),
        email="",
        status=status,
        moderated_at=timezone.now() if status == Status.APPROVED else None,
        submission_token=uuid.uuid5(DEMO_NAMESPACE, f"message:{seed}:{index}"),
    )


def seed_demo(*, events: int, messages: int, seed: int, progress=None) -> tuple[int, int]:
    """Create the demo rows that are missing; returns (events created, messages created)."""
    areas = list(CommunityArea.objects.order_by("number"))
    existing = set(HealingEvent.objects.filter(submission_token__isnull=False)
                   .values_list("submission_token", flat=True))
    created_events = 0
    batch = []
    for index in range(events):
        if uuid.uuid5(DEMO_NAMESPACE, f"event:{seed}:{index}") not in existing:
            batch.append(build_event(index, seed, areas))
        if len(batch) >= 500 or index == events - 1:
            HealingEvent.objects.bulk_create(batch)
            created_events += len(batch)
            batch = []
        if progress:
            progress(index + 1, events)
    existing_messages = set(HealingMessage.objects.filter(submission_token__isnull=False)
                            .values_list("submission_token", flat=True))
    new_messages = [
        build_message(i, seed, areas) for i in range(messages)
        if uuid.uuid5(DEMO_NAMESPACE, f"message:{seed}:{i}") not in existing_messages
    ]
    HealingMessage.objects.bulk_create(new_messages)
    return created_events, len(new_messages)
