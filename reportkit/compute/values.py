"""Value types that know how the report prints them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from ..numbers import money, percent, plain, quantize


class _Printable:
    """f-strings call __format__, not __str__: keep the report's format for both."""

    def __format__(self, spec: str) -> str:
        return str(self) if not spec else super().__format__(spec)


class Money(_Printable, Decimal):
    """An amount in 万元; prints as 57,373.02."""

    def __str__(self) -> str:
        return money(self)


class Rate(_Printable, Fraction):
    """An exact ratio; prints as a percentage with two decimals (94.29%)."""

    def __str__(self) -> str:
        return percent(self)


class Score(_Printable, Decimal):
    """A rounded score; prints as the prose writes it (19.9, 93.78, 5)."""

    def __str__(self) -> str:
        return plain(self)


def rate(numerator, denominator) -> Rate:
    return Rate(Fraction(numerator) / Fraction(denominator))


class Quotient(_Printable, Fraction):
    """The exact result of `/` in a section; prints with up to two decimals (0.93, 14)."""

    def __str__(self) -> str:
        return plain(quantize(self, 2, "half_up"))


class Day(_Printable, date):
    """A date as the report writes it: 2020年1月17日."""

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月{self.day}日"
