"""The one scoping chokepoint: what a user may see and change.

A user's access comes from their memberships: each names an agency (whose kind decides which
capabilities it may read or write, see ACCESS), a role (viewer < operator < admin) and a region
scope (a subtree of the national region tree). Every user-facing query goes through
``Model.objects.restrict(user, action)``; views and the API never list user data any other way.

Region codes nest by prefix ("64" > "64.02" > "64.02.07" > "64.02.07.2001"), so a subtree is a
range query on the code -- ``code >= "64.02" AND code < "64.02/"`` -- which uses the ordinary
index on both SQLite and PostgreSQL, with no join.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from core.registry import registry

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

VIEW = "view"
CHANGE = "change"
MANAGE = "manage"

# Agency kinds (values of agencies.models.AgencyKind).
DESK, KPU, PPK, PPS, KPPS, BAWASLU, POLRI, TNI, KEJAKSAAN, DPRD, KECAMATAN, DESA = (
    "desk",
    "kpu",
    "ppk",
    "pps",
    "kpps",
    "bawaslu",
    "polri",
    "tni",
    "kejaksaan",
    "dprd",
    "kecamatan",
    "desa",
)
ALL_KINDS = frozenset({DESK, KPU, PPK, PPS, KPPS, BAWASLU, POLRI, TNI, KEJAKSAAN, DPRD, KECAMATAN, DESA})

# Which agency kind may do what with each capability. docs/access.md is written from this table.
ACCESS: dict[str, dict[str, frozenset[str]]] = {
    # The TPS registry: KPU owns it; everyone in the desk reads it.
    "regions": {VIEW: ALL_KINDS, CHANGE: frozenset({KPU}), MANAGE: frozenset({KPU})},
    # Elections, contests, candidate pairs, stages: KPU sets them.
    "elections": {VIEW: ALL_KINDS, CHANGE: frozenset({KPU}), MANAGE: frozenset({KPU})},
    # Agencies and memberships: the Desk Pilkada runs the desk.
    "agencies": {VIEW: ALL_KINDS, CHANGE: frozenset({DESK}), MANAGE: frozenset({DESK})},
    # Logistics: KPU runs the catalogue, nodes, routes and shipments; everyone follows it.
    "logistics": {VIEW: ALL_KINDS, CHANGE: frozenset({KPU}), MANAGE: frozenset({KPU})},
    # Receipts: KPU and its PPK/PPS/KPPS, and the kepala desa, confirm what arrived in their own area.
    "logistics_receipts": {VIEW: ALL_KINDS, CHANGE: frozenset({KPU, PPK, PPS, KPPS, DESA}), MANAGE: frozenset({KPU})},
    # Sending the sealed boxes back after the count: the election's own chain (the KPPS, PPS, PPK
    # and KPU who hold them), not the kepala desa, who confirms arrivals but never holds the boxes.
    "logistics_returns": {VIEW: ALL_KINDS, CHANGE: frozenset({KPU, PPK, PPS, KPPS}), MANAGE: frozenset({KPU})},
    # Reports from the field: the camat and the kepala desa confirm arrivals or flag a problem.
    "logistics_field": {VIEW: ALL_KINDS, CHANGE: frozenset({KECAMATAN, DESA}), MANAGE: frozenset({KECAMATAN, DESA})},
    # Escort of shipments: the Polri and TNI units record who escorted what, in their jurisdiction.
    "logistics_escort": {VIEW: ALL_KINDS, CHANGE: frozenset({POLRI, TNI}), MANAGE: frozenset({POLRI, TNI})},
    # Supervision of dispatches and hand-overs: Bawaslu (Panwascam, PKD) records what it saw.
    "logistics_supervision": {VIEW: ALL_KINDS, CHANGE: frozenset({BAWASLU}), MANAGE: frozenset({BAWASLU})},
    # Meetings (rakor), their attendance, decisions and situation reports: the Desk Pilkada writes them.
    "meetings": {VIEW: ALL_KINDS, CHANGE: frozenset({DESK}), MANAGE: frozenset({DESK})},
    # Action items from decisions: the Desk sets them; each agency updates the ones it owns
    # (meetings.actions checks the owner), so every kind may change.
    "meeting_actions": {VIEW: ALL_KINDS, CHANGE: ALL_KINDS, MANAGE: frozenset({DESK})},
    # Security: Bawaslu (and its Panwascam) assesses TPS vulnerability and records the IKP.
    "security": {VIEW: ALL_KINDS, CHANGE: frozenset({BAWASLU}), MANAGE: frozenset({BAWASLU})},
    # The guard: Polri and TNI set their TPS categories, patterns, force pools and assignments.
    "security_deployment": {VIEW: ALL_KINDS, CHANGE: frozenset({POLRI, TNI}), MANAGE: frozenset({POLRI, TNI})},
    # The day's situation per kecamatan (aman / waspada / siaga): the Polsek, the Koramil or the camat.
    "security_status": {VIEW: ALL_KINDS, CHANGE: frozenset({POLRI, TNI, KECAMATAN}), MANAGE: frozenset({DESK})},
    # Incidents: every agency reports what happens in its area.
    "security_incidents": {VIEW: ALL_KINDS, CHANGE: ALL_KINDS, MANAGE: frozenset({DESK})},
    # Their follow-up: the Desk, Bawaslu, Polri and TNI verify, handle and close an incident, and
    # refer one to Bawaslu as a possible violation.
    "security_followup": {VIEW: ALL_KINDS, CHANGE: frozenset({DESK, BAWASLU, POLRI, TNI}), MANAGE: frozenset({DESK})},
    # Violations: Bawaslu (and its Panwascam) handles the cases; the Desk and the other agencies read
    # them without the reporter; Polri and Kejaksaan read only those referred to Sentra Gakkumdu.
    "violations": {VIEW: ALL_KINDS - {POLRI, KEJAKSAAN}, CHANGE: frozenset({BAWASLU}), MANAGE: frozenset({BAWASLU})},
    # The Gakkumdu partners: the cases referred to Sentra Gakkumdu, whose investigation (Polri),
    # prosecution and filing in court (Kejaksaan) they record.
    "violations_gakkumdu": {
        VIEW: frozenset({POLRI, KEJAKSAAN}),
        CHANGE: frozenset({POLRI, KEJAKSAAN}),
        MANAGE: frozenset({POLRI, KEJAKSAAN}),
    },
    # A reporter's identity, contact and statement, and the evidence: Bawaslu alone.
    "violations_reporter": {VIEW: frozenset({BAWASLU}), CHANGE: frozenset({BAWASLU}), MANAGE: frozenset({BAWASLU})},
    # The sanction an ASN or kepala desa received: Bawaslu, or the Pemda (the Desk) that gives it.
    "violations_sanction": {
        VIEW: ALL_KINDS - {POLRI, KEJAKSAAN},
        CHANGE: frozenset({BAWASLU, DESK}),
        MANAGE: frozenset({BAWASLU, DESK}),
    },
    # Participation: KPU and the Pemda (the Desk) record outreach (sosialisasi) and, on voting day,
    # turnout reports (KPU with its PPK and PPS); targets and turnout history are set by an admin.
    "participation": {VIEW: ALL_KINDS, CHANGE: frozenset({DESK, KPU, PPK, PPS}), MANAGE: frozenset({DESK, KPU})},
    # Grants (hibah): the Pemda (the Desk, with its finance office) records the agreements (NPHD),
    # their tranches and the LPJ due dates.
    "budget": {VIEW: ALL_KINDS, CHANGE: frozenset({DESK}), MANAGE: frozenset({DESK})},
    # A grant's realisation: each recipient reports on its own agreements (budget.actions checks the
    # recipient); the Desk manages.
    "budget_realisation": {
        VIEW: ALL_KINDS,
        CHANGE: frozenset({KPU, BAWASLU, POLRI, TNI}),
        MANAGE: frozenset({DESK}),
    },
    # Readiness checklists (kesiapan teknis): the Desk sets the items; each agency reports on its own.
    "readiness": {VIEW: ALL_KINDS, CHANGE: ALL_KINDS, MANAGE: frozenset({DESK})},
}

ROLE_RANK = {"viewer": 1, "operator": 2, "admin": 3}
MIN_ROLE = {VIEW: "viewer", CHANGE: "operator", MANAGE: "admin"}


def subtree_q(field: str, code: str) -> Q:
    """Rows whose region ``field`` is ``code`` or lies below it.

    One range: codes hold only digits and dots, and "/" sorts right after ".", so
    ``code <= x < code + "/"`` is exactly the code and its descendants -- and, unlike an OR,
    one index range scan.
    """
    return Q(**{f"{field}__gte": code, f"{field}__lt": code + "/"})


def in_scopes(qs: Any, field: str, scopes: list[str | None]) -> Any:
    """``qs`` narrowed to rows whose region ``field`` lies inside any of ``scopes`` (a user's
    grants; None: everywhere)."""
    if None in scopes:
        return qs
    q = Q()
    for s in scopes:
        q |= subtree_q(field, str(s))
    return qs.filter(q)


def ancestor_codes(code: str) -> list[str]:
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def in_subtree(code: str, scope: str) -> bool:
    return code == scope or code.startswith(scope + ".")


@dataclass(frozen=True)
class Grant:
    """One membership as scoping sees it: the agency's kind, the role and the region codes covered.

    ``scopes`` is a list because an agency's jurisdiction may cross the administrative tree
    (Polres Bontang: Kota Bontang plus two Kukar kecamatan).
    """

    kind: str
    role: str
    scopes: tuple[str, ...]
    agency_id: int | None = None


def memberships(user: Any) -> list[Grant]:
    """The user's active memberships, asked once per request object from the ``memberships`` hook
    (the agencies app answers it; core imports no app)."""
    cached = getattr(user, "_sinergi_memberships", None)
    if cached is None:
        cached = list(registry.call("memberships", user, default=[]))
        user._sinergi_memberships = cached
    return cached


def home_region(user: Any) -> str:
    """Where a user's pages start: the first region their memberships cover, else the public home."""
    if user is not None and user.is_authenticated and not user.is_superuser:
        codes = sorted(code for g in memberships(user) for code in g.scopes)
        if codes:
            return codes[0]
    return str(settings.SINERGI_HOME_REGION)


