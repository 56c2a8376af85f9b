# SPDX-License-Identifier: EUPL-1.2
"""Migrations forwards over existing data: the test database is taken back to an
earlier migration state, rows are written with the models of that state, and after
migrating to the latest state the rows are still there with their values, the new
columns hold their defaults and the data migrations did their work.

The earlier state is the one before the newest migrations of the apps that have
more than one (regions 0003, exchange 0004, repair 0002 to 0006 with the data
migration of the repair categories, initiatives 0002, roads 0002); apps whose
migrations depend on these (events on repair) are taken back and forwards with them. The
test runs on SQLite and, in CI, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor

import pytest

EARLIER = [
    ("regions", "0002_choice_labels"),
    ("exchange", "0003_material_new_mki_profile"),
    ("repair", "0001_initial"),
    ("initiatives", "0001_initial"),
    ("roads", "0001_initial"),
]
# The rows written at the earlier state: one of each of these models (and what they
# need to refer to).
WRITTEN = [
    ("regions", "PlannedActivity"),
    ("exchange", "Proposal"),
    ("repair", "RepairPlace"),
    ("initiatives", "Initiative"),
    ("roads", "MaintenanceWork"),
]

_numbers = itertools.count(1)


def _value(field: models.Field[Any, Any]) -> Any:
    """A valid value for a required field of a historical model."""
    number = next(_numbers)
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.BooleanField):
        return True
    if isinstance(field, models.DecimalField):
        return Decimal(number % 9 + 1)
    if isinstance(field, models.IntegerField | models.FloatField):
        return number % 9 + 1
    if isinstance(field, models.DateTimeField):
        return dt.datetime(2026, 1, 1, 12, number % 60, tzinfo=dt.UTC)
    if isinstance(field, models.DateField):
        return dt.date(2026, 1, number % 28 + 1)
    if isinstance(field, models.TimeField):
        return dt.time(10, number % 60)
    if isinstance(field, models.JSONField):
        return {"n": number}
    if isinstance(field, models.URLField):
        return f"https://example.org/{number}"
    if isinstance(field, models.EmailField):
        return f"m{number}@example.org"
    if isinstance(field, models.CharField | models.TextField):
        limit = field.max_length or 20
        return f"v{number}"[:limit]
    raise AssertionError(f"No test value for {field!r}")


# Optional foreign keys that a model's check constraints require (a proposal links
# a supply to a demand, or one of them to a depot).
LINKS = {"exchange.Proposal": ("supply", "demand")}


def _make(model: type[models.Model], made: dict[str, models.Model]) -> models.Model:
    """A row of ``model`` with every required field filled in (foreign keys point
    to rows made the same way, one per model)."""
    label = model._meta.label
    if label in made:
        return made[label]
    values: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        linked = field.name in LINKS.get(label, ())
        if field.primary_key or field.has_default() or (field.null and not linked):
            continue
        if isinstance(field, models.DateTimeField | models.DateField) and (
            field.auto_now or field.auto_now_add
        ):
            continue
        if field.is_relation:
            values[field.name] = _make(field.related_model, made)  # type: ignore[arg-type]
        else:
            values[field.name] = _value(field)
    made[label] = model._default_manager.create(**values)
    return made[label]


def _row(model: type[models.Model], pk: Any) -> dict[str, Any]:
    return model._default_manager.filter(pk=pk).values().get()


@pytest.fixture
def executor(transactional_db: Any) -> Iterator[MigrationExecutor]:
    executor = MigrationExecutor(connection)
    try:
        yield executor
    finally:
        # Whatever happens, the database ends at the latest state for the tests
        # that follow.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_rows_survive_the_migrations_forwards(executor: MigrationExecutor) -> None:
    executor.migrate(EARLIER)
    old_apps = MigrationExecutor(connection).loader.project_state(EARLIER).apps
    made: dict[str, models.Model] = {}
    for app, name in WRITTEN:
        _make(old_apps.get_model(app, name), made)
    old_apps.get_model("repair", "RepairCategory").objects.all().delete()
    before = {
        label: _row(obj.__class__, obj.pk)
        for label, obj in made.items()
        if label != "repair.RepairCategory"
    }

    executor = MigrationExecutor(connection)
    new_apps = executor.migrate(executor.loader.graph.leaf_nodes()).apps

    for label, old in before.items():
        new = _row(new_apps.get_model(label), old["id"])
        assert {key: new[key] for key in old} == old, label
        for field in new_apps.get_model(label)._meta.concrete_fields:
            if field.attname not in old:
                assert new[field.attname] == field.get_default(), (label, field.name)
    # The new columns of this release, by name.
    activity = _row(
        new_apps.get_model("regions", "PlannedActivity"),
        before["regions.PlannedActivity"]["id"],
    )
    assert activity["achievement_nl"] == ""
    assert activity["progress_updated_by_id"] is None
    proposal = _row(
        new_apps.get_model("exchange", "Proposal"), before["exchange.Proposal"]["id"]
    )
    assert proposal["released_at"] is None
    # The data migration repair 0002 wrote the categories again.
    categories = new_apps.get_model("repair", "RepairCategory").objects
    assert categories.count() == 12
    assert categories.get(code="bicycle").name_nl == "Fietsen"
