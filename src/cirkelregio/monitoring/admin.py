# SPDX-License-Identifier: EUPL-1.2
"""Admin for coordinators: indicators and their values. A value entered here goes
through ``value_enter`` (the same checks as the API); computed values are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cirkelregio.monitoring import services
from cirkelregio.monitoring.models import Indicator, IndicatorValue


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = [
        "code",
        "name_nl",
        "unit",
        "action_line",
        "scope",
        "source_kind",
        "target_value",
        "target_year",
        "is_published",
        "order",
    ]
    list_filter = ["source_kind", "scope", "unit", "is_published", "action_line"]
    search_fields = ["code", "name_nl", "name_en"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(getattr(request.user, "is_coordinator", False))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)


@admin.register(IndicatorValue)
class IndicatorValueAdmin(admin.ModelAdmin):
    list_display = [
        "indicator",
        "municipality",
        "year",
        "value",
        "is_computed",
        "source",
        "updated_at",
    ]
    list_filter = ["is_computed", "year", "indicator"]
    search_fields = ["indicator__code", "municipality__name"]
    autocomplete_fields = ["indicator"]
    raw_id_fields = ["municipality"]
    readonly_fields = ["is_computed", "entered_by", "computed_at", "updated_at"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(getattr(request.user, "is_coordinator", False))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request) and not (obj and obj.is_computed)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)

    def save_model(
        self, request: HttpRequest, obj: IndicatorValue, form: Any, change: bool
    ) -> None:
        services.value_enter(
            user=request.user,
            indicator=obj.indicator,
            municipality=obj.municipality,
            year=obj.year,
            value=obj.value,
            source=obj.source,
            note=obj.note,
        )

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        original_clean = form.clean

        def clean(form_self: Any) -> Any:
            data = original_clean(form_self)
            indicator = data.get("indicator")
            if indicator is not None and data.get("year") is not None:
                services.check_value(
                    indicator=indicator,
                    municipality=data.get("municipality"),
                    year=data.get("year"),
                    value=data.get("value"),
                    source=data.get("source") or "",
                )
            return data

        form.clean = clean
        return form
