"""A draft meeting from the written report of one: a Pemda press release or a news article pasted
as text (or as the web page's HTML), read for the date, venue, chair, agencies and people present,
the figures quoted and what was decided. A person reviews the draft before anything is saved.

Dates come the ways Indonesian reports write them: "Selasa (3/9/2024)", "Senin (18/11)" (the
year from elsewhere in the text or the caller's), "Rabu, 13 November 2024"; a stated weekday
that does not match its date is a warning, not a guess. The clutter of a news page (share
buttons, "Baca juga" links, related-news lists, comment boxes, tags) is dropped first.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from typing import Any

from django.utils.translation import gettext as _

from core import formats

WEEKDAYS = {
    "senin": 0,
    "selasa": 1,
    "rabu": 2,
    "kamis": 3,
    "jumat": 4,
    "jum'at": 4,
    "sabtu": 5,
    "minggu": 6,
    "ahad": 6,
}
MONTHS = {
    "januari": 1,
    "februari": 2,
    "pebruari": 2,
    "maret": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "agustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "nopember": 11,
    "desember": 12,
}
_WD = "|".join(WEEKDAYS)
_MON = "|".join(MONTHS)
# "Selasa (3/9/2024)", "Senin (18/11)", "Selasa, 3/9/2024"
SLASHED = re.compile(
    rf"\b(?P<wd>{_WD})\s*(?:\(\s*|,\s*)(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})(?:/(?P<y>\d{{4}}|\d{{2}}))?\s*\)?", re.I
)
# "Rabu, 13 November 2024", "13 November 2024", "Senin (18 November 2024)"
WRITTEN = re.compile(
    rf"(?:\b(?P<wd>{_WD})\s*[,(]?\s*)?\b(?P<d>\d{{1,2}})\s+(?P<mon>{_MON})(?:\s+(?P<y>\d{{4}}))?\b", re.I
)
CLOCK = re.compile(r"\bpukul\s+(?P<h>\d{1,2})[.:](?P<mi>\d{2})", re.I)
VENUE = re.compile(
    r"\b(?:bertempat\s+di|di|ke)\s+(?P<v>(?:Ruang|Gedung|Pendopo|Pendapa|Hotel|Kantor|Aula|Balai|Lamin|Rumah Jabatan|"
    r"Rujab|Novotel|Mess|Wisma|Auditorium|Lapangan|Halaman)\b[^,.;:\n()]*(?:,\s*[A-Z][\w]*(?:\s+[A-Z][\w]*){0,2}"
    r"(?=[.;\n]))?)"
)
CHAIR = re.compile(r"\bdipimpin(?:\s+langsung)?(?:\s+oleh)?\s+(?P<c>[^,.;\n()]+)", re.I)
ROLE = (
    r"(?:Pjs\.?|Pj\.?|Plt\.?|Wakil)?\s*(?:Bupati|Gubernur|Wali Kota|Walikota)|Sekda|Sekprov|Sekretaris Daerah|Kapolres|"
    r"Kapolda|Wakapolres|Dandim|Danrem|Pangdam|Kajari|Kajati|Ketua|Komisioner|Anggota|Camat|Kepala|Kadis|Asisten|"
    r"Kasat\w*"
)
# "Ketua KPU Kukar Rudi Gunawan": the role runs on through acronyms and place names, then a name
PERSON = re.compile(
    rf"\b(?P<role>(?:{ROLE})(?:\s+(?:[A-Z]{{2,}}[\w/]*|Kabupaten|Kota|Provinsi|Bidang|Dinas|Kutai|Kartanegara|Kukar|"
    r"Kaltim|Kalimantan|Timur|Tenggarong|Samarinda|Balikpapan|Bontang|Mahakam|Ulu|Barat|Penanganan|Pelanggaran|"
    r"Divisi|Pemerintahan|Pengawasan|Hukum|Logistik|Bawaslu|Panwascam|Polres|Polsek|Polda|Kodim|Koramil|Kejari|"
    r"Pemkab|Pemprov|Desk|Pilkada))*)\s+(?P<name>(?:(?:H|Hj|Dr|Drs|Ir|Prof)\s+)?(?:[A-Z][a-z]+\s+){1,3}[A-Z][a-z]+)\b"
)
AGENCIES = re.compile(
    r"\b(?:KPU(?:\s+(?:RI|Provinsi\s+\w+|Kabupaten\s+[A-Z]\w+(?:\s+[A-Z]\w+)?|Kota\s+[A-Z]\w+|Kaltim|Kukar))?|"
    r"Bawaslu(?:\s+(?:RI|Provinsi\s+\w+|Kabupaten\s+[A-Z]\w+(?:\s+[A-Z]\w+)?|Kaltim|Kukar))?|"
    r"Polres(?:ta)?\s+[A-Z]\w+(?:\s+[A-Z]\w+)?|Polda\s+[A-Z]\w+|Polsek\s+[A-Z]\w+|Kodim\s+\d{4}(?:/[A-Z]\w+)?|Korem\s+\d{3}(?:/\w+)?|"
    r"Kodam\s+[IVX]+(?:/\w+)?|Kejari\s+[A-Z]\w+|Kejaksaan\s+Negeri\s+[A-Z]\w+|DPRD(?:\s+[A-Z]\w+)?|"
    r"Kesbangpol(?:\s+[A-Z]\w+)?|Satpol\s+PP|Disdukcapil|Diskominfo|Forkopimda(?:\s+[A-Z]\w+)?|Panwascam|"
    r"PPK|PPS|KPPS|Linmas|TNI|Polri|Sentra\s+Gakkumdu|DKPP|BKN|Pemkab\s+[A-Z]\w+|Pemprov\s+[A-Z]\w+|"
    r"Dinas\s+[A-Z]\w+(?:\s+(?:dan\s+)?[A-Z]\w+){0,3})"
)
FIGURE = re.compile(
    # each number starts where no digit, point or comma runs before it and is at most 20 long: a
    # long run of digits must not make the search try every start and length (quadratic)
    r"(?:Rp\.?\s?\d[\d.,]{0,20}(?:\s+(?:miliar|juta|triliun|ribu))?|(?<![\d.,])\d[\d.,]{0,20}\s*(?:persen|%)|"
    r"\b\d[\d.]{0,20}\s+(?:TPS|kasus|pemilih|personel|kotak(?:\s+suara)?|surat\s+suara|desa|kelurahan|kecamatan|orang|"
    r"lembar|bilik|titik|laporan|temuan|pasangan\s+calon|paslon|hari))",
    re.I,
)
DECISION = re.compile(
    r"\b(?:disepakati|menyepakati|sepakat|diputuskan|memutuskan|menginstruksikan|menginstruksi|memerintahkan|meminta|"
    r"diminta|menegaskan|ditegaskan|mengimbau|harus|wajib|segera|akan\s+(?:dilakukan|dilaksanakan|dikirim|ditindaklanjuti))\b",
    re.I,
)
KINDS = (
    (re.compile(r"\brapat\s+teknis\b|\brakortek\b", re.I), "technical"),
    (re.compile(r"\bapel\s+(?:siaga|kesiapan|gelar)\b", re.I), "parade"),
    (re.compile(r"\bpelepasan\s+(?:distribusi\s+)?logistik\b", re.I), "sendoff"),
    (re.compile(r"\brakor\b|\brapat\s+koordinasi\b", re.I), "rakor"),
)
# Lines of a news page that are not the article; after one of the END markers nothing is.
CLUTTER = re.compile(
    r"^\s*(?:baca\s+juga|lihat\s+juga|simak\s+juga|bagikan|share|tags?\s*:|topik\s*:|editor\s*:|penulis\s*:|"
    r"reporter\s*:|pewarta\s*:|sumber\s*:|foto\s*:|iklan|advertisement|scroll\s+to|copyright|©|ikuti\s+kami|follow|"
    r"dapatkan\s+update|klik\s+di\s*sini|facebook|twitter|whatsapp|telegram|line|linkedin|copy\s+link|salin\s+tautan)\b",
    re.I,
)
END = re.compile(
    r"^\s*(?:berita\s+terkait|artikel\s+terkait|berita\s+lainnya|terpopuler|baca\s+selengkapnya|komentar|"
    r"tulis\s+komentar|\d+\s+komentar|beri\s+komentar|rekomendasi)\b",
    re.I,
)
LIMIT = 12
MAX_CHARS = 100_000


@dataclass
class Draft:
    title: str = ""
    kind: str = "other"
    date: str | None = None  # ISO date
    time: str | None = None  # "09:00"
    venue: str = ""
    chair: str = ""
    agencies: list[str] = field(default_factory=list)
    people: list[dict[str, str]] = field(default_factory=list)
    figures: list[dict[str, str]] = field(default_factory=list)
    decisions: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class _Article(HTMLParser):
    """The text of a web page's article: paragraphs and headings, without the page around it.

    An element is left out with all it holds when it is page furniture (navigation, sidebars,
    footers, share buttons, related news, comments), by its tag or by a word of its class or id;
    the page's own frame (html, body, main, article) never is, whatever its classes say."""

    SKIP = {"head", "script", "style", "nav", "aside", "footer", "form", "button", "iframe", "noscript", "svg"}
    FRAME = {"html", "body", "main", "article"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    NOISE = re.compile(
        r"(?:^|[\s_-])(?:share|sharing|social|related|terkait|comments?|komentar|baca-?juga|tags|advert\w*|iklan|"
        r"sidebar|menu|breadcrumbs?|newsletter|popular|populer|rekomendasi|site-header|site-footer)(?=$|[\s_-])",
        re.I,
    )
    BLOCK = {"p", "h1", "h2", "h3", "li", "div", "br", "tr", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []  # the open elements, and whether each starts skipped content
        self.in_article = 0
        self.lines: list[str] = []
        self.buf: list[str] = []

    @property
    def skipping(self) -> bool:
        return any(skip for _tag, skip in self.open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCK:
            self.flush()
        if tag in self.VOID:
            return
        marks = " ".join(v or "" for k, v in attrs if k in ("class", "id", "role"))
        # a page header is furniture; an article's own header holds its title
        furniture = tag in self.SKIP or (tag == "header" and not self.in_article)
        skip = tag not in self.FRAME and (furniture or bool(self.NOISE.search(marks)))
        self.open.append((tag, skip))
        self.in_article += tag == "article"

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        # close up to the matching element: an unclosed <p> or <li> inside does not leave us skipping
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i][0] == tag:
                del self.open[i:]
                break
        if tag == "article" and self.in_article:
            self.in_article -= 1
        if tag in self.BLOCK:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.buf.append(data)

    def flush(self) -> None:
        text = " ".join("".join(self.buf).split())
        if text:
            self.lines.append(text)
        self.buf = []


def article_text(raw: str) -> str:
    """The article alone: from a web page's HTML, or from text copied off one, without its clutter."""
    raw = raw[:MAX_CHARS]
    if re.search(r"<(?:html|body|article|p|div)\b", raw, re.I):
        reader = _Article()
        reader.feed(raw)
        reader.close()
        reader.flush()
        lines = reader.lines
    else:
        lines = [" ".join(line.split()) for line in raw.splitlines()]
    kept = []
    for line in lines:
        if END.match(line) and len(line) < 60:  # a heading, not a paragraph starting with the word
            break
        if line and not CLUTTER.match(line):
            kept.append(line)
    return "\n".join(kept)


# Titles written with a full stop ("Pj. Bupati", "H. Edi", "Dr. Teguh"): the stop is dropped before
# reading, so it neither ends a sentence nor cuts a name or a chair short.
HONORIFIC = re.compile(r"\b(Pj|Pjs|Plt|Hj|H|Dr|Drs|Ir|Prof|Kol|Letkol|AKBP|Kompol)\.(?=\s*[A-Z])")


def _sentences(text: str) -> list[str]:
    # a full stop ends a sentence unless it is part of a number ("1.443"), a time ("09.00") or a title ("Pj.")
    parts = re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])|\n+", text)
    return [p.strip() for p in parts if p.strip()]


