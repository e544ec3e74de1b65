"""Hardening from the security probe: secrets, caching, two-factor for writers, log-in throttling,
password pages, idle sessions, SQLite under load and the split of runtime and development tools."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.models import ApiToken
from core.middleware import SESSION_REFRESH_SECONDS, client_ip
from core.models import AuditEntry
from tests.base import SinergiTestCase
from tests.fixtures import PASSWORD, make_reader

ROOT = Path(settings.BASE_DIR)


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter with the settings loaded from a clean environment plus ``env``."""
    base = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DEMO", "SECRET_KEY", "INSECURE_HTTP")}
    setup = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='sinergi.settings'; django.setup();"
    return subprocess.run(
        [sys.executable, "-c", setup + code], env={**base, **env}, capture_output=True, text=True, cwd=ROOT
    )


def login_post(client, username: str, password: str, address: str = "127.0.0.1", **extra: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/account/login/",
        {"login_view-current_step": "auth", "auth-username": username, "auth-password": password},
        REMOTE_ADDR=address,
        **extra,
    )


class SecretKeyTest(SinergiTestCase):
    def test_the_server_refuses_to_start_with_the_default_key_outside_debug_and_demo(self) -> None:
        out = run_python("print('started')")
        self.assertNotEqual(out.returncode, 0)
        self.assertIn("ImproperlyConfigured", out.stderr)
        self.assertIn("SECRET_KEY is not set", out.stderr)
        self.assertNotIn("started", out.stdout)

    def test_the_demo_and_a_real_key_start(self) -> None:
        self.assertEqual(run_python("print('started')", DEMO="1").stdout.strip(), "started")
        out = run_python("from django.conf import settings as s; print(s.SECRET_KEY)", SECRET_KEY="a-real-key-xyz")
        self.assertEqual(out.stdout.strip(), "a-real-key-xyz")


class MediaIsNotPublicTest(SinergiTestCase):
    def test_uploaded_files_have_no_public_url_even_in_make_run(self) -> None:
        code = (
            "from django.urls import resolve, Resolver404\n"
            "try:\n"
            "    resolve('/media/receipts/2024/11/receipt.jpg'); print('served')\n"
            "except Resolver404:\n"
            "    print('not served')\n"
        )
        out = run_python("exec(" + repr(code) + ")", DEBUG="1", DEMO="1")
        self.assertEqual(out.stdout.strip(), "not served", out.stderr)


class NoStoreTest(SinergiTestCase):
    def test_pages_seen_signed_in_are_not_kept_in_a_cache(self) -> None:
        self.client.force_login(self.kpu_operator)
        r = self.client.get("/regions/64.02/")
        self.assertEqual(r.status_code, 200)
        self.assertIn("no-store", r.headers["Cache-Control"])

    def test_exports_are_not_kept_in_a_cache(self) -> None:
        self.client.force_login(self.kpu_operator)
        r = self.client.get("/regions/tps/?export=csv")
        self.assertEqual(r.status_code, 200)
        self.assertIn("no-store", r.headers["Cache-Control"])

    def test_api_answers_are_not_kept_in_a_cache(self) -> None:
        _token, key = ApiToken.issue(self.kpu_operator, "script")
        r = self.client.get("/api/v1/regions/64.02", headers={"Authorization": f"Bearer {key}"})
        self.assertEqual(r.status_code, 200)
        self.assertIn("no-store", r.headers["Cache-Control"])
        self.assertIn("no-store", self.client.get("/api/v1/regions/64.02").headers["Cache-Control"])  # the 401

    def test_public_figures_keep_their_public_cache_header(self) -> None:
        self.client.force_login(self.kpu_operator)
        r = self.client.get("/api/v1/public/regions/64.02")
        self.assertEqual(r.status_code, 200)
        self.assertIn("public", r.headers["Cache-Control"])
        self.assertNotIn("no-store", r.headers["Cache-Control"])

    def test_anonymous_public_pages_may_be_cached(self) -> None:
        self.assertNotIn("no-store", self.client.get("/").headers.get("Cache-Control", ""))


def enable(test: SinergiTestCase, **values: object) -> None:
    """Turn on, for one test, what the suite's conftest turns off (it runs after class-level overrides)."""
    ctx = override_settings(**values)
    ctx.enable()
    test.addCleanup(ctx.disable)


