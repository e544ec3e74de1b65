"""Security basics: lockout, two-factor for admins, CSP, no stack traces, secure settings."""

from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings
from django.test import override_settings

from tests.base import SinergiTestCase
from tests.fixtures import PASSWORD, make_reader


def login_post(client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/account/login/",
        {"login_view-current_step": "auth", "auth-username": username, "auth-password": password},
    )


class LoginTest(SinergiTestCase):
    def test_a_persona_logs_in_through_the_login_form(self) -> None:
        r = login_post(self.client, "kpu_operator", PASSWORD)
        self.assertEqual(r.status_code, 302)
        self.assertEqual(self.client.get("/regions/tps/").status_code, 200)

    @override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5)
    def test_repeated_failures_lock_the_account(self) -> None:
        for _ in range(5):
            r = login_post(self.client, "kpu_operator", "wrong-password")
        r = login_post(self.client, "kpu_operator", PASSWORD)
        self.assertEqual(r.status_code, 429)
        self.assertContains(r, "Akun dikunci sementara", status_code=429)
        self.assertEqual(self.client.get("/regions/tps/").status_code, 302)

    @override_settings(REQUIRE_2FA_FOR_WRITERS=True)
    def test_admins_must_set_up_two_factor_outside_the_demo(self) -> None:
        self.client.force_login(self.desk_admin)
        r = self.client.get("/regions/64/")
        self.assertRedirects(r, "/account/two_factor/setup/", fetch_redirect_response=False)
        self.client.force_login(make_reader())  # reads only: no second factor needed
        self.assertEqual(self.client.get("/regions/64/").status_code, 200)

    def test_two_factor_is_available_to_everyone(self) -> None:
        self.client.force_login(self.kpu_operator)
        self.assertEqual(self.client.get("/account/two_factor/setup/").status_code, 200)


class HeadersTest(SinergiTestCase):
    def test_pages_carry_a_csp_without_unsafe_inline(self) -> None:
        r = self.client.get("/")
        csp = r.headers["Content-Security-Policy"]
        self.assertIn("script-src 'self'", csp)
        self.assertNotIn("unsafe-inline", csp)
        self.assertNotIn("<script>", r.content.decode())
        self.assertNotIn(" style=", r.content.decode())

    def test_a_missing_page_shows_a_friendly_message_and_no_trace(self) -> None:
        self.client.force_login(self.kpu_operator)
        r = self.client.get("/regions/tps/999999/")
        self.assertEqual(r.status_code, 404)
        self.assertContains(r, "Halaman tidak ditemukan", status_code=404)
        self.assertNotIn("Traceback", r.content.decode())

    def test_tests_do_not_run_in_debug(self) -> None:
        self.assertFalse(settings.DEBUG)

    def test_production_settings_are_secure(self) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DEMO", "INSECURE_HTTP")}
        code = (
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='sinergi.settings'; django.setup();"
            "from django.conf import settings as s;"
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0, s.REQUIRE_2FA_FOR_WRITERS)"
        )
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        self.assertEqual(out.stdout.split(), ["True", "True", "True", "True"])
