# SPDX-License-Identifier: EUPL-1.2
"""Repair places for coordinators and organisation editors. The rules of
``cirkelregio.repair.rules`` decide who sees and changes what; saves go through the
services, as in the API. The municipality, the derived-location and
unreadable-hours flags and the import key are worked out, not typed in.

Suggestions from the public are for coordinators only: each shows the proposed
values (for a correction beside the place's current ones), and the list actions
approve or reject them through the services, with a note."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from cirkelregio.core.admin import (
    ReadOnlyAdminMixin,
    RuleBasedAdminMixin,
    changed_fields,
    is_coordinator,
)
from cirkelregio.regions.models import Organisation
from cirkelregio.repair import rules, services
from cirkelregio.repair.models import (
    SUGGESTION_PLACE_FIELDS,
    OrdsDataset,
    PlaceKind,
    RepairCategory,
    RepairPlace,
    RepairPlaceSuggestion,
    RepairRecord,
    SuggestionType,
)
from cirkelregio.repair.services.places import PLACE_FIELDS


@admin.register(RepairCategory)
class RepairCategoryAdmin(ReadOnlyAdminMixin, RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name_nl", "name_en")


class RepairPlaceForm(ModelForm):
    """Checks the postcode and location as the service will, so that a problem is
    shown on the field rather than as an error page."""

    website = forms.URLField(
        label=_("website"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = RepairPlace
        fields = [*sorted(PLACE_FIELDS), "owner", "categories"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if any(f in self.errors for f in ("postcode", "lat", "lon")):
            return data
        lat, lon = data.get("lat"), data.get("lon")
        if (
            self.instance.pk
            and self.instance.coordinates_derived
            and not ({"lat", "lon"} & set(self.changed_data))
        ):
            lat = lon = None  # the point follows the postcode
        try:
            services.place_location_check(
                postcode=data.get("postcode") or "", lat=lat, lon=lon
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(name if name in self.fields else None, message)
        return data


@admin.register(RepairPlace)
class RepairPlaceAdmin(RuleBasedAdminMixin, admin.ModelAdmin):
    form = RepairPlaceForm
    list_display = (
        "name",
        "kind",
        "municipality",
        "postcode",
        "owner",
        "coordinates_derived",
        "opening_hours_unparsable",
        "is_published",
    )
    list_filter = (
        "kind",
        "categories",
        "opening_hours_unparsable",
        "coordinates_derived",
        "is_published",
        "is_demo",
    )
    search_fields = ("name", "postcode", "city")
    filter_horizontal = ("categories",)
    change_rule = staticmethod(rules.can_change_place)
    editor_filter = "owner_id"
    editors_may_add = True
    computed = (
        "municipality",
        "coordinates_derived",
        "opening_hours_unparsable",
        "import_key",
        "is_demo",
        "created_at",
        "updated_at",
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and not is_coordinator(request):
            return (*self.computed, "owner")
        return self.computed

    def formfield_for_foreignkey(
        self, db_field: Any, request: HttpRequest, **kwargs: Any
    ) -> Any:
        if db_field.name == "owner" and not is_coordinator(request):
            kwargs["queryset"] = Organisation.objects.filter(
                pk=getattr(request.user, "organisation_id", None)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: RepairPlace, form: ModelForm, change: bool
    ) -> None:
        categories = [c.code for c in form.cleaned_data.get("categories") or []]
        if change:
            fresh = RepairPlace.objects.get(pk=obj.pk)
            fields = {
                k: v for k, v in changed_fields(form).items() if k != "categories"
            }
            services.place_update(
                actor=request.user, place=fresh, categories=categories, **fields
            )
            obj.refresh_from_db()
        else:
            fields = {k: v for k, v in form.cleaned_data.items() if k in PLACE_FIELDS}
            created = services.place_create(
                actor=request.user,
                owner=form.cleaned_data.get("owner"),
                categories=categories,
                **fields,
            )
            obj.pk = created.pk

    def save_related(
        self, request: HttpRequest, form: Any, formsets: Any, change: bool
    ) -> None:
        # The service has set the categories; the form must not set them again.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request: HttpRequest, obj: RepairPlace) -> None:
        services.place_delete(actor=request.user, place=obj)


@admin.register(OrdsDataset)
class OrdsDatasetAdmin(ReadOnlyAdminMixin, RuleBasedAdminMixin, admin.ModelAdmin):
    """Imported by ``cirkelregio repair import-ords``, or filled by a repair café's
    own records: shown, never edited here."""

    list_display = (
        "__str__",
        "kind",
        "ords_version",
        "record_count",
        "licence",
        "imported_at",
    )
    list_filter = ("kind", "ords_version")


@admin.register(RepairRecord)
class RepairRecordAdmin(ReadOnlyAdminMixin, RuleBasedAdminMixin, admin.ModelAdmin):
    list_display = (
        "ords_id",
        "dataset",
        "country",
        "event_date",
        "product_category",
        "repair_status",
        "repair_barrier_if_end_of_life",
    )
    list_filter = ("dataset", "repair_status", "country")
    list_select_related = ("dataset",)
    search_fields = ("ords_id",)
    show_full_result_count = False


class DecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        max_length=2000,
    )

    def __init__(self, *args: Any, note_required: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].required = note_required
        self.fields["note"].help_text = (
            _("Why the suggestions are rejected; only coordinators see it.")
            if note_required
            else _("Optional; only coordinators see it.")
        )


def _reason(exc: ValidationError | PermissionDenied) -> str:
    if isinstance(exc, PermissionDenied):
        return str(exc)
    if not hasattr(exc, "error_dict"):
        return " ".join(exc.messages)
    return " ".join(
        message if field == NON_FIELD_ERRORS else f"{field}: {message}"
        for field, field_messages in exc.message_dict.items()
        for message in field_messages
    )


def _shown(name: str, value: Any) -> str:
    """A proposed or current value as text for the coordinator."""
    if value in ("", None, []):
        return ""
    if name == "kind":
        return str(dict(PlaceKind.choices).get(value, value))
    if name == "categories":
        names = {c.code: c.name for c in RepairCategory.objects.filter(code__in=value)}
        return ", ".join(names.get(code, code) for code in value)
    return str(value)


@admin.register(RepairPlaceSuggestion)
class RepairPlaceSuggestionAdmin(admin.ModelAdmin):
    """Read-only: a suggestion is decided with the list actions, never edited. Only
    coordinators see suggestions (they hold the submitter's contact details)."""

    list_display = (
        "__str__",
        "type",
        "status",
        "opening_hours_unparsable",
        "created_at",
        "decided_by",
    )
    list_filter = ("status", "type", "opening_hours_unparsable", "created_at")
    search_fields = ("name", "city", "postcode", "place__name")
    list_select_related = ("place", "decided_by")
    ordering = ("-created_at", "-id")
    actions = ["approve_suggestions", "reject_suggestions"]
    fieldsets = (
        (None, {"fields": ("type", "place", "status", "created_at")}),
        (
            _("Proposed values"),
            {"fields": ("comparison", "opening_hours_unparsable", "message")},
        ),
        (
            _("Submitter"),
            {
                "fields": ("submitter_name", "submitter_email"),
                "description": _(
                    "Personal data: only to ask the submitter about the suggestion. "
                    "Not published, not in the audit log."
                ),
            },
        ),
        (_("Decision"), {"fields": ("decided_by", "decided_at", "decision_note")}),
    )
    readonly_fields = (
        "type",
        "place",
        "status",
        "created_at",
        "comparison",
        "opening_hours_unparsable",
        "message",
        "submitter_name",
        "submitter_email",
        "decided_by",
        "decided_at",
        "decision_note",
    )

    def has_module_permission(self, request: HttpRequest) -> bool:
        return rules.can_review_place_suggestions(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return rules.can_review_place_suggestions(request.user)

    def has_review_permission(self, request: HttpRequest) -> bool:
        return rules.can_review_place_suggestions(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("proposed values"))
    def comparison(self, obj: RepairPlaceSuggestion) -> str:
        """For a correction, each field's current value beside the proposed one
        (empty: no change); for a new place, the values given."""
        proposed = obj.proposed()
        place = obj.place if obj.type == SuggestionType.CORRECTION else None
        names = [*SUGGESTION_PLACE_FIELDS, "categories"]
        labels = {
            "categories": _("categories"),
            **{
                name: RepairPlaceSuggestion._meta.get_field(name).verbose_name
                for name in SUGGESTION_PLACE_FIELDS
            },
        }
        rows = []
        for name in names:
            new = _shown(name, proposed.get(name))
            if place is None:
                if new:
                    rows.append((labels[name], new))
                continue
            if name == "categories":
                current_value: Any = [c.code for c in place.categories.all()]
            else:
                current_value = getattr(place, name)
            current = _shown(name, current_value)
            changed = bool(new) and new != current
            rows.append(
                (
                    format_html("<strong>{}</strong>", labels[name])
                    if changed
                    else labels[name],
                    current,
                    format_html("<strong>{}</strong>", new)
                    if changed
                    else (new or gettext("(no change)")),
                )
            )
        if place is None:
            head = format_html(
                "<tr><th>{}</th><th>{}</th></tr>", _("field"), _("proposed")
            )
            body = format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", rows)
        else:
            head = format_html(
                "<tr><th>{}</th><th>{}</th><th>{}</th></tr>",
                _("field"),
                _("current value"),
                _("proposed value"),
            )
            body = format_html_join(
                "", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows
            )
        return format_html(
            "<table><thead>{}</thead><tbody>{}</tbody></table>", head, body
        )

    def _decide(
        self,
        request: HttpRequest,
        queryset: QuerySet[RepairPlaceSuggestion],
        *,
        approve: bool,
    ) -> HttpResponse | None:
        """Ask for the note, then decide each suggestion on its own: one that
        cannot be applied is reported and left pending; the others go ahead."""
        action = "approve_suggestions" if approve else "reject_suggestions"
        if request.POST.get("post") == "yes":
            form = DecisionForm(request.POST, note_required=not approve)
            if form.is_valid():
                self._apply(request, queryset, approve, form.cleaned_data["note"])
                return None
        else:
            form = DecisionForm(note_required=not approve)
        opts = self.model._meta
        title = (
            _("Approve the selected suggestions")
            if approve
            else _("Reject the selected suggestions")
        )
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": opts,
            "form": form,
            "suggestions": list(queryset),
            "action": action,
            "approve": approve,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "subtitle": None,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(
            request,
            "admin/repair/repairplacesuggestion/decide.html",
            context,
        )

    def _apply(
        self,
        request: HttpRequest,
        queryset: QuerySet[RepairPlaceSuggestion],
        approve: bool,
        note: str,
    ) -> None:
        service: Callable[..., Any] = (
            services.place_suggestion_approve
            if approve
            else services.place_suggestion_reject
        )
        done = 0
        for suggestion in queryset:
            try:
                service(actor=request.user, suggestion=suggestion, note=note)
            except (ValidationError, PermissionDenied) as exc:
                self.message_user(
                    request,
                    (
                        gettext("“%(suggestion)s” was not approved: %(reason)s")
                        if approve
                        else gettext("“%(suggestion)s” was not rejected: %(reason)s")
                    )
                    % {"suggestion": suggestion, "reason": _reason(exc)},
                    messages.ERROR,
                )
                continue
            self.log_change(
                request,
                suggestion,
                "Approved the suggestion." if approve else "Rejected the suggestion.",
            )
            done += 1
        if done:
            message = (
                ngettext(
                    "%(count)d suggestion was approved and applied to the map.",
                    "%(count)d suggestions were approved and applied to the map.",
                    done,
                )
                if approve
                else ngettext(
                    "%(count)d suggestion was rejected.",
                    "%(count)d suggestions were rejected.",
                    done,
                )
            )
            self.message_user(request, message % {"count": done}, messages.SUCCESS)

    @admin.action(
        description=_("Approve the selected suggestions"), permissions=["review"]
    )
    def approve_suggestions(
        self, request: HttpRequest, queryset: QuerySet[RepairPlaceSuggestion]
    ) -> HttpResponse | None:
        return self._decide(request, queryset, approve=True)

    @admin.action(
        description=_("Reject the selected suggestions"), permissions=["review"]
    )
    def reject_suggestions(
        self, request: HttpRequest, queryset: QuerySet[RepairPlaceSuggestion]
    ) -> HttpResponse | None:
        return self._decide(request, queryset, approve=False)
