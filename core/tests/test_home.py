from __future__ import annotations

from core.tests.base import SinergiTestCase


class HomePageTest(SinergiTestCase):
    def test_it_counts_down_to_voting_day_from_the_demo_today(self) -> None:
        r = self.client.get("/")
        self.assertEqual(r.status_code, 200)
        self.assertEqual(r.context["days"], 9)

    def test_it_shows_the_current_stage(self) -> None:
        r = self.client.get("/")
        self.assertEqual(r.context["stage"].name, "Kampanye")
        self.assertContains(r, "Kampanye")

    def test_it_speaks_indonesian_by_default(self) -> None:
        r = self.client.get("/")
        self.assertContains(r, 'lang="id"')


class LanguageTest(SinergiTestCase):
    def test_an_english_browser_still_gets_indonesian(self) -> None:
        r = self.client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        self.assertContains(r, 'lang="id"')
        self.assertContains(r, "hari menuju hari pemungutan suara")

    def test_english_is_one_click_away(self) -> None:
        r = self.client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
        self.assertContains(r, 'lang="en"')
        self.assertContains(r, "9 days to voting day")
