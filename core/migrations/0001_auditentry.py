# The audit log, moved here from agencies (whose migration 0004 renamed the table to core_auditentry).
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("agencies", "0004_move_auditentry_to_core"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="when")),
                        ("action", models.CharField(max_length=60, verbose_name="action")),
                        ("object_id", models.CharField(max_length=64)),
                        ("object_repr", models.CharField(max_length=200, verbose_name="record")),
                        ("changes", models.JSONField(default=dict, verbose_name="changes")),
                        ("note", models.CharField(blank=True, max_length=500, verbose_name="note")),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="who",
                            ),
                        ),
                        (
                            "content_type",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="contenttypes.contenttype"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "audit entry",
                        "verbose_name_plural": "audit log",
                        "indexes": [
                            models.Index(fields=["content_type", "object_id"], name="agencies_au_content_29a727_idx")
                        ],
                    },
                ),
            ],
        ),
    ]
