"""``|package_condition``: a package's condition code as its label (utuh, basah, segel rusak, hilang)."""

from __future__ import annotations

from django import template

from logistics.models import PackageCondition

register = template.Library()


@register.filter
def package_condition(code: str | None) -> str:
    return str(dict(PackageCondition.choices).get(code or "", code or ""))


@register.filter
def package_count(counts: dict[str, int], code: str) -> int:
    return counts.get(code, 0)
