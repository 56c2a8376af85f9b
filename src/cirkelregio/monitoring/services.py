# SPDX-License-Identifier: EUPL-1.2
"""Writes to the monitoring models: loading the indicator definitions, computing the
computed indicators from the other modules (all or nothing), and entering values by
hand, one at a time or from a CSV file (all or nothing)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cirkelregio.engine.dataio import Collector, DataLoadError, Problem
from cirkelregio.monitoring import sources
from cirkelregio.monitoring.models import (
    FIRST_YEAR,
    NON_NEGATIVE_UNITS,
    WHOLE_UNITS,
    Indicator,
    IndicatorValue,
    Scope,
    SourceKind,
    Unit,
)
from cirkelregio.regions import selectors as regions

__all__ = [
    "INDICATOR_COLUMNS",
    "VALUE_COLUMNS",
    "ComputeReport",
    "ComputeError",
    "DataLoadError",
    "indicators_compute",
    "indicators_load",
    "value_enter",
    "check_value",
    "values_import",
]

INDICATOR_COLUMNS = (
    "code",
    "order",
    "action_line",
    "name_nl",
    "name_en",
    "definition_nl",
    "definition_en",
    "unit",
    "min_value",
    "max_value",
    "decimals",
    "direction",
    "scope",
    "source_kind",
    "source_function",
    "source_nl",
    "target_value",
    "target_year",
    "target_source",
    "is_published",
)
VALUE_COLUMNS = ("indicator", "municipality", "year", "value", "source", "note")
REQUIRED_VALUE_COLUMNS = ("indicator", "municipality", "year", "value", "source")
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def _today() -> dt.date:
    return timezone.localdate()


def _is_coordinator(user: Any) -> bool:
    return user is None or bool(getattr(user, "is_coordinator", False))


# Indicator definitions ----------------------------------------------------------


def _float(raw: str) -> float | None:
    raw = raw.strip()
    return float(raw) if raw else None


def _int(raw: str) -> int | None:
    raw = raw.strip()
    return int(raw) if raw else None


def indicators_load(*, path: Path | None = None) -> int:
    """Create or update the indicators of the data file (default
    ``data/monitoring/indicators.csv``), all or nothing; returns how many. Checks
    every row (a computed indicator's function must exist, a target needs its year
    and source) before writing."""
    path = path or Path(settings.DATA_DIR) / "monitoring" / "indicators.csv"
    c = Collector()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise DataLoadError(
            [Problem(path.name, f"cannot be read ({exc.strerror})")]
        ) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [col for col in INDICATOR_COLUMNS if col not in (reader.fieldnames or [])]
    if missing:
        raise DataLoadError(
            [Problem(path.name, "missing columns: " + ", ".join(missing), 1)]
        )
    lines = {ln.slug: ln for ln in regions.action_line_list()}
    parsed: list[tuple[Indicator, int]] = []
    for record in reader:
        n = reader.line_num
        try:
            line_slug = record["action_line"].strip()
            if line_slug and line_slug not in lines:
                raise ValueError(f"unknown action line {line_slug!r}")
            ind = Indicator(
                code=record["code"].strip(),
                order=int(record["order"]),
                action_line=lines.get(line_slug),
                name_nl=record["name_nl"],
                name_en=record["name_en"],
                definition_nl=record["definition_nl"],
                definition_en=record["definition_en"],
                unit=record["unit"],
                min_value=_float(record["min_value"]),
                max_value=_float(record["max_value"]),
                decimals=int(record["decimals"] or 0),
                direction=record["direction"],
                scope=record["scope"],
                source_kind=record["source_kind"],
                source_function=record["source_function"].strip(),
                source_nl=record["source_nl"],
                target_value=_float(record["target_value"]),
                target_year=_int(record["target_year"]),
                target_source=record["target_source"],
                is_published=record["is_published"].strip() in ("1", "true", "yes"),
            )
            ind.full_clean(exclude={"code"}, validate_unique=False)
            if (
                ind.source_kind == SourceKind.COMPUTED
                and ind.source_function not in sources.SOURCES
            ):
                raise ValueError(f"unknown source function {ind.source_function!r}")
        except (ValueError, ValidationError) as exc:
            message = (
                "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
                if isinstance(exc, ValidationError) and hasattr(exc, "error_dict")
                else str(exc)
            )
            c.add(Problem(path.name, message, n, record.get("code")))
            continue
        parsed.append((ind, n))
    c.raise_if_any()
    with transaction.atomic():
        existing = {i.code: i for i in Indicator.objects.all()}
        for ind, _n in parsed:
            old = existing.get(ind.code)
            if old is not None:
                ind.pk = old.pk
                ind.created_at = old.created_at
            ind.save()
    return len(parsed)


# Computed values -----------------------------------------------------------------


class ComputeError(Exception):
    """A source failed or gave a value its indicator refuses; nothing was written."""


@dataclass
class ComputeReport:
    year: int
    values: dict[str, int] = field(default_factory=dict)
    """Indicator code -> values stored."""
    removed: int = 0


def _range_problem(indicator: Indicator, value: float) -> str | None:
    """Why ``value`` does not fit the indicator's unit and range, or None."""
    if not math.isfinite(value):
        return _("The value is not a finite number.")
    if indicator.unit in NON_NEGATIVE_UNITS and value < 0:
        return _("A value in %(unit)s cannot be negative.") % {"unit": indicator.unit}
    if indicator.unit in WHOLE_UNITS and value != int(value):
        return _("A value in %(unit)s is a whole number.") % {"unit": indicator.unit}
    if indicator.unit == Unit.YES_NO and value not in (0, 1):
        return _("A yes/no value is 0 or 1.")
    if indicator.unit == Unit.PERCENT and value > 100:
        return _("A percentage is at most 100.")
    if indicator.min_value is not None and value < indicator.min_value:
        return _("The value is below the indicator's minimum of %(min)s.") % {
            "min": indicator.min_value
        }
    if indicator.max_value is not None and value > indicator.max_value:
        return _("The value is above the indicator's maximum of %(max)s.") % {
            "max": indicator.max_value
        }
    return None


