# SPDX-License-Identifier: EUPL-1.2
"""Repair places of the Reparatiekaart and the categories of things they repair.

A place always has coordinates: given (an address point, an OpenStreetMap node) or,
when none were given, the centroid of its four-digit postcode area, and then
``coordinates_derived`` is set so that no map or list presents the point as the
address. Its municipality is derived from the point (which of the region's
municipal boundaries holds it) or, failing that, from the postcode area.

Opening hours are kept in OpenStreetMap ``opening_hours`` syntax. Text that cannot
be read as such is kept as it was and flagged (``opening_hours_unparsable``); it is
never dropped.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from cirkelregio.core.i18n import Localized

# A generous box around the European Netherlands (degrees, WGS84): a place must lie
# inside it. It catches swapped or mistyped coordinates, not every point just
# across the border.
NL_BBOX = (50.70, 3.20, 53.70, 7.30)  # south, west, north, east

# A Dutch postcode: four digits (not starting with 0), optionally followed by two
# letters; stored as "1234 AB" or, for a postcode area only, "1234".
POSTCODE_REGEX = r"^\s*([1-9][0-9]{3})\s?([A-Za-z]{2})?\s*$"


class PlaceKind(models.TextChoices):
    REPAIR_CAFE = "repair_cafe", _("Repair café")
    REPAIR_BUSINESS = "repair_business", _("Repair business")
    BICYCLE_REPAIR = "bicycle_repair", _("Bicycle repair")
    TAILOR = "tailor", _("Tailor")
    SHOEMAKER = "shoemaker", _("Shoemaker")
    ELECTRONICS_REPAIR = "electronics_repair", _("Electronics repair")
    OTHER = "other", _("Other")


# The categories of things repaired: code, Dutch label, English label. The codes are
# fixed (imports and the API refer to them); migration 0002 creates the rows.
CATEGORIES: list[tuple[str, str, str]] = [
    ("bicycle", "Fietsen", "Bicycles"),
    ("electronics", "Elektronica", "Electronics"),
    ("computer", "Computers en laptops", "Computers and laptops"),
    ("phone", "Telefoons en tablets", "Phones and tablets"),
    ("household_appliances", "Huishoudelijke apparaten", "Household appliances"),
    ("clothing", "Kleding en textiel", "Clothing and textiles"),
    ("shoes", "Schoenen", "Shoes"),
    ("furniture", "Meubels", "Furniture"),
    ("toys", "Speelgoed", "Toys"),
    ("jewellery_watches", "Sieraden en horloges", "Jewellery and watches"),
    ("tools", "Gereedschap", "Tools"),
    ("other", "Overig", "Other"),
]
CATEGORY_CODES: list[str] = [code for code, _nl, _en in CATEGORIES]


class RepairCategory(models.Model):
    """A category of things repaired (bicycles, clothing, ...), with its labels."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    name = Localized("name")

    class Meta:
        verbose_name = _("repair category")
        verbose_name_plural = _("repair categories")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name_nl


class RepairPlace(models.Model):
    """A place where things are repaired: a Repair Café, a repair business, a
    bicycle repairer, a tailor, a shoemaker. Contact details are the place's public
    business contact, never a person's."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=PlaceKind.choices)
    street = models.CharField(
        _("street and number"), max_length=200, blank=True, default=""
    )
    postcode = models.CharField(
        _("postcode"),
        max_length=7,
        blank=True,
        default="",
        help_text=_("1234 AB, or only the four digits of the postcode area."),
    )
    city = models.CharField(_("city"), max_length=100, blank=True, default="")
    municipality = models.ForeignKey(
        "regions.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repair_places",
        help_text=_("Derived from the location, or else from the postcode."),
    )
    lat = models.FloatField(
        _("latitude"),
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    lon = models.FloatField(
        _("longitude"),
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    coordinates_derived = models.BooleanField(
        _("location derived from the postcode"),
        default=False,
        help_text=_(
            "The point is the centroid of the four-digit postcode area, not the "
            "address itself."
        ),
    )
    categories = models.ManyToManyField(
        RepairCategory,
        verbose_name=_("categories"),
        blank=True,
        related_name="places",
    )
    repairs_nl = models.TextField(_("what is repaired (Dutch)"), blank=True)
    repairs_en = models.TextField(_("what is repaired (English)"), blank=True)
    not_repaired_nl = models.TextField(_("what is not repaired (Dutch)"), blank=True)
    not_repaired_en = models.TextField(_("what is not repaired (English)"), blank=True)
    opening_hours = models.CharField(
        _("opening hours"),
        max_length=500,
        blank=True,
        help_text=_(
            "OpenStreetMap opening_hours syntax, e.g. Mo-Fr 09:00-17:00; PH off, or "
            "Sa[2] 10:00-13:00 for the second Saturday of the month."
        ),
    )
    opening_hours_unparsable = models.BooleanField(
        _("opening hours unreadable"),
        default=False,
        help_text=_(
            "The opening hours could not be read as OpenStreetMap opening_hours; "
            "they are kept as text."
        ),
    )
    website = models.URLField(_("website"), max_length=500, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    owner = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repair_places",
        help_text=_("The organisation whose editors keep this place up to date."),
    )
    source = models.CharField(
        _("source"),
        max_length=200,
        blank=True,
        help_text=_("Where the record comes from, e.g. OpenStreetMap or a partner."),
    )
    import_key = models.CharField(
        _("import key"),
        max_length=300,
        blank=True,
        help_text=_("Finds the record again on the next import of its source."),
    )
    last_verified = models.DateField(_("last verified"), null=True, blank=True)
    internal_notes = models.TextField(
        _("internal notes"),
        blank=True,
        help_text=_("Only for the owner's editors and coordinators."),
    )
    is_published = models.BooleanField(_("published"), default=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    repairs = Localized("repairs")
    not_repaired = Localized("not_repaired")

    class Meta:
        verbose_name = _("repair place")
        verbose_name_plural = _("repair places")
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["import_key"],
                condition=~models.Q(import_key=""),
                name="repair_place_import_key_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["lat", "lon"], name="repair_place_lat_lon"),
            models.Index(fields=["lon"], name="repair_place_lon"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def pc4(self) -> str:
        return self.postcode[:4]
