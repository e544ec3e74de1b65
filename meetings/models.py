"""Coordination meetings (rakor), their attendance, decisions and the action items they set;
the readiness checklists (kesiapan teknis); and the situation reports shown at a meeting.

The Desk Pilkada writes meetings and decisions; each agency updates the actions and readiness
items it owns; every coordinating agency reads; the public sees nothing of it.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import dates, scoping
from core.models import VersionedModel
from core.scoping import RestrictedQuerySet


def _visible_from_below_q(cls: Any, user: Any, action: str) -> models.Q | None:
    """To read: records of the user's area or of a region above it (the Kukar desk reads the
    province's rakor), core's "overlap" mode; to write: only inside the user's area ("subtree").

    The models cannot simply declare ``scope_mode = "overlap"``: core applies the mode to every
    action, so the Kukar desk could then change the province's rakor."""
    mode = "overlap" if action == scoping.VIEW else "subtree"
    rule = SimpleNamespace(
        scope_capability=cls.scope_capability, scope_region_field=cls.scope_region_field, scope_mode=mode
    )
    return scoping.default_scope_q(rule, user, action)


class MeetingKind(models.TextChoices):
    RAKOR = "rakor", _("Coordination meeting (rakor)")
    TECHNICAL = "technical", _("Technical meeting (rapat teknis)")
    ALERT_PARADE = "parade", _("Readiness parade (apel siaga)")
    LOGISTICS_SENDOFF = "sendoff", _("Logistics send-off (pelepasan logistik)")
    OTHER = "other", _("Other meeting")


class Meeting(VersionedModel):
    """A meeting of the desk's agencies, e.g. the Pjs Bupati Kukar's rakor of 18 Nov 2024."""

    scope_capability = "meetings"
    scope_region_field = "region"

    election = models.ForeignKey(
        "elections.Election",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("election"),
        help_text=_("The election the meeting prepares; empty for one this desk does not track."),
    )
    kind = models.CharField(_("kind"), max_length=12, choices=MeetingKind.choices, default=MeetingKind.RAKOR)
    title = models.CharField(_("title"), max_length=200)
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("The area the meeting is about, e.g. 64.02 for Kutai Kartanegara."),
    )
    organiser = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("organiser")
    )
    chair = models.CharField(_("chair"), max_length=200, blank=True, help_text=_("Name and position."))
    starts_at = models.DateTimeField(_("starts at"))
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    source = models.ForeignKey(
        "core.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("source"),
        help_text=_("Where a meeting no user recorded comes from (the demo's)."),
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "id"]
        indexes = [models.Index(fields=["region", "starts_at"], name="meeting_region_idx")]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_q(cls, user: Any, action: str) -> models.Q | None:
        return _visible_from_below_q(cls, user, action)

    @property
    def timezone(self) -> str:
        """The zone its time is written in: its election's (WITA for Kaltim), else the server's."""
        return self.election.timezone if self.election_id and self.election else settings.TIME_ZONE


class AttendanceStatus(models.TextChoices):
    UNKNOWN = "", _("Not recorded")
    PRESENT = "present", _("Present")
    REPRESENTED = "represented", _("Represented")
    ABSENT = "absent", _("Absent")


