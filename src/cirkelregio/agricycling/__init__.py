# SPDX-License-Identifier: EUPL-1.2
"""Agricycling (issue 7): mowing parcels of the road and nature owners, the
cooperative's farms and tariffs, the allocation of the mowings to the farms and the
season's settlement, on top of ``cirkelregio.engine.agricycling``."""