def indicators_compute(
    *,
    years: Iterable[int] | None = None,
    codes: Iterable[str] | None = None,
    today: dt.date | None = None,
) -> ComputeReport:
    """Recompute the computed indicators (``codes``: only these; ``years``: only the
    values of these years) from the other modules and replace their computed values,
    in one transaction: when a source fails or gives a value its indicator refuses,
    ComputeError is raised and nothing is replaced. Values entered by hand are never
    touched (a computed indicator has none: ``value_enter`` refuses them)."""
    today = today or _today()
    ctx = sources.Context(year=today.year)
    indicators = Indicator.objects.filter(source_kind=SourceKind.COMPUTED)
    if codes is not None:
        codes = list(codes)
        indicators = indicators.filter(code__in=codes)
        unknown = set(codes) - set(indicators.values_list("code", flat=True))
        if unknown:
            raise ComputeError(
                _("Unknown computed indicators: %(codes)s")
                % {"codes": ", ".join(sorted(unknown))}
            )
    wanted = set(years) if years is not None else None
    municipalities = set(regions.municipality_list().values_list("pk", flat=True))
    now = timezone.now()
    new: list[IndicatorValue] = []
    report = ComputeReport(year=today.year)
    for indicator in indicators:
        function = sources.SOURCES.get(indicator.source_function)
        if function is None:
            raise ComputeError(
                _("Indicator %(code)s: no source function %(name)s.")
                % {"code": indicator.code, "name": indicator.source_function}
            )
        try:
            values = function(ctx)
        except Exception as exc:
            raise ComputeError(
                _("Indicator %(code)s: the source failed (%(error)s).")
                % {"code": indicator.code, "error": exc}
            ) from exc
        stored = 0
        for (m_id, year), raw in sorted(
            values.items(), key=lambda kv: (kv[0][1], kv[0][0] or 0)
        ):
            if wanted is not None and year not in wanted:
                continue
            if not FIRST_YEAR <= year <= today.year:
                # Monitoring shows what happened: a plan's or a coming event's
                # later years appear when they come; older data is out of scope.
                continue
            if m_id is not None and (
                indicator.scope == Scope.REGION or m_id not in municipalities
            ):
                continue
            value = round(float(raw), indicator.decimals)
            problem = _range_problem(indicator, value)
            if problem is not None:
                raise ComputeError(
                    _("Indicator %(code)s, %(where)s, %(year)s: %(problem)s")
                    % {
                        "code": indicator.code,
                        "where": m_id or _("region"),
                        "year": year,
                        "problem": problem,
                    }
                )
            new.append(
                IndicatorValue(
                    indicator=indicator,
                    municipality_id=m_id,
                    year=year,
                    value=value,
                    source=indicator.source_nl,
                    is_computed=True,
                    computed_at=now,
                )
            )
            stored += 1
        report.values[indicator.code] = stored
    with transaction.atomic():
        old = IndicatorValue.objects.filter(indicator__in=indicators, is_computed=True)
        if wanted is not None:
            old = old.filter(year__in=wanted)
        report.removed, _detail = old.delete()
        IndicatorValue.objects.bulk_create(new, batch_size=1000)
    return report


