from __future__ import annotations

import datetime as dt
from typing import Any

from core import audit
from core.models import AuditEntry
from tests.base import SinergiTestCase


def tile(response: Any, name: str) -> dict[str, Any]:
    return {t["name"]: t["data"] for t in response.context["tiles"]}[name]


class HomePageTest(SinergiTestCase):
    def test_it_counts_down_to_voting_day_from_the_demo_today(self) -> None:
        r = self.client.get("/")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(tile(r, "elections.countdown")["days"], 9)

    def test_it_shows_the_current_stage(self) -> None:
        r = self.client.get("/")
        self.assertEqual(tile(r, "elections.countdown")["stage"].name, "Kampanye")
        self.assertContains(r, "Kampanye")

    def test_it_speaks_indonesian_by_default(self) -> None:
        r = self.client.get("/")
        self.assertContains(r, 'lang="id"')

    def test_the_camat_of_sebulu_sees_the_contests_of_their_area_only(self) -> None:
        self.client.force_login(self.camat_sebulu)
        r = self.client.get("/")
        self.assertContains(r, "Bupati Kukar 2024")
        self.assertNotContains(r, "Walikota Samarinda 2024")

    def test_the_public_sees_every_contest_on_the_ballot(self) -> None:
        r = self.client.get("/")
        self.assertContains(r, "Walikota Samarinda 2024")

    def test_a_logged_in_user_starts_with_their_tasks(self) -> None:
        self.client.force_login(self.camat_sebulu)
        r = self.client.get("/")
        self.assertContains(r, 'data-testid="my-tasks"')
        self.assertContains(r, "Tidak ada yang perlu Anda kerjakan saat ini.")

    def test_navigation_lists_what_the_user_may_view_starting_at_their_region(self) -> None:
        self.client.force_login(self.camat_sebulu)
        r = self.client.get("/")
        self.assertContains(r, 'href="/regions/64.02.07/"')
        self.assertContains(r, 'href="/logistics/64.02.07/"')

    def test_the_public_gets_no_navigation_into_the_desk(self) -> None:
        r = self.client.get("/")
        self.assertNotContains(r, 'href="/regions/64/"', html=False)
        self.assertEqual(r.context["NAV"], [])


class AuditFeedTest(SinergiTestCase):
    def test_a_user_sees_the_changes_of_their_area_and_capabilities_only(self) -> None:
        audit.record(self.personas["kpu_operator"], "tps.update", self.tps_sebulu, {"address": ["a", "b"]})
        audit.record(None, "tps.update", self.tps_samarinda, {"address": ["a", "b"]})
        entry = AuditEntry.objects.get(object_id=str(self.tps_sebulu.pk))
        self.assertEqual((entry.capability, entry.region_code), ("regions", "64.02.07.2001"))
        self.client.force_login(self.camat_sebulu)
        r = self.client.get("/audit/")
        self.assertEqual([e.object_id for e in r.context["entries"]], [str(self.tps_sebulu.pk)])

    def test_the_actor_name_survives_the_deletion_of_the_account(self) -> None:
        user = self.personas["kpu_operator"]
        audit.record(user, "tps.update", self.tps_sebulu, {"address": ["a", "b"]})
        user.delete()
        entry = AuditEntry.objects.get(object_id=str(self.tps_sebulu.pk))
        self.assertIsNone(entry.actor)
        self.assertEqual(entry.actor_name, "kpu_operator")

    def test_changes_are_dated_in_the_servers_zone_here_and_in_a_records_history(self) -> None:
        audit.record(self.personas["kpu_operator"], "tps.update", self.tps_sebulu, {"address": ["a", "b"]})
        AuditEntry.objects.update(at=dt.datetime(2024, 11, 18, 6, 30, tzinfo=dt.UTC))
        self.client.force_login(self.camat_sebulu)
        self.assertContains(self.client.get("/audit/"), "<td>18 November 2024 14.30 WITA</td>")
        history = self.client.get(f"/regions/tps/{self.tps_sebulu.pk}/")
        self.assertContains(history, "<tr><td>18 November 2024 14.30 WITA</td><td>kpu_operator</td>")

    def test_the_public_cannot_read_the_audit_log(self) -> None:
        self.assertEqual(self.client.get("/audit/").status_code, 302)

    def test_one_change_shows_its_old_and_new_values_to_those_of_its_area(self) -> None:
        entry = audit.record(None, "tps.update", self.tps_sebulu, {"dpt_male": [200, 215]})
        self.client.force_login(self.camat_sebulu)
        r = self.client.get(f"/audit/{entry.pk}/")
        self.assertContains(r, "<td>dpt_male</td><td>200</td><td>215</td>", html=True)
        elsewhere = audit.record(None, "tps.update", self.tps_samarinda, {"dpt_male": [1, 2]})
        self.assertEqual(self.client.get(f"/audit/{elsewhere.pk}/").status_code, 404)

    def test_whoever_made_a_change_reads_it_even_outside_their_area(self) -> None:
        # a TPS import is recorded on the province-wide election, beyond KPU Kukar's area
        entry = audit.record(self.kpu_operator, "tps.import", self.election, {"created": [None, 3]})
        self.client.force_login(self.kpu_operator)
        self.assertContains(self.client.get(f"/audit/{entry.pk}/"), "tps.import")
        self.client.force_login(self.bawaslu_investigator)
        self.assertEqual(self.client.get(f"/audit/{entry.pk}/").status_code, 404)


class LanguageTest(SinergiTestCase):
    def test_an_english_browser_still_gets_indonesian(self) -> None:
        r = self.client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        self.assertContains(r, 'lang="id"')
        self.assertContains(r, "hari menuju hari pemungutan suara")

    def test_english_is_one_click_away(self) -> None:
        r = self.client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
        self.assertContains(r, 'lang="en"')
        self.assertContains(r, "9 days to voting day")
