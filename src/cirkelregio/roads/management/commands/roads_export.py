# SPDX-License-Identifier: EUPL-1.2
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cirkelregio.engine.dataio import emit_text
from cirkelregio.roads import selectors, services
from cirkelregio.roads.management.commands._base import authority

FORMATS = ("sections-csv", "sections-geojson", "passports-csv", "works-csv")


class Command(BaseCommand):
    help = (
        "Export road sections, passports or works in the import formats (WGS84). "
        "Usage: cirkelregio roads export {" + ",".join(FORMATS) + "} "
        "[--authority SLUG] [--output FILE]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=FORMATS)
        parser.add_argument("--authority", help="Only this road authority's records.")
        parser.add_argument("--output", type=Path, help="Default: standard output.")

    def handle(
        self, *args: Any, what: str, output: Path | None, **options: Any
    ) -> None:
        org = authority(options["authority"])
        if what.startswith("sections"):
            sections = selectors.section_list(user=None).filter(
                **({"authority": org} if org else {})
            )
            text = (
                services.sections_csv(sections)
                if what == "sections-csv"
                else services.sections_geojson(sections)
            )
        elif what == "passports-csv":
            passports = selectors.passport_list(user=None).filter(
                **({"section__authority": org} if org else {})
            )
            text = services.passports_csv(passports)
        else:
            works = selectors.work_list(user=None).filter(
                **({"authority": org} if org else {})
            )
            text = services.works_csv(works)
        emit_text(text, output, self.stdout)
