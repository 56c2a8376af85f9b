# SPDX-License-Identifier: EUPL-1.2
"""Agricycling: seasons, the owners' mowing parcels, the cooperative's farms with
their capacity per season, the season's tariffs, compost batches with their CMC
certification and the stored allocation runs (docs/agricycling.md)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cirkelregio.engine.agricycling.allocation import (
    DEFAULT_ALTERNATIVE_EUR_PER_T,
    DEFAULT_DETOUR_FACTOR,
    DEFAULT_MAX_DISTANCE_KM,
)

OWNER_KINDS = ("municipality", "province", "water_board", "civil_society", "other")
"""Who owns mowings: municipalities, the province, water boards and nature managers
(terrain managers, TBO's: civil-society organisations or 'other')."""

DEMO_TIME_LIMIT = 20.0
"""Seconds HiGHS may use for a run started on the page (small, for the demo)."""

MONEY = {"max_digits": 12, "decimal_places": 4}


class Season(models.Model):
    label = models.CharField(
        _("label"), max_length=40, unique=True, help_text=_("E.g. 2026.")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("season")
        verbose_name_plural = _("seasons")
        ordering = ["-starts_on", "label"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="agricycling_season_dates",
                violation_error_message=_("The season cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.label


class MowingParcel(models.Model):
    """A road verge, ditch bank or nature area whose mowings an owner offers; found
    again on re-import by the owner and ``external_id``."""

    owner = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="mowing_parcels",
        limit_choices_to={"kind__in": OWNER_KINDS},
    )
    external_id = models.CharField(_("external id"), max_length=100)
    name = models.CharField(_("name"), max_length=200)
    geometry = models.JSONField(
        _("geometry"),
        help_text=_("GeoJSON LineString or Polygon (or Multi-) in WGS84 (RFC 7946)."),
    )
    centroid_lat = models.FloatField(_("centroid latitude"))
    centroid_lon = models.FloatField(_("centroid longitude"))
    municipality = models.ForeignKey(
        "regions.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mowing_parcels",
        help_text=_("The municipality the centroid lies in."),
    )
    tonnes_per_round = models.FloatField(
        _("tonnes per mowing round"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    rounds_per_season = models.PositiveSmallIntegerField(
        _("mowing rounds per season"), null=True, blank=True
    )
    tonnes_per_season = models.FloatField(
        _("expected tonnes per season"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=_("When empty: tonnes per round times rounds per season."),
    )
    quality_notes = models.TextField(_("quality notes"), blank=True)
    alternative_eur_per_t = models.FloatField(
        _("alternative cost (EUR/t)"),
        default=DEFAULT_ALTERNATIVE_EUR_PER_T,
        validators=[MinValueValidator(0)],
        help_text=_(
            "What the owner pays per tonne when the mowings are not placed (today's "
            "disposal); default 45, the planning models' default (section 1)."
        ),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("mowing parcel")
        verbose_name_plural = _("mowing parcels")
        ordering = ["owner__name", "external_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "external_id"],
                name="agricycling_parcel_external_id_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.external_id} {self.name}"

    @property
    def engine_id(self) -> str:
        return f"{self.owner.slug}:{self.external_id}"

    @property
    def expected_tonnes(self) -> float:
        if self.tonnes_per_season is not None:
            return float(self.tonnes_per_season)
        return float(self.tonnes_per_round or 0) * int(self.rounds_per_season or 0)

    def clean(self) -> None:
        if self.tonnes_per_season is None and (
            self.tonnes_per_round is None or self.rounds_per_season is None
        ):
            raise ValidationError(
                {
                    "tonnes_per_season": _(
                        "Give the expected tonnes per season, or the tonnes per "
                        "mowing round and the rounds per season."
                    )
                }
            )


class Farm(models.Model):
    """A farm that composts mowings on its own yard (CMC) and spreads the compost
    on its own land."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    is_member = models.BooleanField(
        _("member of the cooperative"),
        default=True,
        help_text=_("Members share the cooperative's result at the end of the year."),
    )
    organisation = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agricycling_farms",
        help_text=_("The farm's organisation: its editors see the farm's statement."),
    )
    lat = models.FloatField(
        _("latitude"), validators=[MinValueValidator(50.7), MaxValueValidator(53.7)]
    )
    lon = models.FloatField(
        _("longitude"), validators=[MinValueValidator(3.2), MaxValueValidator(7.3)]
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agricycling_farms",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("farm")
        verbose_name_plural = _("farms")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class FarmCapacity(models.Model):
    farm = models.ForeignKey(
        Farm,
        verbose_name=_("farm"),
        on_delete=models.CASCADE,
        related_name="capacities",
    )
    season = models.ForeignKey(
        Season,
        verbose_name=_("season"),
        on_delete=models.CASCADE,
        related_name="capacities",
    )
    capacity_t = models.FloatField(
        _("composting capacity (t)"),
        help_text=_("Tonnes of mowings the farm can compost in the season (> 0)."),
    )

    class Meta:
        verbose_name = _("farm capacity")
        verbose_name_plural = _("farm capacities")
        ordering = ["season", "farm__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["farm", "season"], name="agricycling_capacity_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(capacity_t__gt=0),
                name="agricycling_capacity_positive",
                violation_error_message=_(
                    "The capacity must be more than 0 t; leave a farm without "
                    "capacity out of the season."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.farm} {self.season}: {self.capacity_t:g} t"


class CompostValueTo(models.TextChoices):
    FARM = "farm", _("The farm (spread on its own land, in kind)")
    COOPERATIVE = "cooperative", _("The cooperative (sold)")


class Tariffs(models.Model):
    """The cooperative's tariffs for a season; all four amounts are needed."""

    season = models.OneToOneField(
        Season,
        verbose_name=_("season"),
        on_delete=models.CASCADE,
        related_name="tariffs",
    )
    fee_eur_per_t = models.DecimalField(
        _("fee from the owner (EUR/t)"),
        validators=[MinValueValidator(Decimal(0))],
        **MONEY,
    )
    transport_eur_per_tkm = models.DecimalField(
        _("transport cost (EUR per tonne-km)"),
        validators=[MinValueValidator(Decimal(0))],
        **MONEY,
    )
    composting_eur_per_t = models.DecimalField(
        _("composting fee to the farm (EUR/t)"),
        validators=[MinValueValidator(Decimal(0))],
        **MONEY,
    )
    compost_value_eur_per_t = models.DecimalField(
        _("compost value (EUR per t compost)"),
        validators=[MinValueValidator(Decimal(0))],
        **MONEY,
    )
    compost_yield = models.DecimalField(
        _("compost yield (t compost per t mowings)"),
        null=True,
        blank=True,
        max_digits=8,
        decimal_places=6,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Empty: 3,330 / 3,920 (Fryslân, research section 4)."),
    )
    compost_value_to = models.CharField(
        _("compost value goes to"),
        max_length=20,
        choices=CompostValueTo.choices,
        default=CompostValueTo.FARM,
    )
    source = models.TextField(
        _("source or decision"),
        help_text=_("Where the tariffs come from, e.g. the members' meeting decision."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("tariffs")
        verbose_name_plural = _("tariffs")
        ordering = ["season"]

    def __str__(self) -> str:
        return str(self.season)


class CertificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    CERTIFIED = "certified", _("Certified CMC compost")
    REJECTED = "rejected", _("Rejected")


class CompostBatch(models.Model):
    """A batch of compost of a farm in a season, with its CMC certification (by
    Stagro, research section 4) and the lab analysis."""

    farm = models.ForeignKey(
        Farm,
        verbose_name=_("farm"),
        on_delete=models.CASCADE,
        related_name="batches",
    )
    season = models.ForeignKey(
        Season,
        verbose_name=_("season"),
        on_delete=models.PROTECT,
        related_name="batches",
    )
    code = models.CharField(_("batch code"), max_length=60)
    tonnes = models.FloatField(_("compost (t)"), validators=[MinValueValidator(0.001)])
    status = models.CharField(
        _("CMC certification"),
        max_length=20,
        choices=CertificationStatus.choices,
        default=CertificationStatus.PENDING,
    )
    certifier = models.CharField(
        _("certifier"), max_length=100, blank=True, help_text=_("E.g. Stagro.")
    )
    certified_on = models.DateField(_("decided on"), null=True, blank=True)
    organic_matter_pct_dm = models.FloatField(
        _("organic matter (% of dry matter)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    dry_matter_pct = models.FloatField(
        _("dry matter (%)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    nitrogen_g_per_kg = models.FloatField(
        _("N total (g/kg product)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    phosphate_g_per_kg = models.FloatField(
        _("P2O5 (g/kg product)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    potash_g_per_kg = models.FloatField(
        _("K2O (g/kg product)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    ph = models.FloatField(
        _("pH"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(14)],
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("compost batch")
        verbose_name_plural = _("compost batches")
        ordering = ["season", "farm__name", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["farm", "code"], name="agricycling_batch_code_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.farm} {self.code}"


class AllocationMode(models.TextChoices):
    SPLIT = "split", _("A parcel may be split over farms (transportation LP)")
    WHOLE = "whole", _("Each parcel goes whole to one farm (exact MILP)")


class AllocationRun(models.Model):
    """One allocation of a season's mowings to the farms, with the engine's result
    (``Allocation.to_dict()``) stored as it came."""

    season = models.ForeignKey(
        Season,
        verbose_name=_("season"),
        on_delete=models.CASCADE,
        related_name="runs",
    )
    mode = models.CharField(_("mode"), max_length=10, choices=AllocationMode.choices)
    max_distance_km = models.FloatField(
        _("maximum distance (km)"),
        default=DEFAULT_MAX_DISTANCE_KM,
        validators=[MinValueValidator(0.001)],
    )
    detour_factor = models.FloatField(
        _("detour factor"),
        default=DEFAULT_DETOUR_FACTOR,
        validators=[MinValueValidator(1)],
    )
    time_limit = models.FloatField(_("time limit (s)"), default=DEMO_TIME_LIMIT)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    seconds = models.FloatField(_("seconds"), default=0)
    status = models.CharField(_("status"), max_length=20)
    gap = models.FloatField(_("gap"), null=True, blank=True)
    placed_tonnes = models.FloatField(_("placed (t)"), default=0)
    unplaced_tonnes = models.FloatField(_("unplaced (t)"), default=0)
    result = models.JSONField(_("result"))
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.season} {self.mode} #{self.pk}"
