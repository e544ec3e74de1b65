"""Background jobs: written with the change, one pending per key, retried, listed, steered."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.db import connection, transaction
from django.test import TransactionTestCase
from django.urls import reverse
from django.utils import timezone

from core import jobs
from core.models import AuditEntry, Job, JobState
from core.registry import PeriodicJob, registry
from tests.base import SinergiTestCase

CALLS: list[dict[str, Any]] = []


@jobs.job("tests.record")
def record(**args: Any) -> None:
    CALLS.append(args)


@jobs.job("tests.fail")
def fail(**args: Any) -> None:
    raise RuntimeError("the printer is on fire")


@jobs.job("tests.fail_once", retry=False)
def fail_once(**args: Any) -> None:
    raise RuntimeError("no second chance")


@jobs.job("tests.chain")
def chain(**args: Any) -> None:
    """Records its call and enqueues the follow-up ``then``, as an action's job may."""
    CALLS.append(args)
    jobs.enqueue("tests.record", args["then"], n=args["then"])


@jobs.job("tests.where")
def where(**args: Any) -> None:
    CALLS.append({"atomic": connection.in_atomic_block})


@jobs.job("tests.where_outside", atomic=False)
def where_outside(**args: Any) -> None:
    CALLS.append({"atomic": connection.in_atomic_block})


class EnqueueTest(SinergiTestCase):
    def test_a_job_enqueued_in_a_transaction_that_rolls_back_is_gone_with_it(self) -> None:
        with self.assertRaises(ValueError), transaction.atomic():
            jobs.enqueue("tests.record", "1", n=1)
            raise ValueError("the change failed")
        self.assertFalse(Job.objects.exists())

    def test_enqueueing_the_same_work_twice_leaves_one_pending_row(self) -> None:
        with transaction.atomic():
            first = jobs.enqueue("tests.record", "1", n=1)
            jobs.enqueue("tests.record", "1", n=1)
        with transaction.atomic():
            again = jobs.enqueue("tests.record", "1", n=1)
        self.assertEqual(Job.objects.filter(name="tests.record").count(), 1)
        self.assertEqual(first, again)

    def test_a_pending_broader_job_covers_a_narrower_one_and_replaces_those_pending(self) -> None:
        with transaction.atomic():
            jobs.enqueue("tests.record", "7/64.02.07.2001")
            jobs.enqueue("tests.record", "7/64.02.06.1001")
            jobs.enqueue("tests.record", "8/64.02.07.2001")
            jobs.enqueue("tests.record", "7")
            self.assertIsNone(jobs.enqueue("tests.record", "7/64.02.07.2002"))
        keys = set(Job.objects.values_list("key", flat=True))
        self.assertEqual(keys, {"7", "8/64.02.07.2001"})

    def test_once_a_job_runs_the_same_work_may_be_enqueued_again(self) -> None:
        CALLS.clear()
        with transaction.atomic():
            jobs.enqueue("tests.record", "1", n=1)
        self.assertEqual(jobs.run_all(), 1)
        self.assertEqual(CALLS, [{"n": 1}])
        with transaction.atomic():
            jobs.enqueue("tests.record", "1", n=1)
        self.assertEqual(Job.objects.filter(state=JobState.PENDING).count(), 1)
        self.assertEqual(Job.objects.filter(state=JobState.DONE).count(), 1)

    def test_two_workers_never_claim_the_same_job(self) -> None:
        with transaction.atomic():
            job = jobs.enqueue("tests.record", "1")
        assert job is not None
        now = timezone.now()
        self.assertIsNotNone(jobs.claim(job.pk, now))
        self.assertIsNone(jobs.claim(job.pk, now), "the second worker's compare-and-set finds it taken")

    def test_a_job_whose_worker_died_is_claimed_again_after_the_lease(self) -> None:
        with transaction.atomic():
            job = jobs.enqueue("tests.record", "1")
        assert job is not None
        now = timezone.now()
        jobs.claim(job.pk, now)  # ... and the worker is killed
        self.assertEqual(jobs.run_due(now=now + dt.timedelta(minutes=5)), 0)
        self.assertEqual(jobs.run_due(now=now + jobs.LEASE + dt.timedelta(minutes=1)), 1)
        self.assertEqual(Job.objects.get(pk=job.pk).state, JobState.DONE)


class FollowUpsRunAtOnceTest(SinergiTestCase):
    """What a background import does after writing: run its own follow-ups before it says "done"."""

    def test_the_jobs_enqueued_under_collect_run_with_theirs_and_no_others(self) -> None:
        CALLS.clear()
        with transaction.atomic():
            other = jobs.enqueue("tests.record", "other", n=0)
        with jobs.collect() as ids, transaction.atomic():
            jobs.enqueue("tests.chain", "1", then="2")
        self.assertEqual(jobs.run_ids(ids), 2, "the chain's job, then the one it enqueued")
        self.assertEqual(CALLS, [{"then": "2"}, {"n": "2"}])
        assert other is not None
        self.assertEqual(Job.objects.get(pk=other.pk).state, JobState.PENDING, "someone else's job waits its turn")

    def test_work_covered_by_a_broader_pending_job_runs_that_job(self) -> None:
        CALLS.clear()
        with transaction.atomic():
            jobs.enqueue("tests.record", "7", n=7)
        with jobs.collect() as ids, transaction.atomic():
            self.assertIsNone(jobs.enqueue("tests.record", "7/64.02", n=1))
        self.assertEqual(jobs.run_ids(ids), 1)
        self.assertEqual(CALLS, [{"n": 7}])


