"""The single ``consent_sensitive`` flag (and its date) gives way to consent records
(``wushe.consent``): its values were turned into records by ``consent.0002``, which runs first."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0010_household_changes"),
        ("consent", "0002_consents_from_flags"),
    ]

    operations = [
        migrations.RemoveField(model_name="historicalperson", name="consent_on"),
        migrations.RemoveField(model_name="historicalperson", name="consent_sensitive"),
        migrations.RemoveField(model_name="person", name="consent_on"),
        migrations.RemoveField(model_name="person", name="consent_sensitive"),
    ]
