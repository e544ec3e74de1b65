"""Browser test: Bawaslu registers a report of a violation on a 360-px phone; the Desk reads it.

A Bawaslu Kukar officer opens the violations page, taps "Catat kasus", fills in the laporan --
what is alleged, against whom, the dates, where, the reporter -- and records it; the case page
shows it received with its decision deadline. The officer registers it from the same page. The
Desk admin then opens the case on a desktop screen: the case and its timeline, never the reporter.

Only the slice of Kukar the unit tests use is loaded (no national tree, no demo): it stays fast.
Fixtures (Chromium through Playwright, the live server) come from tests/test_browser.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from agencies import demo as agencies_demo
from tests import fixtures
from tests.test_browser import (  # noqa: F401  (pytest fixtures used by name)
    PHONE,
    SHOTS,
    Problems,
    browser,
    check_no_overflow,
    live_server,
    log_in,
    open_page,
    pytestmark,
)
from violations.models import Case

REPORTER = "Rahmawati Pelapor Contoh"


def test_bawaslu_registers_a_report_on_a_phone_and_the_desk_reads_it_without_the_reporter(
    open_page: Callable[..., tuple[Page, Problems]],  # noqa: F811
    live_server: LiveServer,  # noqa: F811
) -> None:
    fixtures.make_regions()
    election = fixtures.make_election()
    personas = fixtures.make_personas()
    fixtures.make_tps(election, "64.02.07.2001", "001")
    for user in (personas["bawaslu_investigator"], personas["desk_admin"]):
        user.set_password(agencies_demo.DEMO_PASSWORD)
        user.save()

    base = live_server.url
    page, problems = open_page(has_touch=True, is_mobile=True, viewport=PHONE)
    log_in(page, base, "bawaslu_investigator")
    page.goto(f"{base}/violations/region/64.02/")
    check_no_overflow(page, "violations-region")
    page.get_by_test_id("new-case").first.click()
    form = page.get_by_test_id("case-form")
    form.get_by_label("Laporan", exact=True).check()
    form.get_by_label("Dugaan pelanggaran (singkat)").fill("Kepala desa mengajak warga memilih paslon")
    form.get_by_label("Kategori").select_option("other_law")
    form.get_by_label("Jenis terlapor").select_option("village")
    form.get_by_label(re.compile(r"^Terlapor:?$")).fill("Kepala Desa Sebulu Ilir")
    form.get_by_label("Terjadi pada").fill("2024-11-14")
    form.get_by_label("Diketahui pada").fill("2024-11-15")
    form.get_by_label("Diterima pada").fill("2024-11-16")
    form.get_by_label("Tempat (kode desa/kelurahan atau kecamatan)").fill("64.02.07.2001")
    form.get_by_label("Nomor TPS (jika di TPS)").fill("1")
    form.get_by_label("Nama pelapor").fill(REPORTER)
    form.get_by_label("Telepon atau surel pelapor").fill("0812-3456-7890")
    check_no_overflow(page, "violations-intake")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "violations-intake-360.png", full_page=True)
    form.locator('button[type="submit"]').click()

    expect(page.get_by_test_id("case-status")).to_have_text("Diterima")
    expect(page.get_by_test_id("deadline")).to_contain_text("19 November 2024")
    expect(page.get_by_test_id("reporter-name")).to_have_text(REPORTER)
    check_no_overflow(page, "violations-case")
    step = page.get_by_test_id("step-form")
    step.get_by_label("Status berikutnya").select_option("registered")
    step.get_by_label(re.compile(r"^Alasan:?$")).fill("Syarat formal dan materiel terpenuhi")
    step.locator('button[type="submit"]').click()
    expect(page.get_by_test_id("case-status")).to_have_text("Diregistrasi")
    case = Case.objects.get()
    assert case.tps is not None and case.reporter.name == REPORTER

    desk, problems2 = open_page()
    log_in(desk, base, "desk_admin")
    desk.goto(f"{base}/violations/cases/{case.pk}/")
    expect(desk.get_by_test_id("timeline")).to_contain_text("Syarat formal dan materiel terpenuhi")
    expect(desk.get_by_test_id("reporter")).to_have_count(0)
    assert REPORTER not in desk.content()
    assert not problems.found(), problems.found()
    assert not problems2.found(), problems2.found()
