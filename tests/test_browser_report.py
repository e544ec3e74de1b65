"""Browser test: the Kukar Desk admin prints the situation report and presents it at the rakor.

From the report page the admin downloads the PDF: it opens in PDFium, every page is A4 and is
rasterised to artifacts/report/ (kept by CI), with the Pemda's letterhead and the page number. Then
present mode: one slide per screen, the arrow keys and End move between slides, Escape goes back.

Only the slice of Kukar the unit tests use is loaded (no national tree, no demo): it stays fast.
Fixtures (Chromium through Playwright, the live server) come from tests/test_browser.py.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from agencies import demo as agencies_demo
from agencies.models import Agency
from meetings import actions as meeting_actions
from tests import fixtures
from tests.test_browser import (  # noqa: F401  (pytest fixtures used by name)
    Problems,
    browser,
    live_server,
    log_in,
    open_page,
    pytestmark,
)

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "report"


def test_desk_admin_prints_the_situation_report_as_a4_and_presents_it_slide_by_slide(
    open_page: Callable[..., tuple[Page, Problems]],  # noqa: F811
    live_server: LiveServer,  # noqa: F811
) -> None:
    fixtures.make_regions()
    election = fixtures.make_election()
    desk = fixtures.make_personas()["desk_admin"]
    desk.set_password(agencies_demo.DEMO_PASSWORD)
    desk.save()
    kpu = Agency.objects.get(name="KPU Kukar")
    meeting_actions.create_readiness_item(
        desk,
        {
            "election": election,
            "region_id": "64.02",
            "owner": kpu,
            "title": "Gudang logistik siap",
            "due": dt.date(2024, 11, 12),
        },
    )

    base = live_server.url
    page, problems = open_page()
    log_in(page, base, desk.username)
    page.goto(f"{base}/meetings/report/64.02/?election={election.pk}")
    expect(page.get_by_test_id("decide-today")).to_contain_text("KPU Kukar: 1 butir kesiapan lewat tenggat")
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF (A4, untuk dicetak)").click()
    body = Path(download.value.path()).read_bytes()
    doc = pdfium.PdfDocument(body)
    assert len(doc) >= 1
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for i in range(len(doc)):
        p = doc[i]
        assert tuple(round(x) for x in p.get_size()) == (595, 842), "A4"
        text = " ".join(p.get_textpage().get_text_range().split())
        assert "PEMERINTAH KABUPATEN KUTAI KARTANEGARA" in text
        assert f"Halaman {i + 1} dari {len(doc)}" in text
        image = p.render(scale=1.5).to_pil()
        image.save(ARTIFACTS / f"laporan-situasi-64.02-p{i + 1}.png")
        lo, hi = image.convert("L").getextrema()
        assert lo < 80 and hi > 200, "the page has dark text on a light page"
    doc.close()

    page.goto(f"{base}/meetings/report/64.02/?election={election.pk}")
    page.get_by_test_id("present-link").click()
    slides = page.get_by_test_id("slide")
    n = slides.count()
    assert n >= 3
    counter = page.locator("[data-slide-counter]")
    expect(counter).to_have_text(f"1 / {n}")
    page.keyboard.press("ArrowRight")
    expect(counter).to_have_text(f"2 / {n}")
    expect(slides.nth(1)).to_be_in_viewport()
    page.keyboard.press("End")
    expect(counter).to_have_text(f"{n} / {n}")
    page.screenshot(path=ARTIFACTS / "present-last-slide-1280.png")
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"/meetings/report/64\.02/\?election="))
    assert not problems.found(), problems.found()
