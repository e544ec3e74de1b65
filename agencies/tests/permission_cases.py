"""Permission cases for agencies, memberships and API tokens (see tests/matrix.py).

An agency is seen from its own region and below it; a membership only from a scope holding it.
The Desk admin manages agencies and memberships in their area (others who see them get 403);
everyone manages their own API tokens, and the Desk admin may revoke those of people in their area.
"""

from __future__ import annotations

from typing import Any

from agencies.models import Agency, AgencyKind, ApiToken, Membership
from tests.matrix import IN_SEBULU, KUKAR_WIDE, LOGGED_IN, Case, api_case

# An agency is seen from its own region and below it; the Kukar desk is not Samarinda's business.
HIDDEN = {"KPU Samarinda": frozenset({"kpu_samarinda"}), "Desk Pilkada Kukar": IN_SEBULU}
DESK = frozenset({"desk_admin"})
NOBODY: frozenset[str] = frozenset()
# A persona's own token: its name is shown to no one else.
KPU_TOKEN = "Sinkron SIREKAP KPU Kukar"
TOKEN_HIDDEN = {KPU_TOKEN: frozenset({"kpu_operator"})}
PASSWORD = "Sebulu-Ilir-2024!"


def _write(
    route: str,
    url: str,
    method: str = "GET",
    data: Any = None,
    *,
    allowed: frozenset[str] = DESK,
    seen: frozenset[str] = IN_SEBULU,
    api: bool = False,
) -> Case:
    """A write route: ``allowed`` succeed, others who see the record get 403, the rest 404."""
    ok = {"GET": 200, "POST": 201 if api else 302, "PATCH": 200}[method]
    out_of_sight = {p: 404 for p in LOGGED_IN - seen - allowed}
    if api:
        return api_case(method, route, url, data=data, allowed=allowed, ok=ok, denied=403, status=out_of_sight)
    return Case(route, url, method, data, allowed=allowed, ok=ok, denied=403, status=out_of_sight)


