from __future__ import annotations

from django.core.exceptions import ValidationError

from agencies.models import Agency, Membership
from tests.base import SinergiTestCase


class MembershipTest(SinergiTestCase):
    def test_a_scope_outside_the_agencys_region_is_refused(self) -> None:
        m = Membership(
            user=self.kpu_operator, agency=Agency.objects.get(name="KPU Kukar"), scope_id="64.72", role="viewer"
        )
        with self.assertRaises(ValidationError) as ctx:
            m.full_clean(validate_constraints=False)
        self.assertIn("scope", ctx.exception.message_dict)

    def test_a_scope_inside_the_agencys_region_is_fine(self) -> None:
        m = Membership(
            user=self.camat_sebulu, agency=Agency.objects.get(name="KPU Kukar"), scope_id="64.02.07", role="viewer"
        )
        m.full_clean()

    def test_the_agency_list_shows_my_roles(self) -> None:
        self.client.force_login(self.camat_sebulu)
        r = self.client.get("/agencies/")
        self.assertEqual([m.agency.name for m in r.context["mine"]], ["Kecamatan Sebulu"])
