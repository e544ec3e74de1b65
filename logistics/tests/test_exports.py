"""Exports meant for reading at a meeting speak Indonesian and use names, not internal codes."""

from __future__ import annotations

import csv
import io

from logistics.tests.base import LogisticsTestCase


def read_csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


class ReadingExportsTest(LogisticsTestCase):
    def test_the_progress_export_has_indonesian_headers_and_item_names(self) -> None:
        self.client.force_login(self.kpu_operator)
        r = self.client.get("/logistics/64.02/?export=csv")
        self.assertIn('filename="logistik-kabupaten-kutai-kartanegara.csv"', r["Content-Disposition"])
        rows = read_csv(r)
        self.assertEqual(
            rows[0],
            [
                "Wilayah",
                "Barang",
                "Kebutuhan",
                "Dikirim",
                "Diterima",
                "Rusak",
                "Kurang",
                "Kekurangan",
                "TPS",
                "TPS terpenuhi seluruhnya",
                "Rusak di PPK (kecamatan)",
                "Kurang di PPK (kecamatan)",
                "Rusak di PPS (desa/kelurahan)",
                "Kurang di PPS (desa/kelurahan)",
                "Rusak di KPPS (TPS)",
                "Kurang di KPPS (TPS)",
            ],
        )
        names = {row[1] for row in rows[1:]}
        self.assertIn(self.items["booth"].name, names)
        self.assertFalse(any(row[1] == i.code for row in rows[1:] for i in self.items.values()), rows)
        self.assertEqual({row[0] for row in rows[1:]}, {"Kabupaten Kutai Kartanegara"})

    def test_the_english_progress_export_has_english_headers(self) -> None:
        self.client.force_login(self.kpu_operator)
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        rows = read_csv(self.client.get("/logistics/64.02/?export=csv"))
        self.assertEqual(rows[0][:3], ["Region", "Item", "Required"])

    def test_the_problems_export_lists_each_problem_in_local_time_by_name(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4})
        self.receive(s, {"booth": (3, 1, 0)})
        self.client.force_login(self.kpu_operator)
        page = self.client.get("/logistics/problems/")
        self.assertContains(page, "?export=xlsx")
        rows = read_csv(self.client.get("/logistics/problems/?export=csv"))
        self.assertEqual(rows[0], ["Data", "Jenis", "Waktu", "Tempat", "Wilayah", "Keterangan", "Status"])
        shipment_rows = [row for row in rows[1:] if row[0] == f"Pengiriman #{s.pk}"]
        self.assertEqual(len(shipment_rows), 1, rows)
        self.assertEqual(shipment_rows[0][2], "2024-11-15 09:00 WITA")
        self.assertEqual(shipment_rows[0][4], "Sebulu")
        self.assertIn(self.ppk_sebulu.name, shipment_rows[0][3])
        alert_rows = [row for row in rows[1:] if row[0] == "Peringatan"]
        self.assertTrue(alert_rows, rows)
        self.assertTrue(all(row[2].endswith("WITA") for row in alert_rows))

    def test_the_problems_export_is_scoped_like_the_page(self) -> None:
        s = self.ship(self.warehouse, self.ppk_tenggarong, {"booth": 4})
        self.receive(s, {"booth": (3, 1, 0)})
        self.client.force_login(self.ppk_operator)  # PPK Sebulu sees nothing of Tenggarong
        rows = read_csv(self.client.get("/logistics/problems/?export=csv"))
        self.assertEqual(rows[1:], [])


class ScopeHonestLogisticsTest(LogisticsTestCase):
    def test_the_province_page_names_the_kab_kota_not_monitored(self) -> None:
        self.client.force_login(self.desk_admin)
        r = self.client.get("/logistics/64/")
        self.assertContains(r, 'data-testid="unmonitored"')
        names = [c.name for c in r.context["unmonitored"]]
        self.assertIn("Kota Samarinda", names)
        self.assertNotIn("Kabupaten Kutai Kartanegara", names)  # its network is built

    def test_a_ppk_reading_the_kabupaten_page_is_told_the_figures_are_of_their_area(self) -> None:
        self.client.force_login(self.ppk_operator)
        r = self.client.get("/logistics/64.02/")
        self.assertContains(r, 'data-testid="logistics-narrowed"')
        self.client.force_login(self.kpu_operator)
        self.assertNotContains(self.client.get("/logistics/64.02/"), 'data-testid="logistics-narrowed"')
