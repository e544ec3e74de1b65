"""Base pieces every Sinergi model builds on."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import RestrictedQuerySet


class VersionedModel(models.Model):
    """A record edited by people: carries a version so concurrent edits are detected."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True


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
