"""Browser test: a PPS officer on a 360-px phone receives two sealed boxes, one with a broken seal.

The PPS of Sebulu Ilir opens the shipment from PPK Sebulu on the phone: one tap "Utuh" for the
intact box; "Segel rusak" for the other shows its contents to count, opened before the witnesses
(one ballot damaged). The receipt names the Bawaslu supervisor and the escort, the shipment
becomes a problem, and the berita acara serah terima lists both boxes with their condition.

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
from agencies.models import Agency, AgencyKind, Membership, Role
from logistics import actions
from logistics.models import Node, NodeLevel, Package, Receipt
from logistics.tests.base import DISPATCHED
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

SEBULU_ILIR = "64.02.07.2001"


def test_pps_officer_receives_two_boxes_one_with_a_broken_seal_and_the_berita_acara_shows_both(
    open_page: Callable[..., tuple[Page, Problems]],  # noqa: F811
    live_server: LiveServer,  # noqa: F811
) -> None:
    fixtures.make_regions()
    election = fixtures.make_election()
    kpu = fixtures.make_personas()["kpu_operator"]
    for number in ("001", "002"):
        fixtures.make_tps(election, SEBULU_ILIR, number)
    actions.plan_for(election)
    actions.default_catalogue(election)
    actions.build_network(election, Region.objects.get(code="64.02"))
    actions.pack(kpu, election, region=Region.objects.get(code=SEBULU_ILIR), first_seal=501, seal_prefix="KKR-")
    nodes = Node.objects.filter(election=election)
    shipment = actions.create_shipment(
        kpu,
        election,
        nodes.get(level=NodeLevel.PPK, region_id="64.02.07"),
        nodes.get(level=NodeLevel.PPS, region_id=SEBULU_ILIR),
        {},
        packages=Package.objects.filter(region_id=SEBULU_ILIR),
    )
    shipment = actions.dispatch_shipment(kpu, shipment, DISPATCHED, shipment.version)
    pps = Agency.objects.create(name="PPS Sebulu Ilir", kind=AgencyKind.PPS, region_id=SEBULU_ILIR)
    officer = get_user_model().objects.create(username="pps.sebulu.ilir")
    officer.set_password(agencies_demo.DEMO_PASSWORD)
    officer.save()
    Membership.objects.create(user=officer, agency=pps, role=Role.OPERATOR, scope_id=SEBULU_ILIR)
    intact, broken = Package.objects.filter(region_id=SEBULU_ILIR).order_by("seal_number")

    base = live_server.url
    page, problems = open_page(has_touch=True, is_mobile=True, viewport=PHONE)
    log_in(page, base, officer.username)
    page.goto(f"{base}/logistics/shipments/{shipment.pk}/")
    form = page.get_by_test_id("receipt-form")
    form.get_by_label("Diterima oleh").fill("Ketua PPS Sebulu Ilir")
    form.get_by_label("Pengawas Bawaslu (Panwascam/PKD)").fill("Rahmat, PKD Sebulu Ilir")
    form.get_by_label("Pengawal (petugas Polri/TNI)").fill("Bripka Andi, Polsek Sebulu")
    boxes = form.get_by_test_id("receipt-package")
    expect(boxes).to_have_count(2)
    expect(form.locator('input[name^="pgood_"]:visible')).to_have_count(0)  # nothing to count while intact
    boxes.nth(0).get_by_label("Utuh", exact=True).check()
    boxes.nth(1).get_by_label("Segel rusak", exact=True).check()
    contents = list(broken.contents.select_related("item").order_by("item__order"))
    expect(boxes.nth(1).locator('input[name^="pgood_"]:visible')).to_have_count(len(contents))
    for c in contents:
        damaged = 1 if c.item.kind == "ballot" else 0
        boxes.nth(1).locator(f'input[name="pgood_{broken.pk}_{c.item_id}"]').fill(str(c.quantity - damaged))
        boxes.nth(1).locator(f'input[name="pdamaged_{broken.pk}_{c.item_id}"]').fill(str(damaged))
    check_no_overflow(page, "packages-receipt-form")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "packages-receipt-form-360.png", full_page=True)
    form.locator('button[type="submit"]').click()

    expect(page.get_by_test_id("status")).to_have_text(re.compile("Masalah"))
    page.get_by_test_id("handover-link").click()
    table = page.get_by_test_id("handover-packages")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.get_by_role("row", name=re.compile(f"{intact.seal_number}.*Utuh"))).to_be_visible()
    expect(table.get_by_role("row", name=re.compile(f"{broken.seal_number}.*Segel rusak"))).to_be_visible()
    expect(page.get_by_test_id("signatures")).to_contain_text("Rahmat, PKD Sebulu Ilir")
    expect(page.get_by_test_id("handover-opened")).to_contain_text("1")
    check_no_overflow(page, "packages-berita-acara")
    page.screenshot(path=SHOTS / "packages-berita-acara-360.png", full_page=True)
    receipt = Receipt.objects.get(shipment=shipment)
    assert sorted(receipt.packages.values_list("condition", flat=True)) == ["intact", "seal_broken"]
    assert sum(line.damaged for line in receipt.lines.filter(item__kind="ballot")) == 1
    assert not problems.found(), problems.found()
