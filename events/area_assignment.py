"""Re-deriving every event's area from its precise point and the loaded boundaries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from events.geometry import build_area_index
from events.models import HealingEvent
from twh.core.publication import public_data_changed

ASSIGN_BATCH = 1000


@dataclass
class AssignResult:
    checked: int = 0
    changed: int = 0
    outside: int = 0
    without_point: int = 0


def assign_areas(*, dry_run: bool = False, progress=None) -> AssignResult | None:
    """Re-derive every event's area from its precise point; None without boundaries.

    Events without a point, or whose point is outside every current area, keep the area the
    submitter chose. One transaction; the public caches are invalidated if anything moved.
    """
    index = build_area_index()
    if index is None:
        return None
    result = AssignResult()
    events = HealingEvent.objects.filter(latitude__isnull=False, longitude__isnull=False)
    result.without_point = HealingEvent.objects.count() - events.count()
    rows = list(events.order_by("pk").values_list("pk", "latitude", "longitude", "community_area_id"))
    total = len(rows)
    with transaction.atomic():
        for start in range(0, total, ASSIGN_BATCH):
            batch = rows[start:start + ASSIGN_BATCH]
            found = index.locate_many([r[2] for r in batch], [r[1] for r in batch])
            moves: dict[int, list[int]] = {}
            for (pk, _lat, _lon, current), area_id in zip(batch, found, strict=True):
                result.checked += 1
                if area_id is None:
                    result.outside += 1
                elif area_id != current:
                    moves.setdefault(area_id, []).append(pk)
            result.changed += sum(len(pks) for pks in moves.values())
            if not dry_run:
                for area_id, pks in moves.items():
                    HealingEvent.objects.filter(pk__in=pks).update(community_area_id=area_id)
            if progress:
                progress(min(start + ASSIGN_BATCH, total), total)
        if result.changed and not dry_run:
            public_data_changed()
    return result