class OutsideATransactionTest(TransactionTestCase):
    def test_a_handler_registered_non_atomic_runs_outside_a_transaction(self) -> None:
        CALLS.clear()
        with transaction.atomic():
            jobs.enqueue("tests.where")
            jobs.enqueue("tests.where_outside")
        jobs.run_all()
        self.assertEqual(CALLS, [{"atomic": True}, {"atomic": False}])


class FailureTest(SinergiTestCase):
    def failing_job(self) -> Job:
        with transaction.atomic():
            job = jobs.enqueue("tests.fail", "x")
        assert job is not None
        return job

    def test_a_failing_job_is_kept_with_its_error_and_retried_later(self) -> None:
        job = self.failing_job()
        before = timezone.now()
        jobs.run_all()
        job.refresh_from_db()
        self.assertEqual((job.state, job.attempts), (JobState.PENDING, 1))
        self.assertIn("the printer is on fire", job.last_error)
        self.assertIn("Traceback", job.last_error)
        self.assertGreaterEqual(job.run_after, before + dt.timedelta(minutes=1))
        self.assertEqual(jobs.run_due(), 0, "not due again before its back-off")

    def test_the_back_off_grows_and_after_the_last_attempt_the_job_is_failed(self) -> None:
        job = self.failing_job()
        now = timezone.now()
        waits = []
        for _attempt in range(jobs.MAX_ATTEMPTS):
            jobs.run_due(now=now)
            job.refresh_from_db()
            waits.append(job.run_after - now)
            now = job.run_after
        self.assertEqual(job.state, JobState.FAILED)
        self.assertEqual(job.attempts, jobs.MAX_ATTEMPTS)
        self.assertEqual(waits[:3], [dt.timedelta(minutes=m) for m in (1, 5, 25)])
        self.assertEqual(jobs.run_due(now=now + dt.timedelta(days=1)), 0, "a failed job waits for a person")

    def test_a_job_registered_without_retries_fails_at_the_first_error(self) -> None:
        with transaction.atomic():
            jobs.enqueue("tests.fail_once", "x")
        jobs.run_all()
        job = Job.objects.get()
        self.assertEqual((job.state, job.attempts), (JobState.FAILED, 1))
        self.assertIn("no second chance", job.last_error)

    def test_a_job_with_no_handler_fails_with_a_clear_error(self) -> None:
        with transaction.atomic():
            jobs.enqueue("tests.nobody", "")
        jobs.run_all()
        self.assertIn("no handler is registered for the job 'tests.nobody'", Job.objects.get().last_error)


