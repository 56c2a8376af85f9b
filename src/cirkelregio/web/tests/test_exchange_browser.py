# SPDX-License-Identifier: EUPL-1.2
"""The listing import of the materials exchange in Chromium: an editor of the
municipality of Utrecht uploads a file with problems (the error summary takes the
focus, nothing is saved), then a good one, and follows the job to its counts; axe
finds nothing on the form, with its errors, and on the job page, in Dutch and
English."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

import pytest
from playwright.sync_api import Browser

from cirkelregio.web.tests import test_browser as shared
from cirkelregio.web.tests.test_browser import _report
from cirkelregio.web.tests.test_roads_browser import _manager_tab

browser = shared.browser

HEADER = "reference,kind,project_name,material,quantity,window_from,window_until"


@pytest.fixture
def site(transactional_db: Any, live_server: Any) -> str:
    from cirkelregio.exchange.services import exchange_demo_load
    from cirkelregio.mki.services import mki_demo_load
    from cirkelregio.regions.services import demo_data_load, reference_data_load

    data_dir = Path(settings.DATA_DIR)
    reference_data_load(directory=data_dir / "regions" / "nl-utrecht")
    demo_data_load(directory=data_dir / "demo" / "nl-utrecht")
    mki_demo_load(directory=data_dir / "demo" / "nl-utrecht" / "mki")
    exchange_demo_load(directory=data_dir / "demo" / "nl-utrecht" / "exchange")
    return str(live_server.url)


@pytest.mark.browser
def test_an_editor_imports_listings_and_follows_the_job(
    browser: Browser, site: str, tmp_path: Path
) -> None:
    from cirkelregio.exchange import selectors

    bad = tmp_path / "aanbod.csv"
    bad.write_text(
        f"{HEADER},postcode\n"
        "U-1,aanbod,Oudegracht,bss-beton-21x10x8,veel,2027-02-01,2027-03-31,3511\n",
        encoding="utf-8",
    )
    good = tmp_path / "aanbod-goed.csv"
    good.write_text(
        f"{HEADER},postcode\n"
        "U-1,aanbod,Oudegracht,bss-beton-21x10x8,250,2027-02-01,2027-03-31,3511\n"
        "U-2,vraag,Leidsche Rijn,bss-beton-21x10x8,80,2027-02-01,2027-05-31,3541\n",
        encoding="utf-8",
    )
    view = _manager_tab(browser, site, "gemeente-utrecht")
    try:
        for prefix, word in (("", "getal"), ("/en", "number")):
            view.open(prefix + "/uitwisseling/importeren/")
            page = view.page
            violations = view.axe_violations()
            assert not violations, _report(violations)
            form = page.locator("form.cr-import")
            form.locator("input[type=file]").set_input_files(str(bad))
            form.locator("button[type=submit]").click()
            page.wait_for_load_state("load")
            summary = page.locator(".cr-error-summary")
            assert page.evaluate("document.activeElement.className") == (
                "cr-error-summary"
            )
            text = summary.inner_text()
            assert "line 2, field 'quantity'" in text and "number" in text, word
            violations = view.axe_violations()
            assert not violations, _report(violations)
        assert not selectors.listing_list().filter(reference="U-1").exists()
        view.open("/uitwisseling/importeren/")
        form = view.page.locator("form.cr-import")
        form.locator("input[type=file]").set_input_files(str(good))
        form.locator("button[type=submit]").click()
        view.page.wait_for_load_state("load")
        assert "/taken/" in view.page.url
        body = view.page.locator("main").inner_text()
        assert "2 regels aanbod en vraag (1 aanbod, 1 vraag): 2 nieuw" in body
        violations = view.axe_violations()
        assert not violations, _report(violations)
        assert set(
            selectors.listing_list()
            .filter(reference__in=["U-1", "U-2"])
            .values_list("municipality__cbs_code", flat=True)
        ) == {"GM0344"}
        view.assert_clean()
    finally:
        view.page.context.close()
