"""Grants (hibah) of an election: the grant agreements (NPHD) a Pemda signs with each recipient
agency (KPU, Bawaslu, Polri, TNI), their tranches, the recipients' realisation reports and the
figures sources quote for them.

Amounts are whole rupiah. Totals (agreed, planned, disbursed, spent, returned, remaining) are never
stored: ``budget.selectors`` derives them with aggregates. Each record exists from its own date
(an agreement from its signing, a disbursement from its day, a report from its submission) and is
shown only from then on.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import dates
from core.models import VersionedModel
from core.scoping import RestrictedQuerySet


class Agreement(VersionedModel):
    """One grant agreement (NPHD) of a Pemda with one recipient agency, or an addendum of one."""

    scope_capability = "budget"
    scope_region_field = "region"
    scope_mode = "overlap"  # a kecamatan office, or Polres Bontang reaching into Kukar, reads Kukar's grants

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("granting region")
    )
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("recipient")
    )
    number = models.CharField(_("agreement number"), max_length=120)
    signed_on = models.DateField(_("signed on"))
    amount = models.PositiveBigIntegerField(_("amount (rupiah)"))
    purpose = models.CharField(_("purpose"), max_length=300)
    budget_source = models.CharField(_("budget source"), max_length=120, blank=True)
    amends = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("addendum of"),
    )
    lpj_due = models.DateField(_("LPJ due"), null=True, blank=True)
    source = models.ForeignKey(
        "core.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("source")
    )
    lpj_source = models.ForeignKey(
        "core.Source",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("source of the LPJ due date"),
    )

    class Meta:
        verbose_name = _("grant agreement")
        verbose_name_plural = _("grant agreements")
        ordering = ["signed_on", "id"]
        constraints = [models.UniqueConstraint(fields=["election", "region", "number"], name="budget_agreement_number")]
        indexes = [models.Index(fields=["election", "region"], name="budget_agreement_region")]

    def __str__(self) -> str:
        return f"NPHD {self.number}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("budget:agreement", args=[self.pk])


class Tranche(VersionedModel):
    """One planned payment of an agreement and, once paid, when and how much was disbursed."""

    scope_capability = "budget"
    scope_region_field = "agreement__region"
    scope_mode = "overlap"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="tranches")
    number = models.PositiveSmallIntegerField(_("tranche"), editable=False)
    planned_on = models.DateField(_("planned on"))
    planned_amount = models.PositiveBigIntegerField(_("planned amount (rupiah)"))
    disbursed_on = models.DateField(_("disbursed on"), null=True, blank=True)
    disbursed_amount = models.PositiveBigIntegerField(_("disbursed amount (rupiah)"), null=True, blank=True)
    source = models.ForeignKey(
        "core.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("source")
    )

    class Meta:
        verbose_name = _("tranche")
        verbose_name_plural = _("tranches")
        ordering = ["agreement", "number"]
        constraints = [models.UniqueConstraint(fields=["agreement", "number"], name="budget_tranche_number")]

    def __str__(self) -> str:
        return f"NPHD {self.agreement_id} tranche {self.number}"


class Category(models.TextChoices):
    HONORARIUM = "honorarium", _("Honorarium")
    OPERATIONAL = "operational", _("Operational")
    LOGISTICS = "logistics", _("Logistics")
    OUTREACH = "outreach", _("Outreach (sosialisasi)")
    SECURITY = "security", _("Security operations")
    OTHER = "other", _("Other")


class Realisation(models.Model):
    """A recipient's report on what it spent of an agreement up to a day (its period), by category,
    and what it returned; the final one is the LPJ (laporan pertanggungjawaban)."""

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "budget_realisation"
    scope_region_field = "agreement__region"
    scope_mode = "overlap"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="realisations")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    period_end = models.DateField(_("spending up to"))
    submitted_on = models.DateField(_("submitted on"))
    returned = models.PositiveBigIntegerField(_("returned to the regional treasury (rupiah)"), default=0)
    final = models.BooleanField(_("final report (LPJ)"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    source = models.ForeignKey(
        "core.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("source")
    )
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=dates.stamp)
    client_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("realisation report")
        verbose_name_plural = _("realisation reports")
        ordering = ["agreement", "period_end", "id"]

    def __str__(self) -> str:
        return f"NPHD {self.agreement_id} report to {self.period_end.isoformat()}"


class Line(models.Model):
    """What a realisation report spent in one category."""

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "budget_realisation"
    scope_region_field = "realisation__agreement__region"
    scope_mode = "overlap"

    realisation = models.ForeignKey(Realisation, on_delete=models.CASCADE, related_name="lines")
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    amount = models.PositiveBigIntegerField(_("spent (rupiah)"))

    class Meta:
        verbose_name = _("spending line")
        verbose_name_plural = _("spending lines")
        ordering = ["realisation", "id"]
        constraints = [models.UniqueConstraint(fields=["realisation", "category"], name="budget_line_category")]

    def __str__(self) -> str:
        return f"{self.category} {self.amount}"


class Document(models.Model):
    """A document of a realisation report (receipts, the LPJ itself), checked for what it is
    (``core.documents``) and served as a download to those who read the grant."""

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "budget_realisation"
    scope_region_field = "realisation__agreement__region"
    scope_mode = "overlap"

    realisation = models.ForeignKey(Realisation, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("file"), upload_to="budget/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=dates.stamp)

    class Meta:
        verbose_name = _("grant document")
        verbose_name_plural = _("grant documents")

    def __str__(self) -> str:
        return f"document {self.pk} of report {self.realisation_id}"


class CitedFigure(models.Model):
    """An amount a source quotes for one agreement, or for a region's whole grant (no agreement),
    kept beside the recorded figure: where they differ, both are shown with the difference."""

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "budget"
    scope_region_field = "region"
    scope_mode = "overlap"

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("agreement")
    )
    amount = models.PositiveBigIntegerField(_("amount quoted (rupiah)"))
    label = models.CharField(_("what is quoted"), max_length=200)
    source = models.ForeignKey("core.Source", on_delete=models.PROTECT, related_name="+", verbose_name=_("source"))

    class Meta:
        verbose_name = _("cited figure")
        verbose_name_plural = _("cited figures")
        ordering = ["region", "id"]

    def __str__(self) -> str:
        return f"{self.label}: {self.amount}"

    @property
    def cited_on(self) -> Any:
        return self.source.as_of
