"""Shared machinery for action functions (the one write path).

Each app's ``actions.py`` validates, writes and records the audit row in one transaction;
this module holds what they share: the error types and the versioned update.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit


class ConcurrentEditError(ValidationError):
    """Someone else saved the record after this user opened it."""


def update_versioned(
    actor: Any,
    obj: models.Model,
    data: dict[str, Any],
    expected_version: int,
    action: str,
) -> models.Model:
    """Apply ``data`` to ``obj`` if nobody changed it since ``expected_version``.

    A compare-and-set UPDATE: two editors who both opened version 3 cannot both save.
    """
    model = type(obj)
    with transaction.atomic():
        current = model._default_manager.select_for_update().get(pk=obj.pk)
        _keep_loaded_relations(obj, current)
        if current.version != expected_version:  # type: ignore[attr-defined]
            raise ConcurrentEditError(
                _(
                    "This record was changed by someone else while you were editing "
                    "(your version %(mine)s, now %(theirs)s). Reload it and apply your "
                    "changes again."
                )
                % {"mine": expected_version, "theirs": current.version},  # type: ignore[attr-defined]
                code="conflict",
            )
        fields = list(data)
        old = audit.snapshot(current, fields)
        for k, v in data.items():
            setattr(current, k, v)
        # the fields being changed (and the model's own clean()): the others were valid when
        # saved, and checking each foreign key again would cost a query apiece
        current.full_clean(exclude=[f.name for f in model._meta.concrete_fields if f.name not in data])
        new = audit.snapshot(current, fields)
        changes = audit.diff(old, new)
        if not changes:
            return current
        values = {k: getattr(current, k) for k in data}
        if hasattr(current, "updated_at"):
            values["updated_at"] = timezone.now()
        updated = model._default_manager.filter(pk=obj.pk, version=expected_version).update(
            **values, version=F("version") + 1
        )
        if updated != 1:  # pragma: no cover - guarded by the row lock above
            raise ConcurrentEditError(_("This record was changed by someone else."), code="conflict")
        current.refresh_from_db()
        _keep_loaded_relations(obj, current)
        audit.record(actor, action, current, changes)
        return current


def _keep_loaded_relations(old: models.Model, new: models.Model) -> None:
    """The row read afresh keeps the related records the caller had loaded (same ids), so the
    audit row and the caller's next steps do not load them again."""
    for field in old._meta.concrete_fields:
        if not isinstance(field, models.ForeignKey):
            continue
        if field.is_cached(old) and getattr(old, field.attname) == getattr(new, field.attname):
            field.set_cached_value(new, field.get_cached_value(old))


def unlock_login(actor: Any, username: str) -> int:
    """Clear the failed log-in attempts recorded for ``username`` (lifting a lockout); Desk admins only.

    Returns how many attempt records were removed. Audited against the user when the name is a known account.
    """
    from axes.models import AccessAttempt
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied

    from core import jobs

    if not jobs.may_manage(actor):
        raise PermissionDenied(_("Only the Desk Pilkada admins unlock accounts."))
    username = (username or "").strip()
    with transaction.atomic():
        attempts = AccessAttempt.objects.filter(username=username)
        failures = sum(a.failures_since_start for a in attempts)
        if not failures:
            raise ValidationError({"username": [_("No failed log-in attempts are recorded for this user name.")]})
        removed, _by_model = attempts.delete()
        user = get_user_model().objects.filter(username=username).first()
        if user is not None:
            audit.record(actor, "account.unlock", user, {"failed_attempts": [failures, 0]})
    return removed
