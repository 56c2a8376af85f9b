# SPDX-License-Identifier: EUPL-1.2
"""Agricycling in the admin: the cooperative's coordinators manage seasons, farms
with their capacities, tariffs, compost batches and see the runs (read only: runs
are started on the page or through the API); an owner's editors see and change
their own parcels. Validation is the models' own (capacity more than 0, a season
that ends after it starts, tonnes at least 0)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from auditlog.mixins import AuditlogHistoryAdminMixin

from cirkelregio.agricycling import rules
from cirkelregio.agricycling.models import (
    AllocationRun,
    CompostBatch,
    Farm,
    FarmCapacity,
    MowingParcel,
    Season,
    Tariffs,
)
from cirkelregio.core.admin import RuleBasedAdminMixin


class _CoordinatorAdmin(
    AuditlogHistoryAdminMixin, RuleBasedAdminMixin, admin.ModelAdmin
):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return rules.can_import_any_parcels(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return rules.can_manage(request.user)


@admin.register(Season)
class SeasonAdmin(_CoordinatorAdmin):
    list_display = ["label", "starts_on", "ends_on", "is_demo"]


class CapacityInline(admin.TabularInline):
    model = FarmCapacity
    extra = 0


@admin.register(Farm)
class FarmAdmin(_CoordinatorAdmin):
    list_display = ["name", "is_member", "municipality", "is_demo"]
    list_filter = ["is_member", "is_demo"]
    search_fields = ["name"]
    inlines = [CapacityInline]


@admin.register(Tariffs)
class TariffsAdmin(_CoordinatorAdmin):
    list_display = [
        "season",
        "fee_eur_per_t",
        "transport_eur_per_tkm",
        "composting_eur_per_t",
        "compost_value_eur_per_t",
        "is_demo",
    ]

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any, change: bool
    ) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CompostBatch)
class CompostBatchAdmin(_CoordinatorAdmin):
    list_display = ["farm", "season", "code", "tonnes", "status", "certifier"]
    list_filter = ["status", "season"]


@admin.register(AllocationRun)
class AllocationRunAdmin(_CoordinatorAdmin):
    list_display = [
        "__str__",
        "status",
        "placed_tonnes",
        "unplaced_tonnes",
        "started_at",
    ]
    readonly_fields = [f.name for f in AllocationRun._meta.fields]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(MowingParcel)
class MowingParcelAdmin(_CoordinatorAdmin):
    list_display = ["external_id", "name", "owner", "municipality", "is_demo"]
    list_filter = ["is_demo"]
    search_fields = ["external_id", "name"]
    readonly_fields = ["centroid_lat", "centroid_lon", "municipality"]
    editor_filter = "owner"
    change_rule = staticmethod(
        lambda user, parcel: rules.can_import_parcels(user, parcel.owner)
    )

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return rules.can_import_any_parcels(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return rules.can_import_any_parcels(request.user)
        return rules.can_import_parcels(request.user, obj.owner)
