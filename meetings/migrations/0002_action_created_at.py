"""An action item's ``created_at`` is the desk's time of entry (the demo clock's in the demo), no
longer the server's clock at insert: carry-over compares it with a meeting's start. Rows already
stored take the time of their audited creation, which the demo wrote at the demo's moment."""

import core.dates
from django.db import migrations, models


def from_audit(apps, schema_editor):
    ActionItem = apps.get_model("meetings", "ActionItem")
    AuditEntry = apps.get_model("core", "AuditEntry")
    ContentType = apps.get_model("contenttypes", "ContentType")
    ct = ContentType.objects.filter(app_label="meetings", model="actionitem").first()
    if ct is None:
        return
    created = dict(
        AuditEntry.objects.filter(content_type=ct, action="action_item.create").values_list("object_id", "at")
    )
    for item in ActionItem.objects.only("pk", "created_at").iterator():
        at = created.get(str(item.pk))
        if at is not None and at != item.created_at:
            ActionItem.objects.filter(pk=item.pk).update(created_at=at)


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0001_initial"),
        ("core", "0006_import_runs"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterField(
            model_name="actionitem",
            name="created_at",
            field=models.DateTimeField(default=core.dates.stamp, editable=False, verbose_name="created at"),
        ),
        migrations.RunPython(from_audit, migrations.RunPython.noop),
    ]
