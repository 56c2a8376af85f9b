# SPDX-License-Identifier: EUPL-1.2
"""Heel Utrecht Repareert: the Reparatiekaart, a map of repair places (Repair Cafés,
repair businesses, bicycle repairers, tailors, shoemakers, ...) with what they repair
and when they are open."""