class Attendance(models.Model):
    """An agency at a meeting: invited (or a guest) and whether it came, and who for it."""

    scope_capability = "meetings"
    scope_region_field = "meeting__region"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("agency"))
    invited = models.BooleanField(_("invited"), default=True)
    status = models.CharField(
        _("attendance"), max_length=12, choices=AttendanceStatus.choices, default=AttendanceStatus.UNKNOWN, blank=True
    )
    people = models.CharField(_("people present"), max_length=300, blank=True)
    represented_by = models.CharField(_("represented by"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["-invited", "agency__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "agency"], name="attendance_one_per_agency")]

    def __str__(self) -> str:
        return f"{self.agency} @ {self.meeting}"

    @property
    def guest(self) -> bool:
        return not self.invited


class Attachment(models.Model):
    """A document of a meeting (the invitation, the presentation, the signed minutes, a photo),
    read where the meeting is read; kept private under MEDIA_ROOT and served only through the
    meeting's scope, always as a download."""

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "meetings"
    scope_region_field = "meeting__region"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="meetings/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=dates.stamp)
    client_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["meeting", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_q(cls, user: Any, action: str) -> models.Q | None:
        return _visible_from_below_q(cls, user, action)


class Decision(models.Model):
    """What a meeting decided, in its own words; action items carry it out."""

    scope_capability = "meetings"
    scope_region_field = "meeting__region"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    number = models.PositiveIntegerField(_("number"))
    text = models.TextField(_("decision"))

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "number"]
        constraints = [models.UniqueConstraint(fields=["meeting", "number"], name="decision_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


class ActionItem(VersionedModel):
    """A task a decision gives an agency: who, by when, where, about what; open until done or dropped.

    ``concerns`` is a record of one of the kinds ``meetings.actions.LINKABLE`` lists (a logistics
    node, a TPS; later a case, an incident, a grant) by content type and id, so a capability
    arriving later links its records by adding its kind there, without a migration here.
    """

    scope_capability = "meeting_actions"
    scope_region_field = "region"

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="actions", verbose_name=_("decision"))
    title = models.CharField(_("action"), max_length=300)
    owner = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner agency")
    )
    owner_person = models.CharField(_("person responsible"), max_length=200, blank=True)
    due = models.DateField(_("due date"))
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    concerns_type = models.ForeignKey(
        ContentType,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("concerns (kind)"),
    )
    concerns_id = models.PositiveIntegerField(_("concerns (id)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    status_note = models.CharField(_("note"), max_length=500, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # when it was entered (the demo clock's time in the demo): a later meeting's agenda, as it stood
    # when that meeting began, holds only the items that existed by then
    created_at = models.DateTimeField(_("created at"), default=dates.stamp, editable=False)
    source = models.ForeignKey(
        "core.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Where an action no user recorded comes from (the demo's, illustrative)."),
    )

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due", "id"]
        indexes = [
            models.Index(fields=["owner", "status", "due"], name="action_inbox_idx"),
            models.Index(fields=["region", "status", "due"], name="action_region_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_q(cls, user: Any, action: str) -> models.Q | None:
        return _visible_from_below_q(cls, user, action)

    @property
    def overdue(self) -> bool:
        return self.status == ActionStatus.OPEN and self.due < dates.today()


class ReadinessStatus(models.TextChoices):
    OPEN = "open", _("Not ready")
    READY = "ready", _("Ready")


class ReadinessItem(VersionedModel):
    """One line of a readiness checklist (kesiapan teknis), e.g. "gudang logistik siap", owned by
    an agency for a stage of an election in a region."""

    scope_capability = "readiness"
    scope_region_field = "region"

    election = models.ForeignKey(
        "elections.Election", on_delete=models.CASCADE, related_name="+", verbose_name=_("election")
    )
    stage = models.ForeignKey(
        "elections.Stage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("stage")
    )
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    owner = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner agency")
    )
    title = models.CharField(_("item"), max_length=300)
    due = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=10, choices=ReadinessStatus.choices, default=ReadinessStatus.OPEN)
    evidence = models.CharField(
        _("evidence"),
        max_length=500,
        blank=True,
        help_text=_("What shows it is ready: a berita acara, a photo, a list."),
    )
    source = models.ForeignKey("core.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("readiness item")
        verbose_name_plural = _("readiness items")
        ordering = ["due", "id"]
        indexes = [models.Index(fields=["election", "region", "owner"], name="readiness_idx")]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_q(cls, user: Any, action: str) -> models.Q | None:
        return _visible_from_below_q(cls, user, action)


class FrozenQuerySet(RestrictedQuerySet):
    def update(self, **kwargs: Any) -> int:
        raise ValidationError(_("A situation report snapshot cannot be changed."), code="immutable")


class ReportSnapshot(models.Model):
    """The situation report exactly as generated for a meeting: later readers see what it saw.

    Never changed once written (``save`` and ``update`` refuse). Its contents were built with the
    Desk's scope, so it is read where the live report of its region would be: inside the reader's
    area (core's default "subtree" scope), not from below as its meeting is."""

    scope_capability = "meetings"
    scope_region_field = "region"

    objects = FrozenQuerySet.as_manager()

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="snapshots", verbose_name=_("meeting"))
    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("as of"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("generated by")
    )
    data = models.JSONField(_("report"))

    class Meta:
        verbose_name = _("situation report snapshot")
        verbose_name_plural = _("situation report snapshots")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.meeting} · {self.at.isoformat()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:  # written once (an id may be given: the demo keeps its report's)
            raise ValidationError(_("A situation report snapshot cannot be changed."), code="immutable")
        super().save(*args, **kwargs)


class ReminderKind(models.TextChoices):
    DUE_SOON = "due_soon", _("Due in two days")
    OVERDUE = "overdue", _("Past its due date")


class Reminder(models.Model):
    """A reminder to an action's owner agency, in its inbox and on the action's page: once two days
    before the due date and once the day after it passed unfinished (``meetings.reminders``),
    dated when it was due to be sent, not when the periodic job noticed."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("reminder"), max_length=10, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["action", "sent_at"]
        constraints = [models.UniqueConstraint(fields=["action", "kind"], name="reminder_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.action}"
