# SPDX-License-Identifier: EUPL-1.2
"""Heel Utrecht Repareert: repair events (Repair Café sessions, workshops, swap and
share events, once or recurring) and the Reparatieweek held twice a year, with
iCalendar feeds per repair place, municipality and edition."""
