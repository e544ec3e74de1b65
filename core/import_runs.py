"""Large spreadsheet imports run as background jobs, with their progress on a status page.

A file the reader would go through for more than ``IMPORT_INLINE_MAX_BYTES`` (a CSV's bytes, an
XLSX's parts unpacked) is not imported in the request. ``submit`` checks in a moment what can be
checked (the file limits, an XLSX's zip directory, the header against the importer's spec),
stores the file in private storage (``SINERGI_UPLOAD_DIR``, never under MEDIA_ROOT) and, in one
transaction, records an ``ImportRun`` and enqueues the job ``core.import`` for it. The uploader
is sent to the run's page (``core:import_run``), which htmx refreshes until the run ends. A
smaller file is imported in the request as before, so its result shows at once.

The job (``run_import``, registered ``atomic=False``) re-checks the uploader's right, then calls
the app's action (a ``core.registry.Importer``), which reads and checks the rows outside any
transaction; every so often the rows read are written to the run in a short transaction of their
own, which commits at once, so the status page sees them (SQLite runs in WAL mode: readers are not
blocked). The action then writes in its one transaction, all-or-nothing, and records its result on
the run *inside* that transaction (``RunProgress.written``): the result commits with the change,
and a job claimed again after its worker died never imports twice. The follow-ups the import
enqueued (summaries, logistics requirements) run next in the same job ("Refreshing the
summaries"), then the run is done and the file deleted. An unexpected error ends the run as failed
with a message (nothing was written) and the job as failed on the "Pekerjaan latar" page with its
traceback; it is not retried: the uploader uploads the file again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import jobs
from core.imports import Progress
from core.models import ImportPhase, ImportRun, ImportState, Job, JobState
from core.registry import Importer, registry
from core.spreadsheets import FileRejected, ImportFailed, limits, peek, work_size

log = logging.getLogger(__name__)

JOB = "core.import"
PENDING = (ImportState.QUEUED, ImportState.RUNNING)
KEEP = dt.timedelta(days=30)  # finished runs are forgotten after this (the audit log keeps the import)
ORPHAN_AFTER = dt.timedelta(days=1)  # a stored file no waiting run names (its request crashed)
MIN_NOTE_ROWS = 1000  # the rows read are noted at most every this many rows


def importer(kind: str) -> Importer:
    for imp in registry.importers:
        if imp.kind == kind:
            return imp
    raise LookupError(f"no importer is registered as {kind!r}")


def runs_in_background(data: bytes) -> bool:
    """Whether an upload is too large to import while the user waits for the page."""
    return work_size(data) > settings.IMPORT_INLINE_MAX_BYTES


def upload_dir() -> Path:
    return Path(settings.SINERGI_UPLOAD_DIR)


def _store(data: bytes) -> str:
    """Write the upload under a random name only the server can read; returns the name."""
    folder = upload_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = f"{secrets.token_hex(16)}.upload"
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    except BaseException:
        _discard(name)  # a disk that filled up: no half file left behind
        raise
    return name


def _discard(name: str) -> None:
    if name:
        (upload_dir() / name).unlink(missing_ok=True)


def submit(user: Any, kind: str, target: str, data: bytes, filename: str) -> tuple[ImportRun, bool]:
    """Hand an upload to a background import; returns its run and whether the run is new.

    Raises ``ImportFailed`` for a file refused at once (a limit, a missing column) and
    ``PermissionDenied``. The same file uploaded again by the same user into the same target
    while the first is still waiting or running finds that run: nothing is queued twice.
    """
    imp = importer(kind)
    if not imp.permitted(user, target):
        raise PermissionDenied(_("You may not make this import."))
    try:
        look = peek(data, limits())
        if look.header is not None:
            imp.spec.match_header(look.header)
    except FileRejected as e:
        raise ImportFailed(str(e)) from e
    digest = hashlib.sha256(data).hexdigest()
    pending = ImportRun.objects.filter(user=user, kind=kind, target=target, sha256=digest, state__in=PENDING)
    existing = pending.first()
    if existing is not None:
        return existing, False
    name = _store(data)
    try:
        with transaction.atomic():
            run = ImportRun.objects.create(
                kind=kind,
                target=target,
                user=user,
                filename=filename[:255],
                sha256=digest,
                size=len(data),
                stored_name=name,
                language=translation.get_language() or "",
                rows_total=max((look.rows or 0) - 1, 0),  # without the header
            )
            jobs.enqueue(JOB, str(run.pk), run=run.pk)
    except IntegrityError:  # the same upload, a moment earlier, from another request
        _discard(name)
        existing = pending.first()
        if existing is None:
            raise
        return existing, False
    return run, True


def start(request: HttpRequest, kind: str, target: str, data: bytes, filename: str) -> HttpResponse:
    """An upload page's way to the background: ``submit``, then the run's page (``ImportFailed``
    and ``PermissionDenied`` are the page's to show, as for an import made at once)."""
    run, new = submit(request.user, kind, target, data, filename)
    if not new:
        messages.info(request, _("This file is already being imported: here is how far it is."))
    return redirect(run)


# --- the job ----------------------------------------------------------------------------------


def _update(pk: int, **fields: Any) -> None:
    """A progress note in its own short transaction: readers see it at once. A busy database
    skips it (the next note or the end says more); the import itself must not fail over it."""
    try:
        with transaction.atomic():
            ImportRun.objects.filter(pk=pk).update(updated_at=timezone.now(), **fields)
    except OperationalError as e:
        log.info("import %s: progress not recorded (%s)", pk, e)


def _finish(run: ImportRun, state: str, **fields: Any) -> None:
    now = timezone.now()
    ImportRun.objects.filter(pk=run.pk).update(state=state, finished_at=now, updated_at=now, **fields)
    run.refresh_from_db()


class RunProgress(Progress):
    """The progress of one background import, written to its ``ImportRun`` row."""

    def __init__(self, run: ImportRun):
        self.pk = run.pk
        # about a hundred notes over the file, none more often than every MIN_NOTE_ROWS rows
        self.every = max(MIN_NOTE_ROWS, run.rows_total // 100)
        self.done = False

    def rows(self, n: int) -> None:
        _update(self.pk, rows_done=max(n - 1, 0))

    def writing(self) -> None:
        # the rows are all read: the estimate gives way to the count
        _update(self.pk, phase=ImportPhase.WRITING, rows_total=F("rows_done"))

    def written(self, counts: dict[str, int], entry: Any = None) -> None:
        # Inside the import's transaction: the result commits with the change, or neither does.
        # Compare-and-set, so two workers holding the same run (a lease that ran out) cannot
        # both import: the second one's update finds the run written and rolls its import back.
        won = (
            ImportRun.objects.filter(pk=self.pk, state=ImportState.RUNNING)
            .exclude(phase=ImportPhase.REFRESHING)
            .update(phase=ImportPhase.REFRESHING, counts=counts, audit_entry=entry, updated_at=timezone.now())
        )
        if not won:
            raise RuntimeError(f"import run {self.pk} was written by another worker; this import is rolled back")
        self.done = True


@jobs.job(JOB, atomic=False, retry=False)
def run_import(run: int) -> None:
    """Import the stored file of run ``run`` (see the module docstring)."""
    row = ImportRun.objects.select_related("user").filter(pk=run).first()
    if row is None or row.finished:
        return  # it ended already (the job retried from the jobs page): nothing left to do
    stored = row.stored_name
    try:
        with translation.override(row.language or settings.LANGUAGE_CODE):
            followups = [] if row.phase == ImportPhase.REFRESHING else _import(row)
    except Exception:
        row.refresh_from_db()
        if row.phase != ImportPhase.REFRESHING:  # nothing was written
            with translation.override(row.language or settings.LANGUAGE_CODE):
                message = _(
                    "The import stopped on an unexpected error. Nothing was imported. The Desk Pilkada "
                    "admins see the error on the background jobs page; upload the file again later."
                )
            _finish(row, ImportState.FAILED, stored_name="", message=message)
            raise  # the job fails with its traceback, for the admins
        log.exception("import %s: an error after its rows were written", run)
        followups = []
    finally:
        _discard(stored)  # written, refused or failed: the file is not needed any more
    if followups is None:  # it ended without writing: the report is on the run
        return
    # The summaries and other follow-ups of this import, before the page says "finished". A
    # follow-up that fails is the worker's to retry (listed on the jobs page); the import stands.
    jobs.run_ids(followups)
    _finish(row, ImportState.DONE, stored_name="")


def _import(row: ImportRun) -> list[int] | None:
    """Run the action; the follow-up jobs it enqueued, or None when it wrote nothing."""
    imp = importer(row.kind)
    ImportRun.objects.filter(pk=row.pk).update(
        state=ImportState.RUNNING, phase=ImportPhase.VALIDATING, rows_done=0, updated_at=timezone.now()
    )
    row.state = ImportState.RUNNING
    user = row.user
    if user is None or not user.is_active or not imp.permitted(user, row.target):
        _finish(
            row,
            ImportState.REJECTED,
            stored_name="",
            message=_("Nothing was imported: the account that uploaded the file may no longer make this import."),
        )
        return None
    try:
        data = (upload_dir() / row.stored_name).read_bytes() if row.stored_name else None
    except OSError:
        data = None
    if data is None:
        _finish(
            row,
            ImportState.FAILED,
            stored_name="",
            message=_("The uploaded file is no longer on the server. Nothing was imported: upload it again."),
        )
        return None
    progress = RunProgress(row)
    try:
        with jobs.collect() as followups:
            imp.run(user, row.target, data, row.filename, progress)
    except ImportFailed as e:
        _finish(
            row,
            ImportState.REJECTED,
            stored_name="",
            message=e.message,
            errors=[err.as_dict() for err in e.errors],
            error_total=e.total,
        )
        return None
    except PermissionDenied as e:
        message = str(e.args[0]) if e.args else _("You may not make this import.")
        _finish(row, ImportState.REJECTED, stored_name="", message=message)
        return None
    if not progress.done:
        raise RuntimeError(f"the importer {row.kind!r} returned without reporting what it wrote")
    return followups


# --- reading --------------------------------------------------------------------------------


def may_see(user: Any, run: ImportRun) -> bool:
    """The uploader follows their import; the Desk Pilkada admins see every import (as they see
    every background job)."""
    if user is None or not user.is_authenticated:
        return False
    return run.user_id == user.pk or jobs.may_manage(user)


def get_for_user(user: Any, pk: int) -> ImportRun:
    """The run, or a 404 for anyone else: another user's import is not theirs to know of."""
    run = ImportRun.objects.select_related("user", "audit_entry").filter(pk=pk).first()
    if run is None or not may_see(user, run):
        raise Http404(_("No such import."))
    return run


def page_context(run: ImportRun) -> dict[str, Any]:
    """What the status page shows: the phase and progress, or the result."""
    imp = importer(run.kind)
    written = run.state == ImportState.DONE or run.phase == ImportPhase.REFRESHING
    # an estimate (the file's line breaks, the size a sheet declares); 0: the file does not say
    total = max(run.rows_total, run.rows_done) if run.rows_total else 0
    return {
        "run": run,
        "label": imp.label,
        "upload_url": reverse(imp.upload_url),
        "result": imp.describe(run.counts) if written else "",
        "result_url": imp.result_url(run.target) if written and imp.result_url else "",
        "rows_total": total,
        "percent": run.rows_done * 100 // total if total else 0,
        "polling": not run.finished,
    }


def prune(now: dt.datetime | None = None) -> tuple[int, int]:
    """Tidy up after imports (the worker does it hourly); returns (files deleted, runs forgotten).

    A waiting run whose job is gone (an admin dismissed it on the jobs page) ends as failed, so
    its page does not wait for ever; stored files no waiting run names are deleted after a day
    (the request that stored one failed before its run committed); runs finished a month ago
    are forgotten (the audit log keeps every import).
    """
    now = now or timezone.now()
    live = Job.objects.filter(name=JOB, state__in=[JobState.PENDING, JobState.RUNNING]).values_list("key", flat=True)
    for run in ImportRun.objects.filter(state__in=PENDING).exclude(pk__in=[int(k) for k in live if k.isdigit()]):
        with translation.override(run.language or settings.LANGUAGE_CODE):
            message = _("This import was stopped before it ended. Nothing was imported: upload the file again.")
        _finish(run, ImportState.FAILED, stored_name="", message=message)
    keep = set(ImportRun.objects.filter(state__in=PENDING).values_list("stored_name", flat=True))
    files = 0
    folder = upload_dir()
    if folder.is_dir():
        cutoff = (now - ORPHAN_AFTER).timestamp()
        for path in folder.iterdir():
            if path.is_file() and path.name not in keep and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
                files += 1
    runs, _counts = ImportRun.objects.exclude(state__in=PENDING).filter(updated_at__lt=now - KEEP).delete()
    return files, runs
