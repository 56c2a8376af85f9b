# SPDX-License-Identifier: EUPL-1.2
"""Load a region's reference data from its folder (``data/regions/<code>/``).

Files: ``region.json``, ``municipalities.csv``, ``municipalities.geojson``,
``pc4_centroids.csv`` and ``action_lines.json``. Every file is read and checked before
anything is written; then everything is written in one transaction. Loading the same
files again changes nothing (idempotent).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from cirkelregio.engine.dataio import (
    Collector,
    Problem,
    Row,
    choice,
    integer,
    number,
    pattern,
    read_csv,
    read_json,
    text,
)
from cirkelregio.engine.geo import GeometryError, bounding_box, parse_boundary
from cirkelregio.regions.models import (
    ActionLine,
    Domain,
    LineActivity,
    Municipality,
    Organisation,
    OrganisationKind,
    Phase,
    PhaseDefinition,
    Postcode,
    Region,
    RStrategy,
    SubGoal,
)

CBS_CODE = pattern(r"GM\d{4}", "a CBS municipality code such as GM0344")
PC4 = pattern(r"[1-9]\d{3}", "a four-digit postcode")
LATITUDE = number(-90, 90)
LONGITUDE = number(-180, 180)


@dataclass
class ReferenceLoadReport:
    region: str
    municipalities: int = 0
    postcodes: int = 0
    action_lines: int = 0
    organisations_created: int = 0
    changes: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        return (
            f"Region {self.region}: {self.municipalities} municipalities, "
            f"{self.postcodes} postcode areas, {self.action_lines} action lines, "
            f"{self.organisations_created} organisations created."
        )


# Reading and checking ----------------------------------------------------------------


def _read_region(path: Path, c: Collector) -> dict[str, Any] | None:
    data = read_json(path, c)
    if data is None:
        return None
    if not isinstance(data, dict):
        c.add(Problem(path.name, "must hold one JSON object"))
        return None
    row = Row(path.name, data, c)
    region = {
        "code": row.get(
            "code", pattern(r"[a-z0-9-]+", "lower-case letters, digits, -")
        ),
        "name_nl": row.get("name_nl", text(200)),
        "name_en": row.get("name_en", text(200), required=False) or "",
        "cbs_code": row.get("cbs_code", text(10), required=False) or "",
        "alliance_name": row.get("alliance_name", text(200), required=False) or "",
        "municipality_organisation_prefix": row.get(
            "municipality_organisation_prefix", text(50), required=False
        )
        or "",
    }
    province = data.get("province_organisation")
    if province is not None:
        prow = Row(
            path.name,
            province if isinstance(province, dict) else {},
            c,
            record="province_organisation",
        )
        region["province_organisation"] = {
            "slug": prow.get("slug", pattern(r"[a-z0-9-]+", "a slug")),
            "name": prow.get("name", text(200)),
        }
    return region


MUNICIPALITY_COLUMNS = [
    "cbs_code",
    "name",
    "population",
    "population_year",
    "area_km2",
    "centroid_lat",
    "centroid_lon",
]


def _read_municipalities(path: Path, c: Collector) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for row in read_csv(path, MUNICIPALITY_COLUMNS, c):
        code = row.get("cbs_code", CBS_CODE)
        record = {
            "name": row.get("name", text(100)),
            "population": row.get("population", integer(0)),
            "population_year": row.get("population_year", integer(1800, 2200)),
            "area_km2": row.get("area_km2", number(0)),
            "centroid_lat": row.get("centroid_lat", LATITUDE),
            "centroid_lon": row.get("centroid_lon", LONGITUDE),
        }
        if code is None:
            continue
        if code in result:
            row.problem("cbs_code", f"duplicate municipality {code}")
            continue
        result[code] = record
    return result


def _read_boundaries(
    path: Path, municipalities: dict[str, dict[str, Any]], c: Collector
) -> dict[str, tuple[dict[str, Any], list[float]]]:
    data = read_json(path, c)
    boundaries: dict[str, tuple[dict[str, Any], list[float]]] = {}
    if data is None:
        return boundaries
    features = data.get("features") if isinstance(data, dict) else None
    if data.get("type") != "FeatureCollection" or not isinstance(features, list):
        c.add(Problem(path.name, "must be a GeoJSON FeatureCollection"))
        return boundaries
    for index, feature in enumerate(features):
        record = f"features[{index}]"
        properties = feature.get("properties") if isinstance(feature, dict) else None
        row = Row(path.name, properties or {}, c, record=record)
        code = row.get("cbs_code", CBS_CODE)
        if code is None:
            continue
        if code not in municipalities:
            row.problem(
                "cbs_code", f"unknown CBS code {code}: not in the municipalities file"
            )
            continue
        if code in boundaries:
            row.problem("cbs_code", f"a second boundary for {code}")
            continue
        geometry = feature.get("geometry")
        try:
            geom = parse_boundary(geometry or {})
        except GeometryError as exc:
            row.problem("geometry", str(exc))
            continue
        boundaries[code] = (geometry, bounding_box(geom))
    for code in municipalities:
        if code not in boundaries and not any(p.file == path.name for p in c.problems):
            c.add(Problem(path.name, f"no boundary for municipality {code}"))
    return boundaries


PC4_COLUMNS = ["pc4", "lat", "lon", "cbs_code", "population", "area_km2"]


def _read_postcodes(
    path: Path, municipalities: dict[str, dict[str, Any]], c: Collector
) -> dict[str, dict[str, Any]]:
    result: dict[str, dict[str, Any]] = {}
    for row in read_csv(path, PC4_COLUMNS, c):
        code = row.get("pc4", PC4)
        cbs = row.get("cbs_code", CBS_CODE, required=False)
        if cbs is not None and cbs not in municipalities:
            row.problem("cbs_code", f"unknown CBS code {cbs}")
        record = {
            "lat": row.get("lat", LATITUDE),
            "lon": row.get("lon", LONGITUDE),
            "cbs_code": cbs,
            "population": row.get("population", integer(0), required=False),
            "area_km2": row.get("area_km2", number(0), required=False),
        }
        if code is None:
            continue
        if code in result:
            row.problem("pc4", f"duplicate postcode {code}")
            continue
        result[code] = record
    return result


def _read_action_lines(path: Path, c: Collector) -> dict[str, Any] | None:
    data = read_json(path, c)
    if data is None:
        return None
    if not isinstance(data, dict):
        c.add(Problem(path.name, "must hold one JSON object"))
        return None
    out: dict[str, Any] = {"phases": [], "r_strategies": [], "action_lines": []}
    for i, item in enumerate(data.get("phases") or []):
        row = Row(path.name, item, c, record=f"phases[{i}]")
        out["phases"].append(
            {
                "code": row.get("code", choice(Phase.values)),
                "name_nl": row.get("name_nl", text(100)),
                "name_en": row.get("name_en", text(100), required=False) or "",
                "description_nl": row.get("description_nl", text(), required=False)
                or "",
                "description_en": row.get("description_en", text(), required=False)
                or "",
            }
        )
    strategy_codes: set[str] = set()
    for i, item in enumerate(data.get("r_strategies") or []):
        row = Row(path.name, item, c, record=f"r_strategies[{i}]")
        code = row.get("code", pattern(r"[a-z_]+", "a lower-case code"))
        if code:
            strategy_codes.add(code)
        out["r_strategies"].append(
            {
                "code": code,
                "rank": row.get("rank", integer(1, 20)),
                "name_nl": row.get("name_nl", text(200)),
                "name_en": row.get("name_en", text(200), required=False) or "",
                "description_nl": row.get("description_nl", text(), required=False)
                or "",
                "description_en": row.get("description_en", text(), required=False)
                or "",
            }
        )
    seen_slugs: set[str] = set()
    seen_numbers: set[int] = set()
    lines = data.get("action_lines")
    if not isinstance(lines, list) or not lines:
        c.add(Problem(path.name, "needs a non-empty list 'action_lines'"))
        return out
    for i, item in enumerate(lines):
        record = f"action_lines[{i}]"
        row = Row(path.name, item if isinstance(item, dict) else {}, c, record=record)
        slug = row.get("slug", pattern(r"[a-z0-9-]+", "a slug"))
        line_number = row.get("number", integer(1, 99), required=False)
        if slug in seen_slugs:
            row.problem("slug", f"duplicate action line {slug}")
        if line_number is not None and line_number in seen_numbers:
            row.problem("number", f"duplicate action line number {line_number}")
        seen_slugs.add(slug or "")
        if line_number is not None:
            seen_numbers.add(line_number)
        strategies = item.get("r_strategies", []) if isinstance(item, dict) else []
        for code in strategies:
            if code not in strategy_codes:
                row.problem("r_strategies", f"unknown R-ladder strategy {code!r}")
        subgoals = []
        for j, sub in enumerate(item.get("subgoals") or []):
            srow = Row(path.name, sub, c, record=f"{record}.subgoals[{j}]")
            subgoals.append(
                {
                    "text_nl": srow.get("nl", text()),
                    "text_en": srow.get("en", text(), required=False) or "",
                }
            )
        activities = []
        for j, act in enumerate(item.get("activities") or []):
            arow = Row(path.name, act, c, record=f"{record}.activities[{j}]")
            activities.append(
                {
                    "title_nl": arow.get("title_nl", text(300)),
                    "text_nl": arow.get("text_nl", text(), required=False) or "",
                }
            )
        intro = item.get("introduction_nl") or []
        if not isinstance(intro, list) or not all(isinstance(p, str) for p in intro):
            row.problem("introduction_nl", "must be a list of paragraphs")
            intro = []
        out["action_lines"].append(
            {
                "slug": slug,
                "number": line_number,
                "domain": row.get("domain", choice(Domain.values)),
                "name_nl": row.get("name_nl", text(200)),
                "name_en": row.get("name_en", text(200), required=False) or "",
                "quote_nl": row.get("quote_nl", text(), required=False) or "",
                "quote_en": row.get("quote_en", text(), required=False) or "",
                "summary_nl": row.get("summary_nl", text(), required=False) or "",
                "summary_en": row.get("summary_en", text(), required=False) or "",
                "introduction_nl": "\n\n".join(intro),
                "main_goal_nl": row.get("main_goal_nl", text(), required=False) or "",
                "main_goal_en": row.get("main_goal_en", text(), required=False) or "",
                "r_strategies": list(strategies),
                "subgoals": subgoals,
                "activities": activities,
            }
        )
    return out


# Writing ---------------------------------------------------------------------------


def _upsert(
    model: Any, lookup: dict[str, Any], values: dict[str, Any]
) -> tuple[Any, bool]:
    """Create or update; save only when something differs (a quiet audit log)."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        return model.objects.create(**lookup, **values), True
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    if changed:
        instance.save()
    return instance, False


