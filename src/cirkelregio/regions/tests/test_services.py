# SPDX-License-Identifier: EUPL-1.2
"""Registry services: validation, phase history, permissions and the audit trail."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError

import pytest
from auditlog.models import LogEntry

from cirkelregio.accounts.tests.factories import CoordinatorFactory, EditorFactory
from cirkelregio.regions import services
from cirkelregio.regions.models import Participation
from cirkelregio.regions.tests.factories import (
    ActionLineFactory,
    OrganisationFactory,
    ParticipationFactory,
)

pytestmark = pytest.mark.django_db


def test_create_records_the_first_phase() -> None:
    coordinator = CoordinatorFactory()
    participation = services.participation_create(
        actor=coordinator,
        organisation=OrganisationFactory(),
        action_line=ActionLineFactory(),
        phase="explore",
        role="participant",
        since=dt.date(2026, 3, 2),
    )
    history = list(
        participation.phase_changes.values_list("phase", "changed_on", "recorded_by")
    )
    assert history == [("explore", dt.date(2026, 3, 2), coordinator.pk)]


def test_phase_change_appends_history_and_is_audited() -> None:
    editor = EditorFactory()
    participation = services.participation_create(
        actor=None,
        organisation=editor.organisation,
        action_line=ActionLineFactory(),
        phase="connect",
        role="participant",
        since=dt.date(2026, 1, 5),
    )
    from auditlog.context import set_actor

    with set_actor(editor):
        services.participation_update(
            actor=editor,
            participation=participation,
            phase="realise",
            changed_on=dt.date(2026, 6, 1),
        )
    assert list(participation.phase_changes.values_list("phase", flat=True)) == [
        "connect",
        "realise",
    ]
    entry = (
        LogEntry.objects.get_for_object(participation)
        .filter(action=LogEntry.Action.UPDATE)
        .latest("timestamp")
    )
    assert entry.actor == editor
    assert entry.changes_dict["phase"] == ["connect", "realise"]


def test_no_change_no_history() -> None:
    participation = ParticipationFactory()
    services.participation_update(
        actor=None, participation=participation, phase="connect"
    )
    assert participation.phase_changes.count() == 0


def test_backdated_phase_change_is_refused() -> None:
    participation = services.participation_create(
        actor=None,
        organisation=OrganisationFactory(),
        action_line=ActionLineFactory(),
        phase="connect",
        role="participant",
        since=dt.date(2026, 5, 1),
    )
    with pytest.raises(ValidationError) as info:
        services.participation_update(
            actor=None,
            participation=participation,
            phase="explore",
            changed_on=dt.date(2026, 4, 1),
        )
    assert "changed_on" in info.value.message_dict
    participation.refresh_from_db()
    assert participation.phase == "connect"  # the transaction was rolled back


def test_editor_may_not_register_another_organisation() -> None:
    editor = EditorFactory()
    with pytest.raises(PermissionDenied):
        services.participation_create(
            actor=editor,
            organisation=OrganisationFactory(),
            action_line=ActionLineFactory(),
            phase="connect",
            role="participant",
        )
    assert not Participation.objects.exists()


def test_invalid_phase_is_a_field_error() -> None:
    with pytest.raises(ValidationError) as info:
        services.participation_create(
            actor=None,
            organisation=OrganisationFactory(),
            action_line=ActionLineFactory(),
            phase="dreaming",
            role="participant",
        )
    assert "phase" in info.value.message_dict


def test_duplicate_organisation_name_is_refused_case_insensitively() -> None:
    services.organisation_create(actor=None, name="Stichting Voorbeeld", kind="company")
    with pytest.raises(ValidationError):
        services.organisation_create(
            actor=None, name="stichting voorbeeld", kind="company"
        )


def test_editor_changes_only_name_and_website() -> None:
    editor = EditorFactory()
    services.organisation_update(
        actor=editor, organisation=editor.organisation, website="https://example.org"
    )
    with pytest.raises(ValidationError):
        services.organisation_update(
            actor=editor, organisation=editor.organisation, is_published=False
        )


def test_correcting_since_moves_the_start_of_the_history() -> None:
    participation = services.participation_create(
        actor=None,
        organisation=OrganisationFactory(),
        action_line=ActionLineFactory(),
        phase="connect",
        role="participant",
        since=dt.date(2026, 3, 1),
    )
    services.participation_update(
        actor=None,
        participation=participation,
        phase="explore",
        changed_on=dt.date(2026, 9, 1),
    )
    services.participation_update(
        actor=None, participation=participation, since=dt.date(2026, 2, 1)
    )
    assert list(participation.phase_changes.values_list("changed_on", flat=True)) == [
        dt.date(2026, 2, 1),
        dt.date(2026, 9, 1),
    ]
    with pytest.raises(ValidationError) as info:
        services.participation_update(
            actor=None, participation=participation, since=dt.date(2026, 10, 1)
        )
    assert "since" in info.value.message_dict
    participation.refresh_from_db()
    assert participation.since == dt.date(2026, 2, 1)


def test_deleting_an_organisation_that_still_owns_records_is_a_field_error() -> None:
    from cirkelregio.mki.tests.factories import ProjectFactory

    project = ProjectFactory()
    with pytest.raises(ValidationError) as info:
        services.organisation_delete(actor=None, organisation=project.owner)
    assert "organisation" in info.value.message_dict
