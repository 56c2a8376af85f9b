# SPDX-License-Identifier: EUPL-1.2
"""A JSON export and import of all data of the platform (docs/operations.md).

The file holds a header (format version, the platform and Django versions, the
applied migrations per app, when it was written, and the number of rows per model)
and the rows of every model in Django's serialisation format, in dependency order:
what a row refers to comes before it. References to content types, permissions,
groups and users are written as natural keys, so that a file can be imported into a
database where those rows have other ids; every row keeps its own primary key.

Included: every model of the platform's apps, the user accounts (with their password
hashes, so that a restore gives working accounts; the file is therefore
confidential), groups, the admin's history and the audit log. Left out: sessions
(everyone signs in again), the sign-in attempts of django-axes, and content types and
permissions (``migrate`` creates them). Uploaded files (listing photos under
``MEDIA_ROOT``) are not in the file: only their names are.

The import runs in one transaction: all rows or none. It refuses a file whose
migration state differs from the database's, a file whose rows do not match its
header's counts, and a database that already holds data, unless asked to replace it.
"""

from __future__ import annotations

import gzip
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, datetime, time
from pathlib import Path
from typing import IO, Any

import django
from django.apps import apps
from django.core import serializers
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    connections,
    models,
    transaction,
)
from django.db.migrations.recorder import MigrationRecorder

import cirkelregio

FORMAT = "cirkelregio-backup"
FORMAT_VERSION = 1

EXCLUDED_APPS = {"sessions", "axes", "contenttypes"}
EXCLUDED_MODELS = {"auth.permission"}
# Rows that ``migrate`` itself creates (data migrations): a freshly migrated database
# that holds only these counts as empty. The import replaces them.
SEEDED_BY_MIGRATIONS = {"repair.repaircategory"}


class _Encoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (Django's rounds them to
    milliseconds, which would change every ``auto_now`` value on a round trip)."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


class BackupError(Exception):
    """The file cannot be imported (the message says why); nothing was changed."""


def backup_models() -> list[type[models.Model]]:
    """The models whose rows a backup holds, in dependency order."""
    chosen = [
        model
        for model in apps.get_models()
        if model._meta.app_label not in EXCLUDED_APPS
        and model._meta.label_lower not in EXCLUDED_MODELS
        and model._meta.managed
        and not model._meta.proxy
    ]
    return _dependency_order(chosen)


def _dependency_order(chosen: list[type[models.Model]]) -> list[type[models.Model]]:
    """Models ordered so that a model comes after the models its foreign keys and
    many-to-many fields point to (a cycle keeps the installed order)."""
    members = set(chosen)
    ordered: list[type[models.Model]] = []
    visiting: set[type[models.Model]] = set()
    done: set[type[models.Model]] = set()

    def visit(model: type[models.Model]) -> None:
        if model in done or model in visiting:
            return
        visiting.add(model)
        for field in model._meta.get_fields():
            if (field.many_to_one or field.one_to_one or field.many_to_many) and (
                field.concrete
            ):
                target = field.related_model
                if target in members and target is not model:
                    visit(target)  # type: ignore[arg-type]
        visiting.discard(model)
        done.add(model)
        ordered.append(model)

    for model in chosen:
        visit(model)
    return ordered


def migration_state(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    """The applied migrations per app, sorted."""
    state: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connections[using]).applied_migrations():
        state.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


def _open(path: Path, mode: str, *, compressed: bool | None = None) -> IO[str]:
    if path.suffix == ".gz" if compressed is None else compressed:
        return gzip.open(path, mode + "t", encoding="utf-8")  # type: ignore[return-value]
    return path.open(mode, encoding="utf-8")


def _rows(
    model: type[models.Model], using: str
) -> Iterator[dict[str, Any]]:  # pragma: no branch
    queryset = model._default_manager.using(using).order_by("pk")
    if model._meta.many_to_many:
        queryset = queryset.prefetch_related(
            *(field.name for field in model._meta.many_to_many)
        )
    yield from serializers.serialize(
        "python",
        queryset.iterator(chunk_size=2000),
        use_natural_foreign_keys=True,
        use_natural_primary_keys=False,
    )


def export(path: Path, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Write all data to ``path`` (gzip-compressed when it ends in ``.gz``) and
    return the number of rows per model. Read in one repeatable snapshot where the
    database offers one (PostgreSQL), so that the rows agree with each other."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"
                )
        chosen = backup_models()
        counts = {
            model._meta.label: model._default_manager.using(using).count()
            for model in chosen
        }
        header = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": datetime.now(UTC).isoformat(),
            "cirkelregio_version": cirkelregio.__version__,
            "django_version": django.get_version(),
            "database": connection.vendor,
            "migrations": migration_state(using),
            "counts": counts,
        }
        tmp = path.with_name(path.name + ".partial")
        with _open(tmp, "w", compressed=path.suffix == ".gz") as out:
            head = json.dumps(header, indent=1, ensure_ascii=False)
            out.write(head[:-2] + ',\n "objects": [')
            first = True
            for model in chosen:
                for row in _rows(model, using):
                    out.write("\n" if first else ",\n")
                    out.write(json.dumps(row, cls=_Encoder, ensure_ascii=False))
                    first = False
            out.write("\n ]\n}\n")
        tmp.replace(path)
    return counts


