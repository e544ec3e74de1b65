"""Background work without a broker: jobs are rows of ``core.Job``, claimed by workers.

- ``enqueue(name, key, **args)`` is called by an action *inside its own transaction*: the job
  commits with the change or not at all, so a crash after the commit loses nothing.
- One pending job per (name, key): enqueueing the same work twice, in one transaction or many,
  leaves one row. Keys are paths: a pending ``"7"`` covers ``"7/64.02.07.2001"``, so a narrower
  job is not added under a broader one, and a broader one replaces the narrower ones pending.
- ``run_due()`` claims due jobs with a compare-and-set ``update()`` (two workers never run the
  same job), runs each handler in its own transaction and records the outcome. A failure is
  stored with its traceback and retried after a back-off; after ``MAX_ATTEMPTS`` the job is
  ``failed`` and stays listed on the "Pekerjaan latar" page until retried or dismissed.
- ``schedule_periodic()`` keeps one pending job per entry of ``registry.periodic_jobs``, due an
  interval after the last run (stored in the table, so a restart does not re-run it early).

Handlers register with ``@job("app.name")`` from the app's own module; the worker is the
``run_jobs`` command (``make run`` starts it next to the web server). A handler runs in one
transaction unless it registers with ``atomic=False`` (a background import: it reads the file
outside any transaction, reports its progress as it goes and opens its own transaction to write).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, When
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, scoping
from core.models import Job, JobState
from core.registry import registry

log = logging.getLogger(__name__)

HANDLERS: dict[str, Callable[..., Any]] = {}


@dataclass(frozen=True)
class Options:
    atomic: bool = True  # run the handler inside one transaction
    retry: bool = True  # False: a failure is final at once (no back-off, listed as failed)


OPTIONS: dict[str, Options] = {}
MAX_ATTEMPTS = 6
BACKOFF_MINUTES = (1, 5, 25, 60, 120, 240)  # after the 1st, 2nd, ... failure; capped at the last
LEASE = dt.timedelta(minutes=30)  # a job "running" longer than this lost its worker: claim it again
KEEP_FINISHED = dt.timedelta(days=7)
ERROR_CHARS = 4000


def job(name: str, *, atomic: bool = True, retry: bool = True) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the handler of the jobs called ``name`` (keyword arguments: the job's args).

    ``atomic=False``: the handler manages its own transactions (its writes outside one commit at
    once, so others can read its progress). ``retry=False``: a failure is not retried; the job is
    ``failed`` at once, with its error, on the "Pekerjaan latar" page.
    """

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        if name in HANDLERS and HANDLERS[name] is not func:
            raise RuntimeError(f"job {name!r} already has a handler: {HANDLERS[name]!r}")
        HANDLERS[name] = func
        OPTIONS[name] = Options(atomic=atomic, retry=retry)
        return func

    return register


# The ids of the jobs enqueued (or found pending for the same work) while ``collect()`` is open.
_collected: ContextVar[list[int] | None] = ContextVar("collected_jobs", default=None)


@contextlib.contextmanager
def collect() -> Iterator[list[int]]:
    """Note the jobs that the code inside enqueues, so they can be run at once (``run_ids``):
    a background import runs the follow-ups of its own change before it reports "finished"."""
    ids: list[int] = []
    token = _collected.set(ids)
    try:
        yield ids
    finally:
        _collected.reset(token)


def _note(job: Job | None) -> Job | None:
    ids = _collected.get()
    if ids is not None and job is not None and job.pk not in ids:
        ids.append(job.pk)
    return job


def _broader(key: str) -> list[str]:
    parts = key.split("/")
    return ["/".join(parts[:i]) for i in range(1, len(parts))]


