"""The region page puts the problems first and shows damage wherever goods were received.

A browser review of the logistics pages found the item table saying "Rusak/kurang 0/0" while 165
ballots had arrived soaked at two PPK (the table counted only the TPS), and the nodes at risk,
damaged shipments and alerts at the bottom of a 3,000-px page, without saying who waits for them.
"""

from __future__ import annotations

import csv
import io

from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from logistics import actions
from logistics.models import Node, NodeLevel, Shipment
from logistics.tests.base import LogisticsTestCase, at
from tests import fixtures

A_MONTH = 30 * 24 * 60  # a route this long misses every deadline: the node is at risk
BALLOT = "ballot-6402"


def read_csv(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


class DamageAtEveryLevelTest(LogisticsTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.desk_admin)

    def soaked_at_the_ppk(self, damaged: int = 120, missing: int = 0) -> Shipment:
        s = self.ship(self.warehouse, self.ppk_sebulu, {BALLOT: 500})
        self.receive(s, {BALLOT: (500 - damaged - missing, damaged, missing)})
        s.refresh_from_db()
        return s

    def item_row(self, response, code: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
        return next(r for r in response.context["items"] if r["item"].code == code)

    def test_ballots_damaged_on_the_way_to_a_ppk_show_in_the_item_table(self) -> None:
        self.soaked_at_the_ppk(damaged=120, missing=5)
        r = self.client.get("/logistics/64.02/")
        row = self.item_row(r, BALLOT)
        self.assertEqual((row["reported"]["damaged"], row["reported"]["missing"]), (120, 5))
        self.assertContains(r, '<td class="num" data-testid="damaged-missing"><a href="#damage">120 / 5</a></td>')
        self.assertContains(r, "Rusak / kurang (semua tingkat)")

    def test_the_damage_table_splits_the_damage_by_level(self) -> None:
        self.soaked_at_the_ppk(damaged=120)
        to_desa = self.ship(self.ppk_sebulu, self.pps_sebulu_ilir, {BALLOT: 100})
        self.receive(to_desa, {BALLOT: (90, 7, 3)})
        to_tps = self.ship(self.pps_sebulu_ilir, self.kpps_sebulu, {BALLOT: 50})
        self.receive(to_tps, {BALLOT: (48, 2, 0)})
        r = self.client.get("/logistics/64.02/")
        row = self.item_row(r, BALLOT)
        self.assertEqual(
            row["reported"]["level_rows"],
            [{"damaged": 120, "missing": 0}, {"damaged": 7, "missing": 3}, {"damaged": 2, "missing": 0}],
        )
        self.assertEqual((row["reported"]["damaged"], row["reported"]["missing"]), (129, 3))
        damage = r.content.decode().split('data-testid="damage"')[1].split("</table>")[0]
        self.assertIn("PPK (kecamatan)", damage)
        self.assertIn('<td class="num">120 / 0</td><td class="num">7 / 3</td><td class="num">2 / 0</td>', damage)

    def test_a_return_up_the_chain_does_not_count_the_damage_twice(self) -> None:
        self.enterContext(override_settings(SINERGI_TODAY="2024-11-28"))  # boxes go back after the count
        s = self.ship(self.pps_sebulu_ilir, self.ppk_sebulu, {BALLOT: 10}, dispatched=at(27, 20), is_return=True)
        self.receive(s, {BALLOT: (0, 10, 0)}, when=at(27, 23))
        r = self.client.get("/logistics/64.02/")
        self.assertIsNone(self.item_row(r, BALLOT)["reported"])
        self.assertNotContains(r, 'data-testid="damage"')

    def test_the_damage_table_says_whether_a_replacement_was_requested(self) -> None:
        s = self.soaked_at_the_ppk(damaged=120)
        r = self.client.get("/logistics/64.02/")
        self.assertContains(r, '<td data-testid="replacement">120 belum diminta</td>')
        replacement = actions.request_replacement(self.kpu_operator, s)
        r = self.client.get("/logistics/64.02/")
        self.assertContains(r, '<td data-testid="replacement">120 direncanakan · semua sudah diminta</td>')
        actions.dispatch_shipment(self.kpu_operator, replacement, at(16), replacement.version)
        r = self.client.get("/logistics/64.02/")
        self.assertContains(r, '<td data-testid="replacement">120 dalam perjalanan · semua sudah diminta</td>')

    def test_the_export_carries_the_damage_of_every_level(self) -> None:
        self.soaked_at_the_ppk(damaged=120)
        rows = read_csv(self.client.get("/logistics/64.02/?export=csv"))
        header, ballots = rows[0], next(row for row in rows[1:] if row[1] == self.items[BALLOT].name)
        self.assertEqual(ballots[header.index("Rusak")], "120")
        self.assertEqual(ballots[header.index("Rusak di PPK (kecamatan)")], "120")
        self.assertEqual(ballots[header.index("Rusak di KPPS (TPS)")], "0")

    def test_a_viewer_sees_only_the_damage_in_their_area(self) -> None:
        s = self.ship(self.warehouse, self.ppk_tenggarong, {BALLOT: 500})
        self.receive(s, {BALLOT: (400, 100, 0)})
        self.client.force_login(self.camat_sebulu)
        r = self.client.get("/logistics/64.02/")
        self.assertIsNone(self.item_row(r, BALLOT)["reported"])


class ProblemsFirstTest(LogisticsTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.desk_admin)

    def test_problems_come_before_the_progress_the_map_and_the_item_table(self) -> None:
        self.route_takes(self.ppk_sebulu, A_MONTH)
        html = self.client.get("/logistics/64.02/").content.decode()
        positions = [
            html.index('data-testid="problems"'),
            html.index('data-testid="risks"'),
            html.index('data-testid="level-2"'),
            html.index('data-testid="items"'),
        ]
        self.assertEqual(positions, sorted(positions))

    def test_each_problem_says_how_many_tps_and_voters_wait_below_it(self) -> None:
        # Sebulu has two TPS in its desa: 390 and 500 voters; the TPS alone has 390
        fixtures.make_tps(self.election, "64.02.07.2001", "002", dpt_male=250, dpt_female=250)
        self.route_takes(self.ppk_sebulu, A_MONTH)
        to_tps = self.ship(self.pps_sebulu_ilir, self.kpps_sebulu, {BALLOT: 400})
        self.receive(to_tps, {BALLOT: (390, 10, 0)})
        r = self.client.get("/logistics/64.02/")
        (node, _reason, reach), *_ = r.context["risks"]
        self.assertEqual((node, reach), (self.ppk_sebulu, {"tps": 2, "dpt": 890}))
        (shipment, reach), *_ = r.context["problems"]
        self.assertEqual((shipment, reach), (to_tps, {"tps": 1, "dpt": 390}))
        self.assertEqual((shipment.damaged, shipment.missing, shipment.uncounted), (10, 0, 0))
        self.assertContains(r, "(30 hari perjalanan ditambah cadangan waktu)")
        self.assertContains(r, '<span class="reach" data-testid="reach">2 TPS dan 890 pemilih (DPT) terdampak</span>')
        self.assertContains(r, '<span data-testid="problem-counts">10 rusak, 0 kurang</span>')
        alerts = dict((a.node, reach) for a, reach in r.context["alerts"])
        self.assertEqual(alerts[self.kpps_sebulu], {"tps": 1, "dpt": 390})

    def test_goods_left_uncounted_are_named_with_the_shipment(self) -> None:
        s = self.ship(self.warehouse, self.ppk_sebulu, {BALLOT: 500})
        self.receive(s, {BALLOT: (450, 0, 0)}, note="50 lembar masih di gudang PPK, belum dibuka.")
        r = self.client.get("/logistics/64.02/")
        self.assertContains(r, '<span data-testid="problem-counts">0 rusak, 0 kurang, 50 tidak terhitung</span>')

    def test_a_page_without_problems_says_so(self) -> None:
        r = self.client.get("/logistics/64.02/")
        self.assertContains(r, 'data-testid="no-problems"')

    def test_the_problems_cost_the_same_queries_for_one_node_or_many(self) -> None:
        def page_queries() -> int:
            with CaptureQueriesContext(connection) as ctx:
                r = self.client.get("/logistics/64.02/")
            self.assertEqual(r.status_code, 200)
            return len(ctx.captured_queries)

        self.route_takes(self.pps_sebulu_ilir, A_MONTH)
        s = self.ship(self.warehouse, self.ppk_sebulu, {BALLOT: 10})
        self.receive(s, {BALLOT: (9, 1, 0)})
        one = page_queries()
        r = self.client.get("/logistics/64.02/")
        self.assertEqual((len(r.context["risks"]), len(r.context["problems"])), (1, 1))
        # more nodes at risk (PPK, PPS and a KPPS), more damaged shipments with replacements, more alerts
        at_risk = Node.objects.filter(election=self.election, level__in=[NodeLevel.PPK, NodeLevel.PPS, NodeLevel.KPPS])
        self.route_takes(at_risk, A_MONTH)
        for origin, destination in (
            (self.warehouse, self.ppk_tenggarong),
            (self.ppk_sebulu, self.pps_sebulu_ilir),
            (self.pps_sebulu_ilir, self.kpps_sebulu),
        ):
            s = self.ship(origin, destination, {BALLOT: 10, "booth": 4})
            self.receive(s, {BALLOT: (8, 1, 1), "booth": (4, 0, 0)})
            s.refresh_from_db()
            actions.request_replacement(self.kpu_operator, s)
        r = self.client.get("/logistics/64.02/")
        self.assertGreater(len(r.context["risks"]), 3)
        self.assertEqual(len(r.context["problems"]), 4)
        # a custody warning (the kit reached the TPS before H-1), and three receipts after the node's
        # due time: with month-long routes below them, the PPK and the PPS were due weeks earlier
        self.assertEqual(len(r.context["alerts"]), 8)
        self.assertEqual(sum(a.kind == "late" for a, _reach in r.context["alerts"]), 3)
        self.assertEqual(page_queries(), one, "more problems, more queries")