def read(path: Path) -> dict[str, Any]:
    """The parsed file; ``BackupError`` when it is not a complete backup file."""
    try:
        with _open(path, "r") as source:
            data = json.load(source)
    except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{path} is not a readable backup file: {error}") from error
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{path} is not a Cirkelregio backup file.")
    if data.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            f"{path} has format version {data.get('format_version')}; this version "
            f"of Cirkelregio reads version {FORMAT_VERSION}."
        )
    objects = data.get("objects")
    counts = data.get("counts")
    if not isinstance(objects, list) or not isinstance(counts, dict):
        raise BackupError(f"{path} is incomplete: it has no objects or no counts.")
    found = Counter(str(row.get("model", "")).lower() for row in objects)
    expected = {label.lower(): n for label, n in counts.items() if n}
    if dict(found) != expected:
        differences = sorted(
            f"{label}: {found.get(label, 0)} rows, header says {expected.get(label, 0)}"
            for label in set(found) | set(expected)
            if found.get(label, 0) != expected.get(label, 0)
        )
        raise BackupError(
            f"{path} is incomplete or altered: " + "; ".join(differences[:10])
        )
    return data


def check_migrations(data: dict[str, Any], using: str = DEFAULT_DB_ALIAS) -> None:
    here = migration_state(using)
    there: dict[str, list[str]] = data.get("migrations") or {}
    problems = []
    for app in sorted(set(here) | set(there)):
        if here.get(app, []) != there.get(app, []):
            file_latest = (there.get(app) or ["none"])[-1]
            db_latest = (here.get(app) or ["none"])[-1]
            problems.append(f"{app} (file: {file_latest}, database: {db_latest})")
    if problems:
        raise BackupError(
            "The file was written at another migration state than this database's: "
            + "; ".join(problems)
            + ". Import it with the release that wrote it (see the file's header: "
            "cirkelregio_version), then upgrade; or migrate this database to the "
            "file's state first."
        )


def has_data(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The models that hold rows other than those ``migrate`` creates."""
    return [
        model._meta.label
        for model in backup_models()
        if model._meta.label_lower not in SEEDED_BY_MIGRATIONS
        and model._default_manager.using(using).exists()
    ]


def _wipe(chosen: Iterable[type[models.Model]], using: str) -> None:
    connection = connections[using]
    tables: list[str] = []
    for model in chosen:
        tables.append(model._meta.db_table)
        tables.extend(
            field.remote_field.through._meta.db_table  # type: ignore[union-attr]
            for field in model._meta.local_many_to_many
            if field.remote_field.through._meta.auto_created  # type: ignore[union-attr]
        )
    statements = connection.ops.sql_flush(no_style(), tables)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def _auditlog_disabled() -> AbstractContextManager[Any]:
    from auditlog.context import disable_auditlog

    return disable_auditlog()


def import_(
    path: Path, *, replace: bool = False, using: str = DEFAULT_DB_ALIAS
) -> dict[str, int]:
    """Load the file into the database, all or nothing; return the rows per model.

    The database must be at the file's migration state. Without ``replace`` it must
    hold no data yet (a freshly migrated database); with it, its data is removed
    first, in the same transaction."""
    data = read(path)
    check_migrations(data, using)
    try:
        return _load(data, path, replace=replace, using=using)
    except (DatabaseError, ObjectDoesNotExist, ValidationError) as error:
        raise BackupError(f"{path}: {error}; nothing was changed.") from error


def _load(
    data: dict[str, Any], path: Path, *, replace: bool, using: str
) -> dict[str, int]:
    connection = connections[using]
    chosen = backup_models()
    loaded: Counter[str] = Counter()
    with transaction.atomic(using=using):
        present = has_data(using)
        if present and not replace:
            raise BackupError(
                "The database already holds data ("
                + ", ".join(present[:5])
                + (", ..." if len(present) > 5 else "")
                + "). Import into a freshly migrated database, or pass --replace "
                "to replace all its data."
            )
        # PostgreSQL truncates no table with deferred checks pending (rows written
        # earlier in the same transaction): run them first.
        connection.check_constraints()
        _wipe(chosen, using)
        deferred = []
        with _auditlog_disabled(), connection.constraint_checks_disabled():
            try:
                for item in serializers.deserialize(
                    "python",
                    data["objects"],
                    using=using,
                    handle_forward_references=True,
                ):
                    item.save(using=using)
                    loaded[item.object._meta.label] += 1
                    if item.deferred_fields:
                        deferred.append(item)
                for item in deferred:
                    item.save_deferred_fields(using=using)
            except serializers.base.DeserializationError as error:
                raise BackupError(f"{path}: {error}; nothing was changed.") from error
        connection.check_constraints(
            table_names=[model._meta.db_table for model in chosen]
        )
        sequences = connection.ops.sequence_reset_sql(no_style(), chosen)
        if sequences:
            with connection.cursor() as cursor:
                for sql in sequences:
                    cursor.execute(sql)
    return dict(loaded)
