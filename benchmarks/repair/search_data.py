# SPDX-License-Identifier: EUPL-1.2
"""Deterministic repair places and searches for the search benchmark (bench_search.py).

Places (``random.Random(seed)``, no numpy), in the import's CSV format
(``cirkelregio repair import-places``):

- spread over the 26 municipalities of ``data/regions/nl-utrecht``, a municipality
  drawn by population, then one of its four-digit postcode areas, the place at that
  area's centroid plus a normal offset of about 600 m; one in ten has no
  coordinates (the import puts it at the area's centroid and marks it derived);
- a mix of kinds (many bicycle repairers and tailors, fewer Repair Cafés and
  shoemakers) with the categories such a place repairs;
- OpenStreetMap opening hours of the kind's usual shape with varied days and times
  (a few hundred distinct rules), a few with comments, fallbacks, ``SH`` or 24/7;
  about 3 % unreadable text (kept and flagged by the import) and 12 % without hours.

Searches: ``near`` a random postcode area of the province (``3511`` or ``3511 AB``)
or a point ``lat,lon`` near one, ``radius_km`` 2 to 25, with a category about half
the time, ``open_at`` about a third of the time, now and then ``kind`` or
``municipality``.

    python benchmarks/repair/search_data.py --out DIR [--places 20000] [--seed S]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import random
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[2]
REGION = REPO / "data" / "regions" / "nl-utrecht"
DEFAULT_SEED = 20270105

CSV_COLUMNS = [
    "name",
    "kind",
    "street",
    "postcode",
    "city",
    "lat",
    "lon",
    "categories",
    "opening_hours",
    "website",
    "email",
    "phone",
    "repairs_nl",
    "repairs_en",
    "not_repaired_nl",
    "not_repaired_en",
    "last_verified",
    "owner",
]
CATEGORY_CODES = [
    "bicycle",
    "electronics",
    "computer",
    "phone",
    "household_appliances",
    "clothing",
    "shoes",
    "furniture",
    "toys",
    "jewellery_watches",
    "tools",
    "other",
]
# kind: share, Dutch name, categories always, categories sometimes
KINDS: dict[str, tuple[float, str, list[str], list[str]]] = {
    "bicycle_repair": (0.30, "Fietsenmaker", ["bicycle"], ["tools"]),
    "tailor": (0.15, "Kleermaker", ["clothing"], ["shoes", "other"]),
    "repair_business": (
        0.15,
        "Reparatiewerkplaats",
        ["household_appliances"],
        ["furniture", "tools", "electronics", "other"],
    ),
    "electronics_repair": (
        0.14,
        "Elektronicareparatie",
        ["electronics"],
        ["phone", "computer", "household_appliances"],
    ),
    "other": (0.10, "Reparatie", ["other"], ["furniture", "toys", "jewellery_watches"]),
    "repair_cafe": (
        0.08,
        "Repair Café",
        [],
        ["electronics", "household_appliances", "clothing", "bicycle", "toys"]
        + ["computer", "furniture", "tools", "jewellery_watches", "phone"],
    ),
    "shoemaker": (0.08, "Schoenmaker", ["shoes"], ["other", "jewellery_watches"]),
}
SURNAMES = [
    "de Vries",
    "Jansen",
    "de Boer",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Graaf",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Dijk",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Groot",
    "van der Meer",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van den Berg",
    "van der Heijden",
    "Schouten",
    "Willems",
]
STREETS = [
    "Dorpsstraat",
    "Kerkstraat",
    "Molenweg",
    "Stationsweg",
    "Nieuwstraat",
    "Julianalaan",
    "Beatrixstraat",
    "Oranjestraat",
    "Schoolstraat",
    "Wilhelminastraat",
    "Marktplein",
    "Voorstraat",
    "Lange Nieuwstraat",
    "Biltstraat",
    "Amsterdamsestraatweg",
    "Kanaalweg",
    "Utrechtseweg",
    "Hoofdstraat",
    "Burgemeester Grothestraat",
    "Dillenburgstraat",
]
UNREADABLE = [
    "ma-vr 9-17",
    "op afspraak",
    "Maandag t/m vrijdag 09:00 - 17:00",
    "elke eerste zaterdag van de maand",
    "di t/m za 10.00-17.00 uur",
    "Mo-Fr 9-17",
]
DAY_RANGES = ["Mo-Fr", "Tu-Fr", "Mo-Sa", "Tu-Sa", "Mo-Th"]
OPENS = ["08:00", "08:30", "09:00", "09:30", "10:00"]
CLOSES = ["17:00", "17:30", "18:00", "18:30"]
SATURDAYS = ["Sa 09:00-16:00", "Sa 10:00-17:00", "Sa 09:30-17:00", "Sa 10:00-16:00"]
CAFE_DAYS = ["Sa", "We", "Th", "Mo", "Tu", "Su"]
CAFE_TIMES = ["10:00-13:00", "13:00-16:00", "19:00-21:30", "14:00-17:00", "10:00-12:30"]


def _weighted(rng: random.Random, items: list[str], weights: list[float]) -> str:
    return rng.choices(items, weights=weights, k=1)[0]


def business_hours(rng: random.Random) -> str:
    days = rng.choice(DAY_RANGES)
    opens, closes = rng.choice(OPENS), rng.choice(CLOSES)
    if rng.random() < 0.15:
        rule = f"{days} {opens}-12:30,13:30-{closes}"
    else:
        rule = f"{days} {opens}-{closes}"
    parts = [rule]
    if not days.endswith("Sa") and rng.random() < 0.6:
        parts.append(rng.choice(SATURDAYS))
    if rng.random() < 0.1:
        parts.append("Th 19:00-21:00")
    roll = rng.random()
    if roll < 0.02:
        return "24/7"
    if roll < 0.04:
        parts.append("SH off")
    if roll < 0.08:
        return "; ".join(parts) + ' || "op afspraak"'
    if rng.random() < 0.7:
        parts.append("PH off")
    return "; ".join(parts)


def cafe_hours(rng: random.Random) -> str:
    day = rng.choice(CAFE_DAYS)
    nth = rng.choice(["1", "2", "3", "4", "1,3", "2,4", "-1"])
    rule = f"{day}[{nth}] {rng.choice(CAFE_TIMES)}"
    if rng.random() < 0.15:
        rule += ' "inloop tot een uur voor sluiting"'
    return rule + ("; PH off" if rng.random() < 0.8 else "")


def opening_hours(rng: random.Random, kind: str) -> str:
    roll = rng.random()
    if roll < 0.12:
        return ""
    if roll < 0.15:
        return rng.choice(UNREADABLE)
    return cafe_hours(rng) if kind == "repair_cafe" else business_hours(rng)


def read_region() -> tuple[list[dict[str, str]], dict[str, list[dict[str, str]]]]:
    with (REGION / "municipalities.csv").open(encoding="utf-8") as f:
        municipalities = list(csv.DictReader(f))
    areas: dict[str, list[dict[str, str]]] = {}
    with (REGION / "pc4_centroids.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["in_province_utrecht"] == "True" and row["cbs_code"]:
                areas.setdefault(row["cbs_code"], []).append(row)
    return municipalities, areas


def _letters(rng: random.Random) -> str:
    while True:
        pair = "".join(rng.choice("ABCDEGHJKLMNPRTVWXZ") for _ in range(2))
        if pair not in ("SA", "SD", "SS"):
            return pair


def generate_places(n: int, seed: int = DEFAULT_SEED) -> list[dict[str, str]]:
    rng = random.Random(seed)
    municipalities, areas = read_region()
    populations = [float(m["population"]) for m in municipalities]
    kinds = list(KINDS)
    shares = [KINDS[k][0] for k in kinds]
    rows: list[dict[str, str]] = []
    for i in range(n):
        m = rng.choices(municipalities, weights=populations, k=1)[0]
        area = rng.choice(areas[m["cbs_code"]])
        kind = _weighted(rng, kinds, shares)
        _share, label, always, sometimes = KINDS[kind]
        cats = list(always) + [c for c in sometimes if rng.random() < 0.35]
        if not cats:
            cats = rng.sample(sometimes, 3)
        lat = lon = ""
        if rng.random() >= 0.1:
            lat0 = float(area["lat"])
            dlat = rng.gauss(0, 0.6) / 111.0
            dlon = rng.gauss(0, 0.6) / (111.0 * math.cos(math.radians(lat0)))
            lat = f"{lat0 + dlat:.5f}"
            lon = f"{float(area['lon']) + dlon:.5f}"
        name = (
            f"Repair Café {m['name']} {i}"
            if kind == "repair_cafe"
            else f"{label} {rng.choice(SURNAMES)} {i}"
        )
        slug = f"p{i}"
        rows.append(
            {
                "name": name,
                "kind": kind,
                "street": f"{rng.choice(STREETS)} {rng.randint(1, 240)}",
                "postcode": f"{area['pc4']} {_letters(rng)}",
                "city": m["name"],
                "lat": lat,
                "lon": lon,
                "categories": ";".join(cats),
                "opening_hours": opening_hours(rng, kind),
                "website": f"https://example.org/{slug}" if rng.random() < 0.7 else "",
                "email": f"info-{slug}@example.org" if rng.random() < 0.5 else "",
                "phone": f"030 {rng.randint(1000000, 9999999)}"
                if rng.random() < 0.6
                else "",
                "repairs_nl": "Reparaties in de categorieën van deze plek (benchmark).",
                "repairs_en": "Repairs in this place's categories (benchmark).",
                "not_repaired_nl": "",
                "not_repaired_en": "",
                "last_verified": (
                    dt.date(2026, 1, 1) + dt.timedelta(days=rng.randint(0, 300))
                ).isoformat(),
                "owner": "",
            }
        )
    return rows


def write_places_csv(rows: list[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def generate_queries(n: int, seed: int = DEFAULT_SEED) -> list[str]:
    """``n`` query strings (``near=...&radius_km=...``) for the places search."""
    rng = random.Random(seed + 1)
    municipalities, areas = read_region()
    all_areas = [a for group in areas.values() for a in group]
    start = dt.datetime(2026, 1, 1)  # noqa: DTZ001 (naive: Amsterdam time)
    minutes = int(dt.timedelta(days=730).total_seconds() // 60)
    kinds = list(KINDS)
    queries = []
    for _ in range(n):
        area = rng.choice(all_areas)
        params: dict[str, str] = {}
        if rng.random() < 0.55:
            pc4 = area["pc4"]
            params["near"] = f"{pc4} {_letters(rng)}" if rng.random() < 0.3 else pc4
        else:
            lat = float(area["lat"]) + rng.uniform(-0.02, 0.02)
            lon = float(area["lon"]) + rng.uniform(-0.03, 0.03)
            params["near"] = f"{lat:.5f},{lon:.5f}"
        params["radius_km"] = f"{rng.uniform(2, 25):.1f}"
        if rng.random() < 0.5:
            params["category"] = rng.choice(CATEGORY_CODES)
        if rng.random() < 0.1:
            params["kind"] = rng.choice(kinds)
        if rng.random() < 0.05:
            params["municipality"] = rng.choice(municipalities)["cbs_code"]
        if rng.random() < 0.35:
            at = start + dt.timedelta(minutes=rng.randrange(0, minutes, 5))
            suffix = rng.choice(["", "", "+01:00", "Z"])
            params["open_at"] = at.strftime("%Y-%m-%dT%H:%M") + suffix
        queries.append(urlencode(params))
    return queries


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--places", type=int, default=20000)
    ap.add_argument("--queries", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    write_places_csv(generate_places(a.places, a.seed), a.out / "places.csv")
    (a.out / "queries.txt").write_text(
        "\n".join(generate_queries(a.queries, a.seed)) + "\n", encoding="utf-8"
    )


if __name__ == "__main__":
    main()
