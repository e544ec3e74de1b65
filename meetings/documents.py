"""The situation report as documents: a print-ready PDF (A4, the Pemda's header, page numbers)
and an XLSX annex.

Both are made from what the report page showed (``report.rendered``: the dict a snapshot keeps),
so a report kept with a meeting prints exactly as the meeting saw it, and a capability's section
needs nothing beyond its HTML: headings, paragraphs, list items and tables are read back from it.
The PDF comes from ReportLab, which installs from PyPI alone (no Pango or other system library).
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from xml.sax.saxutils import escape

from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _

from core import formats
from core.exports import XLSX, export_name, neutralise

SKIPPED = {"script", "style", "svg", "form", "button", "template", "select", "textarea"}
BLOCKS = {"div", "p", "li", "section", "ul", "ol", "h1", "h2", "h3", "h4", "dl", "dt", "dd", "br"}
HEADINGS = {"h1", "h2", "h3", "h4"}


@dataclass
class Block:
    """One piece of a section: a heading (``level`` 1-4), a paragraph (0), a list item (-1), or a table."""

    level: int
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)  # a table: the first row is the header if ``header``
    header: bool = False

    @property
    def is_table(self) -> bool:
        return bool(self.rows)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.text: list[str] = []
        self.kind = 0
        self.skip = 0
        self.table: list[list[str]] | None = None
        self.header = False
        self.cell: list[str] | None = None

    def flush(self) -> None:
        text = " ".join("".join(self.text).split())
        if text:
            self.blocks.append(Block(self.kind, text))
        self.text = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self.skip += 1
        if self.skip:
            return
        if tag == "table":
            self.flush()
            self.table, self.header = [], False
        elif self.table is not None:
            if tag == "tr":
                self.table.append([])
            elif tag in ("td", "th"):
                self.cell = []
                self.header = self.header or (tag == "th" and len(self.table) == 1)
        elif tag in BLOCKS:
            self.flush()
            self.kind = int(tag[1]) if tag in HEADINGS else (-1 if tag == "li" else 0)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if self.table is not None:
            if tag in ("td", "th") and self.cell is not None:
                if not self.table:
                    self.table.append([])
                self.table[-1].append(" ".join("".join(self.cell).split()))
                self.cell = None
            elif tag == "table":
                rows = [r for r in self.table if r]
                if rows:
                    self.blocks.append(Block(0, rows=rows, header=self.header))
                self.table = None
        elif tag in BLOCKS:
            self.flush()
            self.kind = 0

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.table is not None:
            if self.cell is not None:
                self.cell.append(data)
        else:
            self.text.append(data)


def blocks(html: str) -> list[Block]:
    """The headings, paragraphs, list items and tables of a section's HTML, in order."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    reader.flush()
    return reader.blocks


def government(region: Any) -> str:
    """The Pemda on the letterhead: "PEMERINTAH PROVINSI KALIMANTAN TIMUR", "PEMERINTAH KABUPATEN
    KUTAI KARTANEGARA"; below the kabupaten/kota, its kabupaten/kota's government."""
    from regions.models import Level, Region

    if region.level <= Level.PROVINSI:
        return f"PEMERINTAH PROVINSI {region.name.upper()}" if region.level == Level.PROVINSI else "PEMERINTAH"
    kabkota = region if region.level == Level.KABKOTA else Region.objects.filter(code=region.code[:5]).first()
    return f"PEMERINTAH {(kabkota or region).name.upper()}"


# --- PDF -----------------------------------------------------------------------------------

# ReportLab's built-in fonts read Windows-1252: curly quotes, dashes and the ellipsis are in it;
# a few signs the pages use are not and get their nearest plain form.
PLAIN = str.maketrans({"→": "->", "←": "<-", "−": "-", "●": "*", "✓": "v", "≥": ">=", "≤": "<=", "×": "x"})


def _pdf_text(text: str) -> str:
    """``text`` for a Paragraph (its markup escaped)."""
    return escape(_drawn(text))


def _drawn(text: str) -> str:
    """``text`` in the characters the built-in fonts have (drawn as is on the canvas)."""
    text = text.translate(PLAIN)
    out = []
    for ch in text:
        try:
            ch.encode("cp1252")
            out.append(ch)
        except UnicodeEncodeError:
            plain = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            out.append(plain or "?")
    return "".join(out)