def _date(text: str, default_year: int, warnings: list[str]) -> dt.date | None:
    found: list[tuple[int, str | None, int, int, int | None]] = []  # (position, weekday, d, m, y)
    # the meeting's own date is how news ledes give it, "Senin (18/11/2024)"; a "Selasa, 19 November
    # 2024 10.30" byline of the page comes after it
    for m in SLASHED.finditer(text):
        y = m.group("y")
        year = (2000 + int(y) if len(y) == 2 else int(y)) if y else None
        found.append((m.start(), m.group("wd"), int(m.group("d")), int(m.group("m")), year))
    for m in WRITTEN.finditer(text):
        y = m.group("y")
        if m.group("wd") is not None and found:  # a weekday date after a lede's: the page's byline
            continue
        found.append(
            (m.start(), m.group("wd"), int(m.group("d")), MONTHS[m.group("mon").lower()], int(y) if y else None)
        )
    if not found:
        warnings.append(_("No date found: enter the meeting's date."))
        return None
    # the meeting's own date is the one with its weekday ("Senin (18/11)"); else the first
    found.sort(key=lambda f: (f[1] is None, f[0]))
    _pos, weekday, d, month, year = found[0]
    year = year or next((f[4] for f in found if f[4]), None) or default_year
    try:
        day = dt.date(year, month, d)
    except ValueError:
        warnings.append(
            _("“%(d)s/%(m)s/%(y)s” is not a date: enter the meeting's date.") % {"d": d, "m": month, "y": year}
        )
        return None
    if weekday is not None and WEEKDAYS[weekday.lower()] != day.weekday():
        warnings.append(
            _("The text says %(wd)s, but %(date)s is a %(real)s: check the date.")
            % {"wd": weekday.capitalize(), "date": formats.day(day), "real": _weekday_name(day)}
        )
    return day


