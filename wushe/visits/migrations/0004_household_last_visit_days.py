# Every household's latest visit day (registry 0013's Household.last_visited_on), counted once;
# from now on the visits' services keep it (services.household_visit_days).

from django.db import migrations
from django.db.models import Exists, Max, OuterRef, Subquery


def fill_last_visit_days(apps, schema_editor):
    Household = apps.get_model("registry", "Household")
    Visit = apps.get_model("visits", "Visit")
    visits = Visit.objects.filter(household=OuterRef("pk"))
    latest = visits.order_by().values("household").annotate(day=Max("visited_on")).values("day")
    Household.objects.filter(Exists(visits)).update(last_visited_on=Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0013_household_last_visited_on"),
        ("visits", "0003_offline_receipt"),
    ]

    operations = [
        migrations.RunPython(fill_last_visit_days, migrations.RunPython.noop, elidable=True),
    ]
