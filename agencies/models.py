"""Agencies of the desk, who works for them, in which role and region; and the audit log."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

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
    KPPS = scoping.KPPS, _("KPPS (polling station committee)")
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
    region = models.ForeignKey(
        "regions.Region",
        on_delete=models.PROTECT,
        verbose_name=_("region"),
        related_name="+",
        help_text=_("The agency's seat, e.g. the kabupaten of a KPU Kabupaten."),
    )
    jurisdiction = models.JSONField(
        _("jurisdiction"),
        default=list,
        blank=True,
        help_text=_(
            "Region codes the agency covers when that is not its region's subtree, e.g. Polres Bontang: "
            "64.74, 64.02.05, 64.02.17. Empty: the region's subtree."
        ),
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["region_id", "kind", "name"]

    @classmethod
    def scope_q(cls, user: Any, action: str) -> models.Q | None:
        """Agencies seated in or above the user's scope, and (to read) those whose jurisdiction
        reaches into it: the Kukar desk sees Polres Bontang, which covers two Kukar kecamatan."""
        q = scoping.default_scope_q(cls, user, action)
        if q is None or q is scoping.NOTHING or action != scoping.VIEW:
            return q
        scopes = [s for s in scoping.grants(user, cls.scope_capability, action) if s]
        reaching = [
            pk
            for pk, codes in cls.objects.exclude(jurisdiction=[]).values_list("pk", "jurisdiction")
            if any(scoping.in_subtree(c, s) or scoping.in_subtree(s, c) for c in codes for s in scopes)
        ]
        return q | models.Q(pk__in=reaching) if reaching else q

    def __str__(self) -> str:
        return self.name

    @property
    def area_codes(self) -> tuple[str, ...]:
        """The region codes whose subtrees the agency covers: its jurisdiction, else its region."""
        return tuple(self.jurisdiction) if self.jurisdiction else (str(self.region_id),)

    def covers(self, code: str) -> bool:
        return any(scoping.in_subtree(code, c) for c in self.area_codes)

    def clean(self) -> None:
        errors = jurisdiction_errors(self.jurisdiction)
        if errors:
            raise ValidationError({"jurisdiction": errors})


def jurisdiction_errors(codes: object) -> list[Any]:
    """What is wrong with a jurisdiction: not a list of codes, unknown codes, overlaps."""
    from regions.models import Region

    if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
        return [_("The jurisdiction is a list of region codes.")]
    errors: list[Any] = []
    known = set(Region.objects.filter(code__in=codes).values_list("code", flat=True))
    for code in codes:
        if code not in known:
            errors.append(_("“%(code)s” is not a known region code.") % {"code": code})
    if len(set(codes)) != len(codes):
        errors.append(_("A region code appears twice in the jurisdiction."))
    for a in codes:
        for b in codes:
            if a != b and scoping.in_subtree(a, b):
                errors.append(_("%(inner)s already lies inside %(outer)s.") % {"inner": a, "outer": b})
    return errors


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
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region scope"),
        help_text=_("The region subtree this person covers, inside the agency's jurisdiction. Empty: all of it."),
    )
    title = models.CharField(_("position"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="membership_unique_user_agency")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.agency} ({self.role})"

    @classmethod
    def scope_q(cls, user: Any, action: str) -> models.Q | None:
        """Memberships inside the user's scopes; one covering a whole jurisdiction (no scope) is
        seen where its agency sits."""
        scopes = scoping.grants(user, "agencies", action)
        if None in scopes:
            return None
        q = scoping.NOTHING
        for code in scopes:
            assert code is not None
            q = (
                q
                | scoping.subtree_q("scope", code)
                | (models.Q(scope__isnull=True) & scoping.subtree_q("agency__region", code))
            )
        return q

    @property
    def scope_codes(self) -> tuple[str, ...]:
        """The region codes this membership covers: its scope, or the agency's whole area."""
        return (str(self.scope_id),) if self.scope_id else self.agency.area_codes

    def clean(self) -> None:
        # A membership cannot reach beyond its agency: KPU Kukar staff cannot be scoped to Samarinda.
        if self.scope_id and self.agency_id and not self.agency.covers(str(self.scope_id)):
            raise ValidationError(
                {
                    "scope": _("The scope must lie inside the agency's jurisdiction (%(codes)s).")
                    % {"codes": ", ".join(self.agency.area_codes)}
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
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

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
        """The live token with this key; a revoked token no longer opens anything."""
        return cls.objects.select_related("user").filter(key_hash=_hash(key), revoked_at__isnull=True).first()
