# SPDX-License-Identifier: EUPL-1.2
"""A small world: two municipalities, the initiative's owner organisation A with its
editor, another organisation B with its editor, a coordinator; a published initiative
of A, a suggestion from the public, and an active contact point in municipality 1
run by the municipality's own organisation (with its editor)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.utils import translation

import pytest

from cirkelregio.accounts.models import User
from cirkelregio.accounts.tests.factories import CoordinatorFactory, EditorFactory
from cirkelregio.core import ratelimit
from cirkelregio.initiatives.models import ContactPoint, Initiative, InitiativeStatus
from cirkelregio.initiatives.tests.factories import (
    ContactPointFactory,
    InitiativeFactory,
)
from cirkelregio.regions.models import Municipality, Organisation
from cirkelregio.regions.tests.factories import MunicipalityFactory, OrganisationFactory


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


# A moment well inside a window of the suggestion limit (one hour).
NOW = 1_800_000_000.0 + 600


@pytest.fixture(autouse=True)
def _fresh_limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The suggestion limit lives in the cache: every test starts with none used,
    at a fixed moment, so that no test straddles the end of a window."""
    monkeypatch.setattr(ratelimit, "_now", lambda: NOW)
    cache.clear()
    yield
    cache.clear()


@dataclass
class World:
    m1: Municipality
    m2: Municipality
    org_a: Organisation
    org_b: Organisation
    org_m1: Organisation
    editor_a: User
    editor_b: User
    editor_m1: User
    coordinator: User
    published: Initiative
    suggestion: Initiative
    contact_point: ContactPoint

    def users(self) -> dict[str, Any]:
        return {
            "anonymous": None,
            "editor_b": self.editor_b,
            "editor_a": self.editor_a,
            "coordinator": self.coordinator,
        }


@pytest.fixture
def world(db: Any) -> World:
    m1, m2 = MunicipalityFactory(), MunicipalityFactory()
    org_a = OrganisationFactory(slug="org-a", name="Org A", kind="resident_initiative")
    org_b = OrganisationFactory(slug="org-b", name="Org B")
    org_m1 = OrganisationFactory(
        slug="gemeente-1", name="Gemeente 1", kind="municipality", municipality=m1
    )
    published = InitiativeFactory(
        name="Repair Café Een", municipality=m1, owner=org_a, contact_consent=False
    )
    suggestion = InitiativeFactory(
        name="Geheime Suggestie",
        municipality=m2,
        status=InitiativeStatus.SUGGESTED,
        type="give_away_shop",
        needs="funding",
    )
    contact_point = ContactPointFactory(municipality=m1, organisation=org_m1)
    return World(
        m1=m1,
        m2=m2,
        org_a=org_a,
        org_b=org_b,
        org_m1=org_m1,
        editor_a=EditorFactory(organisation=org_a),
        editor_b=EditorFactory(organisation=org_b),
        editor_m1=EditorFactory(organisation=org_m1),
        coordinator=CoordinatorFactory(),
        published=published,
        suggestion=suggestion,
        contact_point=contact_point,
    )
