"""Browser test: the Desk admin moves the demo's clock in the banner and the logistics page follows.

On 18 Nov 2024 nothing has left KPU Kukar's warehouse: no point on the map, nothing overdue. At
noon on 25 Nov the map marks Tabang's air-served desa at risk and the Kenohan desa whose boat is
overdue, and the page lists that boat with the TPS and voters waiting. Back to 18 Nov, they are
gone again: nothing is shown before it happened.

Fixtures (Chromium through Playwright, the live server, the demo) come from tests/test_browser.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from agencies import demo as agencies_demo
from core import demo
from tests.test_browser import (  # noqa: F401  (pytest fixtures used by name)
    PHONE,
    SHOTS,
    Problems,
    browser,
    check_no_overflow,
    demo_data,
    live_server,
    log_in,
    open_page,
    pytestmark,
    wait_for_map,
)

KUKAR = agencies_demo.KUKAR
H_9, H_2 = demo.MOMENTS[0][0], demo.MOMENTS[1][0]
REPLAY_MS = 300_000


def switch(page: Page, moment: Any) -> None:
    banner = page.get_by_test_id("demo-clock")
    banner.get_by_label("Tampilkan momen").select_option(moment.isoformat())
    # the replay writes every shipment, sealed box and berita acara up to the moment: on PostgreSQL
    # under CI that takes longer than a click's usual wait
    banner.get_by_role("button", name="Pindah").click(timeout=REPLAY_MS)
    expect(page.locator(".messages")).to_contain_text("Demo kini menampilkan", timeout=REPLAY_MS)


def points(page: Page) -> int:
    expect(page.locator("#map")).to_have_attribute("data-points-count", re.compile(r"^\d+$"))
    return int(page.locator("#map").get_attribute("data-points-count") or 0)


def test_desk_admin_moves_the_demo_to_25_november_and_the_logistics_map_shows_what_is_late(
    open_page: Callable[..., tuple[Page, Problems]],  # noqa: F811
    live_server: LiveServer,  # noqa: F811
    demo_data: dict[str, Any],  # noqa: F811
    settings: Any,
) -> None:
    settings.DEMO = True
    base = live_server.url
    page, problems = open_page()
    log_in(page, base, "desk.kukar")
    page.goto(f"{base}/logistics/{KUKAR}/")
    wait_for_map(page, min_shapes=18)
    expect(page.get_by_test_id("logistics-illustrative")).to_be_visible()
    assert points(page) == 0, "on 18 Nov nothing is at risk or overdue"
    expect(page.get_by_test_id("overdue")).to_have_count(0)

    switch(page, H_2)
    page.wait_for_url(f"{base}/logistics/{KUKAR}/")
    wait_for_map(page, min_shapes=18)
    expect(page.get_by_test_id("demo-clock")).to_contain_text("25 November 2024")
    overdue = page.get_by_test_id("overdue")
    expect(overdue).to_be_visible()
    expect(overdue.get_by_test_id("overdue-row")).to_have_count(1)
    expect(overdue).to_contain_text("Ketinting")
    at_risk = page.get_by_test_id("risks")
    expect(at_risk).to_contain_text("PPS")
    # the map marks the late boat's desa and the desa waiting for the helicopter
    assert points(page) >= 2
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "demo-logistics-25-nov-1280.png", full_page=True)

    switch(page, H_9)
    page.wait_for_url(f"{base}/logistics/{KUKAR}/")
    wait_for_map(page, min_shapes=18)
    assert points(page) == 0
    expect(page.get_by_test_id("overdue")).to_have_count(0)
    # on a phone the banner and its switch fit the screen: no page scrolls sideways for it
    page.set_viewport_size(PHONE)
    page.goto(f"{base}/")
    expect(page.get_by_test_id("demo-clock")).to_be_visible()
    check_no_overflow(page, "demo-clock-home-360")
    assert problems.found() == {}
