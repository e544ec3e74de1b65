"""``{{ amount|rupiah }}`` "Rp 76,055 miliar" · ``{{ amount|exact_rupiah }}`` "Rp 76.055.000.000"."""

from __future__ import annotations

from typing import Any

from django import template

from budget import money

register = template.Library()


@register.filter
def rupiah(value: Any) -> str:
    return money.rupiah(value)


@register.filter
def exact_rupiah(value: Any) -> str:
    return money.exact(value)
