# SPDX-License-Identifier: EUPL-1.2
"""The fixed categories of things repaired, with their Dutch and English labels
(the same list as ``cirkelregio.repair.models.CATEGORIES``, copied here so that this
migration does not change when the code does)."""

from django.db import migrations

CATEGORIES = [
    ("bicycle", "Fietsen", "Bicycles"),
    ("electronics", "Elektronica", "Electronics"),
    ("computer", "Computers en laptops", "Computers and laptops"),
    ("phone", "Telefoons en tablets", "Phones and tablets"),
    ("household_appliances", "Huishoudelijke apparaten", "Household appliances"),
    ("clothing", "Kleding en textiel", "Clothing and textiles"),
    ("shoes", "Schoenen", "Shoes"),
    ("furniture", "Meubels", "Furniture"),
    ("toys", "Speelgoed", "Toys"),
    ("jewellery_watches", "Sieraden en horloges", "Jewellery and watches"),
    ("tools", "Gereedschap", "Tools"),
    ("other", "Overig", "Other"),
]


def create_categories(apps, schema_editor):
    RepairCategory = apps.get_model("repair", "RepairCategory")
    for order, (code, name_nl, name_en) in enumerate(CATEGORIES, start=1):
        RepairCategory.objects.update_or_create(
            code=code,
            defaults={"name_nl": name_nl, "name_en": name_en, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [
        ("repair", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_categories, migrations.RunPython.noop),
    ]
