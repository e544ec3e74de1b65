"""Deadline arithmetic: days counted on the calendar or on working days (Monday to Friday, less the
election's holidays), and which deadline runs on a case in each state.

Pure functions over dates; the rules and holidays are passed in, so the arithmetic is tested
without a database and the same code serves the pages, the API, the command and the lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass

SATURDAY = 5


@dataclass(frozen=True)
class RuleDays:
    days: int
    working_days: bool


def is_working_day(day: dt.date, holidays: Collection[dt.date]) -> bool:
    return day.weekday() < SATURDAY and day not in holidays


def add_days(start: dt.date, days: int, working_days: bool, holidays: Collection[dt.date] = ()) -> dt.date:
    """The last day of a period of ``days`` days that starts the day after ``start``.

    Calendar days: ``start + days``. Working days: the ``days``-th working day after ``start``
    (a case received on Friday with 3 working days is due on Wednesday).
    """
    if not working_days:
        return start + dt.timedelta(days=days)
    day = start
    left = days
    while left > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day, holidays):
            left -= 1
    return day


def days_left(deadline: dt.date, today: dt.date, working_days: bool, holidays: Collection[dt.date] = ()) -> int:
    """Days from ``today`` to ``deadline``, negative once past it; on working days, the working
    days between them (today itself not counted). A deadline missed is at least one day late: a
    Friday deadline seen on Saturday is missed, though no working day has passed since."""
    if not working_days:
        return (deadline - today).days
    lo, hi = min(today, deadline), max(today, deadline)
    between = sum(1 for n in range(1, (hi - lo).days + 1) if is_working_day(lo + dt.timedelta(days=n), holidays))
    return between if deadline >= today else -max(1, between)


# Which rule runs in each state: until the decision, the decision deadline from receipt; in each
# Gakkumdu stage, that stage's from the day it began. Other states have no legal deadline.
STAGE_RULE = {
    "received": "decide",
    "registered": "decide",
    "clarification": "decide",
    "review": "decide",
    "investigation": "investigation",
    "prosecution": "prosecution",
    "court": "court",
}


def deadline_for(
    status: str,
    received_on: dt.date,
    stage_started_on: dt.date,
    extended: bool,
    rules: Mapping[str, RuleDays],
    holidays: Collection[dt.date] = (),
) -> tuple[dt.date | None, str]:
    """The deadline of a case in ``status`` and the rule it follows ("" when none runs)."""
    key = STAGE_RULE.get(status)
    if key is None:
        return None, ""
    rule = rules[key]
    if key == "decide":
        days = rule.days + (rules["extension"].days if extended else 0)
        return add_days(received_on, days, rule.working_days, holidays), key
    return add_days(stage_started_on, rule.days, rule.working_days, holidays), key


def report_deadline(known_on: dt.date, rules: Mapping[str, RuleDays], holidays: Collection[dt.date] = ()) -> dt.date:
    """The last day a violation known on ``known_on`` may be reported."""
    rule = rules["report"]
    return add_days(known_on, rule.days, rule.working_days, holidays)
