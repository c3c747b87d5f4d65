"""The registrations as CSV for staff: one place for the columns (twh.core.csv neutralizes formulas)."""

import io

from django.utils import timezone

from twh.core.csv import SafeWriter

COLUMNS = [
    ("id", lambda r: r.pk),
    ("summit", lambda r: r.summit.title),
    ("status", lambda r: r.status),
    ("waitlist_position", lambda r: r.waitlist_position() or ""),
    ("name", lambda r: r.name),
    ("email", lambda r: r.email),
    ("organization", lambda r: r.organization),
    ("community_area_or_zip", lambda r: r.area_or_zip),
    ("role", lambda r: r.role),
    ("asl", lambda r: "yes" if r.needs_asl else ""),
    ("captions", lambda r: "yes" if r.needs_captions else ""),
    ("interpretation", lambda r: r.interpretation_language or ("yes" if r.needs_interpretation else "")),
    ("other_access_needs", lambda r: r.access_needs_other),
    ("access_needs_arranged", lambda r: _when(r.access_needs_done_at)),
    ("heard_about", lambda r: r.heard_about_other or r.heard_about),
    ("language", lambda r: r.language),
    ("registered_at", lambda r: _when(r.created_at)),
    ("checked_in_at", lambda r: _when(r.attended_at)),
    ("cancelled_at", lambda r: _when(r.cancelled_at)),
]

def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def registrations_csv(registrations) -> str:
    out = io.StringIO()
    writer = SafeWriter(out)
    writer.writerow([name for name, _ in COLUMNS])
    for registration in registrations.select_related("summit").order_by("summit_id", "created_at", "pk"):
        writer.writerow([get(registration) for _, get in COLUMNS])
    return out.getvalue()
