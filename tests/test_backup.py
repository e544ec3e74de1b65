"""Backup and restore: the database and the uploaded files come back exactly as they were."""

from __future__ import annotations

import io
import shutil
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TransactionTestCase, override_settings
from django.utils import translation

from core import stamps
from core.models import AuditEntry
from regions import actions
from regions.models import PollingStation
from tests import fixtures


def row_counts() -> dict[str, int]:
    """Rows in every table of the database."""
    counts = {}
    with connection.cursor() as cur:
        for table in sorted(connection.introspection.table_names(cur)):
            cur.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cur.fetchone()[0]
    return counts


def audit_log() -> list[dict[str, Any]]:
    return list(AuditEntry.objects.order_by("pk").values())


class BackupRestoreTest(TransactionTestCase):
    def setUp(self) -> None:
        self.tmp = Path(tempfile.mkdtemp(prefix="sinergi-test-backup-"))
        self.addCleanup(shutil.rmtree, self.tmp, ignore_errors=True)
        media = override_settings(MEDIA_ROOT=str(self.tmp / "media"))
        media.enable()
        self.addCleanup(media.disable)
        fixtures.make_regions()
        self.election = fixtures.make_election()
        self.kpu = fixtures.make_personas()["kpu_operator"]
        actions.create_polling_station(
            self.kpu, self.election, {"village_id": "64.02.07.2001", "number": "1", "dpt_male": 200}
        )
        self.photo = default_storage.save("receipts/2024/11/receipt.jpg", ContentFile(b"\xff\xd8 a signed receipt"))
        self.archive = self.tmp / "backup.tar.gz"
        self.enterContext(translation.override("en"))

    def test_a_round_trip_restores_every_table_the_audit_log_and_the_uploads(self) -> None:
        counts, log = row_counts(), audit_log()
        self.assertGreater(len(log), 0)
        out = io.StringIO()
        call_command("backup", str(self.archive), stdout=out)
        self.assertIn("1 uploaded file(s)", out.getvalue())

        # life goes on after the backup: a new TPS, an edit, a lost upload
        actions.create_polling_station(
            self.kpu, self.election, {"village_id": "64.02.07.2002", "number": "1", "dpt_male": 100}
        )
        AuditEntry.objects.filter(pk=log[0]["id"]).delete()
        default_storage.delete(self.photo)
        default_storage.save("receipts/later.jpg", ContentFile(b"later"))
        self.assertNotEqual(row_counts(), counts)

        before_restore = stamps.bump("some-cached-figures")
        call_command("restore", str(self.archive), "--yes", stdout=io.StringIO())
        self.assertNotEqual(stamps.current("some-cached-figures"), before_restore, "caches are stale now")
        self.assertEqual(row_counts(), counts)
        self.assertEqual(audit_log(), log)
        with default_storage.open(self.photo) as f:
            self.assertEqual(f.read(), b"\xff\xd8 a signed receipt")
        self.assertFalse(default_storage.exists("receipts/later.jpg"))

    def test_restore_asks_for_confirmation_and_changes_nothing_without_it(self) -> None:
        call_command("backup", str(self.archive), stdout=io.StringIO())
        PollingStation.objects.all().delete()
        with self.assertRaisesMessage(CommandError, "Run again with --yes"):
            call_command("restore", str(self.archive), stdout=io.StringIO())
        self.assertEqual(PollingStation.objects.count(), 0)

    def test_a_file_that_is_not_a_sinergi_backup_is_refused_and_nothing_changes(self) -> None:
        counts = row_counts()
        text = self.tmp / "notes.txt"
        text.write_text("not a backup")
        other = self.tmp / "other.tar.gz"
        with tarfile.open(other, "w:gz") as tar:
            tar.add(text, arcname="notes.txt")
        for path in (text, other, self.tmp / "missing.tar.gz"):
            with self.assertRaises(CommandError) as caught:
                call_command("restore", str(path), "--yes", stdout=io.StringIO())
            self.assertIn(str(path), str(caught.exception))
            self.assertRegex(str(caught.exception), "is not a Sinergi backup|does not exist")
        self.assertEqual(row_counts(), counts)
        self.assertTrue(default_storage.exists(self.photo))

    def test_the_refusal_speaks_indonesian_by_default(self) -> None:
        text = self.tmp / "notes.txt"
        text.write_text("not a backup")
        with translation.override("id"), self.assertRaisesMessage(CommandError, "bukan berkas cadangan Sinergi"):
            call_command("restore", str(text), "--yes", stdout=io.StringIO())
