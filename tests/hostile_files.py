"""Small spreadsheets built to stall or crash a reader, written by the tests themselves.

Each takes a good XLSX (``xlsx(rows...)``) and changes one XML part of it; none is more than a
few kilobytes on disk.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
WORKBOOK = "xl/workbook.xml"

BILLION_LAUGHS = (
    '<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
    + "".join(f' <!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">\n' for i in range(1, 10))
    + "]>\n"
)


def xlsx(*rows: list[Any]) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def rewrite(data: bytes, member: str, change: Callable[[str], str]) -> bytes:
    """``data`` with one member's XML changed by ``change``; the other members as they were."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == member:
                body = change(body.decode()).encode()
            dst.writestr(info.filename, body)
    return out.getvalue()


def part(data: bytes, member: str = SHEET) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(member)


def laughs(xml: str) -> str:
    """``xml`` with the billion-laughs entities declared (ten levels of ten: 10^9 "lol")."""
    if xml.startswith("<?xml"):
        declaration, rest = xml.split("?>", 1)
        return declaration + "?>" + BILLION_LAUGHS + rest
    return BILLION_LAUGHS + xml


def whole_grid(data: bytes) -> bytes:
    """The sheet declares itself A1:XFD1048576 (16,384 columns by 1,048,576 rows)."""
    grid = '<dimension ref="A1:XFD1048576" />'
    return rewrite(data, SHEET, lambda xml: re.sub(r'<dimension ref="[A-Z0-9:]+" />', grid, xml, count=1))


def zip_bomb(data: bytes, megabytes: int = 10) -> bytes:
    """The sheet padded with ``megabytes`` of blanks, which compress about a thousand times."""
    padding = " " * (megabytes * 1_000_000)
    return rewrite(data, SHEET, lambda xml: xml.replace("<sheetData>", "<sheetData>" + padding))


def broken_xml(data: bytes) -> bytes:
    """The sheet's XML cut in the middle."""
    return rewrite(data, SHEET, lambda xml: xml[: len(xml) // 2])


def billion_laughs(data: bytes, text: str) -> bytes:
    """The cell that reads ``text`` reads the entity ``&lol9;`` instead (a billion "lol")."""
    return rewrite(data, SHEET, lambda xml: laughs(xml).replace(f"<t>{text}</t>", "<t>&lol9;</t>"))