def enqueue(name: str, key: str = "", *, run_after: dt.datetime | None = None, **args: Any) -> Job | None:
    """Record that ``name`` must run with ``args``; returns the pending job (None if covered).

    Call inside the writer's transaction (a rolled-back change leaves no job). ``args`` must be
    JSON: ids and codes, never model instances.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("enqueue() must be called inside the writer's transaction")
    pending = Job.objects.filter(name=name, state=JobState.PENDING)
    if key:
        broader = pending.filter(key__in=_broader(key)).first()
        if broader is not None:
            _note(broader)
            return None
    pending.filter(key__startswith=f"{key}/").delete()
    try:
        with transaction.atomic():  # a savepoint: a duplicate only undoes this insert
            return _note(Job.objects.create(name=name, key=key, args=args, run_after=run_after or timezone.now()))
    except IntegrityError:
        return _note(pending.filter(key=key).first())


def enqueue_per_area(name: str, election_id: int, codes: Iterable[str], *, limit: int = 50) -> None:
    """One pending ``name`` job per (election, region code); more than ``limit`` codes (a wide
    change, e.g. a national import), one job for the whole election. Keys are paths:
    ``"<election>"`` covers ``"<election>/<code>"``; handlers take ``election`` and ``region``."""
    codes = sorted(set(codes))
    if len(codes) > limit:
        enqueue(name, str(election_id), election=election_id)
        return
    for code in codes:
        enqueue(name, f"{election_id}/{code}", election=election_id, region=code)


def _due(now: dt.datetime) -> Q:
    return Q(state=JobState.PENDING, run_after__lte=now) | Q(state=JobState.RUNNING, updated_at__lt=now - LEASE)


def backoff(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=BACKOFF_MINUTES[min(attempts, len(BACKOFF_MINUTES)) - 1])


def _handler(name: str) -> Callable[..., Any]:
    if name in HANDLERS:
        return HANDLERS[name]
    for p in registry.periodic_jobs:
        if p.name == name:
            return p.run
    raise LookupError(f"no handler is registered for the job {name!r}")


def run_job(job: Job, now: dt.datetime | None = None) -> bool:
    """Run one claimed job; True when it succeeded. An exception is stored, never raised."""
    options = OPTIONS.get(job.name, Options())
    try:
        if options.atomic:
            with transaction.atomic():
                _handler(job.name)(**job.args)
        else:
            _handler(job.name)(**job.args)
    except Exception:
        log.exception("background job %s failed", job)
        _record_failure(job, traceback.format_exc()[-ERROR_CHARS:], now or timezone.now(), retry=options.retry)
        return False
    Job.objects.filter(pk=job.pk).update(state=JobState.DONE, last_error="", updated_at=now or timezone.now())
    return True


def _record_failure(job: Job, error: str, now: dt.datetime, *, retry: bool = True) -> None:
    if job.attempts >= MAX_ATTEMPTS or not retry:
        Job.objects.filter(pk=job.pk).update(state=JobState.FAILED, last_error=error, updated_at=now)
        return
    retry_at = now + backoff(job.attempts)
    try:
        with transaction.atomic():
            Job.objects.filter(pk=job.pk).update(
                state=JobState.PENDING, last_error=error, run_after=retry_at, updated_at=now
            )
    except IntegrityError:
        # The same work was enqueued again while this ran: keep that row, with this failure on it.
        Job.objects.filter(name=job.name, key=job.key, state=JobState.PENDING).update(
            attempts=job.attempts, last_error=error, run_after=retry_at, updated_at=now
        )
        Job.objects.filter(pk=job.pk).delete()


def claim(job_id: int, now: dt.datetime) -> Job | None:
    """Compare-and-set: the job becomes ours only if it is still due when we update it."""
    won = Job.objects.filter(_due(now), pk=job_id).update(
        state=JobState.RUNNING, attempts=F("attempts") + 1, updated_at=now
    )
    return Job.objects.get(pk=job_id) if won else None


def run_due(limit: int = 50, now: dt.datetime | None = None) -> int:
    """Claim and run up to ``limit`` due jobs; returns how many ran (succeeded or not)."""
    now = now or timezone.now()
    ids = list(Job.objects.filter(_due(now)).order_by("run_after", "id").values_list("id", flat=True)[:limit])
    ran = 0
    for job_id in ids:
        claimed = claim(job_id, now)
        if claimed is not None:
            run_job(claimed, now)
            ran += 1
    return ran


def run_ids(ids: list[int], now: dt.datetime | None = None) -> int:
    """Claim and run those of the jobs ``ids`` that are due, then the jobs they enqueue, until
    none is left; returns how many ran. A job another worker holds, or one not yet due (a
    retry's back-off), is left to the worker."""
    ran = 0
    done: set[int] = set()
    token = _collected.set(ids)  # what these jobs enqueue joins the list
    try:
        for _round in range(100):
            todo = [pk for pk in ids if pk not in done]
            if not todo:
                break
            done.update(todo)
            for job_id in Job.objects.filter(pk__in=todo).order_by("id").values_list("id", flat=True):
                claimed = claim(job_id, now or timezone.now())
                if claimed is not None:
                    run_job(claimed, now)
                    ran += 1
    finally:
        _collected.reset(token)
    return ran


def run_all(now: dt.datetime | None = None) -> int:
    """Run every due job, and the jobs those enqueue, until none is due (tests, ``--once``)."""
    total = 0
    for _round in range(100):
        ran = run_due(now=now)
        total += ran
        if not ran:
            break
    return total


def schedule_periodic(now: dt.datetime | None = None) -> int:
    """Make sure each periodic job has its next run pending; returns how many were scheduled.

    The next run is due one interval after the last one finished (now if it never ran).
    """
    now = now or timezone.now()
    scheduled = 0
    for p in registry.periodic_jobs:
        rows = Job.objects.filter(name=p.name)
        if rows.filter(state__in=[JobState.PENDING, JobState.RUNNING]).exists():
            continue
        last = rows.order_by("-updated_at").values_list("updated_at", flat=True).first()
        when = max(now, last + dt.timedelta(minutes=p.minutes)) if last else now
        with transaction.atomic():
            scheduled += enqueue(p.name, run_after=when) is not None
    return scheduled


def prune(now: dt.datetime | None = None) -> int:
    """Forget finished jobs after a week (the latest of each periodic job is kept for its schedule)."""
    now = now or timezone.now()
    old = Job.objects.filter(state__in=[JobState.DONE, JobState.DISMISSED], updated_at__lt=now - KEEP_FINISHED)
    periodic = {p.name for p in registry.periodic_jobs}
    deleted, _counts = old.exclude(name__in=periodic).delete()
    return deleted


# --- the "Pekerjaan latar" page ----------------------------------------------------------------


def may_manage(user: Any) -> bool:
    """Superusers and the admins of a Desk Pilkada see and steer the background jobs."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return any(g.kind == scoping.DESK and g.role == "admin" for g in scoping.memberships(user))


def listed() -> Any:
    """What the page shows: work not yet done; failed first, then failing (retrying), then waiting."""
    first = Case(When(state=JobState.FAILED, then=0), When(last_error="", then=2), default=1)
    return Job.objects.filter(state__in=[JobState.PENDING, JobState.RUNNING, JobState.FAILED]).order_by(
        first, "run_after", "id"
    )


def _require_manage(actor: Any) -> None:
    if not may_manage(actor):
        raise PermissionDenied(_("Only the Desk Pilkada admins manage background jobs."))


def retry(actor: Any, job: Job) -> Job:
    """Run a pending or failed job at the next turn of the worker (a failed one gets one more try)."""
    _require_manage(actor)
    if job.state not in (JobState.PENDING, JobState.FAILED):
        raise PermissionDenied(_("This job is not waiting to run."))
    now = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                Job.objects.filter(pk=job.pk).update(state=JobState.PENDING, run_after=now, updated_at=now)
        except IntegrityError:
            # the same work is already pending again: run that one now, this one is covered by it
            Job.objects.filter(name=job.name, key=job.key, state=JobState.PENDING).update(run_after=now)
            Job.objects.filter(pk=job.pk).update(state=JobState.DISMISSED, updated_at=now)
        audit.record(actor, "job.retry", job, {"state": [job.state, JobState.PENDING]})
    job.refresh_from_db()
    return job


def dismiss(actor: Any, job: Job) -> Job:
    """Stop retrying a job and take it off the page (the failure stays in the audit log)."""
    _require_manage(actor)
    if job.state not in (JobState.PENDING, JobState.FAILED):
        raise PermissionDenied(_("This job is not waiting to run."))
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(state=JobState.DISMISSED, updated_at=timezone.now())
        audit.record(actor, "job.dismiss", job, {"state": [job.state, JobState.DISMISSED]}, note=job.last_error[-500:])
    job.refresh_from_db()
    return job
