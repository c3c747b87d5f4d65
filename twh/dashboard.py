"""The staff impact dashboard's figures: one function builds every table, for the page and CSV.

Events are counted by the date they take place; messages, reflections and registrations by
when they were received. The moderation queue is always "now", whatever the dates chosen.
Participants are the sum of hosts' own estimates, and labelled so wherever they appear;
reported participants (from approved host reports) stand beside them, never mixed in
(events.stats.PARTICIPANT_FIGURES, the one definition every public page uses too).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.models import CommunityArea, EventReport, HealingEvent, HealingMessage
from events.stats import PARTICIPANT_FIGURES, RATE_DECIMALS, area_figures
from twh.core.area_words import area_label, area_vars, area_words, areas_label
from twh.core.csv import SafeWriter
from twh.core.editions import Edition
from twh.core.moderation import Status


@dataclass
class Table:
    slug: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    note: str = ""


@dataclass
class Dashboard:
    start: date | None
    end: date | None
    tables: dict[str, Table]
    week_chart: dict | None
    queue_size: int
    queue_oldest: datetime | None

    def __getitem__(self, slug: str) -> Table:
        return self.tables[slug]


def _bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    """Aware datetimes: the start of `start`, and the start of the day after `end` (exclusive)."""
    low = timezone.make_aware(datetime.combine(start, time.min)) if start else None
    high = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)) if end else None
    return low, high


def _in_range(field_name: str, low, high) -> Q:
    q = Q()
    if low:
        q &= Q(**{f"{field_name}__gte": low})
    if high:
        q &= Q(**{f"{field_name}__lt": high})
    return q


def _age(since: datetime | None, now: datetime) -> str:
    if since is None:
        return ""
    hours = int((now - since).total_seconds() // 3600)
    if hours < 48:
        return ngettext("%(hours)d hour", "%(hours)d hours", hours) % {"hours": hours}
    days = hours // 24
    return ngettext("%(days)d day", "%(days)d days", days) % {"days": days}


def _summit_figures(low, high) -> dict | None:
    if not apps.is_installed("summit"):  # a site without the summit app
        return None
    from summit.models import Reflection, Registration

    registrations = Registration.objects.filter(_in_range("created_at", low, high))
    reflections = Reflection.objects.filter(_in_range("submitted_at", low, high))
    return {
        "reflections": reflections.count(),
        "reflections_approved": reflections.approved().count(),
        "registrations": registrations.confirmed().count(),
        "waitlist": registrations.waitlisted().count(),
        "access_open": registrations.access_needs_pending().count(),
        "pending_reflections": Reflection.objects.pending(),
    }


def build_dashboard(*, start: date | None = None, end: date | None = None, now: datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    low, high = _bounds(start, end)
    events = HealingEvent.objects.filter(_in_range("starts_at", low, high))
    approved = events.approved()
    messages = HealingMessage.objects.filter(_in_range("submitted_at", low, high))
    summit = _summit_figures(low, high)
    participants_label = _("Participants (sum of hosts' estimates)")
    reported_label = _("Participants reported (approved reports)")
    reported_events_label = _("Events with an approved report")
    tables: dict[str, Table] = {}

    # --- Totals
    approved_totals = approved.aggregate(n=Count("id"), areas=Count("community_area", distinct=True),
                                         **PARTICIPANT_FIGURES)
    totals = [
        [_("Events received"), events.count()],
        [_("Approved events"), approved_totals["n"]],
        [participants_label, approved_totals["participants"]],
        [reported_label, approved_totals["reported"]],
        [reported_events_label, approved_totals["reported_events"]],
        [_("%(areas)s reached") % {"areas": areas_label()}, approved_totals["areas"]],
        [_("%(Areas)s in all") % area_vars(), CommunityArea.objects.count()],
        [_("Messages of healing received"), messages.count()],
        [_("Messages of healing approved"), messages.approved().count()],
    ]
    if summit:
        totals += [
            [_("Reflections received"), summit["reflections"]],
            [_("Reflections approved"), summit["reflections_approved"]],
            [_("Summit registrations (confirmed)"), summit["registrations"]],
            [_("Summit waitlist"), summit["waitlist"]],
            [_("Open access-needs requests"), summit["access_open"]],
        ]
    tables["totals"] = Table("totals", _("Totals"), [_("Figure"), _("Number")], totals)

    # --- Events by status
    by_status = dict(events.values_list("status").annotate(n=Count("id")).order_by())
    tables["status"] = Table("status", _("Events by status"), [_("Status"), _("Events")],
                             [[label, by_status.get(value, 0)] for value, label in Status.choices])

    # --- Approved events by kind and by format
    def grouped(field_name: str, choices) -> list[list]:
        figures = {row[field_name]: row for row in approved.values(field_name).annotate(
            n=Count("id"), **PARTICIPANT_FIGURES).order_by()}
        return [[label, *(figures.get(value, {}).get(k, 0) for k in
                          ("n", "participants", "reported_events", "reported"))]
                for value, label in choices]

    figure_headers = [_("Approved events"), participants_label, reported_events_label, reported_label]
    tables["kind"] = Table("kind", _("Approved events by kind"), [_("Kind"), *figure_headers],
                           grouped("kind", HealingEvent.Kind.choices))
    tables["format"] = Table("format", _("Approved events by format"), [_("Format"), *figure_headers],
                             grouped("format", HealingEvent.Format.choices))

    # --- Approved events by week (Monday to Sunday, Chicago time), gaps filled with zeros
    weekly = {
        timezone.localtime(row["week"]).date() if isinstance(row["week"], datetime) else row["week"]: row
        for row in approved.annotate(week=TruncWeek("starts_at")).values("week")
        .annotate(n=Count("id"), people=Sum("participants")).order_by("week")
    }
    week_rows = []
    if weekly:
        day, last = min(weekly), max(weekly)
        while day <= last:
            row = weekly.get(day, {})
            week_rows.append([day, row.get("n", 0), row.get("people") or 0])
            day += timedelta(days=7)
    tables["week"] = Table("week", _("Approved events by week"), [_("Week starting"), _("Approved events"),
                           participants_label], week_rows)

    # --- By community area, and the areas with none (events.stats: the aggregate coverage shows)
    areas = area_figures(approved)
    tables["area"] = Table(
        "area", _("Approved events by %(area)s") % area_vars(),
        [_("Number"), area_label(), *figure_headers],
        [[a.number, a.name, a.events, a.participants, a.reported_events, a.reported] for a in areas],
    )
    tables["outreach"] = outreach_table(areas)

    # --- Reports back from hosts, for the events in the date range
    requested = approved.filter(report_requested_at__isnull=False).count()
    received = EventReport.objects.filter(event__in=events)
    received_count, approved_reports = received.count(), received.approved().count()
    rate = f"{100 * received_count / requested:.0f}%" if requested else "–"
    tables["reports"] = Table(
        "reports", _("Reports from hosts"), [_("Figure"), _("Number")],
        [[_("Reports requested"), requested], [_("Reports received"), received_count],
         [_("Reports approved"), approved_reports], [_("Response rate (received / requested)"), rate]],
        note=_("Entered by staff on a host's behalf counts as received."),
    )
    tables["commitments"] = Table(
        "commitments", _("Commitments for the path forward (approved reports, anonymised)"),
        [_("Kind"), area_label(), _("Commitment")],
        [[HealingEvent.Kind(kind).label if kind in HealingEvent.Kind.values else kind, area, text]
         for kind, area, text in received.approved().exclude(commitment="")
         .order_by("event__community_area__name", "event__kind", "pk")
         .values_list("event__kind", "event__community_area__name", "commitment")],
        note=_("No event, host or name: for the summit's facilitators."),
    )
    tables["empty_areas"] = Table(
        "empty_areas", _("%(Areas)s with no approved event") % area_vars(), [_("Number"), area_label()],
        [[a.number, a.name] for a in areas if a.empty],
    )

    # --- The moderation queue, now
    queues = [(_("Healing events"), HealingEvent.objects.pending()),
              (_("Messages of healing"), HealingMessage.objects.pending())]
    if summit:
        queues.append((_("Reflections"), summit["pending_reflections"]))
    queue_rows, queue_size, queue_oldest = [], 0, None
    for label, pending in queues:
        figures = pending.aggregate(n=Count("id"), oldest=Min("submitted_at"))
        queue_size += figures["n"]
        if figures["oldest"] and (queue_oldest is None or figures["oldest"] < queue_oldest):
            queue_oldest = figures["oldest"]
        queue_rows.append([label, figures["n"], _local(figures["oldest"]), _age(figures["oldest"], now)])
    queue_rows.append([_("All"), queue_size, _local(queue_oldest), _age(queue_oldest, now)])
    tables["queue"] = Table(
        "queue", _("Moderation queue"), [_("Queue"), _("Waiting"), _("Oldest received"), _("Waiting for")],
        queue_rows, note=_("Always as of now, whatever the dates chosen."),
    )

    tables["editions"] = editions_table()

    return Dashboard(start=start, end=end, tables=tables, week_chart=bar_chart(week_rows),
                     queue_size=queue_size, queue_oldest=queue_oldest)


def editions_table() -> Table:
    """Every campaign edition side by side, oldest first: one column each, whole editions.

    An area is new in an edition when no earlier edition (by campaign start) had an approved
    event there."""
    editions = list(Edition.objects.order_by("starts_on", "pk"))
    approved = HealingEvent.objects.approved()
    figures = {row["edition"]: row for row in approved.values("edition").annotate(
        n=Count("id"), areas=Count("community_area", distinct=True), **PARTICIPANT_FIGURES).order_by()}
    areas_by_edition: dict[int, set[int]] = {}
    for edition_id, area_id in approved.values_list("edition", "community_area").distinct().order_by():
        areas_by_edition.setdefault(edition_id, set()).add(area_id)
    messages = dict(HealingMessage.objects.approved().values_list("edition").annotate(n=Count("id")).order_by())
    closed = _("closed")
    reached_before: set[int] = set()
    new_areas = []
    for edition in editions:
        reached = areas_by_edition.get(edition.pk, set())
        new_areas.append(len(reached - reached_before))
        reached_before |= reached

    def row(label, key):
        return [label, *(figures.get(e.pk, {}).get(key) or 0 for e in editions)]

    return Table(
        "editions", _("Campaign editions side by side"),
        [_("Figure"), *(" · ".join([e.name, closed]) if e.is_closed else e.name for e in editions)],
        [row(_("Approved events"), "n"),
         row(_("Participants (sum of hosts' estimates)"), "participants"),
         row(_("Participants reported (approved reports)"), "reported"),
         row(_("%(areas)s reached") % {"areas": areas_label()}, "areas"),
         [_("New %(areas)s reached this edition") % {"areas": area_words()}, *new_areas],
         [_("Messages of healing approved"), *(messages.get(e.pk, 0) for e in editions)]],
        note=_("Whole editions, whatever the dates chosen. An area is new when no earlier edition reached it."),
    )


def outreach_table(areas) -> Table:
    """Areas with a resident figure, the fewest events per 10,000 residents first (then the
    fewest participants per 1,000, then the most residents): where to ask for hosts next."""
    ranked = sorted((a for a in areas if a.population), key=lambda a: (
        a.events_rate, a.participants_rate, -a.population, a.name.casefold()))
    return Table(
        "outreach", _("Outreach: the fewest events per resident first"),
        [_("Number"), area_label(), _("Residents"), _("Approved events"),
         _("Events per 10,000 residents"), _("Participants per 1,000 residents")],
        [[a.number, a.name, a.population, a.events, round(a.events_rate, RATE_DECIMALS),
          round(a.participants_rate, RATE_DECIMALS)] for a in ranked],
        note=_("Only areas whose residents are loaded (manage.py load_population); rates rounded "
               "to one decimal place. Participants are hosts' estimates."),
    )


def _local(moment: datetime | None) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


# --- The weekly chart, drawn on the server as SVG

CHART_WIDTH, CHART_HEIGHT = 720, 240
MARGIN_LEFT, MARGIN_BOTTOM, MARGIN_TOP = 40, 48, 12


def bar_chart(rows: list[list]) -> dict | None:
    """Geometry for an SVG bar chart of (week, events, participants) rows; None without rows."""
    if not rows:
        return None
    peak = max(row[1] for row in rows) or 1
    plot_w = CHART_WIDTH - MARGIN_LEFT - 8
    plot_h = CHART_HEIGHT - MARGIN_BOTTOM - MARGIN_TOP
    slot = plot_w / len(rows)
    width = max(slot * 0.7, 1)
    every = max(1, round(len(rows) / 8))  # at most ~8 date labels under the bars
    bars = []
    for i, (week, count, _people) in enumerate(rows):
        height = plot_h * count / peak
        x = MARGIN_LEFT + i * slot + (slot - width) / 2
        bars.append({
            "x": round(x, 1), "y": round(MARGIN_TOP + plot_h - height, 1),
            "width": round(width, 1), "height": round(height, 1), "count": count,
            "label": date_format(week, "M j"), "week": week,
            "show_label": i % every == 0, "label_x": round(x + width / 2, 1),
        })
    ticks = sorted({0, peak // 2, peak})
    return {
        "width": CHART_WIDTH, "height": CHART_HEIGHT, "bars": bars, "peak": peak,
        "axis_y": MARGIN_TOP + plot_h, "axis_x": MARGIN_LEFT, "right": CHART_WIDTH - 8,
        "label_y": MARGIN_TOP + plot_h + 18,
        "ticks": [{"value": t, "y": round(MARGIN_TOP + plot_h - plot_h * t / peak, 1)} for t in ticks],
        "summary": _chart_summary(len(rows), date_format(rows[0][0]), date_format(rows[-1][0]), peak),
    }


def _chart_summary(weeks: int, first: str, last: str, peak: int) -> str:
    span = ngettext("%(weeks)d week, from %(first)s to %(last)s", "%(weeks)d weeks, from %(first)s to %(last)s",
                    weeks) % {"weeks": weeks, "first": first, "last": last}
    busiest = ngettext("the busiest week had %(peak)d approved event.", "the busiest week had %(peak)d approved events.",
                       peak) % {"peak": peak}
    # Translators: the chart's summary, "12 weeks, from … to …; the busiest week had 9 approved events."
    return _("%(span)s; %(busiest)s") % {"span": span, "busiest": busiest}


# --- CSV

def write_csv(table: Table, stream) -> None:
    writer = SafeWriter(stream)
    writer.writerow(table.headers)
    writer.writerows(table.rows)