def cases(w: Any) -> list[Case]:
    desk = Agency.objects.get(name="Desk Pilkada Kukar").pk
    kpu = Agency.objects.get(name="KPU Kukar")
    kecamatan = Agency.objects.get(name="Kecamatan Sebulu").pk
    samarinda = Agency.objects.get(name="KPU Samarinda")
    # The province's KPU: seen from Kukar, managed only with the province in scope.
    kaltim, _ = Agency.objects.get_or_create(
        name="KPU Kalimantan Timur", defaults={"kind": AgencyKind.KPU, "region_id": "64"}
    )
    operator = Membership.objects.get(user=w.personas["kpu_operator"], agency=kpu)
    samarinda_member = Membership.objects.get(user=w.personas["kpu_samarinda"])
    token = ApiToken.objects.filter(user=w.personas["kpu_operator"], name=KPU_TOKEN).first()
    if token is None:
        token, _key = ApiToken.issue(w.personas["kpu_operator"], KPU_TOKEN)
    new_agency = {"name": "PPS Sebulu Ulu", "kind": "pps", "region_code": "64.02.07.2002", "jurisdiction_codes": ""}
    kpu_edit: dict[str, Any] = {"name": "KPU Kabupaten Kutai Kartanegara", "kind": "kpu", "region_code": "64.02"}
    kpu_edit |= {"jurisdiction_codes": "", "version": kpu.version}
    new_member = {"username": "petugas.sebulu", "password": PASSWORD, "role": "operator", "scope_code": "64.02.07"}
    member_edit: dict[str, Any] = {
        "role": "operator",
        "scope_code": "64.02",
        "title": "Operator logistik",
        "active": "on",
    }
    member_edit |= {"version": operator.version}
    return [
        Case("agencies:list", "/agencies/", hidden=HIDDEN),
        Case("agencies:detail", f"/agencies/{desk}/", allowed=IN_SEBULU),
        Case("agencies:detail", f"/agencies/{samarinda.pk}/", allowed=frozenset({"kpu_samarinda"})),
        # Members are listed only to those whose scope holds them (not to the camat of Sebulu).
        Case(
            "agencies:detail",
            f"/agencies/{kpu.pk}/",
            allowed=IN_SEBULU,
            hidden={"kpu_operator": KUKAR_WIDE, "kpu_samarinda": NOBODY},
        ),
        _write("agencies:create", "/agencies/new/", seen=LOGGED_IN),
        _write("agencies:create", "/agencies/new/", "POST", new_agency, seen=LOGGED_IN),
        _write("agencies:edit", f"/agencies/{kpu.pk}/edit/"),
        _write("agencies:edit", f"/agencies/{kpu.pk}/edit/", "POST", kpu_edit),
        # The camat sees their own office but does not manage it.
        _write("agencies:edit", f"/agencies/{kecamatan}/edit/"),
        _write("agencies:edit", f"/agencies/{kaltim.pk}/edit/", allowed=NOBODY, seen=LOGGED_IN - {"no_membership"}),
        _write("agencies:edit", f"/agencies/{samarinda.pk}/edit/", allowed=NOBODY, seen=frozenset({"kpu_samarinda"})),
        _write("agencies:member_create", f"/agencies/{kpu.pk}/members/new/"),
        _write("agencies:member_create", f"/agencies/{kpu.pk}/members/new/", "POST", new_member),
        _write("agencies:member_edit", f"/agencies/members/{operator.pk}/edit/", seen=KUKAR_WIDE),
        _write("agencies:member_edit", f"/agencies/members/{operator.pk}/edit/", "POST", member_edit, seen=KUKAR_WIDE),
        _write(
            "agencies:member_edit",
            f"/agencies/members/{samarinda_member.pk}/edit/",
            allowed=NOBODY,
            seen=frozenset({"kpu_samarinda"}),
        ),
        # Tokens: each persona sees and issues their own.
        Case("agencies:tokens", "/agencies/tokens/", hidden=TOKEN_HIDDEN),
        Case("agencies:tokens", "/agencies/tokens/", "POST", {"name": "Laporan harian"}, hidden=TOKEN_HIDDEN),
        # Someone else's token is not revealed (404), except to the Desk admin of the owner's area.
        Case(
            "agencies:token_revoke",
            f"/agencies/tokens/{token.pk}/revoke/",
            "POST",
            {},
            allowed=frozenset({"kpu_operator", "desk_admin"}),
            ok=302,
        ),
        # API
        api_case("GET", "/api/v1/agencies/", "/api/v1/agencies/", hidden=HIDDEN),
        _write("/api/v1/agencies/", "/api/v1/agencies/", "POST", new_agency, seen=LOGGED_IN, api=True),
        api_case("GET", "/api/v1/agencies/{agency_id}", f"/api/v1/agencies/{desk}", allowed=IN_SEBULU),
        api_case(
            "GET",
            "/api/v1/agencies/{agency_id}",
            f"/api/v1/agencies/{samarinda.pk}",
            allowed=frozenset({"kpu_samarinda"}),
        ),
        _write(
            "/api/v1/agencies/{agency_id}",
            f"/api/v1/agencies/{kpu.pk}",
            "PATCH",
            {"version": kpu.version, "name": "KPU Kabupaten Kutai Kartanegara"},
            api=True,
        ),
        _write(
            "/api/v1/agencies/{agency_id}",
            f"/api/v1/agencies/{kaltim.pk}",
            "PATCH",
            {"version": kaltim.version, "name": "KPU Provinsi Kalimantan Timur"},
            allowed=NOBODY,
            seen=LOGGED_IN - {"no_membership"},
            api=True,
        ),
        api_case(
            "GET",
            "/api/v1/agencies/{agency_id}/members",
            f"/api/v1/agencies/{kpu.pk}/members",
            allowed=IN_SEBULU,
            hidden={'"kpu_operator"': KUKAR_WIDE},
        ),
        api_case(
            "GET",
            "/api/v1/agencies/{agency_id}/members",
            f"/api/v1/agencies/{samarinda.pk}/members",
            allowed=frozenset({"kpu_samarinda"}),
        ),
        _write(
            "/api/v1/agencies/{agency_id}/members",
            f"/api/v1/agencies/{kpu.pk}/members",
            "POST",
            new_member,
            api=True,
        ),
        _write(
            "/api/v1/agencies/members/{membership_id}",
            f"/api/v1/agencies/members/{operator.pk}",
            "PATCH",
            {"version": operator.version, "title": "Operator logistik"},
            seen=KUKAR_WIDE,
            api=True,
        ),
        _write(
            "/api/v1/agencies/members/{membership_id}",
            f"/api/v1/agencies/members/{samarinda_member.pk}",
            "PATCH",
            {"version": samarinda_member.version, "role": "admin"},
            allowed=NOBODY,
            seen=frozenset({"kpu_samarinda"}),
            api=True,
        ),
        api_case("GET", "/api/v1/agencies/tokens", "/api/v1/agencies/tokens", hidden=TOKEN_HIDDEN),
        api_case(
            "POST",
            "/api/v1/agencies/tokens",
            "/api/v1/agencies/tokens",
            data={"name": "Laporan harian"},
            ok=201,
            hidden=TOKEN_HIDDEN,
        ),
        api_case(
            "POST",
            "/api/v1/agencies/tokens/{token_id}/revoke",
            f"/api/v1/agencies/tokens/{token.pk}/revoke",
            data={},
            allowed=frozenset({"kpu_operator", "desk_admin"}),
        ),
    ]