class TwoFactorForWritersTest(SinergiTestCase):
    def setUp(self) -> None:
        super().setUp()
        enable(self, REQUIRE_2FA_FOR_WRITERS=True)

    def verified_login(self, user) -> None:  # type: ignore[no-untyped-def]
        device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
        self.client.force_login(user)
        session = self.client.session
        session["otp_device_id"] = device.persistent_id
        session.save()

    def test_an_admin_without_two_factor_gets_401_from_the_api(self) -> None:
        self.client.force_login(self.desk_admin)
        r = self.client.get("/api/v1/regions/64.02")
        self.assertEqual(r.status_code, 401)
        self.assertEqual(r.json()["detail"], "Autentikasi diperlukan.")

    def test_bawaslu_and_polri_write_their_supervision_and_escort_so_they_enrol_too(self) -> None:
        for user in (self.bawaslu_investigator, self.polres_officer):
            self.client.force_login(user)
            self.assertRedirects(
                self.client.get("/regions/64/"), "/account/two_factor/setup/", fetch_redirect_response=False
            )

    def test_an_operator_who_can_write_must_enrol_too(self) -> None:
        self.client.force_login(self.kpu_operator)
        self.assertRedirects(
            self.client.get("/regions/64/"), "/account/two_factor/setup/", fetch_redirect_response=False
        )
        self.assertEqual(self.client.get("/api/v1/regions/64.02").status_code, 401)

    def test_a_reader_who_cannot_write_needs_no_second_factor(self) -> None:
        self.client.force_login(make_reader())
        self.assertEqual(self.client.get("/regions/64/").status_code, 200)
        self.assertEqual(self.client.get("/api/v1/regions/64.02").status_code, 200)

    def test_a_writer_verified_by_a_second_factor_works_on_pages_and_api(self) -> None:
        self.verified_login(self.kpu_operator)
        self.assertEqual(self.client.get("/regions/64/").status_code, 200)
        self.assertEqual(self.client.get("/api/v1/regions/64.02").status_code, 200)

    def test_the_older_variable_name_still_switches_it(self) -> None:
        code = "from django.conf import settings as s; print(s.REQUIRE_2FA_FOR_WRITERS)"
        self.assertEqual(run_python(code, SECRET_KEY="k", REQUIRE_2FA_FOR_ADMINS="0").stdout.strip(), "False")
        self.assertEqual(run_python(code, SECRET_KEY="k").stdout.strip(), "True")
        self.assertEqual(run_python(code, DEMO="1").stdout.strip(), "False")


