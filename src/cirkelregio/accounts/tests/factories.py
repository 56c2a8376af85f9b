# SPDX-License-Identifier: EUPL-1.2
from __future__ import annotations

import factory

from cirkelregio.accounts.models import Role, User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.NONE
    password = factory.PostGenerationMethodCall(
        "set_password", "een-lang-wachtwoord-2026"
    )

    @factory.post_generation
    def _save(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class CoordinatorFactory(UserFactory):
    role = Role.COORDINATOR


class EditorFactory(UserFactory):
    role = Role.EDITOR
    organisation = factory.SubFactory(
        "cirkelregio.regions.tests.factories.OrganisationFactory"
    )
