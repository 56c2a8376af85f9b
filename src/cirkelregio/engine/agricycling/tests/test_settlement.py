# SPDX-License-Identifier: EUPL-1.2
"""Agricycling settlement: hand-computed amounts to the cent, the largest-remainder
rule, and on random inputs (hypothesis) every set of party amounts adds up to its
total exactly and the books balance."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cirkelregio.engine.agricycling.settlement import (
    FRYSLAN_COMPOST_YIELD,
    SettlementInputError,
    Tariffs,
    largest_remainder,
    settle,
    tariffs_from_dict,
)

D = Decimal


def alloc(placements: list[tuple[str, str, float, float]]) -> dict[str, Any]:
    """An allocation's dict form from (owner, farm, tonnes, km)."""
    farms = sorted({f for _, f, _, _ in placements})
    return {
        "placements": [
            {"owner": o, "farm": f, "tonnes": t, "distance_km": d}
            for o, f, t, d in placements
        ],
        "unplaced": [],
        "farms": [{"farm": f} for f in farms],
    }


def test_largest_remainder_by_hand() -> None:
    assert largest_remainder(100, [D(1), D(1), D(1)]) == [34, 33, 33]
    # 10,000 cents over 10:2 -> 8,333.33 and 1,666.67: the larger remainder wins.
    assert largest_remainder(10000, [D(10), D(2)]) == [8333, 1667]
    assert largest_remainder(-100, [D(1), D(1), D(1)]) == [-34, -33, -33]
    assert largest_remainder(0, [D(0), D(0)]) == [0, 0]
    with pytest.raises(ValueError):
        largest_remainder(5, [D(0)])


def test_fryslan_yield() -> None:
    # 3,330 t of compost from 3,920 t in (research section 4).
    assert round(FRYSLAN_COMPOST_YIELD, 4) == D("0.8495")


TARIFFS = Tariffs(
    season="2026",
    fee_eur_per_t=D("30"),
    transport_eur_per_tkm=D("1"),
    composting_eur_per_t=D("20"),
    compost_value_eur_per_t=D("5"),
    compost_yield=D("0.85"),
)


def test_settlement_by_hand() -> None:
    # The split allocation of the hand instance: G1's 6 t to F1 at 1 km, G2's 4 t to
    # F1 at 1 km and 2 t to F2 at 3 km. Fees 12 t x 30 = 360.00 (180.00 each);
    # transport 16 tkm x 1 = 16.00; composting F1 10 t x 20 = 200.00, F2 40.00;
    # result 360 - 16 - 240 = 104.00, shared 10:2 = 86.666.. / 17.333.. -> 86.67 and
    # 17.33; compost value 12 x 0.85 x 5 = 51.00 (F1 42.50, F2 8.50), in kind.
    s = settle(
        alloc([("G1", "F1", 6, 1), ("G2", "F1", 4, 1), ("G2", "F2", 2, 3)]), TARIFFS
    )
    assert (s.fees_cents, s.transport_cents, s.composting_cents) == (36000, 1600, 24000)
    assert (s.result_cents, s.compost_value_cents) == (10400, 5100)
    assert [(o.party, o.cents) for o in s.owners] == [("G1", 18000), ("G2", 18000)]
    assert [(f.party, f.cents) for f in s.farms] == [("F1", 20000), ("F2", 4000)]
    assert [(f.party, f.cents) for f in s.shares] == [("F1", 8667), ("F2", 1733)]
    assert [(f.party, f.cents) for f in s.farm_compost_value] == [
        ("F1", 4250),
        ("F2", 850),
    ]
    farm_f1 = next(x for x in s.statements if x.party == "F1")
    assert farm_f1.total_eur == D("286.67")  # 200.00 + 86.67 in cash
    out = s.to_dict()
    assert out["result_eur"] == "104.00"
    assert out["member_shares"][0] == {"party": "F1", "eur": "86.67"}


