"""Grants as the Desk and the recipients use them: the rules (bad input refused with a clear
message and nothing written), totals derived from the records, nothing shown before its date, late
LPJ, recipient-only realisation, the pages, the command and the demo."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import RequestFactory, override_settings
from django.utils import translation

from agencies.models import Agency, AgencyKind, Membership, Role
from budget import actions, demo, money, registry, selectors
from budget.models import Agreement, CitedFigure, Document, Line, Realisation, Tranche
from budget.tests.base import BudgetTestCase
from core.actions import ConcurrentEditError
from core.models import AuditEntry, Source, SourceStatus


class Unchanged:
    """Counts the grant's rows and audit rows, to show a refused action wrote nothing."""

    def __init__(self, test: Any) -> None:
        self.test = test

    def counts(self) -> tuple[int, ...]:
        return tuple(m.objects.count() for m in (Agreement, Tranche, Realisation, Line, CitedFigure, AuditEntry))

    def __enter__(self) -> Unchanged:
        self.before = self.counts()
        self.language = translation.override("en")
        self.language.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.language.__exit__(*exc)
        self.test.assertEqual(self.counts(), self.before, "nothing was written")


class MoneyTest(BudgetTestCase):
    def test_amounts_read_as_officials_quote_them(self) -> None:
        with translation.override("id"):
            self.assertEqual(money.rupiah(76_055_000_000), "Rp 76,055 miliar")
            self.assertEqual(money.rupiah(60_375_000), "Rp 60,375 juta")
            self.assertEqual(money.exact(8_156_377_000), "Rp 8.156.377.000")
            self.assertEqual(money.rupiah(-60_375_000), "−Rp 60,375 juta")


class AgreementRulesTest(BudgetTestCase):
    def test_the_desk_records_an_agreement_with_its_audit_row(self) -> None:
        a = self.agreement()
        self.assertEqual(a.amount, 10_000_000_000)
        self.assertTrue(AuditEntry.objects.filter(action="budget.agreement", object_id=str(a.pk)).exists())

    def test_a_negative_amount_is_refused(self) -> None:
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            self.agreement(amount=-5)
        self.assertIn("An amount cannot be negative.", e.exception.message_dict["amount"])

    def test_an_agreement_signed_after_today_is_refused(self) -> None:
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            self.agreement(signed_on=dt.date(2024, 12, 1))
        self.assertIn("cannot be after today", e.exception.message_dict["signed_on"][0])

    def test_a_grant_goes_only_to_kpu_bawaslu_polri_or_tni(self) -> None:
        desk = Agency.objects.get(name="Desk Pilkada Kukar")
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            self.agreement(agency=desk)
        self.assertEqual(e.exception.message_dict["agency"], ["A grant goes to KPU, Bawaslu, Polri or TNI."])

    def test_an_addendum_cannot_be_signed_before_its_agreement_nor_for_another_recipient(self) -> None:
        first = self.agreement()
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            self.agreement(number="002", amends=first, signed_on=dt.date(2024, 2, 1), agency=self.bawaslu)
        self.assertIn("before the agreement it amends", e.exception.message_dict["signed_on"][0])
        self.assertIn("same election, region and recipient", e.exception.message_dict["amends"][0])

    def test_the_same_number_twice_is_refused(self) -> None:
        self.agreement()
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            self.agreement()
        self.assertIn("already recorded", e.exception.message_dict["number"][0])

    def test_only_the_desk_records_agreements(self) -> None:
        with Unchanged(self), self.assertRaises(PermissionDenied):
            actions.create_agreement(self.kpu_operator, self.election, self.data())

    def test_a_desk_of_another_region_cannot_record_kukars_grant(self) -> None:
        agency = Agency.objects.create(name="Desk Pilkada Samarinda", kind=AgencyKind.DESK, region_id="64.72")
        user = get_user_model().objects.create(username="desk_samarinda")
        Membership.objects.create(user=user, agency=agency, role=Role.ADMIN, scope_id="64.72")
        with Unchanged(self), self.assertRaises(PermissionDenied):
            actions.create_agreement(user, self.election, self.data())
        self.assertFalse(selectors.visible(user, self.election).exists())

    def test_an_lpj_due_before_signing_is_refused(self) -> None:
        a = self.agreement()
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            actions.set_lpj_due(self.desk_admin, a, dt.date(2024, 1, 1), a.version)
        self.assertIn("cannot be due before", e.exception.message_dict["lpj_due"][0])


