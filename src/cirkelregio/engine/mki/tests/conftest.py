# SPDX-License-Identifier: EUPL-1.2
"""A small synthetic case whose MKI is worked out by hand in test_calculate.py.

The numbers are invented test data (not NMD data)."""

from __future__ import annotations

from pathlib import Path

import pytest

WEIGHTS = """indicator,unit,eur_per_unit
GWP,kg CO2 eq,0.05
AP,kg SO2 eq,4
EP,kg PO4 eq,9
HTP,kg 1.4-DB eq,0.09
"""

PROFILES = """profile_id,name,unit,data_category,module,indicator,value
P1,Asfalt AC surf (test),t,1,A1-A3,GWP,60
P1,Asfalt AC surf (test),t,1,A1-A3,AP,0.2
P1,Asfalt AC surf (test),t,1,A1-A3,EP,0.03
P1,Asfalt AC surf (test),t,1,A1-A3,HTP,10
P1,Asfalt AC surf (test),t,1,C3,GWP,5
P1,Asfalt AC surf (test),t,1,D,GWP,-10
P2,Betonband (test),m,3,A1-A3,GWP,20
P2,Betonband (test),m,3,A1-A3,AP,0.1
"""

BILL = """line_id,element,profile_id,quantity,service_life_years
L1,Deklaag,P1,100,12
L2,Opsluiting,P2,200,
L3,Deklaag,P1,0,60
"""


@pytest.fixture
def case(tmp_path: Path) -> dict[str, Path]:
    files = {"weights": WEIGHTS, "profiles": PROFILES, "bill": BILL}
    paths = {}
    for name, content in files.items():
        path = tmp_path / f"{name}.csv"
        path.write_text(content, encoding="utf-8")
        paths[name] = path
    return paths
