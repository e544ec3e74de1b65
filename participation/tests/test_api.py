"""The participation API, ``participation_status`` and the demo: the same rules as the pages, one
shape for the report's figures, and nothing shown before the day it came to exist."""

from __future__ import annotations

import datetime as dt
import io
import json
import uuid
from typing import Any

from django.core.management import call_command
from django.test import override_settings

from core.models import AuditEntry
from core.scoping import subtree_q
from participation import actions, demo, selectors
from participation.models import Outreach, Target, TurnoutHistory, TurnoutReport
from participation.tests.test_participation import ParticipationTestCase
from regions.models import PollingStation


class ApiTestCase(ParticipationTestCase):
    def post(self, url: str, data: Any) -> Any:
        return self.client.post(url, json.dumps(data), content_type="application/json")

    def body(self, **over: Any) -> dict[str, Any]:
        return {
            "client_id": str(uuid.uuid4()),
            "held_on": "2024-11-15",
            "region": "64.02.07.2001",
            "audience": ["first_time"],
            "attendance": 50,
            "notes": "Catatan internal",
            **over,
        }


class OutreachApiTest(ApiTestCase):
    def test_a_retried_outreach_is_recorded_once(self) -> None:
        self.client.force_login(self.kpu_operator)
        body = self.body()
        first, again = (
            self.post("/api/v1/participation/outreach", body),
            self.post("/api/v1/participation/outreach", body),
        )
        self.assertEqual((first.status_code, again.status_code), (201, 201))
        self.assertEqual(first.json()["id"], again.json()["id"])
        self.assertEqual(Outreach.objects.count(), 1)
        self.assertEqual(first.json()["agency"], "KPU Kukar")

    def test_the_same_id_with_another_event_is_a_conflict(self) -> None:
        self.client.force_login(self.kpu_operator)
        body = self.body()
        self.post("/api/v1/participation/outreach", body)
        r = self.post("/api/v1/participation/outreach", {**body, "attendance": 7})
        self.assertEqual(r.status_code, 409)
        self.assertEqual(Outreach.objects.count(), 1)

    def test_a_negative_attendance_is_a_400_naming_the_field(self) -> None:
        self.client.force_login(self.kpu_operator)
        before = AuditEntry.objects.count()
        r = self.post("/api/v1/participation/outreach", self.body(attendance=-1))
        self.assertEqual(r.status_code, 400)
        self.assertIn("attendance", r.content.decode())
        self.assertEqual((Outreach.objects.count(), AuditEntry.objects.count()), (0, before))

    def test_a_target_outside_0_to_100_is_a_400_and_nothing_written(self) -> None:
        self.client.force_login(self.desk_admin)
        r = self.post(
            "/api/v1/participation/targets",
            {
                "region": "64.02",
                "value": "150",
                "cited_on": "2024-11-18",
                "source_status": "official",
                "source_publisher": "Pjs Bupati",
                "source_title": "Rakor",
                "source_as_of": "2024-11-18",
            },
        )
        self.assertEqual(r.status_code, 400)
        self.assertIn("between 0 and 100", r.content.decode())
        self.assertEqual(Target.objects.count(), 0)


