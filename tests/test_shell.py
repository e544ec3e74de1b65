"""The shell every page shares: the log-in page's messages, the navigation, the error pages and the
two-factor pages, as the personas see them (in Bahasa Indonesia by default)."""

from __future__ import annotations

from tests.base import SinergiTestCase
from tests.fixtures import PASSWORD


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