class TrancheRulesTest(BudgetTestCase):
    def test_tranches_never_exceed_the_agreement(self) -> None:
        a = self.agreement()
        actions.add_tranche(self.desk_admin, a, dt.date(2024, 3, 5), 4_000_000_000)
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            actions.add_tranche(self.desk_admin, a, dt.date(2024, 4, 5), 6_000_000_001)
        self.assertIn("only Rp 6 miliar of the agreement", e.exception.message_dict["planned_amount"][0])
        actions.add_tranche(self.desk_admin, a, dt.date(2024, 4, 5), 6_000_000_000)
        self.assertEqual(selectors.agreement_figures(a)["planned"], 10_000_000_000)

    def test_a_negative_or_zero_tranche_is_refused(self) -> None:
        a = self.agreement()
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            actions.add_tranche(self.desk_admin, a, dt.date(2024, 3, 5), -1)
        self.assertEqual(e.exception.message_dict["planned_amount"], ["An amount cannot be negative."])
        with Unchanged(self), self.assertRaises(ValidationError):
            actions.add_tranche(self.desk_admin, a, dt.date(2024, 3, 5), 0)

    def test_a_tranche_before_signing_is_refused(self) -> None:
        a = self.agreement()
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            actions.add_tranche(self.desk_admin, a, dt.date(2024, 2, 1), 1_000)
        self.assertIn("before the agreement is signed", e.exception.message_dict["planned_on"][0])

    def test_a_disbursement_never_exceeds_its_tranche(self) -> None:
        a = self.agreement()
        t = actions.add_tranche(self.desk_admin, a, dt.date(2024, 3, 5), 4_000_000_000)
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            actions.disburse(self.desk_admin, t, dt.date(2024, 3, 6), 4_000_000_001, t.version)
        self.assertIn("cannot exceed its tranche", e.exception.message_dict["disbursed_amount"][0])

    def test_nothing_is_disbursed_before_the_agreement_was_signed(self) -> None:
        a = self.agreement()
        t = actions.add_tranche(self.desk_admin, a, dt.date(2024, 3, 5), 1_000)
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            actions.disburse(self.desk_admin, t, dt.date(2024, 2, 28), 1_000, t.version)
        self.assertIn("before the agreement is signed", e.exception.message_dict["disbursed_on"][0])

    def test_a_negative_disbursement_is_refused(self) -> None:
        a = self.agreement()
        t = actions.add_tranche(self.desk_admin, a, dt.date(2024, 3, 5), 1_000)
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            actions.disburse(self.desk_admin, t, dt.date(2024, 3, 6), -1_000, t.version)
        self.assertEqual(e.exception.message_dict["disbursed_amount"], ["An amount cannot be negative."])

    def test_a_stale_disbursement_is_refused_and_a_tranche_is_paid_once(self) -> None:
        a = self.agreement()
        t = actions.add_tranche(self.desk_admin, a, dt.date(2024, 3, 5), 1_000)
        paid = actions.disburse(self.desk_admin, t, dt.date(2024, 3, 6), 1_000, t.version)
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            actions.disburse(self.desk_admin, paid, dt.date(2024, 3, 7), 1_000, paid.version)
        self.assertEqual(e.exception.message_dict["disbursed_on"], ["This tranche was already disbursed."])
        other = actions.add_tranche(self.desk_admin, a, dt.date(2024, 3, 5), 1_000)
        with Unchanged(self), self.assertRaises(ConcurrentEditError):
            actions.disburse(self.desk_admin, other, dt.date(2024, 3, 6), 1_000, other.version + 1)

    def test_only_the_desk_disburses(self) -> None:
        a = self.agreement()
        t = actions.add_tranche(self.desk_admin, a, dt.date(2024, 3, 5), 1_000)
        with Unchanged(self), self.assertRaises(PermissionDenied):
            actions.disburse(self.kpu_operator, t, dt.date(2024, 3, 6), 1_000, t.version)