class VotingDayApiTest(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.enterContext(override_settings(SINERGI_TODAY="2024-11-27"))

    def test_a_report_is_recorded_once_and_a_later_one_supersedes_it(self) -> None:
        self.client.force_login(self.kpu_operator)
        body = {"client_id": str(uuid.uuid4()), "village": "64.02.07.2001", "tps": "1", "voters": 250}
        first, again = (
            self.post("/api/v1/participation/turnout", body),
            self.post("/api/v1/participation/turnout", body),
        )
        self.assertEqual((first.status_code, again.status_code), (201, 201))
        self.assertEqual(first.json()["id"], again.json()["id"])
        later = self.post("/api/v1/participation/turnout", {**body, "client_id": str(uuid.uuid4()), "voters": 260})
        self.assertEqual(later.status_code, 201)
        listed = self.client.get("/api/v1/participation/turnout").json()["items"]
        self.assertEqual([(r["voters"], r["current"]) for r in listed], [(260, True), (250, False)])
        status = self.client.get("/api/v1/participation/status/64.02").json()
        self.assertEqual(status["voting_day"]["voters"], 260)
        self.assertEqual(status["voting_day"]["reported"], 1)

    def test_a_report_above_the_tps_voters_is_a_400(self) -> None:
        self.client.force_login(self.kpu_operator)
        body = {"client_id": str(uuid.uuid4()), "village": "64.02.07.2001", "tps": "1", "voters": 500}
        r = self.post("/api/v1/participation/turnout", body)
        self.assertEqual(r.status_code, 400)
        self.assertIn("More voters (500)", r.content.decode())
        self.assertEqual(TurnoutReport.objects.count(), 0)

    def test_a_report_for_a_tps_out_of_scope_is_a_403(self) -> None:
        self.client.force_login(self.kpu_operator)
        body = {"client_id": str(uuid.uuid4()), "village": "64.72.01.1001", "tps": "1", "voters": 100}
        self.assertEqual(self.post("/api/v1/participation/turnout", body).status_code, 403)
        self.assertEqual(TurnoutReport.objects.count(), 0)


class StatusTest(ApiTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.target("79.5", dt.date(2024, 9, 1))
        self.target("77.5")
        self.history()
        self.event()

    def test_the_status_api_and_the_command_give_the_same_figures(self) -> None:
        self.client.force_login(self.camat_sebulu)
        api = self.client.get("/api/v1/participation/status/64.02").json()
        out = io.StringIO()
        call_command("participation_status", "64.02", "--json", stdout=out)
        self.assertEqual(json.loads(out.getvalue()), api)
        self.assertEqual(api["working_target"], 77.5)
        self.assertTrue(api["targets_disagree"])
        self.assertEqual([t["source"]["publisher"] for t in api["targets"]], ["Pjs Bupati Kukar"] * 2)
        self.assertEqual(api["last_turnout"]["value"], 56.57)
        self.assertEqual(api["outreach"]["events"], 1)
        self.assertNotIn("Catatan rahasia", json.dumps(api))

    def test_the_command_prints_targets_history_and_gap(self) -> None:
        out = io.StringIO()
        call_command("participation_status", "64.02", stdout=out)
        text = out.getvalue()
        self.assertIn("Working target (latest cited): 77.50% (the cited targets disagree)", text)
        self.assertIn("Pilkada 2020: 56.57% (published)", text)
        self.assertIn(
            "64.02.07 Sebulu: DPT 390, last 56.57% [Kabupaten Kutai Kartanegara], needed 82, 1 event(s)", text
        )

    def test_the_public_api_gives_targets_and_history_but_no_event(self) -> None:
        r = self.client.get("/api/v1/public/participation/64.02")
        self.assertEqual(r.status_code, 200)
        data = r.json()
        self.assertEqual((data["working_target"], len(data["history"])), (77.5, 1))
        self.assertNotIn("outreach", data)
        self.assertNotIn("Catatan rahasia", r.content.decode())


class DemoTest(ParticipationTestCase):
    def test_the_demo_loads_its_targets_history_events_and_reports_once(self) -> None:
        for n in ("002", "003"):
            PollingStation.objects.create(
                election=self.election, village_id="64.02.07.2002", number=n, dpt_male=150, dpt_female=140
            )
        first = demo.load({"election": self.election})
        self.assertEqual((first["targets"], first["history"], first["reports"]), (2, 3, 3))
        self.assertGreaterEqual(first["outreach"], 8)
        again = demo.load({"election": self.election})
        self.assertEqual(sum(again.values()), 0)
        # on the 18th: both targets (they disagree), 2019 and 2020 only, no voting-day report yet
        t = selectors.targets(self.election, "64.02")
        self.assertTrue(t["disagree"])
        self.assertEqual(str(t["value"]), "77.5")
        self.assertEqual([h.label for h in selectors.history("64.02")], ["Pilkada 2020", "Pemilu 2019"])
        self.assertIsNone(selectors.voting_day(self.election, "64.02"))
        self.assertTrue(Outreach.objects.filter(subtree_q("region", "64.02.07")).exists())
        self.assertTrue(all(o.source and o.source.status == "illustrative" for o in Outreach.objects.all()))
        later = selectors.history("64.02", dt.date(2024, 12, 5))
        self.assertEqual(str(later[0].turnout), "70.98")
        vd = selectors.voting_day(self.election, "64.02", dt.date(2024, 11, 27))
        assert vd is not None
        self.assertEqual((vd["reported"], vd["illustrative"]), (3, True))
        self.assertEqual(TurnoutHistory.objects.count(), 3)

    def test_actions_are_the_only_writer(self) -> None:
        # the demo writes through the actions: each record has its audit row
        demo.load({"election": self.election})
        self.assertEqual(AuditEntry.objects.filter(action="participation.target").count(), Target.objects.count())
        self.assertEqual(actions.outreach_window(self.election), (dt.date(2024, 9, 25), dt.date(2024, 11, 26)))