class LoginThrottleTest(SinergiTestCase):
    def setUp(self) -> None:
        super().setUp()
        enable(self, AXES_ENABLED=True, AXES_FAILURE_LIMIT=5)

    def test_guessing_one_users_password_from_many_addresses_locks_the_user(self) -> None:
        for i in range(5):
            login_post(self.client, "kpu_operator", "wrong-password", address=f"10.0.0.{i + 1}")
        r = login_post(self.client, "kpu_operator", PASSWORD, address="10.0.0.99")
        self.assertContains(r, "Akun dikunci sementara", status_code=429)
        self.assertContains(r, "Coba lagi dalam 30 menit atau minta admin desk", status_code=429)  # AXES_COOLOFF

    def test_spraying_one_password_over_many_users_locks_the_address(self) -> None:
        for name in ["desk_admin", "bawaslu_investigator", "polres_officer", "camat_sebulu", "nobody"]:
            login_post(self.client, name, "Pilkada2024!", address="10.9.9.9")
        r = login_post(self.client, "kpu_operator", PASSWORD, address="10.9.9.9")
        self.assertContains(r, "Akun dikunci sementara", status_code=429)
        # The official at another desk is not affected.
        self.assertEqual(login_post(self.client, "kpu_operator", PASSWORD, address="10.1.1.1").status_code, 302)

    def test_without_trusted_proxies_a_forged_forwarded_header_is_ignored(self) -> None:
        request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="10.0.0.1")
        self.assertEqual(client_ip(request), "203.0.113.7")

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_one_proxy_the_address_it_saw_counts_not_what_the_client_wrote(self) -> None:
        factory = RequestFactory()
        honest = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.4")
        self.assertEqual(client_ip(honest), "198.51.100.4")
        forged = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.1, 198.51.100.4")
        self.assertEqual(client_ip(forged), "198.51.100.4")
        direct = factory.get("/", REMOTE_ADDR="127.0.0.1")
        self.assertEqual(client_ip(direct), "127.0.0.1")

    @override_settings(TRUSTED_PROXY_COUNT=1)
    def test_behind_a_proxy_one_attacker_cannot_lock_out_everyone_behind_it(self) -> None:
        for i in range(5):
            login_post(self.client, f"guess{i}", "x", HTTP_X_FORWARDED_FOR="198.51.100.4")
        attacker = login_post(self.client, "kpu_operator", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.4")
        self.assertEqual(attacker.status_code, 429)
        other = login_post(self.client, "kpu_operator", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.5")
        self.assertEqual(other.status_code, 302)

    def test_the_desk_admin_unlocks_a_locked_user_and_it_is_audited(self) -> None:
        for i in range(5):
            login_post(self.client, "kpu_operator", "wrong-password", address=f"10.0.0.{i + 1}")
        admin = self.client_class()
        admin.force_login(self.desk_admin)
        AccessAttempt.objects.filter(username="kpu_operator").update(
            attempt_time=dt.datetime(2024, 11, 18, 6, 30, tzinfo=dt.UTC)
        )
        page = admin.get("/lockouts/")
        self.assertContains(page, "kpu_operator")
        self.assertContains(page, "<td>18 November 2024 14.30 WITA</td>")
        self.assertContains(page, "Buka kunci")
        r = admin.post("/lockouts/unlock", {"username": "kpu_operator"}, follow=True)
        self.assertContains(r, "kpu_operator boleh masuk lagi.")
        self.assertFalse(AccessAttempt.objects.filter(username="kpu_operator").exists())
        entry = AuditEntry.objects.get(action="account.unlock")
        self.assertEqual(entry.actor, self.desk_admin)
        self.assertEqual(entry.object_id, str(self.kpu_operator.pk))
        self.assertEqual(login_post(self.client, "kpu_operator", PASSWORD, address="10.0.0.1").status_code, 302)

    def test_unlocking_a_name_with_no_failures_says_so_and_writes_nothing(self) -> None:
        admin = self.client_class()
        admin.force_login(self.desk_admin)
        r = admin.post("/lockouts/unlock", {"username": "kpu_operator"}, follow=True)
        self.assertContains(r, "Tidak ada percobaan masuk gagal yang tercatat untuk nama pengguna ini.")
        self.assertFalse(AuditEntry.objects.filter(action="account.unlock").exists())

    def test_only_desk_admins_unlock(self) -> None:
        for i in range(5):
            login_post(self.client, "polres_officer", "wrong-password", address=f"10.0.0.{i + 1}")
        other = self.client_class()
        other.force_login(self.kpu_operator)
        self.assertEqual(other.post("/lockouts/unlock", {"username": "polres_officer"}).status_code, 403)
        self.assertTrue(AccessAttempt.objects.filter(username="polres_officer").exists())


class PasswordPagesTest(SinergiTestCase):
    def test_a_user_changes_their_password_in_indonesian(self) -> None:
        self.client.force_login(self.kpu_operator)
        page = self.client.get("/account/password/change/")
        self.assertContains(page, "<h1>Ganti sandi</h1>", html=False)
        self.assertContains(page, 'class="topbar"')  # the shell, not the admin's look
        r = self.client.post(
            "/account/password/change/",
            {"old_password": PASSWORD, "new_password1": "Kukar-baru-2024!", "new_password2": "Kukar-baru-2024!"},
        )
        self.assertRedirects(r, "/account/password/change/done/")
        self.kpu_operator.refresh_from_db()
        self.assertTrue(self.kpu_operator.check_password("Kukar-baru-2024!"))

    def test_a_wrong_old_password_is_refused_and_nothing_changes(self) -> None:
        self.client.force_login(self.kpu_operator)
        r = self.client.post(
            "/account/password/change/",
            {"old_password": "wrong", "new_password1": "Kukar-baru-2024!", "new_password2": "Kukar-baru-2024!"},
        )
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Sandi lama Anda yang dimasukkan salah")
        self.kpu_operator.refresh_from_db()
        self.assertTrue(self.kpu_operator.check_password(PASSWORD))

    def test_a_forgotten_password_is_reset_through_a_mailed_link(self) -> None:
        self.kpu_operator.email = "operator@kpu-kukar.go.id"
        self.kpu_operator.save()
        self.assertContains(self.client.get("/account/password/reset/"), "<h1>Setel kembali sandi</h1>")
        r = self.client.post("/account/password/reset/", {"email": "operator@kpu-kukar.go.id"})
        self.assertRedirects(r, "/account/password/reset/sent/")
        self.assertEqual(len(mail.outbox), 1)
        link = re.search(r"http://testserver(/account/password/reset/\S+/)", str(mail.outbox[0].body))
        assert link is not None
        form = self.client.get(link.group(1), follow=True)
        self.assertContains(form, "<h1>Tetapkan sandi baru</h1>")
        r = self.client.post(
            form.redirect_chain[-1][0], {"new_password1": "Kukar-baru-2024!", "new_password2": "Kukar-baru-2024!"}
        )
        self.assertRedirects(r, "/account/password/reset/done/")
        self.kpu_operator.refresh_from_db()
        self.assertTrue(self.kpu_operator.check_password("Kukar-baru-2024!"))

    def test_a_bad_reset_link_says_so(self) -> None:
        self.assertContains(self.client.get("/account/password/reset/MQ/bad-token/"), "Tautan ini tidak berlaku")


class IdleSessionTest(SinergiTestCase):
    def test_a_session_lasts_a_working_day(self) -> None:
        self.assertGreaterEqual(settings.SESSION_COOKIE_AGE, 8 * 3600)
        self.assertLessEqual(settings.SESSION_COOKIE_AGE, 10 * 3600)

    def stored(self) -> Session:
        return Session.objects.get(session_key=self.client.session.session_key)

    def test_working_pushes_the_expiry_forward(self) -> None:
        self.client.force_login(self.kpu_operator)
        Session.objects.filter(pk=self.stored().pk).update(expire_date=timezone.now() + dt.timedelta(hours=1))
        later = time.time() + SESSION_REFRESH_SECONDS + 1  # the user keeps working after the log-in
        with mock.patch("core.middleware.time.time", return_value=later):
            self.assertEqual(self.client.get("/regions/64/").status_code, 200)
        self.assertGreater(self.stored().expire_date, timezone.now() + dt.timedelta(hours=8))

    def test_the_first_requests_after_log_in_write_no_session(self) -> None:
        self.client.force_login(self.kpu_operator)
        with CaptureQueriesContext(connection) as queries:
            self.client.get("/regions/64/")
        self.assertFalse([q for q in queries if "django_session" in q["sql"] and q["sql"].startswith("UPDATE")])

    def test_the_expiry_is_not_rewritten_on_every_request(self) -> None:
        self.client.force_login(self.kpu_operator)
        self.client.get("/regions/64/")
        soon = timezone.now() + dt.timedelta(hours=1)
        Session.objects.filter(pk=self.stored().pk).update(expire_date=soon)
        self.client.get("/regions/64/")
        self.assertEqual(self.stored().expire_date, soon)


class SqliteUnderLoadTest(SinergiTestCase):
    def test_token_calls_write_last_used_at_most_every_quarter_hour(self) -> None:
        token, key = ApiToken.issue(self.kpu_operator, "script")
        auth = {"Authorization": f"Bearer {key}"}
        self.client.get("/api/v1/regions/64.02", headers=auth)
        first = ApiToken.objects.get(pk=token.pk).last_used_at
        self.assertIsNotNone(first)
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.client.get("/api/v1/regions/64.02", headers=auth).status_code, 200)
        self.assertFalse([q for q in queries if q["sql"].startswith("UPDATE")], "a read with a token writes nothing")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - dt.timedelta(minutes=16))
        self.client.get("/api/v1/regions/64.02", headers=auth)
        renewed = ApiToken.objects.get(pk=token.pk).last_used_at
        assert renewed is not None
        self.assertGreater(renewed, timezone.now() - dt.timedelta(minutes=1))

    def test_the_sqlite_database_uses_wal_and_waits_for_the_write_lock(self) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            code = (
                "from django.db import connection; c = connection.cursor();"
                "print(c.execute('PRAGMA journal_mode').fetchone()[0], c.execute('PRAGMA busy_timeout').fetchone()[0])"
            )
            out = run_python(code, SECRET_KEY="k", DATABASE_URL=f"sqlite:///{tmp}/db.sqlite3")
        mode, timeout = out.stdout.split()
        self.assertEqual(mode, "wal")
        self.assertGreaterEqual(int(timeout), 5000)


class DependencySetsTest(SinergiTestCase):
    def pins(self, name: str) -> set[str]:
        return {
            line.split("==")[0] for line in (ROOT / name).read_text().splitlines() if "==" in line and line[0] != "#"
        }

    def test_the_server_installs_no_test_or_lint_tools(self) -> None:
        runtime, dev = self.pins("requirements.lock"), self.pins("requirements-dev.lock")
        for tool in ["pytest", "pytest-django", "playwright", "ruff", "mypy", "import-linter", "django-stubs"]:
            self.assertNotIn(tool, runtime)
            self.assertIn(tool, dev)
        self.assertLessEqual(runtime, dev, "the development set includes the runtime set")
        makefile = (ROOT / "Makefile").read_text()
        self.assertIn("-r requirements.lock", makefile)
        self.assertIn("-r requirements-dev.lock", makefile)
        self.assertRegex(makefile, r"\nmigrate: install-runtime\n", "make run installs only the runtime set")
        self.assertRegex(makefile, r"\nlint: install\n")
        self.assertRegex(makefile, r"\ninstall: \$\(DEV_STAMP\)\n", "CI's make install gets the tools")
