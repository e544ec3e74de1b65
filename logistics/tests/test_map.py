"""The logistics map: per-area shares for the choropleth, "no data" kept apart from 0%."""

from __future__ import annotations

from logistics.tests.base import LogisticsTestCase


class LogisticsMapTest(LogisticsTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.desk_admin)

    def test_an_area_without_supply_rows_has_no_share_rather_than_zero(self) -> None:
        r = self.client.get("/logistics/64.02/areas.geojson")
        feats = {f["properties"]["code"]: f["properties"] for f in r.json()["features"]}
        self.assertIsNone(feats["64.02.05"]["percent"])  # no TPS there: nothing to supply
        sebulu = feats["64.02.07"]
        self.assertEqual(sebulu["percent"], 0.0)  # TPS to supply, none supplied yet
        self.assertGreater(sebulu["required"], 0)
        self.assertEqual(sebulu["received"], 0)
        self.assertEqual(sebulu["url"], "/logistics/64.02.07/")

    def test_the_colour_scale_follows_the_data_not_a_fixed_0_to_100(self) -> None:
        r = self.client.get("/logistics/64.02/")
        self.assertNotContains(r, "data-max=")
        self.assertContains(r, 'data-legend-for="map"')
        self.assertContains(r, 'data-note="')
