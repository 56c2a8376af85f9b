# SPDX-License-Identifier: EUPL-1.2
"""Agricycling: allocating road-verge and nature mowings to composting farms
(``docs/planning-models.md`` section 1, split LP and whole-parcel MILP with HiGHS)
and the season's settlement between owners, farms and the cooperative. Pure Python;
no Django."""
