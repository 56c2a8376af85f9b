# SPDX-License-Identifier: EUPL-1.2
"""Filters shared by the apps' APIs.

``IdFilter`` takes a record id: a whole number from 1 to ``MAX_ID``, the largest
value of a 64-bit primary key. Without the bound a huge number reaches the database
and SQLite raises OverflowError (a 500); with it the answer is a 400 problem detail
naming the parameter. Path ids need nothing: Django answers an out-of-range exact
lookup with no rows, so a 404.
"""

from __future__ import annotations

from typing import Any

from django import forms

import django_filters
from drf_spectacular.utils import extend_schema_field

MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """The id of a related record (``field_name="section_id"``)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)
