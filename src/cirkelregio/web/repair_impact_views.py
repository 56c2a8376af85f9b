# SPDX-License-Identifier: EUPL-1.2
"""What repairing achieves (Heel Utrecht Repareert): the public page with the repair
statistics of the stored ORDS records (totals, fix rate, waste prevented and CO2e
averted, per year and per product category; each chart with its numbers as a table
and a CSV download), and the form on which a repair café records its own repairs.

Thin: the figures come from the repair selectors, which call the engine
(``cirkelregio.engine.repair.compute_statistics``); a repair is recorded through the
service ``own_record_create``. The CSV downloads are the engine's own CSV format
(that of ``cirkelregio repair ords-stats --format csv``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from cirkelregio.engine.repair.cli import to_csv
from cirkelregio.regions import selectors as region_selectors
from cirkelregio.repair import selectors, services
from cirkelregio.web.charts import stacked_bars

TEXTBOX = "utrecht-textbox utrecht-textbox--html-input"
TEXTAREA = "utrecht-textarea utrecht-textarea--html-textarea"
SELECT = "utrecht-select utrecht-select--html-select"
RADIO = "utrecht-radio-button utrecht-radio-button--html-input"

# The CSV downloads: URL name -> the engine's grouping.
CSV_TABLES = {"per-jaar": "year", "per-categorie": "category"}
RECENT_RECORDS = 20

# ORDS status codes (cirkelregio.engine.repair.REPAIR_STATUSES).
FIXED, REPAIRABLE, END_OF_LIFE, UNKNOWN = 1, 2, 3, 0


# The public page ---------------------------------------------------------------------


class ImpactFilterForm(forms.Form):
    """Country and year, from those that have records."""

    country = forms.ChoiceField(label=gettext_lazy("Country"), required=False)
    year = forms.TypedChoiceField(
        label=gettext_lazy("Year"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        every = ("", _("All"))
        self.fields["country"].choices = [
            every,
            *((c, c) for c in selectors.statistics_countries()),
        ]
        self.fields["year"].choices = [
            every,
            *((str(y), str(y)) for y in reversed(selectors.statistics_years())),
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = SELECT

    def filters(self) -> dict[str, Any]:
        """The valid filters (an invalid one is left out and shown as an error)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            name: data[name]
            for name in ("country", "year")
            if data.get(name) not in (None, "")
        }


def _outcomes(stats: Any) -> dict[str, float]:
    return {
        _("fixed"): stats.fixed,
        _("repairable"): stats.repairable,
        _("end of life"): stats.end_of_life,
        _("unknown"): stats.unknown,
    }


def _percent(rate: float | None) -> float | None:
    return None if rate is None else rate * 100


def _rows(result: Any, label: Any) -> list[dict[str, Any]]:
    return [
        {
            "label": label(g.key[0]),
            "key": g.key[0],
            "stats": g,
            "fix_rate_percent": _percent(g.fix_rate),
        }
        for g in result.groups
    ]


@require_safe
def repair_impact(request: HttpRequest) -> HttpResponse:
    form = ImpactFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    by_year, by_category = selectors.repair_statistics_sets(
        bys=[["year"], ["category"]], **filters
    )
    overall = by_year.overall
    years = _rows(by_year, str)
    labels = selectors.ords_category_labels_by_name()
    categories = sorted(
        _rows(by_category, lambda name: str(labels.get(name, name))),
        key=lambda row: (-row["stats"].records, row["label"]),
    )
    context: dict[str, Any] = {
        "form": form,
        "filters": filters,
        "query": request.GET.urlencode() if filters else "",
        "overall": overall,
        "overall_fix_rate_percent": _percent(overall.fix_rate),
        "categories_without_weight": [
            labels.get(name, name)
            for name in selectors.statistics_method()["categories_without_weight"]
        ],
        "years": years,
        "categories": categories,
        "year_chart": stacked_bars(
            {row["label"]: _outcomes(row["stats"]) for row in years}
        )
        if years
        else None,
        "co2e_chart": stacked_bars(
            {
                row["label"]: {_("CO2e averted"): row["stats"].co2e_averted_kg}
                for row in years
            }
        )
        if overall.co2e_averted_kg
        else None,
        "category_chart": stacked_bars(
            {row["label"]: _outcomes(row["stats"]) for row in categories}
        )
        if categories
        else None,
        "method": selectors.statistics_method(),
        "datasets": selectors.statistics_datasets(**filters),
        "barriers": [
            (name, count)
            for name, count in overall.barriers.items()
            if name != "not recorded"
        ],
        "barriers_not_recorded": overall.barriers.get("not recorded", 0),
        "may_record": selectors.may_record_repairs(
            user=request.user,
            organisation=getattr(request.user, "organisation", None),
        ),
    }
    return render(request, "web/repair/impact.html", context)


