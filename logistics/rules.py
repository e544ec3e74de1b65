"""Pure rules of logistics, kept apart from the database so they are easy to test and reuse."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from logistics.models import NodeLevel

# The deadline is the end of the due day in the election's local time.
DEADLINE_HOUR = 23, 59


def deadline(voting_date: dt.date, days_before: int, tz: str) -> dt.datetime:
    day = voting_date - dt.timedelta(days=days_before)
    return dt.datetime(day.year, day.month, day.day, *DEADLINE_HOUR, tzinfo=zoneinfo.ZoneInfo(tz))


def may_ship(origin_level: int, destination_level: int, is_return: bool) -> bool:
    """Goods move one level down the chain; one level up only as a return."""
    if is_return:
        return destination_level == origin_level - 1
    return destination_level == origin_level + 1


LEVEL_DUE_FIELD = {NodeLevel.PPK: "ppk_due_days", NodeLevel.PPS: "pps_due_days", NodeLevel.KPPS: "kpps_due_days"}
