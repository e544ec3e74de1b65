"""The import framework: Indonesian numbers, header matching and per-cell messages."""

from __future__ import annotations

from decimal import Decimal

from django.test import SimpleTestCase
from django.utils import translation

from core.imports import (
    CellError,
    Column,
    Spec,
    choice,
    count,
    parse_bool,
    parse_coordinate,
    parse_decimal_id,
    parse_int_id,
)
from core.spreadsheets import FileRejected

SPEC = Spec(
    "Sample",
    [
        Column("code", "kode", aliases=("code", "Kode Wilayah"), required=True),
        Column("voters", "jumlah_pemilih", count(), aliases=("voters",), required=True),
        Column("note", "catatan", empty="-"),
    ],
)


class IndonesianNumberTest(SimpleTestCase):
    def assert_refused(self, parser: object, value: object, *pieces: str) -> None:
        with translation.override("en"), self.assertRaises(CellError) as ctx:
            parser(value)  # type: ignore[operator]
        for piece in pieces:
            self.assertIn(piece, ctx.exception.message)

    def test_a_dot_groups_thousands_in_a_whole_number(self) -> None:
        self.assertEqual(parse_int_id("10.000"), 10_000)
        self.assertEqual(parse_int_id("1.234.567"), 1_234_567)
        self.assertEqual(parse_int_id(" 250 "), 250)
        self.assertEqual(parse_int_id("-5"), -5)

    def test_a_spreadsheet_number_cell_is_read_as_it_is(self) -> None:
        self.assertEqual(parse_int_id(7.0), 7)
        self.assertEqual(parse_int_id(12), 12)
        self.assert_refused(parse_int_id, 7.5, "7.5", "not a whole number")

    def test_a_misplaced_dot_or_a_comma_is_not_a_whole_number(self) -> None:
        self.assert_refused(parse_int_id, "1.2.3", "1.2.3", "not a whole number")
        self.assert_refused(parse_int_id, "10.5", "10.5", "not a whole number")
        self.assert_refused(parse_int_id, "10,000", "10,000", "10.000")
        self.assert_refused(parse_int_id, "sepuluh", "sepuluh")
        self.assert_refused(parse_int_id, "²", "not a whole number")

    def test_absurd_magnitudes_are_refused_not_overflowed(self) -> None:
        self.assert_refused(parse_int_id, "10000000000000000000", "too large")
        self.assert_refused(parse_int_id, "10.000.000.000.000.000.000", "too large")
        self.assert_refused(parse_decimal_id, "10000000000000,5", "too large")
        self.assert_refused(count(), "3.000.000.000", "maximum")

    def test_a_number_of_thousands_of_digits_is_too_large_and_shown_cut(self) -> None:
        huge = "9" * 5000  # beyond Python's 4,300-digit limit for int(): a ValueError, not a message
        for parser in (parse_int_id, count(), parse_decimal_id):
            with self.subTest(parser=parser), translation.override("en"), self.assertRaises(CellError) as ctx:
                parser(huge)  # type: ignore[operator]
            self.assertIn("too large", ctx.exception.message)
            self.assertLess(len(ctx.exception.message), 200)
        self.assert_refused(parse_int_id, "1" + ".000" * 2000, "too large")

    def test_a_comma_is_the_decimal_mark(self) -> None:
        self.assertEqual(parse_decimal_id("1.234,5"), Decimal("1234.5"))
        self.assertEqual(parse_decimal_id("1234,5"), Decimal("1234.5"))
        self.assertEqual(parse_decimal_id("10.000"), Decimal("10000"))
        self.assertEqual(parse_decimal_id(2.5), Decimal("2.5"))

    def test_english_or_ambiguous_decimals_are_refused_with_the_expected_form(self) -> None:
        self.assert_refused(parse_decimal_id, "1,234.5", "1,234.5", "1.234,5")
        self.assert_refused(parse_decimal_id, "1.5", "1.5", "Indonesian format")
        self.assert_refused(parse_decimal_id, "1.2.3", "1.2.3")
        self.assert_refused(parse_decimal_id, float("nan"), "not a number")

    def test_coordinates_take_a_dot_or_a_comma_as_decimal_mark(self) -> None:
        self.assertEqual(parse_coordinate("-0.2801"), -0.2801)
        self.assertEqual(parse_coordinate("-0,2801"), -0.2801)
        self.assertEqual(parse_coordinate(117.06), 117.06)
        self.assertEqual(parse_coordinate("-1e-05"), -0.00001)  # how a CSV export writes a point near the equator
        self.assert_refused(parse_coordinate, "1.234,5", "not a coordinate")
        self.assert_refused(parse_coordinate, "999", "not a coordinate")

    def test_a_negative_count_is_refused(self) -> None:
        self.assert_refused(count(), "-3", "negative")

    def test_messages_are_in_indonesian_by_default(self) -> None:
        with self.assertRaises(CellError) as ctx:
            parse_int_id("1.2.3")
        self.assertIn("bukan bilangan bulat", ctx.exception.message)


