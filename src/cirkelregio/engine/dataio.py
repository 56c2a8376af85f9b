# SPDX-License-Identifier: EUPL-1.2
"""Reading open data files (CSV, JSON) with messages that name the file, the line (or
JSON record) and the field of every problem. Readers collect all problems first, so a
loader can write nothing unless there are none."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO, TypeVar

T = TypeVar("T")

MAX_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    line: int | None = None
    record: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.record:
            where.append(self.record)
        if self.field:
            where.append(f"field '{self.field}'")
        return f"{', '.join(where)}: {self.message}"


class DataLoadError(Exception):
    """One or more problems in the input; nothing was written."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(self.summary())

    def summary(self) -> str:
        lines = [str(p) for p in self.problems[:MAX_PROBLEMS]]
        if len(self.problems) > MAX_PROBLEMS:
            lines.append(f"... and {len(self.problems) - MAX_PROBLEMS} more problems")
        return "\n".join(lines)


class FieldError(ValueError):
    """Raised by a parser; the collector adds where it happened."""


@dataclass
class Collector:
    problems: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def raise_if_any(self) -> None:
        if self.problems:
            raise DataLoadError(self.problems)


@dataclass
class Row:
    """One record of a file, with parsers that report problems to the collector."""

    file: str
    data: dict[str, Any]
    collector: Collector
    line: int | None = None
    record: str | None = None

    def problem(self, field_name: str | None, message: str) -> None:
        self.collector.add(
            Problem(self.file, message, self.line, self.record, field_name)
        )

    def get(
        self, name: str, parse: Callable[[Any], T], *, required: bool = True
    ) -> T | None:
        raw = self.data.get(name)
        if raw is None or (isinstance(raw, str) and raw.strip() == ""):
            if required:
                self.problem(name, "a value is required")
            return None
        try:
            return parse(raw.strip() if isinstance(raw, str) else raw)
        except FieldError as exc:
            self.problem(name, f"{exc} (got {raw!r})")
            return None


def read_csv(
    path: Path, required_columns: Sequence[str], collector: Collector
) -> Iterator[Row]:
    """Rows of a UTF-8 CSV file; the header is line 1, the first record line 2."""
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        collector.add(Problem(path.name, f"cannot be read ({exc.strerror})"))
        return
    with handle:
        yield from _csv_rows(handle, path.name, required_columns, collector)


def read_csv_bytes(
    content: bytes, name: str, required_columns: Sequence[str], collector: Collector
) -> Iterator[Row]:
    """Rows of an uploaded UTF-8 CSV file named ``name``, as :func:`read_csv`; rows
    with only empty cells are skipped."""
    try:
        decoded = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        collector.add(Problem(name, "is not UTF-8 text"))
        return
    yield from _csv_rows(
        io.StringIO(decoded, newline=""),
        name,
        required_columns,
        collector,
        skip_blank=True,
    )


def _csv_rows(
    handle: TextIO,
    name: str,
    required_columns: Sequence[str],
    collector: Collector,
    *,
    skip_blank: bool = False,
) -> Iterator[Row]:
    reader = csv.DictReader(handle)
    try:
        header = reader.fieldnames or []
    except (csv.Error, UnicodeDecodeError) as exc:
        collector.add(Problem(name, f"is not a readable CSV file ({exc})", 1))
        return
    missing = [c for c in required_columns if c not in header]
    if missing:
        collector.add(Problem(name, "missing columns: " + ", ".join(missing), 1))
        return
    try:
        for record in reader:
            if None in record:
                collector.add(
                    Problem(name, "more values than columns", reader.line_num)
                )
                continue
            if skip_blank and all(not (v or "").strip() for v in record.values()):
                continue
            yield Row(name, dict(record), collector, line=reader.line_num)
    except (csv.Error, UnicodeDecodeError) as exc:
        collector.add(
            Problem(name, f"is not a readable CSV file ({exc})", reader.line_num)
        )


