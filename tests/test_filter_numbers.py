"""The number filters format a value as it is (assemble/templating._as_number): the same text,
and the same error for a value they refuse, as converting it to a Fraction first, on integers,
Decimals of every exponent and sign, Fractions and the section's own number types."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

import pytest

from reportkit.assemble import templating
from reportkit.compute import Quotient, Score
from reportkit.numbers import money, percent, plain, quantize


def by_fraction(name: str, value, decimals: int | None = None) -> str:  # noqa: ANN001
    """The filter as it was: the value made a Fraction before it is formatted."""
    exact = templating._as_exact(value, name)
    if name == "wan":
        return money(exact, templating._decimals(2 if decimals is None else decimals, name))
    if name == "pct":
        return percent(exact, templating._decimals(2 if decimals is None else decimals, name))
    if name == "score":
        return plain(quantize(exact, 2, "half_up"))
    return f"{quantize(exact, templating._decimals(0 if decimals is None else decimals, name), 'half_up'):,}"


FILTERS = {"wan": templating.f_wan, "pct": templating.f_pct, "score": templating.f_score, "num": templating.f_num}


def values() -> list:
    rng = random.Random(15)
    found: list = [0, 1, -1, 10**30, -(10**30) - 7, Decimal("0"), Decimal("-0"), Decimal("-0.000"), Decimal("0.005"),
                   Decimal("-0.005"), Decimal("0.0049999"), Decimal("1E+3"), Decimal("-1.5E-7"), Decimal("57373.02"),
                   Decimal("12345678901234567890123456789.995"), Fraction(2, 3), Fraction(-1, 200), Fraction(10**40, 3),
                   Quotient(Fraction(9429, 10000)), Quotient(-1, 8), Score(Decimal("93.785")), Score(Decimal("-0.5"))]
    for _ in range(400):
        digits = rng.randint(-10**rng.randint(0, 20), 10**rng.randint(0, 20))
        found.append(Decimal(digits).scaleb(rng.randint(-25, 5)))
        found.append(Fraction(digits, rng.randint(1, 10**rng.randint(0, 8))))
        found.append(digits)
    return found


@pytest.mark.parametrize("name", FILTERS)
def test_a_filter_gives_what_the_fraction_of_the_value_gives(name: str) -> None:
    for value in values():
        for decimals in ([None] if name == "score" else [None, 0, 1, 3]):
            args = () if decimals is None else (decimals,)
            assert FILTERS[name](value, *args) == by_fraction(name, value, decimals), (name, value, decimals)


@pytest.mark.parametrize("name", FILTERS)
@pytest.mark.parametrize("value", [Decimal("Infinity"), Decimal("-Infinity"), Decimal("NaN"), True, 1.5, "3", None])
def test_a_value_refused_is_refused_alike(name: str, value) -> None:  # noqa: ANN001
    with pytest.raises(Exception) as ours:
        FILTERS[name](value, 11) if name != "score" else FILTERS[name](value)
    with pytest.raises(Exception) as theirs:
        by_fraction(name, value, 11 if name != "score" else None)
    assert type(ours.value) is type(theirs.value) and str(ours.value) == str(theirs.value)


def test_a_ratio_is_the_fraction_s() -> None:
    """numbers._ratio reads as_integer_ratio(): the numerator and denominator of the Fraction."""
    from reportkit.numbers import _ratio

    for value in [*values(), 0.1, -2.5, "3/7", "1.25"]:
        frac = Fraction(value)
        assert _ratio(value) == (frac.numerator, frac.denominator), value
