"""The group tags the default subsidy rules read (editable, like every tag)."""

from django.db import migrations

TAGS = [
    ("low-income", "低收入", "Low income"),
    ("work-injury-care", "工伤护理费", "Work-injury nursing allowance"),
    ("orphan-guarantee", "孤儿保障", "Orphans' basic-living guarantee"),
    ("no-long-term-care", "无需长期照护", "Assessed: no long-term care needed"),
    ("old-age-care-allowance", "老年护理补贴", "Old-age care allowance"),
    ("duty-disability", "因公致残", "Disabled on duty allowance"),
    ("retired-cadre-care", "离休护理费", "Retired cadres' nursing allowance"),
]


def forwards(apps, schema_editor):
    Tag = apps.get_model("registry", "Tag")
    for sort, (code, name, name_en) in enumerate(TAGS, start=50):
        if not Tag.objects.filter(name=name).exclude(code=code).exists():
            Tag.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en, "sort": sort})


class Migration(migrations.Migration):
    dependencies = [("subsidies", "0001_initial"), ("registry", "0010_household_changes")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
