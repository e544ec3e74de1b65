"""Downloads cannot carry a formula: text that a spreadsheet would run is written as text."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal
from typing import Any

from django.test import SimpleTestCase
from openpyxl import load_workbook

from core.exports import download

HOSTILE = ['=HYPERLINK("http://x","klik")', "+62 811", "-1+cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "\rx", "#N/A"]
NUMBERS = [-0.28, Decimal("-117.05"), -5, 0]


class ExportTest(SimpleTestCase):
    def csv_rows(self, header: list[str], rows: list[list[Any]]) -> list[list[str]]:
        r = download("csv", "x", header, rows)
        text = b"".join(r.streaming_content).decode("utf-8-sig")  # type: ignore[union-attr,arg-type]
        return list(csv.reader(io.StringIO(text, newline="")))

    def test_csv_cells_that_start_like_a_formula_are_written_as_text(self) -> None:
        header, row = self.csv_rows(["=kode", "nama"], [HOSTILE])
        self.assertEqual(header, ["'=kode", "nama"])
        self.assertEqual(row, ["'" + v for v in HOSTILE[:-1]] + ["#N/A"])

    def test_negative_numbers_stay_numbers(self) -> None:
        _header, row = self.csv_rows(["lat", "lng", "n", "z"], [NUMBERS])
        self.assertEqual(row, ["-0.28", "-117.05", "-5", "0"])

    def test_text_that_is_a_plain_number_is_left_as_it_is(self) -> None:
        _header, row = self.csv_rows(["lat", "lng", "x"], [["-0.2801", "+117,06", "-1e-05"]])
        self.assertEqual(row, ["-0.2801", "+117,06", "-1e-05"])

    def test_the_xlsx_export_never_writes_a_formula(self) -> None:
        r = download("xlsx", "x", ["=kode", "lat", "lng", "n", "z"], [[*HOSTILE, *NUMBERS]])
        sheet = zipfile.ZipFile(io.BytesIO(r.content)).read("xl/worksheets/sheet1.xml")
        self.assertNotIn(b"<f>", sheet)
        ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
        header, row = list(ws.iter_rows())
        self.assertEqual(header[0].value, "'=kode")
        texts = row[: len(HOSTILE)]
        read_back = ["'" + v.replace("\r", "\n") for v in HOSTILE[:-1]] + ["#N/A"]  # XML reads CR as LF
        self.assertEqual([c.value for c in texts], read_back)
        self.assertEqual({c.data_type for c in texts}, {"s"})
        numbers = row[len(HOSTILE) :]
        self.assertEqual([c.value for c in numbers], [-0.28, -117.05, -5, 0])
        self.assertEqual({c.data_type for c in numbers}, {"n"})