def pdf(data: dict[str, Any], letterhead: str) -> bytes:
    """The report as an A4 PDF: the Pemda's letterhead and "Halaman n dari N" on every page."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas
    from reportlab.platypus import ListFlowable, ListItem, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=9.5, leading=12.5)
    cell = ParagraphStyle("cell", parent=body, fontSize=8, leading=10)
    heads = {
        1: ParagraphStyle("h1", parent=styles["Heading1"], fontSize=15, spaceAfter=4),
        2: ParagraphStyle("h2", parent=styles["Heading2"], fontSize=12.5, spaceBefore=10, spaceAfter=3),
        3: ParagraphStyle("h3", parent=styles["Heading3"], fontSize=10.5, spaceBefore=6, spaceAfter=2),
        4: ParagraphStyle("h4", parent=styles["Heading4"], fontSize=9.5),
    }
    title = _("Situation report of the Desk Pilkada")
    width = A4[0] - 36 * mm

    class NumberedCanvas(canvas.Canvas):  # "page n of N" needs the page count: draw it when saving
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.pages: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self.pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for state in self.pages:
                self.__dict__.update(state)
                self.decorate(len(self.pages))
                super().showPage()
            super().save()

        def decorate(self, total: int) -> None:
            self.setFont("Helvetica-Bold", 10)
            self.drawCentredString(A4[0] / 2, A4[1] - 14 * mm, _drawn(letterhead))
            self.setFont("Helvetica", 8.5)
            self.drawCentredString(A4[0] / 2, A4[1] - 18.5 * mm, _drawn("DESK PILKADA · " + data["election"]["name"]))
            self.setLineWidth(0.8)
            self.line(18 * mm, A4[1] - 21 * mm, A4[0] - 18 * mm, A4[1] - 21 * mm)
            self.setFont("Helvetica", 8)
            self.drawString(18 * mm, 10 * mm, _drawn(f"{title} · {data['region']['name']} · {data['at_text']}"))
            page = _("Page %(n)s of %(total)s") % {"n": self._pageNumber, "total": total}
            self.drawRightString(A4[0] - 18 * mm, 10 * mm, _drawn(page))

    story: list[Any] = [
        Paragraph(_pdf_text(title), heads[1]),
        Paragraph(
            _pdf_text(f"{data['region']['name']} · {data['election']['name']} · ")
            + _pdf_text(_("As of %(t)s") % {"t": data["at_text"]}),
            body,
        ),
    ]
    facts = []
    if data.get("days_to_go") is not None:
        d = data["days_to_go"]
        facts.append(_("Countdown: %(h)s") % {"h": f"H-{d}" if d > 0 else (_("voting day") if d == 0 else f"H+{-d}")})
    if data.get("stage"):
        facts.append(_("Current stage: %(s)s") % {"s": data["stage"]["name"]})
    if facts:
        story.append(Paragraph(_pdf_text(" · ".join(facts)), body))
    story.append(Paragraph(_pdf_text(_("What needs a decision today")), heads[2]))
    if data["decide"]:
        story.append(
            ListFlowable(
                [ListItem(Paragraph(_pdf_text(d["text"]), body)) for d in data["decide"]], bulletType="1", start="1"
            )
        )
    else:
        story.append(Paragraph(_pdf_text(_("Nothing waits for a decision.")), body))
    for section in data["sections"]:
        story.append(Spacer(1, 4))
        for b in blocks(section["html"]):
            if b.is_table:
                ncols = max(len(r) for r in b.rows)
                rows = [[_charted(c, cell, width / ncols - 8) for c in r + [""] * (ncols - len(r))] for r in b.rows]
                table = Table(rows, colWidths=[width / ncols] * ncols, repeatRows=1 if b.header else 0)
                style = [("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP")]
                if b.header:
                    style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")))
                table.setStyle(TableStyle(style))
                story += [table, Spacer(1, 4)]
            elif b.level > 0:
                story.append(Paragraph(_pdf_text(b.text), heads[min(max(b.level, 2), 4)]))
            elif b.level < 0:
                story.append(Paragraph("• " + _pdf_text(b.text), body))
            else:
                charted = _charted(b.text, body, width / 2)
                story += charted if isinstance(charted, list) else [charted]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=27 * mm,
        bottomMargin=18 * mm,
        title=f"{title} · {data['region']['name']}",
        author="Desk Pilkada",
        subject=data["election"]["name"],
    )
    doc.build(story, canvasmaker=NumberedCanvas)
    return buf.getvalue()


# A share written the way the pages write it, "2 dari 3 (66,7%)": drawn as a bar under the text.
SHARE = re.compile(r"\((\d{1,3}(?:,\d+)?)%\)")


def _charted(text: str, style: Any, bar_width: float) -> Any:
    """A paragraph, with a bar chart of its share under it when it states one (as the page's
    progress bars show it)."""
    from reportlab.graphics.shapes import Drawing, Rect
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph

    paragraph = Paragraph(_pdf_text(text), style)
    m = SHARE.search(text)
    if m is None:
        return paragraph
    share = min(max(float(m.group(1).replace(",", ".")), 0.0), 100.0)
    bar = Drawing(bar_width, 6)
    bar.add(Rect(0, 0, bar_width, 5, fillColor=colors.HexColor("#e8eef5"), strokeColor=None))
    bar.add(Rect(0, 0, bar_width * share / 100, 5, fillColor=colors.HexColor("#2f6fb0"), strokeColor=None))
    return [paragraph, bar]


# --- XLSX ----------------------------------------------------------------------------------

_NUMBER = re.compile(r"-?\d{1,3}(?:\.\d{3})*(?:,\d+)?")


def _cell(text: str) -> Any:
    """A figure written the Indonesian way ("1.443", "70,98%") as a number a spreadsheet can sum;
    anything else as text (never a formula)."""
    raw = text.strip()
    percent = raw.endswith("%")
    digits = raw[:-1].strip() if percent else raw
    if _NUMBER.fullmatch(digits):
        value = float(digits.replace(".", "").replace(",", "."))
        if percent:
            return value / 100
        return int(value) if value.is_integer() and "," not in digits else value
    return neutralise(text)


def xlsx(data: dict[str, Any]) -> bytes:
    """The annex: a summary sheet (the header and what needs a decision), then one sheet per
    section with its headings, text and tables; figures as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.create_sheet(_("Summary")[:31])
    wb.remove(wb.worksheets[0])  # the default empty sheet
    bold = Font(bold=True)
    ws.append([_("Situation report of the Desk Pilkada")])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([_("Region"), data["region"]["name"], data["region"]["code"]])
    ws.append([_("Election"), data["election"]["name"]])
    ws.append([_("As of"), data["at_text"], data.get("at", "")])
    ws.append([_("Days to voting day"), data.get("days_to_go")])
    if data.get("stage"):
        ws.append([_("Current stage"), data["stage"]["name"], data["stage"]["start"], data["stage"]["end"]])
    ws.append([])
    ws.append([_("What needs a decision today")])
    ws.cell(ws.max_row, 1).font = bold
    for i, d in enumerate(data["decide"], 1):
        ws.append([i, neutralise(d["text"])])
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 80
    used = {ws.title}
    for n, section in enumerate(data["sections"], 1):
        parts = blocks(section["html"])
        heading = next((b.text for b in parts if b.level > 0), section["name"])
        name = re.sub(r"[\[\]:*?/\\]", " ", f"{n} {heading}")[:31]
        while name in used:
            name = name[:28] + f" {n}"
        used.add(name)
        sheet = wb.create_sheet(name)
        for b in parts:
            if b.is_table:
                for j, row in enumerate(b.rows):
                    sheet.append([neutralise(c) if (b.header and j == 0) else _cell(c) for c in row])
                    if b.header and j == 0:
                        for c in sheet[sheet.max_row]:
                            c.font = bold
                    else:
                        for c in sheet[sheet.max_row]:
                            if isinstance(c.value, float) and row[c.column - 1].strip().endswith("%"):
                                c.number_format = "0.0%"
                sheet.append([])
            else:
                sheet.append([neutralise(b.text)])
                if b.level > 0:
                    sheet.cell(sheet.max_row, 1).font = bold
        sheet.column_dimensions["A"].width = 48
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


TYPES = {"pdf": "application/pdf", "xlsx": XLSX}


def response(
    fmt: str, data: dict[str, Any], region: Any, at: Any, kept: str = "", election: Any = None
) -> HttpResponse:
    """The report as a download: a PDF to print or an XLSX annex, named for the region, the day
    it is as of (``at``, in the election's zone) and the meeting it was kept with."""
    data = {"at_text": "", "decide": [], "sections": [], **data}
    body = pdf(data, government(region)) if fmt == "pdf" else xlsx(data)
    day = at.astimezone(formats.zone(election)).date() if election is not None else at.date()
    name = export_name("laporan-situasi", region.name, day.isoformat(), kept[:40])
    out = HttpResponse(body, content_type=TYPES[fmt])
    out["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return out


def download(item: Any) -> FileResponse:
    """A meeting's document (``Attachment``), always as a download of the kind it was checked to
    be (never shown inline, whatever is inside)."""
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.filename, content_type=item.content_type
    )
