"""Base pieces every Sinergi model builds on."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scoping import RestrictedQuerySet


class VersionedModel(models.Model):
    """A record edited by people: carries a version so concurrent edits are detected."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True
