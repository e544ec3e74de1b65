"""``{% provenance badge %}``: the small status badge of a figure, its sources on tap or hover."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("core/_provenance.html")
def provenance(badge: Any) -> dict[str, Any]:
    return {"b": badge}
