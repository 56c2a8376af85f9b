# SPDX-License-Identifier: EUPL-1.2
"""The JSON backup (``cirkelregio backup export`` and ``import``): the demo data of
every module round-trips through a file (export, wipe, import, compare equal, row by
row), and a corrupt, partial or mismatched file changes nothing."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection, models

import pytest

from cirkelregio.core import backups

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_content_type_cache() -> Iterator[None]:
    """The round trip gives content types new ids, which the rollback at the end of
    the test takes back; the cache of content types must forget them too."""
    yield
    ContentType.objects.clear_cache()


def load_all_demo_data() -> None:
    """The reference and demo data of every module, by the commands ``bin/serve``
    runs (of the open repair data only the smaller file, to keep the test fast)."""
    data = Path(settings.DATA_DIR)
    demo = data / "demo" / "nl-utrecht"
    out = io.StringIO()
    steps: list[tuple[str, ...]] = [
        ("regions_load_reference", str(data / "regions" / "nl-utrecht")),
        ("biobased_load_materials", str(data / "biobased" / "materials.csv")),
        (
            "repair_import_ords",
            str(data / "ords" / "OpenRepairData_v0.3_FixitClinic_202507.csv"),
        ),
        ("regions_load_demo", str(demo)),
        ("mki_load_demo", str(demo / "mki")),
        ("exchange_load_demo", str(demo / "exchange")),
        ("exchange_match_run", "--if-none"),
        ("initiatives_load_demo", str(demo / "initiatives")),
        ("repair_load_demo", str(demo / "repair")),
        ("events_load_demo", str(demo / "events")),
        ("roads_load_demo", str(demo / "roads")),
        ("biobased_load_demo", str(demo / "biobased")),
        ("craftcentres_load_demo", str(demo / "craftcentres")),
        ("agricycling_load_demo", str(demo / "agricycling")),
        ("monitoring_load_indicators",),
        ("monitoring_compute",),
    ]
    for name, *args in steps:
        call_command(name, *args, stdout=out, stderr=out)


def add_accounts() -> None:
    """Accounts with a password, a group with permissions and a direct permission:
    rows that refer to content types and permissions by their natural keys."""
    from django.contrib.auth import get_user_model

    User = get_user_model()  # noqa: N806
    editors = Group.objects.create(name="Backup editors")
    editors.permissions.set(Permission.objects.filter(codename__startswith="change_"))
    user = User.objects.create_user("backup-user", "b@example.org", "s3cret-pass!")
    user.groups.add(editors)
    user.user_permissions.add(Permission.objects.get(codename="view_region"))
    User.objects.create_superuser("backup-admin", "a@example.org", "an0ther-pass!")


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every backed-up model's rows as dicts ordered by primary key, with their
    many-to-many values; references to content types and permissions (which a
    restore may give other ids) as natural keys."""
    natural: dict[Any, dict[int, tuple[str, ...]]] = {
        ContentType: {ct.pk: ct.natural_key() for ct in ContentType.objects.all()},
        Permission: {
            p.pk: p.natural_key()
            for p in Permission.objects.select_related("content_type")
        },
    }
    result = {}
    for model in backups.backup_models():
        rows = []
        for obj in model._default_manager.order_by("pk").prefetch_related(
            *(field.name for field in model._meta.many_to_many)
        ):
            row = {}
            for field in model._meta.concrete_fields:
                value = field.value_from_object(obj)
                if field.related_model in natural and value is not None:
                    value = natural[field.related_model][value]
                row[field.attname] = value
            for field in model._meta.many_to_many:
                pks = [item.pk for item in getattr(obj, field.name).all()]
                if field.related_model in natural:
                    row[field.name] = sorted(
                        natural[field.related_model][pk] for pk in pks
                    )
                else:
                    row[field.name] = sorted(pks)
            rows.append(row)
        result[model._meta.label] = rows
    return result


def wipe() -> None:
    """``flush``, then content types and permissions created anew with other ids
    (as on a new server), as ``migrate`` does."""
    connection.check_constraints()  # PostgreSQL: no pending checks for TRUNCATE
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    ContentType.objects.create(app_label="zz_backup_test", model="shift")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")


@pytest.mark.slow
def test_all_demo_data_round_trips(tmp_path: Path) -> None:
    load_all_demo_data()
    add_accounts()
    before = snapshot()
    region_type = ContentType.objects.get(app_label="regions", model="region").pk
    file = tmp_path / "backup.json.gz"

    counts = backups.export(file)

    assert counts == {label: len(rows) for label, rows in before.items()}
    # Every module's demo data is in the file (not only the registry's).
    for app in (
        "accounts",
        "regions",
        "mki",
        "exchange",
        "repair",
        "initiatives",
        "events",
        "roads",
        "biobased",
        "agricycling",
        "craftcentres",
        "monitoring",
        "auditlog",
        "auth",
    ):
        assert sum(n for label, n in counts.items() if label.startswith(app + ".")), app
    with gzip.open(file, "rt", encoding="utf-8") as source:
        header = json.load(source)
    assert header["format_version"] == backups.FORMAT_VERSION
    assert header["migrations"] == backups.migration_state()

    wipe()
    assert not backups.has_data()
    assert ContentType.objects.get(app_label="regions", model="region").pk != (
        region_type
    )

    loaded = backups.import_(file)

    assert loaded == {label: n for label, n in counts.items() if n}
    after = snapshot()
    for label, rows in before.items():
        assert after[label] == rows, label
    # The accounts work: the password hashes came along.
    from django.contrib.auth import get_user_model

    restored = get_user_model().objects.get(username="backup-user")
    assert restored.check_password("s3cret-pass!")
    assert restored.has_perm("regions.view_region")
    # Sequences continue after the imported ids (reset on PostgreSQL).
    highest = max(row["id"] for row in before["auth.Group"])
    assert Group.objects.create(name="After the restore").pk > highest


