# SPDX-License-Identifier: EUPL-1.2
"""Writes to MKI records. The API, the admin, commands and other apps call these;
they never save MKI models themselves."""

from cirkelregio.mki.services.calculation import variant_calculate
from cirkelregio.mki.services.demo_data import MkiDemoReport, mki_demo_load
from cirkelregio.mki.services.libraries import (
    ImportReport,
    library_create,
    library_delete,
    library_import_csv,
    library_import_epd,
    library_update,
)
from cirkelregio.mki.services.projects import (
    BillImportReport,
    bill_import,
    bill_line_create,
    bill_line_delete,
    bill_line_update,
    element_create,
    element_delete,
    element_update,
    project_create,
    project_delete,
    project_update,
    variant_create,
    variant_delete,
    variant_update,
)
from cirkelregio.mki.services.tenders import (
    bid_create,
    bid_delete,
    bid_update,
    tender_create,
    tender_delete,
    tender_update,
)

__all__ = [
    "BillImportReport",
    "ImportReport",
    "MkiDemoReport",
    "bid_create",
    "bid_delete",
    "bid_update",
    "bill_import",
    "bill_line_create",
    "bill_line_delete",
    "bill_line_update",
    "element_create",
    "element_delete",
    "element_update",
    "library_create",
    "library_delete",
    "library_import_csv",
    "library_import_epd",
    "library_update",
    "mki_demo_load",
    "project_create",
    "project_delete",
    "project_update",
    "tender_create",
    "tender_delete",
    "tender_update",
    "variant_calculate",
    "variant_create",
    "variant_delete",
    "variant_update",
]
