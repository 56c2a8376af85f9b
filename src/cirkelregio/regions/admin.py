# SPDX-License-Identifier: EUPL-1.2
"""Registry management for coordinators and organisation editors. Saves go through
the services, so the admin records phase history exactly as the API does."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from cirkelregio.accounts import rules
from cirkelregio.core.admin import RuleBasedAdminMixin, changed_fields
from cirkelregio.regions import services
from cirkelregio.regions.models import (
    ActionLine,
    AnnualPlan,
    LineActivity,
    Municipality,
    Organisation,
    Participation,
    PhaseChange,
    PlannedActivity,
    PlanStatus,
    SubGoal,
)


class SubGoalInline(admin.TabularInline):
    model = SubGoal
    extra = 0


class LineActivityInline(admin.StackedInline):
    model = LineActivity
    extra = 0


@admin.register(ActionLine)
class ActionLineAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = ("number", "name_nl", "domain")
    list_display_links = ("name_nl",)
    search_fields = ("name_nl", "name_en")
    inlines = [SubGoalInline, LineActivityInline]
    filter_horizontal = ("r_strategies",)
    readonly_fields = ("region", "slug")


@admin.register(Municipality)
class MunicipalityAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "cbs_code", "population", "population_year")
    search_fields = ("name", "cbs_code")
    exclude = ("boundary", "bbox")
    readonly_fields = ("region", "cbs_code", "slug")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # municipalities come from the reference data

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "municipality", "is_published", "is_demo")
    list_filter = ("kind", "is_published", "is_demo")
    search_fields = ("name",)
    change_rule = staticmethod(rules.can_change_organisation)
    delete_rule = staticmethod(rules.can_delete_organisation)
    editor_filter = "pk"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if getattr(request.user, "is_coordinator", False):
            return ("slug", "is_demo") if obj else ("is_demo",)
        return ("slug", "kind", "municipality", "is_published", "is_demo")

    def save_model(
        self, request: HttpRequest, obj: Organisation, form: ModelForm, change: bool
    ) -> None:
        fields = changed_fields(form)
        if change:
            fresh = Organisation.objects.get(pk=obj.pk)
            services.organisation_update(
                actor=request.user, organisation=fresh, **fields
            )
            obj.refresh_from_db()
        else:
            created = services.organisation_create(
                actor=request.user,
                name=obj.name,
                kind=obj.kind,
                municipality=obj.municipality,
                website=obj.website,
                slug=obj.slug or None,
                is_published=obj.is_published,
            )
            obj.pk = created.pk


class PhaseChangeInline(admin.TabularInline):
    model = PhaseChange
    extra = 0
    can_delete = False
    readonly_fields = ("phase", "changed_on", "recorded_at", "recorded_by")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Participation)
class ParticipationAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = ("organisation", "action_line", "phase", "role", "since", "is_demo")
    list_filter = ("action_line", "phase", "role", "is_demo")
    search_fields = ("organisation__name",)
    autocomplete_fields = ("organisation",)
    inlines = [PhaseChangeInline]
    change_rule = staticmethod(rules.can_change_participation)
    editors_may_add = True
    editor_filter = "organisation_id"
    readonly_fields = ("source", "is_demo")

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        field = form.base_fields.get("organisation")
        if field is not None and not getattr(request.user, "is_coordinator", False):
            field.queryset = field.queryset.filter(pk=request.user.organisation_id)
        return form

    def save_model(
        self, request: HttpRequest, obj: Participation, form: ModelForm, change: bool
    ) -> None:
        if change:
            fresh = Participation.objects.get(pk=obj.pk)
            fields = changed_fields(form)
            services.participation_update(
                actor=request.user, participation=fresh, **fields
            )
        else:
            created = services.participation_create(
                actor=request.user,
                organisation=obj.organisation,
                action_line=obj.action_line,
                phase=obj.phase,
                role=obj.role,
                since=obj.since,
                contact_name=obj.contact_name,
                contact_email=obj.contact_email,
                note_nl=obj.note_nl,
            )
            obj.pk = created.pk


class PlannedActivityInline(admin.TabularInline):
    model = PlannedActivity
    extra = 1
    autocomplete_fields = ("lead",)


@admin.register(AnnualPlan)
class AnnualPlanAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = ("action_line", "year", "title_nl", "status", "is_demo")
    list_filter = ("year", "status", "action_line")
    inlines = [PlannedActivityInline]
    change_rule = staticmethod(rules.can_change_annual_plan)
    readonly_fields = ("is_demo",)

    def get_queryset(self, request: HttpRequest) -> Any:
        # Drafts are for coordinators only (rules.can_view_annual_plan).
        qs = super().get_queryset(request)
        if getattr(request.user, "is_coordinator", False):
            return qs
        return qs.exclude(status=PlanStatus.DRAFT)
