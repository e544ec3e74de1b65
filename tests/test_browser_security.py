"""Browser test: the camat of Sebulu reports an incident on a 360-px phone, and the Polres follows it up.

The camat opens the incident log from the security page, taps "Laporkan kejadian", picks the kind
and severity, types where (the desa code, offered from a list) and what happened, attaches a
photo and sends it; the incident page shows it as reported. A Polres officer then marks it
verified on a desktop screen, and the security page of Kukar shows it among the open incidents.

Only the slice of Kukar the unit tests use is loaded (no national tree, no demo): it stays fast.
Fixtures (Chromium through Playwright, the live server) come from tests/test_browser.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from agencies import demo as agencies_demo
from security.models import Incident
from security.tests.permission_cases import png
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


def test_the_camat_reports_an_incident_on_a_phone_and_the_polres_verifies_it(
    open_page: Callable[..., tuple[Page, Problems]],  # noqa: F811
    live_server: LiveServer,  # noqa: F811
    tmp_path: object,
) -> None:
    fixtures.make_regions()
    election = fixtures.make_election()
    personas = fixtures.make_personas()
    fixtures.make_tps(election, "64.02.07.2001", "001")
    for user in (personas["camat_sebulu"], personas["polres_officer"]):
        user.set_password(agencies_demo.DEMO_PASSWORD)
        user.save()
    photo = tmp_path / "foto.png"  # type: ignore[operator]
    photo.write_bytes(png())

    base = live_server.url
    page, problems = open_page(has_touch=True, is_mobile=True, viewport=PHONE)
    log_in(page, base, "camat_sebulu")
    page.goto(f"{base}/security/incidents/")
    page.get_by_test_id("report-incident").click()
    form = page.get_by_test_id("incident-form")
    form.get_by_label("Jenis").select_option("intimidation")
    form.get_by_label("Sedang").check()
    form.get_by_label("Waktu kejadian").fill("2024-11-17T20:30")
    form.get_by_label("Tempat (kode desa/kelurahan atau kecamatan)").fill("64.02.07.2001")
    form.get_by_label("Nomor TPS (jika di TPS)").fill("1")
    form.get_by_label("Apa yang terjadi (singkat)").fill("KPPS diancam orang tak dikenal")
    form.get_by_label("Keterangan").fill("Ketua KPPS didatangi dua orang yang meminta daftar pemilih.")
    form.get_by_label("Foto").set_input_files(str(photo))
    check_no_overflow(page, "security-incident-form")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "security-incident-form-360.png", full_page=True)
    form.locator('button[type="submit"]').click()

    expect(page.get_by_test_id("incident-status")).to_have_text("Dilaporkan")
    check_no_overflow(page, "security-incident")
    incident = Incident.objects.get()
    assert incident.tps is not None and incident.tps.number == "001"
    assert incident.photos.count() == 1
    assert str(incident.agency) == "Kecamatan Sebulu"

    desk, problems2 = open_page()
    log_in(desk, base, "polres_officer")
    desk.goto(f"{base}/security/incidents/{incident.pk}/")
    step = desk.get_by_test_id("step-form")
    step.get_by_label("Yang dilakukan atau ditemukan").fill("Dicek Polsek Sebulu; saksi dimintai keterangan.")
    step.locator('button[type="submit"]').click()
    expect(desk.get_by_test_id("incident-status")).to_have_text("Terverifikasi")
    expect(desk.get_by_test_id("incident-steps")).to_contain_text(re.compile("Dicek Polsek Sebulu"))
    desk.goto(f"{base}/security/region/64.02/")
    expect(desk.get_by_test_id("security-map")).to_be_visible()
    assert get_user_model().objects.filter(username="polres_officer").exists()
    assert not problems.found(), problems.found()
    assert not problems2.found(), problems2.found()
