"""Reading a page writes nothing: no Plan row, no summary, no audit row appears on a GET."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from logistics.models import Plan
from logistics.tests.base import LogisticsTestCase

WRITES = ("INSERT", "UPDATE", "DELETE")


class ReadPathsWriteNothingTest(LogisticsTestCase):
    def setUp(self) -> None:
        Plan.objects.filter(election=self.election).delete()  # an election whose plan was never set

    def assert_get_writes_nothing(self, url: str) -> None:
        with CaptureQueriesContext(connection) as ctx:
            r = self.client.get(url)
        self.assertEqual(r.status_code, 200, url)
        writes = [q["sql"] for q in ctx.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)]
        self.assertEqual(writes, [], url)

    def test_the_home_page_and_the_logistics_pages_write_no_row(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4})
        for user in (None, self.kpu_operator, self.ppk_operator):
            if user is not None:
                self.client.force_login(user)
            for url in (
                "/",
                "/logistics/64.02/",
                "/logistics/64.02/risk.geojson",
                "/logistics/64.02/areas.geojson",
                f"/logistics/nodes/{self.ppk_sebulu.pk}/",
                f"/logistics/shipments/{s.pk}/",
                "/logistics/problems/",
                "/logistics/catalogue/",
            ):
                if user is None and url != "/":
                    continue
                with self.subTest(user=str(user), url=url):
                    self.assert_get_writes_nothing(url)
        self.assertFalse(Plan.objects.exists())
