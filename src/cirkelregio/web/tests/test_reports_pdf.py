# SPDX-License-Identifier: EUPL-1.2
"""The annual reports as PDF (WeasyPrint, the page's print layout), the
cross-cutting key figures of the region report and the monitor's link to the
reports, with the real reference and demo data. Neither pypdf nor pdftotext is a
dependency: the PDF is checked by its structure (header, pages, trailer) and its
document title."""

from __future__ import annotations

import re
import zlib
from io import BytesIO
from typing import Any

from django.test import Client
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from cirkelregio.monitoring.models import Indicator, IndicatorValue
from cirkelregio.regions.models import ActionLine
from cirkelregio.web.report_pdf import StaticOnlyFetcher, html_to_pdf

pytestmark = pytest.mark.django_db


def _objects(pdf: bytes) -> bytes:
    """The PDF with its Flate streams (object streams among them) decompressed."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n", pdf):
        try:
            parts.append(zlib.decompressobj().decompress(pdf[match.end() :]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", _objects(pdf)))


def _title(pdf: bytes) -> str:
    """The document title of the PDF's info dictionary (a literal string or
    UTF-16 in hex)."""
    found = re.search(rb"/Title\s*(\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f]+>)", _objects(pdf))
    assert found, "the PDF has a title"
    raw = found.group(1)
    if raw.startswith(b"<"):
        data = bytes.fromhex(raw[1:-1].decode())
        return data.decode("utf-16") if data[:2] == b"\xfe\xff" else data.decode()
    return raw[1:-1].decode("latin-1")


def test_the_region_report_as_pdf(client: Client, demo_data: Any) -> None:
    response = client.get("/en/rapportage/2026/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="jaarrapportage-2026-en.pdf"'
    )
    pdf = response.content
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    # The print layout starts every action line on a new page: at least the first
    # page (title and summary) and one per line.
    assert _pages(pdf) >= 1 + ActionLine.objects.count()
    assert "Annual report 2026 of the circular region" in _title(pdf)


def test_one_line_as_pdf_in_dutch(client: Client, demo_data: Any) -> None:
    response = client.get("/rapportage/2025/heel-utrecht-repareert/pdf/")
    assert response.status_code == 200
    assert (
        "jaarrapportage-2025-heel-utrecht-repareert-nl.pdf"
        in (response["Content-Disposition"])
    )
    assert response.content.startswith(b"%PDF-")
    assert _pages(response.content) >= 1
    assert "Jaarrapportage 2025" in _title(response.content)


def test_the_report_page_links_its_pdf(client: Client, demo_data: Any) -> None:
    html = client.get("/en/rapportage/2026/").content.decode()
    assert 'href="/en/rapportage/2026/pdf/"' in html
    html = client.get("/en/rapportage/2026/agricycling/").content.decode()
    assert 'href="/en/rapportage/2026/agricycling/pdf/"' in html


def test_the_monitor_links_the_reports(client: Client, demo_data: Any) -> None:
    html = client.get("/en/monitor/").content.decode()
    assert (
        '<a class="utrecht-link utrecht-link--html-a" href="/en/rapportage/">' in html
    )
    assert "Annual reports" in html


def test_no_pdf_for_a_future_year_or_an_unknown_line(
    client: Client, demo_data: Any
) -> None:
    year = timezone.localdate().year + 1
    response = client.get(f"/en/rapportage/{year}/pdf/")
    assert response.status_code == 404
    assert "that year is in the future" in response.content.decode()
    assert client.get("/en/rapportage/2026/geen-lijn/pdf/").status_code == 404


def test_the_fetcher_serves_only_our_static_files() -> None:
    fetcher = StaticOnlyFetcher("http://testserver/en/rapportage/2026/pdf/")
    css = fetcher.fetch("http://testserver/static/cirkelregio/css/reports.css")
    assert css.content_type == "text/css"
    assert b"@page" in css.read()
    css.close()
    for url in (
        "https://example.org/static/cirkelregio/css/reports.css",  # another host
        "http://testserver/en/rapportage/2026/",  # not a static file
        "http://testserver/static/../conf/settings.py",
        "http://testserver/static/cirkelregio/css/none.css",
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_an_outside_image_is_left_out_not_fetched(monkeypatch: Any) -> None:
    """A page that names an outside image still renders; nothing is fetched."""
    calls: list[str] = []

    class Recording(StaticOnlyFetcher):
        def fetch(self, url: str, headers: object = None) -> Any:
            calls.append(url)
            return super().fetch(url, headers)

    html = (
        '<html><head><title>Proef</title><link rel="stylesheet" '
        'href="/static/cirkelregio/css/reports.css"></head><body><h1>Proef</h1>'
        '<img src="https://example.org/x.png" alt="x"></body></html>'
    )
    import cirkelregio.web.report_pdf as module

    monkeypatch.setattr(module, "StaticOnlyFetcher", Recording)
    pdf = html_to_pdf(html, base_url="http://testserver/")
    assert pdf.startswith(b"%PDF-") and _pages(pdf) == 1
    assert "http://testserver/static/cirkelregio/css/reports.css" in calls
    assert "https://example.org/x.png" in calls  # asked, and refused


def test_the_region_report_shows_the_cross_cutting_figures(
    client: Client, demo_data: Any
) -> None:
    indicator = Indicator.objects.create(
        code="restafval-proef",
        name_nl="Restafval (proef)",
        name_en="Residual waste (test)",
        definition_nl="Kilogram restafval per inwoner.",
        unit="kg",
        decimals=0,
        action_line=None,
        scope="region",
        source_kind="manual",
        source_nl="CBS",
        is_published=True,
    )
    IndicatorValue.objects.create(
        indicator=indicator, year=2025, value=151.4, source="CBS Statline 2025"
    )
    html = client.get("/en/rapportage/2026/").content.decode()
    assert "Cross-cutting key figures" in html
    table = html.split('data-table="cross-cutting"', 1)[1].split("</table>", 1)[0]
    assert "Residual waste (test)" in table and "CBS Statline 2025" in table
    assert "151" in table
    # Not in the report of one line.
    line = client.get("/en/rapportage/2026/agricycling/").content.decode()
    assert "Cross-cutting key figures" not in line
    # The workbook has the same rows.
    book = load_workbook(BytesIO(client.get("/en/rapportage/2026/xlsx/").content))
    sheet = [
        list(r) for r in book["Cross-cutting key figures"].iter_rows(values_only=True)
    ]
    assert sheet[0][0] == "Indicator"
    assert sheet[1][:3] == ["Residual waste (test)", "2025", 151]


def test_without_weasyprint_the_pdf_says_why(
    client: Client, demo_data: Any, monkeypatch: Any
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "cirkelregio.web.report_pdf", None)
    response = client.get("/en/rapportage/2026/pdf/")
    assert response.status_code == 503
    assert "print the page instead" in response.content.decode()
