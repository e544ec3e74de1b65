"""Every route and API operation, as every persona (see tests/matrix.py)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver

from agencies.models import Agency, Membership, Role
from core.models import AuditEntry
from logistics import actions
from logistics.models import Package, Shipment
from logistics.tests.base import DISPATCHED, RECEIVED, LogisticsTestCase
from regions.models import PollingStation, Region
from tests import matrix


def page_routes() -> Iterator[str]:
    """Every named URL pattern of the project, as "namespace:name"."""

    def walk(patterns: list[Any], ns: str | None) -> Iterator[str]:
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, p.namespace or ns)
            elif isinstance(p, URLPattern):
                yield f"{ns}:{p.name}" if ns else str(p.name)

    yield from walk(get_resolver().url_patterns, None)


def api_operations() -> Iterator[str]:
    """Every API operation, as "METHOD /api/v1/path/{param}"."""
    from sinergi.api import api

    for path, ops in api.get_openapi_schema()["paths"].items():
        for method in ops:
            yield f"{method.upper()} {path}"


class PermissionMatrixTest(LogisticsTestCase):
    """The Kukar slice with its logistics chain, seen by eleven personas."""

    dispatched_lines: dict[str, int]
    dispatched_shipment: Shipment
    planned_shipment: Shipment
    received_shipment: Shipment

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        kpu = Agency.objects.get(name="KPU Kukar")
        samarinda = Agency.objects.get(name="KPU Samarinda")
        User = get_user_model()
        cls.personas["no_membership"] = User.objects.create(username="no_membership")
        for name, agency, role, scope in [
            ("kpu_viewer", kpu, Role.VIEWER, "64.02"),
            ("kpu_admin", kpu, Role.ADMIN, "64.02"),
            ("kpu_samarinda", samarinda, Role.OPERATOR, "64.72"),
        ]:
            user = User.objects.create(username=name)
            Membership.objects.create(user=user, agency=agency, role=role, scope_id=scope)
            cls.personas[name] = user
        cls.personas["ppk_operator"] = cls.ppk_operator
        for tps, address in [
            (cls.tps_sebulu, "Alamat TPS Sebulu Ilir"),
            (cls.tps_tenggarong, "Alamat TPS Melayu"),
            (cls.tps_samarinda, "Alamat TPS Rawa Makmur"),
        ]:
            PollingStation.objects.filter(pk=tps.pk).update(address=address)
        cls.dispatched_lines = {"ink": 10, "seal": 10}
        cls.dispatched_shipment = cls.ship(cls, cls.warehouse, cls.ppk_sebulu, cls.dispatched_lines)  # type: ignore[arg-type,attr-defined]
        cls.planned_shipment = cls.ship(cls, cls.warehouse, cls.ppk_sebulu, {"ink": 5}, dispatched=None)  # type: ignore[arg-type,attr-defined]
        # Sebulu's sealed boxes, and a shipment of them received with its berita acara
        actions.pack(cls.kpu_operator, cls.election, region=Region.objects.get(code="64.02.07"), first_seal=4001)
        cls.received_shipment = actions.create_shipment(
            cls.kpu_operator,
            cls.election,
            cls.warehouse,
            cls.ppk_sebulu,
            {},
            packages=list(Package.objects.filter(region__code__startswith="64.02.07")),
        )
        cls.received_shipment = actions.dispatch_shipment(
            cls.kpu_operator, cls.received_shipment, DISPATCHED, cls.received_shipment.version
        )
        actions.record_receipt(
            cls.kpu_operator,
            cls.received_shipment,
            client_id=uuid.uuid4(),
            received_at=RECEIVED,
            receiver="Ketua PPK Sebulu",
            lines={},
            packages={sp.package_id: ("intact", None) for sp in cls.received_shipment.packages.all()},
            supervisor="PKD Sebulu",
            escort_officer="Bripka Andi",
        )

    def request(self, persona: str, case: matrix.Case) -> Any:
        self.client.logout()
        if persona != "anonymous":
            self.client.force_login(self.personas[persona])
        kwargs: dict[str, Any] = {}
        if case.json:
            kwargs = {"data": json.dumps(case.data), "content_type": "application/json"}
        elif case.data is not None:
            kwargs = {"data": case.data}
        return getattr(self.client, case.method.lower())(case.url, **kwargs)

    def test_every_route_and_operation_has_a_case(self) -> None:
        covered = {c.route for c in matrix.all_cases(self)}
        routes = [r for r in page_routes() if not matrix.is_exempt(r) and not r.startswith("api-1:")]
        missing = sorted({r for r in routes if r not in covered} | {op for op in api_operations() if op not in covered})
        self.assertEqual(missing, [], "routes without a permission case")

    def test_every_persona_gets_the_declared_outcome_and_nothing_out_of_scope(self) -> None:
        for case in matrix.all_cases(self):
            for persona in matrix.PERSONAS:
                with self.subTest(route=case.route, url=case.url, method=case.method, persona=persona):
                    with transaction.atomic():
                        audit_rows = AuditEntry.objects.count()
                        r = self.request(persona, case)
                        written = AuditEntry.objects.count() - audit_rows
                        transaction.set_rollback(True)
                    if r.status_code >= 400:
                        self.assertEqual(written, 0, "a refused request wrote nothing")
                    body = b"".join(r.streaming_content) if r.streaming else r.content
                    self.assertEqual(r.status_code, case.expected(persona), body[:300])
                    if r.status_code < 300:
                        text = body.decode("utf-8", "replace")
                        for marker, viewers in case.hidden.items():
                            if persona not in viewers:
                                self.assertNotIn(marker, text, f"{persona} sees {marker!r}")
