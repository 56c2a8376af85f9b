# SPDX-License-Identifier: EUPL-1.2
"""Load the roads demo data (``data/demo/<region>/roads/``): the mixture catalogue,
then invented sections, passports and works of two road authorities (every name
starting with "Demo", sections and works marked ``is_demo``), with the imports'
file formats, all or nothing per file; then the example substitutions and the MKI
variants linked to the synthetic MKI demo profiles (when ``substitutions.csv`` and
``mki_variants.csv`` are there; the MKI demo data must be loaded first), and the
released reclaimed asphalt of the works as supply on the exchange (when the
exchange catalogue is loaded). Loading again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from cirkelregio.engine.dataio import DataLoadError
from cirkelregio.roads.services.catalogue import (
    mki_variants_load,
    substitutions_load,
)
from cirkelregio.roads.services.forecast import ForecastReport, forecast_publish
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
    substitutions: ImportReport | None = None
    mki_variants: ImportReport | str | None = None
    forecast: ForecastReport | str | None = None

    def __str__(self) -> str:
        parts = (
            self.mixtures,
            self.sections,
            self.passports,
            self.works,
            self.substitutions,
            self.mki_variants,
            self.forecast,
        )
        return "\n".join(str(r) for r in parts if r is not None)


def roads_demo_load(*, directory: Path, mixtures: Path | None = None) -> DemoReport:
    directory = Path(directory)
    catalogue = mixtures_load(
        path=mixtures or Path(settings.DATA_DIR) / "roads" / "mixtures.csv"
    )
    report = DemoReport(
        mixtures=catalogue,
        sections=import_sections(directory / "sections.geojson", demo=True),
        passports=import_passports(directory / "passports.csv"),
        works=import_works(directory / "works.csv", demo=True),
    )
    if (directory / "substitutions.csv").exists():
        report.substitutions = substitutions_load(
            path=directory / "substitutions.csv", demo=True
        )
    if (directory / "mki_variants.csv").exists():
        try:
            report.mki_variants = mki_variants_load(
                path=directory / "mki_variants.csv", demo=True
            )
        except DataLoadError as exc:  # the MKI demo data is not loaded
            report.mki_variants = f"MKI variants not loaded: {exc}"
    try:
        report.forecast = forecast_publish()
    except ValidationError as exc:
        report.forecast = "Supply forecast not published: " + "; ".join(exc.messages)
    return report
