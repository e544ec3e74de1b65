"""Participation (partisipasi pemilih): the turnout targets cited at the rakor, the turnout history
of each region, the outreach (sosialisasi) events held to close the gap, and the turnout reports of
the TPS on voting day.

Turnout is always voters who voted (ballots used) ÷ DPT. A figure no user typed carries its
``core.models.Source``; each record is seen only from the day it came to exist (a target from the
day it was cited, a history figure from its "as of", an event from the day it was held, a report
from the day it was made).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import dates
from core.models import VersionedModel
from core.scoping import RestrictedQuerySet


def trim(value: Decimal | None) -> Decimal | None:
    """77.50 -> 77.5, 80.00 -> 80: a percentage as it was stated."""
    if value is None:
        return None
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


class Audience(models.TextChoices):
    FIRST_TIME = "first_time", _("First-time voters")
    WOMEN = "women", _("Women")
    DISABLED = "disabled", _("Voters with disabilities")
    REMOTE = "remote", _("Remote communities")
    ELDERLY = "elderly", _("Elderly voters")
    WORKERS = "workers", _("ASN and workers")
    GENERAL = "general", _("General public")


class Target(VersionedModel):
    """A turnout target for an election in a region, as someone cited it (value, source, date).

    Several may exist and may disagree (77.5% at the 18 Nov 2024 rakor, 79.5% in Sep 2024): all are
    kept and shown; the latest cited is the working target."""

    scope_capability = "participation"
    scope_region_field = "region"
    scope_mode = "overlap"

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    value = models.DecimalField(_("target (%)"), max_digits=5, decimal_places=2)
    cited_on = models.DateField(_("cited on"))
    cited_at = models.CharField(_("cited at (meeting, place)"), max_length=300, blank=True)
    source = models.ForeignKey("core.Source", on_delete=models.PROTECT, related_name="+", verbose_name=_("source"))

    class Meta:
        verbose_name = _("turnout target")
        verbose_name_plural = _("turnout targets")
        ordering = ["election", "cited_on", "id"]

    def __str__(self) -> str:
        return f"{self.region_id} {self.value}% ({self.cited_on})"

    @property
    def shown(self) -> Decimal | None:
        return trim(self.value)


class TurnoutHistory(VersionedModel):
    """A past (or just counted) turnout of a region: DPT and voters who voted when known, else the
    published percentage. Seen from its "as of" date."""

    scope_capability = "participation"
    scope_region_field = "region"
    scope_mode = "overlap"

    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    label = models.CharField(_("election"), max_length=100, help_text=_('E.g. "Pilkada 2020".'))
    held_on = models.DateField(_("voting day"))
    dpt = models.PositiveIntegerField(_("DPT"), null=True, blank=True)
    voters = models.PositiveIntegerField(_("voters who voted"), null=True, blank=True)
    percent = models.DecimalField(_("published turnout (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    as_of = models.DateField(_("as of"))
    source = models.ForeignKey("core.Source", on_delete=models.PROTECT, related_name="+", verbose_name=_("source"))

    class Meta:
        verbose_name = _("turnout history")
        verbose_name_plural = _("turnout history")
        ordering = ["region", "-held_on", "id"]
        constraints = [models.UniqueConstraint(fields=["region", "label"], name="participation_history_label")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.label}"

    @property
    def turnout(self) -> Decimal | None:
        """voters ÷ DPT when both are known, else the published percentage."""
        if self.dpt and self.voters is not None:
            return (Decimal(self.voters) * 100 / Decimal(self.dpt)).quantize(Decimal("0.01"))
        return self.percent

    @property
    def computed(self) -> bool:
        return bool(self.dpt) and self.voters is not None


class Outreach(VersionedModel):
    """An outreach (sosialisasi) event: when, where, by which agency, for whom, how many came."""

    scope_capability = "participation"
    scope_region_field = "region"

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField(_("held on"))
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("desa/kelurahan or kecamatan")
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    audience = models.JSONField(_("audience"), default=list)
    attendance = models.PositiveIntegerField(_("attendance"))
    notes = models.TextField(_("notes"), blank=True)
    source = models.ForeignKey(
        "core.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("source")
    )
    client_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("outreach event")
        verbose_name_plural = _("outreach events")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["election", "region"], name="participation_outreach_region")]

    def __str__(self) -> str:
        return f"{self.held_on} {self.region_id}"

    def audience_labels(self) -> list[str]:
        names = dict(Audience.choices)
        return [str(names.get(a, a)) for a in self.audience]


class OutreachPhoto(models.Model):
    """A photo of an outreach event, checked for what it is (``core.documents``), served as a download."""

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "participation"
    scope_region_field = "outreach__region"

    outreach = models.ForeignKey(Outreach, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("file"), upload_to="participation/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=dates.stamp)

    class Meta:
        verbose_name = _("outreach photo")
        verbose_name_plural = _("outreach photos")

    def __str__(self) -> str:
        return f"photo {self.pk} of outreach {self.outreach_id}"


class TurnoutReport(models.Model):
    """Voters who voted at one TPS on voting day, as KPU, a PPK or a PPS reported it. A later report
    of the same TPS supersedes the earlier (``current``); none is ever edited."""

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "participation"
    scope_region_field = "village"

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    tps = models.ForeignKey("regions.PollingStation", on_delete=models.CASCADE, related_name="+", verbose_name="TPS")
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    voters = models.PositiveIntegerField(_("voters who voted"))
    reported_on = models.DateField(_("reported on"))
    reported_at = models.DateTimeField(_("reported at"), default=dates.stamp)
    current = models.BooleanField(default=True)
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    source = models.ForeignKey("core.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    client_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("turnout report")
        verbose_name_plural = _("turnout reports")
        ordering = ["-reported_at", "-id"]
        indexes = [models.Index(fields=["election", "current", "village"], name="participation_report_current")]
        constraints = [
            models.UniqueConstraint(
                fields=["tps"], condition=models.Q(current=True), name="participation_report_one_current"
            )
        ]

    def __str__(self) -> str:
        return f"TPS {self.tps_id}: {self.voters}"
