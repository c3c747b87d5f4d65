"""Community areas, healing events and messages of healing.

Public code reaches events and messages only through the QuerySet read rules below
(`approved()`, `mappable()`, ...); contact fields never leave the admin.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from twh.core.editions import edition_field
from twh.core.moderation import ModeratedModel, ModeratedQuerySet, Status
from twh.core.validation import multi_line, single_line, validate_sane_date

# Private fields kept out of the audit history, so purging contact details purges them everywhere.
CONTACT_FIELDS = ["contact_name", "contact_email", "contact_phone"]


class CommunityAreaQuerySet(models.QuerySet):
    def current(self):
        """Areas of the city as it is loaded now (not retired by `load_areas --replace`)."""
        return self.filter(retired=False)


class CurrentAreaManager(models.Manager.from_queryset(CommunityAreaQuerySet)):
    """The default manager offers, counts and maps only current areas; an event's own area is
    still reached through the (unfiltered) base manager even once it is retired."""

    def get_queryset(self):
        return super().get_queryset().current()


class CommunityArea(models.Model):
    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, help_text=_("The area's number in the boundaries file it was loaded from.")
    )
    official_name = models.CharField(
        _("official name"), validators=[single_line], max_length=80, help_text=_("The name exactly as the City spells it.")
    )
    name = models.CharField(_("name"), validators=[single_line], max_length=80, help_text=_("The name as people write it."))
    centroid_latitude = models.FloatField(
        _("centre latitude"), null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("A point at the centre of the area, used to map it as a whole."),
    )
    centroid_longitude = models.FloatField(
        _("centre longitude"), null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("A point at the centre of the area, used to map it as a whole."),
    )
    boundary = models.JSONField(
        _("boundary"), null=True, blank=True,
        help_text=_("The GeoJSON Polygon or MultiPolygon of the area, as loaded by load_areas."),
    )
    display_boundary = models.JSONField(
        _("display boundary"), null=True, blank=True,
        help_text=_("The boundary simplified for drawing on maps."),
    )
    population = models.PositiveIntegerField(
        _("residents"), null=True, blank=True,
        help_text=_("How many people live in the area, as loaded by load_population; empty when unknown."),
    )
    population_year = models.PositiveSmallIntegerField(
        _("residents counted in"), null=True, blank=True,
        validators=[MinValueValidator(1800), MaxValueValidator(2200)],
        help_text=_("The year the resident count refers to (e.g. the census year)."),
    )
    population_source = models.CharField(
        _("source of the resident count"), max_length=200, blank=True, validators=[single_line],
        help_text=_("Where the resident count comes from, shown on the coverage page."),
    )
    retired = models.BooleanField(
        _("retired"), default=False,
        help_text=_("No longer in the loaded boundaries (load_areas --replace): never offered, "
                    "counted or used to place a point; its events keep it."),
    )

    objects = CurrentAreaManager()
    all_objects = CommunityAreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("community area")
        verbose_name_plural = _("community areas")
        ordering = ["name"]
        base_manager_name = "all_objects"

    def __str__(self):
        return self.name


class HealingEventQuerySet(ModeratedQuerySet):
    def mappable(self):
        """Approved events with a public point, ready for the Healing Map."""
        return self.approved().filter(public_latitude__isnull=False, public_longitude__isnull=False)

    def in_area(self, area):
        return self.filter(community_area=area)

    def upcoming(self, now=None):
        return self.filter(starts_at__gte=now or timezone.now())

    def past(self, now=None):
        return self.filter(starts_at__lt=now or timezone.now())

    def needing_location(self):
        return self.filter(needs_location=True)

    def listed_partners(self) -> list[dict]:
        """Organizations hosting an approved event that asked to be listed: name and website, once each."""
        partners: dict[str, dict] = {}
        rows = (self.approved().filter(host_type=HealingEvent.HostType.ORGANIZATION, list_as_partner=True)
                .exclude(host_name="").order_by("host_name", "-website").values_list("host_name", "website"))
        for name, website in rows:
            partners.setdefault(name.casefold(), {"name": name, "website": website})
        return list(partners.values())

    def over(self, now=None):
        """Events whose end (or start, when no end is given) has passed."""
        now = now or timezone.now()
        return self.filter(Q(ends_at__lt=now) | Q(ends_at__isnull=True, starts_at__lt=now))


class HealingEvent(ModeratedModel):
    class Kind(models.TextChoices):
        DIALOGUE = "dialogue", _("Promote Dialogue")
        COLLABORATION = "collaboration", _("Encourage Collaboration")
        LEARNING = "learning", _("Facilitate Learning")
        CONNECTIONS = "connections", _("Seed Connections")

    class Format(models.TextChoices):
        VIRTUAL = "virtual", _("Virtual")
        IN_PERSON = "in_person", _("In person")
        HYBRID = "hybrid", _("Hybrid")

    class HostType(models.TextChoices):
        ORGANIZATION = "organization", _("An organization")
        INDIVIDUAL = "individual", _("An individual")

    class LocationBasis(models.TextChoices):
        HOST = "host", _("The host's location")
        IDEAL = "ideal", _("Where it would ideally be held in person")

    class Language(models.TextChoices):
        ENGLISH = "en", _("English")
        SPANISH = "es", _("Spanish")
        POLISH = "pl", _("Polish")
        CHINESE = "zh", _("Chinese")
        ARABIC = "ar", _("Arabic")
        HINDI = "hi", _("Hindi")
        ASL = "asl", _("American Sign Language")
        OTHER = "other", _("Another language")

    class Stakeholder(models.TextChoices):
        YOUTH = "youth", _("Youth")
        FAITH = "faith", _("Faith leaders")
        POLICE = "police", _("Police")
        EDUCATORS = "educators", _("Educators")
        BUSINESSES = "businesses", _("Businesses")
        OFFICIALS = "officials", _("Elected officials")
        ORGANIZATIONS = "organizations", _("Community organizations")
        FAMILIES = "families", _("Families affected by violence")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        WEB = "web", _("Web form")
        STAFF = "staff", _("Entered by staff on someone's behalf")

    # What an individual who gives no name is shown as, in the language they shared in.
    INDIVIDUAL_DEFAULT_NAME = lazy(lambda: gettext("A %(city)s resident") % {"city": settings.CAMPAIGN_CITY}, str)()

    # --- The event
    title = models.CharField(_("title"), validators=[single_line], max_length=150, help_text=_("A short name for the event."))
    description = models.TextField(
        _("description"), validators=[multi_line], max_length=3000,
        help_text=_("What happened or will happen, who it is for, and how it helps healing."),
    )
    kind = models.CharField(
        _("activity kind"), max_length=20, choices=Kind.choices, db_index=True,
        help_text=_("Which of the four healing activities it is."),
    )
    format = models.CharField(
        _("format"), max_length=12, choices=Format.choices, db_index=True,
        help_text=_("Virtual, in person, or both."),
    )
    starts_at = models.DateTimeField(_("starts"), validators=[validate_sane_date], db_index=True, help_text=_("Date and start time."))
    ends_at = models.DateTimeField(_("ends"), validators=[validate_sane_date], null=True, blank=True, help_text=_("Optional end time."))
    participants = models.PositiveIntegerField(
        _("estimated participants"), validators=[MaxValueValidator(100000)],
        help_text=_("How many people took part or are expected, as an estimate."),
    )
    language_of_event = models.CharField(
        _("language of the event"), max_length=10, choices=Language.choices, default=Language.ENGLISH,
        help_text=_("The main language spoken at the event."),
    )
    stakeholders = models.JSONField(
        _("stakeholders at the table"), default=list, blank=True,
        help_text=_("Who took part, from the campaign's list."),
    )
    rsvp_url = models.URLField(
        _("join or RSVP link"), blank=True, max_length=500,
        help_text=_("A public link to join or register, for upcoming events."),
    )

    # --- The host (public display fields only)
    host_type = models.CharField(
        _("host type"), max_length=15, choices=HostType.choices,
        help_text=_("Whether an organization or an individual hosts it."),
    )
    host_name = models.CharField(
        _("host display name"), validators=[single_line], max_length=120,
        help_text=_("Shown publicly: an organization's name, or an individual's first name; an "
                    "individual who gives none is shown as a resident of the city."),
    )
    website = models.URLField(
        _("organization website"), blank=True, max_length=300, help_text=_("Optional, public.")
    )
    list_as_partner = models.BooleanField(
        _("list as a partner"), default=False, db_default=False,  # old code inserts rows during a rolling release
        help_text=_("Organizations only: once the event is approved, the about page lists the "
                    "organization's name and website among the campaign's partners."),
    )

    # --- Location
    location_basis = models.CharField(
        _("location basis"), max_length=10, choices=LocationBasis.choices,
        help_text=_("Whether the point is the host's location or the ideal in-person location."),
    )
    address = models.CharField(
        _("address"), validators=[single_line], max_length=255, blank=True,
        help_text=_("Street address or intersection. Private for individuals."),
    )
    latitude = models.FloatField(
        _("precise latitude"), null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
        help_text=_("Never public for individuals."),
    )
    longitude = models.FloatField(
        _("precise longitude"), null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
        help_text=_("Never public for individuals."),
    )
    publish_exact_location = models.BooleanField(
        _("publish exact location"), default=False,
        help_text=_("Organizations only: show the exact point instead of an approximate one."),
    )
    public_latitude = models.FloatField(
        _("public latitude"), null=True, blank=True, editable=False,
        help_text=_("What the map shows: derived from the precise point by the privacy rules."),
    )
    public_longitude = models.FloatField(
        _("public longitude"), null=True, blank=True, editable=False,
        help_text=_("What the map shows: derived from the precise point by the privacy rules."),
    )
    community_area = models.ForeignKey(
        CommunityArea, verbose_name=_("community area"), on_delete=models.PROTECT,
        related_name="events", help_text=_("The area where it is mapped."),
    )
    needs_location = models.BooleanField(
        _("needs location"), default=False, db_index=True,
        help_text=_("The address could not be located automatically; staff should place it."),
    )

    # --- Message of healing
    message = models.TextField(
        _("message of healing"), validators=[multi_line], max_length=500, blank=True,
        help_text=_("A message of healing for the city (up to 500 characters)."),
    )
    message_consent = models.BooleanField(
        _("message may be published"), default=False,
        help_text=_("The submitter agreed that the message may be shown publicly."),
    )

    # --- Private contact (never public)
    contact_name = models.CharField(_("contact name"), validators=[single_line], max_length=120, help_text=_("Private."))
    contact_email = models.EmailField(_("contact email"), help_text=_("Private."))
    contact_phone = models.CharField(_("contact phone"), validators=[single_line], max_length=30, blank=True, help_text=_("Private."))

    # --- Provenance
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.WEB,
        help_text=_("Submitted through the web form, or entered by staff."),
    )
    source_note = models.TextField(
        _("intake note"), validators=[multi_line], blank=True, max_length=1000,
        help_text=_("For staff intake: who asked and how (phone call, paper form...)."),
    )
    submission_token = models.UUIDField(
        _("submission token"), null=True, blank=True, unique=True, editable=False,
        help_text=_("One per rendered form, so a double submit creates one event."),
    )

    # --- After the event
    report_requested_at = models.DateTimeField(
        _("report requested at"), null=True, blank=True, editable=False,
        help_text=_("When the host was emailed the link to report back; set once, never resent."),
    )
    edition = edition_field(related_name="events")

    objects = HealingEventQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=CONTACT_FIELDS)

    class Meta:
        verbose_name = _("healing event")
        verbose_name_plural = _("healing events")
        ordering = ["-submitted_at"]
        permissions = [("moderate_healingevent", "Can approve or reject healing events")]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False, latitude__gte=-90, latitude__lte=90,
                    longitude__gte=-180, longitude__lte=180),
                name="event_precise_point_in_range",
                violation_error_message=_("Please give both a latitude and a longitude, within range."),
            ),
            models.CheckConstraint(
                condition=Q(public_latitude__isnull=True, public_longitude__isnull=True)
                | Q(public_latitude__isnull=False, public_longitude__isnull=False,
                    public_latitude__gte=-90, public_latitude__lte=90,
                    public_longitude__gte=-180, public_longitude__lte=180),
                name="event_public_point_in_range",
                violation_error_message=_("The public point must have both a latitude and a longitude, "
                                          "within range."),
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=~Q(host_type="individual") | Q(publish_exact_location=False),
                name="event_individual_never_exact",
                violation_error_message=_("An individual's exact location is never published."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        """The check constraints' rules, each tied to the field a person can correct.

        Model validation skips a constraint whose fields already have an error, so a form shows
        these messages next to the field instead of a constraint's message at the top.
        """
        super().clean()
        errors = {}
        if (self.latitude is None) != (self.longitude is None):
            errors["latitude"] = _("Please give both a latitude and a longitude.")
        if self.ends_at and self.starts_at and self.ends_at < self.starts_at:
            errors["ends_at"] = _("The end must be after the start.")
        if self.host_type == self.HostType.INDIVIDUAL and self.publish_exact_location:
            errors["publish_exact_location"] = _("An individual's exact location is never published.")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.pk])

    @property
    def is_virtual(self) -> bool:
        return self.format == self.Format.VIRTUAL

    @property
    def public_message(self) -> str:
        return self.message if self.message_consent else ""

    @property
    def stakeholder_labels(self) -> list[str]:
        labels = dict(self.Stakeholder.choices)
        return [str(labels[s]) for s in self.stakeholders if s in labels]


class HealingMessageQuerySet(ModeratedQuerySet):
    pass


class HealingMessage(ModeratedModel):
    """An ambassador's message of healing, shared without an event."""

    display_name = models.CharField(
        _("display name"), validators=[single_line], max_length=80, blank=True,
        help_text=_("Shown with the message; leave empty to stay anonymous."),
    )
    community_area = models.ForeignKey(
        CommunityArea, verbose_name=_("community area"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="messages", help_text=_("Optional."),
    )
    text = models.TextField(_("message"), validators=[multi_line], max_length=500, help_text=_("Up to 500 characters."))
    email = models.EmailField(
        _("email"), blank=True, help_text=_("Private: only to tell the person about the decision.")
    )
    submission_token = models.UUIDField(
        _("submission token"), null=True, blank=True, unique=True, editable=False,
        help_text=_("One per rendered form, so a double submit creates one message."),
    )
    edition = edition_field(related_name="messages")

    objects = HealingMessageQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["email"])

    class Meta:
        verbose_name = _("message of healing")
        verbose_name_plural = _("messages of healing")
        ordering = ["-submitted_at"]
        permissions = [("moderate_healingmessage", "Can approve or reject messages of healing")]

    def __str__(self):
        return self.text[:60]

    @property
    def shown_name(self) -> str:
        return self.display_name or str(_("Anonymous"))


