"""The Kaltim Pilkada 2024 demo reproduces the published figures exactly."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.management import call_command
from django.db.models import Count, F, Sum
from django.test import TestCase, override_settings

from agencies import demo as agencies_demo
from agencies.models import Membership
from core.registry import registry
from core.scoping import subtree_q
from elections import demo as elections_demo
from elections.models import Contest, Election, ReferenceFigure
from regions import demo as regions_demo
from regions.models import Level, PollingStation, Region


def totals(code: str) -> dict[str, int]:
    return PollingStation.objects.filter(subtree_q("village", code)).aggregate(
        tps=Count("id"), male=Sum("dpt_male"), female=Sum("dpt_female")
    )


class DemoTest(TestCase):
    out: io.StringIO

    @classmethod
    def setUpTestData(cls) -> None:
        cls.out = io.StringIO()
        call_command("load_demo", stdout=cls.out)

    def test_the_national_region_tree_is_loaded(self) -> None:
        counts = dict(Region.objects.values_list("level").annotate(n=Count("code")))
        self.assertEqual(counts, {1: 38, 2: 514, 3: 7285, 4: 83762})

    def test_kukar_has_exactly_its_published_tps_and_dpt(self) -> None:
        self.assertEqual(totals("64.02"), {"tps": 1443, "male": 287_725, "female": 264_744})
        villages = PollingStation.objects.filter(subtree_q("village", "64.02")).values("village").distinct().count()
        self.assertEqual(villages, 237)
        self.assertEqual(Region.objects.filter(subtree_q("code", "64.02"), level=Level.KECAMATAN).count(), 20)

    def test_the_province_and_the_cities_match_the_published_dpt(self) -> None:
        for code, dpt in {"64": 2_821_202, "64.72": 612_072, "64.71": 520_986}.items():
            t = totals(code)
            self.assertEqual(t["male"] + t["female"], dpt, code)
        tps = {kab: totals(kab)["tps"] for kab, (n, _, _) in regions_demo.KABKOTA.items()}
        self.assertEqual(tps, {kab: n for kab, (n, _, _) in regions_demo.KABKOTA.items()})

    def test_the_province_split_and_kutai_barat_are_the_published_figures(self) -> None:
        self.assertEqual(totals("64"), {"tps": 6264, "male": 1_456_666, "female": 1_364_536})
        kubar = totals("64.07")
        self.assertEqual((kubar["tps"], kubar["male"], kubar["female"]), (321, 67_365, 60_739))

    def test_the_thirty_tps_lokasi_khusus_are_where_and_what_kpu_published(self) -> None:
        special = PollingStation.objects.filter(special_location=True)
        by_kab = {k: special.filter(subtree_q("village", k)).count() for k in regions_demo.KABKOTA}
        self.assertEqual(
            {k: n for k, n in by_kab.items() if n},
            {"64.01": 5, "64.02": 6, "64.03": 3, "64.08": 2, "64.71": 4, "64.72": 7, "64.74": 3},
        )
        kinds = dict(special.values_list("special_kind").annotate(n=Count("id")))
        self.assertEqual(kinds, {"prison": 17, "company": 11, "campus": 2})  # 57%, 36%, 7%
        kukar = special.filter(subtree_q("village", "64.02"))
        self.assertTrue(all(t.village_id.startswith("64.02.06.") for t in kukar))  # Tenggarong
        self.assertEqual(kukar.filter(address__startswith="Lapas Kelas IIA Tenggarong").count(), 4)
        self.assertEqual(kukar.filter(address__startswith="Lapas Perempuan Kelas IIA Tenggarong").count(), 2)
        self.assertFalse(PollingStation.objects.filter(special_location=False).exclude(special_kind="").exists())

    def test_every_demo_tps_row_is_labelled_illustrative(self) -> None:
        self.assertFalse(PollingStation.objects.exclude(source__status="illustrative").exists())

    def test_published_figures_are_kept_with_their_sources_including_disagreements(self) -> None:
        tps = ReferenceFigure.objects.filter(region_id="64", figure="tps").order_by("source__as_of")
        self.assertEqual(
            [(f.value, f.source.as_of.isoformat()) for f in tps], [(6264, "2024-09-16"), (6274, "2024-09-22")]
        )
        kukar = ReferenceFigure.objects.filter(region_id="64.02", figure="tps").order_by("source__as_of")
        self.assertEqual([f.value for f in kukar], [1441, 1443, 1443, 1447])
        estimated = ReferenceFigure.objects.filter(source__status="estimated", figure="dpt")
        self.assertEqual(
            sorted(estimated.values_list("region_id", flat=True)),
            ["64.01", "64.03", "64.08", "64.09", "64.11", "64.74"],
        )
        # every kab/kota's DPT, published or estimated, adds up to the province's plenary figure
        dpt = ReferenceFigure.objects.filter(figure="dpt", region__level=2).aggregate(s=Sum("value"))["s"]
        self.assertEqual(dpt, 2_821_202)
        for kab in regions_demo.KABKOTA:
            figures = {f.figure: f.value for f in ReferenceFigure.objects.filter(region_id=kab)}
            t = totals(kab)
            self.assertEqual((figures["dpt_male"], figures["dpt_female"]), (t["male"], t["female"]), kab)

    def test_the_summaries_are_exact_after_the_demo(self) -> None:
        for builder in registry.summaries:
            self.assertEqual(builder.check(), [], builder.name)
        self.assertTrue(registry.summaries)

    def test_no_tps_is_above_the_pilkada_maximum(self) -> None:
        self.assertFalse(PollingStation.objects.filter(dpt_male__gt=600 - F("dpt_female")).exists())

    def test_upstream_kecamatan_are_reached_by_river_or_air(self) -> None:
        for kec in regions_demo.RIVER_KECAMATAN:
            modes = set(PollingStation.objects.filter(subtree_q("village", kec)).values_list("access_mode", flat=True))
            self.assertLessEqual(modes, {"river", "air"}, kec)
        self.assertTrue(PollingStation.objects.filter(access_mode="air").exists())
        self.assertEqual(PollingStation.objects.filter(special_location=True).count(), 30)

    def test_the_contests_pairs_and_the_psu_round(self) -> None:
        election = Election.objects.get(name=elections_demo.ELECTION_NAME)
        self.assertEqual(election.days_to_go(), 9)
        psu = Contest.objects.get(revote_of__isnull=False)
        self.assertEqual(psu.revote_of.region_id, "64.02")  # type: ignore[union-attr]
        self.assertEqual(psu.pairs.get(number=1).head_name, "Aulia Rahman Basri")
        self.assertTrue(psu.revote_of.pairs.get(number=2).independent)  # type: ignore[union-attr]
        gov = Contest.objects.get(kind="governor")
        self.assertEqual([p.head_name for p in gov.pairs.order_by("number")], ["Isran Noor", "Rudy Mas'ud"])

    def test_personas_have_their_roles_and_logins_are_printed(self) -> None:
        self.assertEqual(Membership.objects.get(user__username="camat.sebulu").scope_id, "64.02.07")
        self.assertIn("desk.kukar", self.out.getvalue())
        self.assertIn(agencies_demo.DEMO_PASSWORD, self.out.getvalue())

    def test_loading_again_changes_nothing(self) -> None:
        before = PollingStation.objects.count(), Membership.objects.count(), Contest.objects.count()
        call_command("load_demo", stdout=io.StringIO())
        self.assertEqual((PollingStation.objects.count(), Membership.objects.count(), Contest.objects.count()), before)

    def test_the_bawaslu_persona_handles_cases_and_is_no_investigator(self) -> None:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(username="bawaslu.kukar")
        self.assertEqual(user.get_full_name(), "Staf Penanganan Pelanggaran Bawaslu Kukar")
        self.assertNotIn("Penyidik", self.out.getvalue())

    def test_the_warehouse_stock_follows_the_demo_moment(self) -> None:
        from core import demo
        from logistics import demo_stock
        from logistics.models import Node, StockEntry

        warehouse = Node.objects.get(level=1, region_id="64.02")
        ballots = StockEntry.objects.filter(warehouse=warehouse, item__code="ballot-6402")
        # 18 Nov: sorted, 312 damaged, 253 asked for beyond the 59 spares, not arrived yet
        self.assertEqual(
            dict(ballots.values_list("kind", "quantity")),
            {"delivered": ballots.get(kind="delivered").quantity, "damaged": 312, "requested": 253},
        )
        self.assertTrue(all(e.source and e.source.status == "illustrative" for e in ballots))
        with override_settings(SINERGI_TODAY="2024-11-25"):  # the clock moves first, as set_moment does
            demo_stock.replay({}, demo.MOMENTS[1][0])  # 25 Nov: the replacement arrived
        self.assertEqual(ballots.get(kind="replaced").quantity, 253)
        demo_stock.replay({}, demo.MOMENTS[0][0])  # back to 18 Nov: it has not happened yet
        self.assertFalse(ballots.filter(kind="replaced").exists())

    def test_each_stock_movement_is_audited_when_it_happened(self) -> None:
        from django.contrib.contenttypes.models import ContentType

        from core.models import AuditEntry
        from logistics.models import StockEntry

        entries = dict(StockEntry.objects.values_list("pk", "at"))
        self.assertTrue(entries)
        audited = AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(StockEntry), object_id__in=[str(pk) for pk in entries]
        )
        self.assertEqual({int(a.object_id): a.at for a in audited}, entries)

    @override_settings(DEMO=True)
    def test_the_report_kept_at_the_18_november_rakor_keeps_its_figures_when_the_clock_moves(self) -> None:
        import json

        from django.contrib.auth import get_user_model

        from core import demo
        from meetings.models import ReportSnapshot

        kept = ReportSnapshot.objects.get()
        self.assertIn("logistics.summary", [s["name"] for s in kept.data["sections"]])
        stored = json.dumps(kept.data)
        # 25 Nov: the logistics are replayed first and have moved on; the report of 18 Nov 09.30 has not
        demo.set_moment(get_user_model().objects.get(username="desk.kukar"), demo.MOMENTS[1][0])
        self.assertEqual(json.dumps(ReportSnapshot.objects.get().data), stored)

    def test_the_security_picture_of_kukar_as_published_and_as_illustrated(self) -> None:
        from core import demo
        from security import demo as security_demo
        from security.models import Assessment, ForcePool, Incident, RegionalIndex

        kukar = Assessment.objects.filter(village__gte="64.02", village__lt="64.02/", current=True)
        self.assertEqual(kukar.count(), 1443)
        self.assertEqual(set(kukar.values_list("source__status", flat=True)), {"illustrative"})
        days = kukar.values_list("observed_on", flat=True)
        self.assertEqual((min(days), max(days)), (dt.date(2024, 11, 10), dt.date(2024, 11, 15)))
        # upstream TPS reached by river are flagged for their location and logistics
        tabang = kukar.filter(village__gte="64.02.12", village__lt="64.02.12/")
        self.assertTrue(all({"7.1", "6.3"} <= {i.code for i in a.indicators.all()} for a in tabang))
        ikp = {r.region_id: (str(r.score), r.band, r.source.status) for r in RegionalIndex.objects.all()}
        self.assertEqual(ikp, {"64.02": ("51.28", "tinggi", "official"), "64": ("77.04", "tinggi", "official")})
        # 18 Nov: nothing reported after the moment; the deployment was published on 25 Nov
        self.assertFalse(Incident.objects.filter(reported_at__gt=demo.MOMENTS[0][0]).exists())
        self.assertTrue(Incident.objects.exists())
        self.assertFalse(ForcePool.objects.exists())
        security_demo.replay({}, demo.MOMENTS[1][0])
        try:
            kukar_pool = ForcePool.objects.filter(agency__name="Polres Kutai Kartanegara")
            totals = {f: sum(getattr(p, f) for p in kukar_pool) for f in ("organic", "bko", "urc_platoons")}
            self.assertEqual(totals["organic"] + totals["bko"], 550)
            self.assertEqual((totals["bko"], totals["urc_platoons"]), (70, 3))
            bontang = ForcePool.objects.filter(agency__name="Polres Bontang")
            self.assertEqual((sum(p.polri for p in bontang), sum(p.linmas for p in bontang)), (420, 846))
            short = [
                r["region"].name
                for r in security_selectors_deployment()["rows"]
                if r["gap_linmas"] and r["region"].code.startswith("64.02.")
            ]
            self.assertEqual(sorted(short), ["Kembang Janggut", "Muara Kaman", "Tabang"])
        finally:
            security_demo.replay({}, demo.MOMENTS[0][0])


def security_selectors_deployment() -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from elections.models import Election
    from security import selectors

    desk = get_user_model()(username="t", is_superuser=True, is_active=True)
    return selectors.deployment(desk, Election.objects.get(region_id="64"), "")


class ViolationsDemoTest(TestCase):
    """Bawaslu Kukar's 11 Pilkada cases as of the 9 Nov 2024 rakor (illustrative: the breakdown is not
    published) and the published report on the incumbent's ASN transfers, replayed to a moment."""

    election: Election
    bawaslu: Any

    @classmethod
    def setUpTestData(cls) -> None:
        from django.contrib.auth import get_user_model

        call_command("load_demo", stdout=io.StringIO())
        cls.election = Election.objects.get(name=elections_demo.ELECTION_NAME)
        cls.bawaslu = get_user_model().objects.get(username="bawaslu.kukar")

    @staticmethod
    def h9() -> dt.datetime:
        from core import demo

        return demo.MOMENTS[0][0]  # 18 Nov 2024, the moment the demo is loaded at

    @staticmethod
    def transfer_case() -> Any:
        from violations.models import Case

        return Case.objects.filter(summary="Mutasi ASN oleh petahana dalam masa larangan").first()

    def assert_nothing_after(self, moment: dt.datetime) -> None:
        from django.contrib.contenttypes.models import ContentType

        from core.models import AuditEntry
        from violations.models import Case, Step

        self.assertFalse(Case.objects.filter(received_on__gt=moment.date()).exists())
        self.assertFalse(Step.objects.filter(at__gt=moment).exists())
        audited = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Case))
        self.assertFalse(audited.filter(at__gt=moment).exists())
        self.assertTrue(audited.exists())

    def test_the_eleven_kukar_violation_cases_of_the_9_november_rakor_one_near_and_one_overdue(self) -> None:
        from core import dates
        from violations import demo as violations_demo
        from violations import selectors
        from violations.models import Case, Status

        rakor = violations_demo.RAKOR_9_NOV
        violations_demo.replay({}, rakor)
        with dates.pinned(rakor):
            cases = selectors.visible(self.bawaslu, self.election, "64.02")
            self.assertEqual(cases.count(), 11)
            self.assertEqual(set(cases.values_list("source__status", flat=True)), {"illustrative"})
            self.assertTrue(all(c.region.level == 4 for c in cases))
            self.assertEqual(set(cases.values_list("category", flat=True)), {"administrasi", "pidana", "other_law"})
            self.assertEqual(
                set(cases.values_list("party_kind", flat=True)), {"asn", "village", "campaign", "organiser"}
            )
            self.assertEqual(cases.filter(status="not_registered", not_registered_reason="late").count(), 1)
            self.assertEqual(cases.filter(status="closed", finding="not_proven").count(), 0)  # that one ends 14 Nov
            late = selectors.due(self.bawaslu, self.election)
            self.assertEqual(len(late["near"]), 1)
            near = late["near"][0]
            self.assertIn(near.case.deadline, (dt.date(2024, 11, 9), dt.date(2024, 11, 10)))
            self.assertTrue(0 <= near.days_left <= 1)
            self.assertEqual(len(late["overdue"]), 1)
            overdue = late["overdue"][0]
            self.assertLess(overdue.case.deadline or dt.date.max, dt.date(2024, 11, 9))
            self.assertIn(
                overdue.case.status, (Status.RECEIVED, Status.REGISTERED, Status.CLARIFICATION, Status.REVIEW)
            )
        self.assertIsNone(self.transfer_case())
        self.assert_nothing_after(rakor)
        # the same cases later on: the overdue one was decided and referred, the not-proven one closed
        violations_demo.replay({}, self.h9())
        later = Case.objects.get(client_id=overdue.case.client_id)  # written again by the replay
        self.assertEqual((later.status, later.referred_to), ("referred", "bupati"))
        closed = Case.objects.filter(status="closed", finding="not_proven", source__status="illustrative")
        self.assertEqual(closed.count(), 1)

    def test_as_the_demo_opens_on_18_november_one_case_is_past_and_one_at_its_deadline(self) -> None:
        from core import dates
        from violations import demo as violations_demo
        from violations import selectors

        violations_demo.replay({}, self.h9())
        with dates.pinned(self.h9()):
            late = selectors.due(self.bawaslu, self.election)
            self.assertEqual(
                [(d.case.summary, d.days_left) for d in late["overdue"]],
                [("ASN hadir berseragam dalam kampanye tatap muka", -2)],
            )
            self.assertEqual([(d.case.summary, d.days_left) for d in late["near"]], [("Kampanye di tempat ibadah", 0)])
            self.assertEqual(
                set(selectors.visible(self.bawaslu, self.election).values_list("source__key", flat=True)),
                {violations_demo.ILLUSTRATIVE_KEY, violations_demo.AFTER_KEY, violations_demo.OUTCOME_KEY},
            )

    def test_the_published_asn_transfer_report_appears_from_11_november_with_its_steps(self) -> None:
        from violations import demo as violations_demo

        violations_demo.replay({}, dt.datetime(2024, 11, 10, 12, tzinfo=violations_demo.WITA))
        self.assertIsNone(self.transfer_case())
        clarifying = dt.datetime(2024, 11, 13, 12, tzinfo=violations_demo.WITA)
        violations_demo.replay({}, clarifying)
        case = self.transfer_case()
        self.assertEqual((case.origin, case.category, case.party_kind), ("laporan", "pidana", "candidate"))
        self.assertEqual(
            (case.received_on, case.status, case.source.status), (dt.date(2024, 11, 11), "clarification", "official")
        )
        steps = list(case.steps.values_list("status", "on"))
        self.assertEqual(
            steps,
            [
                ("received", dt.date(2024, 11, 11)),
                ("registered", dt.date(2024, 11, 11)),
                ("clarification", dt.date(2024, 11, 12)),
                ("clarification", dt.date(2024, 11, 12)),  # the extension while the clarification runs
            ],
        )
        self.assertIn("Gakkumdu", case.steps.get(status="registered").note)
        self.assertIn("12-14 Nov 2024", case.steps.filter(status="clarification").first().note)
        self.assertEqual(case.deadline, dt.date(2024, 11, 16))
        self.assert_nothing_after(clarifying)
        # 18 Nov (the loaded demo's moment): reported as not an election crime on 17 Nov
        violations_demo.replay({}, self.h9())
        case = self.transfer_case()
        self.assertEqual((case.status, case.finding, case.number), ("closed", "not_proven", 12))
        self.assertEqual(case.steps.get(status="review").on, dt.date(2024, 11, 15))
        self.assertEqual(case.source.status, "official")
        self.assertEqual(case.reporter.name, "Pelapor (tidak dipublikasikan)")

    def test_no_reporter_name_appears_in_a_case_its_steps_or_its_audit_rows(self) -> None:
        from django.contrib.contenttypes.models import ContentType

        from core.models import AuditEntry
        from violations.models import Case, Reporter

        names = list(Reporter.objects.values_list("name", flat=True))
        self.assertEqual(len(names), Case.objects.filter(origin="laporan").count())
        self.assertEqual(len(names), 10)
        cases = ContentType.objects.get_for_model(Case)
        for case in Case.objects.all():
            texts = [
                case.party_name,
                case.party_unit,
                case.summary,
                case.description,
                case.outcome,
                case.sanction,
                str(case),
                *case.steps.values_list("note", flat=True),
                *case.steps.values_list("by_name", flat=True),
            ]
            for entry in AuditEntry.objects.filter(content_type=cases, object_id=str(case.pk)):
                texts += [entry.object_repr, str(entry.changes)]
            for name in names:
                self.assertFalse(any(name in t for t in texts), (case.number, name))

    def test_replaying_an_earlier_moment_removes_the_later_cases_and_back(self) -> None:
        from violations import demo as violations_demo
        from violations.models import Case, Step

        self.assertEqual(Case.objects.count(), 14)
        first_november = dt.datetime(2024, 11, 1, 12, tzinfo=violations_demo.WITA)
        violations_demo.replay({}, first_november)
        self.assertEqual(
            sorted(Case.objects.values_list("received_on", flat=True)),
            [dt.date(2024, 10, 23), dt.date(2024, 10, 25), dt.date(2024, 10, 28), dt.date(2024, 10, 30)],
        )
        self.assert_nothing_after(first_november)
        violations_demo.replay({}, self.h9())
        self.assertEqual(list(Case.objects.order_by("number").values_list("number", flat=True)), list(range(1, 15)))
        ids = {violations_demo.client_id(spec["key"]) for spec in violations_demo.CASES}
        self.assertEqual(set(Case.objects.values_list("client_id", flat=True)), ids)
        # the sembako case of 9 Nov is linked to the security demo's money-politics incident
        linked = Case.objects.get(client_id=violations_demo.client_id("sembako-loa-kulu"))
        self.assertEqual(list(linked.incidents.values_list("kind", flat=True)), ["money"])
        self.assertEqual(linked.region_id, linked.incidents.get().region_id)
        self.assertTrue(Step.objects.exists())
