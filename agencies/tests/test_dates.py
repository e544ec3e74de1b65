"""The API token page writes its dates out, its last use in WITA (the server's zone)."""

from __future__ import annotations

import datetime as dt

from agencies.models import ApiToken
from tests.base import SinergiTestCase


class TokenDatesTest(SinergiTestCase):
    def test_the_token_page_writes_when_a_token_was_made_used_and_revoked(self) -> None:
        live, _key = ApiToken.issue(self.kpu_operator, "Laporan harian")
        old, _key = ApiToken.issue(self.kpu_operator, "Skrip lama")
        ApiToken.objects.filter(pk=live.pk).update(
            created_at=dt.datetime(2024, 8, 1, 2, 0, tzinfo=dt.UTC),
            last_used_at=dt.datetime(2024, 11, 18, 6, 30, tzinfo=dt.UTC),
        )
        ApiToken.objects.filter(pk=old.pk).update(revoked_at=dt.datetime(2024, 11, 17, 16, 30, tzinfo=dt.UTC))
        self.client.force_login(self.kpu_operator)
        page = self.client.get("/agencies/tokens/")
        self.assertContains(page, "<td>1 Agustus 2024</td><td>18 November 2024 14.30 WITA</td>")
        self.assertContains(page, "dicabut 18 November 2024")  # 00.30 on the 18th in Kaltim
        self.assertContains(page, "<td>—</td>")  # never used
