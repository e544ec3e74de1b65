"""Permission cases for logistics (see tests/matrix.py).

KPU runs the chain in its area; everyone at the desk follows it; KPU and its PPK/PPS confirm
what arrived, each only in their own area.
"""

from __future__ import annotations

import uuid
from typing import Any

from logistics.models import Route
from tests.matrix import IN_SEBULU, KPU_KUKAR_WRITERS, KUKAR_WIDE, LOGGED_IN, Case, api_case

# Who follows the PPK Sebulu node and its shipments: the Kukar-wide agencies, the camat and the PPK.
SEBULU_NODE = IN_SEBULU
NOT_SEEN = {"no_membership": 404, "kpu_samarinda": 404}


def cases(w: Any) -> list[Case]:
    ppk, pps = w.ppk_sebulu, w.pps_sebulu_ilir
    planned, dispatched, received = w.planned_shipment, w.dispatched_shipment, w.received_shipment
    route = Route.objects.get(destination=pps)
    item = w.items["ink"]
    receipt: dict[str, Any] = {"client_id": str(uuid.uuid4()), "receiver": "Ketua PPK"}
    receipt |= {"received_at": "2024-11-15T09:00:00+08:00"}
    receipt["lines"] = [{"item_code": code, "received": q} for code, q in w.dispatched_lines.items()]
    shipment = {"origin_id": w.warehouse.pk, "destination_id": ppk.pk, "lines": [{"item_code": "ink", "quantity": 5}]}
    new_item = {"code": "tinta-cadangan", "name": "Tinta cadangan", "kind": "ink", "per_tps": 1}
    return [
        # Pages
        Case("logistics:region", "/logistics/64.02/", allowed=LOGGED_IN),
        Case("logistics:region", "/logistics/64.02/?export=csv", allowed=LOGGED_IN, hidden={ppk.name: SEBULU_NODE}),
        Case("logistics:areas", "/logistics/64.02/areas.geojson", allowed=LOGGED_IN),
        Case("logistics:risk_points", "/logistics/64.02/risk.geojson", allowed=LOGGED_IN),
        Case("logistics:problems", "/logistics/problems/", allowed=LOGGED_IN),
        Case("logistics:catalogue", "/logistics/catalogue/", allowed=LOGGED_IN),
        Case("logistics:plan", "/logistics/plan/", allowed=LOGGED_IN),
        # The plan is the election's, and the election is province-wide: KPU Kaltim's to change.
        Case("logistics:plan", "/logistics/plan/", "POST", {"ppk_due_days": 5}, allowed=frozenset(), denied=403),
        # The common items are the province's KPU's to edit (the election is province-wide).
        Case(
            "logistics:item_edit",
            f"/logistics/catalogue/{item.pk}/",
            allowed=frozenset(),
            denied=403,
            status={"no_membership": 404},
        ),
        Case("logistics:import", "/logistics/import/", allowed=KPU_KUKAR_WRITERS | {"kpu_samarinda"}, denied=403),
        Case("logistics:template", "/logistics/import/template.csv", anonymous=200),
        Case("logistics:node", f"/logistics/nodes/{ppk.pk}/", allowed=SEBULU_NODE, status=NOT_SEEN),
        Case(
            "logistics:node",
            f"/logistics/nodes/{ppk.pk}/",
            "POST",
            {"mode": "longboat", "travel_minutes": 90},
            allowed=KPU_KUKAR_WRITERS,
            ok=302,
            denied=403,
            status=NOT_SEEN,
        ),
        # The route into PPS Sebulu Ilir: its legs and condition are KPU Kukar's to change.
        Case(
            "logistics:route",
            f"/logistics/nodes/{pps.pk}/route/",
            allowed=KPU_KUKAR_WRITERS,
            denied=403,
            status=NOT_SEEN,
        ),
        Case(
            "logistics:route",
            f"/logistics/nodes/{pps.pk}/route/",
            "POST",
            {"save": "condition", "condition": "flood", "condition_note": "Banjir di jalan desa"},
            allowed=KPU_KUKAR_WRITERS,
            ok=302,
            denied=403,
            status=NOT_SEEN,
        ),
        Case(
            "logistics:shipment_create",
            f"/logistics/nodes/{w.warehouse.pk}/ship/",
            allowed=KPU_KUKAR_WRITERS,
            denied=403,
            status={**NOT_SEEN, "ppk_operator": 404, "camat_sebulu": 404},
        ),
        # After the count the holder sends the boxes back: whoever confirms receipts at PPK Sebulu.
        Case(
            "logistics:send_back",
            f"/logistics/nodes/{ppk.pk}/send-back/",
            allowed=KPU_KUKAR_WRITERS | {"ppk_operator"},
            denied=403,
            status=NOT_SEEN,
        ),
        # The KPU Kukar warehouse's stock: seen Kukar-wide, recorded by KPU Kukar.
        Case(
            "logistics:stock",
            f"/logistics/nodes/{w.warehouse.pk}/stock/",
            allowed=KUKAR_WIDE,
            status={**NOT_SEEN, "ppk_operator": 404, "camat_sebulu": 404},
        ),
        Case(
            "logistics:stock",
            f"/logistics/nodes/{w.warehouse.pk}/stock/",
            "POST",
            {
                "client_id": str(uuid.uuid4()),
                "kind": "delivered",
                "item": item.pk,
                "quantity": 100,
                "at": "2024-11-10T09:00",
                "document": "BA-01",
            },
            allowed=KPU_KUKAR_WRITERS,
            ok=302,
            denied=403,
            status={**NOT_SEEN, "ppk_operator": 404, "camat_sebulu": 404},
        ),
        Case("logistics:shipment", f"/logistics/shipments/{dispatched.pk}/", allowed=SEBULU_NODE, status=NOT_SEEN),
        # Polri/TNI record their escort, Bawaslu its supervision; the others who follow it may not.
        Case(
            "logistics:escort",
            f"/logistics/shipments/{dispatched.pk}/escort/",
            allowed=frozenset({"polres_officer"}),
            denied=403,
            status=NOT_SEEN,
        ),
        Case(
            "logistics:escort",
            f"/logistics/shipments/{dispatched.pk}/escort/",
            "POST",
            {"client_id": str(uuid.uuid4()), "officer": "AKP Rahman", "personnel": 4, "at": "2024-11-15T08:00"},
            allowed=frozenset({"polres_officer"}),
            ok=302,
            denied=403,
            status=NOT_SEEN,
        ),
        Case(
            "logistics:field_report",
            f"/logistics/shipments/{dispatched.pk}/field-report/",
            allowed=frozenset({"camat_sebulu"}),
            denied=403,
            status=NOT_SEEN,
        ),
        Case(
            "logistics:field_report",
            f"/logistics/shipments/{dispatched.pk}/field-report/",
            "POST",
            {"client_id": str(uuid.uuid4()), "kind": "arrived", "at": "2024-11-15T08:00"},
            allowed=frozenset({"camat_sebulu"}),
            ok=302,
            denied=403,
            status=NOT_SEEN,
        ),
        Case(
            "logistics:supervision",
            f"/logistics/shipments/{dispatched.pk}/supervision/",
            allowed=frozenset({"bawaslu_investigator"}),
            denied=403,
            status=NOT_SEEN,
        ),
        Case(
            "logistics:supervision",
            f"/logistics/shipments/{dispatched.pk}/supervision/",
            "POST",
            {
                "client_id": str(uuid.uuid4()),
                "supervisor": "Panwascam Sebulu",
                "stage": "dispatch",
                "finding": "in_order",
                "at": "2024-11-14T09:00",
            },
            allowed=frozenset({"bawaslu_investigator"}),
            ok=302,
            denied=403,
            status=NOT_SEEN,
        ),
        # Sealed packages: followed by all who follow the area, packed by KPU; the berita acara of
        # a received shipment is seen by those who see the shipment.
        Case(
            "logistics:packages",
            "/logistics/packages/64.02.07/",
            allowed=LOGGED_IN,
            status={"no_membership": 200},
            hidden={"004001": SEBULU_NODE},
        ),
        Case(
            "logistics:packages",
            "/logistics/packages/64.02.06/",
            "POST",
            {"seal_prefix": "KKR-", "first_seal": 7001},
            allowed=KPU_KUKAR_WRITERS,
            ok=302,
            denied=403,
        ),
        Case(
            "logistics:handover",
            f"/logistics/shipments/{received.pk}/berita-acara/",
            allowed=SEBULU_NODE,
            status=NOT_SEEN,
        ),
        Case("logistics:receipt_photo", f"/logistics/shipments/{dispatched.pk}/photo/", allowed=frozenset()),
        Case(
            "logistics:shipment_action",
            f"/logistics/shipments/{planned.pk}/dispatch/",
            "POST",
            {"version": planned.version},
            allowed=KPU_KUKAR_WRITERS,
            ok=302,
            denied=403,
            status=NOT_SEEN,
        ),
        # API
        api_case(
            "POST",
            "/api/v1/logistics/shipments/{shipment_id}/field-report",
            f"/api/v1/logistics/shipments/{dispatched.pk}/field-report",
            data={"kind": "problem", "message": "Jalan banjir di Sebulu", "at": "2024-11-15T08:00:00+08:00"},
            allowed=frozenset({"camat_sebulu"}),
            ok=201,
            denied=403,
            status=NOT_SEEN,
        ),
        api_case(
            "GET",
            "/api/v1/logistics/shipments/{shipment_id}/oversight",
            f"/api/v1/logistics/shipments/{dispatched.pk}/oversight",
            allowed=SEBULU_NODE,
            status=NOT_SEEN,
        ),
        api_case(
            "POST",
            "/api/v1/logistics/shipments/{shipment_id}/escort",
            f"/api/v1/logistics/shipments/{dispatched.pk}/escort",
            data={"officer": "AKP Rahman", "personnel": 4, "at": "2024-11-15T08:00:00+08:00"},
            allowed=frozenset({"polres_officer"}),
            ok=201,
            denied=403,
            status=NOT_SEEN,
        ),
        api_case(
            "POST",
            "/api/v1/logistics/shipments/{shipment_id}/supervision",
            f"/api/v1/logistics/shipments/{dispatched.pk}/supervision",
            data={
                "supervisor": "PKD Sebulu",
                "stage": "dispatch",
                "finding": "in_order",
                "at": "2024-11-14T09:00:00+08:00",
            },
            allowed=frozenset({"bawaslu_investigator"}),
            ok=201,
            denied=403,
            status=NOT_SEEN,
        ),
        api_case(
            "GET",
            "/api/v1/logistics/warehouses/{warehouse_id}/stock",
            f"/api/v1/logistics/warehouses/{w.warehouse.pk}/stock",
            allowed=KUKAR_WIDE,
            status={**NOT_SEEN, "ppk_operator": 404, "camat_sebulu": 404},
        ),
        api_case(
            "POST",
            "/api/v1/logistics/warehouses/{warehouse_id}/stock",
            f"/api/v1/logistics/warehouses/{w.warehouse.pk}/stock",
            data={"item_code": "ink", "kind": "delivered", "quantity": 100, "at": "2024-11-10T09:00:00+08:00"},
            allowed=KPU_KUKAR_WRITERS,
            ok=201,
            denied=403,
            status={**NOT_SEEN, "ppk_operator": 404, "camat_sebulu": 404},
        ),
        api_case(
            "POST",
            "/api/v1/logistics/packages/pack",
            "/api/v1/logistics/packages/pack",
            data={"region": "64.02.06", "first_seal": 7001},
            allowed=KPU_KUKAR_WRITERS,
            ok=201,
            denied=403,
            status={"no_membership": 404},
        ),
        api_case(
            "GET",
            "/api/v1/logistics/packages",
            "/api/v1/logistics/packages?region=64.02.07",
            status={"no_membership": 404},
            hidden={"004001": SEBULU_NODE},
        ),
        api_case("GET", "/api/v1/logistics/items", "/api/v1/logistics/items", status={"no_membership": 404}),
        api_case(
            "POST",
            "/api/v1/logistics/items",
            "/api/v1/logistics/items",
            data=new_item,
            allowed=frozenset(),
            denied=403,
            status={"no_membership": 404},
        ),
        api_case(
            "GET",
            "/api/v1/logistics/progress/{code}",
            "/api/v1/logistics/progress/64.02",
            status={"no_membership": 404},
        ),
        api_case(
            "GET",
            "/api/v1/logistics/nodes",
            "/api/v1/logistics/nodes?region=64.02",
            status={"no_membership": 404},
            hidden={ppk.name: SEBULU_NODE},
        ),
        api_case(
            "GET",
            "/api/v1/logistics/routes",
            "/api/v1/logistics/routes?region=64.02.07",
            hidden={f'"destination_id": {pps.pk}': SEBULU_NODE},
        ),
        api_case(
            "PUT",
            "/api/v1/logistics/routes",
            "/api/v1/logistics/routes",
            data={"origin_id": ppk.pk, "destination_id": pps.pk, "mode": "longboat", "travel_minutes": 60},
            allowed=KPU_KUKAR_WRITERS,
            denied=403,
            status=NOT_SEEN,
        ),
        api_case(
            "PUT",
            "/api/v1/logistics/routes",
            "/api/v1/logistics/routes",
            data={
                "origin_id": ppk.pk,
                "destination_id": pps.pk,
                "legs": [
                    {"mode": "truck", "minutes": 60, "end_point": "Dermaga Sebulu"},
                    {
                        "mode": "ketinting",
                        "minutes": 30,
                        "start_point": "Dermaga Sebulu",
                        "departures": ["Senin 07.00"],
                    },
                ],
            },
            allowed=KPU_KUKAR_WRITERS,
            denied=403,
            status=NOT_SEEN,
        ),
        api_case(
            "POST",
            "/api/v1/logistics/routes/{route_id}/condition",
            f"/api/v1/logistics/routes/{route.pk}/condition",
            data={"condition": "low_water", "note": "Air surut"},
            allowed=KPU_KUKAR_WRITERS,
            denied=403,
            status=NOT_SEEN,
        ),
        api_case(
            "GET",
            "/api/v1/logistics/shipments",
            "/api/v1/logistics/shipments",
            hidden={f'"id": {dispatched.pk}': SEBULU_NODE},
        ),
        api_case(
            "POST",
            "/api/v1/logistics/shipments",
            "/api/v1/logistics/shipments",
            data=shipment,
            allowed=KPU_KUKAR_WRITERS,
            ok=201,
            denied=403,
            status={**NOT_SEEN, "ppk_operator": 404, "camat_sebulu": 404},  # the warehouse is out of their sight
        ),
        api_case(
            "GET",
            "/api/v1/logistics/shipments/{shipment_id}",
            f"/api/v1/logistics/shipments/{dispatched.pk}",
            allowed=SEBULU_NODE,
            status=NOT_SEEN,
        ),
        api_case(
            "POST",
            "/api/v1/logistics/shipments/{shipment_id}/dispatch",
            f"/api/v1/logistics/shipments/{planned.pk}/dispatch",
            data={"version": planned.version, "dispatched_at": "2024-11-14T09:00:00+08:00"},
            allowed=KPU_KUKAR_WRITERS,
            denied=403,
            status=NOT_SEEN,
        ),
        api_case(
            "POST",
            "/api/v1/logistics/shipments/{shipment_id}/receipt",
            f"/api/v1/logistics/shipments/{dispatched.pk}/receipt",
            data=receipt,
            allowed=KPU_KUKAR_WRITERS | {"ppk_operator"},
            ok=201,
            denied=403,
            status=NOT_SEEN,
        ),
    ]