def grants(user: User | AnonymousUser | None, capability: str, action: str) -> list[str | None]:
    """Region scopes in which ``user`` may do ``action`` on ``capability``; None = everywhere."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return [None]
    kinds = ACCESS[capability][action]
    need = ROLE_RANK[MIN_ROLE[action]]
    return [code for g in memberships(user) if g.kind in kinds and ROLE_RANK[g.role] >= need for code in g.scopes]


def can(user: Any, capability: str, action: str, region_code: str | None = None) -> bool:
    """May ``user`` do ``action`` on ``capability`` at ``region_code`` (anywhere if None)?"""
    scopes = grants(user, capability, action)
    if region_code is None:
        return bool(scopes)
    return any(s is None or in_subtree(region_code, s) for s in scopes)


def require(actor: Any, capability: str, action: str, region_code: str | None, message: str) -> None:
    """Refuse (403 with ``message``) unless ``actor`` may ``action`` on ``capability`` there.
    ``actor=None`` is the system (the demo loader, fixtures) and may do anything."""
    if actor is not None and not can(actor, capability, action, region_code):
        raise PermissionDenied(message)


def acting_agency_id(user: Any, capability: str, action: str, region_code: str) -> int | None:
    """The agency in whose name ``user`` does ``action`` at ``region_code``: that of their first
    membership granting it there (a Polres officer escorts for their Polres)."""
    kinds = ACCESS[capability][action]
    need = ROLE_RANK[MIN_ROLE[action]]
    for g in memberships(user):
        if (
            g.kind in kinds
            and ROLE_RANK[g.role] >= need
            and any(s is None or in_subtree(region_code, s) for s in g.scopes)
        ):
            return g.agency_id
    return None


NOTHING = Q(pk__in=[])


def default_scope_q(model: Any, user: Any, action: str) -> Q | None:
    """The usual rule: rows whose region lies in a scope where the user may ``action``.

    Returns None for "everything". The model says how it is scoped with class attributes:
    ``scope_capability`` (a key of ACCESS), ``scope_region_field`` (the field holding its region
    code), ``scope_mode`` -- "subtree" (visible inside the user's scope) or "overlap" (also visible
    from below, e.g. a province-wide election is visible to a kecamatan office) -- and
    ``scope_public`` (anyone may view).
    """
    if action == VIEW and getattr(model, "scope_public", False):
        return None
    scopes = grants(user, model.scope_capability, action)
    if not scopes:
        return NOTHING
    if None in scopes:
        return None
    field = model.scope_region_field
    mode = getattr(model, "scope_mode", "subtree")
    q = Q()
    for code in scopes:
        assert code is not None
        q |= subtree_q(field, code)
        if mode == "overlap":
            q |= Q(**{f"{field}__in": ancestor_codes(code)}) | Q(**{f"{field}__isnull": True})
    return q


class RestrictedQuerySet(models.QuerySet):
    """QuerySet with ``restrict(user, action)``: the one place a user's rights become a filter.

    A model may define a classmethod ``scope_q(user, action) -> Q | None`` to scope differently
    (e.g. the audit log, by capability and region; violation cases, also read by the Gakkumdu
    partners once referred); otherwise ``default_scope_q`` applies.
    """

    def restrict(self, user: Any, action: str = VIEW) -> Self:
        hook = getattr(self.model, "scope_q", None)
        q = hook(user, action) if hook is not None else default_scope_q(self.model, user, action)
        if q is None:
            return self.all()
        if q is NOTHING:
            return self.none()
        return self.filter(q)


def get_object_for_user(queryset: Any, user: Any, action: str = VIEW, **lookup: Any) -> Any:
    """Fetch one object the user may act on.

    Out of sight -> 404 (its existence is not revealed); visible but not changeable -> 403.
    """
    try:
        return queryset.restrict(user, action).get(**lookup)
    except queryset.model.DoesNotExist:
        if action != VIEW and queryset.restrict(user, VIEW).filter(**lookup).exists():
            raise PermissionDenied(_("You may view this record but not change it.")) from None
        raise Http404(_("Not found.")) from None
