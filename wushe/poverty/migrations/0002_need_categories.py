"""The need categories a failed check item becomes (住房安全, 饮水安全), beside the defaults."""

from django.db import migrations

CATEGORIES = [("housing", "住房安全", "Housing safety"), ("water", "饮水安全", "Safe drinking water")]


def add(apps, schema_editor):
    NeedCategory = apps.get_model("needs", "NeedCategory")
    last = NeedCategory.objects.order_by("-order").values_list("order", flat=True).first() or 0
    for n, (code, name, name_en) in enumerate(CATEGORIES, start=1):
        if not NeedCategory.objects.filter(name=name).exclude(code=code).exists():
            NeedCategory.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en, "order": last + n})


class Migration(migrations.Migration):
    dependencies = [("poverty", "0001_initial"), ("needs", "0005_needcategory_name_en")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
