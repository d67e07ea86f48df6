"""Each person whose earlier flag said "已同意处理敏感个人信息" gets a consent record covering
the sensitive kinds (disability, health, 低保/特困 status, other), how: migrated from the earlier
flag, given on the flag's date (else the day of the migration). The flag is removed after this
(``registry.0011``). Reversing turns the records made here back into the flag."""

import datetime

from django.db import migrations
from django.utils import timezone

KINDS = ",disability,health,assistance,other,"
MIGRATED = "migrated"
PURPOSE = "由原“已同意处理敏感个人信息”标记迁移（%s）"


def consents_from_flags(flagged, consent_model, *, on: datetime.date) -> int:
    """One consent record for each flagged person (``flagged``: pairs of the person's id and the
    flag's date, which may be empty); how many were made."""
    records = [
        consent_model(
            person_id=pk,
            kinds=KINDS,
            basis="consent",
            purpose_kind="other",
            purpose=PURPOSE % on.isoformat(),
            given_by="self",
            method=MIGRATED,
            given_on=given_on or on,
        )
        for pk, given_on in flagged
    ]
    consent_model.objects.bulk_create(records, batch_size=1000)
    return len(records)


def forwards(apps, schema_editor):
    Person = apps.get_model("registry", "Person")
    flagged = Person.objects.filter(consent_sensitive=True).values_list("pk", "consent_on").order_by("pk")
    consents_from_flags(flagged.iterator(chunk_size=2000), apps.get_model("consent", "Consent"), on=timezone.localdate())


def backwards(apps, schema_editor):
    Person = apps.get_model("registry", "Person")
    Consent = apps.get_model("consent", "Consent")
    for pk, given_on in Consent.objects.filter(method=MIGRATED).values_list("person_id", "given_on"):
        Person.objects.filter(pk=pk).update(consent_sensitive=True, consent_on=given_on)
    Consent.objects.filter(method=MIGRATED).delete()


class Migration(migrations.Migration):
    dependencies = [("consent", "0001_initial"), ("registry", "0010_household_changes")]
    operations = [migrations.RunPython(forwards, backwards)]
