# SPDX-License-Identifier: EUPL-1.2
"""The import of listings from CSV and XLSX: all or nothing, problems by line and
field, updates by owner and reference, the rules of existing listings, and the
permission of the import's owner; through the service, the API (also as a
background job) and the page."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

import pytest
from rest_framework.test import APIClient

from cirkelregio.accounts.tests.factories import UserFactory
from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.exchange.models import Listing, ListingKind, ListingStatus
from cirkelregio.exchange.services import import_listings, listing_import_template
from cirkelregio.exchange.tests.conftest import Exchange
from cirkelregio.jobs.models import Job
from cirkelregio.regions.models import Postcode
from cirkelregio.regions.tests.factories import MunicipalityFactory

HEADER = "reference,kind,project_name,material,quantity,window_from,window_until"
GOOD = (
    f"{HEADER},postcode,lat,lon,quality,notes\n"
    "A-1,aanbod,Dorpsstraat,bss,120,2027-01-04,2027-02-28,3511 AB,,,A,los gestort\n"
    "A-2,demand,Kerkweg,bss,45.5,2027-03-01,2027-04-30,,52.05,5.05,,\n"
)


@pytest.fixture
def places(exchange: Exchange) -> Any:
    """A municipality around 52.05 N 5.05 E and postcode area 3511 inside it."""
    town = MunicipalityFactory(cbs_code="GM0344")
    Postcode.objects.create(code="3511", lat=52.0907, lon=5.0214, municipality=town)
    return town


def _mine(exchange: Exchange) -> dict[str, Listing]:
    return {
        x.reference: x
        for x in Listing.objects.filter(owner=exchange.org_a).exclude(reference="")
    }


def test_imports_then_updates_and_counts_unchanged(
    exchange: Exchange, places: Any
) -> None:
    report = import_listings(
        GOOD.encode(), "lijst.csv", owner=exchange.org_a, actor=exchange.editor_a
    )
    assert (report.records, report.created, report.updated, report.unchanged) == (
        2,
        2,
        0,
        0,
    )
    assert (report.supplies, report.demands) == (1, 1)
    mine = _mine(exchange)
    a1, a2 = mine["A-1"], mine["A-2"]
    assert (a1.kind, a1.quantity, a1.quality, a1.notes) == (
        ListingKind.SUPPLY,
        120.0,
        "A",
        "los gestort",
    )
    # Placed by the centre of postcode area 3511; the municipality from the place.
    assert (a1.lat, a1.lon, a1.municipality) == (52.0907, 5.0214, places)
    assert (a2.kind, a2.quantity, a2.quality, a2.municipality) == (
        ListingKind.DEMAND,
        45.5,
        "B",
        places,
    )
    assert a2.window_from == dt.date(2027, 3, 1) and a2.is_published

    again = GOOD.replace(",45.5,", ",50,")
    report = import_listings(
        again.encode(), "lijst.csv", owner=exchange.org_a, actor=exchange.editor_a
    )
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert Listing.objects.get(pk=a2.pk).quantity == 50.0
    assert Listing.objects.filter(owner=exchange.org_a).count() == 3  # with S1


def test_a_file_with_problems_writes_nothing_and_names_each(
    exchange: Exchange, places: Any
) -> None:
    before = Listing.objects.count()
    bad = (
        f"{HEADER},lat,lon,quality,owner\n"
        "B-1,supply,Goed,bss,10,2027-01-04,2027-01-31,52.05,5.05,,\n"
        "B-2,ruil,Fout,steen,0,2027-02-01,2027-01-01,,,Z,\n"
        "B-1,supply,Dubbel,bss,1e3,31-01-2027,2027-02-01,52.05,abc,,org-b\n"
    )
    with pytest.raises(DataLoadError) as info:
        import_listings(
            bad.encode(), "fout.csv", owner=exchange.org_a, actor=exchange.editor_a
        )
    found = {(p.file, p.line, p.field) for p in info.value.problems}
    assert found == {
        ("fout.csv", 3, "kind"),
        ("fout.csv", 3, "material"),
        ("fout.csv", 3, "quantity"),
        ("fout.csv", 3, "window_until"),
        ("fout.csv", 3, "lat"),
        ("fout.csv", 3, "quality"),
        ("fout.csv", 4, "owner"),
        ("fout.csv", 4, "window_from"),
        ("fout.csv", 4, "lon"),
    }
    assert Listing.objects.count() == before
    # A missing column is named on line 1; a duplicate reference on its second line.
    with pytest.raises(DataLoadError) as info:
        import_listings(b"reference,kind\nX,supply\n", "kort.csv", owner=exchange.org_a)
    assert [(p.line, p.message) for p in info.value.problems] == [
        (
            1,
            "missing columns: project_name, material, quantity, window_from, "
            "window_until",
        )
    ]
    twice = f"{HEADER},lat,lon\n" + "C,supply,P,bss,1,2027-01-04,2027-01-31,52,5\n" * 2
    with pytest.raises(DataLoadError) as info:
        import_listings(twice.encode(), "dubbel.csv", owner=exchange.org_a)
    assert [(p.line, p.field) for p in info.value.problems] == [(3, "reference")]
    assert Listing.objects.count() == before


def test_existing_listings_keep_kind_reservations_and_closure(
    exchange: Exchange, places: Any
) -> None:
    s1 = exchange.s1
    Listing.objects.filter(pk=s1.pk).update(reference="S1", reserved_quantity=40)
    closed = Listing.objects.create(
        kind=ListingKind.SUPPLY,
        owner=exchange.org_a,
        reference="OLD",
        project_name="Klaar",
        material=exchange.material,
        quantity=5,
        lat=52.05,
        lon=5.05,
        window_from=dt.date(2026, 1, 5),
        window_until=dt.date(2026, 1, 31),
        status=ListingStatus.CLOSED,
    )
    rows = (
        f"{HEADER},lat,lon\n"
        "NEW,supply,Nieuw,bss,3,2026-03-02,2026-03-15,52.09,5.12\n"
        "S1,supply,Sloop A,bss,30,2026-03-02,2026-03-15,52.09,5.12\n"
        "OLD,supply,Klaar,bss,6,2026-01-05,2026-01-31,52.05,5.05\n"
    )
    with pytest.raises(DataLoadError) as info:
        import_listings(rows.encode(), "x.csv", owner=exchange.org_a)
    assert [(p.line, p.field) for p in info.value.problems] == [
        (3, "quantity"),
        (4, "reference"),
    ]
    assert "40 is already reserved" in info.value.problems[0].message
    # The new listing of line 2, saved before line 3 was found wrong, is undone.
    assert not Listing.objects.filter(reference="NEW").exists()
    kind = f"{HEADER},lat,lon\nS1,demand,Sloop A,bss,50,2026-03-02,2026-03-15,52,5\n"
    with pytest.raises(DataLoadError) as info:
        import_listings(kind.encode(), "x.csv", owner=exchange.org_a)
    assert [(p.line, p.field) for p in info.value.problems] == [(2, "kind")]
    # What is allowed changes; the reservation stays.
    ok = f"{HEADER},lat,lon\nS1,supply,Sloop A,bss,40,2026-03-02,2026-03-15,52,5\n"
    assert import_listings(ok.encode(), "x.csv", owner=exchange.org_a).updated == 1
    s1.refresh_from_db()
    closed.refresh_from_db()
    assert (s1.quantity, s1.reserved_quantity, closed.quantity) == (40, 40, 5)


def test_owners_and_permissions(exchange: Exchange, places: Any) -> None:
    with pytest.raises(PermissionDenied):
        import_listings(
            GOOD.encode(), "x.csv", owner=exchange.org_a, actor=exchange.editor_b
        )
    with pytest.raises(PermissionDenied):  # without an owner: coordinators only
        import_listings(GOOD.encode(), "x.csv", actor=exchange.editor_a)
    by_column = (
        f"{HEADER},lat,lon,owner\n"
        "K-1,supply,P,bss,1,2027-01-04,2027-01-31,52,5,org-b\n"
        "K-2,demand,P,bss,1,2027-01-04,2027-01-31,52,5,org-c\n"
    )
    report = import_listings(by_column.encode(), "x.csv", actor=exchange.coordinator)
    assert report.created == 2
    assert Listing.objects.get(reference="K-2").owner == exchange.org_c


def test_xlsx_with_date_cells_and_the_example_file(
    exchange: Exchange, places: Any
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(",") + ["lat", "lon"])
    sheet.append(
        [
            "X-1",
            "vraag",
            "Plein",
            "bss",
            12,
            dt.date(2027, 5, 3),
            dt.datetime(2027, 6, 1),  # noqa: DTZ001 (a spreadsheet has no time zone)
            52.05,
            5.05,
        ]
    )
    sheet.append([])
    sheet.append(
        [
            "X-2",
            "aanbod",
            "Plein",
            "bss",
            "nul",
            dt.date(2027, 5, 3),
            dt.date(2027, 6, 1),
            52.05,
            5.05,
        ]
    )
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(DataLoadError) as info:
        import_listings(buffer.getvalue(), "lijst.xlsx", owner=exchange.org_a)
    # Sheet row 4 (row 3 is empty): line numbers are the sheet's row numbers.
    assert [(p.line, p.field) for p in info.value.problems] == [(4, "quantity")]
    sheet.delete_rows(3, 2)
    buffer = io.BytesIO()
    book.save(buffer)
    report = import_listings(buffer.getvalue(), "lijst.xlsx", owner=exchange.org_a)
    assert report.created == 1
    x1 = Listing.objects.get(reference="X-1")
    assert (x1.window_from, x1.window_until) == (
        dt.date(2027, 5, 3),
        dt.date(2027, 6, 1),
    )
    # The example file imports as it is.
    example = listing_import_template(today=dt.date(2027, 1, 15))
    report = import_listings(example.encode(), "voorbeeld.csv", owner=exchange.org_a)
    assert (report.created, report.supplies, report.demands) == (2, 1, 1)
    assert Listing.objects.get(reference="VB-001").window_from == dt.date(2027, 2, 1)


URL = "/api/v1/exchange/listings/import/"


def _upload(text: str, name: str = "lijst.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_the_api_imports_answers_problems_and_checks_permission(
    exchange: Exchange, places: Any
) -> None:
    client = APIClient()
    assert client.post(URL, {"file": _upload(GOOD), "owner": "org-a"}).status_code in (
        401,
        403,
    )
    client.force_authenticate(exchange.editor_b)
    refused = client.post(URL, {"file": _upload(GOOD), "owner": "org-a"})
    assert refused.status_code == 403
    client.force_authenticate(exchange.editor_a)
    done = client.post(URL, {"file": _upload(GOOD), "owner": "org-a"})
    assert done.status_code == 200
    assert done.json() | {"file": ""} == {
        "file": "",
        "records": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "supplies": 1,
        "demands": 1,
    }
    bad = client.post(
        URL, {"file": _upload(GOOD.replace(",bss,120,", ",bss,-1,")), "owner": "org-a"}
    )
    assert bad.status_code == 400
    assert bad["Content-Type"] == "application/problem+json"
    assert bad.json()["problems"] == [
        {
            "file": "lijst.csv",
            "line": 2,
            "field": "quantity",
            "message": "must be more than 0 (got -1)",
        }
    ]
    wrong_type = client.post(
        URL, {"file": _upload(GOOD, "lijst.txt"), "owner": "org-a"}
    )
    assert wrong_type.status_code == 400
    assert wrong_type.json()["invalid_params"][0]["name"] == "file"


def test_the_api_runs_the_import_as_a_job(exchange: Exchange, places: Any) -> None:
    client = APIClient()
    client.force_authenticate(exchange.editor_a)
    answer = client.post(
        URL,
        {"file": _upload(GOOD), "owner": "org-a"},
        HTTP_PREFER="respond-async",
    )
    assert answer.status_code == 202
    job = Job.objects.get(pk=answer.json()["id"])
    assert answer["Location"].endswith(f"/api/v1/jobs/{job.pk}/")
    status = client.get(answer["Location"]).json()
    assert status["status"] == "done"
    assert (status["result"]["created"], status["result"]["records"]) == (2, 2)
    # The kept upload is gone once the job has finished.
    assert not default_storage.exists(job.parameters["file"])
    failed = client.post(
        URL,
        {"file": _upload(GOOD.replace("A-2,demand", "A-2,ruil")), "owner": "org-a"},
        HTTP_PREFER="respond-async",
    )
    status = client.get(failed["Location"]).json()
    assert status["status"] == "failed"
    assert "lijst.csv, line 3, field 'kind'" in status["error"]
    assert Listing.objects.filter(owner=exchange.org_a).count() == 3


def test_the_page_imports_as_a_job_and_lists_problems(
    exchange: Exchange, places: Any
) -> None:
    page = "/en/uitwisseling/importeren/"
    assert Client().get(page).status_code == 302
    member = Client()
    member.force_login(UserFactory())  # signed in, but no organisation's editor
    assert member.get(page).status_code == 403
    assert member.get("/en/uitwisseling/importeren/voorbeeld.csv").status_code == 403
    client = Client()
    client.force_login(exchange.editor_a)
    form = client.get(page)
    assert form.status_code == 200
    assert b'<option value="org-a" selected>' in form.content
    assert b"org-b" not in form.content
    example = client.get("/en/uitwisseling/importeren/voorbeeld.csv")
    assert example.content.decode().startswith(",".join(["reference", "kind"]))
    other = client.post(page, {"owner": "org-b", "file": _upload(GOOD)})
    assert "Choose the organisation whose listings these are." in other.content.decode()
    assert Listing.objects.filter(owner=exchange.org_b).count() == 2
    bad = client.post(
        page, {"owner": "org-a", "file": _upload(GOOD.replace("bss,120", "bss,x"))}
    )
    assert (
        "lijst.csv, line 2, field &#x27;quantity&#x27;: must be a number"
        in bad.content.decode()
    )
    done = client.post(page, {"owner": "org-a", "file": _upload(GOOD)})
    assert done.status_code == 302
    job_page = client.get(done["Location"])
    assert (
        "lijst.csv: 2 listings (1 supply, 1 demand): 2 new" in job_page.content.decode()
    )
    assert set(_mine(exchange)) == {"A-1", "A-2"}


def test_the_command_imports_in_the_request_or_as_a_job(
    exchange: Exchange, places: Any, tmp_path: Any
) -> None:
    from django.core.management import CommandError, call_command

    path = tmp_path / "lijst.csv"
    path.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    call_command("exchange_import_listings", str(path), owner="org-a", stdout=out)
    assert "2 new, 0 updated, 0 unchanged" in out.getvalue()
    call_command(
        "exchange_import_listings",
        str(path),
        owner="org-a",
        background=True,
        stdout=out,
    )
    job = Job.objects.get(kind="exchange.listing_import")
    assert (job.status, job.result["unchanged"]) == ("done", 2)
    path.write_text(GOOD.replace("A-2,demand", "A-2,ruil"), encoding="utf-8")
    with pytest.raises(CommandError, match="lijst.csv, line 3, field 'kind'"):
        call_command("exchange_import_listings", str(path), owner="org-a")
    with pytest.raises(CommandError, match="Unknown organisation 'org-x'"):
        call_command("exchange_import_listings", str(path), owner="org-x")
