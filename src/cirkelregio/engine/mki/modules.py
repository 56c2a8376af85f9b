# SPDX-License-Identifier: EUPL-1.2
"""EN 15804 life-cycle modules as the MKI method names them."""

from __future__ import annotations

MODULES: tuple[str, ...] = (
    "A1-A3", "A1", "A2", "A3", "A4", "A5",
    "B1", "B2", "B3", "B4", "B5", "B6", "B7",
    "C1", "C2", "C3", "C4",
    "D",
)  # fmt: skip
"""Every module a profile row may name, in life-cycle order."""

DATA_CATEGORIES: tuple[str, ...] = ("1", "2", "3", "3a")
"""NMD data categories; 3 is generic, unverified data and gets the 30 % uplift."""

CATEGORY_3_UPLIFT = 1.3
"""Uplift (ophoogfactor) on category 3 data: 30 %, per the NMD Bepalingsmethode
(see docs/mki-method.md and data/mki/README.md)."""
