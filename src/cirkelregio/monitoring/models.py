# SPDX-License-Identifier: EUPL-1.2
"""Regional monitoring: a registry of key figures (indicators) and their values per
municipality (or the region as a whole) and year, computed from the other modules or
entered by hand with a source."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cirkelregio.core.i18n import Localized

#: The earliest year a value may have: the alliance started in 2015 (koersdocument,
#: "tien jaar" in the introduction) and no module holds older figures.
FIRST_YEAR = 2015


class Unit(models.TextChoices):
    COUNT = "count", _("count")
    TONNE = "t", _("tonnes")
    KG = "kg", _("kilograms")
    KG_CO2E = "kg CO2e", _("kg CO2-equivalent")
    EUR = "EUR", _("euro")
    PERCENT = "%", _("per cent")
    YES_NO = "0/1", _("yes (1) or no (0)")


#: Units whose values are whole numbers.
WHOLE_UNITS = {Unit.COUNT, Unit.YES_NO}
#: Units that cannot be negative whatever the indicator's range says.
NON_NEGATIVE_UNITS = {Unit.COUNT, Unit.TONNE, Unit.KG, Unit.PERCENT, Unit.YES_NO}


class Direction(models.TextChoices):
    HIGHER_BETTER = "higher_better", _("higher is better")
    LOWER_BETTER = "lower_better", _("lower is better")
    NEUTRAL = "neutral", _("neutral")


class Scope(models.TextChoices):
    REGION = "region", _("region")
    MUNICIPALITY = "municipality", _("municipality")


class SourceKind(models.TextChoices):
    COMPUTED = "computed", _("computed from a module")
    MANUAL = "manual", _("entered by hand")


class Indicator(models.Model):
    """A key figure of the alliance: what it measures, in which unit, where its values
    come from and, where the koersdocument or national policy sets one, its target."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    definition_nl = models.TextField(_("definition (Dutch)"))
    definition_en = models.TextField(_("definition (English)"), blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    min_value = models.FloatField(_("minimum value"), null=True, blank=True)
    max_value = models.FloatField(_("maximum value"), null=True, blank=True)
    decimals = models.PositiveSmallIntegerField(
        _("decimals"), default=0, validators=[MaxValueValidator(6)]
    )
    direction = models.CharField(
        _("direction"),
        max_length=20,
        choices=Direction.choices,
        default=Direction.HIGHER_BETTER,
    )
    action_line = models.ForeignKey(
        "regions.ActionLine",
        verbose_name=_("action line"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    scope = models.CharField(
        _("scope"),
        max_length=20,
        choices=Scope.choices,
        default=Scope.MUNICIPALITY,
        help_text=_(
            "Municipality: values per municipality and a region total where it "
            "makes sense; region: one value per year for the whole region."
        ),
    )
    source_kind = models.CharField(
        _("source kind"), max_length=20, choices=SourceKind.choices
    )
    source_function = models.CharField(
        _("source function"),
        max_length=80,
        blank=True,
        help_text=_("The function in monitoring.sources that computes the values."),
    )
    source_nl = models.TextField(
        _("source"),
        help_text=_("Where the figures come from (module, register, publication)."),
    )
    target_value = models.FloatField(_("target value"), null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(
        _("target year"), null=True, blank=True
    )
    target_source = models.TextField(
        _("target source"),
        blank=True,
        help_text=_("The document that sets the target, with section or line."),
    )
    is_published = models.BooleanField(_("published"), default=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    name = Localized("name")
    definition = Localized("definition")

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name_nl

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if not (self.source_nl or "").strip():
            errors["source_nl"] = str(_("Every indicator needs a source."))
        if self.source_kind == SourceKind.COMPUTED and not self.source_function:
            errors["source_function"] = str(
                _("A computed indicator names the function that computes it.")
            )
        if self.source_kind == SourceKind.MANUAL and self.source_function:
            errors["source_function"] = str(
                _("An indicator entered by hand has no source function.")
            )
        if (
            self.min_value is not None
            and self.max_value is not None
            and self.min_value > self.max_value
        ):
            errors["max_value"] = str(
                _("The maximum value is below the minimum value.")
            )
        if self.target_value is not None:
            if self.target_year is None:
                errors["target_year"] = str(_("A target needs the year it is set for."))
            if not (self.target_source or "").strip():
                errors["target_source"] = str(
                    _("A target needs the document that sets it.")
                )
        elif self.target_year is not None or (self.target_source or "").strip():
            errors["target_value"] = str(
                _("A target year or source is given without a target value.")
            )
        if errors:
            raise ValidationError(errors)


class IndicatorValue(models.Model):
    """One value of an indicator for a municipality (or the region as a whole when
    ``municipality`` is empty) and a year."""

    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("indicator"),
        on_delete=models.CASCADE,
        related_name="values",
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicator_values",
        help_text=_("Empty for the region as a whole."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR)]
    )
    value = models.FloatField(_("value"))
    source = models.TextField(_("source"))
    is_computed = models.BooleanField(_("computed"), default=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator__order", "indicator__code", "year", "municipality"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "municipality", "year"],
                condition=models.Q(municipality__isnull=False),
                name="indicatorvalue_one_per_municipality_year",
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                condition=models.Q(municipality__isnull=True),
                name="indicatorvalue_one_region_value_per_year",
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "year"], name="indicatorvalue_ind_year"),
            models.Index(
                fields=["municipality", "year"], name="indicatorvalue_mun_year"
            ),
        ]

    def __str__(self) -> str:
        where = self.municipality or _("region")
        return f"{self.indicator.code} {where} {self.year}: {self.value}"
