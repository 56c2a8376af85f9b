# SPDX-License-Identifier: EUPL-1.2
"""Writes to exchange records. The API, the admin, commands and other apps call
these; they never save exchange models themselves."""

from cirkelregio.exchange.services.demo_data import (
    ExchangeDemoReport,
    exchange_demo_load,
)
from cirkelregio.exchange.services.imports import (
    ListingImportReport,
    import_listings,
    listing_import_template,
)
from cirkelregio.exchange.services.matching import (
    match_run_interrupted,
    match_run_start,
    notify_new_proposals,
)
from cirkelregio.exchange.services.photos import (
    listing_photo_add,
    listing_photo_delete,
)
from cirkelregio.exchange.services.proposals import (
    proposal_accept,
    proposal_advance,
    proposal_reject,
    proposal_release,
)
from cirkelregio.exchange.services.records import (
    depot_create,
    depot_delete,
    depot_update,
    listing_create,
    listing_delete,
    listing_update,
    listing_withdraw,
    material_create,
    material_delete,
    material_update,
)

__all__ = [
    "ExchangeDemoReport",
    "ListingImportReport",
    "depot_create",
    "depot_delete",
    "depot_update",
    "exchange_demo_load",
    "import_listings",
    "listing_create",
    "listing_delete",
    "listing_import_template",
    "listing_photo_add",
    "listing_photo_delete",
    "listing_update",
    "listing_withdraw",
    "match_run_interrupted",
    "match_run_start",
    "material_create",
    "material_delete",
    "material_update",
    "notify_new_proposals",
    "proposal_accept",
    "proposal_advance",
    "proposal_reject",
    "proposal_release",
]
