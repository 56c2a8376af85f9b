# SPDX-License-Identifier: EUPL-1.2
"""Suggestions from the public on the Reparatiekaart: a new repair place
(``/reparatiekaart/voorstellen/``) or a correction of a place
(``/reparatiekaart/<id>/correctie/``, the form filled with the current values), and
the thank-you page. A coordinator checks every suggestion before the map changes.

Thin: the place and the choices come from the repair selectors, the suggestion is
stored through ``services.place_suggestion_submit`` (the place rules, the honeypot
and the limit per client address). For a correction only the fields that were
changed are sent, so that the rest is not proposed again.
"""

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
from cirkelregio.repair import selectors, services

TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"
TEXTAREA = "utrecht-textarea utrecht-textarea--html-textarea"
SELECT = "utrecht-select utrecht-select--html-select"
CHECKBOX = "utrecht-checkbox utrecht-checkbox--html-input"

# The fields of the place that a person may propose (the service's names, except
# ``repairs``, stored in the language of the page).
PLACE_FIELDS = (
    "name",
    "kind",
    "street",
    "postcode",
    "city",
    "lat",
    "lon",
    "categories",
    "opening_hours",
    "repairs",
    "website",
    "email",
    "phone",
)
OTHER_FIELDS = ("message", "submitter_name", "submitter_email")
# The service's field names that the form shows under another name.
SERVICE_FIELDS = {"repairs_nl": "repairs", "repairs_en": "repairs"}


class CoordinateField(forms.FloatField):
    """A degree with a decimal point or a decimal comma (52.09 or 52,09), in
    either language: never read as a thousands separator."""

    widget = forms.TextInput

    def to_python(self, value: Any) -> float | None:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


def _language() -> str:
    return "en" if (get_language() or "nl")[:2] == "en" else "nl"


