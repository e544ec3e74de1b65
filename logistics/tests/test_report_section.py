"""Logistics in the Desk's situation report: the same summary as the region page, and nodes at risk
on its "what needs a decision today" list."""

from __future__ import annotations

from core import jobs
from logistics import actions
from logistics.jobs import scan_all_risks
from logistics.tests.base import LogisticsTestCase


class LogisticsReportSectionTest(LogisticsTestCase):
    def test_a_node_at_risk_is_in_the_report_and_on_the_list_of_what_needs_a_decision(self) -> None:
        # Tenggarong's PPK cannot be reached by H-1 over a 7-day river route
        actions.save_route(self.kpu_operator, self.warehouse, self.ppk_tenggarong, "longboat", 7 * 24 * 60)
        jobs.run_all()
        scan_all_risks()
        self.client.force_login(self.desk_admin)
        r = self.client.get(f"/meetings/report/64.02/?election={self.election.pk}")
        text = r.content.decode()
        decide = text[text.index('data-testid="decide-today"') : text.index('data-testid="countdown"')]
        self.assertIn("1 titik logistik berisiko terlambat di Kabupaten Kutai Kartanegara", decide)
        self.assertIn('data-testid="section-logistics.summary"', text)
        self.assertIn('data-testid="logistics-as-of"', text)

    def test_without_risk_the_section_asks_for_no_decision(self) -> None:
        scan_all_risks()  # risk judged as of the desk's now (18 Nov noon): every route is in time
        self.client.force_login(self.desk_admin)
        r = self.client.get(f"/meetings/report/64.02/?election={self.election.pk}")
        self.assertContains(r, 'data-testid="section-logistics.summary"')
        self.assertContains(r, "Tidak ada yang menunggu keputusan.")

    def test_the_section_lists_each_kecamatan_with_its_tps_supplied_and_its_nodes_at_risk(self) -> None:
        actions.save_route(self.kpu_operator, self.warehouse, self.ppk_tenggarong, "longboat", 7 * 24 * 60)
        jobs.run_all()
        scan_all_risks()
        self.client.force_login(self.desk_admin)
        r = self.client.get(f"/meetings/report/64.02/?election={self.election.pk}")
        section = next(s for s in r.context["sections"] if s["name"] == "logistics.summary")
        areas = {a["name"]: a for a in section["data"]["areas"]}
        self.assertEqual((areas["Tenggarong"]["total"], areas["Tenggarong"]["received"]), (1, 0))
        self.assertGreaterEqual(areas["Tenggarong"]["at_risk"], 1)
        self.assertContains(r, 'data-testid="logistics-areas"')
        self.assertContains(r, "0 dari 1 diterima (0,0%)")
        # the home card carries no table of areas
        self.assertNotContains(self.client.get("/"), 'data-testid="logistics-areas"')

    def test_overdue_and_damaged_shipments_are_in_the_section_and_overdue_ones_ask_for_a_decision(self) -> None:
        from logistics.tests.base import at

        late = self.ship(self.warehouse, self.ppk_tenggarong, {"booth": 4}, dispatched=at(15, 8))
        damaged = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4})
        self.receive(damaged, {"booth": (3, 1, 0)})
        self.client.force_login(self.desk_admin)
        r = self.client.get(f"/meetings/report/64.02/?election={self.election.pk}")
        self.assertEqual(late.status, "dispatched")
        self.assertContains(
            r, '<span class="badge status-problem" data-testid="logistics-overdue">1 pengiriman terlambat'
        )
        self.assertContains(r, "1 pengiriman dengan barang rusak atau kurang")
        text = r.content.decode()
        decide = text[text.index('data-testid="decide-today"') : text.index('data-testid="countdown"')]
        self.assertIn("1 pengiriman terlambat (belum ada tanda terima melewati perkiraan tiba) di Kabupaten", decide)
