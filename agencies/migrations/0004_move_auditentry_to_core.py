# The audit log moves to core (core sits below every app). The table is renamed; no row is copied.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("agencies", "0003_alter_agency_kind"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable(name="auditentry", table="core_auditentry")],
            state_operations=[migrations.DeleteModel(name="AuditEntry")],
        ),
    ]
