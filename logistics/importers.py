"""Shipment manifests from XLSX/CSV: all-or-nothing, with a row-by-row report.

One row per item: ``tujuan`` (destination: a kecamatan code for its PPK, a desa code for its PPS,
or ``desa/no_tps`` for a KPPS), ``barang`` (item code), ``jumlah`` (quantity). Rows with the same
``tujuan`` (and ``kiriman`` key, if given) form one planned shipment from the node upstream.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import audit, scoping
from core.formats import number
from core.imports import NO_PROGRESS, CellError, Column, ImportReport, Progress, Spec, count
from core.spreadsheets import FileRejected, ImportFailed, read_rows
from elections.models import Election
from logistics import actions
from logistics.models import Item, Node, NodeLevel, Route


def quantity(value: Any) -> int:
    out = _count(value)
    if out <= 0:
        raise CellError(_("Quantity must be above zero (got %(v)s).") % {"v": out})
    return out


_count = count()

# One row per item of a planned shipment. ``jumlah`` reads Indonesian numbers: 10.000 is ten thousand.
MANIFEST_SPEC = Spec(
    "Manifest",
    [
        Column("destination", "tujuan", aliases=("destination",), required=True, example="64.02.07"),
        Column("item", "barang", aliases=("item", "kode_barang"), required=True, example="ballot-6402"),
        Column("quantity", "jumlah", quantity, aliases=("quantity", "qty"), required=True, example="29.200"),
        Column("shipment", "kiriman", aliases=("shipment",)),
    ],
)
COLUMNS = MANIFEST_SPEC.headers()


def template_rows() -> Iterable[list[str]]:
    yield COLUMNS
    yield ["64.02.07", "ballot-6402", "29.200", ""]
    yield ["64.02.07.2001/001", "booth", "4", ""]


def _find_node(election: Election, key: str, cache: dict[str, Node | None]) -> Node | None:
    if key in cache:
        return cache[key]
    qs = Node.objects.filter(election=election)
    if "/" in key:
        desa, _sep, number = key.partition("/")
        node = qs.filter(
            level=NodeLevel.KPPS, polling_station__village_id=desa, polling_station__number=number.zfill(3)
        ).first()
    else:
        level = {2: NodeLevel.WAREHOUSE, 3: NodeLevel.PPK, 4: NodeLevel.PPS}.get(key.count(".") + 1)
        node = qs.filter(level=level, region_id=key).first() if level else None
    cache[key] = node
    return node


def import_manifest(
    actor: Any, election: Election, data: bytes, filename: str = "", *, progress: Progress = NO_PROGRESS
) -> int:
    """All-or-nothing: plan one shipment per destination (and ``kiriman`` key); returns how many.

    Each shipment is audited by ``create_shipment``; one more audit row records the file.
    ``progress`` hears how far it is (a background import's status page).
    """
    items = {i.code: i for i in Item.objects.filter(election=election)}
    nodes: dict[str, Node | None] = {}
    groups: dict[tuple[str, str], dict[Item, int]] = {}

    def check(r: Any, report: ImportReport) -> None:
        node = _find_node(election, r.destination, nodes)
        if node is None:
            report.add(
                r.row,
                "tujuan",
                _("Unknown destination “%(d)s”: use a kecamatan code, a desa code or desa/TPS number.")
                % {"d": r.destination},
            )
        elif actor is not None and not scoping.can(actor, "logistics", scoping.CHANGE, node.region_id):
            report.add(r.row, "tujuan", _("%(d)s is outside your area.") % {"d": r.destination})
        item = items.get(r.item)
        if item is None:
            report.add(r.row, "barang", _("Unknown item “%(c)s”.") % {"c": r.item})
        if node is not None and item is not None:
            lines = groups.setdefault((r.destination, r.shipment), {})
            if item in lines:
                report.add(r.row, "barang", _("%(c)s appears twice in the same shipment.") % {"c": r.item})
            lines[item] = r.quantity

    try:
        report = MANIFEST_SPEC.parse(read_rows(data), check, progress)
    except FileRejected as e:
        raise ImportFailed(str(e)) from e
    if not report.error_count and not groups:
        raise ImportFailed(_("The file has a header but no rows."))
    if report.error_count:
        raise ImportFailed(
            _("Nothing was imported: %(n)s problem(s) found.") % {"n": number(report.error_count)},
            report.errors,
            report.error_count,
        )
    progress.writing()
    with transaction.atomic():
        for (dest, _key), lines in groups.items():
            node = nodes[dest]
            assert node is not None
            route = Route.objects.filter(destination=node).select_related("origin").first()
            if route is None:
                raise ImportFailed(_("No route leads to %(d)s.") % {"d": dest})
            try:
                actions.create_shipment(actor, election, route.origin, node, lines)
            except ValidationError as e:
                raise ImportFailed(" ".join(e.messages)) from e
        entry = audit.record(
            actor,
            "manifest.import",
            election,
            {"file": [None, filename], "shipments": [None, len(groups)]},
            note=_("Manifest import: %(n)s shipments planned") % {"n": number(len(groups))},
        )
        progress.written({"shipments": len(groups)}, entry)
    return len(groups)


def describe_result(counts: dict[str, Any]) -> str:
    """The sentence a manifest import ends with, inline or on its background page."""
    return _("%(n)s shipments planned from the manifest.") % {"n": number(counts.get("shipments", 0))}
