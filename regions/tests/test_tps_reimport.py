"""Export, edit, import again: unchanged rows stay untouched, changed ones update in bulk with
their version checked, and a stale export refuses the whole file."""

from __future__ import annotations

import csv
import io
from typing import Any

from django.urls import reverse
from django.utils import translation

from core.models import AuditEntry
from regions import actions, importers
from regions.api import TpsIn, TpsOut, TpsPatch
from regions.forms import PollingStationForm
from regions.models import PollingStation
from tests.base import SinergiTestCase


class TpsReimportTest(SinergiTestCase):
    def export(self) -> list[list[str]]:
        self.client.force_login(self.kpu_operator)
        r = self.client.get(reverse("regions:tps_list"), {"export": "csv"})
        return list(csv.reader(io.StringIO(b"".join(r.streaming_content).decode("utf-8-sig"))))  # type: ignore[attr-defined]

    def as_csv(self, rows: list[list[Any]]) -> bytes:
        buf = io.StringIO()
        csv.writer(buf).writerows(rows)
        return buf.getvalue().encode()

    def import_(self, data: bytes, actor: Any = None) -> dict[str, int]:
        with translation.override("en"):
            return actions.import_polling_stations(actor or self.kpu_operator, self.election, data, "tps.csv")

    def state(self) -> list[tuple[Any, ...]]:
        return list(PollingStation.objects.order_by("pk").values_list("pk", "version", "dpt_male", "address"))

    def row_of(self, rows: list[list[Any]], tps: PollingStation) -> list[Any]:
        return next(r for r in rows[1:] if str(r[rows[0].index("id")]) == str(tps.pk))

    def test_the_export_carries_the_id_and_version_of_each_tps(self) -> None:
        rows = self.export()
        self.assertEqual(rows[0], importers.TPS_SPEC.headers())
        self.assertEqual(rows[0][-2:], ["id", "version"])
        row = self.row_of(rows, self.tps_sebulu)
        self.assertEqual(row[:2], ["64.02.07.2001", "001"])
        self.assertEqual(row[-1], "1")

    def test_importing_an_unchanged_export_changes_nothing(self) -> None:
        before, audits = self.state(), AuditEntry.objects.filter(action="tps.import_update").count()
        result = self.import_(self.as_csv(self.export()))
        self.assertEqual(result, {"created": 0, "updated": 0, "unchanged": 2})  # the operator's two Kukar TPS
        self.assertEqual(self.state(), before)
        self.assertEqual(AuditEntry.objects.filter(action="tps.import_update").count(), audits)

    def test_an_unchanged_xlsx_export_imports_as_unchanged_too(self) -> None:
        self.client.force_login(self.kpu_operator)
        r = self.client.get(reverse("regions:tps_list"), {"export": "xlsx"})
        with translation.override("en"):
            result = actions.import_polling_stations(self.kpu_operator, self.election, r.content, "tps.xlsx")
        self.assertEqual(result["updated"], 0)

    def test_a_changed_field_updates_that_tps_with_a_new_version_and_its_old_and_new_values(self) -> None:
        rows = self.export()
        self.row_of(rows, self.tps_sebulu)[rows[0].index("dpt_l")] = "205"
        result = self.import_(self.as_csv(rows))
        self.assertEqual(result, {"created": 0, "updated": 1, "unchanged": 1})
        self.tps_sebulu.refresh_from_db()
        self.tps_tenggarong.refresh_from_db()
        self.assertEqual((self.tps_sebulu.dpt_male, self.tps_sebulu.version), (205, 2))
        self.assertEqual(self.tps_tenggarong.version, 1)
        entry = AuditEntry.objects.get(action="tps.import_update")
        self.assertEqual((entry.object_id, entry.changes), (str(self.tps_sebulu.pk), {"dpt_male": [200, 205]}))
        self.assertEqual((entry.actor, entry.object_repr), (self.kpu_operator, "TPS 001 Sebulu Ilir"))
        self.assertEqual(AuditEntry.objects.filter(action="tps.import").count(), 1)

    def test_a_tps_changed_after_the_export_refuses_the_whole_file_and_writes_nothing(self) -> None:
        rows = self.export()
        actions.update_polling_station(self.kpu_operator, self.tps_sebulu, {"address": "Balai desa"}, 1)
        self.row_of(rows, self.tps_tenggarong)[rows[0].index("dpt_l")] = "150"
        before, audits = self.state(), AuditEntry.objects.count()
        with self.assertRaises(actions.ImportFailed) as ctx:
            self.import_(self.as_csv(rows))
        [error] = ctx.exception.errors
        self.assertEqual(error.column, "version")
        self.assertIn("TPS 001 Sebulu Ilir was changed after your export (version 1, now 2)", error.message)
        self.assertIn("Nothing was imported", ctx.exception.message)
        self.assertEqual((self.state(), AuditEntry.objects.count()), (before, audits))

    def test_an_id_that_is_not_the_rows_tps_is_refused(self) -> None:
        rows = self.export()
        self.row_of(rows, self.tps_sebulu)[rows[0].index("id")] = str(self.tps_tenggarong.pk + 1000)
        before = self.state()
        with self.assertRaises(actions.ImportFailed) as ctx:
            self.import_(self.as_csv(rows))
        self.assertEqual(ctx.exception.errors[0].column, "id")
        self.assertIn("keep the id column as exported", ctx.exception.errors[0].message)
        self.assertEqual(self.state(), before)

    def test_a_file_without_id_and_version_still_updates_by_desa_and_number(self) -> None:
        rows = [r[:-2] for r in self.export()]
        rows[1][rows[0].index("alamat")] = "Jl. Baru"
        self.assertEqual(self.import_(self.as_csv(rows))["updated"], 1)

    def test_english_headers_and_indonesian_numbers_are_read(self) -> None:
        data = (
            b"Village Code;TPS;Address;DPT Male;DPT Female;Latitude;Longitude;Travel Minutes\n"
            b'64.02.07.2002;3;"Jl. Poros";200;190;-0,27;117,05;1.200\n'
        )
        self.assertEqual(self.import_(data)["created"], 1)
        tps = PollingStation.objects.get(village_id="64.02.07.2002", number="003")
        self.assertEqual((tps.lat, tps.lng, tps.travel_minutes), (-0.27, 117.05, 1200))

    def test_an_absurd_number_is_a_row_error_not_a_crash(self) -> None:
        data = (f"{','.join(importers.COLUMNS)}\n64.02.07.2002,3,,200,190,0,0,,,road,99999999999999999999,0\n").encode()
        with self.assertRaises(actions.ImportFailed) as ctx:
            self.import_(data)
        self.assertEqual(ctx.exception.errors[0].column, "waktu_tempuh_menit")
        self.assertIn("too large", ctx.exception.errors[0].message)
        self.assertFalse(PollingStation.objects.filter(village_id="64.02.07.2002").exists())


class OneTpsSpecTest(SinergiTestCase):
    def test_the_template_export_form_and_api_schemas_use_the_spec_fields(self) -> None:
        spec = importers.TPS_SPEC
        self.assertEqual(next(iter(importers.template_rows())), spec.headers(template=True))
        self.assertEqual(spec.headers()[: len(importers.COLUMNS)], importers.COLUMNS)
        self.assertEqual(list(PollingStationForm.base_fields), [*importers.DETAIL_FIELDS, "version"])
        detail = set(importers.DETAIL_FIELDS)
        self.assertEqual(set(TpsIn.model_fields), {"election_id", "village_code", *detail})
        self.assertEqual(set(TpsPatch.model_fields), {"version", *detail} - {"number"})
        self.assertEqual(set(TpsOut.model_fields), {"id", "election_id", "village_code", "dpt", "version", *detail})
        self.assertEqual(
            actions.INSERT_COLUMNS,
            ["election_id", "village_id", *importers.DETAIL_FIELDS, "version", "created_at", "updated_at"],
        )
