"""The Desk admin sets up agencies and people; everyone manages their own API tokens."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse

from agencies.models import Agency, ApiToken, Membership
from core.models import AuditEntry
from tests import fixtures
from tests.base import SinergiTestCase

User = get_user_model()


class Api:
    client: Any

    def post_json(self, url: str, data: dict[str, Any], **extra: Any) -> Any:
        return self.client.post(url, json.dumps(data), content_type="application/json", **extra)

    def patch_json(self, url: str, data: dict[str, Any]) -> Any:
        return self.client.patch(url, json.dumps(data), content_type="application/json")


class AgencyWriteTest(Api, SinergiTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.desk_admin)

    def test_the_desk_admin_creates_an_agency_in_kukar(self) -> None:
        r = self.client.post(
            reverse("agencies:create"),
            {"name": "Kejaksaan Negeri Kukar", "kind": "kejaksaan", "region_code": "64.02", "jurisdiction_codes": ""},
        )
        agency = Agency.objects.get(name="Kejaksaan Negeri Kukar")
        self.assertRedirects(r, reverse("agencies:detail", args=[agency.pk]))
        entry = AuditEntry.objects.get(action="agency.create", object_id=str(agency.pk))
        self.assertEqual(entry.actor, self.desk_admin)

    def test_the_kukar_desk_may_not_create_an_agency_reaching_into_bontang(self) -> None:
        r = self.post_json(
            "/api/v1/agencies/",
            {"name": "Polres Bontang", "kind": "polri", "region_code": "64.74", "jurisdiction": ["64.74", "64.02.05"]},
        )
        self.assertEqual(r.status_code, 403)
        self.assertFalse(Agency.objects.filter(name="Polres Bontang").exists())

    def test_only_the_desk_admin_may_set_up_agencies(self) -> None:
        for persona in ("kpu_operator", "polres_officer", "camat_sebulu"):
            with self.subTest(persona=persona):
                self.client.force_login(self.personas[persona])
                self.assertEqual(self.client.get(reverse("agencies:create")).status_code, 403)
                r = self.post_json("/api/v1/agencies/", {"name": "X", "kind": "dprd", "region_code": "64.02"})
                self.assertEqual(r.status_code, 403)
        self.assertFalse(Agency.objects.filter(name="X").exists())

    def test_an_unknown_jurisdiction_code_is_named_and_nothing_is_written(self) -> None:
        r = self.client.post(
            reverse("agencies:create"),
            {"name": "Kodim X", "kind": "tni", "region_code": "64.02", "jurisdiction_codes": "64.02.07, 64.02.99"},
        )
        self.assertEqual(r.status_code, 200)
        self.assertIn("64.02.99", str(r.context["form"].errors["jurisdiction_codes"]))
        self.assertFalse(Agency.objects.filter(name="Kodim X").exists())
        self.assertFalse(AuditEntry.objects.filter(action="agency.create").exists())

    def test_a_stale_agency_edit_is_refused(self) -> None:
        agency = Agency.objects.get(name="Kecamatan Sebulu")
        r = self.patch_json(f"/api/v1/agencies/{agency.pk}", {"version": 1, "name": "Kantor Camat Sebulu"})
        self.assertEqual(r.status_code, 200, r.content)
        r = self.patch_json(f"/api/v1/agencies/{agency.pk}", {"version": 1, "name": "Other"})
        self.assertEqual(r.status_code, 409)
        agency.refresh_from_db()
        self.assertEqual((agency.name, agency.version), ("Kantor Camat Sebulu", 2))

    def test_narrowing_a_jurisdiction_past_its_members_is_refused(self) -> None:
        kpu = Agency.objects.get(name="KPU Kukar")
        Membership.objects.create(user=self.camat_sebulu, agency=kpu, scope_id="64.02.07")
        r = self.patch_json(f"/api/v1/agencies/{kpu.pk}", {"version": 1, "jurisdiction": ["64.02.06"]})
        self.assertEqual(r.status_code, 400)
        self.assertIn("64.02.07", r.json()["errors"]["jurisdiction"][0])
        kpu.refresh_from_db()
        self.assertEqual((kpu.jurisdiction, kpu.version), ([], 1))

    def test_samarinda_agencies_are_out_of_sight(self) -> None:
        samarinda = Agency.objects.get(name="KPU Samarinda")
        self.assertEqual(self.client.get(reverse("agencies:edit", args=[samarinda.pk])).status_code, 404)
        self.assertEqual(
            self.patch_json(f"/api/v1/agencies/{samarinda.pk}", {"version": 1, "name": "x"}).status_code, 404
        )


class MembershipWriteTest(Api, SinergiTestCase):
    def setUp(self) -> None:
        self.client.force_login(self.desk_admin)
        self.kpu = Agency.objects.get(name="KPU Kukar")

    def add(self, **kw: Any) -> Any:
        data = {
            "username": "ppk.tenggarong",
            "password": "Tenggarong-2024!",
            "role": "operator",
            "scope_code": "64.02.06",
        }
        data.update(kw)
        return self.post_json(f"/api/v1/agencies/{self.kpu.pk}/members", data)

    def test_the_desk_admin_sets_up_a_new_person_who_can_then_log_in(self) -> None:
        r = self.client.post(
            reverse("agencies:member_create", args=[self.kpu.pk]),
            {
                "username": "ppk.tenggarong",
                "first_name": "Ketua",
                "last_name": "PPK Tenggarong",
                "password": "Tenggarong-2024!",
                "role": "operator",
                "scope_code": "64.02.06",
                "title": "Ketua PPK",
            },
        )
        self.assertRedirects(r, reverse("agencies:detail", args=[self.kpu.pk]))
        m = Membership.objects.get(user__username="ppk.tenggarong")
        self.assertEqual((m.agency, m.scope_id, m.role), (self.kpu, "64.02.06", "operator"))
        self.assertTrue(self.client.login(username="ppk.tenggarong", password="Tenggarong-2024!"))
        self.assertEqual(
            sorted(AuditEntry.objects.values_list("action", flat=True)), ["membership.create", "user.create"]
        )

    def test_a_new_account_needs_a_password_and_nothing_is_written(self) -> None:
        r = self.add(password=None)
        self.assertEqual(r.status_code, 400)
        self.assertIn("password", r.json()["errors"])
        self.assertFalse(User.objects.filter(username="ppk.tenggarong").exists())

    def test_a_weak_password_is_refused(self) -> None:
        r = self.add(password="123")
        self.assertEqual(r.status_code, 400)
        self.assertIn("password", r.json()["errors"])
        self.assertFalse(User.objects.filter(username="ppk.tenggarong").exists())

    def test_an_existing_person_joins_without_their_password_changing(self) -> None:
        r = self.add(username="camat_sebulu", password=None, scope_code="64.02.07", role="viewer")
        self.assertEqual(r.status_code, 201, r.content)
        self.assertTrue(self.client.login(username="camat_sebulu", password=fixtures.PASSWORD))

    def test_a_second_membership_in_the_same_agency_is_refused(self) -> None:
        r = self.add(username="kpu_operator", password=None)
        self.assertEqual(r.status_code, 400)
        self.assertIn("username", r.json()["errors"])

    def test_a_scope_outside_the_agencys_jurisdiction_is_refused(self) -> None:
        kecamatan = Agency.objects.get(name="Kecamatan Sebulu")
        r = self.post_json(
            f"/api/v1/agencies/{kecamatan.pk}/members",
            {"username": "x.user", "password": "Tenggarong-2024!", "scope_code": "64.02.06"},
        )
        self.assertEqual(r.status_code, 400)
        self.assertIn("scope", r.json()["errors"])
        self.assertFalse(User.objects.filter(username="x.user").exists())

    def test_the_kukar_desk_may_not_scope_someone_to_samarinda(self) -> None:
        r = self.add(scope_code="64.72")
        self.assertEqual(r.status_code, 403)
        self.assertFalse(User.objects.filter(username="ppk.tenggarong").exists())

    def test_only_the_desk_admin_adds_members(self) -> None:
        self.client.force_login(self.kpu_operator)
        self.assertEqual(self.add().status_code, 403)
        self.assertEqual(self.client.get(reverse("agencies:member_create", args=[self.kpu.pk])).status_code, 403)

    def test_deactivating_a_member_ends_their_access_and_is_versioned(self) -> None:
        m = Membership.objects.get(user=self.kpu_operator)
        url = reverse("agencies:member_edit", args=[m.pk])
        form = {"role": "operator", "scope_code": "64.02", "title": "", "version": 1}  # "active" unticked
        self.assertEqual(self.client.post(url, form).status_code, 302)
        m.refresh_from_db()
        self.assertEqual((m.active, m.version), (False, 2))
        self.assertEqual(AuditEntry.objects.get(action="membership.update").changes["active"], [True, False])
        self.assertContains(self.client.post(url, {**form, "active": "on"}), "diubah orang lain")
        self.client.force_login(self.kpu_operator)
        self.assertEqual(self.client.get(f"/api/v1/tps/{self.tps_sebulu.pk}").status_code, 404)

    def test_the_desk_admin_cannot_lock_themselves_out(self) -> None:
        own = Membership.objects.get(user=self.desk_admin)
        r = self.patch_json(f"/api/v1/agencies/members/{own.pk}", {"version": 1, "active": False})
        self.assertEqual(r.status_code, 400)
        self.assertIn("active", r.json()["errors"])
        own.refresh_from_db()
        self.assertTrue(own.active)

    def test_a_member_page_lists_their_live_tokens_for_the_desk_admin_to_revoke(self) -> None:
        ApiToken.issue(self.kpu_operator, "script")
        r = self.client.get(reverse("agencies:member_edit", args=[Membership.objects.get(user=self.kpu_operator).pk]))
        self.assertEqual([t.name for t in r.context["tokens"]], ["script"])


class TokenTest(Api, SinergiTestCase):
    def test_a_person_issues_a_token_sees_the_key_once_and_revokes_it(self) -> None:
        self.client.force_login(self.kpu_operator)
        r = self.client.post(reverse("agencies:tokens"), {"name": "SIREKAP sync"})
        key = r.context["key"]
        self.assertTrue(key.startswith("snrg_"))
        self.assertNotContains(self.client.get(reverse("agencies:tokens")), key)
        self.client.logout()
        bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        self.assertEqual(self.client.get("/api/v1/tps/", **bearer).status_code, 200)
        token = ApiToken.objects.get(name="SIREKAP sync")
        self.client.force_login(self.kpu_operator)
        self.assertRedirects(
            self.client.post(reverse("agencies:token_revoke", args=[token.pk])), reverse("agencies:tokens")
        )
        self.client.logout()
        self.assertEqual(self.client.get("/api/v1/tps/", **bearer).status_code, 401)
        self.assertEqual(
            list(AuditEntry.objects.filter(object_id=str(token.pk)).values_list("action", flat=True).order_by("id")),
            ["token.issue", "token.revoke"],
        )

    def test_a_token_without_a_name_is_refused(self) -> None:
        self.client.force_login(self.kpu_operator)
        r = self.client.post(reverse("agencies:tokens"), {"name": "  "})
        self.assertIn("name", r.context["form"].errors)
        self.assertFalse(ApiToken.objects.exists())

    def test_the_api_issues_and_revokes_tokens(self) -> None:
        self.client.force_login(self.kpu_operator)
        r = self.post_json("/api/v1/agencies/tokens", {"name": "dashboard"})
        self.assertEqual(r.status_code, 201)
        self.assertTrue(r.json()["key"].startswith("snrg_"))
        self.assertNotIn("key", self.client.get("/api/v1/agencies/tokens").json()[0])
        r = self.client.post(f"/api/v1/agencies/tokens/{r.json()['id']}/revoke")
        self.assertEqual(r.status_code, 200)
        self.assertIsNotNone(r.json()["revoked_at"])

    def test_the_desk_admin_revokes_a_kukar_members_token_but_others_may_not(self) -> None:
        token, _key = ApiToken.issue(self.kpu_operator, "script")
        url = reverse("agencies:token_revoke", args=[token.pk])
        for persona in ("bawaslu_investigator", "camat_sebulu"):
            self.client.force_login(self.personas[persona])
            self.assertEqual(self.client.post(url).status_code, 404)
        token.refresh_from_db()
        self.assertIsNone(token.revoked_at)
        self.client.force_login(self.desk_admin)
        self.assertEqual(self.client.post(url).status_code, 302)
        token.refresh_from_db()
        self.assertIsNotNone(token.revoked_at)
