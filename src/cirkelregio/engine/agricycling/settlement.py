# SPDX-License-Identifier: EUPL-1.2
"""The season's Agricycling settlement (issue 7): what each owner pays, what each farm
receives, the cooperative's result and each member's share, in whole euro cents that
add up exactly (docs/agricycling.md, "Settlement").

Money flows (all through the cooperative):

- each owner pays ``fee_eur_per_t`` per tonne placed (unplaced tonnes are not
  charged: the owner pays its alternative instead);
- the cooperative pays the haulage: ``transport_eur_per_tkm`` per tonne-km of every
  placement (tonnes x detoured km);
- each farm receives ``composting_eur_per_t`` per tonne it composts;
- compost value: tonnes composted x ``compost_yield`` (t compost per t input) x
  ``compost_value_eur_per_t``. With ``compost_value_to = "farm"`` (default: the
  farmers spread the compost on their own land, research section 4) it is shown on
  the farm's statement as value in kind and is no money of the cooperative; with
  ``"cooperative"`` the cooperative sells it and it is income of the cooperative;
- the cooperative's result = fees - transport - composting (+ compost value when it
  is the cooperative's), shared among the members (the farms) pro rata to tonnes
  composted, or by a given share key.

Rounding (largest remainder): every total is the exact amount rounded half up to
the cent once; the total is then divided over the parties in proportion to their
exact amounts (or keys): each party gets the floor of its exact share in cents, and
the cents still missing go one each to the parties with the largest remainders (ties:
the order of the parties). So the parties' amounts add up to the total exactly, and
no party is more than one cent from its exact share.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

__all__ = [
    "FRYSLAN_COMPOST_YIELD",
    "PartyAmount",
    "Settlement",
    "SettlementInputError",
    "Statement",
    "Tariffs",
    "largest_remainder",
    "settle",
    "tariffs_from_dict",
    "to_cents",
]

# 25 farmers processed 3,920 t of verge grass and ditch dredgings into about 3,330 t of
# compost in one year in Fryslan (research section 4, frieschdagblad.nl):
# 3,330 / 3,920 = 0.8495.
FRYSLAN_COMPOST_YIELD = Decimal(3330) / Decimal(3920)

CENT = Decimal("0.01")


class SettlementInputError(ValueError):
    """Problems in the tariffs or the allocation; ``issues`` are (path, message)."""

    def __init__(self, issues: Sequence[tuple[str, str]]) -> None:
        self.issues = list(issues)
        super().__init__("\n".join(f"{p}: {m}" if p else m for p, m in self.issues))


@dataclass(frozen=True)
class Tariffs:
    season: str
    fee_eur_per_t: Decimal
    transport_eur_per_tkm: Decimal
    composting_eur_per_t: Decimal
    compost_value_eur_per_t: Decimal
    compost_yield: Decimal = FRYSLAN_COMPOST_YIELD
    compost_value_to: str = "farm"
    share_key: Mapping[str, Decimal] | None = None
    """Member (farm id) -> weight; None: pro rata to tonnes composted."""


@dataclass(frozen=True)
class PartyAmount:
    party: str
    cents: int

    @property
    def eur(self) -> Decimal:
        return Decimal(self.cents).scaleb(-2)


@dataclass(frozen=True)
class Statement:
    """One party's lines for the export: (description, quantity, unit, EUR)."""

    party: str
    role: str
    lines: tuple[tuple[str, str, str, Decimal], ...]
    total_eur: Decimal


