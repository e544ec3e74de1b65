"""Lists cost a fixed number of queries, whether they hold one row or many."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext

from elections.models import CandidatePair, Contest, ContestKind, Election, ElectionKind, Stage
from logistics.models import Node, NodeLevel
from logistics.tests.base import LogisticsTestCase

A_MONTH = 30 * 24 * 60  # a route this long misses every deadline: the node is at risk


class QueryCountTest(LogisticsTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.desk_admin)

    def queries(self, url: str, rows: Any) -> int:
        with CaptureQueriesContext(connection) as ctx:
            r = self.client.get(url)
        self.assertEqual(r.status_code, 200)
        self.assertEqual(len(rows(r)), rows.expected, url)
        return len(ctx.captured_queries)

    def assert_same_count_for_one_and_many(self, url: str, rows: Any, add_many: Any) -> None:
        rows.expected = 1
        one = self.queries(url, rows)
        rows.expected = add_many()
        self.assertGreater(rows.expected, 1)
        self.assertEqual(self.queries(url, rows), one, f"{url}: more rows, more queries")

    def test_the_shipment_list_with_its_lines(self) -> None:
        self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4})

        def add_many() -> int:
            self.ship(self.warehouse, self.ppk_tenggarong, {"booth": 4, "ballot-6402": 10})
            self.ship(self.ppk_sebulu, self.pps_sebulu_ilir, {"booth": 1, "ballot-6402": 5}, dispatched=None)
            return 3

        self.assert_same_count_for_one_and_many("/api/v1/logistics/shipments", lambda r: r.json()["items"], add_many)

    def test_the_election_list_with_its_current_stage(self) -> None:
        def add_many() -> int:
            for year in (2029, 2031):
                e = Election.objects.create(
                    name=f"Pilkada {year}", kind=ElectionKind.PILKADA, region_id="64", voting_date=dt.date(year, 11, 27)
                )
                Stage.objects.create(election=e, name="Kampanye", start=dt.date(year, 9, 1), end=dt.date(year, 11, 1))
            return 3

        self.assert_same_count_for_one_and_many("/api/v1/elections/", lambda r: r.json(), add_many)

    def test_the_contest_list_with_its_candidate_pairs(self) -> None:
        Contest.objects.exclude(region_id="64.02").delete()
        url = f"/api/v1/elections/{self.election.pk}/contests"

        def add_many() -> int:
            for contest in Contest.objects.all():
                for n in (1, 2):
                    CandidatePair.objects.create(contest=contest, number=n, head_name=f"A{n}", deputy_name=f"B{n}")
            governor = Contest.objects.create(
                election=self.election, kind=ContestKind.GOVERNOR, region_id="64", name="Gubernur Kaltim 2024"
            )
            CandidatePair.objects.create(contest=governor, number=1, head_name="C", deputy_name="D")
            return 2

        self.assert_same_count_for_one_and_many(url, lambda r: r.json(), add_many)

    def test_the_risk_map_points(self) -> None:
        self.route_takes(self.ppk_sebulu, A_MONTH)

        def add_many() -> int:
            # every route a month long: every node is at risk, a PPK also for the desa below it
            nodes = Node.objects.filter(election=self.election).exclude(level=NodeLevel.WAREHOUSE)
            self.route_takes(nodes, A_MONTH)
            return nodes.count()

        self.assert_same_count_for_one_and_many(
            "/logistics/64.02/risk.geojson", lambda r: r.json()["features"], add_many
        )


class RegionPageRiskListTest(LogisticsTestCase):
    def test_the_region_page_lists_the_first_nodes_at_risk_and_links_to_all(self) -> None:
        self.client.force_login(self.kpu_operator)
        at_risk = Node.objects.filter(election=self.election, level__in=[NodeLevel.PPK, NodeLevel.PPS])
        self.route_takes(at_risk, A_MONTH)
        total = at_risk.count()
        with mock.patch("logistics.views.RISK_LIMIT", 2):
            r = self.client.get("/logistics/64.02/")
            self.assertEqual(len(r.context["risks"]), 2)
            self.assertContains(r, f"{total} titik distribusi berisiko terlambat")
            self.assertContains(r, f"dan {total - 2} lainnya")
            self.assertContains(r, "risks=all#risks")
            r = self.client.get("/logistics/64.02/?risks=all")
            self.assertEqual(len(r.context["risks"]), total)
            self.assertNotContains(r, "lainnya</a>")
