"""Drafting a meeting from its written report: the samples are Sinergi's own texts, written the
way Pemda press releases and news pages are (one plain text with the page's clutter pasted
along, one saved web page)."""

from __future__ import annotations

import io
import json
from pathlib import Path

from django.core.management import call_command
from django.test import SimpleTestCase

from meetings import drafting
from meetings.models import Meeting
from meetings.tests.base import MeetingsTestCase

SAMPLES = Path(__file__).parent / "samples"


class DraftFromTextTest(SimpleTestCase):
    def setUp(self) -> None:
        self.d = drafting.draft((SAMPLES / "rakor_kukar.txt").read_text(), 2024)

    def test_the_meeting_itself(self) -> None:
        self.assertEqual(self.d.title, "Pemkab Kukar Gelar Rakor Kesiapan Akhir Pilkada 2024")
        self.assertEqual((self.d.kind, self.d.date, self.d.time), ("rakor", "2024-11-18", "09:00"))
        self.assertEqual(self.d.venue, "Pendopo Wakil Bupati, Tenggarong")
        self.assertEqual(self.d.chair, "Pjs Bupati Kukar Agus Hartono")
        self.assertEqual(self.d.warnings, [])

    def test_who_was_there(self) -> None:
        for agency in ("Forkopimda", "KPU Kukar", "Bawaslu Kukar", "Polres Kutai Kartanegara", "Kodim 0906/Kukar"):
            self.assertIn(agency, self.d.agencies)
        people = {p["name"]: p["role"] for p in self.d.people}
        self.assertEqual(people["Rina Wulandari"], "Ketua KPU Kukar")
        self.assertEqual(people["Agus Hartono"], "Pjs Bupati Kukar")

    def test_figures_and_decisions(self) -> None:
        figures = [f["text"] for f in self.d.figures]
        for figure in ("1.443 TPS", "56,57 persen", "77,5 persen"):
            self.assertIn(figure, figures)
        self.assertTrue(any("disepakati Polres dan Kodim" in d for d in self.d.decisions))
        self.assertTrue(any("meminta seluruh camat" in d for d in self.d.decisions))

    def test_the_page_around_the_article_does_not_leak_in(self) -> None:
        everything = json.dumps(self.d.as_json(), ensure_ascii=False)
        for clutter in ("11 Kasus", "WhatsApp", "Simulasi", "40 Desa", "komentar"):
            self.assertNotIn(clutter, everything)


class DraftFromWebPageTest(SimpleTestCase):
    def setUp(self) -> None:
        self.d = drafting.draft((SAMPLES / "forkopimda_kaltim.html").read_text(), 2024)

    def test_the_article_alone_is_read(self) -> None:
        self.assertEqual(self.d.title, "Forkopimda Kaltim Matangkan Pengamanan Pilkada")
        self.assertEqual((self.d.kind, self.d.date), ("rakor", "2024-11-13"))
        self.assertEqual(self.d.venue, "Hotel Novotel Balikpapan")
        self.assertEqual(self.d.chair, "Sekda Kaltim Sri Wahyuni")
        self.assertIn("Kodam VI/Mulawarman", self.d.agencies)
        self.assertEqual([f["text"] for f in self.d.figures], ["2.150 personel", "6.274 TPS"])
        everything = json.dumps(self.d.as_json(), ensure_ascii=False)
        for clutter in ("Beranda", "Sembako", "Banjir", "200 orang", "Semoga", "Copyright", "Twitter", "20/11"):
            self.assertNotIn(clutter, everything)


class DatesTest(SimpleTestCase):
    def test_indonesian_date_forms(self) -> None:
        cases = {
            "Rakor digelar Selasa (3/9/2024) di Gedung Serbaguna.": "2024-09-03",
            "Rapat pada Senin (18/11) di Kantor Bupati.": "2024-11-18",  # the year from the caller
            "Rapat digelar Rabu, 13 November 2024 di Aula Kantor Gubernur.": "2024-11-13",
            "Apel siaga, Senin (18 November 2024), di Lapangan Upacara.": "2024-11-18",
        }
        for text, expected in cases.items():
            with self.subTest(text=text):
                d = drafting.draft(text, 2024)
                self.assertEqual(d.date, expected)
                self.assertEqual(d.warnings, [])

    def test_a_weekday_that_does_not_match_its_date_is_a_warning(self) -> None:
        d = drafting.draft("Rakor pada Selasa (18/11/2024) di Pendopo Bupati.", 2024)
        self.assertEqual(d.date, "2024-11-18")
        self.assertEqual(
            d.warnings, ["Teks menyebut Selasa, tetapi 18 November 2024 adalah hari Senin: periksa tanggalnya."]
        )

    def test_no_date_and_an_impossible_date_are_warnings(self) -> None:
        self.assertIn("Tanggal tidak ditemukan", drafting.draft("Rakor di Pendopo Bupati.", 2024).warnings[0])
        self.assertIn("bukan tanggal", drafting.draft("Rakor Senin (31/2/2024) di Pendopo.", 2024).warnings[0])


