"""The default catalogue: common rental devices by GB/T 16432 (ISO 9999) class, with a default
deposit, monthly rent and loan period (configurable on the admin)."""

from decimal import Decimal

from django.db import migrations

TYPES = [
    ("12 22", "轮椅", "Wheelchair", "300.00", "20.00"),
    ("12 06", "助行器", "Walking frame", "100.00", "10.00"),
    ("18 12", "护理床", "Care bed", "500.00", "50.00"),
    ("09 12", "坐便椅", "Commode chair", "80.00", "5.00"),
    ("12 03", "拐杖", "Crutch", "50.00", "0.00"),
]


def install(apps, schema_editor):
    DeviceType = apps.get_model("rentals", "DeviceType")
    for code, name, name_en, deposit, rent in TYPES:
        DeviceType.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "deposit": Decimal(deposit), "monthly_rent": Decimal(rent)},
        )


class Migration(migrations.Migration):
    dependencies = [("rentals", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
