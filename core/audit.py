"""Audit trail: who changed what, when, from which value to which."""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from core import dates


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    out = {}
    for name in fields:
        field = obj._meta.get_field(name)
        out[name] = _plain(getattr(obj, field.attname))  # type: ignore[union-attr]
    return out


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for fields whose value changed."""
    return {k: [old.get(k), v] for k, v in new.items() if old.get(k) != v}


def record(
    actor: Any,
    action: str,
    obj: models.Model,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> Any:
    """Write one audit row. Call inside the same transaction as the change."""
    from core.models import AuditEntry

    known = actor is not None and actor.is_authenticated
    return AuditEntry.objects.create(
        at=dates.stamp(),
        actor=actor if known else None,
        actor_name=actor_name(actor),
        action=action,
        capability=getattr(type(obj), "scope_capability", ""),
        region_code=region_of(obj),
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes or {},
        note=note[:500],
    )


def actor_name(actor: Any) -> str:
    """How a record names who made it: their full name, else their username; "" for the system."""
    if actor is None or not actor.is_authenticated:
        return ""
    return str(actor.get_full_name() or actor.get_username())[:150]


def created(actor: Any, action: str, obj: models.Model, fields: list[str], *, omit_blank: bool = False) -> Any:
    """The audit row of a new record: each of ``fields`` as ``[None, value]`` (empty strings
    left out with ``omit_blank``). Call inside the same transaction as the insert."""
    values = snapshot(obj, fields)
    return record(actor, action, obj, {k: [None, v] for k, v in values.items() if not (omit_blank and v == "")})


def region_of(obj: models.Model) -> str:
    """The region code of a scoped record (its ``scope_region_field``), or "" if it has none."""
    path = getattr(type(obj), "scope_region_field", "")
    if not path:
        return ""
    *hops, last = path.split("__")
    target: Any = obj
    for hop in hops:
        target = getattr(target, hop, None)
        if target is None:
            return ""
    # The last hop by its column (``region_id``), so no query is made for the region itself.
    value = getattr(target, target._meta.get_field(last).attname, None)
    return "" if value is None else str(value)


def record_many(
    actor: Any,
    action: str,
    model: type[models.Model],
    entries: Iterable[tuple[Any, str, dict[str, Any], str]],
    note: str = "",
    batch_size: int = 2000,
) -> int:
    """Write one audit row per ``(pk, repr, changes, region_code)`` of ``model`` in bulk.

    For imports that change thousands of records at once. Call inside the same transaction as
    the change; values in ``changes`` are made JSON-plain as in :func:`record`.
    """
    from core.models import AuditEntry

    who = actor if actor is not None and actor.is_authenticated else None
    name = actor_name(actor)
    capability = getattr(model, "scope_capability", "")
    content_type = ContentType.objects.get_for_model(model)
    at = dates.stamp()
    rows = (
        AuditEntry(
            at=at,
            actor=who,
            actor_name=name,
            action=action,
            capability=capability,
            region_code=region,
            content_type=content_type,
            object_id=str(pk),
            object_repr=str(label)[:200],
            changes={k: [_plain(v) for v in pair] for k, pair in changes.items()},
            note=note[:500],
        )
        for pk, label, changes, region in entries
    )
    written = 0
    while batch := list(itertools.islice(rows, batch_size)):
        AuditEntry.objects.bulk_create(batch)
        written += len(batch)
    return written


def history(obj: models.Model) -> Any:
    from core.models import AuditEntry

    return (
        AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk))
        .select_related("actor")
        .order_by("-at", "-id")
    )
