"""The region tree: derivation from the code, the import command, pages, maps and exports."""

from __future__ import annotations

import csv
import gzip
import io
import tempfile
import zipfile
from pathlib import Path

from django.core.management import call_command
from django.test import Client, TestCase
from openpyxl import load_workbook

from regions.models import PollingStation, Region, derive
from tests.base import SinergiTestCase
from tests.fixtures import make_tps


class DeriveTest(TestCase):
    def test_level_kind_and_parent_follow_from_the_code(self) -> None:
        self.assertEqual(derive("64", "Kalimantan Timur"), (1, "provinsi", None))
        self.assertEqual(derive("64.02", "Kabupaten Kutai Kartanegara"), (2, "kabupaten", "64"))
        self.assertEqual(derive("64.72", "Kota Samarinda"), (2, "kota", "64"))
        self.assertEqual(derive("64.02.07", "Sebulu"), (3, "kecamatan", "64.02"))
        self.assertEqual(derive("64.02.07.2001", "Sebulu Ilir"), (4, "desa", "64.02.07"))
        self.assertEqual(derive("64.02.06.1001", "Melayu"), (4, "kelurahan", "64.02.06"))


class ImportRegionsTest(TestCase):
    def test_it_loads_a_file_idempotently_and_refreshes_names(self) -> None:
        rows = (
            "code,name\n64,Kalimantan Timur\n64.02,Kabupaten Kutai Kartanegara\n"
            "64.02.07,Sebulu\n64.02.07.2001,Selerong\n"
        )
        path = Path(tempfile.mkdtemp()) / "r.csv.gz"
        path.write_bytes(gzip.compress(rows.encode()))
        call_command("import_regions", str(path), no_progress=True, stdout=io.StringIO())
        call_command("import_regions", str(path), no_progress=True, stdout=io.StringIO())
        self.assertEqual(Region.objects.count(), 4)
        path.write_bytes(gzip.compress(rows.replace("Selerong", "Selerong Baru").encode()))
        call_command("import_regions", str(path), no_progress=True, stdout=io.StringIO())
        village = Region.objects.get(code="64.02.07.2001")
        self.assertEqual((village.name, village.kind, village.parent_id), ("Selerong Baru", "desa", "64.02.07"))
        self.assertIsNotNone(Region.objects.get(code="64").lat, "centroid from the shipped boundaries")


