"""The summit, its agenda and prompts, registrations (with the waitlist) and reflections.

Public code reaches summits through `Summit.objects.current()` and reflections only through
`approved()`; registrations and the meeting link never reach a public page.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from twh.core.editions import edition_field
from twh.core.moderation import ModeratedModel, ModeratedQuerySet
from twh.core.validation import multi_line, single_line, validate_sane_date

# Private fields kept out of the audit history, so purging a person purges them everywhere.
PRIVATE_FIELDS = ["name", "email", "organization", "area_or_zip", "interpretation_language",
                  "access_needs_other", "heard_about_other"]


class SummitQuerySet(models.QuerySet):
    def current(self):
        """The one summit the site promotes now, as a QuerySet: `.first()` is None while staff
        have not set one."""
        return self.filter(is_current=True)


class Summit(models.Model):
    title = models.CharField(_("title"), validators=[single_line], max_length=150, help_text=_("The summit's name."))
    description = models.TextField(
        _("description"), validators=[multi_line], max_length=5000, help_text=_("What the summit is and who it is for. Public.")
    )
    starts_at = models.DateTimeField(_("starts"), validators=[validate_sane_date], help_text=_("Date and start time, in the city's time zone."))
    ends_at = models.DateTimeField(_("ends"), validators=[validate_sane_date], help_text=_("Date and end time, in the city's time zone."))
    meeting_url = models.URLField(
        _("meeting link"), max_length=500, blank=True,
        help_text=_("Private: the virtual meeting link, sent only to confirmed registrants."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), validators=[MinValueValidator(1), MaxValueValidator(100000)],
        help_text=_("How many people can attend; sign-ups beyond it join the waitlist."),
    )
    registration_opens_at = models.DateTimeField(
        _("registration opens"), validators=[validate_sane_date], null=True, blank=True, help_text=_("Empty: open now.")
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"), validators=[validate_sane_date], null=True, blank=True, help_text=_("Empty: open until the summit starts.")
    )
    is_current = models.BooleanField(
        _("current summit"), default=False,
        help_text=_("The summit shown at /summit/. Only one summit can be current."),
    )
    edition = edition_field(related_name="summits")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SummitQuerySet.as_manager()
    # The per-language columns (summit/translation.py) are not in the history: it records the
    # title and description as the editor saw them, in the admin's language.
    history = HistoricalRecords(excluded_fields=["meeting_url", *(
        f"{field}_{code.replace('-', '_')}" for field in ("title", "description")
        for code, _name in settings.LANGUAGES)])

    class Meta:
        verbose_name = _("summit")
        verbose_name_plural = _("summits")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="summit_ends_after_start",
                                   violation_error_message=_("The summit must end after it starts.")),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="summit_capacity_positive"),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True) | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="summit_registration_window_order",
            ),
            models.UniqueConstraint(
                fields=["is_current"], condition=Q(is_current=True), name="summit_one_current",
                violation_error_message=_("Another summit is already the current one: untick it first."),
            ),
        ]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("summit:index") if self.is_current else reverse("summit:detail", args=[self.pk])

    @property
    def registration_closes(self):
        return self.registration_closes_at or self.starts_at

    def registration_state(self, now=None) -> str:
        """"not_yet", "open" or "closed": whether sign-ups are taken now (full or not)."""
        now = now or timezone.now()
        if self.edition.is_closed:  # a closed edition's summit is part of its archive
            return "closed"
        if self.registration_opens_at and now < self.registration_opens_at:
            return "not_yet"
        if now >= self.registration_closes or now >= self.ends_at:
            return "closed"
        return "open"

    def is_past(self, now=None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    def confirmed_count(self) -> int:
        return self.registrations.confirmed().count()

    def places_left(self) -> int:
        return max(self.capacity - self.confirmed_count(), 0)

    def meeting_link_visible(self, now=None) -> bool:
        """The meeting link appears on registrants' private pages only close to the start."""
        now = now or timezone.now()
        opens = self.starts_at - timedelta(minutes=settings.SUMMIT_LINK_VISIBLE_MINUTES_BEFORE)
        return bool(self.meeting_url) and opens <= now < self.ends_at


