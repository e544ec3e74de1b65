from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from core.scoping import home_region


def sinergi(request: HttpRequest) -> dict[str, Any]:
    return {
        "DEMO": settings.DEMO,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "HOME_REGION": home_region(getattr(request, "user", None)),
    }
