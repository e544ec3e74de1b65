"""A large TPS upload runs as a background job, followed on its status page; a small one at once."""

from __future__ import annotations

import datetime as dt
import io
import os
import threading
from pathlib import Path
from typing import Any
from unittest import mock

from django.conf import settings
from django.db import connection, transaction
from django.test import TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import timezone

from agencies.models import Membership
from core import import_runs, jobs
from core.models import AuditEntry, ImportRun, Job, JobState
from regions import actions
from regions.models import PollingStation, RegionSummary
from regions.tests.test_tps_import import GOOD_ROW, HEADER, csv_bytes
from tests import fixtures
from tests.base import SinergiTestCase
from tests.hostile_files import xlsx


def tps_rows(n: int, village: str = "64.02.07.2002") -> list[str]:
    return [GOOD_ROW.replace("64.02.07.2002,001,", f"{village},{i:03d},") for i in range(1, n + 1)]


@override_settings(IMPORT_INLINE_MAX_BYTES=100)  # a file of a few rows is "large"
class BackgroundTpsImportTest(SinergiTestCase):
    def upload(self, data: bytes, user: Any = None, name: str = "tps.csv") -> Any:
        self.client.force_login(user or self.kpu_operator)
        f = io.BytesIO(data)
        f.name = name
        return self.client.post(reverse("regions:tps_import"), {"election": self.election.pk, "file": f})

    def status(self, run: ImportRun, **extra: Any) -> Any:
        return self.client.get(reverse("core:import_run", args=[run.pk]), **extra)

    def stored_files(self) -> list[str]:
        folder = Path(settings.SINERGI_UPLOAD_DIR)
        return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []

    def test_a_small_file_is_still_imported_at_once(self) -> None:
        with self.settings(IMPORT_INLINE_MAX_BYTES=2 * 1024 * 1024):
            r = self.upload(csv_bytes(GOOD_ROW))
        self.assertRedirects(r, reverse("regions:tps_list"), fetch_redirect_response=False)
        self.assertTrue(PollingStation.objects.filter(village_id="64.02.07.2002").exists())
        self.assertFalse(ImportRun.objects.exists())
        self.assertFalse(Job.objects.filter(name=import_runs.JOB).exists())

    def test_a_large_file_waits_for_the_worker_then_the_page_shows_the_result(self) -> None:
        before = PollingStation.objects.count()
        r = self.upload(csv_bytes(*tps_rows(3)))
        run = ImportRun.objects.get()
        self.assertRedirects(r, reverse("core:import_run", args=[run.pk]), fetch_redirect_response=False)
        self.assertEqual(PollingStation.objects.count(), before, "nothing is imported in the request")
        self.assertEqual((run.user, run.state, run.rows_total), (self.kpu_operator, "queued", 3))
        self.assertTrue(Job.objects.filter(name=import_runs.JOB, key=str(run.pk), state=JobState.PENDING).exists())
        stored = Path(settings.SINERGI_UPLOAD_DIR) / run.stored_name
        self.assertTrue(stored.is_file())
        self.assertNotIn(Path(settings.MEDIA_ROOT), stored.parents, "never public media")
        self.assertEqual(os.stat(stored).st_mode & 0o777, 0o600)

        page = self.status(run)
        self.assertContains(page, "Menunggu")
        self.assertContains(page, 'hx-trigger="every 2s"')

        jobs.run_all()
        page = self.status(run)
        self.assertContains(page, "Impor selesai: 3 TPS ditambahkan, 0 diperbarui, 0 tidak berubah.")
        self.assertNotContains(page, "hx-trigger", msg_prefix="the finished page stops polling")
        run.refresh_from_db()
        self.assertEqual((run.state, run.counts), ("done", {"created": 3, "updated": 0, "unchanged": 0}))
        assert run.audit_entry is not None
        self.assertEqual(run.audit_entry.action, "tps.import")
        self.assertContains(page, reverse("core:audit_entry", args=[run.audit_entry.pk]))
        self.assertEqual(PollingStation.objects.count(), before + 3)
        self.assertFalse(stored.exists(), "the file is deleted once imported")
        # the follow-ups ran inside the import job: the desa's summary row is there already
        self.assertFalse(Job.objects.filter(state=JobState.PENDING).exists())
        self.assertEqual(RegionSummary.objects.get(election=self.election, region_code="64.02.07.2002").tps, 3)

    def test_the_page_shows_the_rows_checked_then_the_write_while_the_job_runs(self) -> None:
        self.upload(csv_bytes(*tps_rows(3)))
        run = ImportRun.objects.get()
        seen: list[str] = []
        note_rows, insert = import_runs.RunProgress.rows, actions._bulk_insert

        def rows(progress: Any, n: int) -> None:
            note_rows(progress, n)
            seen.append(self.status(run, HTTP_HX_REQUEST="true").content.decode())

        def bulk_insert(*args: Any) -> None:
            seen.append(self.status(run, HTTP_HX_REQUEST="true").content.decode())
            insert(*args)

        with (
            mock.patch.object(import_runs, "MIN_NOTE_ROWS", 1),
            mock.patch.object(import_runs.RunProgress, "rows", rows),
            mock.patch.object(actions, "_bulk_insert", bulk_insert),
        ):
            jobs.run_all()
        self.assertIn("1 dari sekitar 3 baris diperiksa", seen[0])
        self.assertIn('hx-trigger="every 2s"', seen[0])
        self.assertNotIn("<html", seen[0], "htmx gets the status block alone")
        self.assertIn("Menyimpan", seen[-1])
        self.assertIn("Semua 3 baris valid", seen[-1])

    def test_a_file_that_does_not_say_how_many_rows_it_has_shows_the_rows_checked_alone(self) -> None:
        self.upload(csv_bytes(*tps_rows(3)))
        run = ImportRun.objects.get()
        ImportRun.objects.filter(pk=run.pk).update(state="running", phase="validating", rows_done=2, rows_total=0)
        page = self.status(run)
        self.assertContains(page, "2 baris diperiksa")
        self.assertNotContains(page, "dari sekitar")

    def test_a_bad_large_file_ends_with_the_row_by_row_report_and_nothing_written(self) -> None:
        before = PollingStation.objects.count(), AuditEntry.objects.count()
        bad = [
            *tps_rows(2),
            GOOD_ROW.replace(",001,", ",003,").replace(",200,190,", ",400,201,"),
            GOOD_ROW.replace("64.02.07.2002,001", "64.72.01.1001,004"),
        ]
        self.upload(csv_bytes(*bad))
        run = ImportRun.objects.get()
        stored = Path(settings.SINERGI_UPLOAD_DIR) / run.stored_name
        jobs.run_all()
        page = self.status(run)
        self.assertContains(page, 'data-testid="import-errors"')
        self.assertContains(page, "Tidak ada yang diimpor: ditemukan 2 masalah.")
        self.assertContains(page, "di luar wilayah kewenangan Anda")
        run.refresh_from_db()
        self.assertEqual(run.state, "rejected")
        self.assertEqual([(e["row"], e["column"]) for e in run.errors], [(4, "dpt_l"), (5, "kode_desa")])
        self.assertEqual((PollingStation.objects.count(), AuditEntry.objects.count()), before, "nothing written")
        self.assertFalse(stored.exists())
        self.assertEqual(Job.objects.get(name=import_runs.JOB).state, JobState.DONE, "a refused file is no job failure")

    def test_a_large_file_missing_a_column_is_refused_in_the_request(self) -> None:
        rows = [r.replace(",200,190,", ",200,") for r in tps_rows(3)]
        csv = csv_bytes(*rows, header=HEADER.replace("dpt_p,", ""))
        sheet = xlsx(["kode_desa", "no_tps", "dpt_l"], *[["64.02.07.2002", n, 200] for n in range(1, 40)])
        for data, name in ((csv, "tps.csv"), (sheet, "tps.xlsx")):
            with self.subTest(name=name):
                r = self.upload(data, name=name)
                self.assertEqual(r.status_code, 200)
                self.assertContains(r, "Kolom wajib tidak ditemukan: dpt_p")
        self.assertFalse(ImportRun.objects.exists())
        self.assertFalse(Job.objects.exists())
        self.assertEqual(self.stored_files(), [])

    def test_only_the_uploader_and_the_desk_admin_see_the_status_page(self) -> None:
        self.upload(csv_bytes(*tps_rows(3)))
        run = ImportRun.objects.get()
        for other in (self.bawaslu_investigator, self.camat_sebulu, self.polres_officer):
            self.client.force_login(other)
            self.assertEqual(self.status(run).status_code, 404, other.username)
        self.client.force_login(self.desk_admin)
        self.assertContains(self.status(run), "oleh kpu_operator")
        self.client.logout()
        self.assertEqual(self.status(run).status_code, 302)

    def test_a_double_submitted_upload_is_queued_once(self) -> None:
        data = csv_bytes(*tps_rows(3))
        first, second = self.upload(data), self.upload(data)
        run = ImportRun.objects.get()
        self.assertEqual(first.url, second.url)
        self.assertContains(self.client.get(second.url), "Berkas ini sedang diimpor")
        self.assertEqual(Job.objects.filter(name=import_runs.JOB).count(), 1)
        self.assertEqual(self.stored_files(), [run.stored_name])
        jobs.run_all()
        self.upload(data)  # the first one is finished: this is a new import (of an unchanged file)
        self.assertEqual(ImportRun.objects.count(), 2)

    def test_the_uploaders_right_is_checked_again_when_the_job_runs(self) -> None:
        before = PollingStation.objects.count()
        self.upload(csv_bytes(*tps_rows(3)))
        Membership.objects.filter(user=self.kpu_operator).update(role="viewer")
        jobs.run_all()
        run = ImportRun.objects.get()
        self.assertEqual(run.state, "rejected")
        self.assertContains(self.status(run), "tidak lagi boleh")
        self.assertEqual(PollingStation.objects.count(), before)
        self.assertEqual(self.stored_files(), [])

    def test_an_unexpected_error_fails_the_import_with_a_message_and_writes_nothing(self) -> None:
        before = PollingStation.objects.count(), AuditEntry.objects.count()
        self.upload(csv_bytes(*tps_rows(3)))
        with mock.patch.object(actions, "_bulk_insert", side_effect=RuntimeError("disk on fire")):
            jobs.run_all()
        run = ImportRun.objects.get()
        self.assertEqual(run.state, "failed")
        page = self.status(run)
        self.assertContains(page, "kesalahan tak terduga")
        self.assertContains(page, "Tidak ada yang diimpor")
        self.assertEqual((PollingStation.objects.count(), AuditEntry.objects.count()), before)
        self.assertEqual(self.stored_files(), [])
        job = Job.objects.get(name=import_runs.JOB)
        self.assertEqual((job.state, job.attempts), (JobState.FAILED, 1), "not retried: the file is gone")
        self.assertIn("disk on fire", job.last_error)

    def test_the_report_is_written_in_the_uploaders_language(self) -> None:
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        self.upload(csv_bytes(*tps_rows(2), GOOD_ROW.replace(",001,", ",003,").replace(",200,", ",-5,")))
        jobs.run_all()
        run = ImportRun.objects.get()
        self.assertIn("negative", run.errors[0]["message"])

    def test_a_job_claimed_again_after_its_worker_died_does_not_import_twice(self) -> None:
        self.upload(csv_bytes(*tps_rows(3)))
        run = ImportRun.objects.get()
        job = Job.objects.get(name=import_runs.JOB)
        jobs.run_all()
        # As if the worker died right after the import committed: the run written, its job
        # still "running", the file still there; the lease runs out and another worker claims it.
        ImportRun.objects.filter(pk=run.pk).update(state="running", finished_at=None)
        Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, updated_at=timezone.now() - jobs.LEASE)
        self.assertEqual(jobs.run_due(now=timezone.now() + dt.timedelta(minutes=1)), 1)
        run.refresh_from_db()
        self.assertEqual(run.state, "done")
        self.assertEqual(AuditEntry.objects.filter(action="tps.import").count(), 1)

    def test_a_second_worker_writing_the_same_run_rolls_its_import_back(self) -> None:
        self.upload(csv_bytes(*tps_rows(3)))
        run = ImportRun.objects.get()
        ImportRun.objects.filter(pk=run.pk).update(state="running", phase="refreshing")
        with self.assertRaises(RuntimeError):
            import_runs.RunProgress(run).written({"created": 3})

    def test_stored_files_no_waiting_import_names_are_deleted_after_a_day(self) -> None:
        self.upload(csv_bytes(*tps_rows(3)))
        waiting = ImportRun.objects.get().stored_name
        orphan = Path(settings.SINERGI_UPLOAD_DIR) / "orphan.upload"
        orphan.write_bytes(b"x")
        two_days_ago = (timezone.now() - dt.timedelta(days=2)).timestamp()
        for path in Path(settings.SINERGI_UPLOAD_DIR).iterdir():
            os.utime(path, (two_days_ago, two_days_ago))
        old = ImportRun.objects.create(kind="regions.tps", filename="old.csv", sha256="0" * 64, state="done")
        ImportRun.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=31))
        self.assertEqual(import_runs.prune(), (1, 1))
        self.assertEqual(self.stored_files(), [waiting])

    def test_an_import_whose_job_an_admin_dismissed_ends_instead_of_waiting_for_ever(self) -> None:
        self.upload(csv_bytes(*tps_rows(3)))
        jobs.dismiss(self.desk_admin, Job.objects.get(name=import_runs.JOB))
        import_runs.prune()
        run = ImportRun.objects.get()
        self.assertEqual(run.state, "failed")
        self.assertContains(self.status(run), "dihentikan sebelum selesai")
        self.assertNotContains(self.status(run), "hx-trigger")


