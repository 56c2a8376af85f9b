# SPDX-License-Identifier: EUPL-1.2
"""Repair events for coordinators and the organisers' editors, and the Reparatieweek
editions for coordinators. The rules of ``cirkelregio.events.rules`` decide who sees
and changes what; saves go through the services, as in the API. The form checks an
event as the service will (the recurrence rule, the edition's days, the place), so
that a problem is shown on its field rather than as an error page."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cirkelregio.core.admin import RuleBasedAdminMixin, changed_fields, is_coordinator
from cirkelregio.events import rules, services
from cirkelregio.events.models import RepairEvent, ReparatieweekEdition
from cirkelregio.events.services.records import (
    EDITION_FIELDS,
    EVENT_FIELDS,
    validate_edition,
    validate_event,
)
from cirkelregio.regions.models import Organisation
from cirkelregio.repair import selectors as repair_selectors


def _add_errors(form: ModelForm, exc: ValidationError) -> None:
    for name, messages in exc.message_dict.items():
        for message in messages:
            form.add_error(name if name in form.fields else None, message)


class RepairEventForm(ModelForm):
    actor: Any = None

    website = forms.URLField(
        label=_("website"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = RepairEvent
        fields = [
            "title_nl",
            "title_en",
            "description_nl",
            "description_en",
            "kind",
            "place",
            "address",
            "municipality",
            "start",
            "end",
            "recurrence",
            "edition",
            "organiser",
            "website",
            "status",
        ]
        widgets = {"recurrence": forms.TextInput(attrs={"size": 60})}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        event = copy.copy(self.instance)
        for name in self._meta.fields or ():
            if name in data:
                setattr(event, name, data[name])
        try:
            validate_event(event, self.actor)
        except ValidationError as exc:
            _add_errors(self, exc)
        return data


@admin.register(RepairEvent)
class RepairEventAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    form = RepairEventForm
    list_display = (
        "title_nl",
        "kind",
        "municipality",
        "start",
        "recurrence",
        "edition",
        "organiser",
        "status",
        "is_demo",
    )
    list_filter = ("status", "kind", "edition", "is_demo", "municipality")
    search_fields = ("title_nl", "title_en", "address")
    ordering = ("-start", "-id")
    change_rule = staticmethod(rules.can_change_event)
    editor_filter = "organiser_id"
    editors_may_add = True

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = ["last_end", "is_demo", "created_at", "updated_at"]
        if obj is not None and not is_coordinator(request):
            fields.append("organiser")
        return fields

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        return form

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if not is_coordinator(request):
            if db_field.name == "organiser":
                # An editor adds events of their own organisation only.
                kwargs["queryset"] = Organisation.objects.filter(
                    pk=getattr(request.user, "organisation_id", None)
                )
                kwargs["required"] = True
            elif db_field.name == "edition":
                kwargs["queryset"] = ReparatieweekEdition.objects.filter(
                    is_published=True
                )
            elif db_field.name == "place":
                kwargs["queryset"] = repair_selectors.place_list(user=request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: RepairEvent, form: ModelForm, change: bool
    ) -> None:
        if change:
            fresh = RepairEvent.objects.get(pk=obj.pk)
            services.event_update(
                actor=request.user, event=fresh, **changed_fields(form)
            )
            obj.refresh_from_db()
        else:
            data = form.cleaned_data
            created = services.event_create(
                actor=request.user,
                organiser=data.get("organiser"),
                **{k: v for k, v in data.items() if k in EVENT_FIELDS},
            )
            obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: RepairEvent) -> None:
        services.event_delete(actor=request.user, event=obj)


class EditionForm(ModelForm):
    class Meta:
        model = ReparatieweekEdition
        fields = sorted(EDITION_FIELDS)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.errors:
            return data
        edition = copy.copy(self.instance)
        for name in EDITION_FIELDS:
            if name in data:
                setattr(edition, name, data[name])
        try:
            validate_edition(edition)
        except ValidationError as exc:
            _add_errors(self, exc)
        return data


@admin.register(ReparatieweekEdition)
class ReparatieweekEditionAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    """Coordinators only."""

    form = EditionForm
    list_display = ("name", "start_date", "end_date", "theme_nl", "is_published")
    list_filter = ("is_published", "is_demo")
    search_fields = ("name", "theme_nl", "theme_en")
    readonly_fields = ("is_demo", "created_at", "updated_at")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return rules.can_manage_editions(request.user)  # type: ignore[arg-type]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return rules.can_manage_editions(request.user)  # type: ignore[arg-type]

    def save_model(
        self,
        request: HttpRequest,
        obj: ReparatieweekEdition,
        form: ModelForm,
        change: bool,
    ) -> None:
        if change:
            fresh = ReparatieweekEdition.objects.get(pk=obj.pk)
            services.edition_update(
                actor=request.user, edition=fresh, **changed_fields(form)
            )
            obj.refresh_from_db()
        else:
            created = services.edition_create(
                actor=request.user,
                **{k: v for k, v in form.cleaned_data.items() if k in EDITION_FIELDS},
            )
            obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: ReparatieweekEdition) -> None:
        services.edition_delete(actor=request.user, edition=obj)
