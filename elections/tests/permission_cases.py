"""Permission cases for elections, contests, pairs and stages (see tests/matrix.py).

Everyone with a membership sees the province-wide election; a Kukar record is seen from Kukar and
below it. KPU operators and admins write in their own area: the Kukar ones change a Kukar election,
its contests, pairs and stages, but not the province-wide election or the governor's contest (403).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from elections.models import CandidatePair, Contest, ContestKind, Election, ElectionKind, Stage
from tests.matrix import IN_SEBULU, KPU_KUKAR_WRITERS, LOGGED_IN, Case, api_case

# Elections are seen from every level below them; contests only where they are held.
MEMBERS = LOGGED_IN - {"no_membership"}
KUKAR_2020 = "Pilkada Kukar 2020"
HIDDEN = {"Walikota Samarinda 2024": frozenset({"kpu_samarinda"}), "Bupati Kukar 2024": IN_SEBULU}
NOBODY: frozenset[str] = frozenset()


def _write(
    route: str,
    url: str,
    method: str = "GET",
    data: Any = None,
    *,
    allowed: frozenset[str] = KPU_KUKAR_WRITERS,
    seen: frozenset[str] = IN_SEBULU,
    api: bool = False,
) -> Case:
    """A write route: ``allowed`` succeed, others who see the record get 403, the rest 404."""
    ok = {"GET": 200, "POST": 201 if api else 302, "PATCH": 200}[method]
    out_of_sight = {p: 404 for p in LOGGED_IN - seen - allowed}
    if api:
        return api_case(method, route, url, data=data, allowed=allowed, ok=ok, denied=403, status=out_of_sight)
    return Case(route, url, method, data, allowed=allowed, ok=ok, denied=403, status=out_of_sight)


def _world() -> tuple[Election, Stage, Contest, CandidatePair]:
    """A Kukar-wide election with its campaign stage, the governor's race and a Kukar pair."""
    kukar, _ = Election.objects.get_or_create(
        name=KUKAR_2020,
        defaults={"kind": ElectionKind.PILKADA, "region_id": "64.02", "voting_date": dt.date(2020, 12, 9)},
    )
    stage, _ = Stage.objects.get_or_create(
        election=kukar, name="Kampanye 2020", start=dt.date(2020, 9, 26), end=dt.date(2020, 12, 5)
    )
    province = Election.objects.get(name="Pilkada Serentak 2024 — Kalimantan Timur")
    governor, _ = Contest.objects.get_or_create(
        election=province, kind=ContestKind.GOVERNOR, region_id="64", name="Gubernur Kaltim 2024"
    )
    bupati = Contest.objects.get(name="Bupati Kukar 2024")
    pair, _ = CandidatePair.objects.get_or_create(
        contest=bupati, number=1, defaults={"head_name": "Edi Damansyah", "deputy_name": "Rendi Solihin"}
    )
    return kukar, stage, governor, pair


