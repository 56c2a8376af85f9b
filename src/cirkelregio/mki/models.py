# SPDX-License-Identifier: EUPL-1.2
"""MKI (milieukostenindicator) records: profile libraries, projects with variants and
bills of quantities, stored calculation results, and tenders with their bids.

The arithmetic lives in the engine (``cirkelregio.engine.mki``); these models hold the
data it is fed with and the results it returns. Profile values are stored in the long
format of the profile CSV (one row per profile, module and indicator).
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from cirkelregio.engine.mki import DATA_CATEGORIES, MODULES


class IndicatorSet(models.TextChoices):
    """Which built-in weighting set a profile's indicators belong to."""

    A1 = "nmd-a1", _("EN 15804+A1 (nmd-a1)")
    A2 = "nmd-a2", _("EN 15804+A2 (nmd-a2)")
    EITHER = "", _("Indicators both sets share")


class ProfileLibrary(models.Model):
    """A collection of environmental profiles (impact per functional unit), such as
    an export of the Nationale Milieudatabase, a set of EPDs or synthetic demo data."""

    name = models.CharField(_("name"), max_length=200)
    owner = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mki_libraries",
        help_text=_("Empty for a library shared by the whole alliance."),
    )
    description = models.TextField(_("description"), blank=True)
    is_synthetic = models.BooleanField(
        _("synthetic numbers"),
        default=False,
        help_text=_("Synthetic demonstration numbers, never NMD data."),
    )
    source = models.TextField(
        _("source"), blank=True, help_text=_("Where the profiles come from.")
    )
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Everyone may read a published library; check its licence."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    revision = models.PositiveIntegerField(
        _("revision"),
        default=0,
        help_text=_("Raised by every import; results calculated before are stale."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("profile library")
        verbose_name_plural = _("profile libraries")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="mki_library_name_unique_ci")
        ]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    library = models.ForeignKey(
        ProfileLibrary,
        verbose_name=_("library"),
        on_delete=models.CASCADE,
        related_name="profiles",
    )
    profile_id = models.CharField(_("profile code"), max_length=100)
    name = models.CharField(_("name"), max_length=300)
    unit = models.CharField(
        _("functional unit"), max_length=50, help_text=_("t, m2, m3, m, piece, ...")
    )
    data_category = models.CharField(
        _("data category"),
        max_length=2,
        choices=[(c, c) for c in DATA_CATEGORIES],
        help_text=_("NMD category; 3 is generic, unverified data (30 % uplift)."),
    )
    indicator_set = models.CharField(
        _("indicator set"),
        max_length=10,
        choices=IndicatorSet.choices,
        blank=True,
        default=IndicatorSet.EITHER,
    )

    class Meta:
        verbose_name = _("environmental profile")
        verbose_name_plural = _("environmental profiles")
        ordering = ["library", "profile_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["library", "profile_id"], name="mki_profile_code_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.name}"


class ProfileValue(models.Model):
    """Impact per functional unit of one profile, for one module and indicator."""

    profile = models.ForeignKey(
        Profile,
        verbose_name=_("profile"),
        on_delete=models.CASCADE,
        related_name="values",
    )
    module = models.CharField(
        _("module"), max_length=5, choices=[(m, m) for m in MODULES]
    )
    indicator = models.CharField(_("indicator"), max_length=60)
    value = models.FloatField(_("value"))

    class Meta:
        verbose_name = _("profile value")
        verbose_name_plural = _("profile values")
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "module", "indicator"],
                name="mki_profile_value_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.module} {self.indicator} {self.value}"


class ProjectPhase(models.TextChoices):
    DESIGN = "design", _("Design")
    TENDER = "tender", _("Tender")
    AS_BUILT = "as_built", _("As built")


class ReplacementRule(models.TextChoices):
    CEIL = "ceil", _("Whole replacements (round up)")
    FRACTIONAL = "fractional", _("Fractional replacements")