@require_safe
def repair_impact_csv(request: HttpRequest, table: str) -> HttpResponse:
    by = CSV_TABLES.get(table)
    if by is None:
        raise Http404
    form = ImpactFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    result = selectors.repair_statistics(by=[by], **filters)
    response = HttpResponse(to_csv(result), content_type="text/csv; charset=utf-8")
    suffix = "".join(f"-{v}" for v in filters.values())
    response["Content-Disposition"] = (
        f'attachment; filename="repair-impact-{table}{suffix}.csv"'
    )
    return response


# Recording own repairs -----------------------------------------------------------


class RepairRecordForm(forms.Form):
    """One repaired (or not repaired) item. Field names as the service's."""

    event_date = forms.DateField(
        label=gettext_lazy("Date of the Repair Café"),
        widget=forms.DateInput(
            format="%Y-%m-%d", attrs={"type": "date", "class": TEXTBOX}
        ),
    )
    product_category_id = forms.TypedChoiceField(
        label=gettext_lazy("Product category"),
        coerce=int,
        help_text=gettext_lazy(
            "The category of the Open Repair Data Standard that fits best."
        ),
        widget=forms.Select(attrs={"class": SELECT}),
    )
    brand = forms.CharField(
        label=gettext_lazy("Brand"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"class": TEXTBOX}),
    )
    repair_status = forms.TypedChoiceField(
        label=gettext_lazy("Outcome"),
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": RADIO}),
    )
    repair_barrier = forms.TypedChoiceField(
        label=gettext_lazy("Why could it not be repaired?"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=gettext_lazy("Only when the item is at its end of life."),
        widget=forms.Select(attrs={"class": SELECT}),
    )
    problem = forms.CharField(
        label=gettext_lazy("Problem"),
        required=False,
        max_length=500,
        help_text=gettext_lazy(
            "The fault in a few words, e.g. “does not heat up”. Do not write names, "
            "addresses, phone numbers or anything else about a person: the records "
            "may be published as open data."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "class": TEXTAREA}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = sorted(
            selectors.ords_category_choices(), key=lambda c: str(c[1]).casefold()
        )
        self.fields["product_category_id"].choices = [("", "—"), *categories]
        statuses = dict(selectors.repair_status_choices())
        self.fields["repair_status"].choices = [
            (code, statuses[code]) for code in (FIXED, REPAIRABLE, END_OF_LIFE, UNKNOWN)
        ]
        self.fields["repair_barrier"].choices = [
            ("", "—"),
            *selectors.repair_barrier_choices(),
        ]
        if not self.is_bound:
            self.initial.setdefault("event_date", timezone.localdate())

    def add_service_errors(self, error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


def _organisation(request: HttpRequest, slug: str) -> Any:
    organisation = (
        region_selectors.organisation_list(user=request.user).filter(slug=slug).first()
    )
    if organisation is None:
        raise Http404
    return organisation


@require_safe
def repair_records_choose(request: HttpRequest) -> HttpResponse:
    """Where to record: an editor goes to their organisation's form; a coordinator
    chooses the organisation."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if getattr(request.user, "is_coordinator", False):
        organisations = list(region_selectors.organisation_list(user=request.user))
        chosen = request.GET.get("organisatie", "")
        if any(o.slug == chosen for o in organisations):
            return redirect("web:repair-records", slug=chosen)
        return render(
            request,
            "web/repair/impact_choose.html",
            {"organisations": organisations, "chosen": chosen},
        )
    if getattr(request.user, "is_organisation_editor", False):
        organisation = request.user.organisation  # type: ignore[union-attr]
        return redirect("web:repair-records", slug=organisation.slug)
    raise PermissionDenied


@require_http_methods(["GET", "HEAD", "POST"])
def repair_records(request: HttpRequest, slug: str) -> HttpResponse:
    """The form of one organisation: its editors and coordinators."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    organisation = _organisation(request, slug)
    if not selectors.may_record_repairs(user=request.user, organisation=organisation):
        raise PermissionDenied
    if request.method == "POST":
        form = RepairRecordForm(request.POST)
        if form.is_valid():
            try:
                record = services.own_record_create(
                    actor=request.user,  # type: ignore[arg-type]
                    organisation=organisation,
                    **form.cleaned_data,
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                url = reverse("web:repair-records", kwargs={"slug": slug})
                return redirect(f"{url}?opgeslagen={record.ords_id}")
    else:
        form = RepairRecordForm()
    dataset = selectors.own_dataset_get(organisation=organisation)
    stats = (
        selectors.repair_statistics(dataset=dataset).overall
        if dataset is not None
        else None
    )
    recent = list(selectors.own_record_list(organisation=organisation))
    labels = dict(selectors.ords_category_choices())
    return render(
        request,
        "web/repair/impact_records.html",
        {
            "organisation": organisation,
            "form": form,
            "saved": request.GET.get("opgeslagen", "")[:120],
            "stats": stats,
            "recent": [
                (r, labels.get(r.product_category_id, r.product_category))
                for r in recent[:RECENT_RECORDS]
            ],
        },
    )
