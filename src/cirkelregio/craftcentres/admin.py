# SPDX-License-Identifier: EUPL-1.2
"""Craft centres for coordinators, read-only: sites, bulky-waste figures and network
scenarios are written through the services (the pages, the API and the commands),
which check them; every change is in the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cirkelregio.core.admin import ReadOnlyAdminMixin, is_coordinator
from cirkelregio.craftcentres.models import (
    BulkyWasteFigure,
    CentreSite,
    NetworkScenario,
    ScenarioResult,
)


class CoordinatorReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_coordinator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_coordinator(request)


@admin.register(BulkyWasteFigure)
class BulkyWasteFigureAdmin(CoordinatorReadOnlyAdmin):
    list_display = (
        "year",
        "municipality",
        "kg_per_inhabitant",
        "tonnes",
        "source_kind",
        "is_demo",
    )
    list_filter = ("year", "source_kind", "is_demo")


@admin.register(CentreSite)
class CentreSiteAdmin(CoordinatorReadOnlyAdmin):
    list_display = ("name", "kind", "municipality", "postcode", "is_demo")
    list_filter = ("kind", "is_demo", "municipality")
    search_fields = ("name", "address")


class ScenarioResultInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ScenarioResult
    fields = ("p", "seconds", "created_at")
    readonly_fields = fields
    extra = 0


@admin.register(NetworkScenario)
class NetworkScenarioAdmin(CoordinatorReadOnlyAdmin):
    list_display = ("name", "model", "year", "is_published", "is_demo", "created_at")
    list_filter = ("model", "is_published", "is_demo")
    search_fields = ("name",)
    exclude = ("parameters",)
    inlines = [ScenarioResultInline]
