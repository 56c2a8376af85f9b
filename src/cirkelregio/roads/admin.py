# SPDX-License-Identifier: EUPL-1.2
"""Road sections, passports (with their layers inline), works (with their new
layers inline) and the mixture catalogue. Road managers see and change their own
authority's records; coordinators all. A section's history (the audit log) is one
click away ("History" of auditlog). Validation is the models' own, so the admin
refuses what the imports refuse (physical bounds, overlapping passports,
tar-containing asphalt offered for reuse)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from auditlog.mixins import AuditlogHistoryAdminMixin

from cirkelregio.core.admin import RuleBasedAdminMixin, is_coordinator
from cirkelregio.regions.models import Organisation
from cirkelregio.roads import rules
from cirkelregio.roads.models import (
    ROAD_AUTHORITY_KINDS,
    AsphaltMixture,
    HarmonisationRun,
    MaintenanceWork,
    MixtureMkiVariant,
    MixtureSubstitution,
    Passport,
    PassportLayer,
    RoadSection,
    WorkLayer,
)
from cirkelregio.roads.services import forecast_follow
from cirkelregio.roads.services.records import works_of_sections


class _RoadsAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return rules.can_manage_roads(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return rules.can_manage_roads(request.user)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return rules.can_manage_roads(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not rules.can_manage_roads(request.user):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not rules.can_manage_roads(request.user):
            return False
        return obj is not None and super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "authority":
            qs = Organisation.objects.filter(kind__in=ROAD_AUTHORITY_KINDS)
            if not is_coordinator(request):
                qs = qs.filter(pk=getattr(request.user, "organisation_id", None))
            kwargs["queryset"] = qs
        if db_field.name == "section" and not is_coordinator(request):
            kwargs["queryset"] = RoadSection.objects.filter(
                authority_id=getattr(request.user, "organisation_id", None)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class _FollowsForecast(admin.ModelAdmin):
    """Saving or removing a record here brings the supply forecast of the works
    it touches in step, in the admin's transaction (as the services do)."""

    def forecast_works(self, obj: Any) -> list[int]:
        raise NotImplementedError

    def save_related(self, request: HttpRequest, form: Any, *args: Any) -> None:
        super().save_related(request, form, *args)
        forecast_follow(actor=request.user, work_ids=self.forecast_works(form.instance))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        works = self.forecast_works(obj)
        super().delete_model(request, obj)
        forecast_follow(actor=request.user, work_ids=works)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        works = [pk for obj in queryset for pk in self.forecast_works(obj)]
        super().delete_queryset(request, queryset)
        forecast_follow(actor=request.user, work_ids=works)


@admin.register(AsphaltMixture)
class AsphaltMixtureAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "family", "layer_role", "density_t_per_m3", "is_standard")
    list_filter = ("family", "layer_role", "is_standard")
    search_fields = ("code", "name_nl", "name_en")


@admin.register(RoadSection)
class RoadSectionAdmin(AuditlogHistoryAdminMixin, _FollowsForecast, _RoadsAdmin):
    list_display = (
        "external_id",
        "name",
        "authority",
        "road_type",
        "area_m2",
        "municipality",
        "is_demo",
    )
    list_filter = ("road_type", "authority", "is_demo")
    search_fields = ("external_id", "name", "street")
    readonly_fields = (
        "bbox",
        "area_computed",
        "length_m",
        "municipality",
        "is_demo",
        "created_at",
        "updated_at",
    )
    change_rule = staticmethod(rules.can_change_section)
    editor_filter = "authority_id"

    show_auditlog_history_link = True

    def forecast_works(self, obj: Any) -> list[int]:
        return works_of_sections([obj.pk])


class PassportLayerInline(admin.TabularInline):
    model = PassportLayer
    extra = 1


@admin.register(Passport)
class PassportAdmin(AuditlogHistoryAdminMixin, _FollowsForecast, _RoadsAdmin):
    list_display = ("section", "valid_from", "valid_to", "data_source")
    list_filter = ("data_source",)
    search_fields = ("section__external_id", "section__name")
    inlines = [PassportLayerInline]
    change_rule = staticmethod(rules.can_change_passport)
    editor_filter = "section__authority_id"

    show_auditlog_history_link = True

    def forecast_works(self, obj: Any) -> list[int]:
        return works_of_sections([obj.section_id])


class WorkLayerInline(admin.TabularInline):
    model = WorkLayer
    extra = 1


@admin.register(MaintenanceWork)
class MaintenanceWorkAdmin(AuditlogHistoryAdminMixin, _FollowsForecast, _RoadsAdmin):
    list_display = (
        "external_id",
        "authority",
        "section",
        "work_type",
        "window_start",
        "window_end",
        "status",
    )
    list_filter = ("work_type", "status", "authority", "is_demo")
    search_fields = ("external_id", "section__external_id")
    inlines = [WorkLayerInline]
    readonly_fields = ("is_demo",)
    change_rule = staticmethod(rules.can_change_work)
    editor_filter = "authority_id"

    show_auditlog_history_link = True

    def forecast_works(self, obj: Any) -> list[int]:
        return [obj.pk]


@admin.register(MixtureSubstitution)
class MixtureSubstitutionAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    """Which standard mixture may serve which requirement: a policy of the road
    authorities, kept by coordinators."""

    list_display = ("required", "serving", "over_spec_eur_per_tonne", "is_demo")
    list_filter = ("is_demo",)
    search_fields = ("required__code", "serving__code", "source")


@admin.register(MixtureMkiVariant)
class MixtureMkiVariantAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = (
        "mixture",
        "pr_percent",
        "low_temperature",
        "mki_profile",
        "mki_method",
        "is_demo",
    )
    list_filter = ("low_temperature", "is_demo")
    search_fields = ("mixture__code", "mki_profile__profile_id")


@admin.register(HarmonisationRun)
class HarmonisationRunAdmin(admin.ModelAdmin):
    """Runs as started (read only): start them on the harmonisation page or the
    API."""

    list_display = ("started_at", "started_by", "status", "k", "requirements")
    readonly_fields = [f.name for f in HarmonisationRun._meta.fields]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return rules.can_manage_roads(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return rules.can_manage_roads(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_coordinator(request)
