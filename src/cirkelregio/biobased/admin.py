# SPDX-License-Identifier: EUPL-1.2
"""Biobased insulation for coordinators and municipal editors. The material
catalogue is read-only here: it is loaded from ``data/biobased/materials.csv`` (every
figure with its source). Projects are changed through the services, as in the API,
by coordinators and the editors of the municipality's organisations; every change is
in the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from cirkelregio.biobased import rules, services
from cirkelregio.biobased.models import InsulationMaterial, InsulationProject
from cirkelregio.core.admin import (
    ReadOnlyAdminMixin,
    RuleBasedAdminMixin,
    changed_fields,
    is_coordinator,
)
from cirkelregio.regions.models import Municipality


@admin.register(InsulationMaterial)
class InsulationMaterialAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "code",
        "name_nl",
        "biobased_share",
        "biogenic_co2_per_kg",
        "density_kg_m3",
    )
    search_fields = ("code", "name_nl", "name_en")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return rules.can_report_projects(request.user)  # type: ignore[arg-type]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return rules.can_report_projects(request.user)  # type: ignore[arg-type]


def _own_municipality_id(request: HttpRequest) -> int | None:
    return rules.own_municipality_id(request.user)  # type: ignore[arg-type]


@admin.register(InsulationProject)
class InsulationProjectAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = (
        "municipality",
        "year",
        "homes",
        "area_m2",
        "material",
        "biobased_share",
        "source_channel",
        "is_demo",
    )
    list_filter = ("year", "source_channel", "material", "is_demo", "municipality")
    search_fields = ("municipality__name", "source_reference")
    ordering = ("-year", "municipality__name", "id")
    readonly_fields = ("is_demo", "created_at", "updated_at")
    fields = (
        "municipality",
        "year",
        "homes",
        "area_m2",
        "thickness_mm",
        "mass_kg",
        "material",
        "biobased_share",
        "source_channel",
        "source_reference",
        "is_demo",
        "created_at",
        "updated_at",
    )
    change_rule = staticmethod(rules.can_change_project)
    editors_may_add = True

    def has_module_permission(self, request: HttpRequest) -> bool:
        return rules.can_report_projects(request.user)  # type: ignore[arg-type]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return rules.can_report_projects(request.user)  # type: ignore[arg-type]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return rules.can_report_projects(request.user)  # type: ignore[arg-type]

    def get_queryset(self, request: HttpRequest) -> Any:
        qs = admin.ModelAdmin.get_queryset(self, request)
        if is_coordinator(request):
            return qs
        return qs.filter(municipality_id=_own_municipality_id(request))

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "municipality" and not is_coordinator(request):
            kwargs["queryset"] = Municipality.objects.filter(
                pk=_own_municipality_id(request)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(
        self,
        request: HttpRequest,
        obj: InsulationProject,
        form: ModelForm,
        change: bool,
    ) -> None:
        if change:
            fresh = InsulationProject.objects.get(pk=obj.pk)
            services.project_update(
                actor=request.user,  # type: ignore[arg-type]
                project=fresh,
                **changed_fields(form),
            )
            obj.refresh_from_db()
        else:
            names = services.projects.FIELDS
            created = services.project_create(
                actor=request.user,  # type: ignore[arg-type]
                **{n: v for n, v in form.cleaned_data.items() if n in names},
            )
            obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: InsulationProject) -> None:
        services.project_delete(actor=request.user, project=obj)  # type: ignore[arg-type]
