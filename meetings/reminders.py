"""Reminders of rakor action items, raised by a periodic job (``core.registry.periodic_jobs``).

An open action reminds its owner agency twice: two days before its due date, and the day after
it passed unfinished. Each is raised once, dated when it was due to go out (midnight in the
meeting's zone on that day, or the action's own creation if later) -- so a worker that was down,
or the demo replaying the past, writes the reminders the desk would have had, no later.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Count

from core import dates, formats
from meetings.models import ActionItem, ActionStatus, Reminder, ReminderKind

DAYS_BEFORE = 2


def _moment(day: dt.date, tz: Any) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=formats.zone(tz))


def send(now: dt.datetime | None = None) -> int:
    """Raise the reminders due by ``now`` (default: the desk's now); returns how many."""
    now = now or dates.now(settings.TIME_ZONE)
    horizon = now.date() + dt.timedelta(days=DAYS_BEFORE + 1)  # a day's slack for zones ahead of the server's
    candidates = (
        ActionItem.objects.filter(status=ActionStatus.OPEN, due__lte=horizon, created_at__lte=now)
        .annotate(sent=Count("reminders"))
        .filter(sent__lt=len(ReminderKind))  # those reminded of both are done with
        .select_related("decision__meeting__election")
        .prefetch_related("reminders")
    )
    new = []
    for item in candidates:
        tz = item.decision.meeting.timezone
        have = {r.kind for r in item.reminders.all()}
        for kind, day in (
            (ReminderKind.DUE_SOON, item.due - dt.timedelta(days=DAYS_BEFORE)),
            (ReminderKind.OVERDUE, item.due + dt.timedelta(days=1)),
        ):
            at = max(_moment(day, tz), item.created_at)
            if kind == ReminderKind.DUE_SOON and item.created_at > _moment(day + dt.timedelta(days=1), tz):
                continue  # entered with less than two days left: "due in two days" would not be true
            if kind not in have and at <= now:
                new.append(Reminder(action=item, kind=kind, sent_at=at))
    Reminder.objects.bulk_create(new, ignore_conflicts=True)  # a job running twice at once adds none twice
    return len(new)


def run() -> None:
    send()