class Project(models.Model):
    """A GWW project whose MKI is calculated, for example a road resurfacing."""

    name = models.CharField(_("name"), max_length=200)
    owner = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="mki_projects",
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mki_projects",
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    phase = models.CharField(
        _("phase"),
        max_length=20,
        choices=ProjectPhase.choices,
        default=ProjectPhase.DESIGN,
    )
    description = models.TextField(_("description"), blank=True)
    reference_period = models.FloatField(
        _("reference period (years)"),
        default=50,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    replacement_rule = models.CharField(
        _("replacement rule"),
        max_length=20,
        choices=ReplacementRule.choices,
        default=ReplacementRule.CEIL,
    )
    is_published = models.BooleanField(_("published"), default=False)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("MKI project")
        verbose_name_plural = _("MKI projects")
        ordering = ["-year", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(reference_period__gt=0),
                name="mki_project_reference_period_positive",
                violation_error_message=_(
                    "The reference period must be more than 0 years."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.year})"


class Variant(models.Model):
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="variants",
    )
    name = models.CharField(_("name"), max_length=200)
    is_reference = models.BooleanField(
        _("reference variant"),
        default=False,
        help_text=_("The variant the others are compared with; one per project."),
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ["project", "-is_reference", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "name"], name="mki_variant_name_unique"
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=models.Q(is_reference=True),
                name="mki_one_reference_variant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.name}: {self.name}"


class Element(models.Model):
    """A part of the work (deklaag, onderlaag, opsluiting, ...) grouping bill lines."""

    variant = models.ForeignKey(
        Variant,
        verbose_name=_("variant"),
        on_delete=models.CASCADE,
        related_name="elements",
    )
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("element")
        verbose_name_plural = _("elements")
        ordering = ["variant", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "name"], name="mki_element_name_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class BillLine(models.Model):
    """A line of the bill of quantities: a quantity of a profile's functional unit."""

    element = models.ForeignKey(
        Element,
        verbose_name=_("element"),
        on_delete=models.CASCADE,
        related_name="lines",
    )
    line_id = models.CharField(
        _("line code"), max_length=100, help_text=_("Unique within the variant.")
    )
    profile = models.ForeignKey(
        Profile,
        verbose_name=_("profile"),
        on_delete=models.PROTECT,
        related_name="bill_lines",
    )
    quantity = models.FloatField(
        _("quantity"),
        validators=[MinValueValidator(0)],
        help_text=_("In the profile's functional unit."),
    )
    service_life_years = models.FloatField(
        _("service life (years)"),
        null=True,
        blank=True,
        help_text=_("Empty when the product lasts the whole reference period."),
    )

    class Meta:
        verbose_name = _("bill line")
        verbose_name_plural = _("bill lines")
        ordering = ["element", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0),
                name="mki_line_quantity_positive",
                violation_error_message=_("The quantity must be 0 or more."),
            ),
            models.CheckConstraint(
                condition=models.Q(service_life_years__isnull=True)
                | models.Q(service_life_years__gt=0),
                name="mki_line_service_life_positive",
                violation_error_message=_(
                    "The service life must be more than 0 years, or empty."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.line_id


class Outcome(models.TextChoices):
    SUCCEEDED = "succeeded", _("Calculated")
    FAILED = "failed", _("Could not be calculated")


class CalculationResult(models.Model):
    """The MKI of a variant as the engine calculated it, or why it could not."""

    variant = models.ForeignKey(
        Variant,
        verbose_name=_("variant"),
        on_delete=models.CASCADE,
        related_name="results",
    )
    method = models.CharField(
        _("weighting set"),
        max_length=100,
        help_text=_("nmd-a1, nmd-a2 or the code of a custom weighting set."),
    )
    include_module_d = models.BooleanField(_("module D included"), default=True)
    options = models.JSONField(_("options"), default=dict)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    total_eur = models.FloatField(_("MKI (euro)"), null=True, blank=True)
    breakdown = models.JSONField(
        _("breakdown"),
        default=dict,
        help_text=_("By line, element, module and indicator, in euro."),
    )
    error = models.TextField(_("error"), blank=True)
    missing_indicators = models.JSONField(
        _("indicators without a verified factor"), default=list, blank=True
    )
    inputs_fingerprint = models.CharField(
        _("inputs fingerprint"),
        max_length=64,
        help_text=_("SHA-256 of the inputs; differs from the current one when stale."),
    )
    calculated_at = models.DateTimeField(_("calculated"), auto_now_add=True)
    calculated_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("calculated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("calculation result")
        verbose_name_plural = _("calculation results")
        ordering = ["-calculated_at", "-id"]
        indexes = [
            models.Index(
                fields=["variant", "method", "outcome", "-calculated_at"],
                name="mki_result_latest",
            )
        ]

    def __str__(self) -> str:
        return f"{self.variant} {self.method} {self.total_eur}"


class CriterionKind(models.TextChoices):
    DISCOUNT = "discount", _("Fictitious discount between an upper and lower bound")
    FACTOR = "factor", _("k times the MKI added to the price")


class Tender(models.Model):
    """A tender (aanbesteding) that awards on price and MKI (BPKV/EMVI)."""

    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="tenders",
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("criterion"), max_length=20, choices=CriterionKind.choices
    )
    upper_bound = models.FloatField(
        _("upper MKI bound (euro)"),
        default=0,
        help_text=_("No discount at or above this MKI (discount criterion)."),
    )
    lower_bound = models.FloatField(
        _("lower MKI bound (euro)"),
        default=0,
        help_text=_("The full discount at or below this MKI (discount criterion)."),
    )
    max_discount = models.FloatField(
        _("maximum discount (euro)"), default=0, validators=[MinValueValidator(0)]
    )
    k = models.FloatField(
        _("factor k"),
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Euro added to the price per euro MKI (factor criterion)."),
    )
    penalty_factor = models.FloatField(
        _("penalty factor"),
        default=1.5,
        validators=[MinValueValidator(0)],
        help_text=_("Times the advantage gained when the as-built MKI is higher."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("tender")
        verbose_name_plural = _("tenders")
        ordering = ["project", "id"]

    def __str__(self) -> str:
        return self.name


class Bid(models.Model):
    tender = models.ForeignKey(
        Tender, verbose_name=_("tender"), on_delete=models.CASCADE, related_name="bids"
    )
    bidder_organisation = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("bidder organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mki_bids",
    )
    bidder_name = models.CharField(
        _("bidder name"),
        max_length=200,
        blank=True,
        help_text=_("For a bidder that is not a registered organisation."),
    )
    price = models.DecimalField(
        _("price (euro)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(0)],
    )
    promised_mki = models.FloatField(_("promised MKI (euro)"))
    as_built_mki = models.FloatField(_("as-built MKI (euro)"), null=True, blank=True)

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ["tender", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(bidder_organisation__isnull=False)
                | ~models.Q(bidder_name=""),
                name="mki_bid_has_bidder",
                violation_error_message=_(
                    "Name the bidder, or choose its organisation."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.bidder

    @property
    def bidder(self) -> str:
        if self.bidder_organisation_id is not None:
            return self.bidder_organisation.name  # type: ignore[union-attr]
        return self.bidder_name
