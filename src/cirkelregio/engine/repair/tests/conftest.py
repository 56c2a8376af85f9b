# SPDX-License-Identifier: EUPL-1.2
"""Small hand-made ORDS files (invented records) and the paths of the real ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[5]
ORDS_DIR = REPO / "data" / "ords"
RCI_FILE = ORDS_DIR / "OpenRepairData_v0.2.1_RepairCafeInternational_202009.csv"
FIXIT_FILE = ORDS_DIR / "OpenRepairData_v0.3_FixitClinic_202507.csv"
CATEGORIES_FILE = ORDS_DIR / "OpenRepairData_v0.3_Product_Categories.csv"

V021_HEADER = (
    "id,data_provider,country,partner_product_category,product_category,brand,"
    "year_of_manufacture,repair_status,repair_barrier_if_end_of_life,group_identifier,"
    "event_date,problem\n"
)
V03_HEADER = (
    "id,data_provider,country,partner_product_category,product_category,"
    "product_category_id,brand,year_of_manufacture,product_age,repair_status,"
    "repair_barrier_if_end_of_life,group_identifier,event_date,problem\n"
)

# Five v0.2.1 records; the third has a problem text over two lines.
V021_ROWS = (
    "t_1,Test Cafe,NLD,Koffie ~ Senseo,Coffee maker,Philips,2015,Fixed,,0074,"
    "2019-03-02,Pomp vast\n"
    "t_2,Test Cafe,NLD,Lamp ~ Bureaulamp,Lamp,Unknown,????,End of life,,0074,"
    "2019-03-02,\n"
    "t_3,Test Cafe,DEU,TV,Flat screen,Unknown,????,Repairable,,0112,2020-01-11,"
    '"Geen beeld\n'
    'backlight besteld"\n'
    "t_4,Test Cafe,NLD,Overig,Misc,Unknown,????,Fixed,,0112,2020-01-11,\n"
    "t_5,Test Cafe,NLD,Koffie,Coffee maker,Unknown,????,Unknown,,0112,2020-02-08,\n"
)

# Four v0.3 records, with codes instead of texts in the last two.
V03_ROWS = (
    "f_1,Test Clinic,USA,blender,Food processor,37,Oster,2012,7,Fixed,,Clinic A,"
    "2021-05-01,motor brushes\n"
    "f_2,Test Clinic,USA,toaster,Toaster,31,,,,End of life,Item too worn out,Clinic A,"
    "2021-05-01,\n"
    "f_3,Test Clinic,USA,laptop,Laptop,16,Dell,,2.5,1,,Clinic B,2022-06-30,hinge\n"
    "f_4,Test Clinic,USA,kettle,Kettle,14,,,,3,6,Clinic B,2022-06-30,\n"
)


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    def write(name: str, content: str) -> Path:
        path = tmp_path / name
        path.write_text(content, encoding="utf-8", newline="")
        return path

    return write
