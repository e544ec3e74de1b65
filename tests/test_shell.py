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