@pytest.fixture
def exported(demo_data: Any, tmp_path: Path) -> Path:
    add_accounts()
    file = tmp_path / "backup.json"
    backups.export(file)
    return file


def rewrite(file: Path, change: Any) -> None:
    data = json.loads(file.read_text(encoding="utf-8"))
    change(data)
    file.write_text(json.dumps(data), encoding="utf-8")


def test_a_database_with_data_is_refused_without_replace(exported: Path) -> None:
    before = snapshot()
    with pytest.raises(backups.BackupError, match="already holds data"):
        backups.import_(exported)
    assert snapshot() == before
    backups.import_(exported, replace=True)
    assert snapshot() == before


def test_a_freshly_migrated_database_counts_as_empty() -> None:
    # Data migrations create rows (repair categories); the import replaces them.
    assert not backups.has_data()


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda text: text[: len(text) // 2], id="cut-off"),
        pytest.param(lambda text: text.replace('"model"', '"modle"', 1), id="key"),
        pytest.param(lambda text: "not json", id="garbage"),
        pytest.param(lambda text: "[]", id="no-header"),
    ],
)
def test_a_corrupt_or_partial_file_changes_nothing(exported: Path, damage: Any) -> None:
    exported.write_text(damage(exported.read_text(encoding="utf-8")))
    before = snapshot()
    with pytest.raises(backups.BackupError):
        backups.import_(exported, replace=True)
    assert snapshot() == before


def test_rows_left_out_with_consistent_counts_are_refused(exported: Path) -> None:
    """A file whose header was edited to match missing rows: the rows that refer to
    the missing ones fail, and the wiped data is back."""

    def drop_regions(data: dict[str, Any]) -> None:
        data["objects"] = [
            row for row in data["objects"] if row["model"] != "regions.region"
        ]
        data["counts"]["regions.Region"] = 0

    rewrite(exported, drop_regions)
    before = snapshot()
    with pytest.raises(backups.BackupError, match="nothing was changed"):
        backups.import_(exported, replace=True)
    assert snapshot() == before


def test_a_row_that_fails_late_changes_nothing(exported: Path) -> None:
    def break_last(data: dict[str, Any]) -> None:
        last = data["objects"][-1]
        for name in list(last["fields"]):
            if isinstance(last["fields"][name], str):
                last["fields"][name] = None  # a required column left empty
        data["objects"][-1] = last

    rewrite(exported, break_last)
    before = snapshot()
    with pytest.raises(backups.BackupError):
        backups.import_(exported, replace=True)
    assert snapshot() == before


def test_another_migration_state_is_refused_with_a_clear_message(
    exported: Path,
) -> None:
    def older(data: dict[str, Any]) -> None:
        data["migrations"]["regions"] = data["migrations"]["regions"][:-1]

    rewrite(exported, older)
    before = snapshot()
    with pytest.raises(backups.BackupError, match=r"another migration state.*regions"):
        backups.import_(exported, replace=True)
    assert snapshot() == before


def test_the_commands(exported: Path, tmp_path: Path, capsys: Any) -> None:
    file = tmp_path / "again.json.gz"
    call_command("backup_export", str(file))
    assert "rows of" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already holds data"):
        call_command("backup_import", str(file))
    call_command("backup_import", str(file), "--replace")
    assert "Loaded" in capsys.readouterr().out


def test_models_come_after_what_they_refer_to() -> None:
    order = backups.backup_models()
    position = {model: index for index, model in enumerate(order)}
    labels = {model._meta.label for model in order}
    assert "sessions.Session" not in labels
    assert not any(label.startswith("axes.") for label in labels)
    assert {"accounts.User", "auditlog.LogEntry", "auth.Group"} <= labels
    for model in order:
        for field in model._meta.concrete_fields:
            target = field.related_model if field.is_relation else None
            if (
                isinstance(target, type)
                and issubclass(target, models.Model)
                and target in position
                and target is not model
                and not _cycle(model, target)
            ):
                assert position[target] < position[model], (model, target)


def _cycle(model: type[models.Model], target: type[models.Model]) -> bool:
    return any(
        field.is_relation and field.related_model is model
        for field in target._meta.concrete_fields
    )
