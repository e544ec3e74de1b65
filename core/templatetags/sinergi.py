"""Template helpers: how numbers, moments, dates and durations are written (see core/formats.py).

``{{ n|num }}`` "1.929" · ``{{ at|moment:election }}`` "18 November 2024 14.30 WITA" (the argument:
an election, a zone name, or nothing for the server's zone) · ``{{ d|day }}`` "18 November 2024" ·
``{{ minutes_or_timedelta|duration }}`` "11 jam 51 menit" · ``{{ bytes|file_size }}`` "7,2 MB" ·
``{{ election|zone }}`` "WITA".
"""

from __future__ import annotations

from typing import Any

from django import template

from core import formats

register = template.Library()


@register.filter
def absint(value: Any) -> int:
    try:
        return abs(int(value))
    except (TypeError, ValueError):
        return 0


@register.filter
def num(value: Any, decimals: Any = None) -> str:
    """1234567 -> "1.234.567" in Indonesian, "1,234,567" in English."""
    return formats.number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def pct(part: Any, whole: Any) -> str:
    try:
        return formats.number(100.0 * float(part) / float(whole), 1) + "%"
    except (TypeError, ValueError, ZeroDivisionError):
        return "—"


@register.filter
def moment(value: Any, tz: Any = None) -> str:
    return formats.moment(value, tz)


@register.filter
def day(value: Any, tz: Any = None) -> str:
    return formats.day(value, tz)


@register.filter
def duration(value: Any) -> str:
    return formats.duration(value)


@register.filter
def file_size(value: Any) -> str:
    return formats.file_size(value)


@register.filter
def zone(tz: Any) -> str:
    return formats.zone_name(tz)