class RegionPagesTest(SinergiTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.desk_admin)

    def test_the_kabupaten_page_lists_its_kecamatan_with_totals(self) -> None:
        r = self.client.get("/regions/64.02/")
        self.assertEqual(r.context["totals"]["tps"], 2)
        rows = {child.code: t["tps"] for child, t, _badges in r.context["rows"]}
        self.assertEqual(rows, {"64.02.05": 0, "64.02.06": 1, "64.02.07": 1, "64.02.12": 0, "64.02.17": 0})
        self.assertContains(r, 'data-areas="/regions/64.02/areas.geojson')

    def test_numbers_are_in_indonesian_format(self) -> None:
        make_tps(self.election, "64.02.12.2001", dpt_male=300, dpt_female=290)
        r = self.client.get("/regions/64/")
        self.assertContains(r, '<div class="stat" data-testid="dpt-total">1.960</div>', html=False)

    def test_a_tps_travel_time_reads_in_hours_and_minutes(self) -> None:
        PollingStation.objects.filter(pk=self.tps_sebulu.pk).update(travel_minutes=90)
        desa = self.client.get("/regions/64.02.07.2001/")
        self.assertContains(desa, '<td class="num">1 jam 30 menit</td>')
        detail = self.client.get(f"/regions/tps/{self.tps_sebulu.pk}/")
        self.assertContains(detail, '<span data-testid="tps-travel">1 jam 30 menit</span>')
        PollingStation.objects.filter(pk=self.tps_sebulu.pk).update(travel_minutes=None)
        self.assertContains(
            self.client.get(f"/regions/tps/{self.tps_sebulu.pk}/"), '<span data-testid="tps-travel">—</span>'
        )

    def test_the_desa_page_lists_its_tps(self) -> None:
        r = self.client.get("/regions/64.02.07.2001/")
        self.assertEqual([t.pk for t in r.context["table"].data], [self.tps_sebulu.pk])
        self.assertContains(r, 'data-points="/regions/64.02.07.2001/tps.geojson')

    def test_the_camat_of_sebulu_reads_kukars_whole_totals_not_sebulus(self) -> None:
        # TPS and DPT per region are public figures: never narrowed to the viewer's scope
        self.client.force_login(self.camat_sebulu)
        r = self.client.get("/regions/64.02/")
        self.assertEqual(r.context["totals"]["tps"], 2)
        self.assertContains(r, '<div class="stat" data-testid="tps-total">2</div>', html=False)
        kab = self.client.get("/regions/64/areas.geojson").json()["features"]
        self.assertEqual({f["properties"]["code"]: f["properties"]["tps"] for f in kab}["64.02"], 2)

    def test_areas_geojson_carries_totals_and_links(self) -> None:
        r = self.client.get("/regions/64/areas.geojson")
        feats = {f["properties"]["code"]: f["properties"] for f in r.json()["features"]}
        self.assertEqual(feats["64.02"]["tps"], 2)
        self.assertEqual(feats["64.02"]["url"], "/regions/64.02/")
        self.assertNotIn("url", Client().get("/regions/64/areas.geojson").json()["features"][0]["properties"])

    def test_an_area_without_a_registered_tps_has_no_voter_figure_on_the_map(self) -> None:
        r = self.client.get("/regions/64.02/areas.geojson")
        feats = {f["properties"]["code"]: f["properties"] for f in r.json()["features"]}
        # drawn as "no data", not as the fewest voters
        self.assertEqual((feats["64.02.05"]["tps"], feats["64.02.05"]["dpt"]), (0, None))
        self.assertEqual(feats["64.02.07"]["tps"], 1)
        self.assertGreater(feats["64.02.07"]["dpt"], 0)

    def test_the_map_legend_is_drawn_from_the_data_not_fixed_in_the_page(self) -> None:
        r = self.client.get("/regions/64.02/")
        self.assertContains(r, 'data-legend-for="map"')
        self.assertContains(r, 'data-label-no-data="tidak ada data"')
        self.assertNotContains(r, "pemilih lebih sedikit")

    def test_tps_points_geojson_is_scoped(self) -> None:
        self.client.force_login(self.camat_sebulu)
        r = self.client.get("/regions/64.02/tps.geojson")
        self.assertEqual([f["properties"]["number"] for f in r.json()["features"]], ["001"])
        self.assertEqual(Client().get("/regions/64.02/tps.geojson").status_code, 302)

    def test_the_tps_list_searches_filters_and_paginates(self) -> None:
        r = self.client.get("/regions/tps/?q=Sebulu")
        self.assertEqual([t.pk for t in r.context["table"].data], [self.tps_sebulu.pk])
        r = self.client.get("/regions/tps/?region=64.02.06")
        self.assertEqual([t.pk for t in r.context["table"].data], [self.tps_tenggarong.pk])
        r = self.client.get("/regions/tps/?q=Sebulu", HTTP_HX_REQUEST="true")
        self.assertTemplateUsed(r, "regions/_tps_table.html")
        self.assertNotContains(r, "<html")

    def test_the_tps_list_exports_csv_and_xlsx_in_the_import_format(self) -> None:
        r = self.client.get("/regions/tps/?region=64.02.07&export=csv")
        text = b"".join(r.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
        lines = text.strip().splitlines()
        self.assertTrue(lines[0].startswith("kode_desa,no_tps,alamat,dpt_l,dpt_p"))
        self.assertEqual(len(lines), 2)
        self.assertTrue(lines[1].startswith("64.02.07.2001,001"))
        r = self.client.get("/regions/tps/?export=xlsx")
        ws = load_workbook(io.BytesIO(r.content)).active
        assert ws is not None
        self.assertEqual(ws.max_row, 3)  # header + the two Kukar TPS; Samarinda is out of scope

    def test_an_address_written_as_a_formula_is_exported_as_text(self) -> None:
        PollingStation.objects.filter(pk=self.tps_sebulu.pk).update(address='=HYPERLINK("http://x","klik")')
        r = self.client.get("/regions/tps/?region=64.02.07&export=csv")
        row = next(csv.DictReader(io.StringIO(b"".join(r.streaming_content).decode("utf-8-sig"))))  # type: ignore[attr-defined]
        self.assertEqual(row["alamat"], '\'=HYPERLINK("http://x","klik")')
        r = self.client.get("/regions/tps/?region=64.02.07&export=xlsx")
        self.assertNotIn(b"<f>", zipfile.ZipFile(io.BytesIO(r.content)).read("xl/worksheets/sheet1.xml"))


class ElectionPagesTest(SinergiTestCase):
    def test_the_timeline_marks_the_current_stage(self) -> None:
        self.client.force_login(self.bawaslu_investigator)
        r = self.client.get(f"/elections/{self.election.pk}/")
        self.assertEqual(r.context["current"].name, "Kampanye")
        self.assertContains(r, 'class="current current"')