class AgendaItem(models.Model):
    summit = models.ForeignKey(Summit, verbose_name=_("summit"), on_delete=models.CASCADE,
                               related_name="agenda_items")
    starts_at = models.DateTimeField(_("time"), validators=[validate_sane_date], help_text=_("When this part starts, in the city's time zone."))
    title = models.CharField(_("title"), validators=[single_line], max_length=150)
    speakers = models.CharField(_("speakers"), validators=[single_line], max_length=300, blank=True,
                                help_text=_("Names as they should appear publicly."))
    description = models.TextField(_("description"), validators=[multi_line], max_length=2000, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["starts_at", "pk"]

    def __str__(self):
        return self.title


class SummitPrompt(models.Model):
    """A reflection prompt of the summit's own, offered next to the two standing prompts."""

    summit = models.ForeignKey(Summit, verbose_name=_("summit"), on_delete=models.CASCADE,
                               related_name="prompts")
    text = models.CharField(_("prompt"), validators=[single_line], max_length=200, help_text=_("A question people reflect on."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("reflection prompt")
        verbose_name_plural = _("reflection prompts")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.text


class RegistrationQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def waitlisted(self):
        """The waitlist in order: who joined it first is promoted first."""
        return self.filter(status=Registration.Status.WAITLISTED).order_by("queued_at", "pk")

    def active(self):
        return self.exclude(status=Registration.Status.CANCELLED)

    def with_access_needs(self):
        return self.filter(Q(needs_asl=True) | Q(needs_captions=True) | Q(needs_interpretation=True)
                           | ~Q(access_needs_other=""))

    def access_needs_pending(self):
        return self.active().with_access_needs().filter(access_needs_done_at__isnull=True)

    def due_reminder(self):
        return self.confirmed().filter(reminded_at__isnull=True)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Registered")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")

    class Role(models.TextChoices):
        PARTNER = "partner", _("Partner (hosted an event)")
        AMBASSADOR = "ambassador", _("Ambassador")
        ANCHOR = "anchor", _("Anchor organization")
        CITY_STAFF = "city_staff", _("City staff")
        OTHER = "other", _("Other")

    class HeardAbout(models.TextChoices):
        CAMPAIGN_EMAIL = "campaign_email", _("An email from the campaign")
        PARTNER = "partner", _("A partner or anchor organization")
        EVENT = "event", _("At a healing event")
        SOCIAL = "social", _("Social media")
        NEWS = "news", _("News or radio")
        FRIEND = "friend", _("A friend or colleague")
        CITY = "city", _("The City's website")
        OTHER = "other", _("Other")

    summit = models.ForeignKey(Summit, verbose_name=_("summit"), on_delete=models.PROTECT,
                               related_name="registrations")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, db_index=True)
    # --- The person (private)
    name = models.CharField(_("name"), validators=[single_line], max_length=120, help_text=_("Private."))
    email = models.EmailField(_("email"), help_text=_("Private; stored in lower case."))
    organization = models.CharField(_("organization"), validators=[single_line], max_length=150, blank=True)
    area_or_zip = models.CharField(_("community area or ZIP code"), validators=[single_line], max_length=80, blank=True)
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, db_index=True)
    # --- Access needs
    needs_asl = models.BooleanField(_("ASL interpretation"), default=False)
    needs_captions = models.BooleanField(_("live captions"), default=False)
    needs_interpretation = models.BooleanField(_("language interpretation"), default=False)
    interpretation_language = models.CharField(
        _("interpretation language"), validators=[single_line], max_length=60, blank=True, help_text=_("Which language.")
    )
    access_needs_other = models.CharField(_("other access needs"), validators=[single_line], max_length=300, blank=True)
    access_needs_done_at = models.DateTimeField(
        _("access needs arranged"), null=True, blank=True,
        help_text=_("When staff finished arranging this person's access needs."),
    )
    heard_about = models.CharField(_("how they heard"), max_length=20, choices=HeardAbout.choices,
                                   blank=True)
    heard_about_other = models.CharField(_("how they heard (other)"), validators=[single_line], max_length=150, blank=True)
    consent = models.BooleanField(_("consented to the privacy notice"), default=False)
    language = models.CharField(_("language used"), max_length=10, default="en",
                                help_text=_("Their emails are written in it."))
    # --- The waitlist and its bookkeeping
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    queued_at = models.DateTimeField(_("joined the waitlist"), null=True, blank=True,
                                     help_text=_("The waitlist is served in this order."))
    promoted_at = models.DateTimeField(_("promoted from the waitlist"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True,
                                       help_text=_("Set once, so the reminder is never sent twice."))
    attended_at = models.DateTimeField(_("checked in"), null=True, blank=True,
                                       help_text=_("When staff marked the person as attending."))
    status_email_sent_at = models.DateTimeField(
        _("status email sent"), null=True, blank=True, editable=False,
        help_text=_("When the confirmation or waitlist email last went out after a sign-up, so "
                    "signing up again with the same email re-sends it at most once in a while."),
    )
    submission_token = models.UUIDField(
        _("submission token"), null=True, blank=True, unique=True, editable=False,
        help_text=_("One per rendered form, so a double submit registers once."),
    )
    manage_key = models.UUIDField(
        _("private link key"), default=uuid.uuid4, editable=False,
        help_text=_("Part of the signed private link; a new key makes old links stop working."),
    )

    objects = RegistrationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=PRIVATE_FIELDS)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["summit", "email"], name="registration_one_per_email"),
            models.CheckConstraint(
                condition=~Q(status="waitlisted") | Q(queued_at__isnull=False),
                name="registration_waitlist_has_order",
            ),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    @property
    def has_access_needs(self) -> bool:
        return bool(self.needs_asl or self.needs_captions or self.needs_interpretation
                    or self.access_needs_other)

    def access_needs_summary(self) -> str:
        needs = []
        if self.needs_asl:
            needs.append(str(_("ASL")))
        if self.needs_captions:
            needs.append(str(_("captions")))
        if self.needs_interpretation:
            needs.append(str(_("interpretation")) + (f" ({self.interpretation_language})"
                                                       if self.interpretation_language else ""))
        if self.access_needs_other:
            needs.append(self.access_needs_other)
        return ", ".join(needs)

    def waitlist_position(self) -> int | None:
        """1 for the first person waiting; None when not on the waitlist."""
        if self.status != self.Status.WAITLISTED:
            return None
        ahead = Registration.objects.filter(summit_id=self.summit_id, status=self.Status.WAITLISTED).filter(
            Q(queued_at__lt=self.queued_at) | Q(queued_at=self.queued_at, pk__lt=self.pk)
        )
        return ahead.count() + 1


