# SPDX-License-Identifier: EUPL-1.2
"""Circulaire Ambachtscentra (action line 7): which shared craft centres should the
region open, where, and serving whom?

- ``BulkyWasteFigure``: the bulky household waste (grof afval) of a municipality in a
  year, in kg per inhabitant or in tonnes, with its source (a CBS table or entered).
  A figure without a municipality is the province-wide default for that year.
- ``CentreSite``: an existing centre or a candidate site.
- ``NetworkScenario``: the parameters of a network plan (model, the values of p, the
  coverage distance, the detour factor, the reusable fraction with its source, the
  candidate sites), with one stored ``ScenarioResult`` per p: the engine's result
  (``cirkelregio.engine.craftcentres``) as JSON, so the pages show it without
  solving again.

The reusable fraction has no default: no sourced figure exists
(``docs/craftcentres.md``). Without it the harvestable tonnes are unknown.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

FIRST_YEAR = 2000
LAST_YEAR = 2100
MAX_P = 30


class FigureSource(models.TextChoices):
    CBS = "cbs", _("CBS table")
    ENTERED = "entered", _("Entered")


class BulkyWasteFigure(models.Model):
    """Bulky household waste in one year: per inhabitant or in tonnes, for one
    municipality or (no municipality) as the province-wide default."""

    municipality = models.ForeignKey(
        "regions.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="bulky_waste_figures",
        help_text=_("Empty: the default for every municipality without a figure."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )
    kg_per_inhabitant = models.FloatField(
        _("kg per inhabitant per year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0)],
    )
    tonnes = models.FloatField(
        _("tonnes per year"), null=True, blank=True, validators=[MinValueValidator(0.0)]
    )
    source_kind = models.CharField(
        _("kind of source"), max_length=10, choices=FigureSource.choices
    )
    source = models.TextField(_("source"))
    is_demo = models.BooleanField(_("demo data"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("bulky-waste figure")
        verbose_name_plural = _("bulky-waste figures")
        ordering = ["-year", "municipality__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"],
                name="craftcentres_figure_unique",
            ),
            models.UniqueConstraint(
                fields=["year"],
                condition=models.Q(municipality__isnull=True),
                name="craftcentres_default_figure_unique",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kg_per_inhabitant__isnull=False, tonnes__isnull=True)
                    | models.Q(kg_per_inhabitant__isnull=True, tonnes__isnull=False)
                ),
                name="craftcentres_figure_one_quantity",
                violation_error_message=_(
                    "Give either kg per inhabitant or tonnes, not both."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(tonnes__isnull=True)
                | models.Q(municipality__isnull=False),
                name="craftcentres_default_figure_per_inhabitant",
                violation_error_message=_(
                    "The province-wide default is given in kg per inhabitant."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(source=""),
                name="craftcentres_figure_sourced",
                violation_error_message=_("Give the source of the figure."),
            ),
        ]

    def __str__(self) -> str:
        where = self.municipality.name if self.municipality else _("default")
        return f"{where} {self.year}"


class SiteKind(models.TextChoices):
    EXISTING = "existing", _("Existing centre")
    CANDIDATE = "candidate", _("Candidate site")


class CentreSite(models.Model):
    """An existing craft centre (always open in a network) or a candidate site."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=10, choices=SiteKind.choices, default=SiteKind.CANDIDATE
    )
    operator = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("operator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="craft_centre_sites",
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="craft_centre_sites",
    )
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    postcode = models.CharField(
        _("postcode area"),
        max_length=4,
        blank=True,
        help_text=_("When given without a location, the centre of the PC4 area."),
    )
    location_from_postcode = models.BooleanField(
        _("location is the centre of the postcode area"), default=False
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    source = models.TextField(
        _("source"), blank=True, help_text=_("Where an existing centre is documented.")
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="craft_centre_sites",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("craft-centre site")
        verbose_name_plural = _("craft-centre sites")
        ordering = ["municipality__name", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "name"], name="craftcentres_site_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(lat__gte=-90, lat__lte=90, lon__gte=-180)
                & models.Q(lon__lte=180),
                name="craftcentres_site_position",
                violation_error_message=_("The position is not on Earth."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_existing(self) -> bool:
        return self.kind == SiteKind.EXISTING


class NetworkModel(models.TextChoices):
    P_MEDIAN = "p-median", _("Shortest average distance (p-median)")
    COVERAGE = "coverage", _("Most inhabitants within the distance (coverage)")


class NetworkScenario(models.Model):
    """A network plan: the parameters, the sites it chooses from, and (in
    ``results``) the network the engine found for each p."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    model = models.CharField(_("model"), max_length=10, choices=NetworkModel.choices)
    p_values = models.JSONField(
        _("numbers of centres (p)"),
        default=list,
        help_text=_("The numbers of centres to plan for, e.g. [1, 2, 3]."),
    )
    coverage_km = models.FloatField(
        _("coverage distance (km)"), default=10.0, validators=[MinValueValidator(0.0)]
    )
    detour_factor = models.FloatField(
        _("detour factor"), default=1.3, validators=[MinValueValidator(1.0)]
    )
    reusable_percent = models.FloatField(
        _("reusable share of bulky waste (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0.0), MaxValueValidator(100.0)],
        help_text=_("Empty: unknown; then the harvestable tonnes are not computed."),
    )
    reusable_source = models.TextField(_("source of the reusable share"), blank=True)
    year = models.PositiveSmallIntegerField(
        _("year of the bulky-waste figures"),
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )
    parameters = models.JSONField(
        _("parameters as used"),
        default=dict,
        help_text=_("The engine's parameters, with the kg per inhabitant used."),
    )
    sites = models.ManyToManyField(
        CentreSite, verbose_name=_("sites"), related_name="scenarios"
    )
    chosen_p = models.PositiveSmallIntegerField(
        _("network put forward (p)"),
        null=True,
        blank=True,
        help_text=_("Empty: the network with the most centres."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    is_demo = models.BooleanField(_("demo data"), default=False)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="craft_centre_scenarios",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("network scenario")
        verbose_name_plural = _("network scenarios")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reusable_percent__isnull=True)
                | models.Q(reusable_percent__gte=0, reusable_percent__lte=100),
                name="craftcentres_reusable_range",
                violation_error_message=_(
                    "The reusable share must be between 0 and 100 %."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(reusable_percent__isnull=True)
                | ~models.Q(reusable_source=""),
                name="craftcentres_reusable_sourced",
                violation_error_message=_(
                    "Give the source of the reusable share, or say that it is an "
                    "assumption."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ps(self) -> list[int]:
        return [int(p) for p in self.p_values]


class ScenarioResult(models.Model):
    """The network of one scenario for one p: ``NetworkResult.to_dict()`` of the
    engine, stored as JSON."""

    scenario = models.ForeignKey(
        NetworkScenario,
        verbose_name=_("scenario"),
        on_delete=models.CASCADE,
        related_name="results",
    )
    p = models.PositiveSmallIntegerField(_("number of centres (p)"))
    data: Any = models.JSONField(_("result"))
    seconds = models.FloatField(_("seconds"), default=0.0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("network result")
        verbose_name_plural = _("network results")
        ordering = ["scenario", "p"]
        constraints = [
            models.UniqueConstraint(
                fields=["scenario", "p"], name="craftcentres_result_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scenario} p={self.p}"
