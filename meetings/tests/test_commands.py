"""``situation_report``: the same report from the command line, for scheduled runs."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from pathlib import Path

from django.core.management import CommandError, call_command
from django.test import override_settings

from meetings.tests.base import TODAY, MeetingsTestCase


@override_settings(SINERGI_TODAY=TODAY)
class SituationReportCommandTest(MeetingsTestCase):
    def setUp(self) -> None:
        self.action(self.rakor, "Jadwal distribusi hulu", self.kpu, dt.date(2024, 11, 15))

    def run_command(self, *args: str) -> str:
        out = io.StringIO()
        call_command("situation_report", *args, f"--election={self.election.pk}", stdout=out, stderr=io.StringIO())
        return out.getvalue()

    def test_the_text_leads_with_what_needs_a_decision(self) -> None:
        text = self.run_command("64.02")
        self.assertIn("Laporan Situasi Desk Pilkada", text)
        self.assertIn("1. Terlambat 3 hari: Jadwal distribusi hulu (KPU Kukar)", text)

    def test_json_has_the_api_shape_and_at_moves_the_clock(self) -> None:
        data = json.loads(self.run_command("64.02", "--json", "--at", "2024-11-20T12:00"))
        self.assertEqual(
            set(data), {"election", "region", "at", "at_text", "days_to_go", "stage", "decide", "sections"}
        )
        self.assertEqual(data["days_to_go"], 7)
        self.assertIn("Terlambat 5 hari: Jadwal distribusi hulu (KPU Kukar)", [d["text"] for d in data["decide"]])

    def test_pdf_and_xlsx_are_written_to_their_files(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            pdf, xlsx = Path(tmp) / "r.pdf", Path(tmp) / "r.xlsx"
            self.assertEqual(self.run_command("64.02", f"--pdf={pdf}", f"--xlsx={xlsx}"), "")
            self.assertEqual(pdf.read_bytes()[:5], b"%PDF-")
            self.assertEqual(xlsx.read_bytes()[:2], b"PK")

    def test_a_reader_gets_no_report_for_a_region_outside_their_area(self) -> None:
        with self.assertRaisesMessage(CommandError, "di luar cakupan Anda"):
            self.run_command("64.02", f"--user={self.camat_sebulu.username}")
        with self.assertRaisesMessage(CommandError, "not a date and time"):
            self.run_command("64.02", "--at=kemarin")
