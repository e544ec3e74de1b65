"""Browser tests: a real Chromium (Debian's, through Playwright) against the live server.

Scenario 1: the Kukar Desk admin logs in, sees the countdown, the current stage and the
province map, then drills down province -> Kukar -> Sebulu -> a desa -> a TPS, with
screenshots at 360 px (phone) and 1280 px, and no horizontal overflow on the phone.
Scenario 2: the KPU Kukar operator uploads a bad TPS file and gets every row's problem back,
with nothing written.
Scenario 3: no console error, page error, failed asset or CSP violation during scenario 1.

Screenshots go to artifacts/screenshots/. Without /usr/bin/chromium the tests are skipped,
except under CI (CI set), where that is a failure.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Response, expect, sync_playwright

from core import demo
from regions.models import Level, PollingStation, Region

# Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SHOTS = Path(__file__).resolve().parent.parent / "artifacts" / "screenshots"
PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 15_000

pytestmark = pytest.mark.browser

# Reports CSP violations to Python; added through the DevTools protocol, so CSP does not block it.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolation(e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
    " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        reason = f"{CHROMIUM} not found: install Debian's chromium to run the browser tests"
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI is set, so this is not skipped)")
        pytest.skip(reason)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def demo_data(transactional_db: None) -> dict[str, Any]:
    """The national region tree and the Kaltim demo, committed so the live server sees them."""
    call_command("import_regions", no_progress=True)
    return demo.load()


class Problems:
    """Everything that went wrong in the browser while a context was open."""

    def __init__(self, context: BrowserContext) -> None:
        self.console: list[str] = []
        self.page_errors: list[str] = []
        self.csp: list[str] = []
        self.bad_responses: list[str] = []
        context.expose_function("__cspViolation", self._on_csp)
        context.add_init_script(script=CSP_LISTENER)
        context.on("console", self._on_console)
        context.on("weberror", lambda e: self.page_errors.append(str(e.error)))
        context.on("response", self._on_response)

    def _on_csp(self, text: str) -> None:
        self.csp.append(text)

    def _on_console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error":
            self.console.append(f"{msg.text} ({msg.location.get('url')})")

    def _on_response(self, response: Response) -> None:
        if response.status >= 400:
            self.bad_responses.append(f"{response.status} {response.url}")

    def all(self) -> dict[str, list[str]]:
        return {
            "console errors": self.console,
            "page errors": self.page_errors,
            "CSP violations": self.csp,
            "failed responses": self.bad_responses,
        }


def new_page(browser: Browser) -> tuple[Page, Problems]:
    context = browser.new_context(viewport=DESKTOP, locale="id-ID")
    context.set_default_timeout(TIMEOUT_MS)
    problems = Problems(context)
    return context.new_page(), problems


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/account/login/")
    form = page.locator("form", has=page.locator('input[name="auth-username"]'))
    form.locator('input[name="auth-username"]').fill(username)
    form.locator('input[name="auth-password"]').fill(demo.DEMO_PASSWORD)
    form.locator('button[type="submit"]').click()
    page.wait_for_url(f"{base}/")


def wait_for_map(page: Page, *, min_shapes: int = 1) -> None:
    """The map finished loading its layers and drew at least ``min_shapes`` SVG shapes."""
    expect(page.locator("#map")).to_have_class(re.compile(r"\bmap-ready\b"))
    page.wait_for_function(
        "n => document.querySelectorAll('#map path.leaflet-interactive').length >= n", arg=min_shapes
    )


def settle(page: Page) -> None:
    """Let a resize reach the layout (and Leaflet's resize handler) before measuring."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def screenshots(page: Page, name: str) -> None:
    """Full-page screenshots at 360 and 1280 px; on the phone nothing may stick out sideways."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(PHONE)
    settle(page)
    overflow = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (
        f"{name}: horizontal overflow at 360 px (scrollWidth, innerWidth) = {overflow}"
    )
    page.screenshot(path=SHOTS / f"{name}-360.png", full_page=True)
    page.set_viewport_size(DESKTOP)
    settle(page)
    page.screenshot(path=SHOTS / f"{name}-1280.png", full_page=True)


def test_desk_admin_drills_down_from_the_province_to_a_tps(
    browser: Browser, live_server: Any, demo_data: dict[str, Any]
) -> None:
    """Scenarios 1 and 3: desk.kukar from the home page down to one TPS, with a clean console."""
    base = live_server.url
    page, problems = new_page(browser)
    log_in(page, base, "desk.kukar")

    # Home: countdown (18 Nov 2024 -> 27 Nov 2024), the current stage, the Kaltim map.
    expect(page.get_by_test_id("countdown")).to_contain_text("9")
    expect(page.get_by_test_id("stage")).to_have_text("Kampanye")
    wait_for_map(page, min_shapes=10)  # the ten kab/kota of Kaltim
    screenshots(page, "01-home")

    # Province -> Kukar.
    page.locator(f'main a[href="/regions/{demo.PROVINCE}/"]').first.click()
    page.wait_for_url(f"{base}/regions/{demo.PROVINCE}/")
    children = page.get_by_test_id("children")
    children.get_by_role("link", name="Kabupaten Kutai Kartanegara", exact=True).click()
    page.wait_for_url(f"{base}/regions/{demo.KUKAR}/")
    expect(page.get_by_test_id("tps-total")).to_have_text("1.443")
    expect(page.get_by_test_id("dpt-total")).to_have_text("552.469")
    wait_for_map(page)
    screenshots(page, "02-kukar")

    # Kukar -> Sebulu.
    page.get_by_test_id("children").get_by_role("link", name="Sebulu", exact=True).click()
    page.wait_for_url(f"{base}/regions/{demo.SEBULU}/")
    expect(page.locator("h1")).to_contain_text("Sebulu")
    wait_for_map(page)
    screenshots(page, "03-sebulu")

    # Sebulu -> its first desa: the TPS table.
    first_desa = page.get_by_test_id("children").locator("tbody a").first
    desa_name = first_desa.inner_text()
    first_desa.click()
    page.wait_for_url(re.compile(rf"{re.escape(base)}/regions/{re.escape(demo.SEBULU)}\.\d{{4}}/$"))
    desa_code = page.url.rstrip("/").rsplit("/", 1)[-1]
    expect(page.locator("h1")).to_contain_text(desa_name)
    n_tps = PollingStation.objects.filter(village_id=desa_code).count()
    assert n_tps >= 1, f"the demo gives every desa at least one TPS ({desa_code} has none)"
    tps_links = page.locator("table tbody a[href^='/regions/tps/']")
    expect(tps_links).to_have_count(min(n_tps, 50))
    wait_for_map(page)  # the TPS as circle markers
    screenshots(page, "04-desa")

    # Desa -> a TPS: DPT and the change history.
    tps = PollingStation.objects.filter(village_id=desa_code).order_by("number").first()
    assert tps is not None
    page.locator(f"table tbody a[href='/regions/tps/{tps.pk}/']").click()
    page.wait_for_url(f"{base}/regions/tps/{tps.pk}/")
    expect(page.locator("h1")).to_contain_text(f"TPS {tps.number}")
    expect(page.get_by_test_id("tps-dpt")).to_contain_text(f"{tps.dpt:,}".replace(",", "."))
    history = page.get_by_test_id("history")
    expect(history).to_be_visible()
    expect(history.locator("tbody tr")).not_to_have_count(0)
    expect(history).to_contain_text("tps.import")  # the demo's import is recorded
    wait_for_map(page)
    screenshots(page, "05-tps")

    page.context.close()
    assert problems.all() == {k: [] for k in problems.all()}


def test_kpu_operator_gets_every_problem_of_a_bad_tps_file(
    browser: Browser, live_server: Any, demo_data: dict[str, Any]
) -> None:
    """Scenario 2: kpu.kukar uploads a bad CSV; every row's problem is listed, nothing is written."""
    base = live_server.url
    desa = Region.objects.filter(level=Level.DESA, code__startswith=demo.SEBULU + ".").order_by("code").first()
    assert desa is not None
    before = PollingStation.objects.count()
    assert before > 0
    bad_csv = "\n".join(
        [
            "kode_desa,no_tps,dpt_l,dpt_p",
            "64.02.07.9999,901,100,100",  # row 2: unknown desa
            f"{desa.code},901,100,100",  # row 3: fine on its own
            f"{desa.code},901,120,110",  # row 4: same TPS number again
            f"{desa.code},902,400,300",  # row 5: DPT 700 > 600
        ]
    ).encode()

    page, problems = new_page(browser)
    log_in(page, base, "kpu.kukar")
    page.goto(f"{base}/regions/tps/import/")
    page.locator('input[type="file"]').set_input_files(
        files=[{"name": "tps-salah.csv", "mimeType": "text/csv", "buffer": bad_csv}]
    )
    page.locator("form", has=page.locator('input[type="file"]')).locator('button[type="submit"]').click()
    page.wait_for_load_state()

    errors = page.get_by_test_id("import-errors")
    expect(errors).to_be_visible()
    expect(errors.locator("h2")).to_contain_text("3")
    rows = errors.locator("tbody tr")
    expect(rows).to_have_count(3)
    got = [[c.strip() for c in r.locator("td").all_inner_texts()] for r in rows.all()]
    assert [(r[0], r[1]) for r in got] == [("2", "kode_desa"), ("4", "no_tps"), ("5", "dpt_l")], got
    assert "64.02.07.9999" in got[0][2]
    assert "901" in got[1][2] and "3" in got[1][2]  # the duplicate names the other row
    assert "700" in got[2][2] and "600" in got[2][2]
    assert PollingStation.objects.count() == before
    screenshots(page, "06-import-errors")

    page.context.close()
    assert problems.page_errors == [] and problems.csp == []