def _sync_children(
    model: Any, parent_field: str, parent: Any, items: list[dict[str, Any]]
) -> None:
    for order, values in enumerate(items, start=1):
        _upsert(model, {parent_field: parent, "order": order}, values)
    model.objects.filter(**{parent_field: parent, "order__gt": len(items)}).delete()


def reference_data_load(*, directory: Path) -> ReferenceLoadReport:
    """Load or update a region from its folder. All or nothing."""
    c = Collector()
    directory = Path(directory)
    if not directory.is_dir():
        c.add(Problem(str(directory), "is not a folder"))
        c.raise_if_any()
    region_data = _read_region(directory / "region.json", c)
    municipalities = _read_municipalities(directory / "municipalities.csv", c)
    boundaries = _read_boundaries(
        directory / "municipalities.geojson", municipalities, c
    )
    postcodes = _read_postcodes(directory / "pc4_centroids.csv", municipalities, c)
    lines = _read_action_lines(directory / "action_lines.json", c)
    c.raise_if_any()
    assert region_data is not None and lines is not None

    with transaction.atomic():
        return _write(region_data, municipalities, boundaries, postcodes, lines)


def _write(
    region_data: dict[str, Any],
    municipalities: dict[str, dict[str, Any]],
    boundaries: dict[str, tuple[dict[str, Any], list[float]]],
    postcodes: dict[str, dict[str, Any]],
    lines: dict[str, Any],
) -> ReferenceLoadReport:
    region, _ = _upsert(
        Region,
        {"code": region_data["code"]},
        {
            k: region_data[k]
            for k in ("name_nl", "name_en", "cbs_code", "alliance_name")
        },
    )
    report = ReferenceLoadReport(region=region.code)
    prefix = region_data.get("municipality_organisation_prefix") or ""
    by_code: dict[str, Municipality] = {}
    for code, values in municipalities.items():
        geometry, bbox = boundaries[code]
        municipality, _ = _upsert(
            Municipality,
            {"cbs_code": code},
            {
                **values,
                "region": region,
                "slug": slugify(values["name"]),
                "boundary": geometry,
                "bbox": bbox,
            },
        )
        by_code[code] = municipality
        org_name = f"{prefix} {municipality.name}".strip()
        existing = Organisation.objects.filter(
            kind=OrganisationKind.MUNICIPALITY, municipality=municipality
        ).first()
        if existing is None:
            Organisation.objects.create(
                slug=slugify(org_name),
                name=org_name,
                kind=OrganisationKind.MUNICIPALITY,
                municipality=municipality,
            )
            report.organisations_created += 1
    report.municipalities = len(by_code)

    province = region_data.get("province_organisation")
    if province and not Organisation.objects.filter(slug=province["slug"]).exists():
        Organisation.objects.create(
            slug=province["slug"], name=province["name"], kind=OrganisationKind.PROVINCE
        )
        report.organisations_created += 1

    existing_pc = {p.code: p for p in Postcode.objects.all()}
    to_create, to_update = [], []
    fields = ["lat", "lon", "municipality", "population", "area_km2"]
    for code, values in postcodes.items():
        municipality = by_code.get(values["cbs_code"]) if values["cbs_code"] else None
        new = {
            "lat": values["lat"],
            "lon": values["lon"],
            "municipality": municipality,
            "population": values["population"],
            "area_km2": values["area_km2"],
        }
        current = existing_pc.get(code)
        if current is None:
            to_create.append(Postcode(code=code, **new))
        elif any(getattr(current, f) != v for f, v in new.items()):
            for f, v in new.items():
                setattr(current, f, v)
            to_update.append(current)
    Postcode.objects.bulk_create(to_create, batch_size=1000)
    Postcode.objects.bulk_update(to_update, fields, batch_size=1000)
    report.postcodes = len(postcodes)

    for phase in lines["phases"]:
        _upsert(
            PhaseDefinition,
            {"code": phase["code"]},
            {k: v for k, v in phase.items() if k != "code"},
        )
    strategies = {}
    for strategy in lines["r_strategies"]:
        strategies[strategy["code"]], _ = _upsert(
            RStrategy,
            {"code": strategy["code"]},
            {k: v for k, v in strategy.items() if k != "code"},
        )
    for item in lines["action_lines"]:
        values = {
            k: v
            for k, v in item.items()
            if k not in {"slug", "r_strategies", "subgoals", "activities"}
        }
        line, _ = _upsert(ActionLine, {"region": region, "slug": item["slug"]}, values)
        wanted = {strategies[code].pk for code in item["r_strategies"]}
        if set(line.r_strategies.values_list("pk", flat=True)) != wanted:
            line.r_strategies.set(wanted)
        _sync_children(SubGoal, "action_line", line, item["subgoals"])
        _sync_children(LineActivity, "action_line", line, item["activities"])
    report.action_lines = len(lines["action_lines"])
    return report
