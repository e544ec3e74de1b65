"""The shell every page shares: the log-in page's messages, the navigation, the error pages and the
two-factor pages, as the personas see them (in Bahasa Indonesia by default)."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from unittest import mock

from django.conf import settings

from tests.base import SinergiTestCase
from tests.fixtures import PASSWORD

ROOT = Path(settings.BASE_DIR)


def login_post(client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/account/login/",
        {"login_view-current_step": "auth", "auth-username": username, "auth-password": password},
    )


class LoginErrorTest(SinergiTestCase):
    def test_a_wrong_password_reads_as_one_clear_sentence(self) -> None:
        r = login_post(self.client, "kpu_operator", "not-" + PASSWORD)
        self.assertEqual(r.status_code, 200)
        errors = r.context["wizard"]["form"].non_field_errors()
        self.assertEqual(
            list(errors),
            [
                "Masukkan nama pengguna dan kata sandi yang benar. "
                "Perhatikan bahwa huruf besar dan kecil pada keduanya dibedakan."
            ],
        )
        self.assertNotContains(r, "nama pengguna nama pengguna")


class DeskAdminNavigationTest(SinergiTestCase):
    def nav_links(self, user) -> list[str]:  # type: ignore[no-untyped-def]
        self.client.force_login(user)
        r = self.client.get("/")
        return [url for _label, url in r.context["NAV"]]

    def test_a_desk_admin_finds_background_jobs_and_locked_accounts_in_the_menu(self) -> None:
        self.client.force_login(self.desk_admin)
        r = self.client.get("/")
        self.assertContains(r, '<a href="/jobs/">Pekerjaan latar</a>', html=True)
        self.assertContains(r, '<a href="/lockouts/">Akun terkunci</a>', html=True)

    def test_other_personas_are_not_offered_the_desk_admins_pages(self) -> None:
        for name in ("kpu_operator", "bawaslu_investigator", "polres_officer", "camat_sebulu"):
            with self.subTest(name):
                links = self.nav_links(self.personas[name])
                self.assertNotIn("/jobs/", links)
                self.assertNotIn("/lockouts/", links)
                self.assertEqual(self.client.get("/jobs/").status_code, 403)  # the menu follows the page's check

    def test_anonymous_visitors_get_no_menu_entries(self) -> None:
        r = self.client.get("/")
        self.assertNotContains(r, 'href="/jobs/"')
        self.assertNotContains(r, 'href="/lockouts/"')


class ErrorPagesTest(SinergiTestCase):
    """Outside DEBUG (the tests, production and make run) errors show the shell's page, never Django's."""

    def assertShellErrorPage(self, r, status: int, heading: str) -> None:  # type: ignore[no-untyped-def]
        self.assertEqual(r.status_code, status)
        self.assertTemplateUsed(r, "core/error.html")
        self.assertTemplateUsed(r, "base.html")  # the shell: menu, account, footer
        self.assertContains(r, f"<h1>{heading}</h1>", html=True, status_code=status)
        self.assertContains(r, "Kembali ke beranda", status_code=status)
        body = r.content.decode()
        for technical in ("URLconf", "Traceback", "technical", "DEBUG = True", "Request Method"):
            self.assertNotIn(technical, body)

    def test_a_camat_following_a_link_out_of_their_area_gets_the_shells_404(self) -> None:
        self.client.force_login(self.camat_sebulu)
        r = self.client.get(f"/regions/tps/{self.tps_samarinda.pk}/")
        self.assertShellErrorPage(r, 404, "Halaman tidak ditemukan")
        self.assertContains(r, 'href="/regions/64.02.07/"', status_code=404)  # their menu stays

    def test_an_unknown_address_gets_the_shells_404(self) -> None:
        self.client.force_login(self.camat_sebulu)
        self.assertShellErrorPage(self.client.get("/no-such-page/"), 404, "Halaman tidak ditemukan")

    def test_a_camat_opening_a_page_they_may_not_use_gets_the_shells_403_with_the_reason(self) -> None:
        self.client.force_login(self.camat_sebulu)
        r = self.client.get(f"/regions/tps/{self.tps_sebulu.pk}/edit/")
        self.assertShellErrorPage(r, 403, "Akses ditolak")
        self.assertContains(r, "Anda dapat melihat data ini, tetapi tidak dapat mengubahnya.", status_code=403)

    def test_a_crash_gets_the_shells_500_without_a_trace(self) -> None:
        self.client.force_login(self.camat_sebulu)
        self.client.raise_request_exception = False
        with mock.patch("core.views.my_tasks", side_effect=RuntimeError("secret detail of the crash")):
            r = self.client.get("/")
        self.assertShellErrorPage(r, 500, "Terjadi kesalahan")
        self.assertNotContains(r, "secret detail", status_code=500)


def make_run_command() -> list[str]:
    """The command make run starts the server with, as make prints it (nothing is run)."""
    out = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    serve = [line for line in out.splitlines() if "manage.py serve" in line]
    assert len(serve) == 1, out
    return shlex.split(serve[0])


class MakeRunTest(SinergiTestCase):
    def test_make_run_does_not_turn_on_debug(self) -> None:
        words = make_run_command()
        self.assertFalse([w for w in words if w.startswith("DEBUG=")], words)

    def test_the_demo_as_make_run_starts_it_serves_static_files_and_the_shells_404_over_plain_http(self) -> None:
        # The settings in make run's environment: DEMO=1 (exported by the Makefile) plus whatever the
        # serve line sets itself; one request through the whole middleware stack for each check.
        words = make_run_command()
        assigned = dict(w.split("=", 1) for w in words[: words.index(next(w for w in words if "=" not in w))])
        code = (
            "import django, json, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'sinergi.settings'; django.setup()\n"
            "from django.conf import settings as s\n"
            "from django.test import Client\n"
            "c = Client()\n"
            "css = c.get('/static/core/sinergi.css')\n"
            "missing = c.get('/no-such-page/')\n"
            "photo = c.get('/media/receipts/2024/11/receipt.jpg')\n"
            "print(json.dumps({'debug': s.DEBUG, 'ssl_redirect': s.SECURE_SSL_REDIRECT,\n"
            "    'secure_cookie': s.SESSION_COOKIE_SECURE, 'css': css.status_code,\n"
            "    'css_type': css.get('Content-Type', ''), 'missing': missing.status_code,\n"
            "    'missing_page': missing.content.decode(), 'photo': photo.status_code}))\n"
        )
        keep = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DEMO", "SECRET_KEY", "INSECURE_HTTP")}
        with tempfile.TemporaryDirectory() as data:
            env = {**keep, "DEMO": "1", **assigned, "SINERGI_DATA_DIR": data}
            out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        got = json.loads(out.stdout.strip().splitlines()[-1])
        self.assertFalse(got["debug"])
        # Plain HTTP on this machine: no redirect to HTTPS, and cookies a browser sends back over HTTP.
        self.assertFalse(got["ssl_redirect"])
        self.assertFalse(got["secure_cookie"])
        self.assertEqual((got["css"], got["css_type"].split(";")[0]), (200, "text/css"))
        self.assertEqual(got["missing"], 404)
        self.assertIn("Halaman tidak ditemukan", got["missing_page"])
        self.assertNotIn("URLconf", got["missing_page"])
        self.assertEqual(got["photo"], 404)  # uploads stay behind their scoped views