# Values entered by hand ----------------------------------------------------------


def _check_value(
    *,
    indicator: Indicator,
    municipality: Any,
    year: Any,
    value: Any,
    source: str,
    today: dt.date,
) -> tuple[dict[str, str], float | None, int | None]:
    errors: dict[str, str] = {}
    if indicator.source_kind == SourceKind.COMPUTED:
        errors["indicator"] = _(
            "This indicator is computed from a module; its values cannot be entered "
            "by hand."
        )
    if municipality is not None and indicator.scope == Scope.REGION:
        errors["municipality"] = _(
            "This indicator has values for the region only: leave the municipality "
            "empty."
        )
    number: float | None = None
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors["value"] = _("Enter a number.")
    if number is not None:
        problem = _range_problem(indicator, number)
        if problem is not None:
            errors["value"] = problem
            number = None
    year_n: int | None = None
    try:
        year_n = int(year)
        if str(year).strip() != str(year_n):
            raise ValueError
    except (TypeError, ValueError):
        errors["year"] = _("Enter a year such as 2025.")
    if year_n is not None:
        if year_n > today.year:
            errors["year"] = _("The year %(year)s is in the future.") % {"year": year_n}
        elif year_n < FIRST_YEAR:
            errors["year"] = _("Values start in %(first)s.") % {"first": FIRST_YEAR}
    if not (source or "").strip():
        errors["source"] = _("Give the source of the value (publication, register).")
    return errors, number, year_n


def check_value(
    *,
    indicator: Indicator,
    municipality: Any,
    year: Any,
    value: Any,
    source: str,
    today: dt.date | None = None,
) -> None:
    """The checks of ``value_enter`` without storing: ValidationError by field."""
    errors, _n, _y = _check_value(
        indicator=indicator,
        municipality=municipality,
        year=year,
        value=value,
        source=source,
        today=today or _today(),
    )
    if errors:
        raise ValidationError(errors)


