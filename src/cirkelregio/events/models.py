# SPDX-License-Identifier: EUPL-1.2
"""Repair events and the Reparatieweek (action line 6, "Heel Utrecht Repareert").

A repair event is a Repair Café session, a repair workshop, a swap or share event:
at a repair place of the Reparatiekaart or at an address in a municipality, from a
start to an end (Europe/Amsterdam), once or recurring by an iCalendar rule (every
second Saturday, ...). Twice a year the alliance holds a Reparatieweek: an edition
with a theme (clothing, ...) whose activities are the events linked to it, listed
per municipality.

Only published events are public (on the site, in the API and in the calendar
feeds), and only when their edition, if they have one, is published too.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from cirkelregio.core.i18n import Localized


class EventKind(models.TextChoices):
    REPAIR_CAFE = "repair_cafe", _("Repair Café session")
    WORKSHOP = "workshop", _("Repair workshop")
    SWAP_SHARE = "swap_share", _("Swap or share event")
    OTHER = "other", _("Other")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ReparatieweekEdition(models.Model):
    """One Reparatieweek: its dates and theme. Coordinators manage editions."""

    name = models.CharField(_("name"), max_length=200)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    theme_nl = models.CharField(_("theme (Dutch)"), max_length=200, blank=True)
    theme_en = models.CharField(_("theme (English)"), max_length=200, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    theme = Localized("theme")
    description = Localized("description")

    class Meta:
        verbose_name = _("Reparatieweek edition")
        verbose_name_plural = _("Reparatieweek editions")
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="events_edition_end_after_start",
                violation_error_message=_(
                    "The last day cannot be before the first day."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RepairEvent(models.Model):
    """A repair event, once or recurring. Its municipality is that of its repair
    place when it has one; otherwise it has an address in the municipality."""

    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    place = models.ForeignKey(
        "repair.RepairPlace",
        verbose_name=_("repair place"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        help_text=_("Where the event is held, if it is at a place on the map."),
    )
    address = models.CharField(
        _("address"),
        max_length=300,
        blank=True,
        help_text=_("Street, number, postcode and place, when not at a repair place."),
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        blank=True,
        related_name="repair_events",
        help_text=_("That of the repair place, when the event is held at one."),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    recurrence = models.CharField(
        _("recurrence"),
        max_length=500,
        blank=True,
        help_text=_(
            "An iCalendar rule (RRULE), e.g. FREQ=MONTHLY;BYDAY=2SA;UNTIL=20271231 "
            "for every second Saturday until the end of 2027. Empty for a single "
            "session."
        ),
    )
    last_end = models.DateTimeField(
        _("end of the last session"),
        editable=False,
        help_text=_("Worked out from the start, the end and the recurrence."),
    )
    edition = models.ForeignKey(
        ReparatieweekEdition,
        verbose_name=_("Reparatieweek edition"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        help_text=_("An activity of this Reparatieweek."),
    )
    organiser = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repair_events",
        help_text=_("Its editors may change the event."),
    )
    website = models.URLField(_("website"), max_length=500, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EventStatus.choices,
        default=EventStatus.DRAFT,
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    title = Localized("title")
    description = Localized("description")

    class Meta:
        verbose_name = _("repair event")
        verbose_name_plural = _("repair events")
        ordering = ["start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="events_event_end_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "start", "last_end"], name="events_when"),
        ]

    def __str__(self) -> str:
        return self.title_nl

    @property
    def is_published(self) -> bool:
        return self.status == EventStatus.PUBLISHED

    @property
    def is_recurring(self) -> bool:
        return bool(self.recurrence)
