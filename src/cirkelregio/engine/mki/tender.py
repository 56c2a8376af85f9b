# SPDX-License-Identifier: EUPL-1.2
"""MKI as an award criterion (BPKV/EMVI) and the settlement after award.

Two ways to let the MKI weigh in the fictitious price:

- ``discount``: a fictitious discount that runs linearly from 0 at the upper MKI bound
  to ``max_discount`` at the lower bound, clamped outside the bounds
  (Rijkswaterstaat, "Handleiding gunnen met MKI-waarde"; the linear form between the
  bounds is the usual reading, see docs/mki-method.md);
- ``factor``: ``k x MKI`` added to the price ("MKI-optellen", Rijkswaterstaat 2021).

After award the promised MKI is a contract requirement. When the as-built MKI is
higher, the contractor pays ``penalty_factor`` (default 1.5) times the advantage the
promise gained in the award (Rijkswaterstaat DuboCalc FAQ: "1,5 x het genoten
voordeel").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

CriterionKind = Literal["discount", "factor"]


@dataclass(frozen=True)
class Criterion:
    kind: CriterionKind
    upper_bound: float = 0.0
    lower_bound: float = 0.0
    max_discount: float = 0.0
    k: float = 0.0
    penalty_factor: float = 1.5

    def __post_init__(self) -> None:
        if self.kind == "discount":
            if not self.upper_bound > self.lower_bound:
                raise ValueError("the upper MKI bound must lie above the lower bound")
            if self.max_discount < 0:
                raise ValueError("the maximum discount cannot be negative")
        elif self.kind == "factor":
            if self.k < 0:
                raise ValueError("the factor k cannot be negative")
        else:
            raise ValueError("the criterion is discount or factor")
        if self.penalty_factor < 0:
            raise ValueError("the penalty factor cannot be negative")

    def advantage(self, mki: float) -> float:
        """How much the MKI lowers the fictitious price, in euros (negative for the
        factor method: it adds k x MKI)."""
        if self.kind == "discount":
            share = (self.upper_bound - mki) / (self.upper_bound - self.lower_bound)
            return self.max_discount * min(1.0, max(0.0, share))
        return -self.k * mki

    def fictitious_price(self, price: float, mki: float) -> float:
        return price - self.advantage(mki)


@dataclass(frozen=True)
class Bid:
    bidder: str
    price: float
    mki: float


@dataclass(frozen=True)
class RankedBid:
    rank: int
    bidder: str
    price: float
    mki: float
    advantage: float
    fictitious_price: float


def rank_bids(criterion: Criterion, bids: list[Bid]) -> list[RankedBid]:
    """Bids by fictitious price, lowest first; equal prices share a rank."""
    scored = sorted(
        (criterion.fictitious_price(b.price, b.mki), b.bidder, b) for b in bids
    )
    ranked: list[RankedBid] = []
    for position, (fictitious, _name, bid) in enumerate(scored, start=1):
        rank = (
            ranked[-1].rank
            if ranked and ranked[-1].fictitious_price == fictitious
            else position
        )
        ranked.append(
            RankedBid(
                rank,
                bid.bidder,
                bid.price,
                bid.mki,
                criterion.advantage(bid.mki),
                fictitious,
            )
        )
    return ranked


def penalty(criterion: Criterion, promised_mki: float, as_built_mki: float) -> float:
    """What the contractor pays when the as-built MKI exceeds the promise: the factor
    times the advantage gained by promising more than was delivered (0 otherwise)."""
    gained = criterion.advantage(promised_mki) - criterion.advantage(as_built_mki)
    return criterion.penalty_factor * max(0.0, gained)
