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

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cirkelregio.core.i18n import Localized

# A generous box around the European Netherlands (degrees, WGS84): a place must lie
# inside it. It catches swapped or mistyped coordinates, not every point just
# across the border.
NL_BBOX = (50.70, 3.20, 53.70, 7.30)  # south, west, north, east

# A Dutch postcode: four digits (not starting with 0), optionally followed by two
# letters; stored as "1234 AB" or, for a postcode area only, "1234".
POSTCODE_REGEX = r"^\s*([1-9][0-9]{3})\s?([A-Za-z]{2})?\s*$"


class PlaceKind(models.TextChoices):
    REPAIR_CAFE = "repair_cafe", _("Repair Café")
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
            # The search index's stamp reads the latest updated_at (search.py).
            models.Index(fields=["updated_at"], name="repair_place_updated_at"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def pc4(self) -> str:
        return self.postcode[:4]


# Suggestions from the public ----------------------------------------------------------


class SuggestionType(models.TextChoices):
    NEW = "new", _("New place")
    CORRECTION = "correction", _("Correction")


class SuggestionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


# The proposed values of a suggestion, named as the place's own fields.
SUGGESTION_PLACE_FIELDS: tuple[str, ...] = (
    "name",
    "kind",
    "street",
    "postcode",
    "city",
    "lat",
    "lon",
    "opening_hours",
    "website",
    "email",
    "phone",
    "repairs_nl",
    "repairs_en",
)


class RepairPlaceSuggestion(models.Model):
    """A new place, or a correction of a place, suggested by anyone; a coordinator
    approves it (then the place is created or changed through the place services)
    or rejects it (``services.suggestions``).

    For a correction only the fields that were filled in are proposed changes; the
    empty ones mean "no change". The submitter's name and e-mail address are
    personal data: only coordinators see them, and they are kept out of the audit
    log (``apps.RepairConfig``)."""

    type = models.CharField(
        _("suggestion type"), max_length=20, choices=SuggestionType.choices
    )
    place = models.ForeignKey(
        RepairPlace,
        verbose_name=_("place"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="suggestions",
        help_text=_(
            "For a correction: the place to correct. For a new place: the place "
            "created when the suggestion was approved."
        ),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    kind = models.CharField(
        _("kind"), max_length=30, choices=PlaceKind.choices, blank=True
    )
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    lat = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    lon = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    categories = models.JSONField(
        _("categories"),
        default=list,
        blank=True,
        help_text=_("The codes of the repair categories."),
    )
    opening_hours = models.CharField(_("opening hours"), max_length=500, blank=True)
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
    repairs_nl = models.TextField(_("what is repaired (Dutch)"), blank=True)
    repairs_en = models.TextField(_("what is repaired (English)"), blank=True)
    message = models.TextField(
        _("message"), blank=True, help_text=_("What is wrong, or anything else.")
    )
    submitter_name = models.CharField(_("submitter's name"), max_length=200, blank=True)
    submitter_email = models.EmailField(_("submitter's e-mail address"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("repair place suggestion")
        verbose_name_plural = _("repair place suggestions")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="repair_sugg_status"),
        ]

    def __str__(self) -> str:
        # No personal data: this text is also the audit log's name of the record.
        if self.type == SuggestionType.CORRECTION:
            return f"correction of {self.place or self.name or '?'}"
        return f"new place {self.name or '?'}"

    def proposed(self) -> dict[str, Any]:
        """The place fields that were filled in (``categories`` as codes, when any
        were chosen); for a correction, the changes it proposes."""
        values: dict[str, Any] = {
            name: getattr(self, name)
            for name in SUGGESTION_PLACE_FIELDS
            if getattr(self, name) not in ("", None)
        }
        if self.categories:
            values["categories"] = list(self.categories)
        return values


# Repair impact: repair records in the Open Repair Data Standard (ORDS) ---------------
#
# Imported ORDS files and the records repair cafés enter themselves are stored as the
# same kind of record, so both count in the statistics, which the engine computes
# (``cirkelregio.engine.repair.compute_statistics``).


class DatasetKind(models.TextChoices):
    IMPORTED = "imported", _("Imported ORDS file")
    OWN = "own", _("Own records of an organisation")


class RepairStatus(models.IntegerChoices):
    """The ORDS repair status codes (``cirkelregio.engine.repair.REPAIR_STATUSES``)."""

    UNKNOWN = 0, _("Unknown")
    FIXED = 1, _("Fixed")
    REPAIRABLE = 2, _("Repairable")
    END_OF_LIFE = 3, _("End of life")


class RepairBarrier(models.IntegerChoices):
    """The ORDS repair barriers (``cirkelregio.engine.repair.BARRIERS``)."""

    SPARE_PARTS_NOT_AVAILABLE = 1, _("Spare parts not available")
    SPARE_PARTS_TOO_EXPENSIVE = 2, _("Spare parts too expensive")
    NO_WAY_TO_OPEN = 3, _("No way to open product")
    REPAIR_INFORMATION_NOT_AVAILABLE = 4, _("Repair information not available")
    LACK_OF_EQUIPMENT = 5, _("Lack of equipment")
    ITEM_TOO_WORN_OUT = 6, _("Item too worn out")


# The 40 ORDS product categories by id, with labels for the interface (the English
# label is the ORDS name; the records and the API keep the ORDS name).
ORDS_CATEGORY_LABELS: dict[int, Any] = {
    1: pgettext_lazy("ORDS product category", "Aircon/dehumidifier"),
    2: pgettext_lazy("ORDS product category", "Battery/charger/adapter"),
    3: pgettext_lazy("ORDS product category", "Decorative or safety lights"),
    4: pgettext_lazy("ORDS product category", "Desktop computer"),
    5: pgettext_lazy("ORDS product category", "Digital compact camera"),
    6: pgettext_lazy("ORDS product category", "DSLR/video camera"),
    7: pgettext_lazy("ORDS product category", "Fan"),
    8: pgettext_lazy("ORDS product category", "Flat screen"),
    9: pgettext_lazy("ORDS product category", "Hair & beauty item"),
    10: pgettext_lazy("ORDS product category", "Handheld entertainment device"),
    11: pgettext_lazy("ORDS product category", "Headphones"),
    12: pgettext_lazy("ORDS product category", "Hi-Fi integrated"),
    13: pgettext_lazy("ORDS product category", "Hi-Fi separates"),
    14: pgettext_lazy("ORDS product category", "Kettle"),
    15: pgettext_lazy("ORDS product category", "Lamp"),
    16: pgettext_lazy("ORDS product category", "Laptop"),
    17: pgettext_lazy("ORDS product category", "Large home electrical"),
    18: pgettext_lazy("ORDS product category", "Misc"),
    19: pgettext_lazy("ORDS product category", "Mobile"),
    20: pgettext_lazy("ORDS product category", "Musical instrument"),
    21: pgettext_lazy("ORDS product category", "Paper shredder"),
    22: pgettext_lazy("ORDS product category", "PC accessory"),
    23: pgettext_lazy("ORDS product category", "Portable radio"),
    24: pgettext_lazy("ORDS product category", "Power tool"),
    25: pgettext_lazy("ORDS product category", "Printer/scanner"),
    26: pgettext_lazy("ORDS product category", "Projector"),
    27: pgettext_lazy("ORDS product category", "Sewing machine"),
    28: pgettext_lazy("ORDS product category", "Small home electrical"),
    29: pgettext_lazy("ORDS product category", "Small kitchen item"),
    30: pgettext_lazy("ORDS product category", "Tablet"),
    31: pgettext_lazy("ORDS product category", "Toaster"),
    32: pgettext_lazy("ORDS product category", "Toy"),
    33: pgettext_lazy("ORDS product category", "TV and gaming-related accessories"),
    34: pgettext_lazy("ORDS product category", "Vacuum"),
    35: pgettext_lazy("ORDS product category", "Watch/clock"),
    36: pgettext_lazy("ORDS product category", "Coffee maker"),
    37: pgettext_lazy("ORDS product category", "Food processor"),
    38: pgettext_lazy("ORDS product category", "Games console"),
    39: pgettext_lazy("ORDS product category", "Hair dryer"),
    40: pgettext_lazy("ORDS product category", "Iron"),
}


class OrdsDataset(models.Model):
    """A set of repair records: an imported ORDS file, or the records one
    organisation (a repair café) entered itself. Importing the same file again
    replaces the dataset (``services.ords_import``)."""

    kind = models.CharField(_("kind"), max_length=20, choices=DatasetKind.choices)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    ords_version = models.CharField(_("ORDS version"), max_length=10)
    data_provider = models.CharField(_("data provider"), max_length=200)
    licence = models.CharField(_("licence"), max_length=100, blank=True)
    licence_url = models.URLField(_("licence URL"), max_length=300, blank=True)
    attribution = models.TextField(
        _("attribution"),
        blank=True,
        help_text=_("How the data must be credited wherever it is shown."),
    )
    source_url = models.URLField(_("source"), max_length=300, blank=True)
    organisation = models.ForeignKey(
        "regions.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ords_datasets",
        help_text=_("For own records: the organisation that entered them."),
    )
    imported_at = models.DateTimeField(_("imported at"))
    record_count = models.PositiveIntegerField(_("records"), default=0)
    checksum = models.CharField(
        _("checksum"),
        max_length=64,
        blank=True,
        help_text=_("SHA-256 of the imported file."),
    )

    class Meta:
        verbose_name = _("repair dataset")
        verbose_name_plural = _("repair datasets")
        ordering = ["kind", "data_provider", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["checksum"],
                condition=~models.Q(checksum=""),
                name="repair_dataset_checksum_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(kind="own"),
                name="repair_dataset_one_own_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        if self.kind == DatasetKind.OWN:
            return f"own records of {self.data_provider}"
        return f"{self.data_provider} ({self.file_name})"


class RepairRecord(models.Model):
    """One repair attempt, with the fields of ORDS 0.3 (``ords_id`` is the ORDS
    ``id``). Missing values are empty text or null, as the engine reads them."""

    dataset = models.ForeignKey(
        OrdsDataset,
        verbose_name=_("dataset"),
        on_delete=models.CASCADE,
        related_name="records",
    )
    ords_id = models.CharField(_("ORDS id"), max_length=100)
    data_provider = models.CharField(_("data provider"), max_length=200)
    country = models.CharField(
        _("country"), max_length=3, help_text=_("ISO 3166-1 alpha-3, e.g. NLD.")
    )
    partner_product_category = models.TextField(_("partner product category"))
    product_category = models.CharField(_("product category"), max_length=40)
    product_category_id = models.PositiveSmallIntegerField(
        _("product category id"),
        validators=[MinValueValidator(1), MaxValueValidator(40)],
    )
    brand = models.TextField(_("brand"), blank=True)
    year_of_manufacture = models.PositiveSmallIntegerField(
        _("year of manufacture"), null=True, blank=True
    )
    product_age = models.FloatField(_("product age (years)"), null=True, blank=True)
    repair_status = models.PositiveSmallIntegerField(
        _("repair status"), choices=RepairStatus.choices
    )
    repair_barrier_if_end_of_life = models.PositiveSmallIntegerField(
        _("repair barrier"), choices=RepairBarrier.choices, null=True, blank=True
    )
    group_identifier = models.CharField(
        _("group identifier"), max_length=200, blank=True
    )
    event_date = models.DateField(_("event date"))
    problem = models.TextField(_("problem"), blank=True)

    class Meta:
        verbose_name = _("repair record")
        verbose_name_plural = _("repair records")
        ordering = ["dataset", "event_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dataset", "ords_id"], name="repair_record_ords_id_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["event_date"], name="repair_record_event_date"),
            models.Index(fields=["country"], name="repair_record_country"),
        ]

    def __str__(self) -> str:
        return self.ords_id
