"""The application's notion of "today".

The demo replays Pilkada 2024 as of 18 Nov 2024 (the last Kukar rakor), so every countdown,
current stage and deadline asks this module instead of the clock.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.utils import timezone


def today() -> dt.date:
    if settings.SINERGI_TODAY:
        return dt.date.fromisoformat(settings.SINERGI_TODAY)
    return timezone.localdate()


def now(tz: str) -> dt.datetime:
    """The desk's "now": the real time, or noon of the configured demo day in ``tz``."""
    d = today()
    if d == timezone.localdate():
        return timezone.now()
    return dt.datetime(d.year, d.month, d.day, 12, 0, tzinfo=zoneinfo.ZoneInfo(tz))
