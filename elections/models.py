"""Elections, their contests and candidate pairs, and the stages (tahapan) of the schedule."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.dates import today
from core.models import VersionedModel
from core.scoping import RestrictedQuerySet


class ElectionKind(models.TextChoices):
    PILKADA = "pilkada", _("Pilkada (regional election)")
    PEMILU = "pemilu", _("Pemilu (general election)")


class Election(VersionedModel):
    """An election day run by KPU, e.g. "Pilkada Serentak 2024 — Kalimantan Timur"."""

    scope_capability = "elections"
    scope_region_field = "region"
    scope_mode = "overlap"

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ElectionKind.choices)
    region = models.ForeignKey(
        "regions.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Empty for a nationwide election."),
    )
    voting_date = models.DateField(_("voting day"))
    timezone = models.CharField(
        _("time zone"),
        max_length=40,
        default="Asia/Makassar",
        help_text=_("WIB Asia/Jakarta, WITA Asia/Makassar, WIT Asia/Jayapura."),
    )
    max_voters_per_tps = models.PositiveIntegerField(_("maximum voters per TPS"), default=600)

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-voting_date", "name"]

    def __str__(self) -> str:
        return self.name

    def days_to_go(self) -> int:
        return (self.voting_date - today()).days

    def current_stage(self) -> Stage | None:
        """The stage running today; else the next one; else the last."""
        stages = list(self.stages.all())
        now = today()
        for s in stages:
            if s.start <= now <= s.end:
                return s
        upcoming = [s for s in stages if s.start > now]
        if upcoming:
            return upcoming[0]
        return stages[-1] if stages else None

    @classmethod
    def current(cls, queryset: models.QuerySet[Election] | None = None) -> Election | None:
        """The election whose voting day is next (or the most recent one)."""
        qs = queryset if queryset is not None else cls.objects.all()
        now = today()
        nxt = qs.filter(voting_date__gte=now).order_by("voting_date").first()
        return nxt or qs.order_by("-voting_date").first()


class ContestKind(models.TextChoices):
    GOVERNOR = "governor", _("Governor (gubernur)")
    REGENT = "regent", _("Regent (bupati)")
    MAYOR = "mayor", _("Mayor (walikota)")


class ContestQuerySet(RestrictedQuerySet):
    def visible(self) -> ContestQuerySet:
        """Contests that exist as of the desk's today: a PSU appears once its MK decision is out."""
        return self.filter(models.Q(effective_from__isnull=True) | models.Q(effective_from__lte=today()))


class Contest(VersionedModel):
    """A race on the ballot: governor for a province, bupati/walikota for a kab/kota.

    A re-vote (PSU, pemungutan suara ulang) is a contest of its own, linked to the original.
    """

    scope_capability = "elections"
    scope_region_field = "region"
    scope_mode = "overlap"

    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, related_name="contests", verbose_name=_("election")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ContestKind.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    name = models.CharField(_("name"), max_length=200)
    voting_date = models.DateField(
        _("voting day"), null=True, blank=True, help_text=_("Empty: the election's voting day.")
    )
    revote_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revotes",
        verbose_name=_("re-vote (PSU) of"),
    )
    revote_basis = models.CharField(_("basis for the re-vote"), max_length=300, blank=True)
    effective_from = models.DateField(
        _("effective from"),
        null=True,
        blank=True,
        help_text=_("Date of the legal basis (e.g. the MK decision ordering a PSU); not shown before it."),
    )

    objects = ContestQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("contest")
        verbose_name_plural = _("contests")
        ordering = ["election", "region_id", "voting_date", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def day(self) -> dt.date:
        return self.voting_date or self.election.voting_date


class CandidatePair(VersionedModel):
    """A candidate pair (pasangan calon) with its ballot number."""

    scope_capability = "elections"
    scope_region_field = "contest__region"
    scope_mode = "overlap"

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="pairs", verbose_name=_("contest"))
    number = models.PositiveSmallIntegerField(_("ballot number"))
    head_name = models.CharField(_("candidate (head)"), max_length=150)
    deputy_name = models.CharField(_("running mate (deputy)"), max_length=150)
    parties = models.CharField(_("supporting parties"), max_length=500, blank=True)
    independent = models.BooleanField(_("independent"), default=False)

    class Meta:
        verbose_name = _("candidate pair")
        verbose_name_plural = _("candidate pairs")
        ordering = ["contest", "number"]
        constraints = [models.UniqueConstraint(fields=["contest", "number"], name="pair_unique_number")]

    def __str__(self) -> str:
        return f"{self.number:02d}. {self.head_name} – {self.deputy_name}"


class Stage(VersionedModel):
    """A stage (tahapan) of the election schedule, e.g. the campaign or the quiet period."""

    scope_capability = "elections"
    scope_region_field = "election__region"
    scope_mode = "overlap"

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="stages", verbose_name=_("election"))
    name = models.CharField(_("name"), max_length=200)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    basis = models.CharField(_("legal basis"), max_length=100, blank=True, default="PKPU 2/2024")

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["election", "start", "end", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def status(self) -> str:
        now = today()
        if now < self.start:
            return "upcoming"
        if now > self.end:
            return "done"
        return "current"


class Figure(models.TextChoices):
    TPS = "tps", _("TPS")
    TPS_SPECIAL = "tps_special", _("TPS lokasi khusus")
    DPT = "dpt", _("DPT")
    DPT_MALE = "dpt_male", _("DPT male (L)")
    DPT_FEMALE = "dpt_female", _("DPT female (P)")


class ReferenceFigure(models.Model):
    """A region's figure for an election as a source states it (KPU's plenary, an announcement, an
    estimate), next to what the TPS registry adds up to.

    Several rows for one region and figure are kept on purpose: official sources disagree (Kaltim's
    6,264 TPS on 16 Sep 2024 and 6,274 at the 22 Sep plenary), and the page says so instead of
    picking one. A row is seen only from its source's "as of" date.
    """

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+", verbose_name=_("election"))
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    figure = models.CharField(_("figure"), max_length=12, choices=Figure.choices)
    value = models.BigIntegerField(_("value"))
    source = models.ForeignKey("core.Source", on_delete=models.PROTECT, related_name="+", verbose_name=_("source"))

    class Meta:
        verbose_name = _("reference figure")
        verbose_name_plural = _("reference figures")
        ordering = ["election", "region", "figure", "source__as_of"]
        constraints = [
            models.UniqueConstraint(fields=["election", "region", "figure", "source"], name="reference_figure_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.figure}={self.value}"
