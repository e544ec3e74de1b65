from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def sinergi(request: HttpRequest) -> dict[str, Any]:
    home = "64"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and not user.is_superuser:
        from core.scoping import memberships

        scopes = sorted(m.scope_code for m in memberships(user))
        home = scopes[0] if scopes else home
    return {"DEMO": settings.DEMO, "MAP_TILE_URL": settings.MAP_TILE_URL, "HOME_REGION": home}
