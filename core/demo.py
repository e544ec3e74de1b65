"""The demo: each capability contributes its part through ``registry.demo_loaders``.

``load()`` calls every loader in order inside one transaction, passing a shared context dict
(the election, the logins to print, what each part made). Loading twice changes nothing.

The demo replays Pilkada 2024 in Kalimantan Timur at one of its moments (``MOMENTS``). The clock
(``core.models.DemoClock``) starts at the first; a Desk admin moves it with :func:`set_moment`,
which asks every loader with a ``replay`` to rewrite its data as it stood at that moment, so no
record appears before the time it came to exist.
"""

from __future__ import annotations

import datetime as dt
import math
import zoneinfo
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit, dates, stamps, statistics
from core.registry import registry

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
MOMENTS: list[tuple[dt.datetime, Any]] = [
    (dt.datetime(2024, 11, 18, 12, 0, tzinfo=WITA), gettext_lazy("18 Nov 2024 — H-9, the Kukar rakor")),
    (dt.datetime(2024, 11, 25, 12, 0, tzinfo=WITA), gettext_lazy("25 Nov 2024 — H-2, distribution under way")),
    (dt.datetime(2024, 11, 27, 21, 0, tzinfo=WITA), gettext_lazy("27 Nov 2024 21.00 — boxes coming back")),
    (dt.datetime(2025, 4, 15, 12, 0, tzinfo=WITA), gettext_lazy("15 Apr 2025 — before the re-vote (PSU)")),
]


def largest_remainder(total: int, weights: list[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` that sum exactly to it."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [math.floor(x) for x in raw]
    rest = total - sum(out)
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[:rest]:
        out[i] += 1
    return out


def clock() -> Any:
    """The demo clock's row, set to the first moment the first time it is asked for (a write:
    for loading and switching; pages read :func:`current_moment`)."""
    from core.models import DemoClock

    row, _ = DemoClock.objects.get_or_create(pk=1, defaults={"moment": MOMENTS[0][0]})
    return row


def current_moment() -> dt.datetime:
    return dates.demo_moment() or MOMENTS[0][0]


@transaction.atomic
def sources(specs: dict[str, tuple[Any, ...]]) -> dict[str, Any]:
    """The demo's sources, by key: ``{key: (status, publisher, title, as_of, note)}``, written or
    brought up to date (a replay keeps their ids)."""
    from core.models import Source

    out = {}
    for key, (status, publisher, title, as_of, note) in specs.items():
        out[key], _ = Source.objects.update_or_create(
            key=key, defaults={"status": status, "publisher": publisher, "title": title, "as_of": as_of, "note": note}
        )
    return out


def load() -> dict[str, Any]:
    ctx: dict[str, Any] = {"logins": [], "moment": clock().moment}
    for loader in registry.sorted("demo_loaders"):
        ctx[loader.name] = loader.load(ctx)
    for builder in registry.summaries:  # whatever the demo wrote, the summaries end up exact
        builder.rebuild()
    statistics.refresh_all()
    return ctx


def may_set_moment(user: Any) -> bool:
    from core import jobs

    return bool(settings.DEMO) and jobs.may_manage(user)


@transaction.atomic
def set_moment(actor: Any, moment: dt.datetime) -> Any:
    """Move the demo clock to one of the demo's moments and replay every capability up to it."""
    if not may_set_moment(actor):
        raise PermissionDenied(_("Only a Desk Pilkada admin may move the demo's clock, and only in the demo."))
    if moment not in [m for m, _ in MOMENTS]:
        raise ValidationError({"moment": [_("Choose one of the demo's moments.")]})
    row = clock()
    before = row.moment
    row.moment = moment
    row.save()
    ctx: dict[str, Any] = {"moment": moment}
    for loader in registry.sorted("demo_loaders"):
        if loader.replay is not None:
            ctx[loader.name] = loader.replay(ctx, moment)
    for builder in registry.summaries:
        builder.rebuild()
    audit.record(actor, "demo.moment", row, {"moment": [before.isoformat(), moment.isoformat()]})
    transaction.on_commit(stamps.bump_all)  # every cached figure belongs to the old moment
    return row
