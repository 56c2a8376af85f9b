# SPDX-License-Identifier: EUPL-1.2
"""A province-sized SYNTHETIC mixture-harmonisation instance (benchmark 7).

Deterministic (``random.Random(seed)``). Every number here is invented for timing:
no MKI value, over-specification cost, tonnage or plant is a real figure.

- 26 road authorities (``A01`` .. ``A26``, the province's 26 municipalities stand
  behind the count, not their data), each served by one or two of 6 asphalt plants;
- ``works`` planned works (default 10,000) over 5 years in quarters (``2027-Q1`` ..
  ``2031-Q4``); 4 % without a known period, 8 % without a known plant;
- layers per work: a surface layer always, a binder layer for 70 %, a base layer for
  45 % (about 2.2 layers a work); tonnes = area (log-normal, median 2,500 m2) x
  thickness (surface 4 cm, binder 6 cm, base 8 cm) x 2.35 t/m3;
- 40 candidate standard mixtures: 18 surface, 10 binder, 12 base, each with a
  grade (1 = lightest traffic/spec); SYNTHETIC MKI per tonne 6 to 16 EUR (surface
  dearest);
- required classes: the 40 candidates plus 30 non-standard variants (a grade between
  candidates' grades); a class is drawn per layer with Zipf-like popularity;
- admissibility (upward substitution): a class may be served by a candidate of the
  same layer with a grade at least its own, at 0.60 EUR/t per grade step plus 0 to
  0.40 EUR/t; a base class also by a binder candidate of at least its grade, at
  1.20 EUR/t more. A candidate serves its own class at 0.
"""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from cirkelregio.engine.roads.harmonise import (  # noqa: E402
    HarmonisationProblem,
    Mixture,
    Requirement,
    Substitution,
)

SEED = 20270601
LAYERS = {"surf": (18, 0.04, 12.0), "bin": (10, 0.06, 8.5), "base": (12, 0.08, 6.5)}
"""layer: (candidates, thickness m, base MKI EUR/t), all SYNTHETIC."""
DENSITY = 2.35  # t/m3, a typical compacted asphalt density (SYNTHETIC use here)


def generate(works: int = 10_000, seed: int = SEED) -> HarmonisationProblem:
    rng = random.Random(seed)
    mixtures: list[Mixture] = []
    grade: dict[str, tuple[str, float]] = {}
    for layer, (n, _, mki) in LAYERS.items():
        for g in range(1, n + 1):
            id_ = f"{layer.upper()}-{g:02d}"
            mixtures.append(Mixture(id_, round(mki + 0.2 * g + rng.uniform(0, 1), 2)))
            grade[id_] = (layer, float(g))
    classes: dict[str, list[str]] = {layer: [] for layer in LAYERS}
    for m in mixtures:
        classes[grade[m.id][0]].append(m.id)
    for i in range(30):
        layer = rng.choice(list(LAYERS))
        g = rng.randint(1, LAYERS[layer][0] - 1) + 0.5
        id_ = f"{layer.upper()}-NS{i:02d}"
        grade[id_] = (layer, g)
        classes[layer].append(id_)
    substitutions: list[Substitution] = []
    for c, (layer, g) in grade.items():
        for m in mixtures:
            ml, mg = grade[m.id]
            if m.id == c:
                continue
            if ml == layer and mg >= g:
                cost = 0.60 * (mg - g) + rng.uniform(0, 0.40)
            elif layer == "base" and ml == "bin" and mg >= g:
                cost = 1.20 + 0.60 * (mg - g) + rng.uniform(0, 0.40)
            else:
                continue
            substitutions.append(Substitution(c, m.id, round(cost, 2)))
    weights = {
        layer: [1.0 / (1 + r) ** 1.1 for r in range(len(cs))]
        for layer, cs in classes.items()
    }
    for cs in classes.values():
        rng.shuffle(cs)
    plants = [f"Plant {i}" for i in range(1, 7)]
    served = {f"A{a:02d}": rng.sample(plants, rng.choice((1, 2))) for a in range(1, 27)}
    periods = [f"{y}-Q{q}" for y in range(2027, 2032) for q in range(1, 5)]
    requirements: list[Requirement] = []
    for w in range(works):
        authority = f"A{rng.randint(1, 26):02d}"
        plant = None if rng.random() < 0.08 else rng.choice(served[authority])
        period = None if rng.random() < 0.04 else rng.choice(periods)
        area = math.exp(rng.gauss(math.log(2500), 0.8))
        for layer, share in (("surf", 1.0), ("bin", 0.70), ("base", 0.45)):
            if rng.random() >= share:
                continue
            c = rng.choices(classes[layer], weights[layer])[0]
            tonnes = round(area * LAYERS[layer][1] * DENSITY, 1)
            requirements.append(
                Requirement(f"W{w:05d}-{layer}", c, tonnes, plant, period)
            )
    return HarmonisationProblem(
        tuple(requirements), tuple(mixtures), tuple(substitutions)
    )


if __name__ == "__main__":
    p = generate()
    print(
        f"{len(p.requirements)} requirements, {len(p.mixtures)} mixtures, "
        f"{len({r.mixture for r in p.requirements})} classes, "
        f"{len(p.substitutions)} substitutions"
    )