def value_enter(
    *,
    user: Any,
    indicator: Indicator,
    municipality: Any,
    year: int,
    value: float,
    source: str,
    note: str = "",
    today: dt.date | None = None,
) -> IndicatorValue:
    """Enter (or correct) the value of an indicator entered by hand for a
    municipality (None: the region) and a year. Coordinators only. Raises
    ValidationError naming the field: a computed indicator, a value outside the
    unit or range, a year in the future, no source."""
    if not _is_coordinator(user):
        raise PermissionDenied(_("Only coordinators enter indicator values."))
    errors, number, year_n = _check_value(
        indicator=indicator,
        municipality=municipality,
        year=year,
        value=value,
        source=source,
        today=today or _today(),
    )
    if errors:
        raise ValidationError(errors)
    assert number is not None and year_n is not None
    return _store(indicator, municipality, year_n, number, source, note, user)


def _store(
    indicator: Indicator,
    municipality: Any,
    year: int,
    value: float,
    source: str,
    note: str,
    user: Any,
) -> IndicatorValue:
    row, _created = IndicatorValue.objects.update_or_create(
        indicator=indicator,
        municipality=municipality,
        year=year,
        defaults={
            "value": round(value, indicator.decimals),
            "source": source.strip(),
            "note": note,
            "is_computed": False,
            "computed_at": None,
            "entered_by": user if getattr(user, "pk", None) else None,
        },
    )
    return row


def values_import(
    *,
    user: Any,
    content: bytes,
    file_name: str = "values.csv",
    today: dt.date | None = None,
) -> int:
    """Enter the values of a CSV file (columns ``indicator`` (code),
    ``municipality`` (CBS code or slug; empty for the region), ``year``, ``value``,
    ``source``, ``note``), all or nothing: DataLoadError lists every problem by line
    and field, and nothing is written when there is one. Returns the rows stored."""
    if not _is_coordinator(user):
        raise PermissionDenied(_("Only coordinators enter indicator values."))
    name = Path(file_name or "values.csv").name[:255] or "values.csv"
    today = today or _today()
    c = Collector()
    if len(content) > MAX_IMPORT_BYTES:
        raise DataLoadError([Problem(name, "is larger than 5 MB")])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DataLoadError([Problem(name, "is not UTF-8 text")]) from None
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    missing = [col for col in REQUIRED_VALUE_COLUMNS if col not in header]
    if missing:
        raise DataLoadError(
            [Problem(name, "missing columns: " + ", ".join(missing), 1)]
        )
    indicators = {i.code: i for i in Indicator.objects.all()}
    by_code: dict[str, Any] = {}
    for m in regions.municipality_list():
        by_code[m.cbs_code] = m
        by_code[m.slug] = m
    rows: list[tuple[Indicator, Any, int, float, str, str]] = []
    seen: set[tuple[str, Any, int]] = set()
    for record in reader:
        line = reader.line_num
        code = (record.get("indicator") or "").strip()
        indicator = indicators.get(code)
        if indicator is None:
            c.add(Problem(name, f"unknown indicator {code!r}", line, None, "indicator"))
            continue
        m_raw = (record.get("municipality") or "").strip()
        municipality = by_code.get(m_raw) if m_raw else None
        if m_raw and municipality is None:
            c.add(
                Problem(
                    name, f"unknown municipality {m_raw!r}", line, code, "municipality"
                )
            )
            continue
        errors, number, year = _check_value(
            indicator=indicator,
            municipality=municipality,
            year=record.get("year"),
            value=record.get("value"),
            source=record.get("source") or "",
            today=today,
        )
        for field_name, message in errors.items():
            c.add(Problem(name, str(message), line, code, field_name))
        if errors:
            continue
        assert number is not None and year is not None
        key = (code, getattr(municipality, "pk", None), year)
        if key in seen:
            c.add(Problem(name, "the same value appears twice", line, code, "year"))
            continue
        seen.add(key)
        rows.append(
            (
                indicator,
                municipality,
                year,
                number,
                record["source"],
                record.get("note") or "",
            )
        )
    if not rows and not c.problems:
        c.add(Problem(name, "holds no values"))
    c.raise_if_any()
    with transaction.atomic():
        for indicator, municipality, year, number, source, note in rows:
            _store(indicator, municipality, year, number, source, note, user)
    return len(rows)
