# SPDX-License-Identifier: EUPL-1.2
"""The Agricycling admin: coordinators see every list; an owner's editor sees and
changes only its own parcels; runs are read only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.test import Client

import pytest

from cirkelregio.agricycling import services
from cirkelregio.agricycling.models import MowingParcel
from cirkelregio.agricycling.tests.conftest import set_tariffs
from cirkelregio.agricycling.tests.test_runs import _setup


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "model",
    ["season", "farm", "tariffs", "compostbatch", "allocationrun", "mowingparcel"],
)
def test_coordinators_see_every_list(agri: Any, tmp_path: Path, model: str) -> None:
    _setup(agri, tmp_path)
    set_tariffs(agri.season)
    services.allocation_run(actor=None, season=agri.season)
    page = _client(agri.coordinator).get(f"/admin/agricycling/{model}/")
    assert page.status_code == 200


def test_owners_see_only_their_own_parcels(agri: Any, tmp_path: Path) -> None:
    _setup(agri, tmp_path)
    parcel = MowingParcel.objects.get(external_id="P1")
    base = "/admin/agricycling/mowingparcel/"
    change = f"{base}{parcel.pk}/change/"
    town = _client(agri.town_editor)
    town_list = town.get(base)
    assert town_list.status_code == 200
    assert parcel in town_list.context["cl"].result_list
    assert change in town_list.content.decode()
    assert town.get(change).status_code == 200
    board = _client(agri.board_editor)
    board_list = board.get(base)
    # Not a search for the text "P1": a random CSRF token on the page can hold it.
    assert parcel not in board_list.context["cl"].result_list
    assert change not in board_list.content.decode()
    assert board.get(change).status_code == 302
    assert town.get("/admin/agricycling/farm/").status_code == 403
    assert _client(agri.company_editor).get(base).status_code == 403
    run_add = _client(agri.coordinator).get("/admin/agricycling/allocationrun/add/")
    assert run_add.status_code == 403
