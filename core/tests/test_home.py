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
