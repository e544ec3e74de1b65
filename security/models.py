"""Security: how vulnerable each TPS is (Bawaslu's indicator-based mapping), the regional IKP,
Polri's guard (its own TPS categories, patterns, the force pool), the daily situation per
kecamatan and the incident log.

Bawaslu's assessment and Polri's category are different judgements made by different bodies for
different ends; both are kept, side by side, and neither is derived from the other.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core import dates
from core.models import VersionedModel
from core.scoping import RestrictedQuerySet


class Category(models.TextChoices):
    """A TPS's vulnerability category, Bawaslu's and Polri's alike (ordered from least guarded)."""

    KURANG_RAWAN = "kurang_rawan", _("Kurang rawan")
    RAWAN = "rawan", _("Rawan")
    SANGAT_RAWAN = "sangat_rawan", _("Sangat rawan")
    KHUSUS = "khusus", _("Khusus (lokasi khusus)")


class Scheme(VersionedModel):
    """How an election's TPS assessments are scored: the weights an indicator may carry and the
    score from which a TPS is rawan or sangat rawan. A TPS at a lokasi khusus is "khusus" whatever
    its score. Changing it re-scores every current assessment."""

    scope_capability = "security"
    scope_region_field = "election__region"
    scope_mode = "overlap"

    election = models.OneToOneField(
        "elections.Election", on_delete=models.CASCADE, related_name="+", verbose_name=_("election")
    )
    weight_min = models.PositiveSmallIntegerField(_("lowest weight"), default=1)
    weight_max = models.PositiveSmallIntegerField(_("highest weight"), default=5)
    rawan_from = models.PositiveIntegerField(
        _("rawan from score"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("A lower score is kurang rawan."),
    )
    sangat_rawan_from = models.PositiveIntegerField(
        _("sangat rawan from score"), default=8, validators=[MinValueValidator(1)]
    )
    source = models.ForeignKey(
        "core.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("source")
    )

    class Meta:
        verbose_name = _("scoring scheme")
        verbose_name_plural = _("scoring schemes")

    def __str__(self) -> str:
        return str(_("Scoring of %(election)s") % {"election": self.election})

    def category(self, score: int, special: bool) -> str:
        if special:
            return Category.KHUSUS
        if score >= self.sangat_rawan_from:
            return Category.SANGAT_RAWAN
        if score >= self.rawan_from:
            return Category.RAWAN
        return Category.KURANG_RAWAN


class Variable(models.Model):
    """One of the election's vulnerability variables, e.g. "(3) Politik uang"."""

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "security"
    scope_region_field = "election__region"
    scope_mode = "overlap"

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("vulnerability variable")
        verbose_name_plural = _("vulnerability variables")
        ordering = ["election", "number"]
        constraints = [models.UniqueConstraint(fields=["election", "number"], name="security_variable_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"


class Indicator(VersionedModel):
    """An observable sign under a variable, with the weight it adds to a TPS's score."""

    scope_capability = "security"
    scope_region_field = "variable__election__region"
    scope_mode = "overlap"

    variable = models.ForeignKey(Variable, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=10, help_text=_('e.g. "3.2"'))
    name = models.CharField(_("indicator"), max_length=300)
    weight = models.PositiveSmallIntegerField(_("weight"))
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["variable__number", "code"]
        constraints = [models.UniqueConstraint(fields=["variable", "code"], name="security_indicator_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Assessment(models.Model):
    """Bawaslu's (or the Panwascam's) reading of one TPS on one day: which indicators apply.

    A reassessment is a new row; the previous one stays as history (``current`` False). The score
    and category are kept on the row (re-scored when the scheme or a weight changes) so that maps
    and counts at national volume read columns, not joins.
    """

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "security"
    scope_region_field = "village"

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    tps = models.ForeignKey("regions.PollingStation", on_delete=models.CASCADE, related_name="+", verbose_name=_("TPS"))
    village = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("desa/kelurahan")
    )
    observed_on = models.DateField(_("observed on"))
    indicators = models.ManyToManyField(Indicator, blank=True, related_name="+", verbose_name=_("indicators"))
    note = models.TextField(_("note"), blank=True)
    evidence = models.CharField(
        _("evidence"), max_length=500, blank=True, help_text=_("What was seen or the document it rests on.")
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessor_name = models.CharField(_("assessor"), max_length=150)
    agency = models.ForeignKey(
        "agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("agency")
    )
    score = models.PositiveIntegerField(_("score"), default=0)
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    current = models.BooleanField(_("current"), default=True)
    created_at = models.DateTimeField(_("entered at"), default=dates.stamp)
    source = models.ForeignKey(
        "core.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("source")
    )
    client_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("TPS assessment")
        verbose_name_plural = _("TPS assessments")
        ordering = ["-observed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["tps"], condition=Q(current=True), name="security_one_current_assessment")
        ]
        # the current assessments of a region: one range of the index (a partial index, because
        # the ORM writes "current = true" as a bare column, which no ordinary index column serves)
        indexes = [
            models.Index(fields=["election", "village"], condition=Q(current=True), name="security_assessment_current")
        ]

    def __str__(self) -> str:
        return str(_("Assessment of %(tps)s on %(day)s") % {"tps": self.tps, "day": self.observed_on})


IKP_DIMENSIONS = [
    ("sosial_politik", _("Konteks sosial-politik")),
    ("penyelenggaraan", _("Penyelenggaraan pemilu")),
    ("kontestasi", _("Kontestasi")),
    ("partisipasi", _("Partisipasi")),
]


class IkpBand(models.TextChoices):
    RENDAH = "rendah", _("Rawan rendah")
    SEDANG = "sedang", _("Rawan sedang")
    TINGGI = "tinggi", _("Rawan tinggi")


class RegionalIndex(VersionedModel):
    """Bawaslu's Indeks Kerawanan Pemilu (IKP) of a kabupaten/kota or provinsi, as published."""

    scope_capability = "security"
    scope_region_field = "region"
    scope_mode = "overlap"

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region"))
    score = models.DecimalField(
        _("IKP score"), max_digits=5, decimal_places=2, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    band = models.CharField(_("band"), max_length=6, choices=IkpBand.choices)
    dimensions = models.JSONField(_("score per dimension"), default=dict, blank=True)
    rank = models.CharField(_("rank"), max_length=100, blank=True, help_text=_('e.g. "1st in Kalimantan Timur"'))
    published_on = models.DateField(_("published on"))
    source = models.ForeignKey("core.Source", on_delete=models.PROTECT, related_name="+", verbose_name=_("source"))

    class Meta:
        verbose_name = _("regional IKP")
        verbose_name_plural = _("regional IKP")
        ordering = ["region_id", "-published_on"]

    def __str__(self) -> str:
        return f"IKP {self.region_id} {self.score}"

    def dimension_rows(self) -> list[tuple[Any, float]]:
        """(dimension, score) for the dimensions published, in the IKP's order."""
        return [(label, self.dimensions[key]) for key, label in IKP_DIMENSIONS if key in (self.dimensions or {})]


class Pattern(VersionedModel):
    """A guard pattern, written Polri–TPS–Linmas: ``polri`` officers and ``linmas`` guards for every
    ``tps`` TPS of a category (sangat rawan 2-1-2: two officers and two Linmas at one TPS). Set per
    Polres; a pattern without a Polres is the election's default."""

    scope_capability = "security_deployment"
    scope_region_field = "election__region"
    scope_mode = "overlap"

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("Polres"),
        help_text=_("Empty: the election's default."),
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    polri = models.PositiveSmallIntegerField(_("Polri"))
    tps = models.PositiveSmallIntegerField(_("TPS"))
    linmas = models.PositiveSmallIntegerField(_("Linmas"))
    source = models.ForeignKey(
        "core.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("source")
    )

    class Meta:
        verbose_name = _("guard pattern")
        verbose_name_plural = _("guard patterns")
        ordering = ["election", "agency", "category"]
        constraints = [
            models.UniqueConstraint(fields=["election", "agency", "category"], name="security_pattern_unique"),
            models.UniqueConstraint(
                fields=["election", "category"], condition=Q(agency__isnull=True), name="security_pattern_default"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} {self.polri}-{self.tps}-{self.linmas}"


class ForcePool(VersionedModel):
    """The personnel a Polres has for the polling: at its headquarters (no kecamatan) or at one
    Polsek (the kecamatan it covers), with what the TNI and the Linmas of that area add."""

    scope_capability = "security_deployment"
    scope_region_field = "region"

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+", verbose_name=_("Polres"))
    unit = models.CharField(_("unit"), max_length=100, help_text=_('e.g. "Polsek Sebulu" or "Polres (cadangan)"'))
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("area"),
        help_text=_("The kecamatan a Polsek covers; the Polres's seat for its headquarters."),
    )
    organic = models.PositiveIntegerField(_("Polri (organic)"), default=0)
    bko = models.PositiveIntegerField(_("BKO (reinforcement)"), default=0)
    brimob = models.PositiveIntegerField(_("Brimob"), default=0)
    urc_platoons = models.PositiveSmallIntegerField(_("URC platoons (reserve)"), default=0)
    tni = models.PositiveIntegerField(_("TNI"), default=0)
    linmas = models.PositiveIntegerField(_("Linmas"), default=0)
    source = models.ForeignKey(
        "core.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("source")
    )

    class Meta:
        verbose_name = _("force pool")
        verbose_name_plural = _("force pools")
        ordering = ["agency", "region_id", "unit"]
        constraints = [models.UniqueConstraint(fields=["election", "agency", "unit"], name="security_pool_unique")]

    def __str__(self) -> str:
        return self.unit

    @property
    def polri(self) -> int:
        """Officers who can stand at a TPS: organic, BKO and Brimob (the URC platoons stay in reserve)."""
        return self.organic + self.bko + self.brimob


class TpsGuard(VersionedModel):
    """Polri's own category for a TPS and the guard assigned to it."""

    scope_capability = "security_deployment"
    scope_region_field = "village"

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    tps = models.OneToOneField(
        "regions.PollingStation", on_delete=models.CASCADE, related_name="+", verbose_name=_("TPS")
    )
    village = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    category = models.CharField(_("Polri category"), max_length=12, choices=Category.choices)
    unit = models.CharField(_("guarding unit"), max_length=100, blank=True)
    polri = models.PositiveSmallIntegerField(_("Polri"), default=0)
    tni = models.PositiveSmallIntegerField(_("TNI"), default=0)
    linmas = models.PositiveSmallIntegerField(_("Linmas"), default=0)
    names = models.CharField(_("names of the guard"), max_length=300, blank=True)
    source = models.ForeignKey(
        "core.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("source")
    )

    class Meta:
        verbose_name = _("TPS guard")
        verbose_name_plural = _("TPS guards")
        indexes = [models.Index(fields=["election", "village"], name="security_guard_region")]

    def __str__(self) -> str:
        return str(_("Guard of %(tps)s") % {"tps": self.tps})


class Situation(models.TextChoices):
    AMAN = "aman", _("Aman")
    WASPADA = "waspada", _("Waspada")
    SIAGA = "siaga", _("Siaga")


class SituationStatus(models.Model):
    """The day's situation in a kecamatan, as its Polsek, Koramil or camat set it; the latest of
    the day counts, the earlier ones stay as history."""

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "security_status"
    scope_region_field = "region"
    scope_mode = "overlap"

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("kecamatan")
    )
    day = models.DateField(_("day"))
    level = models.CharField(_("status"), max_length=8, choices=Situation.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    agency = models.ForeignKey("agencies.Agency", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    set_by_name = models.CharField(max_length=150, blank=True)
    set_at = models.DateTimeField(_("set at"), default=dates.stamp)
    source = models.ForeignKey(
        "core.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("source")
    )

    class Meta:
        verbose_name = _("situation status")
        verbose_name_plural = _("situation statuses")
        ordering = ["-day", "-set_at", "-id"]
        indexes = [models.Index(fields=["election", "day", "region"], name="security_situation_day")]

    def __str__(self) -> str:
        return f"{self.region_id} {self.day} {self.level}"


class IncidentKind(models.TextChoices):
    VIOLENCE = "violence", _("Violence")
    INTIMIDATION = "intimidation", _("Intimidation")
    MONEY = "money", _("Money politics")
    SARA = "sara", _("SARA, hate speech or hoax")
    LOGISTICS = "logistics", _("Damage to logistics")
    DISASTER = "disaster", _("Disaster or flood")
    NEUTRALITY = "neutrality", _("Neutrality")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class IncidentStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    VERIFIED = "verified", _("Verified")
    HANDLED = "handled", _("Handled")
    CLOSED = "closed", _("Closed")


class Incident(VersionedModel):
    """A kejadian: what happened, where and when, who reported it, and how it was followed up."""

    scope_capability = "security_incidents"
    scope_region_field = "region"

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=IncidentKind.choices)
    severity = models.CharField(_("severity"), max_length=6, choices=Severity.choices)
    occurred_at = models.DateTimeField(_("when it happened"))
    region = models.ForeignKey(
        "regions.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("desa/kelurahan or kecamatan")
    )
    tps = models.ForeignKey(
        "regions.PollingStation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("TPS"),
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)
    title = models.CharField(_("what happened (short)"), max_length=200)
    description = models.TextField(_("description"))
    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reported by (agency)"),
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reporter_name = models.CharField(_("reported by"), max_length=150, blank=True)
    reported_at = models.DateTimeField(_("reported at"), default=dates.stamp)
    status = models.CharField(
        _("status"), max_length=10, choices=IncidentStatus.choices, default=IncidentStatus.REPORTED
    )
    status_note = models.CharField(_("latest follow-up"), max_length=500, blank=True)
    referred_at = models.DateTimeField(_("referred to Bawaslu at"), null=True, blank=True)
    referred_by_name = models.CharField(_("referred by"), max_length=150, blank=True)
    referral_note = models.CharField(_("referral note"), max_length=500, blank=True)
    source = models.ForeignKey(
        "core.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("source")
    )
    client_id = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["election", "region", "occurred_at"], name="security_incident_region")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("security:incident", args=[self.pk])


class IncidentStep(models.Model):
    """One step of an incident's follow-up: who moved it to which status, when and why."""

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "security_incidents"
    scope_region_field = "incident__region"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(_("status"), max_length=10, choices=IncidentStatus.choices)
    at = models.DateTimeField(_("when"), default=dates.stamp)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    by_name = models.CharField(_("by"), max_length=150, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("incident step")
        verbose_name_plural = _("incident steps")
        ordering = ["incident", "at", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.status}"


class IncidentPhoto(models.Model):
    """A photo of an incident, checked for what it is (``core.documents``), kept private and served
    only to the incident's readers, always as a download."""

    objects = RestrictedQuerySet.as_manager()
    scope_capability = "security_incidents"
    scope_region_field = "incident__region"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("file"), upload_to="incidents/%Y/%m/")
    filename = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), default=dates.stamp)

    class Meta:
        verbose_name = _("incident photo")
        verbose_name_plural = _("incident photos")

    def __str__(self) -> str:
        return self.filename
