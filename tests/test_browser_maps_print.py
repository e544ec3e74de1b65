"""Browser tests of the maps and of printing, in a real Chromium against the live server.

- The colour scale follows the data shown (the Kukar logistics map spans 0-6.5%: every class is
  drawn) and the legend shows exactly the colours drawn; "no data" has its own colour.
- Points (nodes at risk, TPS) lie above the areas even when the areas arrive last.
- On a touch phone the first tap on an area shows its figures, the second opens its page; with a
  mouse, hovering shows them and a click opens the page.
- A printed page has no navigation, filters or buttons, and its tables are whole: screenshots of
  the printed pages (and PDFs) go to artifacts/.

Fixtures (Chromium through Playwright, the live server, the demo) come from tests/test_browser.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from django.db.models import F, Sum
from playwright.sync_api import Page, Route, expect
from pytest_django.live_server_helper import LiveServer

from agencies import demo as agencies_demo
from regions.models import PollingStation, Region
from tests.test_browser import (  # noqa: F401  (pytest fixtures used by name)
    PHONE,
    SHOTS,
    Problems,
    browser,
    demo_data,
    live_server,
    log_in,
    open_page,
    pytestmark,
    wait_for_map,
)

KUKAR = agencies_demo.KUKAR
# A4 less the print margins (210 mm - 2 x 12 mm) in CSS pixels: the width a printed page lays out in.
A4_CONTENT_WIDTH = 703

# The computed fill of every area and the computed colour of every legend swatch, as rgb().
AREA_FILLS = """() => [...document.querySelectorAll("#map .leaflet-overlay-pane path.leaflet-interactive")]
  .map(p => getComputedStyle(p).fill)"""
LEGEND_COLOURS = """() => [...document.querySelectorAll("[data-legend-for=map] .swatch i")]
  .map(i => getComputedStyle(i).backgroundColor)"""

# A point of the n-th area that a tap there would hit (not covered by anything, inside the map).
POINT_IN_AREA = """n => {
  const path = document.querySelectorAll("#map .leaflet-overlay-pane path.leaflet-interactive")[n];
  const map = document.querySelector("#map").getBoundingClientRect();
  const r = path.getBoundingClientRect();
  for (let i = 1; i < 12; i++) for (let j = 1; j < 12; j++) {
    const x = r.left + (r.width * i) / 12, y = r.top + (r.height * j) / 12;
    const top = Math.max(map.top, 0) + 5, bottom = Math.min(map.bottom, innerHeight) - 5;
    if (x < map.left + 50 || x > map.right - 5 || y < top || y > bottom) continue;
    if (document.elementFromPoint(x, y) === path) return {x, y};
  }
  return null;
}"""

# The biggest area on screen, so that a tap has room.
BIGGEST_AREA = """() => {
  const paths = [...document.querySelectorAll("#map .leaflet-overlay-pane path.leaflet-interactive")];
  const size = p => { const r = p.getBoundingClientRect(); return r.width * r.height; };
  return paths.indexOf(paths.reduce((a, b) => (size(b) > size(a) ? b : a)));
}"""


def scale(page: Page, values: Sequence[float | None], suffix: str = "") -> dict[str, Any]:
    """The map's colour scale (sinergi.js) for these values: its classes and each value's colour."""
    return page.evaluate(
        """([values, suffix]) => {
          const s = window.SinergiMaps.colorScale(values, suffix);
          const colors = values.map(v => s.colorOf(v));
          return {classes: s.classes, noData: s.noData, noDataColor: s.noDataColor, colors: colors};
        }""",
        [list(values), suffix],
    )


def test_the_colour_scale_uses_every_class_for_a_narrow_range_and_keeps_no_data_apart(
    open_page: Callable[..., tuple[Page, Problems]],  # noqa: F811
    live_server: LiveServer,  # noqa: F811
) -> None:
    page, problems = open_page()
    page.goto(f"{live_server.url}/account/login/")  # any page loads sinergi.js

    # 0-6.5% (the Kukar logistics map on 18 Nov 2024): five classes, each one holding values.
    narrow = [0, 0, 0, 0, 0, 1.4, 1.5, 2.4, 2.5, 2.9, 2.9, 3.0, 3.3, 3.6, 3.8, 3.9, 4.3, 4.4, 4.5, 6.5]
    s = scale(page, narrow, "%")
    assert len(s["classes"]) == 5, s
    assert {c["color"] for c in s["classes"]} == set(s["colors"]), "a class no value falls in"
    assert not s["noData"]
    # Breaks are round numbers between the data values, and the legend says them.
    breaks = [c["from"] for c in s["classes"][1:]]
    assert all(round(b, 1) == b for b in breaks), breaks
    assert breaks == sorted(set(breaks)), breaks
    assert s["classes"][0]["label"] == f"< {breaks[0]:g}%".replace(".", ","), s["classes"]
    assert s["classes"][-1]["label"] == f"≥ {breaks[-1]:g}%".replace(".", ","), s["classes"]

    # Voters per kab/kota of Kaltim: the breaks are rounded to thousands, not 152.337.
    dpt = [209636, 552469, 203140, 139036, 303626, 126908, 33351, 520986, 612072, 119978]
    s = scale(page, dpt)
    assert len({*s["colors"]}) == 5, s
    assert all(c["from"] % 1000 == 0 for c in s["classes"][1:]), s["classes"]

    # Every area equal: one class, its label the value itself.
    s = scale(page, [6.5, 6.5, 6.5], "%")
    assert [c["label"] for c in s["classes"]] == ["6,5%"], s
    assert len(set(s["colors"])) == 1

    # Areas without a figure get the "no data" colour, which no class uses.
    s = scale(page, [None, 0, 3, None], "%")
    assert s["noData"]
    assert s["colors"][0] == s["colors"][3] == s["noDataColor"]
    assert s["noDataColor"] not in {c["color"] for c in s["classes"]}
    assert s["colors"][1] != s["colors"][2]
    s = scale(page, [None, None])
    assert s["classes"] == [] and s["noData"] and set(s["colors"]) == {s["noDataColor"]}
    assert problems.found() == {}


def spread_shares_and_two_desa_at_risk() -> None:
    """On 18 Nov no kit has reached a TPS yet (they do on H-1) and nothing is at risk, so the map
    would be one colour with no point: give Kukar's kecamatan shares from 0 to 6.5% of TPS × items
    supplied (test data written to their Supply rows) and two desa of Tabang a route too long for
    their deadline (through the action, as KPU would): they and their kecamatan, due early enough
    for them, are at risk."""
    from logistics import actions
    from logistics.models import Node, NodeLevel, Route, Supply

    kecamatan = sorted(Region.objects.filter(parent_id=KUKAR).values_list("code", flat=True))
    for i, kec in enumerate(kecamatan):
        supplies = Supply.objects.filter(region_id__gte=kec + ".", region_id__lt=kec + "/").order_by("id")
        share = 0.065 * i / (len(kecamatan) - 1)
        ids = list(supplies.values_list("id", flat=True)[: round(supplies.count() * share)])
        Supply.objects.filter(id__in=ids).update(received=F("required"))
    tabang = Node.objects.filter(level=NodeLevel.PPS, region__code__startswith="64.02.12.").order_by("region_id")[:2]
    for pps in tabang:
        route = Route.objects.get(destination=pps)
        actions.save_route(None, route.origin, pps, "helicopter", 8 * 24 * 60)


def test_the_logistics_map_spreads_0_to_6_5_percent_over_the_legend_with_risk_points_on_top(
    open_page: Callable[..., tuple[Page, Problems]],  # noqa: F811
    live_server: LiveServer,  # noqa: F811
    demo_data: dict[str, Any],  # noqa: F811
) -> None:
    spread_shares_and_two_desa_at_risk()
    base = live_server.url
    page, problems = open_page()
    log_in(page, base, "desk.kukar")

    # The areas' file is held back until the risk points are drawn: the order that used to
    # bury the points under the areas.
    held: list[Route] = []

    def hold(route: Route) -> None:
        held.append(route)

    page.route(re.compile(r"/logistics/64\.02/areas\.geojson"), hold)
    with page.expect_response(re.compile(r"/logistics/64\.02/risk\.geojson")):
        page.goto(f"{base}/logistics/{KUKAR}/")
    # the two desa of Tabang, and Tabang's PPK: its goods must come early enough for the 8-day flights
    page.wait_for_function("() => document.querySelector('#map').dataset.pointsCount === '3'")  # layer added
    assert len(held) == 1
    held[0].continue_()
    wait_for_map(page, min_shapes=18)  # Kukar's 20 kecamatan (a few may lie outside the view)

    # Points live in their own pane, stacked above the areas' pane.
    z = page.evaluate(
        """() => ["points", "overlay"].map(n =>
             Number(getComputedStyle(document.querySelector("#map .leaflet-" + n + "-pane")).zIndex))"""
    )
    assert z[0] > z[1], z
    risk_points = page.locator("#map .leaflet-points-pane path.leaflet-interactive")
    expect(risk_points).to_have_count(3)  # the two desa of Tabang at risk, and their kecamatan
    # the page opens with its problems; the map follows them (elementFromPoint sees the viewport only)
    page.locator("#map").scroll_into_view_if_needed()
    on_top = page.evaluate(
        """() => [...document.querySelectorAll("#map .leaflet-points-pane path.leaflet-interactive")].map(p => {
             const r = p.getBoundingClientRect();
             return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === p;
           })"""
    )
    assert on_top == [True, True, True], "a risk point is covered by an area"

    # The shares run from 0% to 6.5%: at least three colours are drawn, and the legend shows
    # exactly the colours drawn.
    fills = page.evaluate(AREA_FILLS)
    assert len(set(fills)) >= 3, f"the 0-6.5% range is drawn in {set(fills)}"
    legend = page.evaluate(LEGEND_COLOURS)
    assert set(legend) == set(fills), (legend, set(fills))
    assert len(legend) == len(set(legend))
    expect(page.locator("[data-legend-for=map]")).to_contain_text("%")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".card", has=page.locator("#map")).screenshot(path=SHOTS / "maps-logistics-kukar-1280.png")

    # With a mouse: hovering an area shows its figures, a click opens its page.
    n = page.evaluate(BIGGEST_AREA)
    point = page.evaluate(POINT_IN_AREA, n)
    assert point is not None
    page.mouse.move(point["x"], point["y"])
    tooltip = page.locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text("TPS × barang terpenuhi")
    expect(tooltip).to_contain_text(re.compile(r"\d%"))
    expect(tooltip).to_contain_text("per 18 November 2024 12.00 WITA")  # the moment the risk is judged at
    page.mouse.click(point["x"], point["y"])
    page.wait_for_url(re.compile(rf"{re.escape(base)}/logistics/{re.escape(KUKAR)}\.\d\d/$"))
    assert problems.found() == {}


def test_on_a_phone_the_first_tap_on_an_area_shows_its_figures_and_the_second_opens_it(
    open_page: Callable[..., tuple[Page, Problems]],  # noqa: F811
    live_server: LiveServer,  # noqa: F811
    demo_data: dict[str, Any],  # noqa: F811
) -> None:
    base = live_server.url
    page, problems = open_page(viewport=PHONE, has_touch=True, is_mobile=True)
    log_in(page, base, "desk.kukar")
    page.goto(f"{base}/regions/{KUKAR}/")
    wait_for_map(page, min_shapes=10)
    page.locator("#map").scroll_into_view_if_needed()

    n = page.evaluate(BIGGEST_AREA)
    point = page.evaluate(POINT_IN_AREA, n)
    assert point is not None, "no spot of the area is free to tap"
    page.touchscreen.tap(point["x"], point["y"])

    # The first tap: a card with the kecamatan's name, its TPS and DPT, their source; no navigation.
    card = page.locator(".leaflet-popup .map-card")
    expect(card).to_be_visible()
    href = card.locator("a.map-open").get_attribute("href")
    assert href is not None
    code = href.strip("/").rsplit("/", 1)[-1]
    totals = PollingStation.objects.filter(village__code__startswith=code + ".").aggregate(
        m=Sum("dpt_male"), f=Sum("dpt_female")
    )
    dpt = f"{totals['m'] + totals['f']:,}".replace(",", ".")
    expect(card).to_contain_text(f"DPT: {dpt}")
    expect(card).to_contain_text("Daftar TPS")
    expect(card.locator("a.map-open")).to_have_text("Buka halaman")
    assert page.url == f"{base}/regions/{KUKAR}/"
    expect(page.locator("#map .leaflet-pan-anim")).to_have_count(0)  # the card may pan the map into view
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "maps-first-tap-360.png")

    # The second tap on the same area opens its page.
    point = page.evaluate(POINT_IN_AREA, n)
    assert point is not None
    page.touchscreen.tap(point["x"], point["y"])
    page.wait_for_url(f"{base}{href}")
    expect(page.locator("h1")).to_contain_text(Region.objects.get(code=code).name)
    assert problems.found() == {}


# What must not reach paper: the navigation and everything one clicks.
NOT_PRINTED = [".topbar", "nav.nav", ".filters", ".actions", ".pagination a", ".leaflet-control-zoom"]


def test_a_printed_page_has_no_navigation_and_whole_tables(
    open_page: Callable[..., tuple[Page, Problems]],  # noqa: F811
    live_server: LiveServer,  # noqa: F811
    demo_data: dict[str, Any],  # noqa: F811
) -> None:
    base = live_server.url
    page, problems = open_page(viewport={"width": A4_CONTENT_WIDTH, "height": 1000})
    log_in(page, base, "desk.kukar")
    SHOTS.mkdir(parents=True, exist_ok=True)
    pages = {
        "tps-list": f"/regions/tps/?region={KUKAR}",  # 50 TPS a page, with filters and paging
        "logistics-kukar": f"/logistics/{KUKAR}/",  # map, legend and long tables
    }
    for name, url in pages.items():
        page.emulate_media(media="screen")
        page.goto(base + url)
        if page.locator("#map").count():
            wait_for_map(page)
        for selector in NOT_PRINTED:  # on screen, they are there
            if page.locator(selector).count():
                expect(page.locator(selector).first).to_be_visible()
        page.emulate_media(media="print")
        for selector in NOT_PRINTED:
            for el in page.locator(selector).all():
                expect(el).to_be_hidden()
        wraps = page.evaluate(
            """() => [...document.querySelectorAll(".table-wrap")].map(w => {
                 const t = w.querySelector("table");
                 const row = t.querySelector("tbody tr");
                 return {overflow: getComputedStyle(w).overflowX, clipped: w.scrollWidth > w.clientWidth + 1,
                         right: t.getBoundingClientRect().right, head: getComputedStyle(t.tHead).display,
                         rowBreak: getComputedStyle(row).breakInside};
               })"""
        )
        assert wraps, f"{name}: no table"
        for w in wraps:
            assert w["overflow"] == "visible" and not w["clipped"], f"{name}: a table is cut: {w}"
            assert w["right"] <= A4_CONTENT_WIDTH + 1, f"{name}: a table is wider than the page: {w}"
            assert w["head"] == "table-header-group" and w["rowBreak"] == "avoid", w
        rows = page.locator(".table-wrap tbody tr")
        assert rows.count() >= 20, f"{name}: a long table ({rows.count()} rows)"
        page.screenshot(path=SHOTS / f"print-{name}.png", full_page=True)
        pdf = page.pdf(path=SHOTS.parent / f"print-{name}.pdf", prefer_css_page_size=True)
        assert pdf.startswith(b"%PDF")
    assert problems.found() == {}
