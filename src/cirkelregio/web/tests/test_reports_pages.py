# SPDX-License-Identifier: EUPL-1.2
"""Annual plan pages, the progress form, the phase timeline and the annual reports
with their XLSX export, with the real reference and demo data."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from io import BytesIO
from typing import Any

from django.test import Client
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from cirkelregio.accounts.tests.factories import CoordinatorFactory, EditorFactory
from cirkelregio.monitoring.models import Indicator, IndicatorValue
from cirkelregio.regions.models import (
    ActionLine,
    Organisation,
    PhaseChange,
    PlannedActivity,
)

pytestmark = pytest.mark.django_db

PLAN = "/actielijnen/agricycling/jaarplan/2026/"
PROGRESS = PLAN + "voortgang/"


class _Tables(HTMLParser):
    """The text of every cell of the tables marked data-table, by that name."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[str, list[list[str]]]] = []
        self._cell: list[str] | None = None
        self._in = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append((dict(attrs).get("data-table") or "", []))
            self._in = True
        elif tag == "tr" and self._in:
            self.tables[-1][1].append([])
        elif tag in ("td", "th") and self._in:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "table":
            self._in = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _tables(html: str, name: str) -> list[list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return [rows[1:] for key, rows in parser.tables if key == name]


def _activities() -> list[PlannedActivity]:
    return list(
        PlannedActivity.objects.filter(
            plan__action_line__slug="agricycling", plan__year=2026
        ).order_by("order")
    )


# The annual plan page -----------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_plan_page_shows_the_activities_and_counts_by_status(
    client: Client, demo_data: Any, prefix: str
) -> None:
    response = client.get(prefix + PLAN)
    assert response.status_code == 200
    html = response.content.decode()
    assert _activities()[0].title_nl in html
    # Demo plan Agricycling 2026: one activity in progress, two planned.
    (counts,) = _tables(html, "statuses")
    assert [row[1] for row in counts] == ["2", "1", "0", "0"]
    assert html.count('class="cr-count-chart__bar--') == 4
    assert "voortgang/" not in html  # the public may not record progress


def test_plan_of_an_unknown_year_is_not_found(client: Client, demo_data: Any) -> None:
    assert client.get("/actielijnen/agricycling/jaarplan/2019/").status_code == 404


# The progress form --------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client: Client, demo_data: Any) -> None:
    for response in (client.get(PROGRESS), client.post(PROGRESS, {})):
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_editor_of_another_organisation_is_refused(
    client: Client, demo_data: Any
) -> None:
    other = Organisation.objects.get(slug="gemeente-zeist")
    client.force_login(EditorFactory(organisation=other))
    assert client.get(PROGRESS).status_code == 403
    assert client.post(PROGRESS, {}).status_code == 403


def test_editor_of_the_lead_sees_only_its_activities(
    client: Client, demo_data: Any
) -> None:
    lead = Organisation.objects.get(slug="cooperatie-agricycling")
    client.force_login(EditorFactory(organisation=lead))
    html = client.get(PROGRESS).content.decode()
    led = [a for a in _activities() if a.lead_id == lead.pk]
    assert len(led) == 2
    assert html.count("<fieldset") == 2
    for a in _activities():
        assert (f'name="a{a.pk}-status"' in html) == (a.lead_id == lead.pk)


def _form(
    activities: list[PlannedActivity], **changes: dict[str, str]
) -> dict[str, str]:
    data = {}
    for a in activities:
        data.update(
            {
                f"a{a.pk}-status": a.status,
                f"a{a.pk}-status_changed_on": "",
                f"a{a.pk}-achievement_nl": "",
                f"a{a.pk}-achievement_en": "",
                f"a{a.pk}-achievement_figure": "",
                f"a{a.pk}-achievement_url": "",
            }
        )
    for key, fields in changes.items():
        pk = int(key[1:])
        data.update({f"a{pk}-{name}": value for name, value in fields.items()})
    return data


