from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from core import scoping
from core.registry import registry


def navigation(user: Any, home: str) -> list[tuple[str, str]]:
    """The entries each capability registered, for the capabilities this user may view and whose
    condition (if any) the user meets."""
    if user is None or not user.is_authenticated:
        return []
    return [
        (str(e.label), reverse(e.url_name, args=[home] if e.region_arg else []))
        for e in registry.sorted("nav")
        if (e.capability is None or scoping.can(user, e.capability, scoping.VIEW))
        and (e.condition is None or e.condition(user))
    ]


def sinergi(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    home = scoping.home_region(user)
    return {
        "DEMO": settings.DEMO,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "HOME_REGION": home,
        "NAV": navigation(user, home),
    }
