# SPDX-License-Identifier: EUPL-1.2
"""The annual report as an XLSX workbook: a cover sheet (title, date, sources) and one
sheet per section with the report's tables, every line's rows under each other with
the action line in the first column. The cells hold the same values as the page."""

from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cirkelregio.web.reports import Link, Report, Table, Text

SECTIONS = ("activities", "statuses", "participants", "phases", "figures")


def _cell(value: Any) -> Any:
    if isinstance(value, (Text, Link)):
        return str(value)
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    return "" if value is None else value


def _sheet_title(title: str) -> str:
    # Excel allows 31 characters and no []:*?/\ in a sheet name.
    for ch in "[]:*?/\\":
        title = title.replace(ch, " ")
    return title[:31]


def _write_table(ws: Worksheet, columns: list[str], rows: list[list[Any]]) -> None:
    ws.append(columns)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_cell(v) for v in row])
        for col, value in enumerate(row, start=1):
            if isinstance(value, Link):
                ws.cell(row=ws.max_row, column=col).hyperlink = value.url
            elif isinstance(value, dt.date):
                ws.cell(row=ws.max_row, column=col).number_format = "yyyy-mm-dd"
    ws.freeze_panes = "A2"
    for col, name in enumerate(columns, start=1):
        longest = max(
            [len(str(name)), *(len(str(_cell(r[col - 1]))) for r in rows)], default=10
        )
        ws.column_dimensions[get_column_letter(col)].width = min(60, longest + 2)


def report_title(report: Report) -> str:
    if len(report.sections) == 1 and report.summary is None:
        return _("Annual report %(year)s: %(line)s") % {
            "year": report.year,
            "line": report.sections[0].line.name,
        }
    return _("Annual report %(year)s of the circular region") % {"year": report.year}


def report_workbook(report: Report) -> bytes:
    wb = Workbook()
    cover = wb.active
    cover.title = _sheet_title(_("Cover"))
    cover.append([report_title(report)])
    cover["A1"].font = Font(bold=True, size=14)
    cover.append([])
    cover.append([_("Year"), report.year])
    cover.append([_("Situation on"), report.as_of])
    cover["B4"].number_format = "yyyy-mm-dd"
    cover.append([_("Generated"), date_format(report.generated_at, "Y-m-d H:i")])
    cover.append([])
    cover.append([_("Sources")])
    cover.cell(row=cover.max_row, column=1).font = Font(bold=True)
    for source in report.sources:
        cover.append([source])
    if report.has_demo:
        cover.append([])
        cover.append(
            [
                _(
                    "Records marked as demo are invented for demonstration and "
                    "are not statements of the alliance."
                )
            ]
        )
    cover.column_dimensions["A"].width = 40
    cover.column_dimensions["B"].width = 20

    if report.summary is not None:
        ws = wb.create_sheet(_sheet_title(report.summary.title))
        _write_table(ws, report.summary.columns, report.summary.rows)
    for key in SECTIONS:
        # As on the page: a line without a plan has no activities and no status
        # counts.
        tables: list[tuple[str, Table]] = [
            (s.line.name, getattr(s, key))
            for s in report.sections
            if s.plan is not None or key not in ("activities", "statuses")
        ]
        shape = getattr(report.sections[0], key)
        ws = wb.create_sheet(_sheet_title(shape.title))
        _write_table(
            ws,
            [_("Action line"), *shape.columns],
            [[name, *row] for name, table in tables for row in table.rows],
        )
    if report.cross_cutting is not None and report.cross_cutting.rows:
        ws = wb.create_sheet(_sheet_title(_("Cross-cutting key figures")))
        _write_table(ws, report.cross_cutting.columns, report.cross_cutting.rows)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
