"""The distribution plan page: the deadlines as dates in the election's zone, the overdue
tolerances in words, and KPU of the election's region changing them with a clear refusal for
a plan that runs backwards, a stale version or anyone else -- and nothing written then."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from agencies.models import Agency, AgencyKind, Membership, Role
from core.models import AuditEntry
from logistics import rules
from logistics.models import Plan
from logistics.tests.base import LogisticsTestCase


class PlanPageTest(LogisticsTestCase):
    kpu_kaltim: Any

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        kpu_kaltim = Agency.objects.create(name="KPU Provinsi Kalimantan Timur", kind=AgencyKind.KPU, region_id="64")
        cls.kpu_kaltim = get_user_model().objects.create(username="kpu_kaltim")
        Membership.objects.create(user=cls.kpu_kaltim, agency=kpu_kaltim, role=Role.OPERATOR, scope_id="64")

    def post(self, user, **changes):  # type: ignore[no-untyped-def]
        plan = Plan.objects.get(election=self.election)
        data = {
            "ppk_due_days": plan.ppk_due_days,
            "pps_due_days": plan.pps_due_days,
            "kpps_due_days": plan.kpps_due_days,
            **{f: getattr(plan, f) for f in (*rules.BUFFER_FIELDS, *rules.TOLERANCE_FIELDS)},
            "version": plan.version,
            **changes,
        }
        self.client.force_login(user)
        return self.client.post(f"/logistics/plan/?election={self.election.pk}", data)

    def test_the_camat_reads_each_deadline_as_a_date_in_wita_and_the_tolerances_in_words(self) -> None:
        self.client.force_login(self.camat_sebulu)
        r = self.client.get(f"/logistics/plan/?election={self.election.pk}")
        self.assertContains(r, "H-4")
        self.assertContains(r, "23 November 2024")  # the kecamatan, H-4 of 27 Nov
        self.assertContains(r, "26 November 2024")  # the TPS, H-1
        self.assertContains(r, "WITA")
        self.assertContains(r, "Rencana distribusi")
        self.assertContains(r, "6 jam")  # by water
        self.assertContains(r, "12 jam")  # by air
        self.assertNotContains(r, 'data-testid="plan-form"')

    def test_kpu_kaltim_moves_the_kecamatan_deadline_and_it_is_audited(self) -> None:
        r = self.post(self.kpu_kaltim, ppk_due_days=5, overdue_water_minutes=480)
        self.assertEqual(r.status_code, 302)
        plan = Plan.objects.get(election=self.election)
        self.assertEqual((plan.ppk_due_days, plan.overdue_water_minutes), (5, 480))
        entry = AuditEntry.objects.get(action="logistics.plan_update")
        self.assertEqual(entry.changes["ppk_due_days"], [4, 5])
        r = self.client.get(r["Location"])
        self.assertContains(r, "22 November 2024")
        self.assertContains(r, "8 jam")

    def assertNothingSaved(self, r, message: str) -> None:  # type: ignore[no-untyped-def]
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Tidak ada yang disimpan")
        self.assertContains(r, message)
        self.assertEqual(Plan.objects.get(election=self.election).ppk_due_days, 4)
        self.assertFalse(AuditEntry.objects.filter(action="logistics.plan_update").exists())

    def test_a_desa_due_after_its_tps_is_refused_with_a_message(self) -> None:
        r = self.post(self.kpu_kaltim, ppk_due_days=3, pps_due_days=0)
        self.assertNothingSaved(r, "Desa tidak dapat jatuh tempo setelah TPS-nya.")

    def test_tps_due_on_voting_day_is_refused(self) -> None:
        r = self.post(self.kpu_kaltim, kpps_due_days=0)
        self.assertNothingSaved(r, "TPS paling lambat jatuh tempo H-1.")

    def test_a_stale_version_is_refused_as_a_concurrent_edit(self) -> None:
        opened = Plan.objects.get(election=self.election).version
        self.post(self.kpu_kaltim, ppk_due_days=5)  # someone else saved meanwhile
        r = self.post(self.kpu_kaltim, ppk_due_days=6, version=opened)
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Tidak ada yang disimpan")
        self.assertContains(r, "diubah orang lain ketika Anda sedang menyunting")
        self.assertEqual(Plan.objects.get(election=self.election).ppk_due_days, 5)
        self.assertEqual(AuditEntry.objects.filter(action="logistics.plan_update").count(), 1)

    def test_kpu_kukar_reads_the_plan_but_may_not_change_the_provinces(self) -> None:
        self.client.force_login(self.kpu_operator)
        r = self.client.get(f"/logistics/plan/?election={self.election.pk}")
        self.assertNotContains(r, 'data-testid="plan-form"')
        r = self.post(self.kpu_operator, ppk_due_days=6)
        self.assertEqual(r.status_code, 403)
        self.assertEqual(Plan.objects.get(election=self.election).ppk_due_days, 4)
        self.assertFalse(AuditEntry.objects.filter(action="logistics.plan_update").exists())

    def test_the_demos_plan_says_it_is_part_of_the_scenario(self) -> None:
        from core.models import Source, SourceStatus

        source = Source.objects.create(
            key="demo-plan",
            status=SourceStatus.ILLUSTRATIVE,
            publisher="Sinergi (demo)",
            title="Skenario",
            as_of="2024-11-16",
        )
        Plan.objects.filter(election=self.election).update(source=source)
        self.client.force_login(self.camat_sebulu)
        r = self.client.get(f"/logistics/plan/?election={self.election.pk}")
        self.assertContains(r, 'data-testid="plan-illustrative"')
        self.assertContains(r, 'data-testid="prov-illustrative"')

    def test_a_form_without_its_version_saves_nothing(self) -> None:
        r = self.post(self.kpu_kaltim, ppk_due_days=6, version="")
        self.assertEqual(r.status_code, 200)
        self.assertContains(r, "Tidak ada yang disimpan")
        self.assertEqual(Plan.objects.get(election=self.election).ppk_due_days, 4)
