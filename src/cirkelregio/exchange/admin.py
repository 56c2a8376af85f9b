# SPDX-License-Identifier: EUPL-1.2
"""Exchange management for coordinators and organisation editors. The rules of
``cirkelregio.exchange.rules`` decide who sees and changes what; saves go through the
services, as in the API. Match runs, proposals and the stock ledger are shown, not
edited here (the API starts runs and answers proposals)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cirkelregio.core.admin import (
    ReadOnlyAdminMixin,
    RuleBasedAdminMixin,
    changed_fields,
)
from cirkelregio.exchange import rules, selectors, services
from cirkelregio.exchange.models import (
    Depot,
    DepotStockMovement,
    Listing,
    ListingPhoto,
    MatchRun,
    MaterialClass,
    Proposal,
)
from cirkelregio.exchange.services.photos import (
    MAX_PHOTOS_PER_LISTING,
    listing_photo_check,
)
from cirkelregio.exchange.services.records import (
    DEPOT_FIELDS,
    LISTING_FIELDS,
    MATERIAL_FIELDS,
    NEW_MKI_INPUTS,
    material_check_new_mki,
)


def _fields(form: ModelForm, names: set[str]) -> dict[str, Any]:
    return {n: v for n, v in form.cleaned_data.items() if n in names}


class MaterialClassForm(ModelForm):
    """Checks the link to the new product's MKI profile as the services do."""

    class Meta:
        model = MaterialClass
        fields = (
            "code",
            "name_nl",
            "name_en",
            "unit",
            "tonnes_per_unit",
            "new_cost_eur",
            "new_cost_source",
            "new_mki_eur",
            "new_mki_source",
            "new_mki_profile",
            "new_mki_conversion",
            "new_mki_method",
            "disposal_cost_eur",
            "disposal_cost_source",
        )

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.errors:
            return
        inputs = NEW_MKI_INPUTS & set(self.changed_data)
        try:
            material_check_new_mki(
                self.instance, calculate=bool(inputs) or self.instance.pk is None
            )
        except ValidationError as exc:
            self._update_errors(exc)


@admin.register(MaterialClass)
class MaterialClassAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    form = MaterialClassForm
    list_display = (
        "code",
        "name_nl",
        "unit",
        "tonnes_per_unit",
        "new_cost_eur",
        "new_mki_used",
    )
    list_filter = ("is_demo",)
    search_fields = ("code", "name_nl", "name_en")
    autocomplete_fields = ("new_mki_profile",)
    readonly_fields = ("new_mki_used", "is_demo")

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("new_mki_profile__library")

    @admin.display(description=_("new product MKI used (euro per unit)"))
    def new_mki_used(self, material: MaterialClass) -> str:
        if material.pk is None:
            return ""
        new = selectors.material_new_mki(material)
        if new.from_profile:
            return _("%(eur).4g, calculated from %(profile)s (%(method)s)") % {
                "eur": new.eur_per_unit,
                "profile": f"{new.profile_code} {new.profile_name}",
                "method": new.method,
            }
        text = _("%(eur).4g, estimate") % {"eur": new.eur_per_unit}
        return f"{text} ({new.note})" if new.note else text

    @staticmethod
    def change_rule(user: Any, obj: Any) -> bool:
        return rules.can_change_catalogue(user)

    def save_model(
        self, request: HttpRequest, obj: MaterialClass, form: ModelForm, change: bool
    ) -> None:
        if change:
            fresh = MaterialClass.objects.get(pk=obj.pk)
            services.material_update(
                actor=request.user, material=fresh, **changed_fields(form)
            )
            obj.refresh_from_db()
        else:
            created = services.material_create(
                actor=request.user, **_fields(form, MATERIAL_FIELDS)
            )
            obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: MaterialClass) -> None:
        services.material_delete(actor=request.user, material=obj)


@admin.register(Depot)
class DepotAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "owner", "municipality", "capacity_tonnes", "is_active")
    list_filter = ("is_active", "is_demo")
    search_fields = ("name",)
    change_rule = staticmethod(rules.can_change_depot)
    editor_filter = "owner_id"
    editors_may_add = True
    readonly_fields = ("is_demo",)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:
            return ("owner", "is_demo")
        return ("is_demo",)

    def save_model(
        self, request: HttpRequest, obj: Depot, form: ModelForm, change: bool
    ) -> None:
        if change:
            fresh = Depot.objects.get(pk=obj.pk)
            services.depot_update(
                actor=request.user, depot=fresh, **changed_fields(form)
            )
            obj.refresh_from_db()
        else:
            created = services.depot_create(
                actor=request.user,
                owner=form.cleaned_data["owner"],
                **_fields(form, DEPOT_FIELDS),
            )
            obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: Depot) -> None:
        services.depot_delete(actor=request.user, depot=obj)


