"""The default need categories of DOMAIN.md (configuration: edit them in the admin)."""

from django.db import migrations

DEFAULTS = [
    ("rehab", "康复训练"),
    ("psych", "心理慰藉"),
    ("employment", "辅助就业"),
    ("daily_care", "生活照料"),
    ("meals", "助餐"),
    ("cleaning", "助洁"),
    ("emergency", "助急"),
    ("medical", "助医"),
    ("barrier_free", "无障碍改造"),
    ("aids", "辅具适配"),
    ("policy", "政策咨询"),
    ("legal", "法律援助"),
    ("education", "教育"),
]


def add(apps, schema_editor):
    NeedCategory = apps.get_model("needs", "NeedCategory")
    for order, (code, name) in enumerate(DEFAULTS, start=1):
        NeedCategory.objects.get_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("needs", "0003_initial")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