@dataclass(frozen=True)
class Settlement:
    season: str
    fees_cents: int
    transport_cents: int
    composting_cents: int
    compost_value_cents: int
    result_cents: int
    owners: tuple[PartyAmount, ...]
    """What each owner pays."""
    farms: tuple[PartyAmount, ...]
    """What each farm receives for composting (cash)."""
    farm_compost_value: tuple[PartyAmount, ...]
    transport: tuple[PartyAmount, ...]
    """Transport cost per farm of destination (for the cooperative's statement)."""
    shares: tuple[PartyAmount, ...]
    """Each member's share of the result."""
    statements: tuple[Statement, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        def amounts(xs: Sequence[PartyAmount]) -> list[dict[str, str]]:
            return [{"party": x.party, "eur": str(x.eur)} for x in xs]

        def eur(c: int) -> str:
            return str(Decimal(c).scaleb(-2))

        return {
            "season": self.season,
            "fees_eur": eur(self.fees_cents),
            "transport_eur": eur(self.transport_cents),
            "composting_eur": eur(self.composting_cents),
            "compost_value_eur": eur(self.compost_value_cents),
            "result_eur": eur(self.result_cents),
            "owners_pay": amounts(self.owners),
            "farms_receive": amounts(self.farms),
            "farms_compost_value": amounts(self.farm_compost_value),
            "transport_by_farm": amounts(self.transport),
            "member_shares": amounts(self.shares),
            "statements": [
                {
                    "party": s.party,
                    "role": s.role,
                    "total_eur": str(s.total_eur),
                    "lines": [
                        {"description": d, "quantity": q, "unit": u, "eur": str(v)}
                        for d, q, u, v in s.lines
                    ],
                }
                for s in self.statements
            ],
        }


def to_cents(amount: Decimal) -> int:
    """Round half up to whole cents."""
    return int((amount * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def largest_remainder(total_cents: int, weights: Sequence[Decimal]) -> list[int]:
    """Divide ``total_cents`` over the weights (at least 0, not all 0 unless the
    total is 0): floors of the exact shares, then one cent each to the largest
    remainders (ties: first in order). Negative totals are divided as their absolute
    value and negated. The result adds up to ``total_cents`` exactly."""
    if any(w < 0 for w in weights):
        raise ValueError("weights must be at least 0")
    s = sum(weights, Decimal(0))
    if s == 0:
        if total_cents != 0:
            raise ValueError("cannot divide a non-zero total over zero weights")
        return [0] * len(weights)
    sign = -1 if total_cents < 0 else 1
    total = abs(total_cents)
    exact = [Decimal(total) * w / s for w in weights]
    floors = [int(e.to_integral_value(rounding=ROUND_FLOOR)) for e in exact]
    missing = total - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:missing]:
        floors[i] += 1
    return [sign * f for f in floors]


def _dec(value: float) -> Decimal:
    """A float from the allocation as the decimal it prints as (shortest repr)."""
    return Decimal(repr(float(value)))


def _check(tariffs: Tariffs) -> list[tuple[str, str]]:
    issues: list[tuple[str, str]] = []
    for name in (
        "fee_eur_per_t",
        "transport_eur_per_tkm",
        "composting_eur_per_t",
        "compost_value_eur_per_t",
        "compost_yield",
    ):
        v = getattr(tariffs, name)
        if not isinstance(v, Decimal) or not v.is_finite() or v < 0:
            issues.append((name, "must be a finite number at least 0"))
    if tariffs.compost_value_to not in ("farm", "cooperative"):
        issues.append(("compost_value_to", "must be farm or cooperative"))
    if tariffs.share_key is not None:
        for k, v in tariffs.share_key.items():
            if not isinstance(v, Decimal) or not v.is_finite() or v < 0:
                issues.append((f"share_key.{k}", "must be a finite number at least 0"))
    return issues


def settle(allocation: Any, tariffs: Tariffs) -> Settlement:
    """The settlement of an allocation (an :class:`~.allocation.Allocation`, or its
    ``to_dict()`` form) under the tariffs."""
    data = allocation.to_dict() if hasattr(allocation, "to_dict") else allocation
    issues = _check(tariffs)
    placements = list(data.get("placements", []))
    farm_ids = [f["farm"] for f in data.get("farms", [])]
    owner_t: dict[str, Decimal] = {}
    farm_t: dict[str, Decimal] = {f: Decimal(0) for f in farm_ids}
    farm_tkm: dict[str, Decimal] = {f: Decimal(0) for f in farm_ids}
    for i, p in enumerate(placements):
        t, d = _dec(p["tonnes"]), _dec(p["distance_km"])
        if t < 0 or d < 0:
            issues.append((f"placements[{i}]", "tonnes and distance must be >= 0"))
            continue
        owner_t[p["owner"]] = owner_t.get(p["owner"], Decimal(0)) + t
        farm_t[p["farm"]] = farm_t.get(p["farm"], Decimal(0)) + t
        farm_tkm[p["farm"]] = farm_tkm.get(p["farm"], Decimal(0)) + t * d
    for u in data.get("unplaced", []):
        owner_t.setdefault(u["owner"], Decimal(0))
    members = list(farm_t)
    if tariffs.share_key is not None:
        unknown = sorted(set(tariffs.share_key) - set(members))
        for k in unknown:
            issues.append((f"share_key.{k}", "is no farm of the allocation"))
        key = [tariffs.share_key.get(m, Decimal(0)) for m in members]
        if not unknown and sum(key, Decimal(0)) == 0 and members:
            issues.append(("share_key", "needs a weight more than 0"))
    else:
        key = [farm_t[m] for m in members]
    if issues:
        raise SettlementInputError(issues)

    owners = sorted(owner_t)
    total_t = sum(owner_t.values(), Decimal(0))
    total_tkm = sum(farm_tkm.values(), Decimal(0))
    fees = to_cents(tariffs.fee_eur_per_t * total_t)
    transport = to_cents(tariffs.transport_eur_per_tkm * total_tkm)
    composting = to_cents(tariffs.composting_eur_per_t * total_t)
    value_per_t = tariffs.compost_yield * tariffs.compost_value_eur_per_t
    compost_value = to_cents(value_per_t * total_t)
    result = fees - transport - composting
    if tariffs.compost_value_to == "cooperative":
        result += compost_value
    owner_c = largest_remainder(fees, [owner_t[o] for o in owners])
    farm_c = largest_remainder(composting, [farm_t[m] for m in members])
    value_c = largest_remainder(compost_value, [farm_t[m] for m in members])
    trans_c = largest_remainder(transport, [farm_tkm[m] for m in members])
    if sum(key, Decimal(0)) == 0:  # nothing composted and no key: result is 0 then
        key = [Decimal(1)] * len(members)
    share_c = largest_remainder(result, key) if members else []

    def pa(ids: Sequence[str], cents: Sequence[int]) -> tuple[PartyAmount, ...]:
        return tuple(PartyAmount(i, c) for i, c in zip(ids, cents, strict=True))

    def e(c: int) -> Decimal:
        return Decimal(c).scaleb(-2)

    statements: list[Statement] = []
    for o, c in zip(owners, owner_c, strict=True):
        statements.append(
            Statement(
                o,
                "owner",
                (
                    (
                        "fee for mowings placed",
                        str(owner_t[o]),
                        "t",
                        e(c),
                    ),
                ),
                e(c),
            )
        )
    for j, m in enumerate(members):
        lines = [
            ("composting fee", str(farm_t[m]), "t", e(farm_c[j])),
            ("share of the cooperative's result", str(key[j]), "key", e(share_c[j])),
        ]
        in_kind = tariffs.compost_value_to == "farm"
        lines.append(
            (
                "compost value"
                + (" (in kind, not paid)" if in_kind else " (to the cooperative)"),
                str(farm_t[m] * tariffs.compost_yield),
                "t compost",
                e(value_c[j]),
            )
        )
        statements.append(Statement(m, "farm", tuple(lines), e(farm_c[j] + share_c[j])))
    coop_lines = [
        ("fees from owners", str(total_t), "t", e(fees)),
        ("transport", str(total_tkm), "tkm", e(-transport)),
        ("composting paid to farms", str(total_t), "t", e(-composting)),
    ]
    if tariffs.compost_value_to == "cooperative":
        coop_lines.append(
            (
                "compost value",
                str(total_t * tariffs.compost_yield),
                "t compost",
                e(compost_value),
            )
        )
    coop_lines.append(("result shared among the members", "", "", e(-result)))
    statements.append(Statement("cooperative", "cooperative", tuple(coop_lines), e(0)))
    return Settlement(
        season=tariffs.season,
        fees_cents=fees,
        transport_cents=transport,
        composting_cents=composting,
        compost_value_cents=compost_value,
        result_cents=result,
        owners=pa(owners, owner_c),
        farms=pa(members, farm_c),
        farm_compost_value=pa(members, value_c),
        transport=pa(members, trans_c),
        shares=pa(members, share_c),
        statements=tuple(statements),
    )


def tariffs_from_dict(data: Any) -> Tariffs:
    """Tariffs from their JSON form (docs/agricycling.md); raises
    SettlementInputError naming every missing or invalid field."""
    issues: list[tuple[str, str]] = []
    if not isinstance(data, dict):
        raise SettlementInputError([("", "must be a JSON object")])
    known = {
        "season",
        "fee_eur_per_t",
        "transport_eur_per_tkm",
        "composting_eur_per_t",
        "compost_value_eur_per_t",
        "compost_yield",
        "compost_value_to",
        "share_key",
        "note",
    }
    issues.extend((k, "unknown field") for k in sorted(set(data) - known))

    def num(name: str, required: bool = True) -> Decimal | None:
        raw = data.get(name)
        if raw is None:
            if required:
                issues.append((name, "is missing (a tariff is needed)"))
            return None
        if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
            issues.append((name, f"must be a number (got {raw!r})"))
            return None
        try:
            value = Decimal(str(raw))
        except ArithmeticError:
            issues.append((name, f"must be a number (got {raw!r})"))
            return None
        if not value.is_finite() or value < 0:
            issues.append((name, f"must be a finite number at least 0 (got {raw!r})"))
            return None
        return value

    season = data.get("season")
    if not isinstance(season, (str, int)) or isinstance(season, bool) or season == "":
        issues.append(("season", "is missing (text or a year)"))
    fee = num("fee_eur_per_t")
    transport = num("transport_eur_per_tkm")
    composting = num("composting_eur_per_t")
    value = num("compost_value_eur_per_t")
    yield_ = num("compost_yield", required=False)
    to = data.get("compost_value_to", "farm")
    if to not in ("farm", "cooperative"):
        issues.append(("compost_value_to", "must be farm or cooperative"))
    key: dict[str, Decimal] | None = None
    raw_key = data.get("share_key")
    if raw_key is not None:
        if not isinstance(raw_key, dict):
            issues.append(("share_key", "must be an object farm id -> weight"))
        else:
            key = {}
            for k, v in raw_key.items():
                try:
                    d = Decimal(str(v))
                except ArithmeticError:
                    d = Decimal("NaN")
                if isinstance(v, bool) or not d.is_finite() or d < 0:
                    issues.append((f"share_key.{k}", "must be a number at least 0"))
                key[k] = d
    if issues:
        raise SettlementInputError(issues)
    assert fee is not None and transport is not None
    assert composting is not None and value is not None
    return Tariffs(
        season=str(season),
        fee_eur_per_t=fee,
        transport_eur_per_tkm=transport,
        composting_eur_per_t=composting,
        compost_value_eur_per_t=value,
        compost_yield=FRYSLAN_COMPOST_YIELD if yield_ is None else yield_,
        compost_value_to=str(to),
        share_key=key,
    )
