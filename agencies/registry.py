"""What the agencies app contributes to the shared shell (see core/registry.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from core.registry import DemoLoader, NavEntry, registry
from core.scoping import Grant


def user_grants(user: Any) -> list[Grant]:
    """The ``memberships`` hook: each active membership as a scoping grant.

    A membership with no scope covers its agency's whole jurisdiction, which may cross the
    administrative tree (Polres Bontang: Kota Bontang plus two Kukar kecamatan).
    """
    from agencies.models import Membership

    rows = Membership.objects.filter(user=user, active=True).select_related("agency")
    return [Grant(kind=m.agency.kind, role=m.role, scopes=m.scope_codes, agency_id=m.agency_id) for m in rows]


registry.provide("memberships", user_grants)


def load_demo(ctx: dict[str, Any]) -> Any:
    from agencies import demo

    return demo.load(ctx)


registry.nav.append(NavEntry(_("Agencies"), "agencies:list", "agencies", order=50))
registry.demo_loaders.append(DemoLoader("agencies", load_demo, order=20))
registry.permission_cases.append("agencies.tests.permission_cases")
