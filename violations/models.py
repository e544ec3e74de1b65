"""Violations (penanganan pelanggaran): the cases Bawaslu handles, each step of their handling,
the legal deadlines that run on them, and the working-day calendar those deadlines count on.

A reporter's identity is kept apart from the case, in :class:`Reporter`, under its own capability
(``violations_reporter``, Bawaslu only). The case itself carries nothing that names the reporter,
so no list, page, export, API answer or audit row built from a case can leak it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import dates, scoping
from core.models import VersionedModel
from core.scoping import RestrictedQuerySet

# ASN neutrality went to KASN until it was dissolved; from this day it goes to BKN.
KASN_UNTIL = dt.date(2024, 8, 24)


class Origin(models.TextChoices):
    LAPORAN = "laporan", _("Laporan (a report)")
    TEMUAN = "temuan", _("Temuan (Bawaslu's own finding)")


class PartyKind(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate pair")
    CAMPAIGN = "campaign", _("Campaign team")
    ASN = "asn", _("ASN (civil servant)")
    VILLAGE = "village", _("Kepala desa or perangkat desa")
    TNI_POLRI = "tni_polri", _("TNI or Polri member")
    ORGANISER = "organiser", _("Election organiser")
    OTHER = "other", _("Other")


class ViolationCategory(models.TextChoices):
    ADMINISTRASI = "administrasi", _("Administrative")
    PIDANA = "pidana", _("Election crime (pidana pemilihan)")
    KODE_ETIK = "kode_etik", _("Code of ethics (kode etik)")
    OTHER_LAW = "other_law", _("ASN neutrality or other laws")


class Referral(models.TextChoices):
    KPU = "kpu", _("KPU")
    GAKKUMDU = "gakkumdu", _("Sentra Gakkumdu")
    DKPP = "dkpp", _("DKPP")
    BKN = "bkn", _("BKN")
    KASN = "kasn", _("KASN")
    BUPATI = "bupati", _("Bupati / DPMD")
    INSTITUTION = "institution", _("The member's own institution (TNI/Polri)")


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    NOT_REGISTERED = "not_registered", _("Not registered")
    REGISTERED = "registered", _("Registered")
    CLARIFICATION = "clarification", _("Clarification")
    REVIEW = "review", _("Review (kajian)")
    DECIDED = "decided", _("Decided")
    REFERRED = "referred", _("Referred")
    INVESTIGATION = "investigation", _("Investigation (Polri)")
    PROSECUTION = "prosecution", _("Prosecutor's review")
    COURT = "court", _("To court")
    CLOSED = "closed", _("Closed")


FINISHED = (Status.NOT_REGISTERED, Status.CLOSED)


class Finding(models.TextChoices):
    PROVEN = "proven", _("Proven")
    NOT_PROVEN = "not_proven", _("Not proven")


class NotRegisteredReason(models.TextChoices):
    REQUIREMENTS = "requirements", _("Formal or material requirements unmet")
    LATE = "late", _("Reported late (more than the allowed days after it was known)")


class Case(VersionedModel):
    """One violation case of one election: what happened, where, against whom, its category, its
    state of handling and the deadline that runs on it now."""

    scope_capability = "violations"
    scope_region_field = "region"

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveIntegerField(_("number"), editable=False)
    origin = models.CharField(_("origin"), max_length=8, choices=Origin.choices)
    occurred_on = models.DateField(_("occurred on"))
    known_on = models.DateField(_("known on"))
    received_on = models.DateField(_("received on"))
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("desa/kelurahan or kecamatan")
    )
    tps = models.ForeignKey(
        "regions.PollingStation", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name="TPS"
    )
    party_kind = models.CharField(_("kind of reported party"), max_length=10, choices=PartyKind.choices)
    party_name = models.CharField(_("reported party"), max_length=200)
    party_unit = models.CharField(
        _("unit or office"), max_length=200, blank=True, help_text=_("For an ASN: the office they work in.")
    )
    category = models.CharField(_("category"), max_length=12, choices=ViolationCategory.choices)
    summary = models.CharField(_("what is alleged (short)"), max_length=200)
    description = models.TextField(_("what is alleged"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    not_registered_reason = models.CharField(
        _("why not registered"), max_length=12, choices=NotRegisteredReason.choices, blank=True
    )
    finding = models.CharField(_("finding"), max_length=10, choices=Finding.choices, blank=True)
    extended = models.BooleanField(_("more information requested"), default=False)
    referred_to = models.CharField(_("referred to"), max_length=12, choices=Referral.choices, blank=True)
    referred_on = models.DateField(_("referred on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=500, blank=True)
    sanction = models.CharField(_("sanction"), max_length=300, blank=True)
    sanction_on = models.DateField(_("sanction given on"), null=True, blank=True)
    stage_started_on = models.DateField(_("current stage since"))
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_rule = models.CharField(_("deadline for"), max_length=16, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("Bawaslu")
    )
    incidents = models.ManyToManyField(
        "security.Incident", blank=True, related_name="+", verbose_name=_("linked incidents")
    )
    source = models.ForeignKey(
        "core.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("source")
    )
    client_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("violation case")
        verbose_name_plural = _("violation cases")
        ordering = ["-received_on", "-number"]
        constraints = [models.UniqueConstraint(fields=["election", "number"], name="violations_case_number")]
        indexes = [
            models.Index(fields=["election", "region"], name="violations_case_region"),
            models.Index(fields=["election", "deadline"], name="violations_case_deadline"),
        ]

    def __str__(self) -> str:
        # the audit log's label: the number and the allegation, never the reporter
        return f"#{self.number} {self.summary}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("violations:case", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status not in FINISHED

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q | None:
        """Bawaslu, the Desk and the other agencies read the cases of their area; the Gakkumdu
        partners (Polri, Kejaksaan) read the cases referred to Sentra Gakkumdu in theirs."""
        q = scoping.default_scope_q(cls, user, action)
        if action != scoping.VIEW or q is None:
            return q
        partner = scoping.grants(user, "violations_gakkumdu", scoping.VIEW)
        if not partner:
            return q
        if None in partner:
            extra = Q(referred_to=Referral.GAKKUMDU)
        else:
            area = Q()
            for code in partner:
                area |= scoping.subtree_q("region", str(code))
            extra = Q(referred_to=Referral.GAKKUMDU) & area
        return extra if q is scoping.NOTHING else q | extra


class Reporter(models.Model):
    """Who reported a laporan, how to reach them and what they stated. Bawaslu only."""

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "violations_reporter"
    scope_region_field = "case__region"

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="reporter")
    name = models.CharField(_("reporter's name"), max_length=150)
    contact = models.CharField(_("reporter's phone or e-mail"), max_length=150, blank=True)
    address = models.CharField(_("reporter's address"), max_length=300, blank=True)
    statement = models.TextField(_("reporter's statement"), blank=True)

    class Meta:
        verbose_name = _("reporter")
        verbose_name_plural = _("reporters")

    def __str__(self) -> str:
        return f"reporter of case {self.case_id}"


class Evidence(models.Model):
    """An attachment of a case, checked for what it is (``core.documents``), kept private and served
    only to Bawaslu, always as a download: evidence often names the reporter."""

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "violations_reporter"
    scope_region_field = "case__region"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to="violations/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=dates.stamp)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return f"evidence {self.pk} of case {self.case_id}"


class Step(models.Model):
    """One transition of a case: to which status, when, by whom and why."""

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "violations"
    scope_region_field = "case__region"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    on = models.DateField(_("on"))
    at = models.DateTimeField(_("recorded at"), default=dates.stamp)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    by_name = models.CharField(_("by"), max_length=150, blank=True)
    note = models.CharField(_("why"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("case step")
        verbose_name_plural = _("case steps")
        ordering = ["case", "on", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.status}"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> Q | None:
        """The steps of the cases the user may read (the Gakkumdu partners' included)."""
        q = Case.scope_q(user, action)
        if q is None or q is scoping.NOTHING:
            return q
        return Q(case__in=Case.objects.filter(q).values("pk"))


class Rule(VersionedModel):
    """One deadline rule of an election: how many days, counted as calendar or working days.

    The defaults are those of the Pilkada law as FACTS.md gives them; whether later amendments
    changed them is not settled, so Bawaslu may set them per election."""

    scope_capability = "violations"
    scope_region_field = "election__region"
    scope_mode = "overlap"

    REPORT, DECIDE, EXTENSION, INVESTIGATION, PROSECUTION, COURT = (
        "report",
        "decide",
        "extension",
        "investigation",
        "prosecution",
        "court",
    )
    KEYS = (
        (REPORT, _("Report after it became known"), 7, False),
        (DECIDE, _("Decision after receipt"), 3, False),
        (EXTENSION, _("Extra days when more information is requested"), 2, False),
        (INVESTIGATION, _("Investigation by Polri (to the prosecutor)"), 14, True),
        (PROSECUTION, _("Prosecutor's review"), 3, True),
        (COURT, _("Prosecutor to court"), 5, True),
    )

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("rule"), max_length=16, choices=[(k, label) for k, label, _d, _w in KEYS])
    days = models.PositiveSmallIntegerField(_("days"))
    working_days = models.BooleanField(_("working days"), default=False)

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        ordering = ["election", "id"]
        constraints = [models.UniqueConstraint(fields=["election", "key"], name="violations_rule_key")]

    def __str__(self) -> str:
        return f"{self.key}: {self.days}"


class Holiday(models.Model):
    """A day off in an election's working-day calendar (national holidays, cuti bersama, the voting
    day). Weekends are off without a record."""

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "violations"
    scope_region_field = "election__region"
    scope_mode = "overlap"

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        verbose_name = _("holiday")
        verbose_name_plural = _("holidays")
        ordering = ["election", "day"]
        constraints = [models.UniqueConstraint(fields=["election", "day"], name="violations_holiday_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.name}"
