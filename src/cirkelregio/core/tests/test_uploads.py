# SPDX-License-Identifier: EUPL-1.2
"""Upload checks (cirkelregio.core.uploads): size, extension and XML safety, alone
and at the web and API entry points."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.utils import translation

import openpyxl
import pytest
from defusedxml import DefusedXmlException
from rest_framework.test import APIClient

from cirkelregio.accounts.tests.factories import CoordinatorFactory
from cirkelregio.core.uploads import KINDS, check_upload
from cirkelregio.mki.tests.factories import ProfileLibraryFactory

LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + b"".join(
        b' <!ENTITY lol%d "%s">\n' % (i, b"".join([b"&lol%d;" % (i - 1)] * 10))
        for i in range(1, 10)
    ).replace(b"&lol0;", b"&lol;")
    + b"]>\n<lolz>&lol9;</lolz>\n"
)
REFUSED = "document type declaration (DTD)"


def _xlsx(*rows: list[Any], big: str = "") -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    if big:
        sheet.append([big])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _laughing_xlsx() -> bytes:
    """A real workbook whose shared strings declare the billion laughs."""
    source = zipfile.ZipFile(io.BytesIO(_xlsx(["name"], ["x"])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                dtd = LAUGHS[LAUGHS.index(b"<!DOCTYPE") : LAUGHS.index(b"]>") + 2]
                start = data.index(b"<worksheet")
                data = (data[:start] + dtd + data[start:]).replace(
                    b"<v>", b"<v>&lol9;", 1
                )
            target.writestr(item, data)
    return out.getvalue()


def _refusal(name: str, content: bytes, kind: str) -> str:
    """The English message (the site's default language is Dutch)."""
    with translation.override("en"), pytest.raises(ValidationError) as exc:
        check_upload(SimpleUploadedFile(name, content), KINDS[kind])
    with translation.override("en"):
        return str(exc.value.messages[0])


def test_openpyxl_parses_through_defusedxml() -> None:
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML is True
    # And refuses the entities on its own, without expanding them.
    with pytest.raises(ValueError) as exc:
        book = openpyxl.load_workbook(io.BytesIO(_laughing_xlsx()), read_only=True)
        list(book.worksheets[0].iter_rows(values_only=True))
    assert isinstance(exc.value.__cause__ or exc.value, DefusedXmlException)


def test_billion_laughs_xml_and_xlsx_are_refused_with_a_clear_message() -> None:
    assert REFUSED in _refusal("epd.xml", LAUGHS, "xml")
    assert REFUSED in _refusal("bill.xlsx", _laughing_xlsx(), "table")


def test_good_files_pass_and_can_be_read_again() -> None:
    upload = SimpleUploadedFile("bill.xlsx", _xlsx(["line_id"], ["1"]))
    check_upload(upload, KINDS["table"])
    assert upload.read(2) == b"PK"
    check_upload(SimpleUploadedFile("p.csv", b"a,b\n1,2\n"), KINDS["table"])
    check_upload(SimpleUploadedFile("e.xml", b"<?xml version='1.0'?><a/>"), [".xml"])


def test_extension_size_and_zip_bomb_limits() -> None:
    assert "must be a .csv, .xlsx file" in _refusal("p.exe", b"MZ", "table")
    assert "is empty" in _refusal("p.csv", b"", "csv")
    with override_settings(UPLOAD_MAX_BYTES=10):
        assert "at most 10" in _refusal("p.csv", b"a" * 11, "csv")
    bomb = _xlsx(["name"], big="a" * 500_000)  # compresses to a few kB
    with override_settings(UPLOAD_MAX_BYTES=len(bomb) + 1):
        assert "unpacks to more than" in _refusal("bomb.xlsx", bomb, "table")
    assert "not a readable XLSX" in _refusal("fake.xlsx", b"not a zip", "table")


@pytest.mark.django_db
def test_the_api_refuses_a_billion_laughs_epd() -> None:
    library = ProfileLibraryFactory()
    client = APIClient()
    client.force_authenticate(CoordinatorFactory())
    response = client.post(
        f"/api/v1/mki/libraries/{library.pk}/import-epd/",
        {"file": SimpleUploadedFile("bomb.xml", LAUGHS)},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    (param,) = response.json()["invalid_params"]
    assert param["name"] == "file"
    assert REFUSED in param["reason"]
    assert not library.profiles.exists()


@pytest.mark.django_db
def test_the_web_import_refuses_a_billion_laughs_xlsx(reference_data: Any) -> None:
    client = Client()
    client.force_login(CoordinatorFactory())
    response = client.post(
        "/en/biobased-isoleren/importeren/",
        {"file": SimpleUploadedFile("projects.xlsx", _laughing_xlsx())},
    )
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