class ReportQuestion(models.Model):
    """The question a host's report asks for each kind of activity; staff may reword it.

    The four defaults are created by a migration in English and translated when shown: a
    question left as its default reads in the host's language, a reworded one as staff wrote it.
    """

    kind = models.CharField(
        _("activity kind"), max_length=20, choices=HealingEvent.Kind.choices, unique=True,
        help_text=_("The kind of healing activity this question is asked about."),
    )
    question = models.CharField(
        _("question"), max_length=200, help_text=_("Asked of the host, e.g. “What was heard?”."),
    )
    help_text = models.CharField(
        _("help text"), max_length=300, blank=True, help_text=_("Shown under the question."),
    )

    class Meta:
        verbose_name = _("report question")
        verbose_name_plural = _("report questions")
        ordering = ["kind"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.question}"


class EventReportQuerySet(ModeratedQuerySet):
    def with_public_photo(self):
        return self.approved().filter(photo_status=Status.APPROVED).exclude(photo="")


class EventReport(ModeratedModel):
    """A host's report after the event: what actually happened, moderated like everything else.

    The figures and words are approved with the report's status; the photo and the quote for
    the public wall each have their own decision, so one bad photo does not hold back the rest.
    """

    class Source(models.TextChoices):
        HOST = "host", _("The host, from the emailed link")
        STAFF = "staff", _("Entered by staff on the host's behalf")

    event = models.OneToOneField(
        HealingEvent, verbose_name=_("event"), on_delete=models.CASCADE, related_name="report",
        help_text=_("The event this report is about."),
    )
    participants = models.PositiveIntegerField(
        _("reported participants"), validators=[MaxValueValidator(100000)],
        help_text=_("How many people actually took part."),
    )
    what_happened = models.TextField(
        _("what happened"), max_length=1500, help_text=_("A short account of the event."),
    )
    answer = models.TextField(
        _("answer to the activity's question"), max_length=1500, blank=True,
        help_text=_("What was heard, learned, done together or connected, by kind of activity."),
    )
    question = models.CharField(
        _("question asked"), max_length=200, blank=True,
        help_text=_("The activity's question as it was asked, kept with the answer."),
    )
    commitment = models.CharField(
        _("commitment for the path forward"), max_length=300, blank=True,
        help_text=_("One thing the group will do next."),
    )
    missing_stakeholders = models.JSONField(
        _("missing from the table"), default=list, blank=True,
        help_text=_("Who was missing, from the campaign's stakeholder list."),
    )
    photo = models.FileField(
        _("photo"), upload_to="reports/%Y/", blank=True, max_length=200,
        help_text=_("Resized, with its camera and location metadata removed."),
    )
    photo_alt = models.CharField(
        _("photo description (alt text)"), max_length=250, blank=True,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    photo_status = models.CharField(
        _("photo status"), max_length=12, choices=Status.choices, default=Status.PENDING,
        help_text=_("The photo is published only once staff approve it."),
    )
    quote = models.CharField(
        _("quote for the public wall"), max_length=300, blank=True,
        help_text=_("Optional words to share publicly."),
    )
    quote_consent = models.BooleanField(
        _("quote may be published"), default=False,
        help_text=_("The host agreed that the quote may be shown publicly."),
    )
    quote_status = models.CharField(
        _("quote status"), max_length=12, choices=Status.choices, default=Status.PENDING,
        help_text=_("The quote is published only once staff approve it."),
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.HOST,
        help_text=_("Sent by the host, or entered by staff on their behalf."),
    )
    source_note = models.TextField(
        _("intake note"), blank=True, max_length=1000,
        help_text=_("For staff intake: who reported and how (phone call, paper form...)."),
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("entered by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
        help_text=_("The staff member who entered it on the host's behalf."),
    )
    edition = edition_field(related_name="event_reports", help_text=_("The edition of the event it reports on."))

    objects = EventReportQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("event report")
        verbose_name_plural = _("event reports")
        ordering = ["-submitted_at"]
        permissions = [("moderate_eventreport", "Can approve or reject event reports")]
        constraints = [
            models.CheckConstraint(
                condition=Q(photo="") | ~Q(photo_alt=""), name="report_photo_has_alt_text",
            ),
        ]

    def __str__(self):
        return str(_("Report on “%(title)s”") % {"title": self.event.title})

    @property
    def public_photo(self):
        return self.photo if self.photo and self.photo_status == Status.APPROVED else None

    @property
    def public_quote(self) -> str:
        return self.quote if self.quote_consent and self.quote_status == Status.APPROVED else ""

    @property
    def missing_labels(self) -> list[str]:
        labels = dict(HealingEvent.Stakeholder.choices)
        return [str(labels[s]) for s in self.missing_stakeholders if s in labels]


__all__ = ["CommunityArea", "EventReport", "HealingEvent", "HealingMessage", "ReportQuestion", "Status"]
