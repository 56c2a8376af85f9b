# SPDX-License-Identifier: EUPL-1.2
"""The open-data export of every published indicator's values (CSV and JSON) and its
data dictionary: every column and every indicator described."""

from __future__ import annotations

import csv
import io
from typing import Any

from cirkelregio.monitoring import selectors

__all__ = ["COLUMNS", "data_dictionary", "export_csv", "export_json", "export_rows"]

#: (column, type, description) of the export; the data dictionary repeats them.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("indicator", "string", "Code of the indicator (see the indicators list)."),
    ("indicator_name", "string", "Name of the indicator (Dutch)."),
    ("unit", "string", "Unit: count, t, kg, kg CO2e, EUR, % or 0/1."),
    ("action_line", "integer", "Number of the action line; empty: cross-cutting."),
    ("municipality_code", "string", "CBS code (GMxxxx); empty: the region total."),
    ("municipality", "string", "Name of the municipality; empty: the region total."),
    ("year", "integer", "Calendar year the value is for."),
    ("value", "number", "The value, rounded to the indicator's decimals."),
    ("source", "string", "Where the value comes from."),
    ("computed", "boolean", "true: computed from a module; false: entered by hand."),
    ("updated_at", "datetime", "When the value was last stored (ISO 8601, UTC)."),
)


def export_rows() -> list[dict[str, Any]]:
    rows = []
    for v in selectors.value_list(user=None).order_by(
        "indicator__order", "indicator__code", "year", "municipality__cbs_code"
    ):
        ind = v.indicator
        m = v.municipality
        rows.append(
            {
                "indicator": ind.code,
                "indicator_name": ind.name_nl,
                "unit": ind.unit,
                "action_line": ind.action_line.number if ind.action_line else None,
                "municipality_code": m.cbs_code if m else None,
                "municipality": m.name if m else None,
                "year": v.year,
                "value": round(v.value, ind.decimals),
                "source": v.source,
                "computed": v.is_computed,
                "updated_at": v.updated_at.isoformat().replace("+00:00", "Z"),
            }
        )
    return rows


def export_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([c[0] for c in COLUMNS])
    for row in export_rows():
        writer.writerow(
            [
                ("true" if row[c] else "false")
                if c == "computed"
                else ("" if row[c] is None else row[c])
                for c, _t, _d in COLUMNS
            ]
        )
    return buffer.getvalue()


def export_json() -> dict[str, Any]:
    return {"columns": [c[0] for c in COLUMNS], "values": export_rows()}


def data_dictionary() -> dict[str, Any]:
    return {
        "title": "Cirkelregio monitoring: indicator values",
        "licence": "CC0-1.0",
        "columns": [{"name": n, "type": t, "description": d} for n, t, d in COLUMNS],
        "indicators": [
            {
                "code": i.code,
                "name_nl": i.name_nl,
                "name_en": i.name_en,
                "definition_nl": i.definition_nl,
                "definition_en": i.definition_en,
                "unit": i.unit,
                "decimals": i.decimals,
                "direction": i.direction,
                "scope": i.scope,
                "action_line": i.action_line.number if i.action_line else None,
                "source_kind": i.source_kind,
                "source": i.source_nl,
                "target_value": i.target_value,
                "target_year": i.target_year,
                "target_source": i.target_source,
            }
            for i in selectors.indicator_list(user=None).order_by("order", "code")
        ],
    }


def data_dictionary_markdown() -> str:
    d = data_dictionary()
    lines = [f"# {d['title']}", "", "## Columns", "", "| column | type | meaning |"]
    lines.append("|---|---|---|")
    lines += [
        f"| {c['name']} | {c['type']} | {c['description']} |" for c in d["columns"]
    ]
    lines += ["", "## Indicators", ""]
    for i in d["indicators"]:
        lines.append(f"### {i['code']}: {i['name_en'] or i['name_nl']} ({i['unit']})")
        lines += ["", i["definition_en"] or i["definition_nl"], ""]
        lines.append(f"Source: {i['source']}")
        if i["target_value"] is not None:
            lines.append(
                f"Target: {i['target_value']:g} {i['unit']} by {i['target_year']} "
                f"({i['target_source']})"
            )
        lines.append("")
    return "\n".join(lines)
