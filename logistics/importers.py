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

from core import scoping
from core.spreadsheets import FileRejected, ImportFailed, RowError, read_rows
from elections.models import Election
from logistics import actions
from logistics.models import Item, Node, NodeLevel, Route

COLUMNS = ["tujuan", "barang", "jumlah", "kiriman"]


def template_rows() -> Iterable[list[str]]:
    yield COLUMNS
    yield ["64.02.07", "ballot-6402", "29200", ""]
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


def import_manifest(actor: Any, election: Election, data: bytes) -> int:
    try:
        rows = read_rows(data)
        header = [str(h).strip().lower() for h in next(rows, [])]
    except FileRejected as e:
        raise ImportFailed(str(e)) from e
    missing = [c for c in COLUMNS[:3] if c not in header]
    if missing:
        raise ImportFailed(_("Missing required column(s): %(cols)s.") % {"cols": ", ".join(missing)})
    idx = {c: header.index(c) for c in COLUMNS if c in header}
    items = {i.code: i for i in Item.objects.filter(election=election)}
    nodes: dict[str, Node | None] = {}
    groups: dict[tuple[str, str], dict[Item, int]] = {}
    errors: list[RowError] = []
    n = 1
    for values in rows:
        n += 1
        cells = [str(v).strip() if v is not None else "" for v in values]
        if not any(cells):
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            i = idx.get(name)
            return cells[i] if i is not None and i < len(cells) else ""

        dest, code, qty_raw = cell("tujuan"), cell("barang"), cell("jumlah").replace(".0", "")
        node = _find_node(election, dest, nodes)
        if node is None:
            errors.append(
                RowError(
                    n,
                    "tujuan",
                    _("Unknown destination “%(d)s”: use a kecamatan code, a desa code or desa/TPS number.")
                    % {"d": dest},
                )
            )
        elif actor is not None and not scoping.can(actor, "logistics", scoping.CHANGE, node.region_id):
            errors.append(RowError(n, "tujuan", _("%(d)s is outside your area.") % {"d": dest}))
        item = items.get(code)
        if item is None:
            errors.append(RowError(n, "barang", _("Unknown item “%(c)s”.") % {"c": code}))
        try:
            qty = int(qty_raw)
        except ValueError:
            errors.append(RowError(n, "jumlah", _("“%(v)s” is not a whole number.") % {"v": qty_raw}))
            continue
        if qty <= 0:
            errors.append(RowError(n, "jumlah", _("Quantity must be above zero (got %(v)s).") % {"v": qty}))
            continue
        if node is not None and item is not None:
            lines = groups.setdefault((dest, cell("kiriman")), {})
            if item in lines:
                errors.append(RowError(n, "barang", _("%(c)s appears twice in the same shipment.") % {"c": code}))
            lines[item] = qty
    if not errors and not groups:
        raise ImportFailed(_("The file has a header but no rows."))
    if errors:
        raise ImportFailed(_("Nothing was imported: %(n)s problem(s) found.") % {"n": len(errors)}, errors)
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
    return len(groups)
