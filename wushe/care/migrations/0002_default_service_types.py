"""The default care service categories (configurable on the admin; the figure
``care.monthly_cleaning`` reads the category coded ``cleaning``)."""

from django.db import migrations

TYPES = [
    ("daily_care", "生活照料", "Daily personal care", 10),
    ("cleaning", "居家环境清洁", "Home cleaning", 20),
    ("snow", "清除积雪", "Snow clearing", 30),
    ("meals", "助餐", "Meal help", 40),
    ("rehab", "康复指导", "Rehabilitation guidance", 50),
    ("accompany", "陪同就医", "Escort to medical visits", 60),
    ("psych", "心理疏导", "Counselling", 70),
    ("environment", "居家环境改善", "Home environment improvement", 80),
]


def install(apps, schema_editor):
    ServiceType = apps.get_model("care", "ServiceType")
    for code, name, name_en, order in TYPES:
        obj, created = ServiceType.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en, "order": order})
        if not created and not obj.name_en and obj.name == name:
            obj.name_en = name_en
            obj.save(update_fields=["name_en"])


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
