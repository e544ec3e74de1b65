"""The spreadsheet reader refuses files built to stall the server, with a message, before parsing them.

Every malicious file here is written by the test itself, and is small: a few kilobytes on disk.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from itertools import islice
from typing import Any

from django.test import SimpleTestCase, override_settings
from django.utils import translation

from core.spreadsheets import FileRejected, limits, peek, read_rows, work_size
from tests.hostile_files import (
    SHEET,
    WORKBOOK,
    billion_laughs,
    broken_xml,
    laughs,
    part,
    rewrite,
    whole_grid,
    xlsx,
    zip_bomb,
)

GOOD = xlsx(["kode_desa", "no_tps"], ["64.02.07.2002", 7])


class SpreadsheetReaderTest(SimpleTestCase):
    def assert_refused(self, data: bytes, *pieces: str, **limit: Any) -> str:
        with translation.override("en"), self.assertRaises(FileRejected) as ctx:
            list(read_rows(data, limits(**limit) if limit else None))
        message = str(ctx.exception)
        for piece in pieces:
            self.assertIn(piece, message)
        return message

    def test_a_good_xlsx_reads_as_its_rows(self) -> None:
        self.assertEqual(list(read_rows(GOOD)), [["kode_desa", "no_tps"], ["64.02.07.2002", 7]])

    def test_a_declared_sheet_size_of_a_whole_excel_grid_is_ignored(self) -> None:
        data = whole_grid(GOOD)
        self.assertIn(b"XFD1048576", part(data))
        self.assertLess(len(data), 10_000)
        # Before: 1,048,576 rows of 16,384 cells each (about 12 minutes of CPU for 5 KB).
        self.assertEqual(list(islice(read_rows(data), 5)), [["kode_desa", "no_tps"], ["64.02.07.2002", 7]])

    def test_a_zip_bomb_is_refused_before_it_is_unpacked(self) -> None:
        data = zip_bomb(GOOD, megabytes=10)
        self.assertEqual(zipfile.ZipFile(io.BytesIO(data)).getinfo(SHEET).file_size // 1_000_000, 10)
        self.assertLess(len(data), 100_000)
        self.assert_refused(data, "compressed", SHEET)

    def test_a_file_that_unpacks_to_more_than_the_limit_is_refused(self) -> None:
        noise = os.urandom(600_000).hex()  # 1.2 MB that barely compresses: no ratio alarm
        data = rewrite(GOOD, SHEET, lambda xml: xml.replace("<sheetData>", f"<!-- {noise} --><sheetData>"))
        self.assertEqual(list(read_rows(data)), [["kode_desa", "no_tps"], ["64.02.07.2002", 7]])
        self.assert_refused(data, "unpacks to", "1", max_uncompressed=1_000_000)

    def test_a_file_larger_than_the_upload_limit_is_refused_unread(self) -> None:
        self.assert_refused(b"kode_desa,no_tps\n" * 100, "larger than", max_bytes=1000)
        with override_settings(TPS_IMPORT_MAX_BYTES=1000):
            self.assert_refused(GOOD, "larger than")

    def test_a_zip_with_thousands_of_members_is_refused(self) -> None:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            for i in range(20):
                z.writestr(f"x/{i}.xml", "")
        self.assert_refused(out.getvalue(), "too many parts", max_members=10)

    def test_rows_beyond_the_limit_are_refused_while_streaming(self) -> None:
        csv = b"kode_desa,no_tps\n" + b"64.02.07.2002,1\n" * 10
        self.assertEqual(len(list(read_rows(csv))), 11)
        self.assert_refused(csv, "more than 5 rows", max_rows=5)
        self.assert_refused(xlsx(*[["64.02.07.2002", i] for i in range(10)]), "more than 5 rows", max_rows=5)

    def test_a_row_far_below_the_others_counts_every_row_in_between(self) -> None:
        last = '<row r="1048576"><c r="A1048576" t="n"><v>1</v></c></row>'
        data = rewrite(GOOD, SHEET, lambda xml: xml.replace("</sheetData>", last + "</sheetData>"))
        self.assert_refused(data, "more than 1,000 rows", max_rows=1000)

    def test_a_row_wider_than_the_column_limit_is_refused(self) -> None:
        self.assert_refused(b"a," * 150 + b"b\n", "more than 100 columns")
        far = rewrite(GOOD, SHEET, lambda xml: xml.replace("</row>", '<c r="XFD1" t="n"><v>1</v></c></row>', 1))
        self.assert_refused(far, "more than 100 columns")

    def test_empty_formatted_cells_far_to_the_right_are_ignored(self) -> None:
        styled = rewrite(GOOD, SHEET, lambda xml: xml.replace("</row>", '<c r="XFD1" s="0"/></row>', 1))
        self.assertEqual(list(read_rows(styled)), [["kode_desa", "no_tps"], ["64.02.07.2002", 7]])

    def test_broken_xml_is_refused_with_a_message(self) -> None:
        self.assert_refused(broken_xml(GOOD), "not a readable XLSX")

    def test_a_billion_laughs_entity_expansion_is_refused(self) -> None:
        in_a_cell = billion_laughs(GOOD, "64.02.07.2002")
        self.assertIn(b"&lol9;", part(in_a_cell))
        self.assert_refused(in_a_cell, "not a readable XLSX")
        in_the_workbook = rewrite(GOOD, WORKBOOK, lambda xml: laughs(xml).replace('name="Sheet"', 'name="&lol9;"'))
        self.assert_refused(in_the_workbook, "not a readable XLSX")

    def test_a_csv_cell_of_128_kb_is_refused_with_its_row(self) -> None:
        data = b"kode_desa,alamat\n64.02.07.2002,ok\n64.02.07.2002," + b"x" * 131_072 + b"\n"
        self.assert_refused(data, "Row 3", "too long")

    def test_an_unclosed_quote_is_refused_with_its_row(self) -> None:
        data = b'kode_desa,alamat\n64.02.07.2002,"never closed\n' + b"x,y\n" * 40_000
        self.assert_refused(data, "Row 2", "quotation mark")

    def test_an_xlsx_number_of_thousands_of_digits_is_refused(self) -> None:
        data = rewrite(GOOD, SHEET, lambda xml: xml.replace("<v>7</v>", f"<v>{'9' * 5000}</v>"))
        self.assert_refused(data, "not a readable XLSX")

    def test_the_messages_are_in_indonesian_by_default(self) -> None:
        with self.assertRaises(FileRejected) as ctx:
            list(read_rows(b"a," * 150 + b"b\n"))
        self.assertIn("kolom", str(ctx.exception))


def shared_strings_xlsx(*rows: list[Any]) -> bytes:
    """An XLSX whose text cells point into the shared strings, as Excel writes them (openpyxl
    writes inline strings); the first string is rich text, in two runs."""
    strings: list[str] = []

    def to_shared(match: re.Match[str]) -> str:
        strings.append(match.group(2))
        return f'<c r="{match.group(1)}" t="s"><v>{len(strings) - 1}</v></c>'

    data = rewrite(
        xlsx(*rows), SHEET, lambda xml: re.sub(r'<c r="(\w+)" t="inlineStr"><is><t>(.*?)</t></is></c>', to_shared, xml)
    )
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    items = [f"<si><r><t>{strings[0][:3]}</t></r><r><t>{strings[0][3:]}</t></r></si>"]
    items += [f"<si><t>{text}</t></si>" for text in strings[1:]]
    table = f'<sst xmlns="{main}" count="{len(strings)}" uniqueCount="{len(strings)}">{"".join(items)}</sst>'
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
    data = rewrite(
        data,
        "xl/_rels/workbook.xml.rels",
        lambda xml: xml.replace(
            "</Relationships>", f'<Relationship Id="rIdS" Type="{kind}" Target="sharedStrings.xml"/></Relationships>'
        ),
    )
    content = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
    data = rewrite(
        data,
        "[Content_Types].xml",
        lambda xml: xml.replace(
            "</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{content}"/></Types>'
        ),
    )
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
        dst.writestr("xl/sharedStrings.xml", table)
    return out.getvalue()


class PeekTest(SimpleTestCase):
    """What the upload request checks of a large file before a background job reads it."""

    def first_row(self, data: bytes) -> list[Any]:
        return list(next(read_rows(data)))

    def test_a_csv_shows_its_header_and_about_how_many_rows_it_has(self) -> None:
        data = b"kode_desa;no_tps\r\n64.02.07.2002;1\r\n64.02.07.2002;2\r\n"
        look = peek(data)
        self.assertEqual((look.header, look.rows), (["kode_desa", "no_tps"], 3))
        self.assertEqual(peek(data.rstrip()).rows, 3)

    def test_an_xlsx_shows_the_header_read_by_openpyxl_inline_or_shared_strings(self) -> None:
        rows: list[list[Any]] = [["kode_desa", "no_tps", None, 2024], ["64.02.07.2002", 7, "x", 1]]
        for data in (xlsx(*rows), shared_strings_xlsx(*rows)):
            with self.subTest(shared=b"sharedStrings.xml" in data):
                look = peek(data)
                self.assertEqual(look.header, ["kode_desa", "no_tps", "", "2024"])
                self.assertEqual([str(v) for v in self.first_row(data)], look.header)
                self.assertEqual(look.rows, 2)

    def test_a_sheet_that_starts_below_the_first_row_has_an_empty_header_as_for_the_reader(self) -> None:
        data = rewrite(GOOD, SHEET, lambda xml: xml.replace('r="1"', 'r="3"').replace('r="A1"', 'r="A3"'))
        self.assertEqual(self.first_row(data), [])
        self.assertEqual(peek(data).header, [])

    def test_hostile_files_are_refused_as_the_reader_refuses_them(self) -> None:
        for data, piece in (
            (zip_bomb(GOOD), "zip bomb"),
            (billion_laughs(GOOD, "kode_desa"), "not a readable XLSX"),
            (b"PK\x03\x04broken zip", "not a readable XLSX"),
            (b"", "empty"),
            (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(100), "not a CSV or XLSX"),
        ):
            with self.subTest(piece=piece), translation.override("en"), self.assertRaises(FileRejected) as ctx:
                peek(data)
            self.assertIn(piece, str(ctx.exception))

    def test_the_size_an_xlsx_declares_is_an_estimate_held_to_the_row_limit(self) -> None:
        self.assertEqual(peek(whole_grid(GOOD), limits(max_rows=1000)).rows, 1001)

    def test_an_xlsx_laid_out_unusually_leaves_the_header_to_the_import(self) -> None:
        moved = rewrite(
            GOOD, "xl/_rels/workbook.xml.rels", lambda xml: xml.replace("worksheets/sheet1.xml", "gone.xml")
        )
        self.assertIsNone(peek(moved).header)

    def test_the_work_of_an_xlsx_is_its_parts_unpacked(self) -> None:
        with zipfile.ZipFile(io.BytesIO(GOOD)) as z:
            unpacked = sum(m.file_size for m in z.infolist())
        self.assertEqual(work_size(GOOD), unpacked)
        self.assertEqual(work_size(b"a,b\n1,2\n"), 8)
