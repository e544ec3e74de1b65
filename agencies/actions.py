"""The write path for agencies, memberships and API tokens, each audited.

The Desk Pilkada admin (agency kind desk, role admin) sets up the desk in their area: the agencies,
their jurisdictions and the people who work for them. Everyone manages their own API tokens; the
Desk admin may revoke the tokens of people in their area.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, ApiToken, Membership
from core import audit, scoping
from core.actions import update_versioned

AGENCY_FIELDS = ["name", "kind", "region", "jurisdiction"]
MEMBERSHIP_FIELDS = ["user", "agency", "role", "scope", "title", "active"]


def may_manage(actor: Any, codes: tuple[str, ...] | list[str]) -> bool:
    """May ``actor`` manage records covering all of ``codes`` (agencies and memberships)?"""
    return all(scoping.can(actor, "agencies", scoping.MANAGE, c) for c in codes)


def _area(region: Any, jurisdiction: list[str]) -> tuple[str, ...]:
    return tuple(jurisdiction) if jurisdiction else (str(getattr(region, "pk", region)),)


# --- agencies --------------------------------------------------------------------------------


def create_agency(actor: Any, data: dict[str, Any]) -> Agency:
    agency = Agency(**data)
    agency.jurisdiction = list(agency.jurisdiction or [])
    if actor is not None and not may_manage(actor, (str(agency.region_id), *agency.jurisdiction)):
        raise PermissionDenied(_("You may not set up agencies in this area."))
    agency.full_clean()
    with transaction.atomic():
        agency.save()
        audit.created(actor, "agency.create", agency, AGENCY_FIELDS)
    return agency


def update_agency(actor: Any, agency: Agency, data: dict[str, Any], expected_version: int) -> Agency:
    region = data.get("region", agency.region)
    jurisdiction = list(data.get("jurisdiction", agency.jurisdiction) or [])
    if actor is not None and not (
        may_manage(actor, (str(agency.region_id), *agency.area_codes))
        and may_manage(actor, (str(region.pk), *_area(region, jurisdiction)))
    ):
        raise PermissionDenied(_("You may not change agencies in this area."))
    if "jurisdiction" in data:
        data = {**data, "jurisdiction": jurisdiction}
    with transaction.atomic():
        updated: Agency = update_versioned(actor, agency, data, expected_version, "agency.update")  # type: ignore[assignment]
        # Memberships scoped where the agency no longer reaches would grant access it does not have.
        stranded = [
            m.scope_id
            for m in updated.memberships.filter(active=True, scope__isnull=False)
            if not updated.covers(str(m.scope_id))
        ]
        if stranded:
            raise ValidationError(
                {
                    "jurisdiction": _("Members are still scoped outside the new jurisdiction: %(codes)s.")
                    % {"codes": ", ".join(sorted(set(map(str, stranded))))}
                }
            )
    return updated


# --- memberships -----------------------------------------------------------------------------


def _scope_codes(agency: Agency, scope: Any) -> tuple[str, ...]:
    return (str(scope.pk),) if scope is not None else agency.area_codes


def add_member(
    actor: Any,
    agency: Agency,
    data: dict[str, Any],
    *,
    username: str,
    password: str = "",
    first_name: str = "",
    last_name: str = "",
    email: str = "",
) -> Membership:
    """Give a person a role in ``agency``, creating their account when the username is new.

    The Desk admin sets people up: a new account gets the initial password given here.
    """
    scope = data.get("scope")
    if actor is not None and not may_manage(actor, _scope_codes(agency, scope)):
        raise PermissionDenied(_("You may not add members in this area."))
    User = get_user_model()
    username = username.strip()
    user = User.objects.filter(username=username).first()
    errors: dict[str, list[str]] = {}
    if not username:
        errors["username"] = [_("Give the person a username.")]
    elif user is None:
        if not password:
            errors["password"] = [_("A new account needs an initial password.")]
        else:
            probe = User(username=username, first_name=first_name, last_name=last_name, email=email)
            try:
                validate_password(password, probe)
            except ValidationError as e:
                errors["password"] = list(e.messages)
    elif Membership.objects.filter(user=user, agency=agency).exists():
        errors["username"] = [
            _("%(user)s is already a member of %(agency)s; edit that membership instead.")
            % {"user": username, "agency": agency.name}
        ]
    if errors:
        raise ValidationError(errors)
    membership = Membership(agency=agency, **data)
    with transaction.atomic():
        if user is None:
            user = User(username=username, first_name=first_name, last_name=last_name, email=email)
            user.set_password(password)
            user.full_clean()
            user.save()
            audit.record(actor, "user.create", user, {"username": [None, username]})
        membership.user = user
        membership.full_clean()
        membership.save()
        audit.created(actor, "membership.create", membership, MEMBERSHIP_FIELDS)
    return membership


def update_membership(actor: Any, membership: Membership, data: dict[str, Any], expected_version: int) -> Membership:
    """Change a member's role, scope, title or deactivate them (``active`` False)."""
    agency = membership.agency
    new_scope = data.get("scope", membership.scope)
    if actor is not None and not (
        may_manage(actor, membership.scope_codes) and may_manage(actor, _scope_codes(agency, new_scope))
    ):
        raise PermissionDenied(_("You may not change members in this area."))
    if actor is not None and membership.user_id == actor.pk and data.get("active") is False:
        raise ValidationError({"active": _("You cannot deactivate your own membership.")})
    return update_versioned(actor, membership, data, expected_version, "membership.update")  # type: ignore[return-value]


# --- API tokens ------------------------------------------------------------------------------


def issue_token(actor: Any, name: str) -> tuple[ApiToken, str]:
    """A new token for the actor; the plain key is returned once and never stored."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Name the token after what will use it, e.g. “SIREKAP sync”.")})
    if len(name) > 100:
        raise ValidationError({"name": _("Keep the name under 100 characters.")})
    if ApiToken.objects.filter(user=actor, name=name, revoked_at__isnull=True).exists():
        raise ValidationError({"name": _("You already have a live token with this name.")})
    with transaction.atomic():
        token, key = ApiToken.issue(actor, name)
        audit.record(actor, "token.issue", token, {"name": [None, name], "prefix": [None, token.prefix]})
    return token, key


def may_revoke(actor: Any, token: ApiToken) -> bool:
    """The owner, a superuser, or a Desk admin covering one of the owner's memberships."""
    if actor is None or token.user_id == actor.pk or actor.is_superuser:
        return True
    owner_memberships = Membership.objects.filter(user_id=token.user_id, active=True).select_related("agency")
    return any(may_manage(actor, m.scope_codes) for m in owner_memberships)


def revoke_token(actor: Any, token: ApiToken) -> ApiToken:
    if not may_revoke(actor, token):
        raise PermissionDenied(_("You may not revoke this token."))
    with transaction.atomic():
        # compare-and-set: two revocations at once record one change
        now = timezone.now()
        if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now) != 1:
            raise ValidationError(_("This token was already revoked."))
        token.revoked_at = now
        audit.record(actor, "token.revoke", token, {"revoked_at": [None, now.isoformat()]})
    return token
