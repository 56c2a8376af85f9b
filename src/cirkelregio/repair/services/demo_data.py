# SPDX-License-Identifier: EUPL-1.2
"""Load the repair-map demo data (``data/demo/<region>/repair/places.csv``):
invented repair places spread over the region's municipalities, every name starting
with "Demo", every record marked ``is_demo``. Never loaded in production.

The file has the import's CSV format (``cirkelregio.repair.services.imports``) and is
read the same way, all or nothing, with the source ``demo``; loading it again
changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from cirkelregio.repair.services.imports import PlaceImportReport, _import

DEMO_FILE = "places.csv"
DEMO_SOURCE = "demo"


def repair_demo_load(*, directory: Path) -> PlaceImportReport:
    return _import(
        Path(directory) / DEMO_FILE, source=DEMO_SOURCE, demo=True, actor=None
    )
