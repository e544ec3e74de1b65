from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def sinergi(request: HttpRequest) -> dict[str, Any]:
    return {"DEMO": settings.DEMO, "MAP_TILE_URL": settings.MAP_TILE_URL}
