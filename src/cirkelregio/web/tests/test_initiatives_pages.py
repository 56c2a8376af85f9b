# SPDX-License-Identifier: EUPL-1.2
"""The pages of the resident initiatives: the directory and its filters (no script
needed), the page per initiative with who may see it, and the suggestion form with
CSRF, the honeypot, the limit per address and its messages. In both languages.

Until the Dutch catalogue has the new messages, the Dutch pages show English text:
these tests check structure, status codes and data, not Dutch wording."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.utils.html import escape

import pytest

from cirkelregio.accounts.tests.factories import CoordinatorFactory, EditorFactory
from cirkelregio.core import ratelimit
from cirkelregio.initiatives.models import ContactPoint, Initiative
from cirkelregio.initiatives.services import initiatives_demo_load, suggestions
from cirkelregio.regions.models import Municipality, Organisation

pytestmark = pytest.mark.django_db

LIST = "/initiatieven/"
SUBMIT = "/initiatieven/aanmelden/"
THANKS = "/initiatieven/aanmelden/bedankt/"


@pytest.fixture(autouse=True)
def _fresh_limits(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(ratelimit, "_now", lambda: 1_800_000_000.0 + 600)
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def initiatives(demo_data: Any) -> Any:
    return initiatives_demo_load(
        directory=Path(settings.DATA_DIR) / "demo" / "nl-utrecht" / "initiatives"
    )


def _rows(html: str) -> int:
    cards = html.split('aria-labelledby="results"')
    return (
        cards[1].split("</ul>")[0].count('<li class="cr-card">')
        if len(cards) > 1
        else 0
    )


def _suggestion(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Ruilkast Oost",
        "type": "swap_and_share",
        "municipality": "GM0344",
        "stage": "starting",
        "description": "Een kast om spullen te ruilen.",
        "needs": ["publicity", "space"],
        "support_text": "",
        "website": "",
        "contact_email": "ruilkast@example.org",
        "contact_phone": "",
        "fax": "",
        **overrides,
    }


# Rendering ----------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_pages_render_in_both_languages(
    client: Client, initiatives: Any, prefix: str
) -> None:
    item = Initiative.objects.get(name="Buurtauto Zonnehof (demo)")
    for path in [
        LIST,
        f"{LIST}{item.pk}/",
        SUBMIT,
        THANKS,
        f"{LIST}?municipality=utrecht",
    ]:
        response = client.get(prefix + path)
        assert response.status_code == 200, path
        assert response["Content-Language"] == ("en" if prefix else "nl")
        html = response.content.decode()
        assert f'<html lang="{"en" if prefix else "nl"}"' in html
    nav = client.get(prefix + "/").content.decode()
    assert f'href="{prefix}{LIST}"' in nav


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_directory_lists_the_published_initiatives_and_contact_points(
    client: Client, initiatives: Any, prefix: str
) -> None:
    html = client.get(prefix + LIST).content.decode()
    assert _rows(html) == Initiative.objects.filter(status="published").count() == 8
    for item in Initiative.objects.all():
        assert f'href="{prefix}{LIST}{item.pk}/"' in html
    for point in ContactPoint.objects.filter(is_active=True):
        assert point.role_name in html
    # The description follows the language of the page.
    item = Initiative.objects.get(name="Buurtauto Zonnehof (demo)")
    detail = client.get(f"{prefix}{LIST}{item.pk}/").content.decode()
    expected = item.description_en if prefix else item.description_nl
    assert escape(expected) in detail


def test_filters_work_without_script(client: Client, initiatives: Any) -> None:
    html = client.get(LIST + "?municipality=utrecht").content.decode()
    assert _rows(html) == 1 and "Buurtauto Zonnehof (demo)" in html
    assert "Team Duurzame Stad (demo)" in html  # Utrecht's contact point
    assert 'value="utrecht" selected' in html

    html = client.get(LIST + "?type=repair_cafe").content.decode()
    assert _rows(html) == Initiative.objects.filter(type="repair_cafe").count() == 2

    html = client.get(LIST + "?type=repair_cafe&stage=professional").content.decode()
    assert _rows(html) == 1 and "Fietsmaakplaats Houten (demo)" in html

    html = client.get(LIST + "?municipality=renswoude").content.decode()
    assert _rows(html) == 0 and 'id="contact-point-heading"' in html

    # Unknown values do not filter and do not fail.
    html = client.get(LIST + "?type=casino&stage=%00&municipality=atlantis").content
    assert _rows(html.decode()) == 8


def test_pages_only_answer_reading_methods(client: Client, initiatives: Any) -> None:
    assert client.post(LIST).status_code == 405
    assert client.post(THANKS).status_code == 405
    assert client.put(SUBMIT).status_code == 405


# Who sees an unpublished initiative ---------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 404), ("editor_b", 404), ("owner", 200), ("coordinator", 200)],
)
def test_unpublished_initiative_page(
    client: Client, initiatives: Any, who: str, status: int
) -> None:
    item = Initiative.objects.get(name="Repair Café De Voorbeeldwijk (demo)")
    Initiative.objects.filter(pk=item.pk).update(status="suggested")
    users = {
        "anonymous": None,
        "editor_b": EditorFactory(organisation=Organisation.objects.get(slug="tno")),
        "owner": EditorFactory(organisation=item.owner),
        "coordinator": CoordinatorFactory(),
    }
    if users[who] is not None:
        client.force_login(users[who])
    assert client.get(f"{LIST}{item.pk}/").status_code == status
    listed = client.get(LIST).content.decode()
    assert (f'href="{LIST}{item.pk}/"' in listed) is (status == 200)
    assert client.get(f"{LIST}999999/").status_code == 404


def test_contact_details_only_with_consent(client: Client, initiatives: Any) -> None:
    with_consent = Initiative.objects.get(name="Repair Café De Voorbeeldwijk (demo)")
    without = Initiative.objects.get(name="Deelschuur Fictiefdorp (demo)")
    assert with_consent.contact_consent and not without.contact_consent
    html = client.get(f"{LIST}{with_consent.pk}/").content.decode()
    assert with_consent.contact_email in html
    html = client.get(f"{LIST}{without.pk}/").content.decode()
    assert without.contact_email not in html
    client.force_login(EditorFactory(organisation=without.owner))
    assert without.contact_email in client.get(f"{LIST}{without.pk}/").content.decode()


# The suggestion form ------------------------------------------------------------------


@pytest.mark.parametrize(("prefix", "language"), [("", "nl"), ("/en", "en")])
def test_a_suggestion_is_stored_for_review(
    client: Client, reference_data: Any, prefix: str, language: str
) -> None:
    form = client.get(prefix + SUBMIT).content.decode()
    assert 'name="csrfmiddlewaretoken"' in form
    response = client.post(prefix + SUBMIT, _suggestion())
    assert response.status_code == 302
    assert response["Location"] == prefix + THANKS
    item = Initiative.objects.get(name="Ruilkast Oost")
    assert (item.status, item.owner, item.municipality.cbs_code) == (
        "suggested",
        None,
        "GM0344",
    )
    assert getattr(item, f"description_{language}") == "Een kast om spullen te ruilen."
    assert item.needs == "space,publicity" and not item.contact_consent
    # The submitter does not see it: not in the directory, no page.
    assert "Ruilkast Oost" not in client.get(prefix + LIST).content.decode()
    assert client.get(f"{prefix}{LIST}{item.pk}/").status_code == 404


def test_the_form_needs_a_csrf_token(reference_data: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post(SUBMIT, _suggestion()).status_code == 403
    assert not Initiative.objects.exists()


def test_errors_are_shown_next_to_the_fields(
    client: Client, reference_data: Any
) -> None:
    response = client.post(
        SUBMIT,
        _suggestion(
            name="", contact_email="geen-adres", municipality="GM9999", needs=["fame"]
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    for field in ("name", "contact_email", "municipality", "needs"):
        assert f'id="error-{field}"' in html, field
    assert 'aria-invalid="true"' in html
    assert 'class="cr-error-summary"' in html
    assert 'href="#id_contact_email"' in html
    # What was typed is kept.
    assert 'value="Een kast om spullen te ruilen."' not in html  # a textarea
    assert "Een kast om spullen te ruilen." in html
    assert not Initiative.objects.exists()


def test_the_honeypot_pretends_success(client: Client, reference_data: Any) -> None:
    response = client.post(SUBMIT, _suggestion(fax="+31 30 0000000"))
    assert response.status_code == 302 and response["Location"] == THANKS
    assert not Initiative.objects.exists()


def test_the_honeypot_is_hidden_from_people(
    client: Client, reference_data: Any
) -> None:
    html = client.get(SUBMIT).content.decode()
    hidden = html.split("<div hidden>")[1].split("</div>")[0]
    assert 'name="fax"' in hidden and 'tabindex="-1"' in hidden


def test_too_many_suggestions_from_one_address(
    client: Client, reference_data: Any
) -> None:
    for i in range(suggestions.SUGGESTIONS_PER_WINDOW):
        response = client.post(
            SUBMIT, _suggestion(name=f"Kast {i}"), REMOTE_ADDR="192.0.2.5"
        )
        assert response.status_code == 302
    response = client.post(SUBMIT, _suggestion(name="Te veel"), REMOTE_ADDR="192.0.2.5")
    assert response.status_code == 429
    html = response.content.decode()
    assert 'class="cr-error-summary"' in html and "50 minuten" in html
    assert not Initiative.objects.filter(name="Te veel").exists()
    other = client.post(SUBMIT, _suggestion(name="Elders"), REMOTE_ADDR="192.0.2.6")
    assert other.status_code == 302
    assert Initiative.objects.count() == suggestions.SUGGESTIONS_PER_WINDOW + 1


def test_an_english_only_description_is_shown_on_the_dutch_page(
    client: Client, reference_data: Any
) -> None:
    client.post("/en" + SUBMIT, _suggestion(description="Only in English."))
    item = Initiative.objects.get(name="Ruilkast Oost")
    Initiative.objects.filter(pk=item.pk).update(status="published")
    html = client.get(f"{LIST}{item.pk}/").content.decode()
    assert '<div lang="en"><p>Only in English.</p></div>' in html
    assert Municipality.objects.get(cbs_code="GM0344").name in html
