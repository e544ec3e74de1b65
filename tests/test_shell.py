"""The shell every page shares: the log-in page's messages, the navigation, the error pages and the
two-factor pages, as the personas see them (in Bahasa Indonesia by default)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path
from unittest import mock

from django.conf import settings
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

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
            "from django.core.management import call_command\n"
            "from django.test import Client\n"
            "call_command('migrate', verbosity=0)  # as make run does before serving\n"
            "c = Client()\n"
            "css = c.get('/static/core/sinergi.css')\n"
            "missing = c.get('/no-such-page/')\n"
            "photo = c.get('/media/receipts/2024/11/receipt.jpg')\n"
            "print(json.dumps({'debug': s.DEBUG, 'ssl_redirect': s.SECURE_SSL_REDIRECT,\n"
            "    'secure_cookie': s.SESSION_COOKIE_SECURE, 'css': css.status_code,\n"
            "    'css_type': css.get('Content-Type', ''), 'missing': missing.status_code,\n"
            "    'missing_page': missing.content.decode(), 'photo': photo.status_code}))\n"
        )
        # No DATABASE_URL: the demo's own SQLite in a throwaway data dir, never the database the
        # suite was pointed at (whose real, non-test database this migrate would otherwise touch).
        unset = ("DEBUG", "DEMO", "SECRET_KEY", "INSECURE_HTTP", "DATABASE_URL")
        keep = {k: v for k, v in os.environ.items() if k not in unset}
        with tempfile.TemporaryDirectory() as data:
            env = {**keep, "DEMO": "1", **assigned, "SINERGI_DATA_DIR": data}
            out = subprocess.run(
                [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
            )
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


# The package's English headings, buttons and labels; none may show on the pages it serves us.
PACKAGE_ENGLISH = [
    "Account Security",
    "Enable Two-Factor Authentication",
    "Disable Two-factor Authentication",
    "Backup Tokens",
    "Generate Tokens",
    "Back to Account Security",
    "Show Codes",
    "Token generator",
    "TOTP Secret",
    "Congratulations",
    "Entered token is not valid",
    "Invalid token",
    "Yes, I am sure",
    ">Token",
    "backup tokens",
    "authentication",
]


def current_code(b32key: str) -> str:
    """The code an authenticator app would show now for the key the set-up page gave."""
    from base64 import b32decode

    totp = TOTP(b32decode(b32key))
    return f"{totp.token():06d}"


class TwoStepVerificationTest(SinergiTestCase):
    """django-two-factor-auth's pages in the shell and in Bahasa Indonesia ("Verifikasi dua langkah")."""

    def assertIndonesian(self, r, *expected: str) -> None:  # type: ignore[no-untyped-def]
        self.assertEqual(r.status_code, 200)
        self.assertTemplateUsed(r, "base.html")
        for text in expected:
            self.assertContains(r, text)
        main = r.content.decode().split("<main>", 1)[1].split("</main>", 1)[0]
        for english in PACKAGE_ENGLISH:
            self.assertNotIn(english.lower(), main.lower(), f"untranslated package text {english!r}")

    def set_up_step(self, data: dict[str, str]):  # type: ignore[no-untyped-def]
        return self.client.post("/account/two_factor/setup/", data)

    def test_a_signed_in_users_menu_links_to_two_step_verification(self) -> None:
        self.client.force_login(self.camat_sebulu)
        r = self.client.get("/")
        self.assertContains(r, '<a href="/account/two_factor/">Verifikasi dua langkah</a>', html=True)
        self.client.logout()
        self.assertNotContains(self.client.get("/"), 'href="/account/two_factor/"')

    def test_the_profile_page_without_a_device_offers_to_turn_it_on(self) -> None:
        self.client.force_login(self.kpu_operator)
        r = self.client.get("/account/two_factor/")
        self.assertIndonesian(
            r, "<h1>Verifikasi dua langkah</h1>", "Verifikasi dua langkah belum aktif untuk akun Anda."
        )
        self.assertContains(
            r, '<a class="btn" href="/account/two_factor/setup/">Aktifkan verifikasi dua langkah</a>', html=True
        )

    def test_an_operator_turns_it_on_and_prints_backup_codes_all_in_indonesian(self) -> None:
        self.client.force_login(self.kpu_operator)
        r = self.client.get("/account/two_factor/setup/")
        self.assertIndonesian(r, "<h1>Aktifkan verifikasi dua langkah</h1>", "aplikasi autentikator di ponsel Anda")

        r = self.set_up_step({"setup_view-current_step": "welcome"})
        self.assertIndonesian(
            r,
            "Pindai kode QR ini dengan aplikasi autentikator di ponsel Anda:",
            'alt="Kode QR untuk aplikasi autentikator Anda"',
            "Lalu masukkan kode 6 digit yang ditampilkan aplikasi.",
        )
        self.assertContains(r, '<label for="id_generator-token">Kode:</label>', html=True)
        key = r.context["secret_key"]

        wrong = self.set_up_step({"setup_view-current_step": "generator", "generator-token": "1"})
        self.assertIndonesian(wrong, "Kode yang dimasukkan tidak valid.")

        done = self.set_up_step({"setup_view-current_step": "generator", "generator-token": current_code(key)})
        self.assertRedirects(done, "/account/two_factor/setup/complete/", fetch_redirect_response=False)
        self.assertTrue(TOTPDevice.objects.filter(user=self.kpu_operator, confirmed=True).exists())
        r = self.client.get("/account/two_factor/setup/complete/")
        self.assertIndonesian(r, "<h1>Verifikasi dua langkah aktif</h1>", "Tampilkan kode cadangan")

        r = self.client.get("/account/two_factor/backup/tokens/")
        self.assertIndonesian(r, "<h1>Kode cadangan</h1>", "Anda belum punya kode cadangan.", "Buat kode baru")
        r = self.client.post("/account/two_factor/backup/tokens/", follow=True)
        self.assertIndonesian(r, "Cetak kode-kode ini dan simpan di tempat yang aman.")
        shown = re.findall(r'<li><code class="key">(\w+)</code></li>', r.content.decode())
        stored = StaticToken.objects.filter(device__user=self.kpu_operator).values_list("token", flat=True)
        self.assertEqual(len(shown), 10)
        self.assertEqual(sorted(shown), sorted(stored))

        r = self.client.get("/account/two_factor/")
        self.assertIndonesian(
            r,
            "Verifikasi dua langkah aktif: saat masuk Anda diminta kode dari aplikasi autentikator.",
            "Sisa kode cadangan Anda: 10.",
            "<h2>Matikan verifikasi dua langkah</h2>",
        )
        r = self.client.get("/account/two_factor/disable/")
        self.assertIndonesian(r, "<h1>Matikan verifikasi dua langkah</h1>", "Ya, saya yakin", "Anda yakin?")

    def test_the_log_in_asks_for_the_code_in_indonesian(self) -> None:
        TOTPDevice.objects.create(user=self.kpu_operator, name="default", confirmed=True)
        r = login_post(self.client, "kpu_operator", PASSWORD)
        self.assertIndonesian(r, "Masukkan kode 6 digit dari aplikasi autentikator Anda.")
        self.assertContains(r, '<label for="id_token-otp_token">Kode:</label>', html=True)
        r = self.client.post("/account/login/", {"login_view-current_step": "token", "token-otp_token": "000000"})
        self.assertIndonesian(r, "Kode salah. Pastikan Anda memasukkannya dengan benar.")