class SpecTest(SimpleTestCase):
    def parse(self, *lines: list[object]) -> object:
        with translation.override("en"):
            return SPEC.parse(iter([list(line) for line in lines]))

    def test_headers_match_aliases_whatever_the_case_and_spaces(self) -> None:
        report = self.parse([" Kode  WILAYAH ", "Voters"], ["64.02", "10.000"])
        self.assertEqual(report.rows[0][:3], ("64.02", 10_000, "-"))  # type: ignore[attr-defined]
        self.assertEqual(report.rows[0].row, 2)  # type: ignore[attr-defined]

    def test_a_missing_required_column_rejects_the_file(self) -> None:
        with translation.override("en"), self.assertRaises(FileRejected) as ctx:
            SPEC.parse(iter([["kode", "catatan"], ["64", "x"]]))
        self.assertIn("jumlah_pemilih", str(ctx.exception))

    def test_each_bad_cell_is_reported_with_its_row_and_column_and_the_row_is_dropped(self) -> None:
        report = self.parse(["kode", "jumlah_pemilih"], ["", "1.2.3"], [], ["64", "5"])
        errors = [(e.row, e.column) for e in report.errors]  # type: ignore[attr-defined]
        self.assertEqual(errors, [(2, "kode"), (2, "jumlah_pemilih")])
        self.assertEqual([r.code for r in report.rows], ["64"])  # type: ignore[attr-defined]

    def test_a_small_maximum_is_checked_even_for_plain_digits(self) -> None:
        spec = Spec("Small", [Column("n", "n", count(maximum=100), required=True)])
        with translation.override("en"):
            report = spec.parse(iter([["n"], ["100"], ["150"]]))
        self.assertEqual([r.n for r in report.rows], [100])
        self.assertIn("150 is above the maximum of 100", report.errors[0].message)

    def test_choices_and_yes_no_columns_read_known_values_and_name_unknown_ones(self) -> None:
        spec = Spec(
            "Choice",
            [
                Column("mode", "akses", choice({"sungai": "river", "road": "road"}, "Unknown “%(value)s”.")),
                Column("special", "khusus", parse_bool, empty=False),
                Column("note", "catatan", max_length=3),
            ],
        )
        with translation.override("en"):
            lines = [["akses", "khusus", "catatan"], ["Sungai", "Ya", "abcdef"], ["kapal", "mungkin", ""]]
            report = spec.parse(iter(lines))
        self.assertEqual(report.rows[0][:3], ("river", True, "abc"))
        self.assertEqual(
            [(e.row, e.column, e.message) for e in report.errors],
            [(3, "akses", "Unknown “kapal”."), (3, "khusus", "Use 1/ya or 0/tidak (got “mungkin”).")],
        )

    def test_the_template_and_the_api_fields_come_from_the_columns(self) -> None:
        self.assertEqual(SPEC.template_rows()[0], ["kode", "jumlah_pemilih", "catatan"])
        self.assertEqual(SPEC.db_columns(["code", "other"]), ["code", "other"])