class RealisationRulesTest(BudgetTestCase):
    def setUp(self) -> None:
        self.a = self.agreement()
        self.paid(self.a, 4_000_000_000, dt.date(2024, 3, 15))

    def test_the_recipient_reports_spending_by_category(self) -> None:
        r = self.report(self.a, dt.date(2024, 6, 30), dt.date(2024, 7, 5), returned=5_000)
        self.assertEqual(r.agency, self.kpu)
        figures = selectors.agreement_figures(self.a)
        self.assertEqual((figures["spent"], figures["returned"]), (1_000_000_000, 5_000))
        self.assertEqual(figures["unaccounted"], 4_000_000_000 - 1_000_005_000)

    def test_realisation_never_exceeds_what_was_disbursed_by_its_date(self) -> None:
        self.report(self.a, dt.date(2024, 6, 30), dt.date(2024, 7, 5), lines={"honorarium": 3_000_000_000})
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            self.report(
                self.a,
                dt.date(2024, 8, 31),
                dt.date(2024, 9, 5),
                lines={"logistics": 900_000_000},
                returned=100_000_001,
            )
        self.assertIn("more than the Rp 4 miliar disbursed", e.exception.message_dict["lines"][0])

    def test_an_earlier_report_counts_against_the_later_ones(self) -> None:
        self.report(self.a, dt.date(2024, 8, 31), dt.date(2024, 9, 5), lines={"honorarium": 3_500_000_000})
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            self.report(self.a, dt.date(2024, 6, 30), dt.date(2024, 9, 6), lines={"honorarium": 600_000_000})
        self.assertIn("31 August 2024", e.exception.message_dict["lines"][0])

    def test_money_disbursed_after_the_report_date_does_not_count(self) -> None:
        t = actions.add_tranche(self.desk_admin, self.a, dt.date(2024, 9, 1), 6_000_000_000)
        actions.disburse(self.desk_admin, t, dt.date(2024, 9, 10), 6_000_000_000, t.version)
        with Unchanged(self), self.assertRaises(ValidationError):
            self.report(self.a, dt.date(2024, 8, 31), dt.date(2024, 9, 12), lines={"honorarium": 5_000_000_000})
        self.report(self.a, dt.date(2024, 9, 30), dt.date(2024, 10, 2), lines={"honorarium": 5_000_000_000})

    def test_a_report_before_the_first_disbursement_is_refused(self) -> None:
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            self.report(self.a, dt.date(2024, 3, 10), dt.date(2024, 3, 20))
        self.assertIn("The first disbursement was on 15 March 2024", e.exception.message_dict["period_end"][0])

    def test_a_report_on_an_agreement_with_nothing_disbursed_is_refused(self) -> None:
        other = self.agreement(number="002")
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            self.report(other, dt.date(2024, 6, 30), dt.date(2024, 7, 5))
        self.assertIn("Nothing has been disbursed", e.exception.message_dict["period_end"][0])

    def test_negative_spending_or_return_is_refused(self) -> None:
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            self.report(self.a, dt.date(2024, 6, 30), dt.date(2024, 7, 5), lines={"logistics": -10})
        self.assertEqual(e.exception.message_dict["logistics"], ["An amount cannot be negative."])
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            self.report(self.a, dt.date(2024, 6, 30), dt.date(2024, 7, 5), returned=-1)
        self.assertEqual(e.exception.message_dict["returned"], ["An amount cannot be negative."])

    def test_a_report_submitted_before_its_period_ends_or_after_today_is_refused(self) -> None:
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            self.report(self.a, dt.date(2024, 6, 30), dt.date(2024, 6, 1))
        self.assertIn("before the end of the period", e.exception.message_dict["submitted_on"][0])
        with Unchanged(self), self.assertRaises(ValidationError):
            self.report(self.a, dt.date(2024, 11, 30), dt.date(2024, 12, 1))

    def test_an_empty_report_is_refused(self) -> None:
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            self.report(self.a, dt.date(2024, 6, 30), dt.date(2024, 7, 5), lines={})
        self.assertIn("Give what was spent", e.exception.message_dict["lines"][0])

    def test_only_the_recipient_reports(self) -> None:
        data = {"period_end": dt.date(2024, 6, 30), "submitted_on": dt.date(2024, 7, 5), "lines": {"other": 1}}
        for user in (self.bawaslu_investigator, self.polres_officer, self.desk_admin, self.camat_sebulu):
            with self.subTest(user=user.username), Unchanged(self), self.assertRaises(PermissionDenied) as e:
                actions.report(user, self.a, data)
            self.assertEqual(
                str(e.exception), "Only the recipient agency of this agreement reports on its realisation."
            )

    def test_a_viewer_of_the_recipient_does_not_report(self) -> None:
        viewer = get_user_model().objects.create(username="kpu_viewer_budget")
        Membership.objects.create(user=viewer, agency=self.kpu, role=Role.VIEWER, scope_id="64.02")
        with Unchanged(self), self.assertRaises(PermissionDenied):
            actions.report(viewer, self.a, {"period_end": dt.date(2024, 6, 30), "submitted_on": dt.date(2024, 7, 5)})

    def test_documents_are_checked_and_a_bad_one_refuses_the_whole_report(self) -> None:
        data = {"period_end": dt.date(2024, 6, 30), "submitted_on": dt.date(2024, 7, 5), "lines": {"other": 9}}
        bad = SimpleUploadedFile("kuitansi.pdf", b"MZ\x90\x00 not a pdf")
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            actions.report(self.kpu_operator, self.a, data, [bad])
        self.assertIn("Only PDF, JPEG or PNG", e.exception.message_dict["documents"][0])
        self.assertFalse(Document.objects.exists())
        good = SimpleUploadedFile("kuitansi.pdf", b"%PDF-1.4\n%test\n")
        kept = actions.report(self.kpu_operator, self.a, data, [good])
        doc = Document.objects.get(realisation=kept)
        self.client.force_login(self.camat_sebulu)
        r = self.client.get(f"/budget/documents/{doc.pk}/")
        self.assertEqual(r.status_code, 200)
        self.assertIn("attachment", r["Content-Disposition"])

    def test_nothing_follows_the_final_report(self) -> None:
        self.report(self.a, dt.date(2024, 6, 30), dt.date(2024, 7, 5), final=True)
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            self.report(self.a, dt.date(2024, 7, 31), dt.date(2024, 8, 5))
        self.assertIn("already in", e.exception.message_dict["final"][0])

    def test_a_retried_report_is_recorded_once_and_a_reused_id_refused(self) -> None:
        cid = uuid.uuid4()
        data = {"period_end": dt.date(2024, 6, 30), "submitted_on": dt.date(2024, 7, 5), "lines": {"outreach": 7}}
        first = actions.report(self.kpu_operator, self.a, data, client_id=cid)
        again = actions.report(self.kpu_operator, self.a, data, client_id=cid)
        self.assertEqual(first.pk, again.pk)
        self.assertEqual(Realisation.objects.count(), 1)
        with Unchanged(self), self.assertRaises(ConcurrentEditError):
            actions.report(self.kpu_operator, self.a, {**data, "lines": {"outreach": 8}}, client_id=cid)
        with Unchanged(self), self.assertRaises(PermissionDenied):
            actions.report(self.bawaslu_investigator, self.a, data, client_id=cid)