@override_settings(IMPORT_INLINE_MAX_BYTES=100)
class ProgressSeenFromAnotherConnectionTest(TransactionTestCase):
    """The worker's progress notes commit at once: a page served by another process (another
    connection) sees them while the import's own transaction is still open."""

    def test_another_connection_sees_the_rows_checked_and_the_write_phase_during_the_import(self) -> None:
        fixtures.make_regions()
        election = fixtures.make_election()
        operator = fixtures.make_personas()["kpu_operator"]
        with transaction.atomic():
            run, _new = import_runs.submit(operator, "regions.tps", str(election.pk), csv_bytes(*tps_rows(3)), "t.csv")
        seen: list[tuple[str, str, int]] = []

        def look() -> None:
            def read() -> None:
                try:
                    row = ImportRun.objects.get(pk=run.pk)
                    seen.append((row.state, row.phase, row.rows_done))
                finally:
                    connection.close()

            reader = threading.Thread(target=read)
            reader.start()
            reader.join(timeout=120)
            self.assertFalse(reader.is_alive(), "the other connection is still waiting")

        note_rows, insert = import_runs.RunProgress.rows, actions._bulk_insert

        def rows(progress: Any, n: int) -> None:
            note_rows(progress, n)
            look()

        def bulk_insert(*args: Any) -> None:
            self.assertTrue(connection.in_atomic_block, "inside the import's transaction")
            look()
            insert(*args)

        with (
            mock.patch.object(import_runs, "MIN_NOTE_ROWS", 2),
            mock.patch.object(import_runs.RunProgress, "rows", rows),
            mock.patch.object(actions, "_bulk_insert", bulk_insert),
        ):
            jobs.run_all()
        self.assertEqual(seen, [("running", "validating", 1), ("running", "validating", 3), ("running", "writing", 3)])
        self.assertEqual(ImportRun.objects.get(pk=run.pk).state, "done")
        self.assertEqual(PollingStation.objects.count(), 3)


class ImportResultSentenceTest(SinergiTestCase):
    def test_the_counts_of_a_national_import_are_grouped(self) -> None:
        from regions import importers

        self.assertEqual(
            importers.describe_result({"created": 71100, "updated": 1200, "unchanged": 0}),
            "Impor selesai: 71.100 TPS ditambahkan, 1.200 diperbarui, 0 tidak berubah.",
        )
