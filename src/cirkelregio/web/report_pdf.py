# SPDX-License-Identifier: EUPL-1.2
"""The annual report as PDF: the page's own HTML laid out by WeasyPrint with its print
stylesheet (A4, no navigation, every line on a new page in the region report).

WeasyPrint fetches nothing over the network: its URL fetcher serves only our static
files (stylesheets, images), read from the static files storage or the finders, and
refuses every other address (the page's links stay links in the PDF).
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

from weasyprint import CSS, HTML, URLFetcher
from weasyprint.urls import URLFetcherResponse


def static_file(name: str) -> Path | None:
    """The file of a static path (``cirkelregio/css/site.css``, or its hashed name
    once collected), or None."""
    if not name or ".." in Path(name).parts:
        return None
    if settings.STATIC_ROOT:
        try:
            if staticfiles_storage.exists(name):
                return Path(staticfiles_storage.path(name))
        except NotImplementedError:  # a storage without local paths
            pass
    found = finders.find(name)
    return Path(found) if isinstance(found, str) else None


class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]
    """Serves the static files under ``STATIC_URL`` of the page's own address and
    nothing else: no network access, no local files outside the static files."""

    def __init__(self, base_url: str) -> None:
        super().__init__(allowed_protocols=("http", "https"))
        base = urlsplit(base_url)
        self._origin = (base.scheme, base.netloc)
        self._prefix = urlsplit(settings.STATIC_URL).path

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        if (parts.scheme, parts.netloc) != self._origin or not parts.path.startswith(
            self._prefix
        ):
            raise ValueError(f"Only the site's static files are fetched, not {url}")
        path = static_file(parts.path.removeprefix(self._prefix))
        if path is None:
            raise ValueError(f"No such static file: {url}")
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": mime_type}
        )


#: Added to the print stylesheet for WeasyPrint: text hidden for all but screen
#: readers is for the page, not the PDF; list markers inside the item (WeasyPrint
#: cannot lay out the text of the NL Design System's outside ``::marker``).
PDF_CSS = (
    ".cr-visually-hidden { display: none !important; }"
    " li { list-style-position: inside !important; }"
)


def html_to_pdf(html: str, *, base_url: str) -> bytes:
    """``html`` as a PDF in print media; ``base_url`` is the page's own address."""
    pdf = HTML(
        string=html,
        base_url=base_url,
        url_fetcher=StaticOnlyFetcher(base_url),
        media_type="print",
    ).write_pdf(stylesheets=[CSS(string=PDF_CSS)])
    assert pdf is not None
    return bytes(pdf)
