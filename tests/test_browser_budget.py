"""Browser test: KPU Kukar reports a grant's realisation on a 360-px phone; the Desk reads the
grant overview on the same phone.

Only the slice of Kukar the unit tests use is loaded (no national tree, no demo). The forms are
filled by their field names, so the test holds in every language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from agencies import demo as agencies_demo
from agencies.models import Agency
from budget import actions
from budget.models import Line
from regions.models import Region
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


def test_kpu_reports_realisation_on_a_phone_and_the_desk_reads_the_overview(
    open_page: Callable[..., tuple[Page, Problems]],  # noqa: F811
    live_server: LiveServer,  # noqa: F811
) -> None:
    fixtures.make_regions()
    election = fixtures.make_election()
    personas = fixtures.make_personas()
    for user in (personas["kpu_operator"], personas["desk_admin"]):
        user.set_password(agencies_demo.DEMO_PASSWORD)
        user.save()
    data = {
        "region": Region.objects.get(code="64.02"),
        "agency": Agency.objects.get(name="KPU Kukar"),
        "number": "Uji/NPHD/KPU/2024",
        "signed_on": dt.date(2024, 3, 1),
        "amount": 76_055_000_000,
        "purpose": "Penyelenggaraan Pilkada",
        "budget_source": "APBD 2023–2024",
        "amends": None,
        "lpj_due": dt.date(2024, 11, 10),
    }
    agreement = actions.create_agreement(None, election, data)
    tranche = actions.add_tranche(None, agreement, dt.date(2024, 3, 10), 30_422_000_000)
    actions.disburse(None, tranche, dt.date(2024, 3, 15), 30_422_000_000, tranche.version)
    actions.add_tranche(None, agreement, dt.date(2024, 12, 1), 45_633_000_000)

    base = live_server.url
    page, problems = open_page(has_touch=True, is_mobile=True, viewport=PHONE)
    log_in(page, base, "kpu_operator")
    page.goto(f"{base}/budget/agreements/{agreement.pk}/")
    check_no_overflow(page, "budget-agreement")
    page.get_by_test_id("report-link").click()
    form = page.get_by_test_id("report-form")
    form.locator('input[name="period_end"]').fill("2024-10-31")
    form.locator('input[name="submitted_on"]').fill("2024-11-05")
    form.locator('input[name="spent_honorarium"]').fill("-5")
    check_no_overflow(page, "budget-report")
    form.locator('button[type="submit"]').click()
    expect(page.get_by_test_id("report-form")).to_be_visible()
    assert Line.objects.count() == 0
    form = page.get_by_test_id("report-form")
    form.locator('input[name="spent_honorarium"]').fill("12000000000")
    form.locator('input[name="spent_logistics"]').fill("4000000000")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "budget-report-360.png", full_page=True)
    form.locator('button[type="submit"]').click()
    expect(page.get_by_test_id("reports")).to_contain_text("31")
    assert sorted(Line.objects.values_list("amount", flat=True)) == [4_000_000_000, 12_000_000_000]

    desk, problems2 = open_page(has_touch=True, is_mobile=True, viewport=PHONE)
    log_in(desk, base, "desk_admin")
    desk.goto(f"{base}/budget/region/64.02/")
    expect(desk.get_by_test_id("chart-grants")).to_contain_text("KPU Kukar")
    expect(desk.get_by_test_id("late-lpj")).to_be_visible()
    check_no_overflow(desk, "budget-region")
    desk.screenshot(path=SHOTS / "budget-region-360.png", full_page=True)
    desk.goto(f"{base}/budget/agreements/{agreement.pk}/")
    check_no_overflow(desk, "budget-agreement-desk")
    desk.screenshot(path=SHOTS / "budget-agreement-360.png", full_page=True)
    assert not problems.found(), problems.found()
    assert not problems2.found(), problems2.found()
