"""Routes for Kalimantan: legs with transshipment points (truck to the landing, then longboat, then
ketinting), scheduled departures (a helicopter slot, a weekly boat), conditions (flood, low water,
rapids) with an alternative route, and the refusals that keep a route sane."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client, override_settings

from agencies.models import ApiToken
from core.models import AuditEntry, Source, SourceStatus
from logistics import actions, rules, selectors, summaries
from logistics.models import Alert, AlertKind, LogisticsSummary, Node, NodeLevel, Route, RouteLeg
from logistics.tests.base import WITA, LogisticsTestCase, at
from regions.models import AccessMode, Region
from tests import fixtures

TRUCK_TO_LANDING = {"mode": "truck", "minutes": 150, "start_point": "Gudang KPU", "end_point": "Dermaga Kota Bangun"}
LONGBOAT = {
    "mode": "longboat",
    "minutes": 180,
    "start_point": "dermaga kota bangun",  # the same landing, however it is capitalised
    "end_point": "Muara sungai",
    "transfer_minutes": 30,
}
KETINTING = {"mode": "ketinting", "minutes": 60, "start_point": "Muara sungai", "end_point": "Dermaga desa"}


def helicopter(*departures: str, minutes: int = 90) -> dict[str, Any]:
    return {
        "mode": "helicopter",
        "minutes": minutes,
        "start_point": "Bandara",
        "departures": list(departures),
        "scheduled": True,
    }


TRUCK_TO_AIRSTRIP = {"mode": "truck", "minutes": 60, "end_point": "Bandara"}


class RouteTestCase(LogisticsTestCase):
    def setUp(self) -> None:
        super().setUp()
        # the desk's day is after voting: dispatches on the days these tests play are in the past
        self.enterContext(override_settings(SINERGI_TODAY="2024-11-28"))

    def route_to_sebulu(self, legs: list[dict[str, Any]], **kw: Any) -> Route:
        route = actions.save_route(self.kpu_operator, self.warehouse, self.ppk_sebulu, legs=legs, **kw)
        self.ppk_sebulu.refresh_from_db()
        return route

    def client_for(self, user: Any) -> Client:
        return Client(HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(user, 'routes')[1]}")

    def dispatch_to_sebulu(self, when: dt.datetime) -> Any:
        return self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4}, dispatched=when)


class MultimodalLegsTest(RouteTestCase):
    def test_kpu_saves_truck_longboat_and_ketinting_as_three_legs_with_the_total_time(self) -> None:
        route = self.route_to_sebulu([TRUCK_TO_LANDING, LONGBOAT, KETINTING])
        legs = list(route.legs.all())
        self.assertEqual([leg.mode for leg in legs], ["truck", "longboat", "ketinting"])
        self.assertEqual([leg.position for leg in legs], [1, 2, 3])
        self.assertEqual(legs[1].start_point, "dermaga kota bangun")
        # travel and transshipment added up; the boat's tolerance applies (truck then boat waits for water)
        self.assertEqual((route.travel_minutes, route.mode), (150 + 30 + 180 + 60, "longboat"))
        self.assertEqual((self.ppk_sebulu.inbound_minutes, self.ppk_sebulu.inbound_mode), (420, "longboat"))
        # due at the PPK on 23 Nov 23.59 (H-4): 7 h on the way and 4 h of margin by water
        self.assertEqual(self.ppk_sebulu.inbound_depart_by, at(23, 12) + dt.timedelta(minutes=59))
        self.assertTrue(AuditEntry.objects.filter(action="logistics.route_save", actor=self.kpu_operator).exists())

    def test_goods_reach_the_kecamatan_after_every_leg_and_transshipment(self) -> None:
        self.route_to_sebulu([TRUCK_TO_LANDING, LONGBOAT, KETINTING])
        s = self.dispatch_to_sebulu(at(22, 6))
        self.assertEqual(s.expected_arrival, at(22, 13))

    def test_an_existing_route_of_one_transport_stays_valid_with_one_implicit_leg(self) -> None:
        route = Route.objects.prefetch_related("legs").get(destination=self.ppk_sebulu)
        self.assertFalse(RouteLeg.objects.filter(route=route).exists())
        (leg,) = route.main_legs
        self.assertEqual((leg.mode, leg.minutes), (route.mode, route.travel_minutes))
        self.assertEqual([(x.mode, x.minutes) for x in route.plan_legs], [(route.mode, route.travel_minutes)])

    def test_saving_one_transport_again_drops_the_legs(self) -> None:
        self.route_to_sebulu([TRUCK_TO_LANDING, LONGBOAT])
        actions.save_route(self.kpu_operator, self.warehouse, self.ppk_sebulu, "truck", 100)
        self.assertFalse(RouteLeg.objects.filter(route__destination=self.ppk_sebulu).exists())
        self.ppk_sebulu.refresh_from_db()
        self.assertEqual((self.ppk_sebulu.inbound_mode, self.ppk_sebulu.inbound_minutes), ("truck", 100))


class ScheduledDeparturesTest(RouteTestCase):
    def test_a_helicopter_leaves_at_its_slot_not_when_the_goods_reach_the_airstrip(self) -> None:
        self.route_to_sebulu([TRUCK_TO_AIRSTRIP, {**helicopter("2024-11-23 08.00"), "start_point": "Bandara"}])
        s = self.dispatch_to_sebulu(at(22, 9))  # at the airstrip at 10.00, the slot is the next morning
        self.assertEqual(s.expected_arrival, at(23, 9) + dt.timedelta(minutes=30))

    def test_a_weekly_boat_leaves_on_its_weekday(self) -> None:
        weekly = {"mode": "longboat", "minutes": 240, "departures": ["Senin 07.00", "Kamis 07.00"], "scheduled": True}
        self.route_to_sebulu([weekly])
        s = self.dispatch_to_sebulu(at(16, 10))  # a Saturday: the Monday boat (18 Nov), four hours
        self.assertEqual(s.expected_arrival, at(18, 11))

    def test_the_overdue_alert_counts_from_the_arrival_after_the_slot(self) -> None:
        self.route_to_sebulu([TRUCK_TO_AIRSTRIP, helicopter("2024-11-23 08.00")])
        self.dispatch_to_sebulu(at(22, 9))
        eta = at(23, 9) + dt.timedelta(minutes=30)
        actions.scan_risks(self.election, eta + dt.timedelta(hours=11))
        self.assertFalse(Alert.objects.filter(kind=AlertKind.OVERDUE).exists())
        actions.scan_risks(self.election, eta + dt.timedelta(hours=12))  # a helicopter's tolerance
        self.assertTrue(Alert.objects.filter(kind=AlertKind.OVERDUE, node=self.ppk_sebulu).exists())

    def test_a_dispatch_after_the_last_slot_is_refused_and_writes_nothing(self) -> None:
        self.route_to_sebulu([TRUCK_TO_AIRSTRIP, helicopter("2024-11-23 08.00")])
        s = self.ship(self.warehouse, self.ppk_sebulu, {"booth": 4}, dispatched=None)
        with self.assertRaises(ValidationError) as caught:
            actions.dispatch_shipment(self.kpu_operator, s, at(23, 9), s.version)
        self.assertIn("Tidak ada lagi jadwal keberangkatan", str(caught.exception))
        s.refresh_from_db()
        self.assertEqual((s.status, s.dispatched_at), ("planned", None))

    def test_the_node_is_at_risk_once_its_latest_safe_dispatch_passed_though_time_is_left(self) -> None:
        # PPK deadline: 23 Nov 23.59 (H-4). The only slot: 22 Nov 08.00; the truck takes an hour first.
        self.route_to_sebulu([TRUCK_TO_AIRSTRIP, helicopter("2024-11-22 08.00")])
        self.assertEqual(self.ppk_sebulu.inbound_depart_by, at(22, 7))
        self.assertNotIn(self.ppk_sebulu, self.at_risk(at(22, 7)))
        risks = dict(selectors.at_risk_nodes(self.election, None, at(22, 8)))
        self.assertIn("harus berangkat paling lambat 22 November 2024 07.00 WITA", risks[self.ppk_sebulu])
        # the region summaries judge it the same way
        summaries.refresh(self.election, now=at(22, 8))
        kec = LogisticsSummary.objects.get(election=self.election, region_code="64.02.07", node_level=NodeLevel.PPK)
        self.assertEqual(kec.at_risk, 1)

    def test_a_slot_after_the_deadline_puts_the_node_at_risk_at_once(self) -> None:
        self.route_to_sebulu([TRUCK_TO_AIRSTRIP, helicopter("2024-11-24 08.00")])
        self.assertEqual(self.ppk_sebulu.inbound_depart_by, rules.NO_SAFE_DISPATCH)
        risks = dict(selectors.at_risk_nodes(self.election, None, at(18, 9)))
        self.assertIn("tidak ada jadwal keberangkatan", risks[self.ppk_sebulu])

    def test_moving_the_deadline_moves_the_latest_safe_dispatch(self) -> None:
        self.route_to_sebulu([TRUCK_TO_AIRSTRIP, helicopter("2024-11-24 08.00")])
        actions.save_plan(None, self.election, {"ppk_due_days": 2})  # now due 25 Nov 23.59
        self.ppk_sebulu.refresh_from_db()
        self.assertEqual(self.ppk_sebulu.inbound_depart_by, at(24, 7))

    def at_risk(self, now: dt.datetime) -> list[Node]:
        return [n for n, _reason in selectors.at_risk_nodes(self.election, None, now)]


class DepartureWordsTest(RouteTestCase):
    def test_departures_are_read_in_indonesian_or_english_and_stored_one_way(self) -> None:
        self.assertEqual(rules.parse_departure("Senin 07.00"), "mon 07:00")
        self.assertEqual(rules.parse_departure("friday 7:30"), "fri 07:30")
        self.assertEqual(rules.parse_departure("Jum'at 13.00"), "fri 13:00")
        self.assertEqual(rules.parse_departure("2024-11-25 08.00"), "2024-11-25 08:00")
        for bad in ("besok pagi", "Senin 25.00", "2024-13-01 08.00", "Senin"):
            with self.subTest(bad=bad), self.assertRaises(rules.DepartureError):
                rules.parse_departure(bad)

    def test_the_page_writes_a_weekly_departure_with_its_day(self) -> None:
        self.route_to_sebulu([{"mode": "speedboat", "minutes": 60, "departures": ["thu 07:00"], "scheduled": True}])
        leg = RouteLeg.objects.get(route__destination=self.ppk_sebulu)
        self.assertEqual(leg.departure_labels(), ["setiap Kamis 07.00"])


class ConditionTest(RouteTestCase):
    MAIN = [{"mode": "longboat", "minutes": 300}]
    BY_ROAD_THEN_KETINTING = [
        {"mode": "truck", "minutes": 150, "end_point": "Dermaga Kota Bangun"},
        {"mode": "ketinting", "minutes": 240, "start_point": "Dermaga Kota Bangun", "transfer_minutes": 30},
    ]

    def test_while_the_lake_runs_low_the_plan_goes_by_the_alternative_and_the_page_says_so(self) -> None:
        route = self.route_to_sebulu(self.MAIN, alternative=self.BY_ROAD_THEN_KETINTING)
        self.assertEqual(self.ppk_sebulu.inbound_minutes, 300)  # no condition: the usual route
        actions.set_route_condition(self.kpu_operator, route, "low_water", "Danau Semayang surut", at(19, 8))
        self.ppk_sebulu.refresh_from_db()
        self.assertEqual((self.ppk_sebulu.inbound_minutes, self.ppk_sebulu.inbound_mode), (420, "ketinting"))
        s = self.dispatch_to_sebulu(at(20, 6))
        self.assertEqual(s.expected_arrival, at(20, 13))
        self.client.force_login(self.camat_sebulu)
        page = self.client.get(f"/logistics/nodes/{self.ppk_sebulu.pk}/").content.decode()
        self.assertIn("Air surut sejak 19 November 2024 08.00 WITA: Danau Semayang surut.", page)
        self.assertIn("Rencana memakai rute alternatif.", page)
        self.assertIn("Dermaga Kota Bangun", page)
        self.assertTrue(AuditEntry.objects.filter(action="logistics.route_condition").exists())

    def test_when_the_condition_is_lifted_the_plan_goes_back_to_the_usual_route(self) -> None:
        route = self.route_to_sebulu(self.MAIN, alternative=self.BY_ROAD_THEN_KETINTING)
        route = actions.set_route_condition(self.kpu_operator, route, "flood", "Banjir", at(19, 8))
        route = actions.set_route_condition(self.kpu_operator, route, "")
        self.ppk_sebulu.refresh_from_db()
        self.assertEqual(self.ppk_sebulu.inbound_minutes, 300)
        self.assertEqual((route.condition_note, route.condition_since), ("", None))

    def test_a_condition_without_an_alternative_keeps_the_route_and_the_page_says_so(self) -> None:
        route = self.route_to_sebulu(self.MAIN)
        actions.set_route_condition(self.kpu_operator, route, "rapids", "Riam tidak bisa dilewati", at(19, 8))
        self.ppk_sebulu.refresh_from_db()
        self.assertEqual(self.ppk_sebulu.inbound_minutes, 300)
        self.client.force_login(self.kpu_operator)
        page = self.client.get(f"/logistics/nodes/{self.ppk_sebulu.pk}/").content.decode()
        self.assertIn("Belum ada rute alternatif", page)

    def test_an_unknown_condition_or_one_without_a_note_is_refused_and_writes_nothing(self) -> None:
        route = self.route_to_sebulu(self.MAIN)
        for condition, note, field, words in (
            ("landslide", "Longsor", "condition", "bukan kondisi rute"),
            ("flood", "  ", "condition_note", "Jelaskan apa yang terjadi"),
        ):
            with self.subTest(condition=condition), self.assertRaises(ValidationError) as caught:
                actions.set_route_condition(self.kpu_operator, route, condition, note)
            self.assertIn(words, " ".join(caught.exception.message_dict[field]))
        route.refresh_from_db()
        self.assertEqual((route.condition, route.version), ("", 1 if route.version == 1 else route.version))
        self.assertFalse(AuditEntry.objects.filter(action="logistics.route_condition").exists())

    def test_the_status_command_lists_the_routes_affected(self) -> None:
        route = self.route_to_sebulu(self.MAIN, alternative=self.BY_ROAD_THEN_KETINTING)
        actions.set_route_condition(self.kpu_operator, route, "low_water", "Danau Semayang surut", at(19, 8))
        out = io.StringIO()
        call_command("logistics_status", "64.02", f"--election={self.election.pk}", stdout=out)
        self.assertIn("Routes affected: 1", out.getvalue())
        self.assertIn(
            "Air surut since 19 November 2024 08.00 WITA (Danau Semayang surut); the plan goes by the alternative",
            out.getvalue(),
        )

    def test_a_condition_since_a_time_in_the_future_is_refused(self) -> None:
        route = self.route_to_sebulu(self.MAIN)
        with self.assertRaises(ValidationError) as caught:
            actions.set_route_condition(self.kpu_operator, route, "flood", "Banjir", at(29, 8))
        self.assertIn("condition_since", caught.exception.message_dict)


class RefusalsTest(RouteTestCase):
    def assert_refused(self, destination: Node, legs: list[dict[str, Any]], words: str, **kw: Any) -> None:
        origin = Route.objects.get(destination=destination).origin
        before = list(Route.objects.filter(destination=destination).values())
        with self.assertRaises(ValidationError) as caught:
            actions.save_route(self.kpu_operator, origin, destination, legs=legs, **kw)
        self.assertIn(words, " ".join(m for ms in caught.exception.message_dict.values() for m in ms))
        self.assertEqual(list(Route.objects.filter(destination=destination).values()), before)
        self.assertFalse(RouteLeg.objects.exists())
        self.assertFalse(AuditEntry.objects.filter(action="logistics.route_save").exists())

    def test_no_helicopter_flies_between_the_pps_and_a_tps_of_its_own_desa(self) -> None:
        self.assert_refused(self.kpps_sebulu, [{"mode": "helicopter", "minutes": 20}], "Helikopter tidak terbang")
        with self.assertRaises(ValidationError) as caught:
            actions.save_route(self.kpu_operator, self.pps_sebulu_ilir, self.kpps_sebulu, "helicopter", 20)
        self.assertIn("mode", caught.exception.message_dict)

    def test_a_leg_shorter_than_a_minute_or_longer_than_thirty_days_is_refused(self) -> None:
        for minutes in (0, 30 * 24 * 60 + 1):
            with self.subTest(minutes=minutes):
                self.assert_refused(
                    self.ppk_sebulu,
                    [TRUCK_TO_LANDING, {**LONGBOAT, "minutes": minutes}],
                    "Kaki 2: Waktu tempuh harus antara 1 menit dan 30 hari.",
                )

    def test_a_schedule_with_no_departure_is_refused(self) -> None:
        self.assert_refused(self.ppk_sebulu, [helicopter()], "paling sedikit satu keberangkatan")

    def test_a_departure_that_is_no_day_and_time_is_refused(self) -> None:
        self.assert_refused(self.ppk_sebulu, [helicopter("kalau cuaca cerah")], "“kalau cuaca cerah” bukan")

    def test_a_helicopter_slot_far_from_the_voting_day_is_refused(self) -> None:
        self.assert_refused(
            self.ppk_sebulu, [helicopter("2099-11-25 08.00")], "“2099-11-25 08.00”: Waktunya harus dalam 366 hari"
        )

    def test_legs_that_do_not_connect_are_refused(self) -> None:
        self.assert_refused(
            self.ppk_sebulu,
            [TRUCK_TO_LANDING, {**LONGBOAT, "start_point": "Dermaga Muara Muntai"}],
            "Kaki 2: Berangkat dari “Dermaga Muara Muntai”, padahal kaki sebelumnya berakhir di “Dermaga Kota Bangun”",
        )

    def test_an_alternative_is_checked_like_the_route(self) -> None:
        self.assert_refused(
            self.ppk_sebulu, [TRUCK_TO_LANDING], "Kaki alternatif 1", alternative=[{"mode": "raft", "minutes": 60}]
        )


class DefaultNetworkTest(RouteTestCase):
    def test_the_default_network_sends_goods_on_foot_inside_an_air_served_desa(self) -> None:
        tps = fixtures.make_tps(self.election, "64.02.07.2002", "001", access_mode=AccessMode.AIR, travel_minutes=90)
        actions.build_network(self.election, Region.objects.get(code="64.02"))
        kpps = Node.objects.get(polling_station=tps)
        self.assertEqual(Route.objects.get(destination=kpps).mode, "foot")


class RouteApiTest(RouteTestCase):
    def test_the_api_lists_the_legs_and_the_alternative(self) -> None:
        self.route_to_sebulu(
            [TRUCK_TO_AIRSTRIP, helicopter("Senin 07.00")], alternative=[{"mode": "foot", "minutes": 600}]
        )
        r = self.client_for(self.camat_sebulu).get("/api/v1/logistics/routes?region=64.02.07")
        (route,) = [x for x in r.json()["items"] if x["destination_id"] == self.ppk_sebulu.pk]
        self.assertEqual([leg["mode"] for leg in route["legs"]], ["truck", "helicopter"])
        self.assertEqual(route["legs"][1]["departures"], ["mon 07:00"])
        self.assertTrue(route["legs"][1]["scheduled"])
        self.assertEqual(route["alternative"][0]["mode"], "foot")
        self.assertFalse(route["uses_alternative"])
        self.assertIsNone(route["provenance"])  # KPU's own entry, not a scenario

    def test_a_scenario_route_is_labelled_illustrative_in_the_api_and_on_the_page(self) -> None:
        source = Source.objects.create(
            key="demo-routes",
            status=SourceStatus.ILLUSTRATIVE,
            publisher="Sinergi (demo)",
            title="Rute demo",
            as_of=dt.date(2024, 11, 16),
        )
        actions.save_plan(None, self.election, {"source": source})
        r = self.client_for(self.camat_sebulu).get("/api/v1/logistics/routes?region=64.02.07")
        self.assertEqual({x["provenance"]["status"] for x in r.json()["items"]}, {"illustrative"})
        self.client.force_login(self.camat_sebulu)
        page = self.client.get(f"/logistics/nodes/{self.ppk_sebulu.pk}/").content.decode()
        self.assertIn('data-testid="route-illustrative"', page)

    def test_kpu_puts_legs_and_a_condition_through_the_api(self) -> None:
        api = self.client_for(self.kpu_operator)
        body = {
            "origin_id": self.warehouse.pk,
            "destination_id": self.ppk_sebulu.pk,
            "legs": [TRUCK_TO_LANDING, LONGBOAT],
            "alternative": [{"mode": "truck", "minutes": 500}],
        }
        r = api.put("/api/v1/logistics/routes", json.dumps(body), content_type="application/json")
        self.assertEqual(r.status_code, 200, r.content)
        self.assertEqual(r.json()["travel_minutes"], 360)
        r = api.post(
            f"/api/v1/logistics/routes/{r.json()['id']}/condition",
            {"condition": "flood", "note": "Banjir", "since": "2024-11-19T08:00:00"},  # no zone: the election's
            content_type="application/json",
        )
        self.assertEqual(r.status_code, 200, r.content)
        self.assertTrue(r.json()["uses_alternative"])
        self.assertEqual(dt.datetime.fromisoformat(r.json()["condition_since"]), at(19, 8))
        self.ppk_sebulu.refresh_from_db()
        self.assertEqual(self.ppk_sebulu.inbound_minutes, 500)

    def test_bad_legs_get_a_clear_message_and_write_nothing(self) -> None:
        body = {
            "origin_id": self.pps_sebulu_ilir.pk,
            "destination_id": self.kpps_sebulu.pk,
            "legs": [{"mode": "helicopter", "minutes": 20, "scheduled": True}],
        }
        r = self.client_for(self.kpu_operator).put(
            "/api/v1/logistics/routes", json.dumps(body), content_type="application/json"
        )
        self.assertEqual(r.status_code, 400)
        text = r.content.decode()
        self.assertIn("Helikopter tidak terbang", text)
        self.assertIn("paling sedikit satu keberangkatan", text)
        self.assertFalse(RouteLeg.objects.exists())


class RoutePageTest(RouteTestCase):
    def test_the_node_page_lists_the_legs_with_their_landings_and_departures(self) -> None:
        self.route_to_sebulu([TRUCK_TO_AIRSTRIP, helicopter("2024-11-22 08.00")])
        self.client.force_login(self.camat_sebulu)
        page = self.client.get(f"/logistics/nodes/{self.ppk_sebulu.pk}/").content.decode()
        self.assertIn('data-testid="route-legs"', page)
        self.assertIn("Bandara", page)
        self.assertIn("22 November 2024 08.00", page)
        self.assertNotIn('data-testid="route-edit"', page)  # the camat follows, KPU edits

    def test_kpu_sets_the_legs_on_the_route_page(self) -> None:
        self.client.force_login(self.kpu_operator)
        url = f"/logistics/nodes/{self.ppk_sebulu.pk}/route/"
        self.assertEqual(self.client.get(url).status_code, 200)
        data = {
            "save": "legs",
            "leg1_mode": "truck",
            "leg1_minutes": "150",
            "leg1_end_point": "Dermaga Kota Bangun",
            "leg2_mode": "longboat",
            "leg2_minutes": "180",
            "leg2_start_point": "Dermaga Kota Bangun",
            "leg2_transfer_minutes": "30",
            "leg2_departures": "Senin 07.00\nKamis 07.00",
            "alt1_mode": "truck",
            "alt1_minutes": "600",
        }
        r = self.client.post(url, data)
        self.assertEqual(r.status_code, 302)
        route = Route.objects.prefetch_related("legs").get(destination=self.ppk_sebulu)
        self.assertEqual([leg.mode for leg in route.main_legs], ["truck", "longboat"])
        self.assertEqual(route.main_legs[1].departures, ["mon 07:00", "thu 07:00"])
        self.assertEqual([leg.mode for leg in route.alternative_legs], ["truck"])

    def test_the_route_page_shows_what_is_wrong_and_saves_nothing(self) -> None:
        self.client.force_login(self.kpu_operator)
        url = f"/logistics/nodes/{self.ppk_sebulu.pk}/route/"
        r = self.client.post(
            url, {"save": "legs", "leg1_mode": "longboat", "leg1_minutes": "0", "leg1_scheduled": "on"}
        )
        self.assertEqual(r.status_code, 200)
        page = r.content.decode()
        self.assertIn("Rute belum disimpan", page)
        self.assertIn("Waktu tempuh harus antara 1 menit dan 30 hari.", page)
        self.assertIn("paling sedikit satu keberangkatan", page)
        self.assertFalse(RouteLeg.objects.exists())

    def test_kpu_marks_a_flood_on_the_route_page(self) -> None:
        self.client.force_login(self.kpu_operator)
        url = f"/logistics/nodes/{self.ppk_sebulu.pk}/route/"
        data = {
            "save": "condition",
            "condition": "flood",
            "condition_note": "Jalan banjir",
            "condition_since": "2024-11-19T08:00",
        }
        self.assertEqual(self.client.post(url, data).status_code, 302)
        route = Route.objects.get(destination=self.ppk_sebulu)
        self.assertEqual((route.condition, route.condition_since), ("flood", dt.datetime(2024, 11, 19, 8, tzinfo=WITA)))
