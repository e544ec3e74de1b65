"""How grant amounts (whole rupiah) are written: "Rp 76,055 miliar", as officials quote them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from core import formats

MILIAR = 10**9
JUTA = 10**6


def _scaled(value: int, unit: int) -> str:
    d = (Decimal(value) / unit).quantize(Decimal("0.001")).normalize()
    places = max(0, -int(d.as_tuple().exponent))
    return formats.number(d, places)


def rupiah(value: Any) -> str:
    """76055000000 -> "Rp 76,055 miliar" (English "Rp 76.055 miliar"); 60375000 -> "Rp 60,375 juta";
    below a million, the whole figure: "Rp 500.000". Negative amounts (a difference) keep their sign."""
    if value is None or value == "":
        return formats.EMPTY
    n = int(value)
    sign = "−" if n < 0 else ""
    n = abs(n)
    if n >= MILIAR:
        return f"{sign}Rp {_scaled(n, MILIAR)} miliar"
    if n >= JUTA:
        return f"{sign}Rp {_scaled(n, JUTA)} juta"
    return f"{sign}Rp {formats.number(n)}"


def exact(value: Any) -> str:
    """The whole figure: "Rp 8.156.377.000"."""
    if value is None or value == "":
        return formats.EMPTY
    return f"Rp {formats.number(int(value))}"
