"""The situation report as a PDF to print, an XLSX annex and a present mode for the projector,
live and from a kept snapshot (which prints what the meeting saw, not what is true now)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pypdfium2 as pdfium
from django.test import override_settings
from openpyxl import load_workbook

from meetings import actions, documents
from meetings.models import ReportSnapshot
from meetings.tests.base import TODAY, MeetingsTestCase


def pdf_pages(body: bytes) -> list[str]:
    doc = pdfium.PdfDocument(body)
    return [doc[i].get_textpage().get_text_range() for i in range(len(doc))]


@override_settings(SINERGI_TODAY=TODAY)
class ReportDocumentsTest(MeetingsTestCase):
    def setUp(self) -> None:
        self.late = self.action(self.rakor, "Jadwal distribusi hulu", self.kpu, dt.date(2024, 11, 15))
        self.url = f"/meetings/report/64.02/?election={self.election.pk}"

    def get(self, url: str, persona: Any = None) -> Any:
        self.client.force_login(persona or self.desk_admin)
        return self.client.get(url)

    def test_the_pdf_is_a4_with_the_pemda_letterhead_page_numbers_and_what_needs_a_decision(self) -> None:
        r = self.get(self.url + "&format=pdf")
        self.assertEqual(r["Content-Type"], "application/pdf")
        self.assertIn('filename="laporan-situasi-kabupaten-kutai-kartanegara-2024-11-18', r["Content-Disposition"])
        doc = pdfium.PdfDocument(r.content)
        width, height = doc[0].get_size()
        self.assertEqual((round(width), round(height)), (595, 842))  # A4 in points
        pages = pdf_pages(r.content)
        self.assertIn("PEMERINTAH KABUPATEN KUTAI KARTANEGARA", pages[0])
        self.assertIn(f"Halaman 1 dari {len(pages)}", pages[0])
        self.assertIn("Laporan Situasi Desk Pilkada", pages[0])
        text = " ".join(" ".join(p.split()) for p in pages)
        self.assertIn("Terlambat 3 hari: Jadwal distribusi hulu (KPU Kukar)", text)
        self.assertIn("per 18 November 2024 12.00 WITA", text)

    def test_the_xlsx_annex_has_a_summary_and_a_sheet_per_section_with_figures_as_numbers(self) -> None:
        r = self.get(self.url + "&format=xlsx")
        wb = load_workbook(io.BytesIO(r.content))
        self.assertEqual(wb.sheetnames[0], "Ringkasan")
        summary = [[c for c in row if c is not None] for row in wb["Ringkasan"].iter_rows(values_only=True)]
        self.assertIn(["Wilayah", "Kabupaten Kutai Kartanegara", "64.02"], summary)
        self.assertIn([1, "Terlambat 3 hari: Jadwal distribusi hulu (KPU Kukar)"], summary)
        self.assertGreater(len(wb.sheetnames), 1)

    def test_a_kept_report_prints_what_the_meeting_saw(self) -> None:
        self.client.force_login(self.desk_admin)
        self.client.post(f"/meetings/report/64.02/snapshot/?election={self.election.pk}", {"meeting": self.rakor.pk})
        snap = ReportSnapshot.objects.get()
        actions.set_action_status(self.kpu_operator, self.late, "done", "", self.late.version)
        kept = " ".join(pdf_pages(self.get(f"/meetings/snapshots/{snap.pk}/?format=pdf", self.polres_officer).content))
        self.assertIn("Jadwal distribusi hulu", " ".join(kept.split()))
        live = " ".join(pdf_pages(self.get(self.url + "&format=pdf").content))
        self.assertNotIn("Terlambat 3 hari", " ".join(live.split()))

    def test_present_mode_puts_one_section_per_slide(self) -> None:
        r = self.get(self.url + "&present=1")
        self.assertContains(r, 'class="presenting"')
        # the title, what needs a decision, then each section
        sections = r.content.decode().count('data-testid="section-') or len(r.context["data"]["sections"])
        self.assertContains(r, 'data-testid="slide"', count=2 + sections)
        self.assertContains(r, f'href="/meetings/report/64.02/?election={self.election.pk}" data-present-exit')

    def test_the_live_report_page_has_the_logistics_map_and_a_kept_report_has_none(self) -> None:
        r = self.get(self.url)
        self.assertContains(r, 'data-testid="report-map-logistics"')
        self.assertContains(r, 'data-areas="/logistics/64.02/areas.geojson?election=')
        self.client.post(f"/meetings/report/64.02/snapshot/?election={self.election.pk}", {"meeting": self.rakor.pk})
        kept = self.get(f"/meetings/snapshots/{ReportSnapshot.objects.get().pk}/")
        self.assertNotContains(kept, "data-map")

    def test_no_document_for_a_region_out_of_scope(self) -> None:
        for fmt in ("format=pdf", "format=xlsx", "present=1"):
            r = self.get(f"/meetings/report/64.02/?{fmt}", self.camat_sebulu)
            self.assertEqual(r.status_code, 404, fmt)

    def test_the_api_gives_the_live_report_and_its_documents(self) -> None:
        data = self.get(f"/api/v1/meetings/report/64.02?election_id={self.election.pk}").json()
        self.assertIn("Terlambat 3 hari: Jadwal distribusi hulu (KPU Kukar)", [d["text"] for d in data["decide"]])
        r = self.get(f"/api/v1/meetings/report/64.02/pdf?election_id={self.election.pk}")
        self.assertEqual((r.status_code, r.content[:5]), (200, b"%PDF-"))
        r = self.get(f"/api/v1/meetings/report/64.02/xlsx?election_id={self.election.pk}")
        self.assertEqual(r["Content-Type"], documents.TYPES["xlsx"])
        self.assertEqual(self.get("/api/v1/meetings/report/64.02/doc").status_code, 422)
        self.assertEqual(self.get("/api/v1/meetings/report/64.02", self.camat_sebulu).status_code, 404)


class LetterheadTest(MeetingsTestCase):
    def test_the_pemda_of_a_province_a_kabupaten_and_a_kecamatan(self) -> None:
        from regions.models import Region

        self.assertEqual(documents.government(Region.objects.get(code="64")), "PEMERINTAH PROVINSI KALIMANTAN TIMUR")
        self.assertEqual(
            documents.government(Region.objects.get(code="64.02.07")), "PEMERINTAH KABUPATEN KUTAI KARTANEGARA"
        )

    def test_html_is_read_back_as_headings_text_and_tables(self) -> None:
        parts = documents.blocks(
            "<div class='card'><h2>Logistik</h2><p>12 dari 20 <span>diterima</span></p><script>x()</script>"
            "<table><tr><th>Tingkat</th><th>%</th></tr><tr><td>PPK</td><td>60,0%</td></tr></table><ul><li>a</li></ul></div>"
        )
        self.assertEqual(
            [(b.level, b.text) for b in parts if not b.is_table],
            [(2, "Logistik"), (0, "12 dari 20 diterima"), (-1, "a")],
        )
        (table,) = [b for b in parts if b.is_table]
        self.assertEqual((table.rows, table.header), ([["Tingkat", "%"], ["PPK", "60,0%"]], True))
        self.assertEqual(documents._cell("60,0%"), 0.6)
        self.assertEqual(documents._cell("1.443"), 1443)
        self.assertEqual(documents._cell("=HYPERLINK()"), "'=HYPERLINK()")

    def test_a_stated_share_gets_a_bar_in_the_pdf(self) -> None:
        from reportlab.lib.styles import getSampleStyleSheet

        style = getSampleStyleSheet()["BodyText"]
        _paragraph, bar = documents._charted("2 dari 3 (66,7%)", style, 100)
        self.assertAlmostEqual(bar.contents[1].width, 66.7)
        self.assertFalse(isinstance(documents._charted("tanpa angka", style, 100), list))
