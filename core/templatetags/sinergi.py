"""Template helpers: Indonesian number formatting regardless of the active language's rules."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def absint(value: Any) -> int:
    try:
        return abs(int(value))
    except (TypeError, ValueError):
        return 0


@register.filter
def num(value: Any) -> str:
    """1234567 -> "1.234.567" in Indonesian, "1,234,567" in English."""
    if value is None or value == "":
        return "—"
    return number_format(value, force_grouping=True)


@register.filter
def pct(part: Any, whole: Any) -> str:
    try:
        return number_format(100.0 * float(part) / float(whole), 1) + "%"
    except (TypeError, ValueError, ZeroDivisionError):
        return "—"
