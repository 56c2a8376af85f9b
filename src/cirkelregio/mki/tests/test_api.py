# SPDX-License-Identifier: EUPL-1.2
"""The MKI API: who may read and write what, uploads with per-row problem details,
calculation (and its refusal to guess), the command line giving the same totals as
the API, tender ranking and the regional monitor.

Expected numbers are worked out in the test (by hand or with an ORM query written
out here), never taken from the code under test. The API answers in Dutch, the
default language; messages of data files (the engine's) are in English."""

from __future__ import annotations

import io
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

import pytest
from rest_framework.test import APIClient

from cirkelregio.accounts.tests.factories import CoordinatorFactory, EditorFactory
from cirkelregio.engine.mki import WeightingSet
from cirkelregio.engine.mki.cli import main as cli_main
from cirkelregio.mki import selectors, services
from cirkelregio.mki.models import (
    CalculationResult,
    ProfileLibrary,
    Project,
    Variant,
)
from cirkelregio.mki.tests.conftest import WEIGHTS
from cirkelregio.mki.tests.factories import (
    ProfileLibraryFactory,
    ProjectFactory,
    VariantFactory,
)
from cirkelregio.regions.tests.factories import MunicipalityFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/mki"
PROBLEM = "application/problem+json"
DEMO_PROFILES = Path(settings.DATA_DIR) / "demo" / "nl-utrecht" / "mki" / "profiles.csv"
ROAD_BILL = b"""line_id,element,profile_id,quantity,service_life_years
L1,Frezen,DEMO-FREZEN,1645,
L2,Onderlaag,DEMO-AC-BIN,987,25
L3,Deklaag,DEMO-AC-STD,658,12
L4,Opsluiting,DEMO-BETONBAND,2000,
"""


