"""Shipment manifests: all-or-nothing with a row-by-row report."""

from __future__ import annotations

import io
from typing import Any
from unittest import mock

from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from agencies.models import Membership
from core import jobs
from core.models import AuditEntry, ImportRun
from core.spreadsheets import ImportFailed
from logistics import importers
from logistics.importers import import_manifest
from logistics.models import Shipment
from logistics.tests.base import LogisticsTestCase
from tests.hostile_files import billion_laughs, broken_xml, xlsx, zip_bomb


class ManifestImportTest(LogisticsTestCase):
    def run_import(self, text: str) -> int:
        with translation.override("en"):
            return import_manifest(self.kpu_operator, self.election, text.encode())

    def test_rows_for_the_same_destination_make_one_planned_shipment(self) -> None:
        n = self.run_import("tujuan,barang,jumlah\n64.02.07,booth,8\n64.02.07,ink,4\n64.02.07.2001/1,seal,1\n")
        self.assertEqual(n, 2)
        to_ppk = Shipment.objects.get(destination=self.ppk_sebulu)
        self.assertEqual((to_ppk.origin, to_ppk.status), (self.warehouse, "planned"))
        self.assertEqual(sorted(ln.item.code for ln in to_ppk.lines.all()), ["booth", "ink"])
        self.assertTrue(Shipment.objects.filter(destination=self.kpps_sebulu).exists())

    def test_quantities_are_read_in_indonesian_format(self) -> None:
        self.run_import("Tujuan;Barang;Jumlah\n64.02.07;ink;10.000\n64.02.07;booth;1.200\n")
        lines = {ln.item.code: ln.quantity for ln in Shipment.objects.get(destination=self.ppk_sebulu).lines.all()}
        self.assertEqual(lines, {"ink": 10_000, "booth": 1_200})

    def test_a_quantity_that_is_not_a_whole_number_is_refused(self) -> None:
        with self.assertRaises(ImportFailed) as ctx:
            self.run_import('tujuan,barang,jumlah\n64.02.07,ink,"10,5"\n64.02.07,booth,1.2.3\n')
        self.assertEqual([(e.row, e.column) for e in ctx.exception.errors], [(2, "jumlah"), (3, "jumlah")])
        self.assertIn("10,5", ctx.exception.errors[0].message)
        self.assertEqual(Shipment.objects.count(), 0)

    def test_bad_rows_are_all_reported_and_nothing_is_written(self) -> None:
        with self.assertRaises(ImportFailed) as ctx:
            self.run_import(
                "tujuan,barang,jumlah\n64.02.07,booth,8\n64.02.99,booth,1\n64.02.07,payung,2\n64.02.06,ink,0\n"
                "64.02.06,ink,dua\n"
            )
        rows = [(e.row, e.column) for e in ctx.exception.errors]
        self.assertEqual(rows, [(3, "tujuan"), (4, "barang"), (5, "jumlah"), (6, "jumlah")])
        self.assertEqual(Shipment.objects.count(), 0)

    def test_a_missing_column_or_an_empty_file_is_refused(self) -> None:
        with self.assertRaises(ImportFailed) as ctx:
            self.run_import("tujuan,jumlah\n64.02.07,8\n")
        self.assertIn("barang", ctx.exception.message)
        with self.assertRaises(ImportFailed):
            self.run_import("")

    def test_destinations_outside_the_operators_area_are_refused(self) -> None:
        with self.assertRaises(ImportFailed) as ctx:
            import_manifest(self.camat_sebulu, self.election, b"tujuan,barang,jumlah\n64.02.07,booth,8\n")
        self.assertEqual(ctx.exception.errors[0].column, "tujuan")
        self.assertEqual(Shipment.objects.count(), 0)

    def test_hostile_xlsx_manifests_write_nothing_and_say_why(self) -> None:
        good = xlsx(["tujuan", "barang", "jumlah"], ["64.02.07", "booth", 8])
        for hostile, message in (
            (zip_bomb(good), "zip bomb"),
            (broken_xml(good), "not a readable XLSX"),
            (billion_laughs(good, "booth"), "not a readable XLSX"),
        ):
            with self.subTest(message=message), translation.override("en"), self.assertRaises(ImportFailed) as ctx:
                import_manifest(self.kpu_operator, self.election, hostile)
            self.assertIn(message, ctx.exception.message)
        self.assertEqual(Shipment.objects.count(), 0)


