"""Default group tags and the default four-colour ledger mapping (both editable in the admin)."""

from django.db import migrations

COLOURS = {6: "red", 5: "red", 4: "blue", 1: "green", 2: "green", 3: "green", 7: "yellow"}
TAGS = [
    ("dibao", "低保"), ("tekun", "特困"), ("dibao-edge", "低保边缘"), ("tuopin", "脱贫户"),
    ("monitored", "监测对象"), ("youfu", "优抚对象"), ("veteran", "退役军人"), ("elderly-alone", "独居老人"),
    ("empty-nest", "空巢老人"), ("child-difficult", "困境儿童"), ("de-facto-orphan", "事实孤儿"),
    ("lost-only-child", "失独家庭"),
]


def forwards(apps, schema_editor):
    Rule = apps.get_model("registry", "LedgerColourRule")
    Tag = apps.get_model("registry", "Tag")
    for category, colour in COLOURS.items():
        Rule.objects.get_or_create(category=category, defaults={"colour": colour})
    for sort, (code, name) in enumerate(TAGS):
        Tag.objects.get_or_create(code=code, defaults={"name": name, "sort": sort})


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