def _client(user: Any = None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def a2_library() -> ProfileLibrary:
    """The synthetic demo profiles (A2 indicators with verified factors only)."""
    library = ProfileLibraryFactory(name="A2 demo (synthetisch)")
    services.library_import_csv(
        actor=None,
        library=library,
        content=DEMO_PROFILES.read_bytes(),
        file_name="profiles.csv",
    )
    return library


@pytest.fixture
def road(a2_library: ProfileLibrary) -> Variant:
    variant = services.variant_create(
        actor=None, project=ProjectFactory(name="Weg"), name="Standaard"
    )
    services.bill_import(
        actor=None, variant=variant, library=a2_library, content=ROAD_BILL
    )
    return variant


# Permissions -----------------------------------------------------------------------


def test_the_public_reads_published_records_only() -> None:
    shown = ProjectFactory(is_published=True)
    hidden = ProjectFactory(is_published=False)
    VariantFactory(project=hidden)
    ProfileLibraryFactory(is_published=False)
    client = _client()
    ids = [p["id"] for p in client.get(f"{API}/projects/").json()["results"]]
    assert ids == [shown.pk]
    assert client.get(f"{API}/projects/{hidden.pk}/").status_code == 404
    assert client.get(f"{API}/variants/?project={hidden.pk}").json()["count"] == 0
    assert all(
        lib["is_published"] for lib in client.get(f"{API}/libraries/").json()["results"]
    )
    # The owner's editor sees the unpublished project; another editor does not.
    owner_editor = EditorFactory(organisation=hidden.owner)
    assert _client(owner_editor).get(f"{API}/projects/{hidden.pk}/").status_code == 200
    assert _client(EditorFactory()).get(f"{API}/projects/{hidden.pk}/").status_code == (
        404
    )
    assert _client(CoordinatorFactory()).get(f"{API}/projects/").json()["count"] == 2


def test_who_may_change_a_project() -> None:
    project = ProjectFactory(is_published=True)
    url = f"{API}/projects/{project.pk}/"
    anonymous = _client().patch(url, {"name": "x"}, format="json")
    assert anonymous.status_code == 403
    assert anonymous["Content-Type"] == PROBLEM
    other = _client(EditorFactory()).patch(url, {"name": "x"}, format="json")
    assert other.status_code == 403
    assert other.json()["title"] == "Forbidden"
    owner = _client(EditorFactory(organisation=project.owner))
    assert owner.patch(url, {"name": "Nieuw"}, format="json").json()["name"] == "Nieuw"
    coordinator = _client(CoordinatorFactory())
    response = coordinator.patch(url, {"project_phase": "tender"}, format="json")
    assert response.json()["project_phase"] == "tender"
    # Variants and their contents follow the project's rules.
    created = owner.post(
        f"{API}/variants/", {"project": project.pk, "name": "V1"}, format="json"
    )
    assert created.status_code == 201
    assert created.json()["is_reference"] is True  # the first variant
    refused = _client(EditorFactory()).post(
        f"{API}/variants/", {"project": project.pk, "name": "V2"}, format="json"
    )
    assert refused.status_code == 403
    assert Variant.objects.filter(project=project).count() == 1


def test_an_editor_creates_projects_for_their_own_organisation_only() -> None:
    editor = EditorFactory()
    other = OrganisationFactory()
    municipality = MunicipalityFactory()
    body = {
        "name": "Fietspad",
        "owner": other.slug,
        "year": 2026,
        "municipality": municipality.cbs_code,
    }
    client = _client(editor)
    assert client.post(f"{API}/projects/", body, format="json").status_code == 403
    body["owner"] = editor.organisation.slug
    created = client.post(f"{API}/projects/", body, format="json")
    assert created.status_code == 201
    assert created.json()["municipality"] == municipality.cbs_code
    assert created.json()["reference_period"] == 50
    assert created.json()["is_published"] is False


def test_libraries_are_created_by_coordinators() -> None:
    body = {"name": "Eigen EPDs", "source": "EPD's van leveranciers"}
    assert (
        _client(EditorFactory()).post(f"{API}/libraries/", body, format="json")
    ).status_code == 403
    created = _client(CoordinatorFactory()).post(
        f"{API}/libraries/", body, format="json"
    )
    assert created.status_code == 201
    assert created.json()["owner"] is None
    assert created.json()["profile_count"] == 0


def test_csv_upload_reports_every_row_problem_and_writes_nothing() -> None:
    owner = OrganisationFactory()
    library = ProfileLibraryFactory(owner=owner, is_published=False)
    client = _client(EditorFactory(organisation=owner))
    url = f"{API}/libraries/{library.pk}/import-csv/"
    good = DEMO_PROFILES.read_bytes()
    response = client.post(
        url, {"file": SimpleUploadedFile("demo.csv", good)}, format="multipart"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["profiles_created"] == 8
    assert response.json()["revision"] == 1
    bad = (
        b"profile_id,name,unit,data_category,module,indicator,value\n"
        b"X,x,t,1,A1-A3,GWP-total,1\nX,x,t,1,Z9,GWP-total,1\nX,x,t,1,D,GWP-total,y\n"
    )
    response = client.post(
        url, {"file": SimpleUploadedFile("fout.csv", bad)}, format="multipart"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["type"].endswith("/invalid-file")
    assert body["problems"] == [
        {
            "file": "fout.csv",
            "line": 3,
            "field": "module",
            "message": "unknown module 'Z9'; modules are A1-A3, A1, A2, A3, A4, A5, "
            "B1, B2, B3, B4, B5, B6, B7, C1, C2, C3, C4, D",
        },
        {
            "file": "fout.csv",
            "line": 4,
            "field": "value",
            "message": "must be a number (got 'y')",
        },
    ]
    assert body["invalid_params"][1] == {
        "name": "file",
        "reason": "fout.csv, line 4, field 'value': must be a number (got 'y')",
    }
    assert library.profiles.count() == 8
    # Another organisation's editor may not import into it.
    other = _client(EditorFactory()).post(
        url, {"file": SimpleUploadedFile("demo.csv", good)}, format="multipart"
    )
    assert other.status_code == 404  # not published: not even visible


def test_bill_export_and_import_round_trip(road: Variant, a2_library: Any) -> None:
    client = _client(EditorFactory(organisation=road.project.owner))
    url = f"{API}/variants/{road.pk}/bill/"
    exported = client.get(url)
    assert exported["Content-Type"] == "text/csv; charset=utf-8"
    text = exported.content.decode()
    assert text.splitlines()[0] == (
        "line_id,element,profile_id,quantity,service_life_years"
    )
    assert text.splitlines()[3] == "L3,Deklaag,DEMO-AC-STD,658.0,12.0"
    xlsx = client.get(url, {"file_format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    again = client.post(
        url,
        {
            "file": SimpleUploadedFile("bill.xlsx", xlsx.content),
            "library": a2_library.pk,
        },
        format="multipart",
    )
    assert again.status_code == 200, again.json()
    assert again.json() == {"elements": 4, "lines": 4}
    assert client.get(url).content.decode() == text


# Calculation -----------------------------------------------------------------------


def test_calculate_via_the_api(road: Variant) -> None:
    client = _client(EditorFactory(organisation=road.project.owner))
    url = f"{API}/variants/{road.pk}/calculate/"
    response = client.post(url, {"method": "nmd-a2"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["outcome"] == "succeeded"
    assert body["is_stale"] is False
    assert body["total_eur"] == pytest.approx(
        sum(line["mki_eur"] for line in body["breakdown"]["by_line"])
    )
    refused = client.post(url, {"method": "nmd-a1"}, format="json")
    assert refused.status_code == 422
    assert refused["Content-Type"] == PROBLEM
    assert refused.json()["detail"].startswith(
        "Wegingsset nmd-a1 kent ADP-fossil, ADP-minerals-metals, EP-freshwater, "
        "EP-marine, EP-terrestrial, GWP-total, WDP niet"
    )
    failed = CalculationResult.objects.filter(variant=road, outcome="failed").get()
    assert failed.total_eur is None
    results = _client().get(f"{API}/results/", {"variant": road.pk}).json()
    assert [r["outcome"] for r in results["results"]] == ["failed", "succeeded"]
    assert _client().post(url, {}, format="json").status_code == 403


def test_the_command_line_gives_the_api_total(
    road: Variant, tmp_path: Path, hand_variant: Variant, weights: WeightingSet
) -> None:
    """Export the variant to CSV, run ``cirkelregio mki calculate`` on the exported
    files and compare with the API's result."""
    client = _client(CoordinatorFactory())
    for variant, extra in ((road, ["--method", "nmd-a2"]), (hand_variant, None)):
        bill = tmp_path / f"bill-{variant.pk}.csv"
        bill.write_bytes(client.get(f"{API}/variants/{variant.pk}/bill/").content)
        profiles = tmp_path / f"profiles-{variant.pk}.csv"
        profiles.write_text(selectors.profiles_csv(variants=[variant]))
        if extra is None:
            weights_file = tmp_path / "test.csv"
            weights_file.write_text(WEIGHTS)
            extra = ["--weights", str(weights_file)]
            api_total = services.variant_calculate(
                variant=variant, weights=weights
            ).total_eur
            api_by_line = None
        else:
            response = client.post(
                f"{API}/variants/{variant.pk}/calculate/",
                {"method": "nmd-a2", "include_module_d": True},
                format="json",
            )
            api_total = response.json()["total_eur"]
            api_by_line = response.json()["breakdown"]["by_line"]
        out, err = io.StringIO(), io.StringIO()
        code = cli_main(
            ["--profiles", str(profiles), "--bill", str(bill), *extra],
            stdout=out,
            stderr=err,
        )
        assert code == 0, err.getvalue()
        cli = json.loads(out.getvalue())
        assert abs(cli["total_eur"] - api_total) <= 1e-9
        if api_by_line is not None:
            assert [line["mki_eur"] for line in cli["by_line"]] == pytest.approx(
                [line["mki_eur"] for line in api_by_line], abs=1e-9
            )
    assert abs(api_total - 2724.00) <= 1e-9


def test_comparison_and_overview_via_the_api(road: Variant, a2_library: Any) -> None:
    project = road.project
    services.variant_create(actor=None, project=project, name="Leeg")
    client = _client()
    body = client.get(f"{API}/projects/{project.pk}/comparison/").json()
    assert body["reference"] == "Standaard"
    assert body["total_eur"]["Leeg"] == 0
    assert body["difference_eur"]["Leeg"] == pytest.approx(
        -body["total_eur"]["Standaard"]
    )
    refused = client.get(
        f"{API}/projects/{project.pk}/comparison/", {"method": "nmd-a1"}
    )
    assert refused.status_code == 422
    cells = client.get(f"{API}/projects/{project.pk}/overview/").json()
    assert len(cells) == 8
    available = {
        (c["variant"], c["method"], c["include_module_d"])
        for c in cells
        if c["available"]
    }
    assert available == {
        ("Standaard", "nmd-a2", True),
        ("Standaard", "nmd-a2", False),
        ("Leeg", "nmd-a2", True),
        ("Leeg", "nmd-a2", False),
    }


# Tenders ---------------------------------------------------------------------------


def test_tender_ranking_via_the_api() -> None:
    project = ProjectFactory()
    client = _client(EditorFactory(organisation=project.owner))
    tender = client.post(
        f"{API}/tenders/",
        {
            "project": project.pk,
            "name": "Hoofdweg",
            "criterion_kind": "discount",
            "upper_bound": 1000,
            "lower_bound": 500,
            "max_discount": 100,
        },
        format="json",
    )
    assert tender.status_code == 201, tender.json()
    tender_id = tender.json()["id"]
    for name, price, mki in (
        ("A", 10_000, 1200),
        ("B", 10_050, 600),
        ("C", 10_020, 750),
    ):
        response = client.post(
            f"{API}/bids/",
            {
                "tender": tender_id,
                "bidder_name": name,
                "price": price,
                "promised_mki": mki,
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
    bid_b = response.json()["id"] - 1
    assert client.patch(
        f"{API}/bids/{bid_b}/", {"as_built_mki": 700}, format="json"
    ).json()["penalty_eur"] == pytest.approx(1.5 * (80 - 60))
    rows = _client().get(f"{API}/tenders/{tender_id}/ranking/").json()
    # A: above the upper bound, no discount: 10000. B: (1000-600)/500*100 = 80
    # discount: 9970. C: (1000-750)/500*100 = 50: 9970. B and C share rank 1.
    assert [(r["bidder"], r["rank"], r["fictitious_price"]) for r in rows] == [
        ("B", 1, 9970.0),
        ("C", 1, 9970.0),
        ("A", 3, 10000.0),
    ]
    assert rows[0]["penalty_eur"] == pytest.approx(30.0)
    assert rows[1]["penalty_eur"] is None
    bad = client.post(
        f"{API}/tenders/",
        {
            "project": project.pk,
            "name": "Fout",
            "criterion_kind": "discount",
            "upper_bound": 100,
            "lower_bound": 500,
        },
        format="json",
    )
    assert bad.status_code == 400
    assert bad.json()["invalid_params"] == [
        {
            "name": "upper_bound",
            "reason": "De bovengrens van de MKI moet boven de ondergrens liggen.",
        }
    ]


# Monitor ---------------------------------------------------------------------------


def _expected_monitor(method: str) -> dict[str, dict[int, tuple[int, float]]]:
    """Per CBS code and year: (projects, total), from an ORM query written out here."""
    expected: dict[str, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    for project in Project.objects.filter(
        is_published=True, municipality__isnull=False
    ):
        latest = (
            CalculationResult.objects.filter(
                variant__project=project,
                variant__is_reference=True,
                method=method,
                include_module_d=True,
                outcome="succeeded",
            )
            .order_by("-calculated_at", "-id")
            .first()
        )
        if latest is not None:
            expected[project.municipality.cbs_code][project.year].append(
                latest.total_eur
            )
    return {
        cbs: {y: (len(v), sum(v)) for y, v in years.items()}
        for cbs, years in expected.items()
    }


def test_monitor_matches_an_independent_orm_computation(a2_library: Any) -> None:
    west, east = MunicipalityFactory(), MunicipalityFactory()
    plan = [
        (west, 2024, True, 100.0),
        (west, 2024, True, 50.0),
        (west, 2026, True, 120.0),
        (east, 2025, True, 10.0),
        (east, 2025, False, 999.0),  # unpublished: left out
    ]
    for municipality, year, published, tonnes in plan:
        project = ProjectFactory(
            municipality=municipality, year=year, is_published=published
        )
        reference = services.variant_create(actor=None, project=project, name="Ref")
        other = services.variant_create(actor=None, project=project, name="Alt")
        for variant, quantity in ((reference, tonnes), (other, tonnes * 3)):
            services.bill_import(
                actor=None,
                variant=variant,
                library=a2_library,
                content=b"line_id,element,profile_id,quantity,service_life_years\n"
                + f"L1,Deklaag,DEMO-AC-STD,{quantity},\n".encode(),
            )
            services.variant_calculate(variant=variant)
        # A later calculation after an edit supersedes the first one.
        services.bill_import(
            actor=None,
            variant=reference,
            library=a2_library,
            content=b"line_id,element,profile_id,quantity,service_life_years\n"
            + f"L1,Deklaag,DEMO-AC-STD,{tonnes * 2},\n".encode(),
        )
        services.variant_calculate(variant=reference)

    expected = _expected_monitor("nmd-a2")
    body = _client().get(f"{API}/monitor/").json()
    got = {
        m["cbs_code"]: {y["year"]: (y["projects"], y["total_eur"]) for y in m["years"]}
        for m in body
    }
    assert set(got) == {west.cbs_code, east.cbs_code}
    for cbs, years in expected.items():
        assert set(got[cbs]) == set(years)
        for year, (count, total) in years.items():
            assert got[cbs][year][0] == count
            assert got[cbs][year][1] == pytest.approx(total, rel=1e-12)
    west_row = next(m for m in body if m["cbs_code"] == west.cbs_code)
    assert west_row["zero_measurement_year"] == 2024
    zero = expected[west.cbs_code][2024][1]
    later = expected[west.cbs_code][2026][1]
    assert west_row["zero_measurement_eur"] == pytest.approx(zero)
    # Two years: the trend is the slope between them.
    assert west_row["trend_eur_per_year"] == pytest.approx((later - zero) / 2)
    assert west_row["years"][1]["change_percent"] == pytest.approx(
        (later - zero) / zero * 100
    )
    # Narrowed to a municipality and year; the zero measurement stays 2024.
    narrowed = (
        _client()
        .get(f"{API}/monitor/", {"municipality": west.cbs_code, "year": 2026})
        .json()
    )
    assert [(m["cbs_code"], [y["year"] for y in m["years"]]) for m in narrowed] == [
        (west.cbs_code, [2026])
    ]
    assert narrowed[0]["zero_measurement_year"] == 2024
    unknown = _client().get(f"{API}/monitor/", {"municipality": "GM0001"})
    assert unknown.status_code == 400
    assert unknown.json()["invalid_params"] == [
        {"name": "municipality", "reason": "Onbekende gemeente GM0001."}
    ]


def test_epd_upload_via_the_api() -> None:
    library = ProfileLibraryFactory()
    client = _client(CoordinatorFactory())
    url = f"{API}/libraries/{library.pk}/import-epd/"
    epd = (Path(__file__).parent / "data" / "epd-synthetic.xml").read_bytes()
    response = client.post(
        url,
        {"file": SimpleUploadedFile("epd.xml", epd), "profile_id": "EPD-1"},
        format="multipart",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["profiles_created"] == 1
    assert response.json()["skipped_indicators"] == ["Global warming potential (GWP)"]
    profile = client.get(f"{API}/profiles/", {"library": library.pk}).json()
    assert [p["profile_id"] for p in profile["results"]] == ["EPD-1"]
    detail = client.get(f"{API}/profiles/{profile['results'][0]['id']}/").json()
    assert {"module": "D", "indicator": "GWP-total", "value": -12.0} in detail["values"]
    bad = client.post(
        url,
        {"file": SimpleUploadedFile("kapot.xml", b"<processDataSet>")},
        format="multipart",
    )
    assert bad.status_code == 400
    assert bad.json()["problems"][0]["file"] == "kapot.xml"
    assert bad.json()["problems"][0]["message"].startswith("is not well-formed XML")
