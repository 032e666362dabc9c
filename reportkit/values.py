"""Value types that know how the report prints them."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from .numbers import money, percent, plain


class Money(Decimal):
    """An amount in 万元; prints as 57,373.02."""

    def __str__(self) -> str:
        return money(self)


class Rate(Fraction):
    """An exact ratio; prints as a percentage with two decimals (94.29%)."""

    def __str__(self) -> str:
        return percent(self)


class Score(Decimal):
    """A rounded score; prints as the prose writes it (19.9, 93.78, 5)."""

    def __str__(self) -> str:
        return plain(self)


def rate(numerator, denominator) -> Rate:
    return Rate(Fraction(numerator) / Fraction(denominator))
