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


def _ratio(value: Number) -> tuple[int, int]:
    """Numerator and (positive) denominator of an exact value, without building a Fraction."""
    if isinstance(value, int):
        return value, 1
    try:  # a Decimal's or a Fraction's, in lowest terms (no isinstance with Fraction: it goes through ABCMeta)
        return value.as_integer_ratio()
    except AttributeError:
        frac = Fraction(value)
        return frac.numerator, frac.denominator


def _units(value: Number, decimals: int, mode: str) -> int:
    """`value` × 10**decimals rounded to an integer by the named policy, in integers only."""
    numerator, denominator = _ratio(value)
    if decimals >= 0:
        numerator *= 10**decimals
    else:
        denominator *= 10**-decimals
    magnitude = abs(numerator)
    if mode == "truncate":
        units = magnitude // denominator
    elif mode == "half_up":
        units = (2 * magnitude + denominator) // (2 * denominator)  # floor(|x| + 1/2)
    else:
        raise ValueError(f"unknown rounding mode {mode!r}")
    return -units if numerator < 0 else units


def _scaled(units: int, decimals: int) -> Decimal:
    """units × 10**-decimals, exactly: read from its digits, so that no context precision
    (28 digits by default, which Decimal.scaleb applies) can round a long amount."""
    return Decimal(f"{units}E{-decimals}")


def quantize(value: Number, decimals: int = 2, mode: str = "truncate") -> Decimal:
    """Round an exact value to `decimals` places by the named policy (truncate or half_up)."""
    return _scaled(_units(value, decimals, mode), decimals)


def plain(value: Decimal) -> str:
    """A score as the prose writes it: no trailing zeros (19.9, 93.78, 5)."""
    text = format(value.normalize(), "f")
    return text


def money(value: Number, decimals: int = 2) -> str:
    """万元 amounts with thousands separators: 57,373.02."""
    return f"{quantize(value, decimals, 'half_up'):,.{decimals}f}"


def percent(rate: Number, decimals: int = 2) -> str:
    """A rate (0.9429) as a percentage string (94.29%); a whole percentage as the seeds write it (100%)."""
    value = _scaled(_units(rate, decimals + 2, "half_up"), decimals)  # rate × 100
    if value == value.to_integral_value():
        return f"{value:.0f}%"
    return f"{value:.{decimals}f}%"
