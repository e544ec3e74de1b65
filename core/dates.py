"""The application's notion of "today".

The demo replays Pilkada 2024 as of 18 Nov 2024 (the last Kukar rakor), so every countdown,
current stage and deadline asks this module instead of the clock.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def today() -> dt.date:
    if settings.SINERGI_TODAY:
        return dt.date.fromisoformat(settings.SINERGI_TODAY)
    return timezone.localdate()
