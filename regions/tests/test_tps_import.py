"""TPS import: all-or-nothing, with a row-by-row report for each kind of bad input."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from core.models import AuditEntry
from regions import actions
from regions.models import PollingStation
from tests.base import SinergiTestCase
from tests.hostile_files import billion_laughs, broken_xml, whole_grid, zip_bomb

HEADER = "kode_desa,no_tps,alamat,dpt_l,dpt_p,dpph,dptb,lat,lng,akses,waktu_tempuh_menit,lokasi_khusus\n"
GOOD_ROW = "64.02.07.2002,001,Balai desa,200,190,0,0,-0.27,117.05,river,120,0\n"


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(rows)).encode()


class TpsImportTest(SinergiTestCase):
    def import_(self, data: bytes, name: str = "tps.csv", actor: Any = None) -> dict[str, int]:
        with translation.override("en"):
            return actions.import_polling_stations(actor, self.election, data, name)

    def assert_rejected(self, data: bytes, *expected: str, name: str = "tps.csv") -> actions.ImportFailed:
        before = PollingStation.objects.count(), AuditEntry.objects.count()
        with self.assertRaises(actions.ImportFailed) as ctx:
            self.import_(data, name)
        text = (
            ctx.exception.message
            + " | "
            + " | ".join(f"row {e.row} {e.column}: {e.message}" for e in ctx.exception.errors)
        )
        for piece in expected:
            self.assertIn(piece, text)
        self.assertEqual((PollingStation.objects.count(), AuditEntry.objects.count()), before, "nothing written")
        return ctx.exception

    def test_a_good_file_creates_the_tps_and_one_audit_row(self) -> None:
        result = self.import_(csv_bytes(GOOD_ROW, "64.02.07.2002,2,,100,100,,,,,,,\n"))
        self.assertEqual(result, {"created": 2, "updated": 0, "unchanged": 0})
        tps = PollingStation.objects.get(village_id="64.02.07.2002", number="001")
        self.assertEqual((tps.dpt, tps.access_mode, tps.travel_minutes), (390, "river", 120))
        self.assertTrue(PollingStation.objects.filter(village_id="64.02.07.2002", number="002").exists())
        self.assertTrue(AuditEntry.objects.filter(action="tps.import", note__contains="2").exists())

    def test_importing_the_same_file_twice_changes_nothing_the_second_time(self) -> None:
        data = csv_bytes(GOOD_ROW)
        self.import_(data)
        self.assertEqual(self.import_(data), {"created": 0, "updated": 0, "unchanged": 1})
        self.assertEqual(PollingStation.objects.filter(village_id="64.02.07.2002").count(), 1)

    def test_a_changed_row_updates_the_tps_and_records_old_and_new(self) -> None:
        self.import_(csv_bytes(GOOD_ROW))
        self.import_(csv_bytes(GOOD_ROW.replace(",200,190,", ",210,190,")))
        tps = PollingStation.objects.get(village_id="64.02.07.2002", number="001")
        self.assertEqual((tps.dpt_male, tps.version), (210, 2))
        entry = AuditEntry.objects.get(action="tps.import_update", object_id=str(tps.pk))
        self.assertEqual(entry.changes, {"dpt_male": [200, 210]})

    def test_xlsx_files_are_read_too(self) -> None:
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.append(["kode_desa", "no_tps", "dpt_l", "dpt_p", "lat", "lng"])
        ws.append(["64.02.07.2002", 7, 150, 149, -0.27, 117.05])
        buf = io.BytesIO()
        wb.save(buf)
        self.assertEqual(self.import_(buf.getvalue(), "tps.xlsx")["created"], 1)
        self.assertEqual(PollingStation.objects.get(village_id="64.02.07.2002").number, "007")

    def test_it_rejects_an_unknown_region_code(self) -> None:
        self.assert_rejected(
            csv_bytes(GOOD_ROW.replace("64.02.07.2002", "64.02.99.2999")), "row 2 kode_desa", "64.02.99.2999"
        )

    def test_it_rejects_a_code_that_is_not_a_village(self) -> None:
        self.assert_rejected(
            csv_bytes(GOOD_ROW.replace("64.02.07.2002", "64.02.07")), "row 2 kode_desa", "desa/kelurahan"
        )

    def test_it_rejects_a_duplicate_tps_number_in_a_desa(self) -> None:
        self.assert_rejected(
            csv_bytes(GOOD_ROW, GOOD_ROW.replace(",001,", ",1,")), "row 3 no_tps", "appears twice", "row 2"
        )

    def test_it_rejects_dpt_above_the_elections_maximum(self) -> None:
        self.assert_rejected(csv_bytes(GOOD_ROW.replace(",200,190,", ",400,201,")), "row 2 dpt_l", "601", "600")

    def test_it_rejects_negative_counts(self) -> None:
        self.assert_rejected(csv_bytes(GOOD_ROW.replace(",200,190,", ",-5,190,")), "row 2 dpt_l", "negative")

    def test_it_rejects_non_numeric_counts(self) -> None:
        self.assert_rejected(
            csv_bytes(GOOD_ROW.replace(",200,190,", ",200,banyak,")), "row 2 dpt_p", "banyak", "whole number"
        )

    def test_it_rejects_coordinates_outside_indonesia(self) -> None:
        err = self.assert_rejected(
            csv_bytes(GOOD_ROW.replace("-0.27,117.05", "51.5,-0.12")), "row 2 lat", "outside Indonesia", "row 2 lng"
        )
        self.assertEqual(err.total, 2)

    def test_a_lokasi_khusus_carries_its_kind(self) -> None:
        header = HEADER.rstrip("\n") + ",jenis_lokasi_khusus\n"
        self.import_(csv_bytes("64.02.06.1001,002,Lapas Kelas IIA Tenggarong,300,0,,,,,,,1,lapas\n", header=header))
        tps = PollingStation.objects.get(village_id="64.02.06.1001", number="002")
        self.assertEqual((tps.special_location, tps.special_kind), (True, "prison"))

    def test_it_rejects_an_unknown_kind_of_special_location_and_a_kind_without_lokasi_khusus(self) -> None:
        header = HEADER.rstrip("\n") + ",jenis_lokasi_khusus\n"
        self.assert_rejected(
            csv_bytes("64.02.06.1001,002,,300,0,,,,,,,1,kapal\n", header=header),
            "row 2 jenis_lokasi_khusus: Unknown kind of special location “kapal”",
        )
        self.assert_rejected(
            csv_bytes("64.02.06.1001,002,,300,0,,,,,,,0,kampus\n", header=header),
            "row 2 jenis_lokasi_khusus: A kind of special location is given for a TPS that is not lokasi khusus.",
        )

    def test_it_rejects_a_file_missing_a_required_column(self) -> None:
        self.assert_rejected(
            csv_bytes("64.02.07.2002,001,200\n", header="kode_desa,no_tps,dpt_l\n"), "Missing required column", "dpt_p"
        )

    def test_it_rejects_an_empty_file(self) -> None:
        self.assert_rejected(b"", "empty")
        self.assert_rejected(HEADER.encode(), "no TPS rows")

    def test_it_rejects_a_file_that_is_not_a_spreadsheet(self) -> None:
        self.assert_rejected(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100), "not a CSV or XLSX", name="photo.png")
        self.assert_rejected(b"PK\x03\x04broken zip", "not a readable XLSX", name="tps.xlsx")

    def test_hostile_xlsx_files_write_nothing_and_say_why(self) -> None:
        good = self._xlsx()
        self.assert_rejected(zip_bomb(good), "zip bomb", name="tps.xlsx")
        self.assert_rejected(broken_xml(good), "not a readable XLSX", name="tps.xlsx")
        self.assert_rejected(billion_laughs(good, "64.02.07.2002"), "not a readable XLSX", name="tps.xlsx")

    def test_a_sheet_declaring_the_whole_excel_grid_imports_its_real_rows(self) -> None:
        self.assertEqual(self.import_(whole_grid(self._xlsx()), "tps.xlsx")["created"], 1)

    def test_a_csv_cell_of_128_kb_writes_nothing(self) -> None:
        self.assert_rejected(csv_bytes(GOOD_ROW.replace("Balai desa", "x" * 131_072)), "Row 2", "too long")

    def test_a_count_of_thousands_of_digits_is_a_row_error(self) -> None:
        self.assert_rejected(
            csv_bytes(GOOD_ROW.replace(",200,190,", f",{'9' * 5000},190,")), "row 2 dpt_l", "too large"
        )

    def test_a_file_with_more_rows_than_the_limit_writes_nothing(self) -> None:
        with self.settings(IMPORT_MAX_ROWS=3):
            self.assert_rejected(
                csv_bytes(GOOD_ROW, GOOD_ROW.replace(",001,", ",002,"), GOOD_ROW.replace(",001,", ",003,")),
                "more than 3 rows",
            )

    def _xlsx(self) -> bytes:
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.append(["kode_desa", "no_tps", "dpt_l", "dpt_p"])
        ws.append(["64.02.07.2002", 7, 150, 149])
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()

    def test_one_bad_row_among_good_ones_writes_nothing_and_reports_every_problem(self) -> None:
        err = self.assert_rejected(
            csv_bytes(GOOD_ROW, "64.02.07.2002,002,,700,0,,,,,,,\n", "64.02.07.9999,003,,1,1,,,,,,,\n"),
            "row 3 dpt_l",
            "row 4 kode_desa",
        )
        self.assertEqual(err.total, 2)

    def test_rows_outside_the_operators_area_are_refused(self) -> None:
        self.client.force_login(self.kpu_operator)
        with self.assertRaises(actions.ImportFailed) as ctx:
            self.import_(csv_bytes(GOOD_ROW.replace("64.02.07.2002", "64.72.01.1001")), actor=self.kpu_operator)
        self.assertIn("outside your area", ctx.exception.errors[0].message)

    def test_the_messages_are_in_indonesian_by_default(self) -> None:
        with self.assertRaises(actions.ImportFailed) as ctx:
            actions.import_polling_stations(None, self.election, csv_bytes(GOOD_ROW.replace(",200,", ",-5,")), "x.csv")
        self.assertIn("Tidak ada yang diimpor", ctx.exception.message)
        self.assertIn("negatif", ctx.exception.errors[0].message)


class TpsImportPageTest(SinergiTestCase):
    def test_the_operator_sees_each_rows_problem_and_nothing_is_written(self) -> None:
        self.client.force_login(self.kpu_operator)
        count = PollingStation.objects.count()
        upload = io.BytesIO(csv_bytes(GOOD_ROW.replace(",200,190,", ",400,201,"), GOOD_ROW))
        upload.name = "tps.csv"
        r = self.client.post(reverse("regions:tps_import"), {"election": self.election.pk, "file": upload})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, 'data-testid="import-errors"')
        self.assertEqual([(e.row, e.column) for e in r.context["errors"]], [(2, "dpt_l"), (3, "no_tps")])
        self.assertEqual(PollingStation.objects.count(), count)

    def test_a_good_upload_redirects_with_a_summary(self) -> None:
        self.client.force_login(self.kpu_operator)
        upload = io.BytesIO(csv_bytes(GOOD_ROW))
        upload.name = "tps.csv"
        r = self.client.post(reverse("regions:tps_import"), {"election": self.election.pk, "file": upload}, follow=True)
        self.assertRedirects(r, reverse("regions:tps_list"))
        self.assertTrue(PollingStation.objects.filter(village_id="64.02.07.2002").exists())

    def test_a_file_above_the_upload_limit_is_refused_before_it_is_read(self) -> None:
        self.client.force_login(self.kpu_operator)
        count = PollingStation.objects.count()
        upload = io.BytesIO(csv_bytes(*[GOOD_ROW.replace(",001,", f",{n:03d},") for n in range(1, 40)]))
        upload.name = "tps.csv"
        with (
            self.settings(TPS_IMPORT_MAX_BYTES=1000),
            mock.patch.object(actions, "import_polling_stations") as importer,
        ):
            r = self.client.post(reverse("regions:tps_import"), {"election": self.election.pk, "file": upload})
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "melebihi batas 1000\xa0bita.")  # "larger than the maximum of 1000 bytes"
        importer.assert_not_called()
        self.assertEqual(PollingStation.objects.count(), count)

    def test_a_file_too_large_is_refused_with_both_sizes_in_mb(self) -> None:
        self.client.force_login(self.kpu_operator)
        upload = io.BytesIO(csv_bytes(GOOD_ROW) + b"\n" * int(7.2 * 1024 * 1024))
        upload.name = "tps.csv"
        with self.settings(TPS_IMPORT_MAX_BYTES=5 * 1024 * 1024):
            r = self.client.post(reverse("regions:tps_import"), {"election": self.election.pk, "file": upload})
        self.assertContains(r, "Berkas berukuran 7,2\xa0MB, melebihi batas 5,0\xa0MB.")

    def test_the_template_downloads_as_csv_and_xlsx(self) -> None:
        r = self.client.get(reverse("regions:tps_template", args=["csv"]))
        self.assertIn("kode_desa,no_tps", b"".join(r.streaming_content).decode("utf-8-sig"))  # type: ignore[attr-defined]
        r = self.client.get(reverse("regions:tps_template", args=["xlsx"]))
        self.assertEqual(r.content[:2], b"PK")


class ImportTpsCommandTest(SinergiTestCase):
    def test_it_prints_the_row_errors_and_fails(self) -> None:
        path = self._write(csv_bytes(GOOD_ROW.replace("64.02.07.2002", "64.02.07")))
        err = io.StringIO()
        with translation.override("en"), self.assertRaises(CommandError):
            call_command("import_tps", path, stderr=err)
        self.assertIn("row 2, kode_desa", err.getvalue())

    def test_it_imports_a_good_file(self) -> None:
        out = io.StringIO()
        call_command("import_tps", self._write(csv_bytes(GOOD_ROW)), election=self.election.pk, stdout=out)
        self.assertIn("1 TPS created", out.getvalue())

    def test_a_file_on_the_server_is_not_held_to_the_upload_size_but_an_upload_is(self) -> None:
        data = csv_bytes(GOOD_ROW)
        with self.settings(TPS_IMPORT_MAX_BYTES=100):
            out = io.StringIO()
            call_command("import_tps", self._write(data), election=self.election.pk, stdout=out)
            self.assertIn("1 TPS created", out.getvalue())
            with translation.override("en"), self.assertRaises(actions.ImportFailed) as ctx:
                actions.import_polling_stations(self.kpu_operator, self.election, data, "tps.csv")
        self.assertIn("larger than the maximum of 100", ctx.exception.message)

    def _write(self, data: bytes) -> str:
        path = Path(tempfile.mkdtemp()) / "tps.csv"
        path.write_bytes(data)
        return str(path)
