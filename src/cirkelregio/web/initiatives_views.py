# SPDX-License-Identifier: EUPL-1.2
"""Public pages of the resident initiatives (action line 7): the directory with
filters (plain GET forms, no script needed), a page per initiative with the local
contact point of its municipality, and the form to suggest an initiative. Thin: data
from the initiatives and regions selectors, the suggestion through the service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from cirkelregio.core.ratelimit import client_address
from cirkelregio.initiatives import selectors, services
from cirkelregio.regions import selectors as region_selectors

TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"
TEXTAREA = "utrecht-textarea utrecht-textarea--html-textarea"
SELECT = "utrecht-select utrecht-select--html-select"
CHECKBOX = "utrecht-checkbox utrecht-checkbox--html-input"
RADIO = "utrecht-radio-button utrecht-radio-button--html-input"

# The fields of a suggestion that the service reports errors on, by form field.
SERVICE_FIELDS = {
    "description_nl": "description",
    "description_en": "description",
}


def _municipality_choices() -> list[tuple[str, str]]:
    return [(m.cbs_code, m.name) for m in region_selectors.municipality_list()]


class SuggestionForm(forms.Form):
    """A suggestion of an initiative by anyone. ``fax`` is the honeypot: hidden
    from people (and assistive technology), filled in by some robots."""

    name = forms.CharField(label=_("Name of the initiative"), max_length=200)
    type = forms.ChoiceField(label=_("Type"))
    municipality = forms.ChoiceField(label=_("Municipality"))
    stage = forms.ChoiceField(
        label=_("Stage"),
        widget=forms.RadioSelect,
        initial="starting",
    )
    description = forms.CharField(
        label=_("What does the initiative do?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    needs = forms.MultipleChoiceField(
        label=_("What support are you looking for?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    support_text = forms.CharField(
        label=_("Anything else about the support you need"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )
    contact_email = forms.EmailField(
        label=_("E-mail address of the initiative"),
        help_text=_(
            "Preferably a general address of the initiative. A coordinator uses it "
            "to ask about your suggestion."
        ),
    )
    contact_phone = forms.CharField(
        label=_("Phone number"), required=False, max_length=30
    )
    contact_consent = forms.BooleanField(
        label=_("Show this e-mail address and phone number on the site"),
        required=False,
        help_text=_(
            "Without this, only the coordinators of the alliance see them. Do not "
            "tick it for a private address."
        ),
    )
    fax = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [
            ("", _("Choose a type")),
            *selectors.type_choices(),
        ]
        self.fields["municipality"].choices = [
            ("", _("Choose a municipality")),
            *_municipality_choices(),
        ]
        self.fields["stage"].choices = selectors.stage_choices()
        self.fields["needs"].choices = selectors.need_choices()
        css = {
            forms.Textarea: TEXTAREA,
            forms.Select: SELECT,
            forms.RadioSelect: RADIO,
            forms.CheckboxSelectMultiple: CHECKBOX,
            forms.CheckboxInput: CHECKBOX,
        }
        for name, field in self.fields.items():
            widget = field.widget
            widget.attrs["class"] = css.get(type(widget), TEXTBOX)
            if field.help_text:
                widget.attrs["aria-describedby"] = f"help-{name}"
        self.fields["contact_email"].widget.attrs["autocomplete"] = "email"
        self.fields["contact_phone"].widget.attrs.update(
            {"autocomplete": "tel", "type": "tel"}
        )
        self.fields["website"].widget.attrs["autocomplete"] = "url"
        self.fields["fax"].widget.attrs.update(
            {"autocomplete": "off", "tabindex": "-1"}
        )

    def mark_invalid(self) -> None:
        """aria-invalid and the error message's id on every field with an error."""
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            described = [f"error-{name}"]
            if self.fields[name].help_text:
                described.append(f"help-{name}")
            attrs["aria-describedby"] = " ".join(described)

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        language = "en" if (get_language() or "nl")[:2] == "en" else "nl"
        return {
            "name": data["name"],
            "type": data["type"],
            "municipality": region_selectors.municipality_get(
                cbs_code=data["municipality"]
            ),
            "stage": data["stage"],
            f"description_{language}": data["description"],
            "needs": data["needs"],
            "support_text": data["support_text"],
            "website": data["website"],
            "contact_email": data["contact_email"],
            "contact_phone": data["contact_phone"],
            "contact_consent": data["contact_consent"],
        }

    def add_service_errors(self, exc: ValidationError) -> None:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        for name, messages in errors.items():
            field = SERVICE_FIELDS.get(name, name)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


def _choice(value: str, choices: list[tuple[str, str]]) -> str:
    """The value when it is one of the choices; else empty (no filter)."""
    return value if any(value == code for code, _label in choices) else ""


@require_safe
def initiative_list(request: HttpRequest) -> HttpResponse:
    municipalities = list(region_selectors.municipality_list())
    types, stages = selectors.type_choices(), selectors.stage_choices()
    chosen = {
        "municipality": _choice(
            request.GET.get("municipality", ""),
            [(m.slug, m.name) for m in municipalities],
        ),
        "type": _choice(request.GET.get("type", ""), types),
        "stage": _choice(request.GET.get("stage", ""), stages),
    }
    initiatives = selectors.initiative_filter(
        selectors.initiative_list(user=request.user),
        municipality_slug=chosen["municipality"],
        type=chosen["type"],
        stage=chosen["stage"],
    ).order_by("name", "id")
    municipality = next(
        (m for m in municipalities if m.slug == chosen["municipality"]), None
    )
    contact_point = (
        selectors.active_contact_point(municipality_id=municipality.pk)
        if municipality is not None
        else None
    )
    return render(
        request,
        "web/initiatives/list.html",
        {
            "initiatives": list(initiatives),
            "municipalities": municipalities,
            "types": types,
            "stages": stages,
            "chosen": chosen,
            "municipality": municipality,
            "contact_point": contact_point,
            "contact_points": selectors.contact_point_list().filter(is_active=True),
        },
    )


@require_safe
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = selectors.initiative_get(user=request.user, pk=pk)
    if initiative is None:
        raise Http404
    return render(
        request,
        "web/initiatives/detail.html",
        {
            "initiative": initiative,
            "show_contact": selectors.initiative_contact_visible(
                request.user, initiative
            ),
            "contact_point": selectors.active_contact_point(
                municipality_id=initiative.municipality_id
            ),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def initiative_submit(request: HttpRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = SuggestionForm(request.POST)
        if form.is_valid():
            try:
                services.initiative_suggest(
                    client=client_address(request),
                    honeypot=form.cleaned_data["fax"],
                    **form.service_fields(),
                )
            except services.SuggestionRateLimitedError as exc:
                form.add_error(None, str(exc))
                status = 429
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                return redirect("web:initiative-thanks")
        form.mark_invalid()
    else:
        form = SuggestionForm()
    error_fields = [name for name in form.errors if name != NON_FIELD_ERRORS]
    return render(
        request,
        "web/initiatives/submit.html",
        {"form": form, "error_fields": error_fields},
        status=status,
    )


@require_safe
def initiative_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "web/initiatives/thanks.html")
