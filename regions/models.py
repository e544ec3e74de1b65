"""The national region tree (Kemendagri) and the polling-station (TPS) registry."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import VersionedModel
from core.scoping import RestrictedQuerySet


class Level(models.IntegerChoices):
    PROVINSI = 1, _("Province")
    KABKOTA = 2, _("Regency/city")
    KECAMATAN = 3, _("District (kecamatan)")
    DESA = 4, _("Village (desa/kelurahan)")


class RegionKind(models.TextChoices):
    PROVINSI = "provinsi", _("Provinsi")
    KABUPATEN = "kabupaten", _("Kabupaten")
    KOTA = "kota", _("Kota")
    KECAMATAN = "kecamatan", _("Kecamatan")
    DESA = "desa", _("Desa")
    KELURAHAN = "kelurahan", _("Kelurahan")


def derive(code: str, name: str) -> tuple[int, str, str | None]:
    """Level, kind and parent code follow from the Kemendagri code itself."""
    parts = code.split(".")
    level = len(parts)
    parent = ".".join(parts[:-1]) or None
    if level == 1:
        kind = RegionKind.PROVINSI
    elif level == 2:
        kind = RegionKind.KOTA if name.startswith("Kota") else RegionKind.KABUPATEN
    elif level == 3:
        kind = RegionKind.KECAMATAN
    else:
        kind = RegionKind.KELURAHAN if parts[3].startswith("1") else RegionKind.DESA
    return level, str(kind), parent


class Region(models.Model):
    """A node of the Kemendagri region tree: provinsi, kabupaten/kota, kecamatan, desa/kelurahan.

    The code is the primary key, so a foreign key to a region *is* its code and subtree filters
    need no join.
    """

    scope_capability = "regions"
    scope_region_field = "code"
    scope_public = True  # the tree itself is public reference data

    objects = RestrictedQuerySet.as_manager()

    code = models.CharField(_("code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=RegionKind.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("parent"),
        db_constraint=False,
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lng = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_village(self) -> bool:
        return self.level == Level.DESA


class SpecialKind(models.TextChoices):
    NONE = "", _("not a special location")
    PRISON = "prison", _("Prison or detention centre")
    COMPANY = "company", _("Company (plantation, mine)")
    CAMPUS = "campus", _("Campus or boarding school")
    HOSPITAL = "hospital", _("Hospital")
    OTHER = "other", _("Other")


class AccessMode(models.TextChoices):
    ROAD = "road", _("Road")
    RIVER = "river", _("River")
    AIR = "air", _("Air")
    FOOT = "foot", _("On foot")


# Indonesia's extent with a margin: 6.5°N..11.5°S, 94.5°E..141.5°E.
LAT_MIN, LAT_MAX, LNG_MIN, LNG_MAX = -11.5, 6.5, 94.5, 141.5


class PollingStation(VersionedModel):
    """TPS (tempat pemungutan suara): a polling station of one election in one desa/kelurahan."""

    scope_capability = "regions"
    scope_region_field = "village"

    election = models.ForeignKey(
        "elections.Election",
        on_delete=models.CASCADE,
        related_name="polling_stations",
        verbose_name=_("election"),
    )
    village = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="polling_stations",
        verbose_name=_("desa/kelurahan"),
        limit_choices_to={"level": Level.DESA},
    )
    number = models.CharField(_("TPS number"), max_length=3, help_text=_('Three digits, e.g. "001".'))
    address = models.CharField(_("address"), max_length=300, blank=True)
    dpt_male = models.PositiveIntegerField(_("DPT male (L)"), default=0)
    dpt_female = models.PositiveIntegerField(_("DPT female (P)"), default=0)
    dpph_expected = models.PositiveIntegerField(_("DPPh expected"), default=0)
    dptb_expected = models.PositiveIntegerField(_("DPTb expected"), default=0)
    lat = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(LAT_MIN), MaxValueValidator(LAT_MAX)],
    )
    lng = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(LNG_MIN), MaxValueValidator(LNG_MAX)],
    )
    access_mode = models.CharField(_("access mode"), max_length=5, choices=AccessMode.choices, default=AccessMode.ROAD)
    travel_minutes = models.PositiveIntegerField(_("travel time from the kecamatan (minutes)"), null=True, blank=True)
    special_location = models.BooleanField(
        _("lokasi khusus"),
        default=False,
        help_text=_("TPS at a special location: prison, plantation, mine, etc."),
    )
    special_kind = models.CharField(
        _("kind of special location"), max_length=10, choices=SpecialKind.choices, blank=True
    )
    # Where the row's figures come from when no user entered them (the demo's illustrative spread);
    # empty for a TPS entered or imported by a user.
    source = models.ForeignKey(
        "core.Source", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("source")
    )

    class Meta:
        verbose_name = _("TPS")
        verbose_name_plural = _("TPS")
        ordering = ["village_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "village", "number"], name="tps_unique_number_in_village")
        ]
        indexes = [
            models.Index(fields=["election", "village"]),
            # "is any TPS of this region illustrative?" is one index range
            models.Index(fields=["election", "source", "village"], name="tps_source_idx"),
        ]

    def __str__(self) -> str:
        return f"TPS {self.number} {self.village.name if self.village_id else ''}".strip()

    @property
    def dpt(self) -> int:
        return self.dpt_male + self.dpt_female

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("regions:tps_detail", args=[self.pk])


class RegionSummary(models.Model):
    """TPS and DPT totals of one election over one region's subtree, kept by ``regions.summaries``.

    One row per election × region that has TPS, at every level: the nation (level 0, code ""),
    provinsi, kabupaten/kota, kecamatan and desa/kelurahan. Pages read these rows instead of
    aggregating the registry per request; ``check_summaries`` recomputes them from scratch.
    """

    election = models.ForeignKey(
        "elections.Election", on_delete=models.CASCADE, related_name="region_summaries", verbose_name=_("election")
    )
    region_code = models.CharField(_("region code"), max_length=13, blank=True)
    level = models.PositiveSmallIntegerField(_("level"))
    tps = models.PositiveIntegerField(_("TPS"), default=0)
    dpt_male = models.BigIntegerField(_("DPT male (L)"), default=0)
    dpt_female = models.BigIntegerField(_("DPT female (P)"), default=0)
    dpph = models.BigIntegerField(_("DPPh expected"), default=0)
    dptb = models.BigIntegerField(_("DPTb expected"), default=0)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("region summary")
        verbose_name_plural = _("region summaries")
        constraints = [
            models.UniqueConstraint(fields=["election", "level", "region_code"], name="region_summary_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.election_id} {self.region_code or '-'}"
