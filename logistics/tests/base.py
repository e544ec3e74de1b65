from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from typing import Any

from django.contrib.auth import get_user_model

from agencies.models import Agency, AgencyKind, Membership, Role
from core import jobs
from core.models import Job
from logistics import actions, targets
from logistics.models import Item, Node, NodeLevel, Shipment
from regions.models import Region
from tests.base import SinergiTestCase

WITA = zoneinfo.ZoneInfo("Asia/Makassar")


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2024, 11, day, hour, 0, tzinfo=WITA)


DISPATCHED, RECEIVED = at(14), at(15)


class LogisticsTestCase(SinergiTestCase):
    """The test slice of Kukar with its distribution network and catalogue built."""

    items: dict[str, Item]
    warehouse: Node
    ppk_sebulu: Node
    ppk_tenggarong: Node
    pps_sebulu_ilir: Node
    kpps_sebulu: Node
    ppk_operator: Any

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        actions.plan_for(cls.election)
        cls.items = {i.code: i for i in actions.default_catalogue(cls.election)}
        actions.build_network(cls.election, Region.objects.get(code="64.02"))
        actions.rebuild_supply(cls.election)
        jobs.run_all()  # the follow-up of build_network: the logistics summaries
        Job.objects.all().delete()  # tests count the jobs their own actions leave
        nodes = Node.objects.filter(election=cls.election)
        cls.warehouse = nodes.get(level=NodeLevel.WAREHOUSE)
        cls.ppk_sebulu = nodes.get(level=NodeLevel.PPK, region_id="64.02.07")
        cls.ppk_tenggarong = nodes.get(level=NodeLevel.PPK, region_id="64.02.06")
        cls.pps_sebulu_ilir = nodes.get(level=NodeLevel.PPS, region_id="64.02.07.2001")
        cls.kpps_sebulu = nodes.get(level=NodeLevel.KPPS, polling_station=cls.tps_sebulu)
        agency = Agency.objects.create(name="PPK Sebulu", kind=AgencyKind.PPK, region_id="64.02.07")
        cls.ppk_operator = get_user_model().objects.create(username="ppk_sebulu")
        Membership.objects.create(user=cls.ppk_operator, agency=agency, role=Role.OPERATOR, scope_id="64.02.07")

    def route_takes(self, nodes: Node | Any, minutes: int) -> None:
        """The route into ``nodes`` (a node or a queryset) takes ``minutes``: their due times and
        latest safe dispatch follow, as after a route is saved."""
        qs = Node.objects.filter(pk=nodes.pk) if isinstance(nodes, Node) else nodes
        qs.update(inbound_minutes=minutes)
        targets.refresh(self.election)

    def ship(
        self,
        origin: Node,
        destination: Node,
        qty: dict[str, int],
        dispatched: dt.datetime | None = DISPATCHED,
        **kw: Any,
    ) -> Shipment:
        lines = {self.items[code]: q for code, q in qty.items()}
        s = actions.create_shipment(self.kpu_operator, self.election, origin, destination, lines, **kw)
        if dispatched is not None:
            s = actions.dispatch_shipment(self.kpu_operator, s, dispatched, s.version)
        return s

    def receive(
        self,
        s: Shipment,
        counts: dict[str, tuple[int, int, int]],
        when: dt.datetime = RECEIVED,
        actor: Any = None,
        **kw: Any,
    ) -> Any:
        return actions.record_receipt(
            actor or self.kpu_operator,
            s,
            client_id=kw.pop("client_id", uuid.uuid4()),
            received_at=when,
            receiver="Ketua PPK",
            lines={self.items[c]: v for c, v in counts.items()},
            **kw,
        )