def test_coordinator_records_progress(client: Client, demo_data: Any) -> None:
    client.force_login(CoordinatorFactory())
    assert client.get(PROGRESS).status_code == 200
    first, *rest = _activities()
    today = timezone.localdate()
    response = client.post(
        PROGRESS,
        _form(
            _activities(),
            **{
                f"a{first.pk}": {
                    "status": "done",
                    "status_changed_on": today.isoformat(),
                    "achievement_nl": "Eerste ronde maaisel gecomposteerd.",
                    "achievement_en": "First round of mowings composted.",
                    "achievement_figure": "420 t",
                }
            },
        ),
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert (first.status, first.status_changed_on) == ("done", today)
    html = client.get("/en" + PLAN).content.decode()
    assert "First round of mowings composted." in html
    assert "420 t" in html


def test_a_bad_form_saves_nothing_and_lists_every_problem(
    client: Client, demo_data: Any
) -> None:
    client.force_login(CoordinatorFactory())
    first, second, third = _activities()
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    changes = {
        f"a{first.pk}": {"achievement_nl": "Goed bezig."},
        f"a{second.pk}": {"status": "in_progress", "status_changed_on": future},
    }
    bad_date = {f"a{third.pk}": {"status_changed_on": "31-02-2026"}}
    response = client.post(PROGRESS, _form(_activities(), **changes, **bad_date))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="cr-error-summary" role="alert"' in html
    assert f'href="#a{third.pk}-status_changed_on"' in html
    assert f'id="a{third.pk}-status_changed_on"' in html
    assert html.count('aria-invalid="true"') == 1  # the unparsable date first
    # With a good date the service finds the date in the future.
    response = client.post(PROGRESS, _form(_activities(), **changes))
    assert response.status_code == 400
    html = response.content.decode()
    assert f'href="#a{second.pk}-status_changed_on"' in html
    for a, before in zip(_activities(), [first, second, third], strict=True):
        assert (a.status, a.achievement_nl, a.status_changed_on) == (
            before.status,
            "",
            None,
        )


def test_the_form_needs_its_csrf_token(demo_data: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(CoordinatorFactory())
    assert client.post(PROGRESS, _form(_activities())).status_code == 403


# The phase timeline -------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_phase_timeline_draws_every_phase_change(
    client: Client, demo_data: Any, prefix: str
) -> None:
    response = client.get(prefix + "/actielijnen/utrechtse-asfaltstrategie/fasen/")
    assert response.status_code == 200
    html = response.content.decode()
    changes = PhaseChange.objects.filter(
        participation__action_line__slug="utrechtse-asfaltstrategie"
    ).count()
    assert html.count('class="cr-timeline__step--') == changes
    (rows,) = _tables(html, "timeline")
    assert len(rows) == changes


# The annual reports -------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize(
    "path", ["/rapportage/", "/rapportage/2026/", "/rapportage/2025/agricycling/"]
)
def test_report_pages_render(
    client: Client, demo_data: Any, prefix: str, path: str
) -> None:
    response = client.get(prefix + path)
    assert response.status_code == 200
    assert f'<html lang="{"en" if prefix else "nl"}"' in response.content.decode()


def test_report_follows_the_language(client: Client, demo_data: Any) -> None:
    html = client.get("/en/rapportage/2026/utrechtse-asfaltstrategie/").content
    assert "Utrecht Asphalt Strategy" in html.decode()
    html = client.get("/rapportage/2026/utrechtse-asfaltstrategie/").content
    assert "Utrechtse Asfaltstrategie" in html.decode()


def test_a_report_for_a_future_year_says_why_there_is_none(
    client: Client, demo_data: Any
) -> None:
    year = timezone.localdate().year + 1
    for path in (f"/en/rapportage/{year}/", f"/en/rapportage/{year}/xlsx/"):
        response = client.get(path)
        assert response.status_code == 404
        assert "that year is in the future" in response.content.decode()