class ManifestImportPageTest(LogisticsTestCase):
    def test_a_file_above_the_upload_limit_is_refused_before_it_is_read(self) -> None:
        self.client.force_login(self.kpu_operator)
        upload = io.BytesIO(b"tujuan,barang,jumlah\n" + b"64.02.07,booth,8\n" * 100)
        upload.name = "manifest.csv"
        with (
            self.settings(TPS_IMPORT_MAX_BYTES=1000),
            mock.patch.object(importers, "import_manifest") as importer,
        ):
            r = self.client.post(reverse("logistics:import"), {"file": upload})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "melebihi batas 1000")  # "larger than the maximum of 1000 bytes"
        importer.assert_not_called()
        self.assertEqual(Shipment.objects.count(), 0)


MANIFEST = "tujuan,barang,jumlah\n64.02.07,booth,8\n64.02.07,ink,4\n64.02.07.2001/1,seal,1\n"


@override_settings(IMPORT_INLINE_MAX_BYTES=60)  # the manifest above is "large"
class BackgroundManifestImportTest(LogisticsTestCase):
    def upload(self, text: str) -> Any:
        self.client.force_login(self.kpu_operator)
        f = io.BytesIO(text.encode())
        f.name = "manifest.csv"
        return self.client.post(reverse("logistics:import"), {"file": f})

    def test_a_small_manifest_is_still_imported_at_once_and_audited_as_a_whole(self) -> None:
        with self.settings(IMPORT_INLINE_MAX_BYTES=2 * 1024 * 1024):
            r = self.upload(MANIFEST)
        self.assertRedirects(r, reverse("logistics:region", args=["64"]), fetch_redirect_response=False)
        self.assertEqual(Shipment.objects.count(), 2)
        self.assertFalse(ImportRun.objects.exists())
        entry = AuditEntry.objects.get(action="manifest.import")
        self.assertEqual(entry.changes, {"file": [None, "manifest.csv"], "shipments": [None, 2]})

    def test_a_large_manifest_is_planned_by_the_worker_and_its_page_shows_the_result(self) -> None:
        r = self.upload(MANIFEST)
        run = ImportRun.objects.get()
        self.assertRedirects(r, reverse("core:import_run", args=[run.pk]), fetch_redirect_response=False)
        self.assertEqual(Shipment.objects.count(), 0)
        self.assertContains(self.client.get(r.url), "Menunggu")
        jobs.run_all()
        page = self.client.get(r.url)
        self.assertContains(page, "2 pengiriman direncanakan dari manifes.")
        self.assertContains(page, reverse("logistics:region", args=["64"]))
        run.refresh_from_db()
        assert run.audit_entry is not None
        self.assertEqual((run.state, run.audit_entry.action), ("done", "manifest.import"))
        self.assertEqual(Shipment.objects.count(), 2)
        self.assertEqual(run.audit_entry.actor, self.kpu_operator)

    def test_a_bad_large_manifest_ends_with_the_row_by_row_report_and_nothing_written(self) -> None:
        self.upload(MANIFEST.replace("64.02.07,ink", "64.02.99,ink").replace("seal,1", "seal,nol"))
        jobs.run_all()
        run = ImportRun.objects.get()
        page = self.client.get(reverse("core:import_run", args=[run.pk]))
        self.assertContains(page, "Tidak ada yang diimpor: ditemukan 2 masalah.")
        self.assertEqual([(e["row"], e["column"]) for e in run.errors], [(3, "tujuan"), (4, "jumlah")])
        self.assertEqual(Shipment.objects.count(), 0)
        self.assertFalse(AuditEntry.objects.filter(action="manifest.import").exists())

    def test_a_destination_outside_the_uploaders_area_is_refused_when_the_job_runs(self) -> None:
        self.upload(MANIFEST.replace("64.02.07.2001/1", "64.02.06"))
        # the operator's scope shrinks to Sebulu before the worker reads the file
        Membership.objects.filter(user=self.kpu_operator).update(scope_id="64.02.07")
        jobs.run_all()
        run = ImportRun.objects.get()
        self.assertEqual(run.state, "rejected")
        self.assertEqual([(e["row"], e["column"]) for e in run.errors], [(4, "tujuan")])
        self.assertEqual(Shipment.objects.count(), 0)
