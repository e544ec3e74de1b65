"""The write pages against every persona, written out by hand from docs/access.md.

KPU writes elections, contests, pairs and stages in its area; the Desk admin manages agencies and
memberships in its area. Out of sight -> 404; visible but not changeable -> 403; anonymous -> login.
"""

from __future__ import annotations

from django.urls import reverse

from agencies.models import Agency, Membership
from core.tests.base import SinergiTestCase
from elections.models import Contest, Stage

PERSONAS = ["desk_admin", "kpu_operator", "bawaslu_investigator", "polres_officer", "camat_sebulu", "anonymous"]
KUKAR_READERS = {"desk_admin", "kpu_operator", "bawaslu_investigator", "polres_officer"}


def expect(allowed: set[str], visible: set[str]) -> dict[str, int]:
    return {p: 302 if p == "anonymous" else 200 if p in allowed else 403 if p in visible else 404 for p in PERSONAS}


class WriteMatrixTest(SinergiTestCase):
    def routes(self) -> dict[str, dict[str, int]]:
        bupati = Contest.objects.get(name="Bupati Kukar 2024")
        samarinda = Contest.objects.get(name="Walikota Samarinda 2024")
        stage = Stage.objects.filter(election=self.election).first()
        assert stage is not None
        kpu = Agency.objects.get(name="KPU Kukar")
        kec = Agency.objects.get(name="Kecamatan Sebulu")
        kpu_member = Membership.objects.get(user=self.kpu_operator)
        everyone = KUKAR_READERS | {"camat_sebulu"}
        no_one: set[str] = set()
        return {
            reverse("elections:create"): expect({"kpu_operator"}, everyone),
            # the province-wide election: seen from Kukar, changed only with the province in scope
            reverse("elections:edit", args=[self.election.pk]): expect(no_one, everyone),
            reverse("elections:stage_create", args=[self.election.pk]): expect(no_one, everyone),
            reverse("elections:stage_edit", args=[stage.pk]): expect(no_one, everyone),
            reverse("elections:contest_create", args=[self.election.pk]): expect({"kpu_operator"}, everyone),
            reverse("elections:contest_edit", args=[bupati.pk]): expect({"kpu_operator"}, everyone),
            reverse("elections:pair_create", args=[bupati.pk]): expect({"kpu_operator"}, everyone),
            reverse("elections:contest_edit", args=[samarinda.pk]): expect(no_one, no_one),
            reverse("agencies:create"): expect({"desk_admin"}, everyone),
            # an agency is visible from below (the camat sees KPU Kukar); its members are not
            reverse("agencies:edit", args=[kpu.pk]): expect({"desk_admin"}, everyone),
            reverse("agencies:edit", args=[kec.pk]): expect({"desk_admin"}, everyone),
            reverse("agencies:member_create", args=[kpu.pk]): expect({"desk_admin"}, everyone),
            reverse("agencies:member_edit", args=[kpu_member.pk]): expect({"desk_admin"}, KUKAR_READERS),
            reverse("agencies:tokens"): expect(everyone, everyone),
        }

    def test_each_write_page_answers_each_persona_as_documented(self) -> None:
        for url, wanted in self.routes().items():
            for persona in PERSONAS:
                with self.subTest(url=url, persona=persona):
                    self.client.logout()
                    if persona != "anonymous":
                        self.client.force_login(self.personas[persona])
                    self.assertEqual(self.client.get(url).status_code, wanted[persona])
