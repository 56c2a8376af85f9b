# SPDX-License-Identifier: EUPL-1.2
"""What the apps' selectors ask about a reader: whether they see everything
(``is_coordinator``) and whose unpublished records they see
(``edited_organisation_id``)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser

import pytest

from cirkelregio.accounts.models import Role
from cirkelregio.accounts.selectors import edited_organisation_id, is_coordinator
from cirkelregio.accounts.tests.factories import (
    CoordinatorFactory,
    EditorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _readers() -> dict[str, Any]:
    editor = EditorFactory()
    inactive_editor = EditorFactory(is_active=False)
    return {
        "nobody": None,
        "anonymous": AnonymousUser(),
        "member": UserFactory(organisation=editor.organisation),
        "editor": editor,
        "inactive editor": inactive_editor,
        "editor without organisation": UserFactory(role=Role.EDITOR),
        "coordinator": CoordinatorFactory(),
        "inactive coordinator": CoordinatorFactory(is_active=False),
        "superuser": UserFactory(is_superuser=True),
    }


def test_who_sees_everything() -> None:
    seen = {name: is_coordinator(user) for name, user in _readers().items()}
    assert {name for name, yes in seen.items() if yes} == {"coordinator", "superuser"}


def test_whose_unpublished_records_a_reader_sees() -> None:
    readers = _readers()
    seen = {name: edited_organisation_id(user) for name, user in readers.items()}
    assert seen == {
        "nobody": None,
        "anonymous": None,
        "member": None,
        "editor": readers["editor"].organisation_id,
        "inactive editor": None,
        "editor without organisation": None,
        "coordinator": None,
        "inactive coordinator": None,
        "superuser": None,
    }
    assert isinstance(seen["editor"], int)
