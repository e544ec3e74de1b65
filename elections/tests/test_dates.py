"""Election pages write dates out ("27 November 2024") and name the election's time zone."""

from __future__ import annotations

import datetime as dt

from elections.actions import TIMEZONES
from elections.forms import ElectionForm
from elections.models import Election
from tests.base import SinergiTestCase


class ElectionDatesTest(SinergiTestCase):
    def test_the_election_page_writes_the_voting_day_out_and_names_the_zone(self) -> None:
        self.client.force_login(self.bawaslu_investigator)
        page = self.client.get(f"/elections/{self.election.pk}/")
        self.assertContains(page, "Hari pemungutan suara 27 November 2024 · ")
        self.assertContains(page, '<span data-testid="zone">WITA (Asia/Makassar)</span>')
        self.assertContains(page, '<span class="dates">25 September 2024 – 23 November 2024</span>')

    def test_the_home_countdown_writes_the_voting_day_and_today_out(self) -> None:
        page = self.client.get("/")
        self.assertContains(page, "Hari pemungutan suara: 27 November 2024 · hari ini 18 November 2024 (H-9)")

    def test_the_election_list_in_english_uses_english_month_names(self) -> None:
        Election.objects.filter(pk=self.election.pk).update(voting_date=dt.date(2029, 8, 29))
        self.client.force_login(self.bawaslu_investigator)
        self.assertContains(self.client.get("/elections/"), " · 29 Agustus 2029 · ")
        self.client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        self.assertContains(self.client.get("/elections/"), " · 29 August 2029 · ")

    def test_an_election_in_papua_is_named_wit(self) -> None:
        Election.objects.filter(pk=self.election.pk).update(timezone="Asia/Jayapura")
        self.client.force_login(self.bawaslu_investigator)
        page = self.client.get(f"/elections/{self.election.pk}/")
        self.assertContains(page, '<span data-testid="zone">WIT (Asia/Jayapura)</span>')

    def test_the_form_offers_the_three_zones_by_their_names(self) -> None:
        self.assertEqual(TIMEZONES, ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"))
        self.assertEqual(
            ElectionForm().fields["timezone"].choices,  # type: ignore[attr-defined]
            [
                ("Asia/Jakarta", "WIB (Asia/Jakarta)"),
                ("Asia/Makassar", "WITA (Asia/Makassar)"),
                ("Asia/Jayapura", "WIT (Asia/Jayapura)"),
            ],
        )
