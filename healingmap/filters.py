"""The one filter form behind the map, the list, the counts, the GeoJSON and the CSV.

Filters live in the URL query string, so every view reads the same GET parameters and a link
shares exactly what the person sees. Unknown parameters are ignored; malformed known ones are
errors (400).
"""

from collections import OrderedDict
from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import HealingEvent
from twh.core.area_words import area_label, with_area_word
from twh.core.editions import Edition
from twh.core.validation import single_line, validate_sane_date

FILTER_FIELDS = ("kind", "format", "start", "end", "area", "q", "when", "bbox", "edition")
ALL_EDITIONS = "all"


class BBoxField(forms.CharField):
    """`minLon,minLat,maxLon,maxLat` in degrees, as in RFC 7946 and most map libraries."""

    default_error_messages = {
        "invalid": _("Give four numbers: minLon,minLat,maxLon,maxLat."),
        "range": _("Longitudes run from -180 to 180 and latitudes from -90 to 90, minimum first."),
    }

    def __init__(self, **kwargs):
        super().__init__(max_length=100, **kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        parts = value.split(",")
        try:
            numbers = [float(part) for part in parts]
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if len(numbers) != 4 or any(n != n or n in (float("inf"), float("-inf")) for n in numbers):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        min_lon, min_lat, max_lon, max_lat = numbers
        if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
            raise forms.ValidationError(self.error_messages["range"], code="range")
        return tuple(numbers)


class AreasField(forms.TypedMultipleChoiceField):
    """One community area or several; the single select's "All community areas" sends `area=`,
    which means no area filter (not an invalid choice)."""

    def to_python(self, value):
        return [item for item in super().to_python(value) if item != ""]


class MapFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Activity"), required=False,
        choices=[("", _("All activities")), *HealingEvent.Kind.choices],
    )
    format = forms.ChoiceField(
        label=_("Format"), required=False,
        choices=[("", _("All formats")), *HealingEvent.Format.choices],
    )
    start = forms.DateField(
        label=_("From"), required=False, validators=[validate_sane_date], widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Events on or after this day."),
    )
    end = forms.DateField(
        label=_("To"), required=False, validators=[validate_sane_date], widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Events on or before this day."),
    )
    # One area or several (?area=32&area=41: the embed builder offers several).
    area = AreasField(
        label=area_label(), required=False, coerce=int,
        choices=[],  # filled in __init__ from the database
    )
    q = forms.CharField(
        label=_("Search"), required=False, max_length=100, strip=True, validators=[single_line],
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Words in the title, description or host's name."),
    )
    when = forms.ChoiceField(
        label=_("Upcoming or past"), required=False,
        choices=[("", _("Upcoming and past")), ("upcoming", _("Upcoming")), ("past", _("Past"))],
    )
    bbox = BBoxField(label=_("Bounding box"), required=False, widget=forms.HiddenInput)
    # Empty: the current edition (twh/core/editions.py); a past one by its slug; or "all".
    edition = forms.ChoiceField(
        label=_("Campaign edition"), required=False,
        choices=[],  # filled in __init__ from the database
        error_messages={"invalid_choice": _("There is no campaign edition “%(value)s”.")},
    )
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=100000,
                              widget=forms.HiddenInput)
    sort = forms.ChoiceField(
        label=_("Sort"), required=False,
        choices=[("date", _("Earliest first")), ("-date", _("Latest first"))],
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data if data is not None else {}, **kwargs)
        from healingmap.geojson import area_choices

        self.fields["area"].choices = [("", with_area_word(_("All %(areas)s"))), *area_choices()]
        editions = list(Edition.objects.order_by("-starts_on", "-pk").values_list("slug", "name"))
        self.fields["edition"].choices = [
            ("", _("The current edition")), *editions, (ALL_EDITIONS, _("All editions")),
        ]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date is before the start date."))
        return cleaned

    # --- Applying the filters

    def shown_edition(self) -> Edition | None:
        """The edition shown: the one asked for, else the current one; None for all editions.

        Resolved on each call, not when cleaned: a valid form is memoized (bind_cached), and
        which edition is current changes with the date and with the editions staff create."""
        slug = self.cleaned_data.get("edition") if self.is_valid() else ""
        if slug == ALL_EDITIONS:
            return None
        if slug:
            return Edition.objects.filter(slug=slug).first()
        return Edition.objects.current()

    def filter_edition(self, events):
        """Only the shown edition's events (all of them for ?edition=all)."""
        if self.cleaned_data.get("edition") == ALL_EDITIONS:
            return events
        return events.filter(edition=self.shown_edition())  # None (deleted since): nothing

    def filter(self, events):
        """Narrow an events QuerySet (already limited to approved ones) by the cleaned filters."""
        data = self.cleaned_data
        tz = timezone.get_current_timezone()
        events = self.filter_edition(events)
        if data.get("kind"):
            events = events.filter(kind=data["kind"])
        if data.get("format"):
            events = events.filter(format=data["format"])
        if data.get("start"):
            events = events.filter(starts_at__gte=datetime.combine(data["start"], time.min, tz))
        if data.get("end"):
            events = events.filter(starts_at__lt=datetime.combine(data["end"] + timedelta(days=1), time.min, tz))
        if data.get("area"):
            events = events.filter(community_area__number__in=data["area"])
        events = self.filter_words(events)
        if data.get("when") == "upcoming":
            events = events.upcoming(now=self.now())
        elif data.get("when") == "past":
            events = events.past(now=self.now())
        if data.get("bbox"):
            min_lon, min_lat, max_lon, max_lat = data["bbox"]
            events = events.filter(
                public_longitude__gte=min_lon, public_longitude__lte=max_lon,
                public_latitude__gte=min_lat, public_latitude__lte=max_lat,
            )
        return events

    def filter_words(self, events):
        """Only the events with every searched word (up to eight) in their title, description or
        host's name, as the database compares text (healingmap/event_table.py asks it too)."""
        for word in (self.cleaned_data.get("q") or "").split()[:8]:
            events = events.filter(
                Q(title__icontains=word) | Q(description__icontains=word) | Q(host_name__icontains=word)
            )
        return events

    def now(self):
        """'Now' to the minute, so cached answers for upcoming/past agree for that minute."""
        return timezone.now().replace(second=0, microsecond=0)

    def sort_key(self) -> str:
        return self.cleaned_data.get("sort") or "date"

    def ordering(self) -> list[str]:
        return ["-starts_at", "-pk"] if self.sort_key() == "-date" else ["starts_at", "pk"]

    def normalized_query(self, *, include=FILTER_FIELDS) -> str:
        """The filters in a canonical order, for cache keys, ETags and links."""
        parts = []
        for name in include:
            if self.is_bound and self.is_valid():
                value = self.cleaned_data.get(name)
            else:
                value = None
            if value in (None, "", []):
                continue
            if name == "area":
                parts.extend((name, str(number)) for number in sorted(set(value)))
                continue
            if name == "bbox":
                value = ",".join(f"{n:.6f}" for n in value)
            elif hasattr(value, "isoformat"):
                value = value.isoformat()
            parts.append((name, str(value)))
        return urlencode(parts)

    def cache_query(self) -> str:
        """The normalized filters, plus the minute when 'upcoming' or 'past' depends on it."""
        query = self.normalized_query()
        edition = self.shown_edition()  # the current edition's slug when none is asked for
        query += "&edition_shown=" + (edition.slug if edition else str(self.cleaned_data.get("edition", "")))
        if self.is_valid() and self.cleaned_data.get("when"):
            query += "&minute=" + self.now().strftime("%Y%m%d%H%M")
        return query

    def active_filters(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.get(name) not in (None, "", []) for name in FILTER_FIELDS)

    def error_dict(self) -> dict:
        """JSON-ready errors naming each bad parameter."""
        return {
            "error": str(_("Invalid query parameter.")),
            "parameters": {name: [str(message) for message in messages] for name, messages in self.errors.items()},
        }


def bind(request) -> MapFilterForm:
    form = MapFilterForm(request.GET)
    form.is_valid()
    return form


_valid_forms: OrderedDict[str, MapFilterForm] = OrderedDict()
_VALID_FORMS_SIZE = 64


def bind_cached(request) -> MapFilterForm:
    """`bind()` memoized per query string for the data endpoints' hot path.

    A valid form is only read after validation (cleaned_data; 'now' is taken when filtering),
    so one instance can serve every request with the same query string. Invalid ones are not
    kept: their messages depend on the request's language.
    """
    raw = request.META.get("QUERY_STRING", "")
    form = _valid_forms.get(raw)
    if form is None:
        form = bind(request)
        if form.is_valid():
            _valid_forms[raw] = form
            while len(_valid_forms) > _VALID_FORMS_SIZE:
                try:
                    _valid_forms.popitem(last=False)
                except KeyError:  # another thread emptied it first
                    break
    return form


def small_count_k() -> int:
    return settings.MAP_SMALL_COUNT_K