def xlsx_to_csv(content: bytes, name: str, collector: Collector) -> bytes | None:
    """The first sheet of an uploaded XLSX workbook as UTF-8 CSV for
    :func:`read_csv_bytes`: one CSV line per sheet row, so line numbers are row
    numbers; rows without any value become empty lines, every other row gets as
    many cells as the header. A date cell becomes YYYY-MM-DD (with its time only
    when it has one)."""
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError) as exc:
        collector.add(Problem(name, f"is not a readable XLSX file ({exc})"))
        return None
    try:
        sheet = book.worksheets[0] if book.worksheets else None
        if sheet is None:
            collector.add(Problem(name, "has no sheet"))
            return None
        rows: list[list[str]] = []
        for row in sheet.iter_rows(values_only=True):
            cells = [_cell_text(v) for v in row]
            while cells and cells[-1] == "":
                cells.pop()
            rows.append(cells)
    finally:
        book.close()
    width = len(rows[0]) if rows else 0
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for cells in rows:
        if not cells:
            buffer.write("\n")
            continue
        writer.writerow(cells + [""] * (width - len(cells)))
    return buffer.getvalue().encode("utf-8")


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def read_json(path: Path, collector: Collector) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)
    except OSError as exc:
        collector.add(Problem(path.name, f"cannot be read ({exc.strerror})"))
    except json.JSONDecodeError as exc:
        collector.add(Problem(path.name, f"is not valid JSON ({exc.msg})", exc.lineno))
    except UnicodeDecodeError:
        collector.add(Problem(path.name, "is not UTF-8 text"))
    return None


# Parsers -----------------------------------------------------------------------------


def integer(
    minimum: int | None = None, maximum: int | None = None
) -> Callable[[Any], int]:
    def parse(raw: Any) -> int:
        if isinstance(raw, bool):
            raise FieldError("must be a whole number")
        try:
            value = int(raw) if isinstance(raw, int) else int(str(raw), 10)
        except ValueError:
            raise FieldError("must be a whole number") from None
        if minimum is not None and value < minimum:
            raise FieldError(f"must be at least {minimum}")
        if maximum is not None and value > maximum:
            raise FieldError(f"must be at most {maximum}")
        return value

    return parse


def number(
    minimum: float | None = None, maximum: float | None = None
) -> Callable[[Any], float]:
    def parse(raw: Any) -> float:
        if isinstance(raw, bool):
            raise FieldError("must be a number")
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise FieldError("must be a number") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise FieldError("must be a finite number")
        if minimum is not None and value < minimum:
            raise FieldError(f"must be at least {minimum}")
        if maximum is not None and value > maximum:
            raise FieldError(f"must be at most {maximum}")
        return value

    return parse


def date(raw: Any) -> dt.date:
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise FieldError("must be a date YYYY-MM-DD") from None


def text(max_length: int | None = None) -> Callable[[Any], str]:
    def parse(raw: Any) -> str:
        if not isinstance(raw, str):
            raise FieldError("must be text")
        if max_length is not None and len(raw) > max_length:
            raise FieldError(f"must be at most {max_length} characters")
        return raw

    return parse


def choice(options: Sequence[str]) -> Callable[[Any], str]:
    def parse(raw: Any) -> str:
        if raw not in options:
            raise FieldError("must be one of " + ", ".join(options))
        return str(raw)

    return parse


def pattern(regex: str, description: str) -> Callable[[Any], str]:
    compiled = re.compile(regex)

    def parse(raw: Any) -> str:
        if not isinstance(raw, str) or not compiled.fullmatch(raw):
            raise FieldError(f"must be {description}")
        return raw

    return parse


def boolean(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    value = str(raw).strip().lower()
    if value in {"true", "1", "yes"}:
        return True
    if value in {"false", "0", "no"}:
        return False
    raise FieldError("must be true or false")


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Let ``write`` fill a temporary file beside ``path``, then move it into place:
    a failure never leaves a half-written output, and an existing file stays as it
    was until the new one is complete."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(
        dir=target.resolve().parent, prefix=".tmp-", suffix=target.suffix
    )
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_text_atomically(path: Path, text: str) -> None:
    write_atomically(path, lambda p: p.write_text(text, encoding="utf-8", newline=""))


def emit_text(text: str, output: Path | None, stdout: TextIO) -> None:
    """A command's text result: to ``output`` (atomically) or to standard output."""
    if output is None:
        stdout.write(text)
    else:
        write_text_atomically(output, text)
