"""Permission cases for the TPS registry and the region tree (see tests/matrix.py)."""

from __future__ import annotations

from typing import Any

from tests.matrix import IN_SEBULU, KPU_KUKAR_WRITERS, KUKAR_WIDE, LOGGED_IN, Case, api_case

# A TPS address is shown only to those whose scope holds the TPS.
SEBULU, TENGGARONG, SAMARINDA = "Alamat TPS Sebulu Ilir", "Alamat TPS Melayu", "Alamat TPS Rawa Makmur"
HIDDEN = {SEBULU: IN_SEBULU, TENGGARONG: KUKAR_WIDE, SAMARINDA: frozenset({"kpu_samarinda"})}


def cases(w: Any) -> list[Case]:
    sebulu, samarinda = w.tps_sebulu, w.tps_samarinda
    edit = {"number": "001", "address": "Diubah", "dpt_male": 200, "dpt_female": 190, "dpph_expected": 0}
    edit |= {"dptb_expected": 0, "lat": "-0.3", "lng": "117.0", "access_mode": "road", "version": sebulu.version}
    new_tps = {"election_id": w.election.pk, "village_code": "64.02.07.2002", "number": "009"}
    new_tps |= {"dpt_male": 10, "dpt_female": 10}
    return [
        # The region tree and its published totals are public reference data; pages need a log-in.
        Case("regions:region", "/regions/64.02.07/"),
        Case("regions:region", "/regions/64.02.07.2001/", hidden=HIDDEN),
        Case("regions:areas", "/regions/64/areas.geojson", anonymous=200),
        Case("regions:tps_points", "/regions/64.02/tps.geojson", hidden={"Melayu": KUKAR_WIDE}),
        Case("regions:tps_points", "/regions/64.72/tps.geojson", hidden={"Rawa Makmur": frozenset({"kpu_samarinda"})}),
        Case("regions:tps_list", "/regions/tps/", hidden=HIDDEN),
        Case("regions:tps_list", "/regions/tps/?export=csv", hidden=HIDDEN),
        Case("regions:tps_template", "/regions/tps/template.csv", anonymous=200),
        Case("regions:tps_detail", f"/regions/tps/{sebulu.pk}/", allowed=IN_SEBULU),
        Case("regions:tps_detail", f"/regions/tps/{samarinda.pk}/", allowed=frozenset({"kpu_samarinda"})),
        # Only KPU changes the registry, in its own area; others who may see it get 403.
        Case(
            "regions:tps_edit",
            f"/regions/tps/{sebulu.pk}/edit/",
            allowed=KPU_KUKAR_WRITERS,
            denied=403,
            status={"no_membership": 404, "kpu_samarinda": 404},
        ),
        Case(
            "regions:tps_edit",
            f"/regions/tps/{sebulu.pk}/edit/",
            "POST",
            edit,
            allowed=KPU_KUKAR_WRITERS,
            ok=302,
            denied=403,
            status={"no_membership": 404, "kpu_samarinda": 404},
        ),
        Case("regions:tps_create", "/regions/tps/new/", allowed=KPU_KUKAR_WRITERS | {"kpu_samarinda"}, denied=403),
        Case("regions:tps_import", "/regions/tps/import/", allowed=KPU_KUKAR_WRITERS | {"kpu_samarinda"}, denied=403),
        # API
        api_case("GET", "/api/v1/regions/", "/api/v1/regions/", allowed=LOGGED_IN),
        api_case("GET", "/api/v1/regions/provinces.geojson", "/api/v1/regions/provinces.geojson"),
        api_case("GET", "/api/v1/regions/{code}", "/api/v1/regions/64.02"),
        api_case("GET", "/api/v1/regions/{code}/children", "/api/v1/regions/64.02/children"),
        api_case("GET", "/api/v1/regions/{code}/children.geojson", "/api/v1/regions/64.02/children.geojson"),
        api_case("GET", "/api/v1/tps/", "/api/v1/tps/?limit=100", hidden=HIDDEN),
        api_case(
            "POST",
            "/api/v1/tps/",
            "/api/v1/tps/",
            data=new_tps,
            allowed=KPU_KUKAR_WRITERS,
            ok=201,
            denied=403,
            status={"no_membership": 404},
        ),
        api_case("GET", "/api/v1/tps/{tps_id}", f"/api/v1/tps/{sebulu.pk}", allowed=IN_SEBULU),
        api_case(
            "PATCH",
            "/api/v1/tps/{tps_id}",
            f"/api/v1/tps/{sebulu.pk}",
            data={"version": sebulu.version, "dpt_male": 201},
            allowed=KPU_KUKAR_WRITERS,
            denied=403,
            status={"no_membership": 404, "kpu_samarinda": 404},
        ),
        api_case("GET", "/api/v1/public/regions/{code}", "/api/v1/public/regions/64.02", anonymous=200),
    ]
