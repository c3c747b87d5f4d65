"""Site-wide data: the anchors; the floor's models (outbox, public-data version) are re-exported."""

from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from twh.core.models import OutboxEmail, OutboxEmailQuerySet, PublicDataVersion

__all__ = ["Anchor", "AnchorQuerySet", "OutboxEmail", "OutboxEmailQuerySet", "PublicDataVersion"]


class AnchorQuerySet(models.QuerySet):
    def listed(self):
        return self.filter(is_listed=True)


class Anchor(models.Model):
    """An organization that leads the campaign with the Office, shown on the about page."""

    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(
        _("short description"), max_length=500, blank=True,
        help_text=_("One or two sentences about the organization and its part in the campaign."),
    )
    url = models.URLField(_("website"), blank=True, max_length=300)
    logo = models.FileField(
        _("logo"), upload_to="anchors/", blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp", "gif"])],
        help_text=_("A PNG, JPEG, WebP or GIF image, ideally at least 240 pixels wide."),
    )
    logo_alt = models.CharField(
        _("logo text alternative"), max_length=200, blank=True,
        help_text=_("What the logo says or shows, for people who cannot see it; usually the organization's name."),
    )
    order = models.PositiveIntegerField(_("order"), default=0, help_text=_("Smaller numbers come first."))
    is_listed = models.BooleanField(_("listed on the about page"), default=True)

    objects = AnchorQuerySet.as_manager()

    class Meta:
        verbose_name = _("anchor organization")
        verbose_name_plural = _("anchor organizations")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(logo="") | ~models.Q(logo_alt=""), name="anchor_logo_has_alt_text",
                violation_error_message=_("A logo needs its text alternative."),
            ),
        ]

    def __str__(self):
        return self.name
