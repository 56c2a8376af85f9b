# SPDX-License-Identifier: EUPL-1.2
"""Initiatives and contact points for coordinators and organisation editors. The
rules of ``cirkelregio.initiatives.rules`` decide who sees and changes what; saves go
through the services, as in the API. Coordinators publish or reject suggestions
with the list actions; every change is in the audit log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cirkelregio.core.admin import RuleBasedAdminMixin, changed_fields, is_coordinator
from cirkelregio.initiatives import rules, services
from cirkelregio.initiatives.models import (
    ContactPoint,
    Initiative,
    Need,
    needs_join,
)
from cirkelregio.initiatives.services.records import (
    CONTACT_POINT_FIELDS,
    CONTENT_FIELDS,
)
from cirkelregio.regions.models import Municipality, Organisation


def _fields(form: ModelForm, names: set[str]) -> dict[str, Any]:
    return {n: v for n, v in form.cleaned_data.items() if n in names}


def _website() -> forms.URLField:
    return forms.URLField(
        label=_("website"), required=False, max_length=200, assume_scheme="https"
    )


class InitiativeForm(ModelForm):
    """The needs as check boxes; stored as their codes."""

    website = _website()

    needs = forms.MultipleChoiceField(
        label=_("support needed"),
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Initiative
        fields = (
            "name",
            "type",
            "municipality",
            "stage",
            "description_nl",
            "description_en",
            "needs",
            "support_text",
            "website",
            "contact_email",
            "contact_phone",
            "contact_consent",
            "owner",
            "status",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["needs"] = self.instance.need_codes

    def clean_needs(self) -> str:
        return needs_join(self.cleaned_data.get("needs") or [])


@admin.register(Initiative)
class InitiativeAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    form = InitiativeForm
    list_display = (
        "name",
        "type",
        "municipality",
        "stage",
        "status",
        "owner",
        "created_at",
        "is_demo",
    )
    list_filter = ("status", "type", "stage", "is_demo", "municipality")
    search_fields = ("name", "description_nl", "description_en")
    ordering = ("-created_at", "-id")
    change_rule = staticmethod(rules.can_change_initiative)
    editor_filter = "owner_id"
    editors_may_add = True
    actions = ["publish_suggestions", "reject_suggestions"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = ["is_demo", "created_at", "updated_at"]
        if not is_coordinator(request):
            fields.append("status")
            if obj is not None:
                fields.append("owner")
        return fields

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "owner" and not is_coordinator(request):
            # An editor creates initiatives for their own organisation only.
            kwargs["queryset"] = Organisation.objects.filter(
                pk=getattr(request.user, "organisation_id", None)
            )
            kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: Initiative, form: ModelForm, change: bool
    ) -> None:
        if change:
            fresh = Initiative.objects.get(pk=obj.pk)
            services.initiative_update(
                actor=request.user, initiative=fresh, **changed_fields(form)
            )
            obj.refresh_from_db()
        else:
            extra = {}
            if "status" in form.cleaned_data:
                extra["status"] = form.cleaned_data["status"]
            created = services.initiative_create(
                actor=request.user,
                owner=form.cleaned_data.get("owner"),
                **extra,
                **_fields(form, CONTENT_FIELDS),
            )
            obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: Initiative) -> None:
        services.initiative_delete(actor=request.user, initiative=obj)

    def has_review_permission(self, request: HttpRequest) -> bool:
        return is_coordinator(request)

    def _review(
        self,
        request: HttpRequest,
        queryset: QuerySet[Initiative],
        service: Callable[..., Initiative],
        done_message: Callable[[int], str],
        log_message: str,
    ) -> None:
        done = skipped = 0
        for initiative in queryset:
            try:
                service(actor=request.user, initiative=initiative)
            except ValidationError:
                skipped += 1
                continue
            self.log_change(request, initiative, log_message)
            done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d initiative was skipped: only suggestions can be "
                    "published or rejected.",
                    "%(count)d initiatives were skipped: only suggestions can be "
                    "published or rejected.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )

    @admin.action(
        description=_("Publish the selected suggestions"), permissions=["review"]
    )
    def publish_suggestions(
        self, request: HttpRequest, queryset: QuerySet[Initiative]
    ) -> None:
        self._review(
            request,
            queryset,
            services.initiative_approve,
            lambda n: (
                ngettext(
                    "%(count)d initiative was published.",
                    "%(count)d initiatives were published.",
                    n,
                )
                % {"count": n}
            ),
            "Published the suggestion.",
        )

    @admin.action(
        description=_("Reject the selected suggestions (archive them)"),
        permissions=["review"],
    )
    def reject_suggestions(
        self, request: HttpRequest, queryset: QuerySet[Initiative]
    ) -> None:
        self._review(
            request,
            queryset,
            services.initiative_reject,
            lambda n: (
                ngettext(
                    "%(count)d suggestion was rejected and archived.",
                    "%(count)d suggestions were rejected and archived.",
                    n,
                )
                % {"count": n}
            ),
            "Rejected the suggestion.",
        )


class ContactPointForm(ModelForm):
    website = _website()

    class Meta:
        model = ContactPoint
        fields = (
            "municipality",
            "organisation",
            "role_name",
            "email",
            "phone",
            "website",
            "hours_nl",
            "hours_en",
            "last_verified",
            "is_active",
        )


@admin.register(ContactPoint)
class ContactPointAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    form = ContactPointForm
    list_display = (
        "municipality",
        "role_name",
        "organisation",
        "is_active",
        "last_verified",
        "is_demo",
    )
    list_filter = ("is_active", "is_demo", "municipality")
    search_fields = ("role_name", "municipality__name", "organisation__name")
    change_rule = staticmethod(rules.can_change_contact_point)
    editor_filter = "organisation_id"
    editors_may_add = True

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and not is_coordinator(request):
            return ("municipality", "organisation", "is_demo")
        return ("is_demo",)

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if not is_coordinator(request):
            # An editor adds a contact point of their own organisation, in the
            # municipality it is or is based in.
            org_id = getattr(request.user, "organisation_id", None)
            if db_field.name == "organisation":
                kwargs["queryset"] = Organisation.objects.filter(pk=org_id)
            elif db_field.name == "municipality":
                kwargs["queryset"] = Municipality.objects.filter(
                    organisations__pk=org_id
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: ContactPoint, form: ModelForm, change: bool
    ) -> None:
        if change:
            fresh = ContactPoint.objects.get(pk=obj.pk)
            services.contact_point_update(
                actor=request.user, contact_point=fresh, **changed_fields(form)
            )
            obj.refresh_from_db()
        else:
            created = services.contact_point_create(
                actor=request.user,
                municipality=form.cleaned_data["municipality"],
                organisation=form.cleaned_data["organisation"],
                **_fields(form, CONTACT_POINT_FIELDS),
            )
            obj.pk = created.pk

    def delete_model(self, request: HttpRequest, obj: ContactPoint) -> None:
        services.contact_point_delete(actor=request.user, contact_point=obj)
