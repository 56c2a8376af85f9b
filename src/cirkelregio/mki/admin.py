# SPDX-License-Identifier: EUPL-1.2
"""MKI management for coordinators and organisation editors. The rules of
``cirkelregio.mki.rules`` decide who sees and changes what; saves go through the
services, as in the API. Imports (profile CSV, EPD, bills) and calculations are
offered by the API."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from cirkelregio.core.admin import (
    ReadOnlyAdminMixin,
    RuleBasedAdminMixin,
    changed_fields,
    is_coordinator,
)
from cirkelregio.mki import rules, services
from cirkelregio.mki.models import (
    Bid,
    BillLine,
    CalculationResult,
    Element,
    Profile,
    ProfileLibrary,
    ProfileValue,
    Project,
    Tender,
    Variant,
)


@admin.register(ProfileLibrary)
class ProfileLibraryAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "owner", "is_synthetic", "is_published", "revision")
    list_filter = ("is_synthetic", "is_published", "is_demo")
    search_fields = ("name",)
    change_rule = staticmethod(rules.can_change_library)
    editor_filter = "owner_id"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if is_coordinator(request):
            return ("revision", "is_demo")
        return ("owner", "is_synthetic", "is_published", "revision", "is_demo")

    def save_model(
        self, request: HttpRequest, obj: ProfileLibrary, form: ModelForm, change: bool
    ) -> None:
        if change:
            fresh = ProfileLibrary.objects.get(pk=obj.pk)
            services.library_update(
                actor=request.user, library=fresh, **changed_fields(form)
            )
            obj.refresh_from_db()
        else:
            created = services.library_create(
                actor=request.user,
                name=obj.name,
                owner=obj.owner,
                description=obj.description,
                is_synthetic=obj.is_synthetic,
                source=obj.source,
                licence=obj.licence,
                is_published=obj.is_published,
            )
            obj.pk = created.pk


class ProfileValueInline(admin.TabularInline):
    model = ProfileValue
    extra = 0
    can_delete = False
    readonly_fields = ("module", "indicator", "value")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Profile)
class ProfileAdmin(ReadOnlyAdminMixin, RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = ("profile_id", "name", "unit", "data_category", "library")
    list_filter = ("library", "data_category", "indicator_set")
    search_fields = ("profile_id", "name")
    inlines = [ProfileValueInline]
    editor_filter = "library__owner_id"


@admin.register(Project)
class ProjectAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "owner", "municipality", "year", "phase", "is_published")
    list_filter = ("phase", "year", "is_published", "is_demo")
    search_fields = ("name",)
    change_rule = staticmethod(rules.can_change_project)
    editors_may_add = True
    editor_filter = "owner_id"
    readonly_fields = ("is_demo",)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        field = form.base_fields.get("owner")
        if field is not None and not is_coordinator(request):
            field.queryset = field.queryset.filter(pk=request.user.organisation_id)
        return form

    def save_model(
        self, request: HttpRequest, obj: Project, form: ModelForm, change: bool
    ) -> None:
        if change:
            fresh = Project.objects.get(pk=obj.pk)
            services.project_update(
                actor=request.user, project=fresh, **changed_fields(form)
            )
            obj.refresh_from_db()
        else:
            created = services.project_create(
                actor=request.user,
                name=obj.name,
                owner=obj.owner,
                municipality=obj.municipality,
                year=obj.year,
                phase=obj.phase,
                description=obj.description,
                reference_period=obj.reference_period,
                replacement_rule=obj.replacement_rule,
                is_published=obj.is_published,
            )
            obj.pk = created.pk


class ElementInline(admin.TabularInline):
    model = Element
    extra = 0
    can_delete = False
    fields = ("name", "order")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Variant)
class VariantAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "project", "is_reference")
    list_filter = ("is_reference",)
    search_fields = ("name", "project__name")
    inlines = [ElementInline]
    editors_may_add = True
    editor_filter = "project__owner_id"

    @staticmethod
    def change_rule(user: Any, variant: Variant) -> bool:
        return rules.can_change_project(user, variant.project)

    def save_model(
        self, request: HttpRequest, obj: Variant, form: ModelForm, change: bool
    ) -> None:
        if change:
            fresh = Variant.objects.get(pk=obj.pk)
            services.variant_update(
                actor=request.user, variant=fresh, **changed_fields(form)
            )
            obj.refresh_from_db()
        else:
            created = services.variant_create(
                actor=request.user,
                project=obj.project,
                name=obj.name,
                is_reference=obj.is_reference or None,
                notes=obj.notes,
            )
            obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: Variant) -> None:
        services.variant_delete(actor=request.user, variant=obj)


class BillLineInline(admin.TabularInline):
    model = BillLine
    extra = 0
    can_delete = False
    fields = ("line_id", "profile", "quantity", "service_life_years")
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Element)
class ElementAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "variant", "order")
    search_fields = ("name",)
    inlines = [BillLineInline]
    editors_may_add = True
    editor_filter = "variant__project__owner_id"

    @staticmethod
    def change_rule(user: Any, element: Element) -> bool:
        return rules.can_change_project(user, element.variant.project)

    def save_model(
        self, request: HttpRequest, obj: Element, form: ModelForm, change: bool
    ) -> None:
        if change:
            fresh = Element.objects.get(pk=obj.pk)
            services.element_update(
                actor=request.user, element=fresh, **changed_fields(form)
            )
            obj.refresh_from_db()
        else:
            created = services.element_create(
                actor=request.user, variant=obj.variant, name=obj.name, order=obj.order
            )
            obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: Element) -> None:
        services.element_delete(actor=request.user, element=obj)


@admin.register(BillLine)
class BillLineAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = ("line_id", "element", "profile", "quantity", "service_life_years")
    search_fields = ("line_id", "element__name")
    raw_id_fields = ("element", "profile")
    editors_may_add = True
    editor_filter = "element__variant__project__owner_id"

    @staticmethod
    def change_rule(user: Any, line: BillLine) -> bool:
        return rules.can_change_project(user, line.element.variant.project)

    def save_model(
        self, request: HttpRequest, obj: BillLine, form: ModelForm, change: bool
    ) -> None:
        if change:
            fresh = BillLine.objects.get(pk=obj.pk)
            services.bill_line_update(
                actor=request.user, line=fresh, **changed_fields(form)
            )
            obj.refresh_from_db()
        else:
            created = services.bill_line_create(
                actor=request.user,
                element=obj.element,
                line_id=obj.line_id,
                profile=obj.profile,
                quantity=obj.quantity,
                service_life_years=obj.service_life_years,
            )
            obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: BillLine) -> None:
        services.bill_line_delete(actor=request.user, line=obj)


@admin.register(CalculationResult)
class CalculationResultAdmin(ReadOnlyAdminMixin, RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = (
        "variant",
        "method",
        "include_module_d",
        "outcome",
        "total_eur",
        "calculated_at",
    )
    list_filter = ("method", "outcome", "include_module_d")
    editor_filter = "variant__project__owner_id"


class BidInline(admin.TabularInline):
    model = Bid
    extra = 0
    fields = (
        "bidder_organisation",
        "bidder_name",
        "price",
        "promised_mki",
        "as_built_mki",
    )
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Tender)
class TenderAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "project", "kind", "penalty_factor")
    list_filter = ("kind",)
    inlines = [BidInline]
    editors_may_add = True
    editor_filter = "project__owner_id"

    @staticmethod
    def change_rule(user: Any, tender: Tender) -> bool:
        return rules.can_change_project(user, tender.project)

    def save_model(
        self, request: HttpRequest, obj: Tender, form: ModelForm, change: bool
    ) -> None:
        fields = {
            name: form.cleaned_data[name]
            for name in (
                "name",
                "kind",
                "upper_bound",
                "lower_bound",
                "max_discount",
                "k",
                "penalty_factor",
            )
        }
        if change:
            fresh = Tender.objects.get(pk=obj.pk)
            services.tender_update(actor=request.user, tender=fresh, **fields)
            obj.refresh_from_db()
        else:
            created = services.tender_create(
                actor=request.user, project=obj.project, **fields
            )
            obj.pk = created.pk


@admin.register(Bid)
class BidAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = ("bidder", "tender", "price", "promised_mki", "as_built_mki")
    editors_may_add = True
    editor_filter = "tender__project__owner_id"

    @staticmethod
    def change_rule(user: Any, bid: Bid) -> bool:
        return rules.can_change_project(user, bid.tender.project)

    def save_model(
        self, request: HttpRequest, obj: Bid, form: ModelForm, change: bool
    ) -> None:
        if change:
            fresh = Bid.objects.get(pk=obj.pk)
            services.bid_update(actor=request.user, bid=fresh, **changed_fields(form))
            obj.refresh_from_db()
        else:
            created = services.bid_create(
                actor=request.user,
                tender=obj.tender,
                price=obj.price,
                promised_mki=obj.promised_mki,
                bidder_organisation=obj.bidder_organisation,
                bidder_name=obj.bidder_name,
                as_built_mki=obj.as_built_mki,
            )
            obj.pk = created.pk
