"""Violations as Bawaslu, the Desk and the Gakkumdu partners use them: deadline arithmetic, the
workflow, the privacy of reporters, bad input refused with nothing written."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, override_settings
from django.utils import translation

from agencies.models import Agency, AgencyKind, Membership, Role
from core.actions import ConcurrentEditError
from core.models import AuditEntry
from regions.models import Region
from tests.base import SinergiTestCase
from violations import actions, deadlines, selectors
from violations.models import Case, Evidence, Holiday, Reporter, Rule, Status, Step

RULES = {key: deadlines.RuleDays(days, working) for key, _label, days, working in Rule.KEYS}
REPORTER = "Siti Pelapor Contoh"
PDF = b"%PDF-1.4\n%test\n"


class DeadlineArithmeticTest(SimpleTestCase):
    def test_calendar_days_count_every_day(self) -> None:
        # received on Friday 8 Nov 2024: decided by Monday 11 Nov
        self.assertEqual(deadlines.add_days(dt.date(2024, 11, 8), 3, False), dt.date(2024, 11, 11))

    def test_working_days_skip_the_weekend(self) -> None:
        # three working days from Friday 8 Nov 2024: Monday, Tuesday, Wednesday 13 Nov
        self.assertEqual(deadlines.add_days(dt.date(2024, 11, 8), 3, True), dt.date(2024, 11, 13))

    def test_working_days_skip_holidays(self) -> None:
        start = dt.date(2024, 11, 20)
        self.assertEqual(deadlines.add_days(start, 14, True), dt.date(2024, 12, 10))
        # the voting day, 27 Nov 2024, was a national holiday: the investigation ends a day later
        self.assertEqual(deadlines.add_days(start, 14, True, {dt.date(2024, 11, 27)}), dt.date(2024, 12, 11))

    def test_more_information_adds_the_extension_to_the_decision(self) -> None:
        received = dt.date(2024, 11, 12)
        plain = deadlines.deadline_for("review", received, received, False, RULES)
        extended = deadlines.deadline_for("review", received, received, True, RULES)
        self.assertEqual(plain, (dt.date(2024, 11, 15), "decide"))
        self.assertEqual(extended, (dt.date(2024, 11, 17), "decide"))

    def test_each_gakkumdu_stage_counts_from_its_own_start_in_working_days(self) -> None:
        received, started = dt.date(2024, 11, 1), dt.date(2024, 11, 15)  # a Friday
        self.assertEqual(
            deadlines.deadline_for("prosecution", received, started, False, RULES),
            (dt.date(2024, 11, 20), "prosecution"),
        )
        self.assertEqual(deadlines.deadline_for("court", received, started, False, RULES)[0], dt.date(2024, 11, 22))
        self.assertEqual(deadlines.deadline_for("referred", received, started, False, RULES), (None, ""))

    def test_days_left_count_working_days_and_go_negative_when_late(self) -> None:
        friday, monday = dt.date(2024, 11, 15), dt.date(2024, 11, 18)
        self.assertEqual(deadlines.days_left(monday, friday, True), 1)
        self.assertEqual(deadlines.days_left(monday, friday, False), 3)
        self.assertEqual(deadlines.days_left(friday, monday, True), -1)
        self.assertEqual(deadlines.days_left(friday, friday, True), 0)
        # a Friday deadline seen on the weekend is missed: a day late, not "0 days left"
        self.assertEqual(deadlines.days_left(friday, dt.date(2024, 11, 16), True), -1)
        self.assertEqual(deadlines.days_left(friday, dt.date(2024, 11, 17), True), -1)

    def test_a_report_is_due_seven_days_after_it_became_known(self) -> None:
        self.assertEqual(deadlines.report_deadline(dt.date(2024, 11, 1), RULES), dt.date(2024, 11, 8))


class ViolationsTestCase(SinergiTestCase):
    """The tests read the English messages (the language switch's other choice); one test shows
    the Indonesian default."""

    sebulu_ilir: Region

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.sebulu_ilir = Region.objects.get(code="64.02.07.2001")

    def setUp(self) -> None:
        super().setUp()
        self.enterContext(translation.override("en"))
        self.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def data(self, **over: Any) -> dict[str, Any]:
        return {
            "origin": "laporan",
            "occurred_on": dt.date(2024, 11, 10),
            "known_on": dt.date(2024, 11, 11),
            "received_on": dt.date(2024, 11, 12),
            "region": self.sebulu_ilir,
            "tps": None,
            "party_kind": "asn",
            "party_name": "Kepala Seksi X",
            "party_unit": "Kantor Kecamatan Sebulu",
            "category": "other_law",
            "summary": "ASN mengunggah dukungan kepada paslon",
            "description": "Unggahan di media sosial.",
            **over,
        }

    def intake(self, actor: Any = None, reporter: Any = None, **over: Any) -> Case:
        if reporter is None and over.get("origin", "laporan") == "laporan":
            reporter = {"name": REPORTER, "contact": "0812-1111-2222", "statement": "Saya melihat unggahan itu."}
        return actions.intake(actor or self.bawaslu_investigator, self.election, self.data(**over), reporter)

    def move(self, case: Case, status: str, actor: Any = None, **extra: Any) -> Case:
        data = {"note": f"ke {status}", "on": extra.pop("on", dt.date(2024, 11, 13)), **extra}
        return actions.advance(actor or self.bawaslu_investigator, case, status, data, case.version)

    def to_decided(self, case: Case, finding: str = "proven") -> Case:
        for status in ("registered", "clarification", "review"):
            case = self.move(case, status)
        return self.move(case, "decided", finding=finding)

    def member(self, username: str, agency: str, kind: str, region: str, role: str = Role.OPERATOR) -> Any:
        org, _ = Agency.objects.get_or_create(name=agency, defaults={"kind": kind, "region_id": region})
        user = get_user_model().objects.create(username=username)
        Membership.objects.create(user=user, agency=org, role=role, scope_id=region)
        return user


class IntakeTest(ViolationsTestCase):
    def test_bawaslu_records_a_laporan_with_its_deadline_and_a_numbered_first_step(self) -> None:
        case = self.intake()
        self.assertEqual((case.number, case.status), (1, Status.RECEIVED))
        self.assertEqual((case.deadline, case.deadline_rule), (dt.date(2024, 11, 15), "decide"))
        self.assertEqual(str(case.agency), "Bawaslu Kukar")
        self.assertEqual(list(case.steps.values_list("status", "on")), [("received", dt.date(2024, 11, 12))])
        self.assertEqual(self.intake(summary="Kedua").number, 2)

    def test_a_retried_submission_records_one_case(self) -> None:
        key = uuid.uuid4()
        first = actions.intake(self.bawaslu_investigator, self.election, self.data(), {"name": REPORTER}, client_id=key)
        again = actions.intake(self.bawaslu_investigator, self.election, self.data(), {"name": REPORTER}, client_id=key)
        self.assertEqual(first.pk, again.pk)
        self.assertEqual(Case.objects.count(), 1)
        with self.assertRaises(ConcurrentEditError):
            actions.intake(
                self.bawaslu_investigator, self.election, self.data(summary="Lain"), {"name": REPORTER}, client_id=key
            )

    def assert_refused(self, field: str, text: str, reporter: Any = None, files: Any = (), **over: Any) -> None:
        with self.assertRaises(ValidationError) as e:
            actions.intake(
                self.bawaslu_investigator, self.election, self.data(**over), reporter or {"name": "A"}, files
            )
        self.assertIn(text, " ".join(e.exception.message_dict[field]))
        self.assertEqual((Case.objects.count(), Reporter.objects.count(), Evidence.objects.count()), (0, 0, 0))

    def test_dates_out_of_order_are_refused(self) -> None:
        self.assert_refused("known_on", "before it happened", known_on=dt.date(2024, 11, 9))
        self.assert_refused("received_on", "before it became known", received_on=dt.date(2024, 11, 10))
        self.assert_refused("received_on", "after today", received_on=dt.date(2024, 11, 19))

    def test_the_message_is_in_indonesian_by_default(self) -> None:
        with translation.override("id"), self.assertRaises(ValidationError) as e:
            actions.intake(
                self.bawaslu_investigator, self.election, self.data(known_on=dt.date(2024, 11, 9)), {"name": "A"}
            )
        self.assertIn("sebelum", " ".join(e.exception.message_dict["known_on"]))

    def test_a_code_of_ethics_case_is_against_an_organiser(self) -> None:
        self.assert_refused("category", "organiser", category="kode_etik")

    def test_a_laporan_names_its_reporter_and_a_temuan_has_none(self) -> None:
        with self.assertRaises(ValidationError) as e:
            actions.intake(self.bawaslu_investigator, self.election, self.data(), {"name": " "})
        self.assertIn("reporter_name", e.exception.message_dict)
        self.assert_refused("reporter_name", "no reporter", reporter={"name": "Someone"}, origin="temuan")

    def test_evidence_of_a_forbidden_type_or_size_is_refused(self) -> None:
        fake = SimpleUploadedFile("bukti.pdf", b"MZ\x90\x00 not a pdf")
        self.assert_refused("evidence", "Only PDF", files=[fake])
        with override_settings(VIOLATION_EVIDENCE_MAX_BYTES=10):
            self.assert_refused("evidence", "the limit is", files=[SimpleUploadedFile("b.pdf", PDF)])

    def test_a_case_out_of_the_users_scope_is_refused(self) -> None:
        panwascam = self.member("panwascam_sebulu", "Panwascam Sebulu", AgencyKind.BAWASLU, "64.02.07")
        with self.assertRaises(PermissionDenied):
            actions.intake(
                panwascam, self.election, self.data(region=Region.objects.get(code="64.02.06.1001")), {"name": "A"}
            )
        with self.assertRaises(PermissionDenied):
            actions.intake(self.desk_admin, self.election, self.data(), {"name": "A"})
        self.assertEqual(Case.objects.count(), 0)
        self.assertEqual(
            str(actions.intake(panwascam, self.election, self.data(), {"name": "A"}).agency), "Panwascam Sebulu"
        )

    def test_a_place_outside_the_election_or_not_a_desa_is_refused(self) -> None:
        self.assert_refused("region", "kecamatan or desa", region=Region.objects.get(code="64.02"))
        self.assert_refused("tps", "not in", tps=self.tps_tenggarong)


class WorkflowTest(ViolationsTestCase):
    def test_a_pidana_case_goes_through_gakkumdu_with_each_step_recorded(self) -> None:
        case = self.to_decided(self.intake(category="pidana", party_kind="campaign"))
        case = self.move(case, "referred", referred_to="gakkumdu")
        self.assertIsNone(case.deadline)
        case = self.move(case, "investigation", actor=self.polres_officer, on=dt.date(2024, 11, 15))
        self.assertEqual((case.deadline, case.deadline_rule), (dt.date(2024, 12, 5), "investigation"))
        case = self.move(case, "prosecution", actor=self.polres_officer, on=dt.date(2024, 11, 18))
        case = self.move(case, "court", on=dt.date(2024, 11, 18))
        case = self.move(case, "closed", on=dt.date(2024, 11, 18), outcome="Dilimpahkan ke PN Tenggarong")
        self.assertFalse(case.is_open)
        steps = list(Step.objects.filter(case=case).values_list("status", "by_name"))
        self.assertEqual([s for s, _n in steps][-3:], ["prosecution", "court", "closed"])
        self.assertEqual(steps[6], ("investigation", "polres_officer"))
        self.assertEqual(case.finding, "proven")

    def test_a_transition_that_skips_a_state_is_refused_and_nothing_is_written(self) -> None:
        case = self.intake()
        with self.assertRaises(ValidationError) as e:
            self.move(case, "review")
        self.assertIn("not “Review (kajian)”", e.exception.message_dict["status"][0])
        case.refresh_from_db()
        self.assertEqual((case.status, case.version, case.steps.count()), ("received", 1, 1))

    def test_a_report_more_than_seven_days_after_it_became_known_is_not_registered(self) -> None:
        case = self.intake(occurred_on=dt.date(2024, 11, 1), known_on=dt.date(2024, 11, 2))
        with self.assertRaises(ValidationError) as e:
            self.move(case, "registered")
        self.assertIn("reported late", e.exception.message_dict["status"][0])
        case = self.move(case, "not_registered", reason="late")
        self.assertEqual((case.status, case.not_registered_reason, case.deadline), ("not_registered", "late", None))

    def test_a_report_in_time_is_not_refused_as_late(self) -> None:
        with self.assertRaises(ValidationError) as e:
            self.move(self.intake(), "not_registered", reason="late")
        self.assertIn("in time", e.exception.message_dict["reason"][0])

    def test_the_referral_must_match_the_category_and_the_party(self) -> None:
        case = self.to_decided(self.intake())
        for target, text in (("gakkumdu", "goes to"), ("kasn", "BKN"), ("bupati", "kepala desa")):
            with self.subTest(target=target), self.assertRaises(ValidationError) as e:
                self.move(case, "referred", referred_to=target)
            self.assertIn(text, e.exception.message_dict["referred_to"][0])
        case = self.move(case, "referred", referred_to="bkn")
        self.assertEqual((case.referred_to, case.referred_on), ("bkn", dt.date(2024, 11, 13)))

    def test_a_proven_violation_is_referred_before_it_closes_and_an_unproven_one_closes(self) -> None:
        case = self.to_decided(self.intake())
        with self.assertRaises(ValidationError):
            self.move(case, "closed", outcome="Selesai")
        other = self.to_decided(self.intake(summary="Lain"), finding="not_proven")
        with self.assertRaises(ValidationError):
            self.move(other, "closed")  # no outcome
        self.assertEqual(self.move(other, "closed", outcome="Tidak terbukti").status, "closed")

    def test_a_request_for_information_extends_the_decision_once(self) -> None:
        case = self.move(self.intake(), "registered")
        case = actions.request_information(self.bawaslu_investigator, case, "Saksi tambahan", case.version)
        self.assertEqual((case.extended, case.deadline), (True, dt.date(2024, 11, 17)))
        with self.assertRaises(ValidationError):
            actions.request_information(self.bawaslu_investigator, case, "Lagi", case.version)

    def test_a_stale_version_is_a_conflict(self) -> None:
        case = self.intake()
        self.move(case, "registered")
        with self.assertRaises(ConcurrentEditError):
            actions.advance(self.bawaslu_investigator, case, "registered", {"note": "x"}, 1)

    def test_polri_moves_only_the_gakkumdu_stages_and_the_desk_nothing(self) -> None:
        case = self.to_decided(self.intake(category="pidana", party_kind="campaign"))
        with self.assertRaises(PermissionDenied):
            self.move(case, "referred", actor=self.polres_officer, referred_to="gakkumdu")
        with self.assertRaises(PermissionDenied):
            self.move(case, "referred", actor=self.desk_admin, referred_to="gakkumdu")

    def test_no_sanction_is_recorded_for_a_case_referred_to_kpu_dkpp_or_gakkumdu(self) -> None:
        case = self.move(
            self.to_decided(self.intake(category="administrasi", party_kind="campaign")), "referred", referred_to="kpu"
        )
        with self.assertRaises(ValidationError) as e:
            actions.record_sanction(self.desk_admin, case, "Teguran", dt.date(2024, 11, 14), case.version)
        self.assertIn("BKN", e.exception.message_dict["sanction"][0])

    def test_the_form_offers_only_the_steps_the_state_allows(self) -> None:
        proven = self.to_decided(self.intake())
        self.assertEqual(actions.possible_steps(self.bawaslu_investigator, proven), ("referred",))
        unproven = self.to_decided(self.intake(summary="Lain"), finding="not_proven")
        self.assertEqual(actions.possible_steps(self.bawaslu_investigator, unproven), ("closed",))
        to_bkn = self.move(proven, "referred", referred_to="bkn")
        self.assertEqual(actions.possible_steps(self.bawaslu_investigator, to_bkn), ("closed",))
        self.assertEqual(actions.possible_steps(self.desk_admin, to_bkn), ())

    def test_a_retried_id_answers_only_the_same_case_of_the_same_election_and_place(self) -> None:
        key = uuid.uuid4()
        actions.intake(self.bawaslu_investigator, self.election, self.data(), {"name": REPORTER}, client_id=key)
        panwascam = self.member("panwascam_tenggarong", "Panwascam Tenggarong", AgencyKind.BAWASLU, "64.02.06")
        elsewhere = self.data(region=Region.objects.get(code="64.02.06.1001"))
        with self.assertRaises(PermissionDenied):  # the case lies outside their area
            actions.intake(panwascam, self.election, elsewhere, {"name": REPORTER}, client_id=key)
        with self.assertRaises(ConcurrentEditError):  # same summary, another place
            actions.intake(self.bawaslu_investigator, self.election, elsewhere, {"name": REPORTER}, client_id=key)
        self.assertEqual(Case.objects.count(), 1)

    def test_the_sanction_is_recorded_by_the_desk_after_the_referral(self) -> None:
        case = self.intake()
        with self.assertRaises(ValidationError):
            actions.record_sanction(self.desk_admin, case, "Teguran tertulis", dt.date(2024, 11, 14), case.version)
        case = self.move(self.to_decided(case), "referred", referred_to="bkn")
        case = actions.record_sanction(self.desk_admin, case, "Teguran tertulis", dt.date(2024, 11, 16), case.version)
        self.assertEqual(case.sanction, "Teguran tertulis")
        with self.assertRaises(PermissionDenied):
            actions.record_sanction(self.polres_officer, case, "x", dt.date(2024, 11, 16), case.version)


class CalendarTest(ViolationsTestCase):
    def test_a_holiday_moves_the_deadlines_of_open_cases(self) -> None:
        admin = self.member("bawaslu_kaltim", "Bawaslu Kaltim", AgencyKind.BAWASLU, "64", Role.ADMIN)
        case = self.to_decided(self.intake(category="pidana", party_kind="campaign"))
        case = self.move(self.move(case, "referred", referred_to="gakkumdu"), "investigation", on=dt.date(2024, 11, 15))
        self.assertEqual(case.deadline, dt.date(2024, 12, 5))
        actions.add_holiday(admin, self.election, dt.date(2024, 11, 27), "Pemungutan suara")
        case.refresh_from_db()
        self.assertEqual(case.deadline, dt.date(2024, 12, 6))
        with self.assertRaises(PermissionDenied):
            actions.add_holiday(self.bawaslu_investigator, self.election, dt.date(2024, 12, 25), "Natal")
        actions.set_rule(admin, self.election, "investigation", 10, True, 1)
        case.refresh_from_db()
        self.assertEqual(case.deadline, dt.date(2024, 12, 2))  # 10 working days, 27 Nov off
        self.assertEqual(Holiday.objects.count(), 1)

    def test_a_changed_decision_rule_moves_the_cases_awaiting_a_decision_only(self) -> None:
        admin = self.member("bawaslu_kaltim", "Bawaslu Kaltim", AgencyKind.BAWASLU, "64", Role.ADMIN)
        waiting = self.intake()
        extended = self.move(self.intake(summary="Diperpanjang"), "registered")
        extended = actions.request_information(self.bawaslu_investigator, extended, "Saksi", extended.version)
        closed = self.move(self.to_decided(self.intake(summary="Selesai"), "not_proven"), "closed", outcome="Selesai")
        actions.set_rule(admin, self.election, "decide", 5, False, 1)
        with self.assertRaises(ConcurrentEditError):  # someone else set it meanwhile
            actions.set_rule(admin, self.election, "decide", 4, False, 1)
        deadlines_now = dict(Case.objects.values_list("pk", "deadline"))
        self.assertEqual(deadlines_now[waiting.pk], dt.date(2024, 11, 17))
        self.assertEqual(deadlines_now[extended.pk], dt.date(2024, 11, 19))
        self.assertIsNone(deadlines_now[closed.pk])

    def test_deadlines_are_re_derived_in_chunks_of_dates(self) -> None:
        for day in range(12, 17):
            self.intake(summary=f"Kasus {day}", received_on=dt.date(2024, 11, day), known_on=dt.date(2024, 11, 11))
        Case.objects.update(deadline=None)
        with mock.patch.object(actions, "RECOMPUTE_CHUNK", 2):
            actions.recompute(self.election)
        for case in Case.objects.all():
            self.assertEqual(case.deadline, case.received_on + dt.timedelta(days=3))

    def test_the_calendar_page_shows_the_rules_and_lets_only_the_admin_add_a_holiday(self) -> None:
        admin = self.member("bawaslu_kaltim", "Bawaslu Kaltim", AgencyKind.BAWASLU, "64", Role.ADMIN)
        self.client.force_login(self.desk_admin)
        page = self.client.get("/violations/calendar/")
        self.assertContains(page, "14")
        self.assertNotContains(page, 'data-testid="holiday-form"')
        self.client.force_login(admin)
        self.assertContains(self.client.get("/violations/calendar/"), 'data-testid="holiday-form"')
        self.assertFalse(Rule.objects.exists())  # opening the page writes nothing
        r = self.client.post("/violations/calendar/", {"do": "holiday", "day": "2024-11-27", "name": "Pilkada"})
        self.assertEqual(r.status_code, 302)
        r = self.client.post("/violations/calendar/", {"do": "holiday", "day": "2024-11-27", "name": "Lagi"})
        self.assertContains(r, "already a holiday")
        self.assertEqual(Holiday.objects.count(), 1)
        rule = {"do": "rule", "rule": "investigation", "days": "10", "working_days": "on", "version": "1"}
        self.assertEqual(self.client.post("/violations/calendar/", rule).status_code, 302)
        self.assertContains(self.client.post("/violations/calendar/", {**rule, "days": "10"}), "changed by someone")
        self.assertEqual(Rule.objects.get().days, 10)


class PrivacyTest(ViolationsTestCase):
    def test_only_bawaslu_reads_the_reporter_and_the_evidence(self) -> None:
        case = actions.intake(
            self.bawaslu_investigator,
            self.election,
            self.data(),
            {"name": REPORTER},
            [SimpleUploadedFile("bukti.pdf", PDF)],
        )
        self.assertEqual(Reporter.objects.restrict(self.bawaslu_investigator).get().name, REPORTER)
        for user in (self.desk_admin, self.kpu_operator, self.polres_officer, self.camat_sebulu):
            self.assertFalse(Reporter.objects.restrict(user).exists())
            self.assertFalse(Evidence.objects.restrict(user).exists())
        self.client.force_login(self.desk_admin)
        page = self.client.get(f"/violations/cases/{case.pk}/")
        self.assertContains(page, case.summary)
        self.assertNotContains(page, REPORTER)
        self.client.force_login(self.bawaslu_investigator)
        self.assertContains(self.client.get(f"/violations/cases/{case.pk}/"), REPORTER)

    def test_no_audit_row_names_the_reporter(self) -> None:
        self.intake()
        self.assertTrue(AuditEntry.objects.filter(action="violations.reporter").exists())
        for row in AuditEntry.objects.all():
            self.assertNotIn(REPORTER, f"{row.object_repr} {row.changes} {row.note}")

    def test_polri_sees_a_case_only_once_it_is_referred_to_gakkumdu(self) -> None:
        case = self.to_decided(self.intake(category="pidana", party_kind="campaign"))
        self.assertFalse(Case.objects.restrict(self.polres_officer).exists())
        self.move(case, "referred", referred_to="gakkumdu")
        self.assertEqual(list(Case.objects.restrict(self.polres_officer)), [case])
        self.assertEqual(Step.objects.restrict(self.polres_officer).filter(case=case).count(), 6)

    def test_the_public_page_shows_counts_only(self) -> None:
        self.intake()
        self.intake(summary="Politik uang", category="pidana", party_kind="campaign", party_name="Tim X")
        page = self.client.get("/violations/public/64.02/")
        self.assertContains(page, 'data-testid="public-stats"')
        text = page.content.decode()
        for secret in (REPORTER, "Kepala Seksi X", "Politik uang", "Tim X"):
            self.assertNotIn(secret, text)
        stats = selectors.statistics(self.election, "64.02")
        self.assertEqual((stats["total"], stats["open"], stats["asn"]["cases"]), (2, 2, 1))
        self.assertContains(page, 'data-testid="as-of"')


class StatisticsTest(ViolationsTestCase):
    def test_every_statistic_belongs_to_one_election(self) -> None:
        from elections.models import Election, ElectionKind

        pemilu = Election.objects.create(
            name="Pemilu 2024", kind=ElectionKind.PEMILU, region_id="64", voting_date=dt.date(2024, 2, 14)
        )
        for n in range(3):
            actions.intake(
                None,
                pemilu,
                self.data(
                    summary=f"ASN Pemilu {n}",
                    occurred_on=dt.date(2024, 1, 20),
                    known_on=dt.date(2024, 1, 21),
                    received_on=dt.date(2024, 1, 22),
                ),
                {"name": "A"},
            )
        self.intake()
        self.assertEqual(selectors.statistics(self.election, "64.02")["asn"]["cases"], 1)
        self.assertEqual(selectors.statistics(pemilu, "64.02")["asn"]["cases"], 3)
        self.assertEqual(Case.objects.get(election=self.election).number, 1)  # numbered per election

    def test_a_case_received_after_today_is_not_counted_yet(self) -> None:
        case = self.intake()
        Case.objects.filter(pk=case.pk).update(received_on=dt.date(2024, 11, 20))  # as a later replay would
        self.assertEqual(selectors.statistics(self.election, "64.02")["total"], 0)
        self.assertFalse(selectors.visible(self.desk_admin, self.election).exists())


class PagesTest(ViolationsTestCase):
    def form(self, **over: Any) -> dict[str, Any]:
        return {
            "client_id": str(uuid.uuid4()),
            "origin": "laporan",
            "summary": "Kepala desa berkampanye",
            "category": "other_law",
            "party_kind": "village",
            "party_name": "Kepala Desa Sebulu Ilir",
            "occurred_on": "2024-11-14",
            "known_on": "2024-11-14",
            "received_on": "2024-11-15",
            "region": "64.02.07.2001",
            "reporter_name": REPORTER,
            **over,
        }

    def test_bawaslu_records_a_case_from_the_form_once_even_when_retried(self) -> None:
        self.client.force_login(self.bawaslu_investigator)
        data = self.form()
        r = self.client.post("/violations/cases/new/", data)
        case = Case.objects.get()
        self.assertRedirects(r, f"/violations/cases/{case.pk}/")
        self.client.post("/violations/cases/new/", data)
        self.assertEqual(Case.objects.count(), 1)
        self.assertEqual(case.reporter.name, REPORTER)

    def test_the_form_keeps_several_evidence_files_for_bawaslu(self) -> None:
        self.client.force_login(self.bawaslu_investigator)
        files = [SimpleUploadedFile("surat.pdf", PDF), SimpleUploadedFile("foto.pdf", PDF)]
        r = self.client.post("/violations/cases/new/", {**self.form(), "evidence": files})
        self.assertEqual(r.status_code, 302)
        self.assertEqual(sorted(Evidence.objects.values_list("filename", flat=True)), ["foto.pdf", "surat.pdf"])
        case = Case.objects.get()
        r = self.client.post(
            f"/violations/cases/{case.pk}/", {"do": "evidence", "evidence": [SimpleUploadedFile("x.txt", b"hello")]}
        )
        self.assertContains(r, "Only PDF")
        self.assertEqual(Evidence.objects.count(), 2)

    def test_a_bad_form_says_what_is_wrong_and_writes_nothing(self) -> None:
        self.client.force_login(self.bawaslu_investigator)
        r = self.client.post("/violations/cases/new/", self.form(known_on="2024-11-16"))
        self.assertContains(r, "before it became known")
        r = self.client.post("/violations/cases/new/", self.form(region="64.02.99.9999"))
        self.assertContains(r, "not a known region code")
        self.assertEqual(Case.objects.count(), 0)

    def test_the_case_page_moves_a_case_and_shows_its_timeline_and_deadline(self) -> None:
        case = self.intake()
        self.client.force_login(self.bawaslu_investigator)
        page = self.client.get(f"/violations/cases/{case.pk}/")
        self.assertContains(page, 'data-testid="deadline"')
        r = self.client.post(
            f"/violations/cases/{case.pk}/",
            {"do": "step", "status": "review", "note": "Langsung kajian", "version": case.version},
        )
        self.assertContains(r, "not “Review (kajian)”")
        r = self.client.post(
            f"/violations/cases/{case.pk}/",
            {"do": "step", "status": "registered", "note": "Syarat terpenuhi", "version": case.version},
        )
        self.assertEqual(r.status_code, 302)
        self.assertContains(self.client.get(f"/violations/cases/{case.pk}/"), "Syarat terpenuhi")

    def test_the_list_filters_and_exports_without_the_reporter(self) -> None:
        self.intake()
        self.intake(summary="Politik uang", category="pidana", party_kind="campaign")
        self.client.force_login(self.desk_admin)
        page = self.client.get("/violations/cases/?category=pidana")
        self.assertContains(page, "Politik uang")
        self.assertNotContains(page, "ASN mengunggah")
        export = self.client.get("/violations/cases/?export=csv")
        text = b"".join(export.streaming_content).decode()  # type: ignore[attr-defined]
        self.assertIn("ASN mengunggah", text)
        self.assertNotIn(REPORTER, text)
        self.client.force_login(self.bawaslu_investigator)
        self.assertNotContains(self.client.get(f"/violations/cases/?q={REPORTER[:4]}"), "ASN mengunggah")

    def test_the_desk_sees_the_asn_cases_and_their_sanction(self) -> None:
        case = self.move(self.to_decided(self.intake()), "referred", referred_to="bkn")
        actions.record_sanction(self.desk_admin, case, "Hukuman disiplin sedang", dt.date(2024, 11, 17), case.version)
        self.client.force_login(self.desk_admin)
        page = self.client.get("/violations/asn/")
        self.assertContains(page, "Kepala Seksi X")
        self.assertContains(page, "Hukuman disiplin sedang")
        self.assertContains(page, "BKN")

    def test_the_region_page_lists_the_overdue_and_near_cases(self) -> None:
        late = self.intake(received_on=dt.date(2024, 11, 14))  # due 17 Nov: a day late on the 18th
        near = self.intake(summary="Baru", received_on=dt.date(2024, 11, 16))  # due 19 Nov
        self.client.force_login(self.desk_admin)
        page = self.client.get("/violations/region/64.02/")
        self.assertContains(page, 'data-testid="overdue"', count=1)
        self.assertContains(page, 'data-testid="near"', count=1)
        self.assertContains(page, 'data-testid="chart-category"')
        due = selectors.due(self.desk_admin, self.election)
        self.assertEqual(([d.case for d in due["overdue"]], [d.case for d in due["near"]]), ([late], [near]))
        self.assertNotContains(page, 'data-testid="due-narrowed"')
        self.assertEqual((due["overdue_total"], due["near_total"]), (1, 1))
        # a long list is cut on the page, and its whole is one filter away
        with mock.patch.object(selectors, "DUE_LIMIT", 0):
            page = self.client.get("/violations/region/64.02/")
        self.assertContains(page, 'data-testid="overdue-all"')
        listed = self.client.get("/violations/cases/?status=overdue")
        self.assertContains(listed, 'data-testid="case-row"', count=1)
        self.assertContains(listed, late.summary)
        # the camat of Sebulu reads Kukar's counts (public) but only Sebulu's cases, and is told so
        self.client.force_login(self.camat_sebulu)
        self.assertContains(self.client.get("/violations/region/64.02/"), 'data-testid="due-narrowed"')

    def test_bawaslus_home_lists_its_late_cases_among_its_tasks(self) -> None:
        self.intake(received_on=dt.date(2024, 11, 14))
        self.client.force_login(self.bawaslu_investigator)
        tasks = self.client.get("/")
        self.assertContains(tasks, "Case #1: ASN mengunggah dukungan kepada paslon (Received)")
        self.client.force_login(self.desk_admin)
        self.assertNotContains(self.client.get("/"), "Case #1: ASN")

    def test_a_case_one_working_day_away_across_a_long_holiday_is_near(self) -> None:
        case = self.to_decided(self.intake(category="pidana", party_kind="campaign"))
        case = self.move(self.move(case, "referred", referred_to="gakkumdu"), "investigation", on=dt.date(2024, 11, 13))
        # the prosecutor's 3 working days from Thursday 14 Nov: Friday, Monday 18 Nov, and then --
        # with every working day to 29 Nov off -- Monday 2 Dec, the next working day after today
        case = self.move(case, "prosecution", on=dt.date(2024, 11, 14))
        for day in range(19, 30):
            Holiday.objects.create(election=self.election, day=dt.date(2024, 11, day), name="Libur")
        actions.recompute(self.election)
        case.refresh_from_db()
        near = selectors.due(self.desk_admin, self.election)["near"]
        self.assertEqual([(d.case, d.days_left) for d in near], [(case, 1)])
        self.assertEqual(case.deadline, dt.date(2024, 12, 2))

    def test_the_home_tile_and_the_report_section_show_the_counts(self) -> None:
        self.intake(received_on=dt.date(2024, 11, 14))
        self.client.force_login(self.desk_admin)
        self.assertContains(self.client.get("/"), 'data-testid="violations-tile"')
        report = self.client.get("/meetings/report/64.02/")
        self.assertContains(report, "1 past its deadline")
        # a kept report is read by every agency: counts, never a case or a party
        self.assertNotContains(report, "ASN mengunggah")
        self.assertNotContains(report, "Kepala Seksi X")
