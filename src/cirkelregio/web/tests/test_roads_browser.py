# SPDX-License-Identifier: EUPL-1.2
"""The roads pages in a real browser, as in ``test_browser``: the road managers of
the municipality and the province of Utrecht each import their sections, passports
and works through /wegen/importeren/ and then see the bundle of their 2027 works on
the map of /wegen/bundels/, the released tar-free reclaimed asphalt of their works
on the exchange (/uitwisseling/), and a harmonisation run on /wegen/harmonisatie/
with the chosen mixture and the MKI difference (the "done when" of the asphalt
strategy); a file with a problem shows the error summary and saves nothing;
axe-core finds no WCAG 2.0/2.1 A or AA violation on /wegen/, a section page,
/wegen/bundels/, /wegen/importeren/, /wegen/harmonisatie/ (before and after a run)
and /wegen/mki/, in Dutch and English; nothing breaks the Content Security Policy
or loads from another host (the maps work without tiles)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.test import Client

import pytest
from playwright.sync_api import Browser

from cirkelregio.web.tests import test_browser as shared
from cirkelregio.web.tests.test_browser import (
    DESKTOP,
    PHONE,
    Tab,
    _check_accessibility,
    _new_context,
    _report,
)

browser = shared.browser
desktop_context = shared.desktop_context
phone_context = shared.phone_context
tab = shared.tab
phone = shared.phone

DEMO = Path(settings.DATA_DIR) / "demo" / "nl-utrecht" / "roads"
AUTHORITIES = ("gemeente-utrecht", "provincie-utrecht")


@pytest.fixture
def site(transactional_db: Any, live_server: Any) -> str:
    """The live server with the region's reference data (which holds the two road
    authorities) and the mixture catalogue; no roads yet."""
    from cirkelregio.regions.services import reference_data_load
    from cirkelregio.roads.services import mixtures_load

    reference_data_load(directory=Path(settings.DATA_DIR) / "regions" / "nl-utrecht")
    mixtures_load(path=Path(settings.DATA_DIR) / "roads" / "mixtures.csv")
    return str(live_server.url)


def _manager_tab(browser: Browser, site: str, slug: str) -> Tab:
    """A desktop page signed in as a road manager (organisation editor) of ``slug``,
    in its own browser context."""
    from cirkelregio.accounts.tests.factories import EditorFactory
    from cirkelregio.regions import selectors as region_selectors

    editor = EditorFactory(
        organisation=region_selectors.organisation_list().get(slug=slug)
    )
    client = Client()
    client.force_login(editor)
    context = _new_context(browser, viewport=DESKTOP)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": site,
            }
        ]
    )
    return Tab(context.new_page(), site)


def _split(tmp_path: Path) -> dict[str, dict[str, Path]]:
    """The demo files cut into one set per authority: sections.geojson,
    passports.csv and works.csv holding only that authority's rows."""
    files: dict[str, dict[str, Path]] = {}
    sections = json.loads((DEMO / "sections.geojson").read_text(encoding="utf-8"))
    for slug in AUTHORITIES:
        folder = tmp_path / slug
        folder.mkdir()
        files[slug] = {}
        own = dict(sections)
        own["features"] = [
            f for f in sections["features"] if f["properties"]["authority"] == slug
        ]
        path = folder / "sections.geojson"
        path.write_text(json.dumps(own), encoding="utf-8")
        files[slug]["sections"] = path
        for name in ("passports", "works"):
            with (DEMO / f"{name}.csv").open(encoding="utf-8", newline="") as source:
                reader = csv.DictReader(source)
                rows = [r for r in reader if r["authority"] == slug]
                out = io.StringIO()
                writer = csv.DictWriter(out, reader.fieldnames or [])
                writer.writeheader()
                writer.writerows(rows)
            path = folder / f"{name}.csv"
            path.write_text(out.getvalue(), encoding="utf-8")
            files[slug][name] = path
    return files


def _import(view: Tab, kind: str, path: Path) -> str:
    page = view.page
    form = page.locator(f"form.cr-import:has(input[name=kind][value={kind}])")
    form.locator("input[type=file]").set_input_files(str(path))
    form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    return page.locator("main").inner_text()


