# SPDX-License-Identifier: EUPL-1.2
"""Load the roads demo data (``data/demo/<region>/roads/``): the mixture catalogue,
then invented sections, passports and works of two road authorities (every name
starting with "Demo", sections and works marked ``is_demo``), with the imports'
file formats, all or nothing per file. Loading again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from cirkelregio.roads.services.imports import (
    ImportReport,
    import_passports,
    import_sections,
    import_works,
)
from cirkelregio.roads.services.mixtures import MixtureLoadReport, mixtures_load


@dataclass
class DemoReport:
    mixtures: MixtureLoadReport
    sections: ImportReport
    passports: ImportReport
    works: ImportReport

    def __str__(self) -> str:
        return "\n".join(
            str(r) for r in (self.mixtures, self.sections, self.passports, self.works)
        )


def roads_demo_load(*, directory: Path, mixtures: Path | None = None) -> DemoReport:
    directory = Path(directory)
    catalogue = mixtures_load(
        path=mixtures or Path(settings.DATA_DIR) / "roads" / "mixtures.csv"
    )
    return DemoReport(
        mixtures=catalogue,
        sections=import_sections(directory / "sections.geojson", demo=True),
        passports=import_passports(directory / "passports.csv"),
        works=import_works(directory / "works.csv", demo=True),
    )
