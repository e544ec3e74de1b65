"""Base pieces every Sinergi model builds on, and the audit log every action writes to."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import formats, scoping
from core.scoping import RestrictedQuerySet


class VersionedModel(models.Model):
    """A record edited by people: carries a version so concurrent edits are detected."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """One change: who did what to which record, when, where, and each field's old and new value.

    Each row carries the capability and region of the record it describes, so "what changed in my
    area" goes through the same chokepoint as everything else: a user sees the rows of the
    capabilities they may view, inside the regions they cover.
    """

    objects = RestrictedQuerySet.as_manager()

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("who"),
    )
    # Kept when the account is deleted: the trail must still say who it was.
    actor_name = models.CharField(_("who (name)"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=60)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(_("record"), max_length=200)
    capability = models.CharField(_("capability"), max_length=40, blank=True)
    region_code = models.CharField(_("region"), max_length=20, blank=True)
    changes = models.JSONField(_("changes"), default=dict)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["region_code", "at"], name="audit_region_idx"),
        ]

    def __str__(self) -> str:
        return f"{formats.moment(self.at)} {self.actor_name or self.actor} {self.action} {self.object_repr}"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q | None:
        """Rows of each capability the user may ``action``, inside the regions they cover.

        Rows with no capability (or no region) are the platform's own: superusers only.
        """
        q = Q(pk__in=[])
        for capability in scoping.ACCESS:
            scopes = scoping.grants(user, capability, action)
            if None in scopes:
                q |= Q(capability=capability)
            elif scopes:
                area = Q()
                for code in scopes:
                    assert code is not None
                    area |= scoping.subtree_q("region_code", code)
                q |= Q(capability=capability) & area & ~Q(region_code="")
        if getattr(user, "is_superuser", False):
            return None
        return q


class JobState(models.TextChoices):
    PENDING = "pending", _("Pending")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    DISMISSED = "dismissed", _("Dismissed")


class Job(models.Model):
    """A piece of background work (pekerjaan latar): what follows a change, or a periodic scan.

    Written by ``core.jobs.enqueue`` in the writer's own transaction, so a committed change always
    has its follow-up and a rolled-back one has none. A worker (``run_jobs``) claims a due row with
    a compare-and-set update, runs the handler registered under ``name`` and records the outcome.
    At most one row per (name, key) is pending: enqueueing the same work again is a no-op.
    """

    name = models.CharField(_("job"), max_length=100)
    key = models.CharField(_("key"), max_length=200, blank=True)
    args = models.JSONField(_("arguments"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=JobState.choices, default=JobState.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    run_after = models.DateTimeField(_("next run"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["run_after", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "key"], condition=models.Q(state="pending"), name="job_one_pending_per_key"
            )
        ]
        # the worker's question: which pending jobs are due (state first, then time)
        indexes = [models.Index(fields=["state", "run_after"])]

    def __str__(self) -> str:
        return f"{self.name} [{self.key}]" if self.key else self.name


class SourceStatus(models.TextChoices):
    OFFICIAL = "official", _("official")
    ESTIMATED = "estimated", _("estimated")
    ILLUSTRATIVE = "illustrative", _("illustrative")


class Source(models.Model):
    """Where a figure that no user entered comes from: its status, publisher, document and date.

    Officials quote Sinergi's screens in meetings, so a published total (KPU's DPT plenary), an
    estimate Sinergi derived, and the demo's illustrative spread must never look alike. A figure
    points at its source; pages show a badge with the source and the "as of" date, and the public
    API returns the same.
    """

    key = models.SlugField(_("key"), max_length=80, unique=True)
    status = models.CharField(_("status"), max_length=12, choices=SourceStatus.choices)
    publisher = models.CharField(_("publisher"), max_length=200)
    title = models.CharField(_("document or statement"), max_length=300)
    as_of = models.DateField(_("as of"))
    url = models.URLField(_("address"), blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["as_of", "key"]

    def __str__(self) -> str:
        return f"{self.publisher}: {self.title} ({formats.day(self.as_of)})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "publisher": self.publisher,
            "title": self.title,
            "as_of": self.as_of.isoformat(),
            "url": self.url,
            "note": self.note,
        }


class DemoClock(models.Model):
    """The demo's clock (one row): the moment of Pilkada 2024 the demo is showing.

    Only used in demo mode (``DEMO=1``); ``core.dates`` reads it, ``core.demo.set_moment`` moves
    it and replays each capability's demo data up to the new moment.
    """

    moment = models.DateTimeField(_("moment"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("demo clock")

    def __str__(self) -> str:
        return self.moment.isoformat()


class ImportState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Nothing imported")
    FAILED = "failed", _("Failed")


class ImportPhase(models.TextChoices):
    VALIDATING = "validating", _("Checking the rows")
    WRITING = "writing", _("Writing")
    REFRESHING = "refreshing", _("Refreshing the summaries")


class ImportRun(models.Model):
    """One uploaded spreadsheet imported in the background (impor latar, ``core.import_runs``):
    who uploaded which file into what, how far the import job is, and how it ended.

    The file waits in private storage (``SINERGI_UPLOAD_DIR``, never under MEDIA_ROOT) and is
    deleted once the job ends. Only the uploader and the Desk Pilkada admins see the row.
    """

    kind = models.CharField(_("import"), max_length=60)  # a registered core.registry.Importer
    target = models.CharField(_("into"), max_length=60, blank=True)  # e.g. the election's id
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("uploaded by")
    )
    filename = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    stored_name = models.CharField(max_length=64, blank=True)  # under SINERGI_UPLOAD_DIR; "" once deleted
    language = models.CharField(max_length=10, blank=True)  # the uploader's: the report is written in it
    state = models.CharField(_("state"), max_length=10, choices=ImportState.choices, default=ImportState.QUEUED)
    phase = models.CharField(_("phase"), max_length=12, choices=ImportPhase.choices, blank=True)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    rows_total = models.PositiveIntegerField(_("rows in the file"), default=0)  # an estimate; 0: unknown
    counts = models.JSONField(_("result"), default=dict, blank=True)
    audit_entry = models.ForeignKey(
        AuditEntry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("audit entry")
    )
    message = models.TextField(_("message"), blank=True)  # why nothing was imported
    errors = models.JSONField(_("problems"), default=list, blank=True)  # row by row, the first MAX_REPORTED
    error_total = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("background import")
        verbose_name_plural = _("background imports")
        constraints = [
            # a double-submitted upload finds the import already waiting instead of queueing another
            models.UniqueConstraint(
                fields=["user", "kind", "target", "sha256"],
                condition=models.Q(state__in=["queued", "running"]),
                name="import_one_pending_per_file",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename}"

    @property
    def finished(self) -> bool:
        return self.state in (ImportState.DONE, ImportState.REJECTED, ImportState.FAILED)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("core:import_run", args=[self.pk])
