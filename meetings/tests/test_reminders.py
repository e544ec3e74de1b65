"""Reminders of rakor actions: two days before the due date and the day after it passed, once each,
dated when they were due to go out; shown in the owner's inbox and on the action's page."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings

from meetings import reminders
from meetings.models import Reminder
from meetings.tests.base import TODAY, MeetingsTestCase, wita


@override_settings(SINERGI_TODAY=TODAY)
class RemindersTest(MeetingsTestCase):
    def test_an_action_is_reminded_two_days_before_and_the_day_after_its_due_date_once_each(self) -> None:
        item = self.action(self.rakor, "Jadwal distribusi hulu", self.kpu, dt.date(2024, 11, 20))
        self.assertEqual(reminders.send(wita(11, 17, 12)), 0)
        self.assertEqual(reminders.send(wita(11, 18, 8)), 1)
        self.assertEqual(reminders.send(wita(11, 18, 9)), 0)  # the next hourly run adds nothing
        self.assertEqual(reminders.send(wita(11, 21, 1)), 1)
        sent = {r.kind: r.sent_at for r in Reminder.objects.filter(action=item)}
        self.assertEqual(sent, {"due_soon": wita(11, 18, 0), "overdue": wita(11, 21, 0)})

    def test_a_late_run_dates_the_reminder_when_it_was_due_and_a_closed_action_gets_none(self) -> None:
        item = self.action(self.rakor, "Rekap kasus", self.kpu, dt.date(2024, 11, 15))
        done = self.action(self.rakor, "Surat edaran", self.kpu, dt.date(2024, 11, 15))
        done.status = "done"
        done.save()
        reminders.send(wita(11, 25, 9))
        self.assertEqual(
            sorted(Reminder.objects.values_list("action_id", "kind")), [(item.pk, "due_soon"), (item.pk, "overdue")]
        )
        self.assertEqual(Reminder.objects.get(kind="overdue").sent_at, wita(11, 16, 0))

    def test_the_owner_sees_the_reminder_in_the_inbox_and_on_the_action(self) -> None:
        item = self.action(self.rakor, "Jadwal distribusi hulu", self.kpu, dt.date(2024, 11, 19))
        reminders.send(wita(11, 18, 8))
        self.client.force_login(self.kpu_operator)
        self.assertContains(self.client.get("/meetings/actions/"), 'data-testid="reminder"')
        page = self.client.get(f"/meetings/actions/{item.pk}/")
        self.assertContains(page, "Jatuh tempo dua hari lagi (17 November 2024 00.00 WITA)")
