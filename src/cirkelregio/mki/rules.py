# SPDX-License-Identifier: EUPL-1.2
"""Who may do what with MKI records, in the style of ``cirkelregio.accounts.rules``.

``actor`` None is the system itself (a command run by an operator); it may do
everything. Coordinators edit all MKI records. An organisation's editors edit the
libraries and projects their organisation owns, and everything inside those projects
(variants, elements, bill lines, results, tenders, bids). Everyone reads what is
published: published libraries and their profiles, published projects and everything
in them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from cirkelregio.accounts.models import User
    from cirkelregio.mki.models import ProfileLibrary, Project
    from cirkelregio.regions.models import Organisation


def _coordinator(actor: User | None) -> bool:
    return actor is None or bool(getattr(actor, "is_coordinator", False))


def _editor_of(actor: User | None, organisation_id: int | None) -> bool:
    return (
        actor is not None
        and bool(getattr(actor, "is_organisation_editor", False))
        and organisation_id is not None
        and actor.organisation_id == organisation_id
    )


def can_create_library(actor: User | None) -> bool:
    """Libraries are created by coordinators (shared or for an organisation)."""
    return _coordinator(actor)


def can_change_library(actor: User | None, library: ProfileLibrary) -> bool:
    """Change, import into or remove a library."""
    return _coordinator(actor) or _editor_of(actor, library.owner_id)


def can_view_library(actor: User | None, library: ProfileLibrary) -> bool:
    return library.is_published or can_change_library(actor, library)


def can_use_library(actor: User | None, library: ProfileLibrary) -> bool:
    """Use the library's profiles in a bill of quantities."""
    return can_view_library(actor, library)


def can_create_project(actor: User | None, owner: Organisation) -> bool:
    return _coordinator(actor) or _editor_of(actor, owner.pk)


def can_change_project(actor: User | None, project: Project) -> bool:
    """Change the project and everything in it: variants, elements, bill lines,
    calculations, tenders and bids."""
    return _coordinator(actor) or _editor_of(actor, project.owner_id)


def can_view_project(actor: User | None, project: Project) -> bool:
    return project.is_published or can_change_project(actor, project)


def can_publish_library(actor: User | None) -> bool:
    """Only coordinators publish a library (its licence must allow it), give it to
    another owner, or change its synthetic flag."""
    return _coordinator(actor)