def cases(w: Any) -> list[Case]:
    kukar, kukar_stage, governor, pair = _world()
    e = w.election.pk
    province_stage = Stage.objects.filter(election=w.election).first()
    assert province_stage is not None
    bupati = Contest.objects.get(name="Bupati Kukar 2024")
    samarinda = Contest.objects.get(name="Walikota Samarinda 2024").pk
    new_election: dict[str, Any] = {"name": "Pilkada Kukar 2029", "kind": "pilkada", "region_code": "64.02"}
    new_election |= {"voting_date": "2029-11-28", "timezone": "Asia/Makassar", "max_voters_per_tps": 600}
    kukar_edit = new_election | {"name": KUKAR_2020, "voting_date": "2020-12-09", "version": kukar.version}
    new_contest = {"name": "Bupati Kukar 2020", "kind": "regent", "region_code": "64.02"}
    contest_edit: dict[str, Any] = {"name": "Bupati Kutai Kartanegara 2024", "kind": "regent", "region_code": "64.02"}
    contest_edit |= {"version": bupati.version}
    new_pair = {"number": 2, "head_name": "Dendi Suryadi", "deputy_name": "Alif Turiadi", "parties": "PKS"}
    pair_edit: dict[str, Any] = {
        "number": 1,
        "head_name": "Edi Damansyah",
        "deputy_name": "Rendi Solihin",
        "parties": "PDIP",
    }
    pair_edit |= {"version": pair.version}
    new_stage = {"name": "Masa tenang 2020", "start": "2020-12-06", "end": "2020-12-08", "basis": "PKPU 5/2020"}
    stage_edit: dict[str, Any] = {
        "name": "Kampanye 2020",
        "start": "2020-09-26",
        "end": "2020-12-05",
        "basis": "PKPU 13/2020",
    }
    stage_edit |= {"version": kukar_stage.version}
    return [
        Case("elections:list", "/elections/", hidden={w.election.name: MEMBERS, KUKAR_2020: IN_SEBULU}),
        Case("elections:detail", f"/elections/{e}/", allowed=MEMBERS, hidden=HIDDEN),
        Case("elections:detail", f"/elections/{kukar.pk}/", allowed=IN_SEBULU),
        # Creating: any KPU writer may open the form; the action keeps each to their own area.
        _write("elections:create", "/elections/new/", allowed=KPU_KUKAR_WRITERS | {"kpu_samarinda"}, seen=LOGGED_IN),
        _write("elections:create", "/elections/new/", "POST", new_election, seen=LOGGED_IN),
        # The province-wide election: seen by every member, changed only with the province in scope.
        _write("elections:edit", f"/elections/{e}/edit/", allowed=NOBODY, seen=MEMBERS),
        _write("elections:edit", f"/elections/{kukar.pk}/edit/"),
        _write("elections:edit", f"/elections/{kukar.pk}/edit/", "POST", kukar_edit),
        _write(
            "elections:contest_create",
            f"/elections/{e}/contests/new/",
            allowed=KPU_KUKAR_WRITERS | {"kpu_samarinda"},
            seen=MEMBERS,
        ),
        # KPU Samarinda sees the province-wide election but may not add a Kukar contest to it.
        _write("elections:contest_create", f"/elections/{e}/contests/new/", "POST", new_contest, seen=MEMBERS),
        _write("elections:contest_create", f"/elections/{kukar.pk}/contests/new/", "POST", new_contest),
        _write("elections:contest_edit", f"/elections/contests/{bupati.pk}/edit/"),
        _write("elections:contest_edit", f"/elections/contests/{bupati.pk}/edit/", "POST", contest_edit),
        _write("elections:contest_edit", f"/elections/contests/{governor.pk}/edit/", allowed=NOBODY, seen=MEMBERS),
        _write(
            "elections:contest_edit",
            f"/elections/contests/{samarinda}/edit/",
            allowed=frozenset({"kpu_samarinda"}),
            seen=NOBODY,
        ),
        _write("elections:pair_create", f"/elections/contests/{bupati.pk}/pairs/new/"),
        _write("elections:pair_create", f"/elections/contests/{bupati.pk}/pairs/new/", "POST", new_pair),
        _write("elections:pair_create", f"/elections/contests/{governor.pk}/pairs/new/", allowed=NOBODY, seen=MEMBERS),
        _write("elections:pair_edit", f"/elections/pairs/{pair.pk}/edit/"),
        _write("elections:pair_edit", f"/elections/pairs/{pair.pk}/edit/", "POST", pair_edit),
        _write("elections:stage_create", f"/elections/{e}/stages/new/", allowed=NOBODY, seen=MEMBERS),
        _write("elections:stage_create", f"/elections/{kukar.pk}/stages/new/"),
        _write("elections:stage_create", f"/elections/{kukar.pk}/stages/new/", "POST", new_stage),
        _write("elections:stage_edit", f"/elections/stages/{province_stage.pk}/edit/", allowed=NOBODY, seen=MEMBERS),
        _write("elections:stage_edit", f"/elections/stages/{kukar_stage.pk}/edit/"),
        _write("elections:stage_edit", f"/elections/stages/{kukar_stage.pk}/edit/", "POST", stage_edit),
        # API: reads
        api_case(
            "GET",
            "/api/v1/elections/",
            "/api/v1/elections/",
            hidden={w.election.name: MEMBERS, KUKAR_2020: IN_SEBULU},
        ),
        api_case("GET", "/api/v1/elections/{election_id}", f"/api/v1/elections/{e}", allowed=MEMBERS),
        api_case(
            "GET",
            "/api/v1/elections/{election_id}/contests",
            f"/api/v1/elections/{e}/contests",
            allowed=MEMBERS,
            hidden=HIDDEN,
        ),
        api_case("GET", "/api/v1/elections/{election_id}/stages", f"/api/v1/elections/{e}/stages", allowed=MEMBERS),
        api_case(
            "GET",
            "/api/v1/elections/contests/{contest_id}/candidates",
            f"/api/v1/elections/contests/{bupati.pk}/candidates",
            allowed=IN_SEBULU,
        ),
        api_case(
            "GET",
            "/api/v1/elections/contests/{contest_id}/candidates",
            f"/api/v1/elections/contests/{samarinda}/candidates",
            allowed=frozenset({"kpu_samarinda"}),
        ),
        # API: writes, with the same rules as the pages
        _write("/api/v1/elections/", "/api/v1/elections/", "POST", new_election, seen=LOGGED_IN, api=True),
        _write(
            "/api/v1/elections/{election_id}",
            f"/api/v1/elections/{e}",
            "PATCH",
            {"version": w.election.version, "max_voters_per_tps": 500},
            allowed=NOBODY,
            seen=MEMBERS,
            api=True,
        ),
        _write(
            "/api/v1/elections/{election_id}",
            f"/api/v1/elections/{kukar.pk}",
            "PATCH",
            {"version": kukar.version, "max_voters_per_tps": 500},
            api=True,
        ),
        _write(
            "/api/v1/elections/{election_id}/contests",
            f"/api/v1/elections/{e}/contests",
            "POST",
            new_contest,
            seen=MEMBERS,
            api=True,
        ),
        _write(
            "/api/v1/elections/contests/{contest_id}",
            f"/api/v1/elections/contests/{bupati.pk}",
            "PATCH",
            {"version": bupati.version, "name": "Bupati Kutai Kartanegara 2024"},
            api=True,
        ),
        _write(
            "/api/v1/elections/contests/{contest_id}",
            f"/api/v1/elections/contests/{governor.pk}",
            "PATCH",
            {"version": governor.version, "name": "Gubernur Kalimantan Timur 2024"},
            allowed=NOBODY,
            seen=MEMBERS,
            api=True,
        ),
        _write(
            "/api/v1/elections/contests/{contest_id}/candidates",
            f"/api/v1/elections/contests/{bupati.pk}/candidates",
            "POST",
            new_pair,
            api=True,
        ),
        _write(
            "/api/v1/elections/candidates/{pair_id}",
            f"/api/v1/elections/candidates/{pair.pk}",
            "PATCH",
            {"version": pair.version, "parties": "PDIP, Gerindra"},
            api=True,
        ),
        _write(
            "/api/v1/elections/{election_id}/stages",
            f"/api/v1/elections/{e}/stages",
            "POST",
            new_stage,
            allowed=NOBODY,
            seen=MEMBERS,
            api=True,
        ),
        _write(
            "/api/v1/elections/{election_id}/stages",
            f"/api/v1/elections/{kukar.pk}/stages",
            "POST",
            new_stage,
            api=True,
        ),
        _write(
            "/api/v1/elections/stages/{stage_id}",
            f"/api/v1/elections/stages/{province_stage.pk}",
            "PATCH",
            {"version": province_stage.version, "basis": "PKPU 2/2024"},
            allowed=NOBODY,
            seen=MEMBERS,
            api=True,
        ),
        _write(
            "/api/v1/elections/stages/{stage_id}",
            f"/api/v1/elections/stages/{kukar_stage.pk}",
            "PATCH",
            {"version": kukar_stage.version, "basis": "PKPU 13/2020"},
            api=True,
        ),
    ]