class FiguresTest(BudgetTestCase):
    def setUp(self) -> None:
        self.kpu_grant = self.agreement(amount=10_000_000_000)
        self.paid(self.kpu_grant, 4_000_000_000, dt.date(2024, 3, 15))
        self.report(self.kpu_grant, dt.date(2024, 6, 30), dt.date(2024, 7, 5), returned=1_000)
        self.polres_grant = self.agreement(number="002", agency=self.polres, amount=3_000_000_000)
        actions.add_tranche(self.desk_admin, self.polres_grant, dt.date(2024, 11, 1), 3_000_000_000)

    def test_totals_are_derived_per_recipient_and_in_all(self) -> None:
        data = selectors.figures(self.election, "64.02")
        rows = {r["agency"]: r for r in data["rows"]}
        self.assertEqual(rows["KPU Kukar"]["agreed"], 10_000_000_000)
        self.assertEqual(rows["KPU Kukar"]["disbursed"], 4_000_000_000)
        self.assertEqual(rows["KPU Kukar"]["accounted"], 1_000_001_000)
        self.assertEqual(rows["Polres Kukar"]["planned"], 3_000_000_000)
        self.assertEqual(rows["Polres Kukar"]["disbursed"], 0)
        t = data["totals"]
        self.assertEqual(
            (t["agreed"], t["planned"], t["disbursed"], t["spent"], t["returned"]),
            (13_000_000_000, 7_000_000_000, 4_000_000_000, 1_000_000_000, 1_000),
        )
        self.assertEqual(t["to_disburse"], 9_000_000_000)
        self.assertEqual(t["unaccounted"], 4_000_000_000 - 1_000_001_000)
        # a province-wide view adds up the kabupaten below it; another kabupaten has none
        self.assertEqual(selectors.figures(self.election, "64")["totals"]["agreed"], 13_000_000_000)
        self.assertEqual(selectors.figures(self.election, "64.72")["rows"], [])

    def test_nothing_is_shown_before_its_date(self) -> None:
        with override_settings(SINERGI_TODAY="2024-07-01"):
            t = selectors.figures(self.election, "64.02")["totals"]
            self.assertEqual((t["agreed"], t["disbursed"], t["spent"]), (13_000_000_000, 4_000_000_000, 0))
        with override_settings(SINERGI_TODAY="2024-03-10"):
            t = selectors.figures(self.election, "64.02")["totals"]
            self.assertEqual((t["agreed"], t["disbursed"]), (13_000_000_000, 0))
        with override_settings(SINERGI_TODAY="2024-02-01"):
            self.assertEqual(selectors.figures(self.election, "64.02")["rows"], [])
            self.client.force_login(self.desk_admin)
            self.assertEqual(self.client.get(f"/budget/agreements/{self.kpu_grant.pk}/").status_code, 404)
            self.assertEqual(self.client.get(f"/api/v1/budget/agreements/{self.kpu_grant.pk}").status_code, 404)

    def test_a_cited_figure_is_kept_beside_the_recorded_sum_with_the_difference(self) -> None:
        src = Source.objects.create(
            key="t-rakor", status=SourceStatus.OFFICIAL, publisher="Pemkab", title="Rakor", as_of=dt.date(2024, 9, 3)
        )
        actions.cite(self.desk_admin, self.election, self.kukar, 13_100_000_000, "Hibah Kukar", src)
        [c] = selectors.figures(self.election, "64.02")["cited"]
        self.assertEqual((c["recorded"], c["amount"], c["difference"]), (13_000_000_000, 13_100_000_000, -100_000_000))
        with override_settings(SINERGI_TODAY="2024-09-02"):
            self.assertEqual(selectors.figures(self.election, "64.02")["cited"], [])

    def test_a_cited_figure_needs_its_source_and_a_positive_amount(self) -> None:
        with Unchanged(self), self.assertRaises(ValidationError) as e:
            actions.cite(self.desk_admin, self.election, self.kukar, -1, "Hibah", None)
        self.assertEqual(set(e.exception.message_dict), {"amount", "source"})


