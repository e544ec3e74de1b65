"""Browser test: a newcomer sets up another kabupaten's Pilkada in the browser, without the shell.

The Kaltim Desk admin (desk.kaltim) creates the agency "KPU Kabupaten Paser" and a member for it
(a new account, kpu.paser); kpu.paser logs in, creates the Paser election, its bupati contest and
two candidate pairs, and sees only Paser: the TPS list holds Paser's 484 TPS and no Kukar row, the
agency list no Kukar agency. Every page is screenshot at 360 and 1280 px into artifacts/.

Fixtures (Chromium through Playwright, the live server, the demo) come from tests/test_browser.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from agencies.models import Agency, Membership
from elections.models import CandidatePair, Contest, Election
from regions.models import Level, Region
from tests.test_browser import (  # noqa: F401  (pytest fixtures used by name)
    Problems,
    browser,
    demo_data,
    live_server,
    log_in,
    open_page,
    pytestmark,
    screenshots,
)

PASER = "64.01"
NEW_PASSWORD = "Paser-Pilkada-2029!"


def log_in_as(page: Page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/account/login/")
    form = page.locator("form", has=page.locator('input[name="auth-username"]'))
    form.locator('input[name="auth-username"]').fill(username)
    form.locator('input[name="auth-password"]').fill(password)
    form.locator('button[type="submit"]').click()
    page.wait_for_url(f"{base}/")


def log_out(page: Page) -> None:
    page.locator('form[action="/account/logout/"] button').click()
    page.wait_for_load_state()


def submit(page: Page) -> None:
    page.get_by_test_id("record-form").locator('button[type="submit"]').click()
    page.wait_for_load_state()


def test_a_newcomer_sets_up_paser_in_the_browser(
    open_page: Callable[[], tuple[Page, Problems]],  # noqa: F811
    live_server: LiveServer,  # noqa: F811
    demo_data: dict[str, Any],  # noqa: F811
) -> None:
    base = live_server.url
    # The demo's jurisdictions and personas obey the same rules as the forms.
    for agency in Agency.objects.all():
        agency.full_clean()
    for m in Membership.objects.select_related("agency"):
        m.full_clean()
    assert Agency.objects.get(name="Polres Bontang").jurisdiction == ["64.74", "64.02.05", "64.02.17"]
    page, problems = open_page()

    # The Kaltim Desk admin sets up the agency and its first member.
    log_in(page, base, "desk.kaltim")
    page.goto(f"{base}/agencies/")
    page.get_by_test_id("new-agency").click()
    page.wait_for_url(f"{base}/agencies/new/")
    screenshots(page, "10-agency-form")
    page.fill("#id_name", "KPU Kabupaten Paser")
    page.select_option("#id_kind", "kpu")
    page.fill("#id_region_code", PASER)
    submit(page)
    expect(page.locator("h1")).to_have_text("KPU Kabupaten Paser")

    page.get_by_test_id("new-member").click()
    screenshots(page, "11-member-form")
    page.fill("#id_username", "kpu.paser")
    page.fill("#id_first_name", "Operator")
    page.fill("#id_last_name", "KPU Paser")
    page.fill("#id_password", NEW_PASSWORD)
    page.select_option("#id_role", "operator")
    page.fill("#id_title", "Operator data")
    submit(page)
    expect(page.get_by_test_id("members")).to_contain_text("Operator KPU Paser")
    screenshots(page, "12-agency-with-member")
    member = Membership.objects.get(user__username="kpu.paser")
    assert (member.agency.name, member.scope_id, member.role) == ("KPU Kabupaten Paser", None, "operator")
    log_out(page)

    # The new member logs in and sets up the Paser election.
    log_in_as(page, base, "kpu.paser", NEW_PASSWORD)
    page.goto(f"{base}/elections/")
    page.get_by_test_id("new-election").click()
    screenshots(page, "13-election-form")
    page.fill("#id_name", "Pilkada Kabupaten Paser 2029")
    page.select_option("#id_kind", "pilkada")
    page.fill("#id_region_code", PASER)
    page.fill("#id_voting_date", "2029-11-28")
    submit(page)
    expect(page.locator("h1")).to_have_text("Pilkada Kabupaten Paser 2029")
    election = Election.objects.get(name="Pilkada Kabupaten Paser 2029")
    assert (election.region_id, election.timezone) == (PASER, "Asia/Makassar")  # Paser keeps WITA

    page.get_by_test_id("new-contest").click()
    page.fill("#id_name", "Pemilihan Bupati dan Wakil Bupati Paser 2029")
    page.select_option("#id_kind", "regent")
    page.fill("#id_region_code", PASER)
    screenshots(page, "14-contest-form", reload=False)
    submit(page)
    expect(page.locator("main")).to_contain_text("Pemilihan Bupati dan Wakil Bupati Paser 2029")

    for number, head, deputy in [(1, "Calon Bupati A", "Calon Wakil A"), (2, "Calon Bupati B", "Calon Wakil B")]:
        page.get_by_test_id("new-pair").click()
        page.fill("#id_number", str(number))
        page.fill("#id_head_name", head)
        page.fill("#id_deputy_name", deputy)
        submit(page)
    expect(page.get_by_test_id("pairs").locator("li")).to_have_count(2)
    screenshots(page, "15-paser-election")
    contest = Contest.objects.get(election=election)
    assert list(CandidatePair.objects.filter(contest=contest).values_list("number", flat=True)) == [1, 2]

    # kpu.paser sees only Paser: its 484 TPS of the Kaltim election, no Kukar row, no Kukar agency.
    page.goto(f"{base}/regions/tps/")
    expect(page.get_by_test_id("tps-count")).to_contain_text("484 TPS")
    paser_kecamatan = set(
        Region.objects.filter(level=Level.KECAMATAN, code__startswith=PASER + ".").values_list("name", flat=True)
    )
    shown = set(page.locator("#tps-results tbody td:nth-child(3)").all_inner_texts())
    assert shown and shown <= paser_kecamatan, shown - paser_kecamatan
    screenshots(page, "16-paser-tps")
    page.goto(f"{base}/agencies/")
    agencies = page.get_by_test_id("agencies")
    expect(agencies).to_contain_text("KPU Kabupaten Paser")
    expect(agencies).not_to_contain_text("Kutai Kartanegara")
    screenshots(page, "17-paser-agencies")

    assert not problems.found(), problems.found()
