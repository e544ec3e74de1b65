"""Pure rules of logistics, kept apart from the database so they are easy to test and reuse."""

from __future__ import annotations

import datetime as dt
import zoneinfo

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


def tolerance_field(mode: str) -> str:
    """The plan's field for ``mode``: water, air, or road (trucks, cars, motorbikes, on foot, and
    a node with no route yet)."""
    if mode in WATER_MODES:
        return "overdue_water_minutes"
    if mode in AIR_MODES:
        return "overdue_air_minutes"
    return "overdue_road_minutes"


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


# Sealed packages (one box per TPS and contest): the box is the package itself; booths are too
# big for a box and travel loose.
CONTAINER_KIND = "box"
LOOSE_KINDS = frozenset({"booth"})
MAX_SEAL = 10**9  # seal serials are printed numbers; anything longer is a typo
SEAL_DIGITS = 6