@pytest.fixture
def strategy_site(site: str) -> str:
    """The live server of ``site`` with what the road managers do not import
    themselves: the synthetic MKI demo profiles, the roads demo's example
    substitutions and MKI variants, and the exchange's material class of
    reclaimed asphalt (as in the exchange demo catalogue)."""
    from cirkelregio.exchange.services import material_create
    from cirkelregio.mki.services import mki_demo_load
    from cirkelregio.roads.services import mki_variants_load, substitutions_load

    mki_demo_load(directory=DEMO.parent / "mki")
    substitutions_load(path=DEMO / "substitutions.csv", demo=True)
    mki_variants_load(path=DEMO / "mki_variants.csv", demo=True)
    material_create(
        actor=None,
        code="asfaltgranulaat",
        name_nl="Asfaltgranulaat (teervrij)",
        name_en="Reclaimed asphalt (tar-free)",
        unit="t",
        tonnes_per_unit=1.0,
        # The exchange demo catalogue's figures for it (demo estimates).
        new_cost_eur=18.0,
        new_cost_source="demo estimate, not a market price",
        new_mki_eur=4.0,
        new_mki_source="demo estimate, not an NMD value",
        disposal_cost_eur=12.0,
        disposal_cost_source="demo estimate, not a market price",
        is_demo=True,
    )
    return site


def _demo_mki_eur_per_tonne(profile_id: str) -> float:
    """The MKI app's calculation of one tonne of a demo profile."""
    from cirkelregio.mki import selectors as mki_selectors

    profile = mki_selectors.profile_list().get(profile_id=profile_id)
    result = mki_selectors.profile_mki(profile=profile.pk, quantity=1.0)
    assert result.total_eur is not None, result.error
    return float(result.total_eur)


@pytest.mark.browser
def test_two_road_managers_import_their_plans_and_see_the_bundle(
    browser: Browser, strategy_site: str, tmp_path: Path
) -> None:
    site = strategy_site
    files = _split(tmp_path)
    for slug in AUTHORITIES:
        view = _manager_tab(browser, site, slug)
        try:
            view.open("/en/wegen/importeren/")
            for kind in ("sections", "passports", "works"):
                text = _import(view, kind, files[slug][kind])
                assert f"{files[slug][kind].name} imported" in text, text
                assert view.page.locator(".cr-error-summary").count() == 0
            view.assert_clean()
        finally:
            view.page.context.close()
    view = _manager_tab(browser, site, "provincie-utrecht")
    try:
        view.open("/en/wegen/bundels/?jaar=2027&afstand=500")
        page = view.page
        assert page.get_by_role("heading", level=3, name="Bundle 1").is_visible()
        bundle = page.locator(".cr-bundle").first.inner_text()
        for work in ("DEMO-U-2027-01", "DEMO-P-2027-01", "DEMO-P-2027-02"):
            assert work in bundle
        assert "1 June 2027 – 30 September 2027" in bundle
        # On the map: the three works of the bundle drawn thick, the two compatible
        # pairs as dashed lines.
        drawn = page.evaluate(
            """() => {
              const paths = [...document.querySelectorAll('#bundles-map path')];
              const count = (name, value) =>
                paths.filter(p => p.getAttribute(name) === value).length;
              return {
                bundled: count('stroke-width', '8'),
                pairs: count('stroke-dasharray', '6 5'),
              };
            }"""
        )
        assert drawn == {"bundled": 3, "pairs": 2}
        violations = view.axe_violations()
        assert not violations, _report(violations)
        view.assert_clean()
    finally:
        view.page.context.close()

    # The released tar-free reclaimed asphalt is on the exchange at once. By hand:
    # DEMO-U-2027-01 mills two layers of DEMO-U-001 (2800 m2 x (30 + 50) mm x
    # 2.35 t/m3 = 526.4 t); DEMO-P-2027-01 mills 50 mm of PA 16 from
    # DEMO-P-N901-1 (4500 m2 x 50 mm x 2.0 t/m3 from the catalogue = 450 t).
    expected = {
        "gemeente-utrecht": ("DEMO-U-2027-01", "526.40 t", "1 Jun 2027 – 31 Oct 2027"),
        "provincie-utrecht": ("DEMO-P-2027-01", "450 t", "1 Apr 2027 – 30 Sep 2027"),
    }
    for slug, (work, tonnes, window) in expected.items():
        view = _manager_tab(browser, site, slug)
        try:
            view.open("/en/uitwisseling/?kind=supply&material=asfaltgranulaat")
            rows = view.page.locator("#listings-caption + thead + tbody tr")
            row = rows.filter(has_text=work)
            assert row.count() == 1, view.page.locator("main").inner_text()
            text = " ".join(row.inner_text().split())
            assert "Asfaltgranulaat (teervrij)" in text and "Supply (released" in text
            assert tonnes in text and window in text, text
            # Tar-containing asphalt and works without removal offer nothing.
            assert rows.count() == 2
            view.assert_clean()
        finally:
            view.page.context.close()

    # The municipality's road manager harmonises the mixtures of 2027: its work
    # lays AC 11 surf (2800 m2 x 30 mm x 2.35 = 197.4 t) and AC 16 bin (329 t);
    # the substitution lets AC 11 surf serve AC 16 bin, so one mixture serves
    # both and the MKI changes by 329 t x (MKI of AC 11 surf - of AC 16 bin per
    # tonne): the synthetic profiles DEMO-AC-STD and DEMO-AC-BIN.
    difference = 329.0 * (
        _demo_mki_eur_per_tonne("DEMO-AC-STD") - _demo_mki_eur_per_tonne("DEMO-AC-BIN")
    )
    view = _manager_tab(browser, site, "gemeente-utrecht")
    try:
        page = view.page
        _check_accessibility(view, "/wegen/harmonisatie/", "desktop")
        view.open("/en/wegen/harmonisatie/")
        assert "No harmonisation has been run yet." in page.locator("main").inner_text()
        page.get_by_label("First year").fill("2027")
        page.get_by_label("Last year").fill("2027")
        page.get_by_role("button", name="Harmonise").click()
        page.wait_for_load_state("load")
        assert page.locator(".cr-error-summary").count() == 0
        result = " ".join(page.locator("main").inner_text().split())
        assert "Chosen mixtures AC 11 surf" in result, result
        assert "2 as planned, 1 harmonised" in result
        assert "DEMO-U-2027-01" in result
        shown = page.locator("dt:text-is('MKI difference') + dd").inner_text()
        assert shown == f"€ {difference:,.0f}", (shown, difference)
        view.assert_clean()
        _check_accessibility(view, "/wegen/harmonisatie/", "desktop")
        _check_accessibility(view, "/wegen/mki/", "desktop")
        view.assert_clean()
    finally:
        view.page.context.close()