def _weekday_name(day: dt.date) -> str:
    return next(w for w, i in WEEKDAYS.items() if i == day.weekday() and w not in ("jum'at", "ahad")).capitalize()


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.lower()
        if key not in seen:
            seen.add(key)
            out.append(item)
    return out


def draft(raw: str, default_year: int) -> Draft:
    """Read a meeting's written report into a draft (nothing is saved)."""
    text = HONORIFIC.sub(r"\1", article_text(raw))
    out = Draft()
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        out.warnings.append(_("The text is empty once the page around the article is left out."))
        return out
    out.title = lines[0][:200]
    for pattern, kind in KINDS:
        if pattern.search(text):
            out.kind = kind
            break
    day = _date(text, default_year, out.warnings)
    out.date = day.isoformat() if day else None
    if clock := CLOCK.search(text):
        h, mi = int(clock.group("h")), int(clock.group("mi"))
        if h < 24 and mi < 60:
            out.time = f"{h:02d}:{mi:02d}"
    if venue := VENUE.search(text):
        out.venue = venue.group("v").strip()[:200]
    else:
        out.warnings.append(_("No venue found."))
    if chair := CHAIR.search(text):
        out.chair = re.split(r"\s+(?:dan|serta|yang|didampingi|bersama)\s+", chair.group("c"))[0].strip()[:150]
    out.agencies = _unique([" ".join(m.group(0).split()) for m in AGENCIES.finditer(text)])
    people = []
    for m in PERSON.finditer(text):
        people.append({"role": " ".join(m.group("role").split()), "name": m.group("name")})
    names: set[str] = set()
    for p in people:
        if p["name"] not in names:
            names.add(p["name"])
            out.people.append(p)
    sentences = _sentences(text)
    for s in sentences:
        for m in FIGURE.finditer(s):
            out.figures.append({"text": " ".join(m.group(0).split()), "sentence": s[:300]})
    out.figures = out.figures[: LIMIT * 2]
    out.decisions = _unique([s[:400] for s in sentences[1:] if DECISION.search(s)])[:LIMIT]
    return out


# How reports shorten the names the agencies are registered under.
SHORT = {"kukar": "kutai kartanegara", "kaltim": "kalimantan timur", "kubar": "kutai barat", "kutim": "kutai timur"}
GENERIC = {"kabupaten", "kota", "provinsi", "di", "dan"}


def _tokens(name: str) -> set[str]:
    text = " ".join(SHORT.get(w, w) for w in re.findall(r"[\w/]+", name.lower()))
    return set(text.split()) - GENERIC


def names_agency(found: str, agency_name: str) -> bool:
    """Whether ``found`` in a report ("KPU Kukar") names the agency registered as ``agency_name``
    ("KPU Kabupaten Kutai Kartanegara"): every word of it, read in full, is in the name. A bare
    "KPU" names no agency in particular."""
    words = _tokens(found)
    return len(words) >= 2 and words <= _tokens(agency_name)
