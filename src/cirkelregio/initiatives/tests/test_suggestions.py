# SPDX-License-Identifier: EUPL-1.2
"""Suggestions from the public: stored as suggested without an owner, the same
validation, the honeypot, and the limit per client address."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError

import pytest

from cirkelregio.core import ratelimit
from cirkelregio.initiatives import services
from cirkelregio.initiatives.models import Initiative, InitiativeStatus
from cirkelregio.initiatives.services import suggestions
from cirkelregio.initiatives.tests.conftest import NOW, World

pytestmark = pytest.mark.django_db

CLIENT = "192.0.2.10"


def _suggestion(world: World, **overrides: Any) -> dict[str, Any]:
    return {
        "name": "Ruilkast Noord",
        "type": "swap_and_share",
        "municipality": world.m2,
        "description_nl": "Een kast om spullen te ruilen.",
        "needs": ["publicity"],
        "contact_email": "ruilkast@example.org",
        **overrides,
    }


def test_a_suggestion_waits_for_review_without_owner(world: World) -> None:
    item = services.initiative_suggest(client=CLIENT, **_suggestion(world))
    assert item is not None
    item.refresh_from_db()
    assert item.status == InitiativeStatus.SUGGESTED
    assert item.owner is None and not item.is_demo
    assert item.needs == "publicity"


def test_a_suggestion_needs_a_contact_address_and_valid_fields(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.initiative_suggest(
            client=CLIENT,
            **_suggestion(world, contact_email="", description_nl="", website="ftp//x"),
        )
    assert set(exc.value.message_dict) == {
        "contact_email",
        "description_nl",
        "website",
    }
    assert not Initiative.objects.filter(name="Ruilkast Noord").exists()


def test_the_public_cannot_set_status_or_owner(world: World) -> None:
    for extra in ({"status": "published"}, {"owner": world.org_a}):
        with pytest.raises(ValidationError) as exc:
            services.initiative_suggest(client=CLIENT, **_suggestion(world, **extra))
        assert set(exc.value.message_dict) == set(extra)
    assert not Initiative.objects.filter(name="Ruilkast Noord").exists()


def test_the_honeypot_stores_nothing(world: World) -> None:
    before = Initiative.objects.count()
    result = services.initiative_suggest(
        client=CLIENT, honeypot="http://spam.example", **_suggestion(world)
    )
    assert result is None
    assert Initiative.objects.count() == before


def test_suggestions_are_limited_per_client_address(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    limit = suggestions.SUGGESTIONS_PER_WINDOW
    for i in range(limit):
        assert services.suggestion_wait(client=CLIENT) == 0
        services.initiative_suggest(client=CLIENT, **_suggestion(world, name=f"N{i}"))
    # The window of an hour started 600 s before the frozen moment.
    assert services.suggestion_wait(client=CLIENT) == suggestions.WINDOW_SECONDS - 600
    with pytest.raises(services.SuggestionRateLimitedError) as exc:
        services.initiative_suggest(client=CLIENT, **_suggestion(world, name="Te veel"))
    assert exc.value.retry_after == 3000
    assert "50 minutes" in str(exc.value)
    assert not Initiative.objects.filter(name="Te veel").exists()
    # Another address is not affected; the next window starts afresh.
    assert services.initiative_suggest(
        client="198.51.100.7", **_suggestion(world, name="Ander adres")
    )
    monkeypatch.setattr(ratelimit, "_now", lambda: NOW + 3000)
    assert services.suggestion_wait(client=CLIENT) == 0


def test_invalid_suggestions_do_not_count_but_honeypot_hits_do(world: World) -> None:
    limit = suggestions.SUGGESTIONS_PER_WINDOW
    for _ in range(limit + 2):
        with pytest.raises(ValidationError):
            services.initiative_suggest(
                client=CLIENT, **_suggestion(world, contact_email="")
            )
    assert services.suggestion_wait(client=CLIENT) == 0
    for _ in range(limit):
        services.initiative_suggest(client=CLIENT, honeypot="x", **_suggestion(world))
    assert services.suggestion_wait(client=CLIENT) > 0


def test_the_cache_holds_no_client_address(world: World) -> None:
    services.initiative_suggest(client=CLIENT, **_suggestion(world))
    keys = list(getattr(cache, "_cache", {}).keys())
    assert keys, "the local-memory cache holds the count"
    assert not any(CLIENT in key for key in keys)
