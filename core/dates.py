"""The application's notion of "today" and "now".

The demo replays Pilkada 2024: its clock stands at one of the demo's moments (18 Nov 2024, the
Kukar rakor, by default) and a Desk admin may move it (``core.demo.set_moment``). Every countdown,
current stage, deadline and "as of" asks this module instead of the system clock.

Outside the demo, ``SINERGI_TODAY`` (a date) pins the day for tests and rehearsals; otherwise the
real clock runs.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.utils import timezone

_pinned: ContextVar[dt.datetime | None] = ContextVar("sinergi_pinned_moment", default=None)


@contextmanager
def pinned(moment: dt.datetime) -> Iterator[None]:
    """Within the block, "now" is ``moment``: a demo replay writes each event at the time it
    happened, so its records (audit rows) carry that time and not the moment being shown."""
    token = _pinned.set(moment)
    try:
        yield
    finally:
        _pinned.reset(token)


def demo_moment() -> dt.datetime | None:
    """The demo clock's moment (aware), or None outside the demo or before it was ever set.
    Inside :func:`pinned`, the pinned moment."""
    pin = _pinned.get()
    if pin is not None:
        return pin
    if not settings.DEMO:
        return None
    from core.models import DemoClock  # models import this module

    return DemoClock.objects.filter(pk=1).values_list("moment", flat=True).first()


def today() -> dt.date:
    moment = demo_moment()
    if moment is not None:
        return timezone.localtime(moment).date()
    if settings.SINERGI_TODAY:
        return dt.date.fromisoformat(settings.SINERGI_TODAY)
    return timezone.localdate()


def now(tz: str) -> dt.datetime:
    """The desk's "now": the demo clock's moment, the real time, or noon of the configured day in ``tz``."""
    moment = demo_moment()
    if moment is not None:
        return moment.astimezone(zoneinfo.ZoneInfo(tz))
    d = today()
    if d == timezone.localdate():
        return timezone.now()
    return dt.datetime(d.year, d.month, d.day, 12, 0, tzinfo=zoneinfo.ZoneInfo(tz))


def stamp() -> dt.datetime:
    """The time written on a record made now: the demo clock in the demo (its audit rows carry
    demo times), the real time otherwise."""
    return demo_moment() or timezone.now()