class LateLpjTest(BudgetTestCase):
    def setUp(self) -> None:
        self.a = self.agreement()
        self.paid(self.a, 4_000_000_000, dt.date(2024, 3, 15))

    def due(self, day: dt.date) -> None:
        self.a = actions.set_lpj_due(self.desk_admin, self.a, day, self.a.version)

    def late(self) -> list[dict[str, Any]]:
        return selectors.figures(self.election, "64.02")["late"]

    def test_an_lpj_is_late_once_its_due_date_passed_without_a_final_report(self) -> None:
        self.due(dt.date(2024, 11, 18))
        self.assertEqual(self.late(), [])  # due today: not late yet
        self.due(dt.date(2024, 11, 10))
        [late] = self.late()
        self.assertEqual((late["agreement"], late["final_on"], late["days_late"]), (self.a, None, 8))
        self.report(self.a, dt.date(2024, 6, 30), dt.date(2024, 7, 5))  # not final: still late
        self.assertEqual(len(self.late()), 1)

    def test_a_final_report_by_the_due_date_is_not_late_and_one_after_it_was(self) -> None:
        self.due(dt.date(2024, 11, 10))
        self.report(self.a, dt.date(2024, 10, 31), dt.date(2024, 11, 12), final=True)
        [late] = self.late()
        self.assertEqual((late["final_on"], late["days_late"]), (dt.date(2024, 11, 12), 2))
        self.due(dt.date(2024, 11, 12))
        self.assertEqual(self.late(), [])

    def test_late_lpj_are_flagged_on_the_page_the_tile_and_the_report_section(self) -> None:
        self.due(dt.date(2024, 11, 10))
        self.client.force_login(self.camat_sebulu)
        self.client.cookies["django_language"] = "en"
        page = self.client.get("/budget/region/64.02/").content.decode()
        self.assertIn('data-testid="late-lpj"', page)
        self.assertIn("LPJ late", page)
        request = RequestFactory().get("/")
        request.user = self.camat_sebulu
        with translation.override("en"):
            tile = registry.home_tile(request, self.election, "64.02")
            html = render_to_string("budget/_home.html", {"tile": tile})
            self.assertIn('data-testid="tile-late"', html)
            section = registry.report_section(request, self.election, self.kukar)
            assert section is not None
            self.assertEqual(len(section["decide"]), 1)
            self.assertIn("LPJ late", render_to_string("budget/_report.html", {"tile": section}))


