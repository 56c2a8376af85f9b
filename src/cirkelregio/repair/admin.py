# SPDX-License-Identifier: EUPL-1.2
"""Repair places for coordinators and organisation editors. The rules of
``cirkelregio.repair.rules`` decide who sees and changes what; saves go through the
services, as in the API. The municipality, the derived-location and
unreadable-hours flags and the import key are worked out, not typed in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cirkelregio.core.admin import (
    ReadOnlyAdminMixin,
    RuleBasedAdminMixin,
    changed_fields,
    is_coordinator,
)
from cirkelregio.regions.models import Organisation
from cirkelregio.repair import rules, services
from cirkelregio.repair.models import (
    OrdsDataset,
    RepairCategory,
    RepairPlace,
    RepairRecord,
)
from cirkelregio.repair.services.places import PLACE_FIELDS


@admin.register(RepairCategory)
class RepairCategoryAdmin(ReadOnlyAdminMixin, RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name_nl", "name_en")


class RepairPlaceForm(ModelForm):
    """Checks the postcode and location as the service will, so that a problem is
    shown on the field rather than as an error page."""

    website = forms.URLField(
        label=_("website"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = RepairPlace
        fields = [*sorted(PLACE_FIELDS), "owner", "categories"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if any(f in self.errors for f in ("postcode", "lat", "lon")):
            return data
        lat, lon = data.get("lat"), data.get("lon")
        if (
            self.instance.pk
            and self.instance.coordinates_derived
            and not ({"lat", "lon"} & set(self.changed_data))
        ):
            lat = lon = None  # the point follows the postcode
        try:
            services.place_location_check(
                postcode=data.get("postcode") or "", lat=lat, lon=lon
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        return data


@admin.register(RepairPlace)
class RepairPlaceAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    form = RepairPlaceForm
    list_display = (
        "name",
        "kind",
        "municipality",
        "postcode",
        "owner",
        "coordinates_derived",
        "opening_hours_unparsable",
        "is_published",
    )
    list_filter = (
        "kind",
        "categories",
        "opening_hours_unparsable",
        "coordinates_derived",
        "is_published",
        "is_demo",
    )
    search_fields = ("name", "postcode", "city")
    filter_horizontal = ("categories",)
    change_rule = staticmethod(rules.can_change_place)
    editor_filter = "owner_id"
    editors_may_add = True
    computed = (
        "municipality",
        "coordinates_derived",
        "opening_hours_unparsable",
        "import_key",
        "is_demo",
        "created_at",
        "updated_at",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and not is_coordinator(request):
            return (*self.computed, "owner")
        return self.computed

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "owner" and not is_coordinator(request):
            kwargs["queryset"] = Organisation.objects.filter(
                pk=getattr(request.user, "organisation_id", None)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: RepairPlace, form: ModelForm, change: bool
    ) -> None:
        categories = [c.code for c in form.cleaned_data.get("categories") or []]
        if change:
            fresh = RepairPlace.objects.get(pk=obj.pk)
            fields = {
                k: v for k, v in changed_fields(form).items() if k != "categories"
            }
            services.place_update(
                actor=request.user, place=fresh, categories=categories, **fields
            )
            obj.refresh_from_db()
        else:
            fields = {k: v for k, v in form.cleaned_data.items() if k in PLACE_FIELDS}
            created = services.place_create(
                actor=request.user,
                owner=form.cleaned_data.get("owner"),
                categories=categories,
                **fields,
            )
            obj.pk = created.pk

    def save_related(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> None:
        # The service has set the categories; the form must not set them again.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request: HttpRequest, obj: RepairPlace) -> None:
        services.place_delete(actor=request.user, place=obj)


@admin.register(OrdsDataset)
class OrdsDatasetAdmin(ReadOnlyAdminMixin, RuleBasedAdminMixin, admin.ModelAdmin):
    """Imported by ``cirkelregio repair import-ords``, or filled by a repair café's
    own records: shown, never edited here."""

    list_display = (
        "__str__",
        "kind",
        "ords_version",
        "record_count",
        "licence",
        "imported_at",
    )
    list_filter = ("kind", "ords_version")


@admin.register(RepairRecord)
class RepairRecordAdmin(ReadOnlyAdminMixin, RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = (
        "ords_id",
        "dataset",
        "country",
        "event_date",
        "product_category",
        "repair_status",
        "repair_barrier_if_end_of_life",
    )
    list_filter = ("dataset", "repair_status", "country")
    list_select_related = ("dataset",)
    search_fields = ("ords_id",)
    show_full_result_count = False