class AccessRequest(Registration):
    """The access-needs requests, as their own list in admin for the staff who arrange them."""

    class Meta:
        proxy = True
        verbose_name = _("access-needs request")
        verbose_name_plural = _("access-needs requests")


class ReflectionQuerySet(ModeratedQuerySet):
    def with_participant_flag(self):
        """Annotate `is_participant`: the private email matches a registration (never shown)."""
        # Registration emails are never empty, so an anonymous reflection never matches.
        registrations = Registration.objects.active().filter(email=OuterRef("email"))
        return self.annotate(is_participant=Exists(registrations))

    def for_prompt(self, key: str):
        """Reflections answering one prompt: "progress", "forward" or a summit prompt's id."""
        if key in (Reflection.Theme.PROGRESS, Reflection.Theme.FORWARD):
            return self.filter(theme=key)
        return self.filter(theme=Reflection.Theme.SUMMIT, summit_prompt_id=int(key))


class Reflection(ModeratedModel):
    class Theme(models.TextChoices):
        PROGRESS = "progress", _("The progress we made")
        FORWARD = "forward", _("A path forward for the coming year")
        SUMMIT = "summit", _("One of the summit's own prompts")

    summit = models.ForeignKey(Summit, verbose_name=_("summit"), null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="reflections",
                               help_text=_("The summit that was current when it was written."))
    theme = models.CharField(_("prompt"), max_length=10, choices=Theme.choices, db_index=True)
    summit_prompt = models.ForeignKey(
        SummitPrompt, verbose_name=_("summit prompt"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="reflections",
        help_text=_("Set when the reflection answers one of the summit's own prompts."),
    )
    text = models.TextField(_("reflection"), validators=[multi_line], max_length=1500, help_text=_("Up to 1,500 characters."))
    display_name = models.CharField(_("display name"), validators=[single_line], max_length=80, blank=True,
                                    help_text=_("Shown with the reflection; empty means anonymous."))
    email = models.EmailField(_("email"), blank=True,
                              help_text=_("Private: only to tell the person about the decision."))
    submission_token = models.UUIDField(
        _("submission token"), null=True, blank=True, unique=True, editable=False,
        help_text=_("One per rendered form, so a double submit creates one reflection."),
    )

    objects = ReflectionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["email"])

    class Meta:
        verbose_name = _("reflection")
        verbose_name_plural = _("reflections")
        ordering = ["-submitted_at"]
        permissions = [("moderate_reflection", "Can approve or reject summit reflections")]
        constraints = [
            models.CheckConstraint(
                condition=Q(theme="summit", summit_prompt__isnull=False)
                | (~Q(theme="summit") & Q(summit_prompt__isnull=True)),
                name="reflection_prompt_matches_theme",
            ),
        ]

    def __str__(self):
        return self.text[:60]

    @property
    def shown_name(self) -> str:
        return self.display_name or str(_("Anonymous"))

    @property
    def prompt_text(self) -> str:
        if self.theme == self.Theme.SUMMIT and self.summit_prompt_id:
            return self.summit_prompt.text
        return str(self.get_theme_display())