def test_region_report_sums_up_the_lines(client: Client, demo_data: Any) -> None:
    html = client.get("/en/rapportage/2026/").content.decode()
    (summary,) = _tables(html, "summary")
    rows = {row[0]: row[1:] for row in summary}
    # Asphalt strategy 2026: 5 activities (1 planned, 3 in progress, 1 done, 0
    # cancelled); its 15 participants were, at the report date, 8 in Connect and
    # 7 in Explore.
    assert rows["Utrecht Asphalt Strategy"] == [
        "5", "1", "3", "1", "0", "15", "8", "7", "0"
    ]  # fmt: skip
    assert len(rows) == ActionLine.objects.count()


def test_report_shows_the_key_figures_of_its_line(
    client: Client, demo_data: Any
) -> None:
    line = ActionLine.objects.get(slug="agricycling")
    indicator = Indicator.objects.create(
        code="maaisel-gecomposteerd",
        name_nl="Maaisel gecomposteerd",
        name_en="Mowings composted",
        definition_nl="Tonnen maaisel gecomposteerd op boerderijen.",
        unit="t",
        decimals=1,
        action_line=line,
        scope="region",
        source_kind="manual",
        source_nl="Coöperatie Agricycling",
        is_published=True,
    )
    IndicatorValue.objects.create(
        indicator=indicator, year=2025, value=1234.56, source="Jaarverslag 2025"
    )
    html = client.get("/en/rapportage/2026/agricycling/").content.decode()
    (figures,) = _tables(html, "figures")
    assert figures[0][:3] == ["Mowings composted", "2025", "1,234.6"]
    assert figures[0][-1] == "Jaarverslag 2025"


def _sheet(book: Any, title: str) -> list[list[Any]]:
    return [list(row) for row in book[title].iter_rows(values_only=True)]


def test_xlsx_holds_the_numbers_of_the_page(client: Client, demo_data: Any) -> None:
    html = client.get("/en/rapportage/2026/").content.decode()
    response = client.get("/en/rapportage/2026/xlsx/")
    assert response.status_code == 200
    assert "jaarrapportage-2026-en.xlsx" in response["Content-Disposition"]
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames[0] == "Cover"
    cover = _sheet(book, "Cover")
    assert cover[0][0] == "Annual report 2026 of the circular region"
    assert cover[2] == ["Year", 2026]
    assert any(row[0] == "Sources" for row in cover)

    (summary,) = _tables(html, "summary")
    sheet = _sheet(book, "The action lines at a glance")
    assert [str(c) for c in sheet[0]][:2] == ["Action line", "Activities"]
    assert [[str(c) for c in row] for row in sheet[1:]] == summary

    page = _tables(html, "statuses")
    sheet = _sheet(book, "Activities by status")
    lines = [ln.name_en for ln in ActionLine.objects.all()]
    from_sheet = [
        [[label, str(n)] for name, label, n in sheet[1:] if name == line]
        for line in lines
    ]
    assert [t for t in page] == [t for t in from_sheet if t]
    asphalt = [row for row in sheet[1:] if row[0] == "Utrecht Asphalt Strategy"]
    assert [row[2] for row in asphalt] == [1, 3, 1, 0]

    participants = _sheet(book, "Participants and their phase")
    assert sum(1 for r in participants[1:] if r[0] == "Agricycling") == len(
        _tables(html, "participants")[4]
    )


def test_xlsx_of_one_line(client: Client, demo_data: Any) -> None:
    response = client.get("/en/rapportage/2025/heel-utrecht-repareert/xlsx/")
    book = load_workbook(BytesIO(response.content))
    assert "The action lines at a glance" not in book.sheetnames
    activities = _sheet(book, "Activities and achievements")
    # The 2025 plan of Heel Utrecht Repareert: five activities.
    assert len(activities) == 1 + 5
    assert re.match(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", _sheet(book, "Cover")[4][1])