class ListingPhotoForm(ModelForm):
    """A new photo: the image and its alternative text, checked as the service
    checks them. A stored photo is shown, not changed (remove it and add another)."""

    image = forms.FileField(label=_("image"), required=False)

    class Meta:
        model = ListingPhoto
        fields = ("image", "alt")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for field in self.fields.values():
                field.disabled = True
        else:
            self.fields["image"].required = True

    def clean_image(self) -> Any:
        image = self.cleaned_data.get("image")
        if self.instance.pk or image is None:
            return self.instance.image if self.instance.pk else image
        try:
            listing_photo_check(image)
        except ValidationError as exc:
            raise ValidationError(exc.message_dict.get("image", exc.messages)) from exc
        return image


class ListingPhotoInline(admin.TabularInline):
    model = ListingPhoto
    form = ListingPhotoForm
    extra = 0
    max_num = MAX_PHOTOS_PER_LISTING
    fields = ("preview", "image", "alt", "image_format", "width", "height", "order")
    readonly_fields = ("preview", "image_format", "width", "height", "order")

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        kwargs["validate_max"] = True
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description=_("photo"))
    def preview(self, photo: ListingPhoto) -> str:
        if not photo.pk:
            return ""
        url = reverse("exchange-photo-file", args=[photo.pk])
        return format_html(
            '<a href="{}"><img src="{}" alt="{}" width="80"></a>', url, url, photo.alt
        )

    def _may_change(self, request: HttpRequest, obj: Any) -> bool:
        return obj is not None and rules.can_change_listing(request.user, obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or rules.can_view_listing(request.user, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_change(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_change(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may_change(request, obj)


@admin.register(Listing)
class ListingAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = (
        "project_name",
        "kind",
        "owner",
        "material",
        "quantity",
        "reserved_quantity",
        "window_from",
        "window_until",
        "status",
    )
    list_filter = ("kind", "status", "quality", "is_demo")
    search_fields = ("project_name", "reference")
    change_rule = staticmethod(rules.can_change_listing)
    editor_filter = "owner_id"
    editors_may_add = True
    inlines = [ListingPhotoInline]

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: Any, change: bool
    ) -> None:
        if formset.model is not ListingPhoto:
            super().save_formset(request, form, formset, change)
            return
        listing = Listing.objects.get(pk=form.instance.pk)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = (
            [],
            [],
            [],
        )
        for photo_form in formset.deleted_forms:
            if photo_form.instance.pk:
                formset.deleted_objects.append(photo_form.instance)
                services.listing_photo_delete(
                    actor=request.user, photo=photo_form.instance
                )
        for photo_form in formset.extra_forms:
            if photo_form.has_changed() and photo_form not in formset.deleted_forms:
                photo = services.listing_photo_add(
                    actor=request.user,
                    listing=listing,
                    file=photo_form.cleaned_data["image"],
                    alt=photo_form.cleaned_data["alt"],
                )
                formset.new_objects.append(photo)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        closed = ("closed_reason", "closed_at")
        if obj is not None:
            return ("kind", "owner", "reserved_quantity", *closed, "is_demo")
        return ("reserved_quantity", *closed, "is_demo")

    def save_model(
        self, request: HttpRequest, obj: Listing, form: ModelForm, change: bool
    ) -> None:
        if change:
            fresh = Listing.objects.get(pk=obj.pk)
            services.listing_update(
                actor=request.user, listing=fresh, **changed_fields(form)
            )
            obj.refresh_from_db()
        else:
            created = services.listing_create(
                actor=request.user,
                owner=form.cleaned_data["owner"],
                kind=form.cleaned_data["kind"],
                **_fields(form, LISTING_FIELDS),
            )
            obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: Listing) -> None:
        services.listing_delete(actor=request.user, listing=obj)


@admin.register(MatchRun)
class MatchRunAdmin(ReadOnlyAdminMixin, RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = ("id", "status", "started_at", "savings_eur", "tonne_km")
    list_filter = ("status",)


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdminMixin, RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = (
        "id",
        "match_run",
        "supply",
        "depot",
        "demand",
        "material",
        "week_out",
        "quantity",
        "status",
    )
    list_filter = ("status",)


@admin.register(DepotStockMovement)
class DepotStockMovementAdmin(
    ReadOnlyAdminMixin, RuleBasedAdminMixin, admin.ModelAdmin
):
    list_display = ("depot", "material", "quantity", "tonnes", "created_at", "note")
    list_filter = ("depot",)