class JobsPageTest(SinergiTestCase):
    job: Job

    def setUp(self) -> None:
        with transaction.atomic():
            jobs.enqueue("tests.fail", "x")
        jobs.run_all()
        self.job = Job.objects.get(name="tests.fail")

    def test_the_desk_admin_sees_the_failed_job_with_its_error_attempts_and_next_run(self) -> None:
        self.client.force_login(self.desk_admin)
        page = self.client.get(reverse("core:jobs"))
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "tests.fail")
        self.assertContains(page, "RuntimeError: the printer is on fire")
        self.assertEqual(list(page.context["jobs"]), [self.job])
        self.assertContains(page, '<td class="num">1</td>')

    def test_the_next_run_is_written_out_in_the_servers_zone(self) -> None:
        Job.objects.filter(pk=self.job.pk).update(run_after=dt.datetime(2024, 11, 18, 6, 30, 15, tzinfo=dt.UTC))
        self.client.force_login(self.desk_admin)
        self.assertContains(self.client.get(reverse("core:jobs")), "<td>18 November 2024 14.30 WITA</td>")

    def test_only_superusers_and_desk_admins_see_the_page(self) -> None:
        for persona in ["kpu_operator", "bawaslu_investigator", "camat_sebulu"]:
            with self.subTest(persona=persona):
                self.client.force_login(self.personas[persona])
                self.assertEqual(self.client.get(reverse("core:jobs")).status_code, 403)
        self.client.logout()
        self.assertEqual(self.client.get(reverse("core:jobs")).status_code, 302)
        root = self.personas["kpu_operator"].__class__.objects.create(username="root", is_superuser=True)
        self.client.force_login(root)
        self.assertEqual(self.client.get(reverse("core:jobs")).status_code, 200)

    def test_retry_now_makes_the_job_due_and_is_audited(self) -> None:
        self.client.force_login(self.desk_admin)
        r = self.client.post(reverse("core:job_retry", args=[self.job.pk]))
        self.assertRedirects(r, reverse("core:jobs"))
        self.job.refresh_from_db()
        self.assertLessEqual(self.job.run_after, timezone.now())
        self.assertTrue(AuditEntry.objects.filter(action="job.retry", actor=self.desk_admin).exists())
        self.assertEqual(jobs.run_due(), 1)
        self.job.refresh_from_db()
        self.assertEqual(self.job.attempts, 2)

    def test_a_failed_job_gets_one_more_try_on_retry(self) -> None:
        Job.objects.filter(pk=self.job.pk).update(state=JobState.FAILED, attempts=jobs.MAX_ATTEMPTS)
        jobs.retry(self.desk_admin, self.job)
        self.assertEqual(jobs.run_due(), 1)
        self.job.refresh_from_db()
        self.assertEqual(self.job.state, JobState.FAILED)

    def test_dismiss_takes_the_job_off_the_page_and_is_audited(self) -> None:
        self.client.force_login(self.desk_admin)
        r = self.client.post(reverse("core:job_dismiss", args=[self.job.pk]))
        self.assertRedirects(r, reverse("core:jobs"))
        self.job.refresh_from_db()
        self.assertEqual(self.job.state, JobState.DISMISSED)
        entry = AuditEntry.objects.get(action="job.dismiss")
        self.assertIn("the printer is on fire", entry.note)
        self.assertNotContains(self.client.get(reverse("core:jobs")), "tests.fail")
        self.assertEqual(jobs.run_due(now=timezone.now() + dt.timedelta(days=1)), 0)

    def test_others_may_neither_retry_nor_dismiss(self) -> None:
        self.client.force_login(self.kpu_operator)
        for name in ["core:job_retry", "core:job_dismiss"]:
            with self.subTest(name=name):
                self.assertEqual(self.client.post(reverse(name, args=[self.job.pk])).status_code, 403)
        self.job.refresh_from_db()
        self.assertEqual(self.job.state, JobState.PENDING)
        self.assertFalse(AuditEntry.objects.filter(action__startswith="job.").exists())
        self.assertEqual(self.client.get(reverse("core:job_retry", args=[self.job.pk])).status_code, 405)

    def test_a_finished_job_cannot_be_retried_or_dismissed(self) -> None:
        Job.objects.filter(pk=self.job.pk).update(state=JobState.DONE)
        self.job.refresh_from_db()
        with self.assertRaises(PermissionDenied):
            jobs.dismiss(self.desk_admin, self.job)
        with self.assertRaises(PermissionDenied):
            jobs.retry(self.desk_admin, self.job)
        self.assertEqual(Job.objects.get(pk=self.job.pk).state, JobState.DONE)


class PeriodicTest(SinergiTestCase):
    def setUp(self) -> None:
        self.runs: list[int] = []
        self.entry = PeriodicJob("tests.every_15", lambda: self.runs.append(1), minutes=15)
        self.saved = list(registry.periodic_jobs)
        registry.periodic_jobs[:] = [self.entry]

    def tearDown(self) -> None:
        registry.periodic_jobs[:] = self.saved

    def tick(self, now: dt.datetime) -> None:
        jobs.schedule_periodic(now)
        jobs.run_due(now=now)

    def test_a_periodic_job_runs_once_per_interval(self) -> None:
        t0 = timezone.now()
        self.tick(t0)
        self.assertEqual(len(self.runs), 1, "it never ran: it runs at once")
        self.tick(t0 + dt.timedelta(minutes=1))
        self.tick(t0 + dt.timedelta(minutes=14))
        self.assertEqual(len(self.runs), 1)
        self.tick(t0 + dt.timedelta(minutes=15))
        self.assertEqual(len(self.runs), 2)
        jobs.schedule_periodic(t0 + dt.timedelta(minutes=16))
        pending = Job.objects.get(name="tests.every_15", state=JobState.PENDING)
        self.assertEqual(pending.run_after, t0 + dt.timedelta(minutes=30))

    def test_a_restarted_worker_does_not_run_it_early(self) -> None:
        t0 = timezone.now()
        self.tick(t0)
        Job.objects.filter(state=JobState.PENDING).delete()  # even with the schedule row lost
        self.tick(t0 + dt.timedelta(minutes=5))
        self.assertEqual(len(self.runs), 1)

    def test_run_jobs_once_runs_what_is_due(self) -> None:
        out = io.StringIO()
        call_command("run_jobs", "--once", stdout=out)
        self.assertEqual(len(self.runs), 1)
        self.assertIn("1 job(s) run.", out.getvalue())
        call_command("run_jobs", "--once", stdout=io.StringIO())
        self.assertEqual(len(self.runs), 1)


class JobsPageOrderTest(SinergiTestCase):
    def test_failed_jobs_come_first_then_failing_ones_then_waiting_ones(self) -> None:
        with transaction.atomic():
            jobs.enqueue("tests.record", "waiting")
            jobs.enqueue("tests.fail", "failing")
            jobs.enqueue("tests.fail", "failed")
        Job.objects.filter(key="failed").update(state=JobState.FAILED, last_error="boom")
        Job.objects.filter(key="failing").update(last_error="boom")
        self.assertEqual([j.key for j in jobs.listed()], ["failed", "failing", "waiting"])
