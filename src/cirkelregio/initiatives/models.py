# SPDX-License-Identifier: EUPL-1.2
"""Circular resident initiatives (action line 7, "Circulaire bewonersinitiatieven"):
a directory of initiatives such as repair cafés, give-away shops and shared cars,
with the support they look for, and one low-threshold contact point (aanspreekpunt)
per municipality that helps them.

Contact details are those of the initiative or of a municipal department, not of a
private person. An initiative's e-mail address and phone number are shown publicly
only when ``contact_consent`` is set; without it only coordinators and the owner
organisation's editors see them.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cirkelregio.core.i18n import Localized

phone_number = RegexValidator(
    r"^\+?[0-9][0-9 ()-]{5,22}$",
    _("Enter a phone number of digits, spaces and dashes, e.g. 030 123 4567."),
)


class InitiativeType(models.TextChoices):
    REPAIR_CAFE = "repair_cafe", _("Repair Café")
    SHARE_CAR = "share_car", _("Shared car")
    SWAP_AND_SHARE = "swap_and_share", _("Swapping and sharing")
    GIVE_AWAY_SHOP = "give_away_shop", _("Give-away shop")
    UPCYCLING = "upcycling", _("Upcycling")
    FOOD = "food", _("Food")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    STARTING = "starting", _("Starting")
    GROWING = "growing", _("Growing")
    PROFESSIONAL = "professional", _("Professional")


class Need(models.TextChoices):
    """The kinds of support an initiative can ask for."""

    SPACE = "space", _("Space")
    VOLUNTEERS = "volunteers", _("Volunteers")
    FUNDING = "funding", _("Funding")
    PUBLICITY = "publicity", _("Publicity")
    PERMITS = "permits", _("Permits")
    ADVICE = "advice", _("Advice")
    MATERIALS = "materials", _("Materials")
    OTHER = "other", _("Other")


class InitiativeStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


NEEDS_SEPARATOR = ","


def needs_join(codes: object) -> str:
    """Need codes as stored: unique, in the order of ``Need``, comma-separated.
    Unknown codes raise a ValidationError that names them."""
    if isinstance(codes, str):
        codes = [c for c in codes.split(NEEDS_SEPARATOR) if c.strip()]
    if not isinstance(codes, (list, tuple, set, frozenset)):
        raise ValidationError(_("Give the kinds of support as a list of codes."))
    given = {str(c).strip() for c in codes}
    unknown = sorted(given - set(Need.values))
    if unknown:
        raise ValidationError(
            _("Unknown kind of support: %(codes)s."),
            params={"codes": ", ".join(unknown)},
        )
    return NEEDS_SEPARATOR.join(code for code in Need.values if code in given)


def validate_needs(value: str) -> None:
    if value and needs_join(value) != value:
        raise ValidationError(_("The kinds of support are not in the stored form."))


class Initiative(models.Model):
    """A resident initiative in one municipality, e.g. a repair café or a
    give-away shop. Suggestions from the public wait (``suggested``) until a
    coordinator publishes them."""

    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=InitiativeType.choices)
    municipality = models.ForeignKey(
        "regions.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.STARTING
    )
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    needs = models.CharField(
        _("support needed"),
        max_length=200,
        blank=True,
        validators=[validate_needs],
        help_text=_("Codes of the kinds of support, comma-separated."),
    )
    support_text = models.TextField(
        _("support needed, in their own words"), max_length=2000, blank=True
    )
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(
        _("contact e-mail"),
        blank=True,
        help_text=_("Preferably a general address of the initiative."),
    )
    contact_phone = models.CharField(
        _("contact phone"), max_length=30, blank=True, validators=[phone_number]
    )
    contact_consent = models.BooleanField(
        _("show e-mail and phone publicly"),
        default=False,
        help_text=_(
            "Only with the consent of the initiative: without it, only coordinators "
            "and the owner organisation see the e-mail address and phone number."
        ),
    )
    owner = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("owner organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="initiatives",
        help_text=_("Its editors may change the initiative."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.SUGGESTED,
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    description = Localized("description")

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(description_nl="", description_en=""),
                name="initiatives_initiative_has_description",
                violation_error_message=_("Give a description in Dutch or English."),
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "municipality"], name="initiatives_status_muni"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def need_codes(self) -> list[str]:
        return [c for c in self.needs.split(NEEDS_SEPARATOR) if c]

    @property
    def need_labels(self) -> list[str]:
        return [str(Need(c).label) for c in self.need_codes]

    @property
    def is_published(self) -> bool:
        return self.status == InitiativeStatus.PUBLISHED


class ContactPoint(models.Model):
    """The local contact point (aanspreekpunt) for resident initiatives in a
    municipality: a department or role, not a person. At most one is active per
    municipality (a partial unique index)."""

    municipality = models.ForeignKey(
        "regions.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="initiative_contact_points",
    )
    organisation = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="initiative_contact_points",
        help_text=_("The organisation that runs the contact point."),
    )
    role_name = models.CharField(
        _("role or department"),
        max_length=200,
        help_text=_("E.g. a sustainability team; not a person's name."),
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(
        _("phone"), max_length=30, blank=True, validators=[phone_number]
    )
    website = models.URLField(_("website"), blank=True)
    hours_nl = models.CharField(_("hours (Dutch)"), max_length=300, blank=True)
    hours_en = models.CharField(_("hours (English)"), max_length=300, blank=True)
    last_verified = models.DateField(
        _("last verified"), help_text=_("When these details were last checked.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    hours = Localized("hours")

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")
        ordering = ["municipality__name", "-is_active", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality"],
                condition=models.Q(is_active=True),
                name="initiatives_one_active_contact_point",
                violation_error_message=_(
                    "This municipality already has an active contact point."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(email="", phone="", website=""),
                name="initiatives_contact_point_reachable",
                violation_error_message=_(
                    "Give an e-mail address, a phone number or a website."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.role_name}"
