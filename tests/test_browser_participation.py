"""Browser test: a KPU Kukar operator records an outreach event on a 360-px phone, and the
participation dashboard shows the targets that disagree, the turnout history, the gap by kecamatan
and the event -- all without horizontal overflow.

Only the slice of Kukar the unit tests use is loaded (no national tree, no demo): it stays fast.
Fixtures (Chromium through Playwright, the live server) come from tests/test_browser.py.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from agencies import demo as agencies_demo
from participation import actions
from participation.models import Outreach
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


def test_kpu_records_an_outreach_event_on_a_phone_and_the_dashboard_shows_the_gap(
    open_page: Callable[..., tuple[Page, Problems]],  # noqa: F811
    live_server: LiveServer,  # noqa: F811
) -> None:
    fixtures.make_regions()
    election = fixtures.make_election()
    personas = fixtures.make_personas()
    fixtures.make_tps(election, "64.02.07.2001", "001")
    fixtures.make_tps(election, "64.02.06.1001", "001")
    user = personas["kpu_operator"]
    user.set_password(agencies_demo.DEMO_PASSWORD)
    user.save()
    kukar, prov = Region.objects.get(code="64.02"), Region.objects.get(code="64")
    source = {
        "source_status": "official",
        "source_publisher": "Pjs Bupati Kutai Kartanegara",
        "source_title": "Rakor Pilkada",
        "source_as_of": dt.date(2024, 11, 18),
    }
    for value, day in (("79.5", dt.date(2024, 9, 1)), ("77.5", dt.date(2024, 11, 18))):
        actions.add_target(None, election, {"region": prov, "value": value, "cited_on": day, **source})
    actions.add_history(
        None,
        {
            "region": kukar,
            "label": "Pilkada 2020",
            "held_on": dt.date(2020, 12, 9),
            "percent": "56.57",
            "as_of": dt.date(2020, 12, 31),
            **source,
        },
    )

    base = live_server.url
    page, problems = open_page(has_touch=True, is_mobile=True, viewport=PHONE)
    log_in(page, base, "kpu_operator")
    page.goto(f"{base}/participation/region/64.02/")
    expect(page.get_by_test_id("targets-disagree")).to_be_visible()
    expect(page.get_by_test_id("working-target")).to_contain_text("77,5%")
    expect(page.get_by_test_id("gap-row")).to_have_count(5)
    expect(page.get_by_test_id("participation-map")).to_have_attribute("data-features", "5")
    check_no_overflow(page, "participation-region")
    page.get_by_test_id("new-outreach").first.click()
    form = page.get_by_test_id("outreach-form")
    # by field name: the labels are translated (the Indonesian ones arrive with the lead's merge)
    form.locator('input[name="held_on"]').fill("2024-11-15")
    form.locator('input[name="region"]').fill("64.02.07.2001")
    form.locator('input[name="audience"][value="first_time"]').check()
    form.locator('input[name="audience"][value="women"]').check()
    form.locator('input[name="attendance"]').fill("45")
    check_no_overflow(page, "participation-outreach-form")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "participation-outreach-360.png", full_page=True)
    form.locator('button[type="submit"]').click()
    expect(page.get_by_test_id("event")).to_have_count(1)
    event = Outreach.objects.get()
    assert event.agency is not None
    assert (event.attendance, event.audience, event.agency.name) == (45, ["first_time", "women"], "KPU Kukar")

    page.goto(f"{base}/participation/region/64.02/")
    expect(page.get_by_test_id("gap-table")).to_contain_text("Sebulu")
    check_no_overflow(page, "participation-region-after")
    page.screenshot(path=SHOTS / "participation-region-360.png", full_page=True)
    assert not problems.found(), problems.found()