def test_compost_value_to_the_cooperative_and_a_share_key_by_hand() -> None:
    # Three owners of 0.333 t each at 1 EUR/t: 0.333 each, 0.999 in all -> 1.00; each
    # owner's exact share is 33.33.. cents: floors 33 + 33 + 33 = 99, the missing cent
    # goes to the first of the tied remainders: 0.34 + 0.33 + 0.33 (rounding each
    # owner on its own would give 0.99). Compost value to the cooperative: 0.999 t x
    # 0.5 x 2 = 0.999 -> 1.00; result 1.00 + 1.00 = 2.00 (no transport, no composting
    # fee), shared 1:2 by the key: 66.67 / 133.33 cents -> 0.67 and 1.33.
    t = Tariffs("2026", D(1), D(0), D(0), D(2), D("0.5"), "cooperative",
                {"F1": D(1), "F2": D(2)})  # fmt: skip
    rows = [("A", "F1", 0.333, 2), ("B", "F2", 0.333, 2), ("C", "F2", 0.333, 2)]
    s = settle(alloc(rows), t)
    assert [o.cents for o in s.owners] == [34, 33, 33]
    assert (s.fees_cents, s.compost_value_cents, s.result_cents) == (100, 100, 200)
    assert [x.cents for x in s.shares] == [67, 133]


def test_bad_tariffs_name_every_field() -> None:
    with pytest.raises(SettlementInputError) as err:
        tariffs_from_dict(
            {"fee_eur_per_t": -1, "composting_eur_per_t": "x", "extra": 1}
        )
    paths = {p for p, _ in err.value.issues}
    assert paths == {
        "extra",
        "season",
        "fee_eur_per_t",
        "transport_eur_per_tkm",
        "composting_eur_per_t",
        "compost_value_eur_per_t",
    }
    t = Tariffs("s", D(1), D(1), D(1), D(1), share_key={"nobody": D(1)})
    with pytest.raises(SettlementInputError, match="no farm"):
        settle(alloc([("A", "F1", 1, 1)]), t)


money = st.decimals(min_value=0, max_value=200, places=2)


@settings(max_examples=200, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C", "D", "E"]),
            st.sampled_from(["F1", "F2", "F3", "F4"]),
            st.floats(0, 500, allow_nan=False).map(lambda x: round(x, 3)),
            st.floats(0, 5, allow_nan=False),
        ),
        min_size=1,
        max_size=25,
    ),
    fee=money,
    transport=st.decimals(min_value=0, max_value=5, places=3),
    composting=money,
    value=money,
    to=st.sampled_from(["farm", "cooperative"]),
    key=st.none() | st.lists(st.integers(0, 9), min_size=4, max_size=4),
)
def test_sums_balance_to_the_cent(
    rows: list[tuple[str, str, float, float]],
    fee: Decimal,
    transport: Decimal,
    composting: Decimal,
    value: Decimal,
    to: str,
    key: list[int] | None,
) -> None:
    data = alloc(rows)
    members = [f["farm"] for f in data["farms"]]
    share_key = None
    if key is not None:
        share_key = {m: D(k) for m, k in zip(members, key, strict=False)}
        if sum(share_key.values()) == 0:
            share_key[members[0]] = D(1)
    t = Tariffs("s", fee, transport, composting, value, D("0.8495"), to, share_key)
    s = settle(data, t)
    assert sum(o.cents for o in s.owners) == s.fees_cents
    assert sum(f.cents for f in s.farms) == s.composting_cents
    assert sum(f.cents for f in s.transport) == s.transport_cents
    assert sum(f.cents for f in s.farm_compost_value) == s.compost_value_cents
    assert sum(x.cents for x in s.shares) == s.result_cents
    coop = s.compost_value_cents if to == "cooperative" else 0
    assert (
        s.result_cents == s.fees_cents - s.transport_cents - s.composting_cents + coop
    )
    # Money in = money out: owners pay the haulier, the farms and the members.
    paid_out = s.transport_cents + sum(f.cents for f in s.farms) + s.result_cents
    assert sum(o.cents for o in s.owners) + coop == paid_out
    # Each owner within a cent of the exact fee on its tonnes.
    for o in s.owners:
        tonnes = sum((D(repr(r[2])) for r in rows if r[0] == o.party), D(0))
        assert abs(D(o.cents) - fee * tonnes * 100) <= D("1.5")
    # Statements: farms get composting + share in cash.
    for st_ in s.statements:
        if st_.role == "farm":
            j = members.index(st_.party)
            assert st_.total_eur * 100 == s.farms[j].cents + s.shares[j].cents
