"""Agencies of the desk, who works for them, in which role and region; and the audit log."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import scoping
from core.models import VersionedModel


class AgencyKind(models.TextChoices):
    DESK = scoping.DESK, _("Desk Pilkada / Pemda")
    KPU = scoping.KPU, _("KPU (election commission)")
    PPK = scoping.PPK, _("PPK (kecamatan election committee)")
    PPS = scoping.PPS, _("PPS (desa election committee)")
    BAWASLU = scoping.BAWASLU, _("Bawaslu (election supervisors)")
    POLRI = scoping.POLRI, _("Polri (police)")
    TNI = scoping.TNI, _("TNI (armed forces)")
    KEJAKSAAN = scoping.KEJAKSAAN, _("Kejaksaan (prosecutors)")
    DPRD = scoping.DPRD, _("DPRD (regional parliament)")
    KECAMATAN = scoping.KECAMATAN, _("Kecamatan office (camat)")
    DESA = scoping.DESA, _("Desa/kelurahan office")


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    OPERATOR = "operator", _("Operator")
    ADMIN = "admin", _("Admin")


class Agency(VersionedModel):
    """An institution taking part in the desk, e.g. "KPU Kabupaten Kutai Kartanegara"."""

    scope_capability = "agencies"
    scope_region_field = "region"
    scope_mode = "overlap"

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    region = models.ForeignKey("regions.Region", on_delete=models.PROTECT, verbose_name=_("region"), related_name="+")

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["region_id", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class Membership(VersionedModel):
    """A person's place in an agency: their role and the part of the region tree they cover.

    A camat is an admin of the kecamatan office scoped to that kecamatan; a KPU Kukar logistics
    operator is an operator of KPU Kukar scoped to the whole kabupaten.
    """

    scope_capability = "agencies"
    scope_region_field = "scope"
    scope_mode = "subtree"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("agency"))
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.VIEWER)
    scope = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region scope"),
        help_text=_("The region subtree this person covers; inside the agency's region."),
    )
    title = models.CharField(_("position"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="membership_unique_user_agency")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency} ({self.role})"

    @property
    def scope_code(self) -> str:
        return str(self.scope_id)

    def clean(self) -> None:
        # A membership cannot reach beyond its agency: KPU Kukar staff cannot be scoped to Samarinda.
        if self.scope_id and self.agency_id and not scoping.in_subtree(str(self.scope_id), str(self.agency.region_id)):
            raise ValidationError(
                {
                    "scope": _("The scope must lie inside the agency's region (%(code)s).")
                    % {"code": self.agency.region_id}
                }
            )


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    """A token for an integration to call the API as a user (same scoping as the UI)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(max_length=8, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @classmethod
    def issue(cls, user: object, name: str) -> tuple[ApiToken, str]:
        """Create a token; the plain key is returned once and only its hash is stored."""
        key = "snrg_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, key_hash=_hash(key), prefix=key[5:13])
        return token, key

    @classmethod
    def lookup(cls, key: str) -> ApiToken | None:
        return cls.objects.select_related("user").filter(key_hash=_hash(key)).first()
