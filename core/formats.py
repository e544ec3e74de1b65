"""How Sinergi writes moments, dates, durations and numbers for people — one set of helpers for
templates (the ``sinergi`` template library) and for messages built in Python.

- ``moment(at, tz)``: "18 November 2024 14.30 WITA" (English: "18 November 2024 14:30 WITA"),
  always in a named zone: a desk in Kaltim and an operator in Jakarta read the same words.
- ``day(d, tz)``: "18 November 2024".
- ``duration(td or minutes)``: "8 hari", "2 hari 3 jam", "11 jam 51 menit", "45 menit" — never
  "11.520 menit" or "192.0 jam".
- ``number(n)``: "1.929" (English "1,929"); ``file_size(bytes)``: "7,2 MB".

The zone of an election is ``Election.timezone`` (WIB, WITA or WIT, below); a page or message
about an election passes it (or the election itself). Without one, the server's zone
(``TIME_ZONE``, or the zone a view activated) applies. The date and clock formats per language
live in ``sinergi/formats/`` (``FORMAT_MODULE_PATH``); numbers and sizes are Django's own
(``number_format``, ``filesizeformat``), and the units of a duration are Django's translated
"%(num)d day/hour/minute".
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal
from typing import Any

from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.timesince import TIME_STRINGS

# Indonesia's three time zones and the abbreviations everyone uses; elections choose one of these.
ZONES = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}

EMPTY = "—"  # what a missing value reads as


def zone(tz: Any = None) -> dt.tzinfo:
    """A zone from its name, anything with a ``timezone`` name (an election), a tzinfo, or
    nothing (the current zone: ``TIME_ZONE`` unless a view activated another)."""
    if isinstance(tz, dt.tzinfo):
        return tz
    name = getattr(tz, "timezone", tz)
    if not name:
        return timezone.get_current_timezone()
    return zoneinfo.ZoneInfo(str(name))


def zone_name(tz: Any = None, at: dt.datetime | None = None) -> str:
    """ "WITA" for Asia/Makassar; another zone's own abbreviation at ``at`` (default now)."""
    z = zone(tz)
    known = ZONES.get(getattr(z, "key", ""))
    if known:
        return known
    return (at or timezone.now()).astimezone(z).tzname() or str(z)


def _local(value: dt.datetime, tz: Any) -> dt.datetime:
    z = zone(tz)
    if timezone.is_naive(value):  # a naive moment is read as already in that zone
        return timezone.make_aware(value, z)
    return timezone.localtime(value, z)


def moment(value: dt.datetime | None, tz: Any = None) -> str:
    """ "18 November 2024 14.30 WITA": the moment in ``tz`` with the zone's name."""
    if value is None or value == "":
        return EMPTY
    local = _local(value, tz)
    return f"{date_format(local, 'DATETIME_FORMAT')} {zone_name(local.tzinfo, local)}"


def day(value: dt.date | dt.datetime | None, tz: Any = None) -> str:
    """ "18 November 2024"; a moment is first placed in ``tz`` (its day there)."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, dt.datetime):
        value = _local(value, tz).date()
    return date_format(value, "DATE_FORMAT")


def duration(value: dt.timedelta | float | None) -> str:
    """A length of time (a timedelta, or a number of minutes) in its two largest units:
    "8 hari", "2 hari 3 jam", "11 jam 51 menit", "45 menit". Rounded to the minute; the sign is
    dropped (the sentence around it says "left" or "late")."""
    if value is None or value == "":
        return EMPTY
    seconds = value.total_seconds() if isinstance(value, dt.timedelta) else float(value) * 60
    minutes = abs(round(seconds / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        parts = [("day", days), ("hour", hours)]
    elif hours:
        parts = [("hour", hours), ("minute", mins)]
    else:
        parts = [("minute", mins)]
    # the largest unit always shows ("0 menit"), the smaller only when it is not zero ("8 hari")
    return " ".join(TIME_STRINGS[unit] % {"num": n} for i, (unit, n) in enumerate(parts) if n or i == 0)


def number(value: Any, decimals: int | None = None) -> str:
    """1929 -> "1.929" (English "1,929"); ``decimals`` fixes the places: 7.26, 1 -> "7,3"."""
    if value is None or value == "":
        return EMPTY
    if decimals is not None and isinstance(value, float | Decimal):
        value = round(value, decimals)  # Django cuts the places off; 7,26 is nearer 7,3
    return number_format(value, decimals, force_grouping=True)


def file_size(value: int) -> str:
    """7549747 -> "7,2 MB" (a no-break space before the unit, so it never wraps alone)."""
    return filesizeformat(value)