class PlaceSuggestionForm(forms.Form):
    """A new place, or (with ``place``) a correction of it, filled with its current
    values. ``fax`` is the honeypot: hidden from people (and assistive
    technology), filled in by some robots."""

    name = forms.CharField(label=_("Name of the place"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of place"))
    categories = forms.MultipleChoiceField(
        label=_("What do they repair?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    repairs = forms.CharField(
        label=_("More about what they repair"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: lamps, coffee machines and trousers."),
    )
    street = forms.CharField(
        label=_("Street and number"), required=False, max_length=200
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=20,
        help_text=_("1234 AB, or only the four digits."),
    )
    city = forms.CharField(label=_("Town or city"), required=False, max_length=100)
    lat = CoordinateField(
        label=_("Latitude"),
        required=False,
        help_text=_(
            "Only when the point on the map must be exact or the postcode is not "
            "known here, for example 52.0907 (from OpenStreetMap)."
        ),
    )
    lon = CoordinateField(
        label=_("Longitude"),
        required=False,
        help_text=_("For example 5.1214."),
    )
    opening_hours = forms.CharField(
        label=_("Opening hours"),
        required=False,
        max_length=500,
        help_text=_(
            "For example Mo-Fr 09:00-17:00; Sa 10:00-13:00, or Sa[1] 10:00-13:00 "
            "for the first Saturday of the month. Hours in words are kept too; a "
            "coordinator reads them."
        ),
    )
    website = forms.URLField(
        label=_("Website"), required=False, max_length=500, assume_scheme="https"
    )
    email = forms.EmailField(
        label=_("E-mail address of the place"),
        required=False,
        help_text=_("The place's general address, which is published."),
    )
    phone = forms.CharField(
        label=_("Phone number of the place"), required=False, max_length=40
    )
    message = forms.CharField(
        label=_("Anything else we should know?"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    submitter_name = forms.CharField(
        label=_("Your name"), required=False, max_length=200
    )
    submitter_email = forms.EmailField(
        label=_("Your e-mail address"),
        required=False,
        help_text=_(
            "Only so that a coordinator can ask you about your suggestion. Only "
            "coordinators see it; it is not published."
        ),
    )
    fax = forms.CharField(label=_("Leave this field empty"), required=False)

    def __init__(
        self, *args: Any, place: Any = None, language: str = "nl", **kwargs: Any
    ) -> None:
        self.place = place
        self.language = language
        if place is not None:
            kwargs.setdefault("initial", self._current(place))
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            ("", _("Choose a kind")),
            *selectors.kind_choices(),
        ]
        self.fields["categories"].choices = [
            (c.code, c.name) for c in selectors.category_list()
        ]
        if place is not None:
            # Nothing is required: what is left as it is, is not proposed.
            for name in ("name", "kind"):
                self.fields[name].required = False
            self.fields["message"].label = _("What is wrong?")
            self.fields["message"].help_text = _(
                "For example that the place has closed or moved, or that a detail "
                "should be removed."
            )
        css = {
            forms.Textarea: TEXTAREA,
            forms.Select: SELECT,
            forms.CheckboxSelectMultiple: CHECKBOX,
        }
        for name, field in self.fields.items():
            widget = field.widget
            widget.attrs["class"] = css.get(type(widget), TEXTBOX)
            if field.help_text:
                widget.attrs["aria-describedby"] = f"help-{name}"
        autocomplete = {
            "postcode": "off",
            "website": "off",
            "email": "off",
            "phone": "off",
            "submitter_name": "name",
            "submitter_email": "email",
            "fax": "off",
        }
        for name, value in autocomplete.items():
            self.fields[name].widget.attrs["autocomplete"] = value
        self.fields["phone"].widget.attrs["type"] = "tel"
        for name in ("lat", "lon"):
            self.fields[name].widget.attrs["inputmode"] = "decimal"
        self.fields["fax"].widget.attrs["tabindex"] = "-1"

    def _current(self, place: Any) -> dict[str, Any]:
        """The place's values, as the form shows them. A point derived from the
        postcode is left out: it is not the address."""
        values = {
            name: getattr(place, name)
            for name in (
                "name",
                "kind",
                "street",
                "postcode",
                "city",
                "opening_hours",
                "website",
                "email",
                "phone",
            )
        }
        values["repairs"] = getattr(place, f"repairs_{self.language}")
        values["categories"] = [c.code for c in place.categories.all()]
        if not place.coordinates_derived:
            values["lat"], values["lon"] = place.lat, place.lon
        return values

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
        """What to send: every place field given for a new place; for a
        correction only those changed (an emptied field proposes nothing)."""
        data = self.cleaned_data
        names = list(PLACE_FIELDS)
        if self.place is not None:
            names = [n for n in names if n in self.changed_data]
        fields: dict[str, Any] = {}
        for name in names:
            value = data[name]
            if value in ("", None, []):
                continue
            key = f"repairs_{self.language}" if name == "repairs" else name
            fields[key] = value
        fields.update({name: data[name] for name in OTHER_FIELDS})
        return fields

    def add_service_errors(self, exc: ValidationError) -> None:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        for name, messages in errors.items():
            field = SERVICE_FIELDS.get(name, name)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)

    def forget_honeypot(self) -> None:
        """Show the form again without the honeypot's value, so that a person whose
        browser filled it in can send it again."""
        data = self.data.copy()
        data["fax"] = ""
        self.data = data


def _suggest(request: HttpRequest, place: Any = None) -> HttpResponse:
    language = _language()
    status = 200
    if request.method == "POST":
        form = PlaceSuggestionForm(request.POST, place=place, language=language)
        if form.is_valid():
            try:
                services.place_suggestion_submit(
                    client=client_address(request),
                    honeypot=form.cleaned_data["fax"],
                    type="new" if place is None else "correction",
                    place=place,
                    **form.service_fields(),
                )
            except services.SuggestionRateLimitedError as exc:
                form.add_error(None, str(exc))
                status = 429
            except services.SuggestionHoneypotError as exc:
                form.add_error(None, str(exc))
                form.forget_honeypot()
                status = 400
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                return redirect("web:repair-suggest-thanks")
        form.mark_invalid()
    else:
        form = PlaceSuggestionForm(place=place, language=language)
    error_fields = [name for name in form.errors if name != NON_FIELD_ERRORS]
    return render(
        request,
        "web/repair/suggest.html",
        {"form": form, "place": place, "error_fields": error_fields},
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def place_suggest(request: HttpRequest) -> HttpResponse:
    return _suggest(request)


@require_http_methods(["GET", "HEAD", "POST"])
def place_correct(request: HttpRequest, pk: int) -> HttpResponse:
    place = selectors.place_get(pk=pk, user=None)  # published places only
    if place is None:
        raise Http404
    return _suggest(request, place)


@require_safe
def place_suggest_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "web/repair/suggest_thanks.html")
