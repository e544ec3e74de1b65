"""The KPU Kukar warehouse's stock in the demo, replayed up to the demo's moment.

Illustrative, in the shape of what FACTS records of practice: the printer delivers each contest's
ballots with about 59 spares (printed − needed); sorting and folding find damaged ballots; what
the spares cannot cover is asked of the procuring level (KPU Provinsi for the governor's ballots)
and arrives after the 18 Nov rakor. Every row points at the demo's illustrative source.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from core import dates
from core.models import AuditEntry, Source, SourceStatus
from elections.models import Election
from logistics import actions, selectors
from logistics.models import Item, Node, NodeLevel, StockEntry, StockKind

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
KUKAR = "64.02"
SPARES = 59  # per contest, printed − needed
# ballot item code -> (damaged at sorting, day of sorting, day the replacement arrives)
SORTING = {"ballot-6402": (312, 8, 20), "ballot-64": (145, 9, 22)}
SOURCE = (
    "sinergi-demo-stock",
    "Sinergi (demo)",
    "Stok gudang KPU Kukar: penerimaan, sortir, penggantian",
    dt.date(2024, 10, 28),
    "Angka ilustratif dalam pola praktik KPU (cadangan sekitar 59 lembar per pemilihan), bukan data KPU Kukar.",
)


def _at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2024, month, day, hour, 0, tzinfo=WITA)


def _uid(*parts: object) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, "sinergi-demo-stock/" + "/".join(map(str, parts)))


def source() -> Source:
    key, publisher, title, as_of, note = SOURCE
    found, _ = Source.objects.update_or_create(
        key=key,
        defaults={
            "status": SourceStatus.ILLUSTRATIVE,
            "publisher": publisher,
            "title": title,
            "as_of": as_of,
            "note": note,
        },
    )
    return found


def movements(election: Election, warehouse: Node) -> list[tuple[dt.datetime, str, str, int, str]]:
    """Every movement of the scenario: (when, item code, kind, quantity, document)."""
    out: list[tuple[dt.datetime, str, str, int, str]] = []
    for row in selectors.stock(election, warehouse):
        code, needed = row["item"].code, row["needed"]
        if not needed:
            continue
        sorting = SORTING.get(code)
        delivered = needed + SPARES if sorting else needed
        out.append((_at(10, 28), code, StockKind.DELIVERED, delivered, f"BA-TERIMA/{code}/X/2024"))
        if sorting:
            damaged, day, arrives = sorting
            out.append((_at(11, day, 15), code, StockKind.DAMAGED, damaged, f"BA-SORTIR/{code}/XI/2024"))
            missing = damaged - SPARES
            out.append((_at(11, day + 1), code, StockKind.REQUESTED, missing, f"SURAT/{code}/XI/2024"))
            out.append((_at(11, arrives), code, StockKind.REPLACED, missing, f"BA-PENGGANTIAN/{code}/XI/2024"))
    return sorted(out, key=lambda m: (m[0], m[1]))


@transaction.atomic
def replay(ctx: dict[str, Any], moment: dt.datetime) -> dict[str, int]:
    election = ctx.get("election") or Election.objects.filter(region_id="64").order_by("pk").first()
    if election is None:
        return {"stock": 0}
    warehouse = Node.objects.filter(election=election, level=NodeLevel.WAREHOUSE, region_id=KUKAR).first()
    if warehouse is None:
        return {"stock": 0}
    demo = source()
    old = StockEntry.objects.filter(election=election, source=demo)
    AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(StockEntry),
        object_id__in=[str(pk) for pk in old.values_list("pk", flat=True)],
    ).delete()
    old.delete()
    items = {i.code: i for i in Item.objects.filter(election=election)}
    count = 0
    for at, code, kind, quantity, document in movements(election, warehouse):
        if at > moment:
            break
        with dates.pinned(at):  # its audit row is dated when it happened, not at the moment shown
            actions.record_stock(
                None,
                warehouse,
                items[code],
                kind,
                quantity,
                at,
                document=document,
                client_id=_uid(code, kind, at),
                source=demo,
            )
        count += 1
    return {"stock": count}


def load(ctx: dict[str, Any]) -> dict[str, int]:
    return replay(ctx, ctx["moment"])
