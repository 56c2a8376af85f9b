# SPDX-License-Identifier: EUPL-1.2
"""Tender scoring, worked out by hand.

Discount criterion: upper bound 100,000, lower bound 60,000, maximum discount 50,000.
  MKI 80,000 -> (100,000 - 80,000) / 40,000 * 50,000 = 25,000 discount
Bids: A 1,000,000 / 80,000 -> 975,000; B 990,000 / 100,000 -> 990,000;
      C 1,020,000 / 60,000 -> 970,000.  Ranking C, A, B.
C builds 70,000 instead of 60,000: discount 37,500 instead of 50,000, advantage gained
12,500, penalty 1.5 x 12,500 = 18,750.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cirkelregio.engine.mki import Bid, Criterion, penalty, rank_bids

DISCOUNT = Criterion(
    "discount", upper_bound=100_000, lower_bound=60_000, max_discount=50_000
)
BIDS = [
    Bid("A", 1_000_000, 80_000),
    Bid("B", 990_000, 100_000),
    Bid("C", 1_020_000, 60_000),
]


@pytest.mark.parametrize(
    ("mki", "discount"),
    [
        (100_000, 0),
        (60_000, 50_000),
        (80_000, 25_000),
        (50_000, 50_000),
        (120_000, 0),
        (70_000, 37_500),
    ],
)
def test_discount_is_linear_between_the_bounds_and_clamped(
    mki: float, discount: float
) -> None:
    assert DISCOUNT.advantage(mki) == pytest.approx(discount)


def test_ranking_by_fictitious_price() -> None:
    ranked = rank_bids(DISCOUNT, BIDS)
    assert [(r.rank, r.bidder, r.fictitious_price) for r in ranked] == [
        (1, "C", 970_000),
        (2, "A", 975_000),
        (3, "B", 990_000),
    ]


def test_penalty_is_one_and_a_half_times_the_advantage_gained() -> None:
    assert penalty(DISCOUNT, promised_mki=60_000, as_built_mki=70_000) == pytest.approx(
        18_750
    )
    assert penalty(DISCOUNT, promised_mki=60_000, as_built_mki=55_000) == 0


def test_factor_criterion() -> None:
    criterion = Criterion("factor", k=2)
    ranked = rank_bids(criterion, BIDS)
    # price + 2 x MKI: A 1,160,000; B 1,190,000; C 1,140,000
    assert [(r.bidder, r.fictitious_price) for r in ranked] == [
        ("C", 1_140_000),
        ("A", 1_160_000),
        ("B", 1_190_000),
    ]
    # 10,000 more MKI than promised: 2 x 10,000 gained, penalty 1.5 x 20,000
    assert penalty(criterion, 60_000, 70_000) == pytest.approx(30_000)


def test_equal_fictitious_prices_share_a_rank() -> None:
    ranked = rank_bids(Criterion("factor", k=1), [Bid("X", 100, 10), Bid("Y", 105, 5)])
    assert [r.rank for r in ranked] == [1, 1]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": "discount", "upper_bound": 10, "lower_bound": 10, "max_discount": 1},
        {"kind": "discount", "upper_bound": 10, "lower_bound": 5, "max_discount": -1},
        {"kind": "factor", "k": -1},
        {"kind": "lottery"},
    ],
)
def test_invalid_criteria(kwargs: dict) -> None:
    with pytest.raises(ValueError):
        Criterion(**kwargs)


@given(st.floats(0, 1e6), st.floats(0, 1e6))
def test_lower_mki_never_ranks_worse_at_equal_price(a: float, b: float) -> None:
    low, high = min(a, b), max(a, b)
    assert DISCOUNT.fictitious_price(1e6, low) <= DISCOUNT.fictitious_price(1e6, high)
