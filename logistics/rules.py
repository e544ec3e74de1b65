"""Pure rules of logistics, kept apart from the database so they are easy to test and reuse."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from core import scoping
from logistics.models import NodeLevel, Plan, TransportMode

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


# Bounds on what a write may carry: beyond them a figure is a typo or an attack, and a sum of
# such figures would overflow the database's integer on the node pages.
MAX_QUANTITY = 10_000_000
MIN_TRAVEL_MINUTES, MAX_TRAVEL_MINUTES = 1, 30 * 24 * 60
ESCORT_KINDS = (scoping.POLRI, scoping.TNI)
# A dispatch or receipt lies within this many days of the voting day.
MOMENT_WINDOW_DAYS = 366


def plausible_moment(voting_date: dt.date, at: dt.datetime) -> bool:
    """A dispatch or receipt time near the election (not in year 9999 or 1970)."""
    return abs((at.date() - voting_date).days) <= MOMENT_WINDOW_DAYS


# Overdue ("no news"): which tolerance of the plan applies to a route's transport.
WATER_MODES = {TransportMode.LONGBOAT, TransportMode.SPEEDBOAT, TransportMode.KETINTING}
AIR_MODES = {TransportMode.HELICOPTER}
TOLERANCE_FIELDS = ("overdue_road_minutes", "overdue_water_minutes", "overdue_air_minutes")
BUFFER_FIELDS = ("buffer_road_minutes", "buffer_water_minutes", "buffer_air_minutes")


def tolerance_field(mode: str) -> str:
    """The plan's field for ``mode``: water, air, or road (trucks, cars, motorbikes, on foot, and
    a node with no route yet)."""
    if mode in WATER_MODES:
        return "overdue_water_minutes"
    if mode in AIR_MODES:
        return "overdue_air_minutes"
    return "overdue_road_minutes"


def buffer_field(mode: str) -> str:
    """The plan's safety margin for ``mode`` before a node's due time (same classes as the tolerance)."""
    return tolerance_field(mode).replace("overdue_", "buffer_")


def overdue_tolerance(plan: Plan, mode: str) -> dt.timedelta:
    return dt.timedelta(minutes=getattr(plan, tolerance_field(mode)))


def overdue_since(plan: Plan, mode: str, expected_arrival: dt.datetime) -> dt.datetime:
    """When a shipment with no receipt becomes overdue: its expected arrival plus the tolerance."""
    return expected_arrival + overdue_tolerance(plan, mode)


POLLS_CLOSE = (13, 0)  # the TPS close at 13.00 local time; the count follows at once


def counting_from(voting_date: dt.date, tz: str) -> dt.datetime:
    """The earliest a box can leave a TPS on its way back: when the polls close on voting day."""
    return dt.datetime(voting_date.year, voting_date.month, voting_date.day, *POLLS_CLOSE, tzinfo=zoneinfo.ZoneInfo(tz))


def custody_from(voting_date: dt.date, plan: Plan, tz: str) -> dt.datetime:
    """The earliest a kit should reach a TPS: the start of the KPPS's due day (H-1 by default).
    KPPS have no secure storage; boxes arrive on H-1 and are guarded overnight."""
    day = voting_date - dt.timedelta(days=plan.kpps_due_days)
    return dt.datetime(day.year, day.month, day.day, tzinfo=zoneinfo.ZoneInfo(tz))


# --- routes: legs, scheduled departures ----------------------------------------------------

MAX_LEGS = 8
MAX_DEPARTURES = 60
# A scheduled route's node with no departure that arrives by its deadline: its latest safe
# dispatch lies before any moment the desk can be at, so it is at risk whatever the clock says.
NO_SAFE_DISPATCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# What people type for a weekday, in Indonesian and English.
WEEKDAY_WORDS = {
    **{w: i for i, w in enumerate(WEEKDAYS)},
    **{w: i for i, w in enumerate(("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"))},
    **{w: i for i, w in enumerate(("senin", "selasa", "rabu", "kamis", "jumat", "sabtu", "minggu"))},
    "jum'at": 4,
    "ahad": 6,
}


class DepartureError(ValueError):
    """A departure that is not a weekday and time or a date and time; the text says which."""


def _clock(text: str) -> dt.time:
    hh, sep, mm = text.replace(".", ":").partition(":")
    if not sep or not hh.isdigit() or not mm.isdigit() or len(mm) != 2:
        raise DepartureError(text)
    h, m = int(hh), int(mm)
    if not (0 <= h <= 23 and 0 <= m <= 59):
        raise DepartureError(text)
    return dt.time(h, m)


def parse_departure(text: str) -> str:
    """One departure as stored: ``"mon 07:00"`` (every week) or ``"2024-11-25 08:00"`` (once).
    Takes "Senin 07.00", "Monday 7:00", "2024-11-25 08.00"; raises DepartureError otherwise."""
    parts = text.strip().lower().split()
    if len(parts) != 2:
        raise DepartureError(text)
    day, clock = parts
    t = _clock(clock)
    if day in WEEKDAY_WORDS:
        return f"{WEEKDAYS[WEEKDAY_WORDS[day]]} {t:%H:%M}"
    try:
        d = dt.date.fromisoformat(day)
    except ValueError:
        raise DepartureError(text) from None
    return f"{d.isoformat()} {t:%H:%M}"


def _instances(departure: str, around: dt.datetime, tz: str) -> list[dt.datetime]:
    """The moments of a stored departure within a week either side of ``around``."""
    zone = zoneinfo.ZoneInfo(tz)
    day, clock = departure.split()
    t = _clock(clock)
    if day in WEEKDAYS:
        base = around.astimezone(zone).date()
        days = (base + dt.timedelta(days=k) for k in range(-8, 9))
        return [dt.datetime.combine(d, t, tzinfo=zone) for d in days if d.weekday() == WEEKDAYS.index(day)]
    return [dt.datetime.combine(dt.date.fromisoformat(day), t, tzinfo=zone)]


def next_departure(departures: list[str], ready: dt.datetime, tz: str) -> dt.datetime | None:
    """The first departure at or after ``ready``, or None when none is left."""
    later = [m for d in departures for m in _instances(d, ready, tz) if m >= ready]
    return min(later) if later else None


def last_departure(departures: list[str], latest: dt.datetime, tz: str) -> dt.datetime | None:
    """The last departure at or before ``latest``, or None."""
    earlier = [m for d in departures for m in _instances(d, latest, tz) if m <= latest]
    return max(earlier) if earlier else None


def arrival(legs: list[Any], start: dt.datetime, tz: str) -> dt.datetime | None:
    """When goods dispatched at ``start`` arrive over ``legs`` (each with ``minutes``,
    ``transfer_minutes`` and ``departures``): a scheduled leg waits for its next departure.
    None when a scheduled leg has no departure left."""
    t = start
    for leg in legs:
        t += dt.timedelta(minutes=leg.transfer_minutes)
        if leg.departures:
            leaves = next_departure(leg.departures, t, tz)
            if leaves is None:
                return None
            t = leaves
        t += dt.timedelta(minutes=leg.minutes)
    return t


def latest_dispatch(legs: list[Any], arrive_by: dt.datetime, tz: str) -> dt.datetime | None:
    """The latest dispatch over ``legs`` that arrives by ``arrive_by`` (backwards through the
    schedules), or None when no departure makes it."""
    t = arrive_by
    for leg in reversed(legs):
        t -= dt.timedelta(minutes=leg.minutes)
        if leg.departures:
            leaves = last_departure(leg.departures, t, tz)
            if leaves is None:
                return None
            t = leaves
        t -= dt.timedelta(minutes=leg.transfer_minutes)
    return t


def nominal_minutes(legs: list[Any]) -> int:
    """Travel and transshipment time of ``legs``, without waiting for a departure."""
    return sum(leg.minutes + leg.transfer_minutes for leg in legs)


def tolerant_mode(legs: list[Any]) -> str:
    """The transport of ``legs`` whose overdue tolerance class is the longest (air, then water,
    then road): a truck-then-boat route waits for water and weather like a boat."""
    for kind in (AIR_MODES, WATER_MODES):
        for leg in legs:
            if leg.mode in kind:
                return str(leg.mode)
    return str(legs[-1].mode) if legs else ""


# Sealed packages (one box per TPS and contest): the box is the package itself; booths are too
# big for a box and travel loose.
CONTAINER_KIND = "box"
LOOSE_KINDS = frozenset({"booth"})
MAX_SEAL = 10**9  # seal serials are printed numbers; anything longer is a typo
SEAL_DIGITS = 6


def valid_seal(text: str) -> bool:
    """A seal number as written on the berita acara: 1 to 40 letters, digits, "-", "/" or "."."""
    return 0 < len(text) <= 40 and all(c.isalnum() or c in "-/." for c in text)
