"""Template helpers for the two-factor pages (templates/two_factor/)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def backup_codes(device: Any) -> list[str]:
    """The codes of a backup device, read here rather than by walking ``device.token_set`` in the template
    (tests/test_templates.py forbids walks). django-two-factor-auth's BackupTokensView passes only the
    signed-in user's own device (``request.user.staticdevice_set``), so no one else's codes reach it."""
    return [t.token for t in device.token_set.all()] if device is not None else []
