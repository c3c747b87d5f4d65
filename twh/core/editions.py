"""Campaign editions: one run of the campaign (dates, submission window, theme), year after year.

Part of the shared floor: events and summit point their rows at an edition and ask
`Edition.objects.current()`, and import nothing else from each other for it.

The current edition is one rule: **the edition with the latest campaign start on or before
today (the site's time zone); before any has started, the one that starts first.** New
submissions belong to it, and public pages show it unless `?edition=` asks for another.
A fresh database gets its first edition from the settings' dates (CAMPAIGN_START/END,
SUBMISSIONS_OPEN/CLOSE): they are only that first edition's defaults.
"""

import time
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FIRST_SLUG_FORMAT = "{start:%Y}-{end:%y}"


class EditionClosed(Exception):
    """A submission to an edition staff have closed: it is a read-only archive."""


# Every public map request asks which edition is current; the ORM query costs about 2 ms of CPU,
# a third of serving a cached map document. Each process remembers the answer for a few seconds
# (EDITION_MEMO_SECONDS) and forgets it when an edition is saved or deleted here; another
# process sees a new or changed edition that much later.
_current_memo: dict[date, tuple[float, "Edition"]] = {}


def forget_current_edition(**kwargs) -> None:
    _current_memo.clear()


class EditionQuerySet(models.QuerySet):
    def current(self, today: date | None = None) -> "Edition":
        """The current edition (see the module's rule); the first one is created if none exists."""
        today = today or timezone.localdate()
        memo_seconds = settings.EDITION_MEMO_SECONDS
        plain = not self.query.where.children
        if plain and memo_seconds > 0:
            remembered = _current_memo.get(today)
            if remembered is not None and time.monotonic() - remembered[0] < memo_seconds:
                return remembered[1]
        edition = self.filter(starts_on__lte=today).order_by("-starts_on", "-pk").first()
        edition = edition or self.order_by("starts_on", "pk").first() or create_first_edition()
        if plain and memo_seconds > 0:
            _current_memo.clear()  # one day's answer at a time
            _current_memo[today] = (time.monotonic(), edition)
        return edition

    def open(self):
        return self.filter(closed_at__isnull=True)


class Edition(models.Model):
    name = models.CharField(_("name"), max_length=100, help_text=_("As the public reads it, e.g. “2020–21”."))
    slug = models.SlugField(
        _("short name in links"), max_length=40, unique=True,
        help_text=_("Used in links and file names: ?edition=2020-21. Letters, digits and hyphens."),
    )
    starts_on = models.DateField(_("campaign starts"), help_text=_("The first day of the campaign."))
    ends_on = models.DateField(_("campaign ends"), help_text=_("The last day of the campaign."))
    submissions_open_on = models.DateField(
        _("submissions open"), null=True, blank=True,
        help_text=_("The first day events and messages may be shared; empty: from the start."),
    )
    submissions_close_on = models.DateField(
        _("submissions close"), null=True, blank=True,
        help_text=_("The last day events and messages may be shared; empty: until it is closed."),
    )
    theme = models.TextField(
        _("theme"), blank=True, max_length=2000,
        help_text=_("A few sentences on this edition's theme, shown on the home page."),
    )
    closed_at = models.DateTimeField(
        _("closed at"), null=True, blank=True, editable=False,
        help_text=_("When staff closed it: submissions stopped and it became a read-only archive."),
    )

    objects = EditionQuerySet.as_manager()

    class Meta:
        app_label = "twh"
        verbose_name = _("campaign edition")
        verbose_name_plural = _("campaign editions")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="edition_ends_after_start",
                violation_error_message=_("The campaign must end on or after its first day."),
            ),
            models.CheckConstraint(
                condition=models.Q(submissions_open_on__isnull=True) | models.Q(submissions_close_on__isnull=True)
                | models.Q(submissions_close_on__gte=models.F("submissions_open_on")),
                name="edition_submissions_close_after_open",
                violation_error_message=_("Submissions must close on or after the day they open."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("The campaign must end on or after its first day.")})
        if (self.submissions_open_on and self.submissions_close_on
                and self.submissions_close_on < self.submissions_open_on):
            raise ValidationError({"submissions_close_on": _("Submissions must close on or after the day they open.")})

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    def sharing_window(self, today: date | None = None) -> "SharingWindow":
        today = today or timezone.localdate()
        if self.is_closed:
            return SharingWindow(is_open=False, has_ended=True)
        if self.submissions_open_on and today < self.submissions_open_on:
            return SharingWindow(is_open=False, opens_on=self.submissions_open_on)
        if self.submissions_close_on and today > self.submissions_close_on:
            return SharingWindow(is_open=False, has_ended=True)
        return SharingWindow(is_open=True)

    def accepts_submissions(self, today: date | None = None) -> bool:
        return self.sharing_window(today).is_open


@dataclass(frozen=True)
class SharingWindow:
    """Where today sits in an edition's submission window: open, not yet open (with the day it
    opens), or ended (its window passed, or staff closed it)."""

    is_open: bool
    opens_on: date | None = None
    has_ended: bool = False


def first_edition_values() -> dict:
    """The first edition, from the settings' dates (its defaults, and only its)."""
    start, end = settings.CAMPAIGN_START, settings.CAMPAIGN_END or settings.CAMPAIGN_START
    return {
        "name": f"{start:%Y}–{end:%y}" if end.year != start.year else f"{start:%Y}",
        "slug": FIRST_SLUG_FORMAT.format(start=start, end=end) if end.year != start.year else f"{start:%Y}",
        "starts_on": start, "ends_on": end,
        "submissions_open_on": settings.SUBMISSIONS_OPEN, "submissions_close_on": settings.SUBMISSIONS_CLOSE,
    }


def create_first_edition() -> Edition:
    values = first_edition_values()
    with transaction.atomic():
        edition, _created = Edition.objects.get_or_create(slug=values.pop("slug"), defaults=values)
    return edition


def current_edition_id() -> int:
    """The default of every row's `edition`: new rows belong to the current edition."""
    return Edition.objects.current().pk


@transaction.atomic
def close_edition(*, edition: Edition) -> bool:
    """Stop submissions to an edition for good; it stays online as a read-only archive.
    Returns False if it was closed already. The caller bumps the public-data version."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.is_closed:
        return False
    edition.closed_at = timezone.now()
    edition.save(update_fields=["closed_at"])
    return True


def edition_field(**overrides) -> models.ForeignKey:
    """The `edition` foreign key every campaign row carries: the current edition by default."""
    options = {
        "verbose_name": _("campaign edition"), "on_delete": models.PROTECT, "default": current_edition_id,
        "related_name": "+", "help_text": _("The edition of the campaign it belongs to."),
    }
    return models.ForeignKey(Edition, **{**options, **overrides})


models.signals.post_save.connect(forget_current_edition, sender=Edition, dispatch_uid="forget_current_edition_save")
models.signals.post_delete.connect(forget_current_edition, sender=Edition, dispatch_uid="forget_current_edition_delete")