class PagesTest(BudgetTestCase):
    def setUp(self) -> None:
        self.a = self.agreement()
        self.t = self.paid(self.a, 4_000_000_000, dt.date(2024, 3, 15))
        self.client.cookies["django_language"] = "en"

    def test_the_region_page_shows_totals_chart_and_agreements(self) -> None:
        self.client.force_login(self.polres_officer)
        r = self.client.get("/budget/region/64.02/")
        self.assertContains(r, 'data-testid="chart-grants"')
        self.assertContains(r, "Rp 10 miliar")
        self.assertContains(r, "001/NPHD/2024")
        self.assertNotContains(r, 'data-testid="new-agreement"')
        self.client.force_login(self.desk_admin)
        self.assertContains(self.client.get("/budget/region/64.02/"), 'data-testid="new-agreement"')

    def test_a_kecamatan_reads_the_grant_of_its_kabupaten(self) -> None:
        self.client.force_login(self.camat_sebulu)
        self.assertRedirects(self.client.get("/budget/region/64.02.07/"), "/budget/region/64.02/")
        self.assertRedirects(self.client.get("/budget/public/64.02.07/"), "/budget/public/64.02/")
        status = self.client.get("/api/v1/budget/status/64.02.07").json()
        self.assertEqual((status["region_code"], status["totals"]["agreed"]), ("64.02", 10_000_000_000))
        request = RequestFactory().get("/")
        request.user = self.camat_sebulu
        tile = registry.home_tile(request, self.election, "64.02.07")
        assert tile is not None
        self.assertEqual(tile["totals"]["agreed"], 10_000_000_000)
        # KPU Samarinda reads no grant of Kukar, by any code
        samarinda = get_user_model().objects.create(username="kpu_samarinda_budget")
        Membership.objects.create(
            user=samarinda, agency=Agency.objects.get(name="KPU Samarinda"), role=Role.OPERATOR, scope_id="64.72"
        )
        self.client.force_login(samarinda)
        self.assertEqual(self.client.get("/budget/region/64.02.07/").status_code, 404)
        self.assertEqual(self.client.get(f"/budget/agreements/{self.a.pk}/").status_code, 404)

    def test_the_desk_keeps_a_quoted_figure_with_its_source_and_bad_input_is_refused(self) -> None:
        self.client.force_login(self.desk_admin)
        post = {
            "label": "Hibah Kukar",
            "amount": "-3",
            "status": "official",
            "publisher": "Pemkab Kukar",
            "title": "Rakor 3 September 2024",
            "as_of": "2024-09-03",
        }
        with Unchanged(self):
            r = self.client.post("/budget/region/64.02/", post)
        self.assertContains(r, "An amount cannot be negative.")
        with Unchanged(self):
            r = self.client.post("/budget/region/64.02/", {**post, "amount": "10060375000", "as_of": "2024-12-01"})
        self.assertContains(r, "cannot be after today")
        r = self.client.post("/budget/region/64.02/", {**post, "amount": "10060375000"})
        self.assertRedirects(r, "/budget/region/64.02/")
        figure = CitedFigure.objects.select_related("source").get()
        self.assertEqual((figure.source.publisher, figure.source.status), ("Pemkab Kukar", "official"))
        page = self.client.get("/budget/region/64.02/")
        self.assertContains(page, 'data-testid="cited-difference"')
        self.assertContains(page, "−Rp 60.375 juta")
        self.client.force_login(self.kpu_operator)
        self.assertNotContains(self.client.get("/budget/region/64.02/"), 'data-testid="cited-form"')
        with Unchanged(self):
            self.assertEqual(self.client.post("/budget/region/64.02/", post).status_code, 403)

    def test_the_export_has_one_row_per_recipient_and_the_total(self) -> None:
        self.client.force_login(self.desk_admin)
        r = self.client.get("/budget/region/64.02/?export=csv")
        text = b"".join(r.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
        lines = text.strip().splitlines()
        self.assertEqual(len(lines), 3)
        self.assertIn("KPU Kukar,1,10000000000,4000000000,4000000000", lines[1])
        self.assertTrue(lines[2].startswith("Total,1,10000000000"))

    def test_the_desk_sees_its_forms_and_the_recipient_its_report_link(self) -> None:
        self.client.force_login(self.desk_admin)
        page = self.client.get(f"/budget/agreements/{self.a.pk}/")
        self.assertContains(page, 'data-testid="tranche-form"')
        self.assertContains(page, 'data-testid="lpj-form"')
        self.assertNotContains(page, 'data-testid="report-link"')
        self.client.force_login(self.kpu_operator)
        page = self.client.get(f"/budget/agreements/{self.a.pk}/")
        self.assertContains(page, 'data-testid="report-link"')
        self.assertNotContains(page, 'data-testid="tranche-form"')
        self.client.force_login(self.bawaslu_investigator)
        self.assertNotContains(self.client.get(f"/budget/agreements/{self.a.pk}/"), 'data-testid="report-link"')

    def test_a_tranche_over_the_agreement_is_refused_on_the_page(self) -> None:
        self.client.force_login(self.desk_admin)
        with Unchanged(self):
            r = self.client.post(
                f"/budget/agreements/{self.a.pk}/",
                {"do": "tranche", "planned_on": "2024-04-01", "planned_amount": "6000000001"},
            )
        self.assertContains(r, "left to plan")

    def test_a_disbursement_over_its_tranche_is_refused_on_the_page(self) -> None:
        t = actions.add_tranche(self.desk_admin, self.a, dt.date(2024, 4, 1), 1_000_000)
        self.client.force_login(self.desk_admin)
        page = self.client.get(f"/budget/agreements/{self.a.pk}/")
        self.assertContains(page, 'data-testid="disburse-form"', count=1)
        p = f"t{t.pk}"
        post = {"do": "disburse", "prefix": p, f"{p}-tranche": t.pk, f"{p}-version": t.version}
        post |= {f"{p}-disbursed_on": "2024-04-02", f"{p}-disbursed_amount": "1000001"}
        with Unchanged(self):
            r = self.client.post(f"/budget/agreements/{self.a.pk}/", post)
        self.assertContains(r, "cannot exceed its tranche")
        post[f"{p}-disbursed_amount"] = "1000000"
        url = f"/budget/agreements/{self.a.pk}/"
        self.assertRedirects(self.client.post(url, post), url)
        self.assertEqual(Tranche.objects.get(pk=t.pk).disbursed_amount, 1_000_000)

    def test_the_recipient_reports_from_the_phone_form_and_bad_input_is_refused(self) -> None:
        self.client.force_login(self.kpu_operator)
        url = f"/budget/agreements/{self.a.pk}/report/"
        self.assertContains(self.client.get(url), 'data-testid="report-form"')
        base = {"client_id": str(uuid.uuid4()), "period_end": "2024-10-31", "submitted_on": "2024-11-05"}
        with Unchanged(self):
            r = self.client.post(url, {**base, "spent_logistics": "-5"})
        self.assertContains(r, "An amount cannot be negative.")
        with Unchanged(self):
            r = self.client.post(url, {**base, "spent_logistics": "4000000001"})
        self.assertContains(r, "more than the Rp 4 miliar disbursed")
        r = self.client.post(url, {**base, "spent_logistics": "1500000"})
        self.assertRedirects(r, f"/budget/agreements/{self.a.pk}/")
        self.assertEqual(Line.objects.get().amount, 1_500_000)
        self.client.force_login(self.bawaslu_investigator)
        self.assertEqual(self.client.get(url).status_code, 403)

    def test_the_desk_records_an_agreement_from_the_page(self) -> None:
        self.client.force_login(self.desk_admin)
        data = {
            "agency": self.bawaslu.pk,
            "number": "002/NPHD",
            "signed_on": "2024-03-02",
            "amount": "-1",
            "purpose": "Pengawasan",
        }
        with Unchanged(self):
            r = self.client.post("/budget/agreements/new/?region=64.02", data)
        self.assertContains(r, "An amount cannot be negative.")
        r = self.client.post("/budget/agreements/new/?region=64.02", {**data, "amount": "5000000000"})
        created = Agreement.objects.get(number="002/NPHD")
        self.assertRedirects(r, f"/budget/agreements/{created.pk}/")

    def test_the_public_page_shows_totals_only(self) -> None:
        r = self.client.get("/budget/public/64.02/")
        self.assertContains(r, 'data-testid="public-totals"')
        self.assertContains(r, "Rp 10 miliar")
        self.assertNotContains(r, "001/NPHD/2024")
        self.assertNotContains(r, "KPU Kukar")


class CommandTest(BudgetTestCase):
    def test_the_command_prints_the_report_figures_and_json_in_the_apis_shape(self) -> None:
        a = self.agreement()
        self.paid(a, 4_000_000_000, dt.date(2024, 3, 15))
        actions.set_lpj_due(self.desk_admin, a, dt.date(2024, 11, 1), a.version)
        out = io.StringIO()
        call_command("budget_status", "64.02", stdout=out)
        text = out.getvalue()
        self.assertIn("KPU Kukar: agreed Rp 10 miliar", text)
        self.assertIn("Late LPJ: 1", text)
        out = io.StringIO()
        call_command("budget_status", "64.02", "--json", stdout=out)
        data = json.loads(out.getvalue())
        self.assertEqual(data, json.loads(json.dumps(selectors.status_figures(self.election, "64.02"))))
        self.client.force_login(self.camat_sebulu)
        self.assertEqual(self.client.get("/api/v1/budget/status/64.02").json(), data)


class DemoTest(BudgetTestCase):
    def load(self) -> dict[str, int]:
        # the recipients as agencies/demo.py names them
        for name, kind, region in (
            (demo.KPU, AgencyKind.KPU, "64.02"),
            (demo.BAWASLU, AgencyKind.BAWASLU, "64.02"),
            (demo.POLRES_KUKAR, AgencyKind.POLRI, "64.02"),
            (demo.KODIM_KUKAR, AgencyKind.TNI, "64.02"),
            (demo.POLRES_BONTANG, AgencyKind.POLRI, "64.74"),
            (demo.KODIM_BONTANG, AgencyKind.TNI, "64.74"),
        ):
            Agency.objects.get_or_create(name=name, defaults={"kind": kind, "region_id": region})
        return demo.load({"election": self.election})

    def test_the_demo_splits_the_grant_and_shows_the_difference_from_the_quoted_total(self) -> None:
        self.assertEqual(self.load(), {"agreements": 7})
        self.assertEqual(self.load(), {"agreements": 7})  # loading again replaces, never doubles
        data = selectors.figures(self.election, "64.02")
        t = data["totals"]
        self.assertEqual(t["agreed"], 76_055_000_000 + 15_400_000_000 + 12_144_625_000)
        self.assertEqual(t["agreed"], 103_599_625_000)
        self.assertEqual(t["disbursed"], t["agreed"])
        whole = next(c for c in data["cited"] if c["agreement"] is None)
        self.assertEqual((whole["amount"], whole["recorded"]), (103_660_000_000, 103_599_625_000))
        self.assertEqual(whole["difference"], -60_375_000)
        bawaslu = next(c for c in data["cited"] if c["agreement"] is not None)
        self.assertEqual((bawaslu["recorded"], bawaslu["amount"]), (15_400_000_000, 14_033_000_000))
        [late] = data["late"]
        self.assertEqual(late["agreement"].agency.name, "Polres Bontang")
        self.assertTrue(late["illustrative"])
        self.assertTrue(data["illustrative"] and data["estimated"])

    def test_the_psu_addendum_exists_only_from_19_march_2025(self) -> None:
        self.load()
        addendum = Agreement.objects.get(amends__isnull=False)
        assert addendum.source is not None
        self.assertEqual(addendum.source.status, SourceStatus.ESTIMATED)
        self.assertFalse(selectors.existing(self.election, "64.02").filter(pk=addendum.pk).exists())
        with override_settings(SINERGI_TODAY="2025-04-15"):
            t = selectors.figures(self.election, "64.02")["totals"]
            self.assertEqual(t["agreed"], 103_599_625_000 + 62_400_000_000)
            whole = next(c for c in selectors.figures(self.election, "64.02")["cited"] if c["agreement"] is None)
            self.assertEqual(whole["difference"], -60_375_000)  # compared with what existed when quoted
        with override_settings(SINERGI_TODAY="2023-11-01"):
            self.assertEqual(selectors.figures(self.election, "64.02")["rows"], [])

    def test_the_pages_show_the_disagreements(self) -> None:
        self.load()
        self.client.force_login(self.desk_admin)
        self.client.cookies["django_language"] = "en"
        page = self.client.get("/budget/region/64.02/").content.decode()
        self.assertIn('data-testid="cited-difference"', page)
        self.assertIn("Rp 103.66 miliar", page)
        self.assertIn("Rp 103.6 miliar", page)
        self.assertIn("Rp 60.375 juta", page)
