"""Exact arithmetic, the rounding policies and the number formats of the report.

Scores and rates are computed as exact fractions and turned into Decimal only when a
rounding policy is applied, so 2/3 × 6 is exactly 4 and never 3.99.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from fractions import Fraction

Number = int | Decimal | Fraction

ROUNDING_MODES = {"truncate": ROUND_DOWN, "half_up": ROUND_HALF_UP}


def exact(value: Number) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


def quantize(value: Number, decimals: int = 2, mode: str = "truncate") -> Decimal:
    """Round an exact value to `decimals` places by the named policy (truncate or half_up)."""
    frac = exact(value)
    scale = 10**decimals
    scaled = frac * scale
    if mode == "truncate":
        units = scaled.numerator // scaled.denominator if scaled >= 0 else -((-scaled.numerator) // scaled.denominator)
    elif mode == "half_up":
        sign = -1 if scaled < 0 else 1
        units = sign * int((abs(scaled) + Fraction(1, 2)).__floor__())
    else:
        raise ValueError(f"unknown rounding mode {mode!r}")
    # Exact: build the Decimal from its digits, so no context precision can round it.
    return Decimal(units).scaleb(-decimals)


def plain(value: Decimal) -> str:
    """A score as the prose writes it: no trailing zeros (19.9, 93.78, 5)."""
    text = format(value.normalize(), "f")
    return text


def money(value: Number, decimals: int = 2) -> str:
    """万元 amounts with thousands separators: 57,373.02."""
    return f"{quantize(value, decimals, 'half_up'):,.{decimals}f}"


def percent(rate: Number, decimals: int = 2) -> str:
    """A rate (0.9429) as a percentage string (94.29%); a whole percentage as the seeds write it (100%)."""
    value = quantize(exact(rate) * 100, decimals, "half_up")
    if value == value.to_integral_value():
        return f"{value:.0f}%"
    return f"{value:.{decimals}f}%"
