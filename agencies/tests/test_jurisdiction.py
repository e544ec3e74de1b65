"""An agency's jurisdiction may cross the administrative tree: Polres Bontang covers Kota Bontang
plus Muara Badak and Marang Kayu of Kukar (FACTS.md)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from agencies.models import Agency, AgencyKind, Membership, Role
from core import scoping
from regions.models import PollingStation
from tests import fixtures
from tests.base import SinergiTestCase

BONTANG_AREA = ["64.74", "64.02.05", "64.02.17"]


class JurisdictionTest(SinergiTestCase):
    polres_bontang: Agency
    officer: Any
    tps_muara_badak: PollingStation
    tps_bontang: PollingStation

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.polres_bontang = Agency.objects.create(
            name="Polres Bontang", kind=AgencyKind.POLRI, region_id="64.74", jurisdiction=BONTANG_AREA
        )
        cls.officer = get_user_model().objects.create_user("polres_bontang", password=fixtures.PASSWORD)
        Membership.objects.create(user=cls.officer, agency=cls.polres_bontang, role=Role.VIEWER, scope=None)
        cls.tps_muara_badak = fixtures.make_tps(cls.election, "64.02.05.2003", "001")
        cls.tps_bontang = fixtures.make_tps(cls.election, "64.74.01.1001", "001")

    def test_a_polres_bontang_viewer_sees_muara_badak_and_bontang_but_not_tenggarong(self) -> None:
        self.client.force_login(self.officer)
        listed = {t["id"] for t in self.client.get("/api/v1/tps/?limit=100").json()["items"]}
        self.assertEqual(listed, {self.tps_muara_badak.pk, self.tps_bontang.pk})
        page = self.client.get(reverse("regions:tps_list"))
        self.assertEqual({t.pk for t in page.context["table"].data}, listed)
        self.assertEqual(self.client.get(f"/api/v1/tps/{self.tps_tenggarong.pk}").status_code, 404)

    def test_the_kukar_desk_sees_polres_bontang_whose_jurisdiction_reaches_into_kukar(self) -> None:
        self.assertIn(self.polres_bontang, Agency.objects.restrict(self.desk_admin))
        self.assertNotIn(self.polres_bontang, Agency.objects.restrict(self.camat_sebulu), "Sebulu is not in its area")
        self.assertNotIn(self.polres_bontang, Agency.objects.restrict(self.desk_admin, scoping.CHANGE))

    def test_a_membership_covering_the_whole_jurisdiction_grants_each_code(self) -> None:
        self.assertEqual(scoping.grants(self.officer, "regions", scoping.VIEW), BONTANG_AREA)

    def test_a_membership_scoped_inside_the_jurisdiction_grants_only_its_scope(self) -> None:
        user = get_user_model().objects.create_user("kapolsek_muara_badak")
        Membership.objects.create(user=user, agency=self.polres_bontang, role=Role.VIEWER, scope_id="64.02.05")
        self.assertEqual(scoping.grants(user, "regions", scoping.VIEW), ["64.02.05"])

    def test_a_membership_scoped_outside_the_jurisdiction_is_refused_with_a_message(self) -> None:
        m = Membership(user=self.camat_sebulu, agency=self.polres_bontang, role=Role.VIEWER, scope_id="64.02.06")
        with self.assertRaises(ValidationError) as ctx:
            m.full_clean(validate_constraints=False)
        self.assertIn("64.74, 64.02.05, 64.02.17", ctx.exception.message_dict["scope"][0])

    def test_an_agency_without_a_jurisdiction_covers_its_region(self) -> None:
        kpu = Agency.objects.get(name="KPU Kukar")
        self.assertEqual(kpu.area_codes, ("64.02",))

    def test_a_jurisdiction_of_unknown_or_nested_codes_is_refused(self) -> None:
        agency = Agency(
            name="Kodim X", kind=AgencyKind.TNI, region_id="64.74", jurisdiction=["64.74", "64.99", "64.74.01"]
        )
        with self.assertRaises(ValidationError) as ctx:
            agency.full_clean()
        errors = ctx.exception.message_dict["jurisdiction"]
        self.assertEqual(len(errors), 2)
        self.assertTrue(any("64.99" in e for e in errors))
        self.assertTrue(any("64.74.01" in e for e in errors))

    def test_the_desk_sees_a_whole_jurisdiction_membership_where_the_agency_sits(self) -> None:
        kaltim_desk = Agency.objects.create(name="Desk Kaltim", kind=AgencyKind.DESK, region_id="64")
        admin = get_user_model().objects.create_user("desk_kaltim")
        Membership.objects.create(user=admin, agency=kaltim_desk, role=Role.ADMIN, scope_id="64")
        self.assertIn(self.officer.pk, Membership.objects.restrict(admin).values_list("user_id", flat=True))
        self.assertNotIn(
            self.officer.pk, Membership.objects.restrict(self.desk_admin).values_list("user_id", flat=True)
        )
