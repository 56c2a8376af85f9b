# SPDX-License-Identifier: EUPL-1.2
"""Circulaire Ambachtscentra: planning a network of shared craft centres
(``docs/planning-models.md`` section 2, p-median and maximal coverage with HiGHS) over the
PC4 areas of a region. Pure Python; no Django."""