@pytest.mark.browser
def test_a_bad_file_shows_the_errors_and_saves_nothing(
    browser: Browser, site: str, tmp_path: Path
) -> None:
    from cirkelregio.roads import selectors

    bad = tmp_path / "wegvakken.csv"
    bad.write_text(
        "external_id,name,road_type,area_m2,geometry\n"
        "T-1,Teststraat,residential_street,700,"
        '"LINESTRING (5.12 52.09, 5.121 52.091)"\n'
        "T-2,Kapotstraat,snelweg,300,POINT (5.12 52.09)\n",
        encoding="utf-8",
    )
    view = _manager_tab(browser, site, "gemeente-utrecht")
    try:
        for prefix in ("", "/en"):
            view.open(prefix + "/wegen/importeren/")
            page = view.page
            form = page.locator("form.cr-import").first
            form.locator("input[type=file]").set_input_files(str(bad))
            form.locator("button[type=submit]").click()
            page.wait_for_load_state("load")
            summary = page.locator(".cr-error-summary")
            assert summary.count() == 1
            assert page.evaluate("document.activeElement.className") == (
                "cr-error-summary"
            )
            assert "road_type" in summary.inner_text()
            violations = view.axe_violations()
            assert not violations, _report(violations)
        assert selectors.section_list(user=None).count() == 0
        view.assert_clean()
    finally:
        view.page.context.close()


@pytest.fixture
def roads_demo(site: str) -> str:
    from cirkelregio.roads.services import roads_demo_load

    roads_demo_load(directory=DEMO)
    return site


@pytest.mark.browser
def test_the_roads_pages_have_no_accessibility_violations(
    roads_demo: str, tab: Tab, browser: Browser
) -> None:
    from cirkelregio.roads import selectors

    section = selectors.section_list().get(external_id="DEMO-U-001")
    for path in ["/wegen/", f"/wegen/{section.pk}/", "/wegen/bundels/?jaar=2027"]:
        _check_accessibility(tab, path, "desktop")
    manager = _manager_tab(browser, roads_demo, "gemeente-utrecht")
    try:
        for path in ["/wegen/importeren/", f"/wegen/{section.pk}/"]:
            _check_accessibility(manager, path, "desktop")
    finally:
        manager.page.context.close()


@pytest.mark.browser
def test_the_list_beside_the_map_leads_to_the_section(
    roads_demo: str, tab: Tab
) -> None:
    tab.open("/wegen/")
    page = tab.page
    assert page.locator("#roads-map path.leaflet-interactive").count() == 5
    page.get_by_role("link", name="DEMO-U-001 Demo Laan van Voorbeeld").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", level=1).inner_text().startswith("DEMO-U-001")
    tab.assert_clean()


@pytest.mark.browser
def test_the_roads_pages_on_a_phone(roads_demo: str, phone: Tab) -> None:
    from cirkelregio.roads import selectors

    section = selectors.section_list().get(external_id="DEMO-P-N901-1")
    too_wide = {}
    for path in ["/wegen/", f"/wegen/{section.pk}/", "/wegen/bundels/?jaar=2027"]:
        _check_accessibility(phone, path, "375x812")
        for prefix in ("", "/en"):
            phone.open(prefix + path)
            width = phone.page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE["width"]:
                too_wide[prefix + path] = width
    assert not too_wide, f"pages wider than {PHONE['width']}px: {too_wide}"