class DraftCommandTest(SimpleTestCase):
    def test_json_keys_for_batch_use(self) -> None:
        out = io.StringIO()
        call_command("draft_meeting", str(SAMPLES / "rakor_kukar.txt"), "--json", "--year=2024", stdout=out)
        data = json.loads(out.getvalue())
        for key in ("date", "venue", "chair", "agencies", "people", "figures", "decisions", "warnings"):
            self.assertIn(key, data)
        self.assertEqual(data["date"], "2024-11-18")


class DraftPageTest(MeetingsTestCase):
    def test_the_desk_pastes_a_report_and_gets_the_new_meeting_form_filled_in_for_review(self) -> None:
        self.client.force_login(self.desk_admin)
        meetings_before = Meeting.objects.count()
        r = self.client.post("/meetings/draft/", {"text": (SAMPLES / "rakor_kukar.txt").read_text()})
        self.assertEqual(Meeting.objects.count(), meetings_before)  # nothing saved yet
        form = r.context["form"]
        self.assertEqual(form.initial["title"], "Pemkab Kukar Gelar Rakor Kesiapan Akhir Pilkada 2024")
        self.assertEqual(form.initial["venue"], "Pendopo Wakil Bupati, Tenggarong")
        self.assertEqual(form.initial["starts_at"].isoformat(), "2024-11-18T09:00:00+08:00")
        self.assertIn(self.kpu.pk, form.initial["invited"])  # "KPU Kukar" names KPU Kutai Kartanegara
        self.assertIn("Keputusan: Dalam rapat itu disepakati", form.initial["minutes"])
        self.assertContains(r, 'action="/meetings/new/"')
        self.assertContains(r, "77,5 persen")

    def test_a_weekday_that_does_not_match_is_shown_before_saving(self) -> None:
        self.client.force_login(self.desk_admin)
        r = self.client.post("/meetings/draft/", {"text": "Rakor pada Selasa (18/11/2024) di Pendopo Bupati."})
        self.assertContains(r, 'data-testid="draft-warnings"')
        self.assertContains(r, "adalah hari Senin")

    def test_a_reader_who_does_not_write_meetings_may_not_draft_one(self) -> None:
        self.client.force_login(self.camat_sebulu)
        self.assertEqual(self.client.get("/meetings/draft/").status_code, 403)


class DraftEdgeCasesTest(SimpleTestCase):
    def test_the_pages_byline_does_not_beat_the_meetings_date_and_an_older_year_does_not_leak_in(self) -> None:
        text = (
            "Selasa, 19 November 2024 10.30 WITA\nBerbeda dengan Pilkada 2020, rakor Senin (18/11) di Pendopo Bupati."
        )
        d = drafting.draft(text, 2024)
        self.assertEqual((d.date, d.warnings), ("2024-11-18", []))

    def test_a_title_with_a_full_stop_keeps_the_chair_and_names_whole(self) -> None:
        d = drafting.draft(
            "Rakor Senin (18/11/2024) di Pendopo Bupati dipimpin oleh Pj. Bupati Kukar H. Edi Santoso, "
            "dihadiri Ketua Bawaslu Kukar Dr. Teguh Wibowo.",
            2024,
        )
        self.assertEqual(d.chair, "Pj Bupati Kukar H Edi Santoso")
        people = {p["name"]: p["role"] for p in d.people}
        self.assertEqual(people.get("Dr Teguh Wibowo"), "Ketua Bawaslu Kukar")

    def test_a_wordpress_page_keeps_its_article_whatever_its_classes(self) -> None:
        page = (
            '<html><body class="single right-sidebar"><header class="site-header"><a>Beranda</a></header>'
            '<article class="post tag-pilkada"><header class="entry-header"><h1>Rakor Kesiapan Pilkada</h1></header>'
            "<p>Rakor Senin (18/11/2024) di Pendopo Bupati.</p>"
            '<aside class="related"><picture><source srcset="x.webp"><img src="x.jpg"></picture><p>Berita lain 9 TPS'
            "</aside><p>Disepakati distribusi dimulai 24 November 2024.</p></article></body></html>"
        )
        d = drafting.draft(page, 2024)
        self.assertEqual(d.title, "Rakor Kesiapan Pilkada")
        self.assertEqual(d.date, "2024-11-18")
        self.assertTrue(any("Disepakati distribusi" in x for x in d.decisions))
        self.assertNotIn("9 TPS", [f["text"] for f in d.figures])

    def test_a_long_run_of_digits_is_read_quickly(self) -> None:
        import time

        start = time.perf_counter()
        drafting.draft("Rakor Senin (18/11/2024). " + "1" * 40_000 + " persen", 2024)
        self.assertLess(time.perf_counter() - start, 5)
