"""Tests for Swedish number formats (svenskt talformat)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trygg.core.formatting import (
    DECIMAL_SEPARATOR,
    MESSAGES,
    MINUS,
    NBSP,
    THOUSANDS_SEPARATOR,
    format_change,
    format_date,
    format_money,
    format_number,
    format_percent,
    parse_swedish_decimal,
)

# Timing varies when the suite runs in parallel with the database tests.
no_deadline = settings(deadline=None)


def sp(text: str) -> str:
    """Write expectations with ordinary spaces; the code uses no-break spaces."""
    return text.replace(" ", NBSP)


def test_separators():
    assert THOUSANDS_SEPARATOR == "\u00a0" == NBSP
    assert DECIMAL_SEPARATOR == ","
    assert MINUS == "\u2212"


def test_thousands_separator_matches_django_format_module():
    from trygg.formats.sv import formats

    assert formats.THOUSAND_SEPARATOR == THOUSANDS_SEPARATOR
    assert formats.DECIMAL_SEPARATOR == DECIMAL_SEPARATOR


# --- format_number ----------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0, 0, "0"),
        (7, 0, "7"),
        (999, 0, "999"),
        (1000, 0, "1 000"),
        (1234, 0, "1 234"),
        (12345, 0, "12 345"),
        (123456, 0, "123 456"),
        (1234567, 0, "1 234 567"),
        (1234567890, 0, "1 234 567 890"),
        (Decimal("1234.5"), 2, "1 234,50"),
        (Decimal("1234.567"), 2, "1 234,57"),
        (Decimal("0.5"), 0, "1"),
        (Decimal("1.5"), 0, "2"),
        (Decimal("2.5"), 0, "3"),  # half up, not banker's rounding
        (Decimal("-2.5"), 0, "−3"),  # half away from zero
        (Decimal("0.125"), 2, "0,13"),
        (2.675, 2, "2,68"),  # as written, not as the binary float
        (0.1 + 0.2, 2, "0,30"),
        (3.0, 1, "3,0"),
        (-1234.5, 1, "−1 234,5"),
        (Decimal("-0.001"), 2, "0,00"),  # no "−0,00"
        (Decimal("-0.4"), 0, "0"),
        (Decimal("1E+6"), 0, "1 000 000"),
        (Decimal("12"), 3, "12,000"),
        (np.int64(1282), 0, "1 282"),
        (np.float64(83.45), 1, "83,5"),
        (Fraction(1, 3), 3, "0,333"),
        (10**30, 0, "1" + " 000" * 10),
    ],
)
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == sp(expected)


def test_format_number_uses_minus_sign():
    assert format_number(-5) == "\u22125"


@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("NaN"), Decimal("-Inf")])
def test_format_number_rejects_non_finite(value):
    with pytest.raises(ValueError):
        format_number(value)


@pytest.mark.parametrize("value", ["12", None, True, [1]])
def test_format_number_rejects_non_numbers(value):
    with pytest.raises(TypeError):
        format_number(value)


def test_decimals_must_be_a_non_negative_int():
    with pytest.raises(ValueError):
        format_number(1, -1)
    with pytest.raises(TypeError):
        format_number(1, 1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        format_number(1, True)


# --- format_percent ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (83.5, {}, "83,5 %"),
        (100, {}, "100,0 %"),
        (Decimal("83.45"), {}, "83,5 %"),
        (33.333, {"decimals": 0}, "33 %"),
        (0.835, {"fraction": True}, "83,5 %"),
        (Decimal("0.0125"), {"fraction": True, "decimals": 2}, "1,25 %"),
        (1, {"fraction": True, "decimals": 0}, "100 %"),
        (-4.25, {}, "−4,3 %"),
        (1234.5, {}, "1 234,5 %"),
    ],
)
def test_format_percent(value, kwargs, expected):
    assert format_percent(value, **kwargs) == sp(expected)


# --- format_change ----------------------------------------------------------


@pytest.mark.parametrize(
    ("pct", "decimals", "expected"),
    [
        (46, 0, "+46 %"),
        (-72, 0, "−72 %"),
        (Decimal("45.5"), 0, "+46 %"),
        (-71.5, 0, "−72 %"),
        (0, 0, "0 %"),
        (0.4, 0, "0 %"),
        (-0.4, 0, "0 %"),
        (-1.794, 1, "−1,8 %"),
        (1250, 0, "+1 250 %"),
    ],
)
def test_format_change(pct, decimals, expected):
    assert format_change(pct, decimals) == sp(expected)


def test_format_change_minus_is_u2212():
    assert format_change(-72).startswith("\u2212")


# --- format_money -----------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "style", "expected"),
    [
        # Seed documents.
        (Decimal("5000000"), "auto", "5,0 mkr"),
        (4290000, "auto", "4,29 mkr"),
        (1600000, "auto", "1,6 mkr"),
        (200000, "auto", "200 tkr"),
        (1234567, "kr", "1 234 567 kr"),
        # Auto thresholds.
        (1234567, "auto", "1,23 mkr"),
        (1235000, "auto", "1,24 mkr"),  # half up
        (12345678, "auto", "12,35 mkr"),
        (1_000_000_000, "auto", "1 000,0 mkr"),
        (1_000_000, "auto", "1,0 mkr"),
        (999_999, "auto", "1,0 mkr"),  # would be "1 000 tkr"
        (999_499, "auto", "999 tkr"),
        (100_000, "auto", "100 tkr"),
        (99_999, "auto", "99 999 kr"),
        (Decimal("1234.50"), "auto", "1 235 kr"),
        (0, "auto", "0 kr"),
        (-1600000, "auto", "−1,6 mkr"),
        (-200000, "auto", "−200 tkr"),
        (-500, "auto", "−500 kr"),
        # Fixed styles.
        (1600000, "tkr", "1 600 tkr"),
        (1500, "tkr", "2 tkr"),
        (200000, "mkr", "0,2 mkr"),
        (4290000, "mkr", "4,29 mkr"),
        (4295000, "mkr", "4,3 mkr"),
        (4294999, "mkr", "4,29 mkr"),
        (200000, "kr", "200 000 kr"),
        (Decimal("1E+6"), "kr", "1 000 000 kr"),
    ],
)
def test_format_money(amount, style, expected):
    assert format_money(amount, style) == sp(expected)


def test_format_money_default_style_is_auto():
    assert format_money(200000) == sp("200 tkr")


@pytest.mark.parametrize(
    ("amount", "style", "decimals", "expected"),
    [
        (Decimal("1234.5"), "kr", 2, "1 234,50 kr"),
        (5000000, "mkr", 2, "5,00 mkr"),
        (5000000, "mkr", 0, "5 mkr"),
        (1234567, "tkr", 1, "1 234,6 tkr"),
        (1234567, "auto", 3, "1,235 mkr"),
    ],
)
def test_format_money_explicit_decimals(amount, style, decimals, expected):
    assert format_money(amount, style, decimals=decimals) == sp(expected)


@pytest.mark.parametrize("amount", [1.5, 1600000.0, np.float64(5.0), Fraction(1, 2), True, "100"])
def test_format_money_rejects_float_and_other_types(amount):
    with pytest.raises(TypeError):
        format_money(amount)


def test_format_money_rejects_unknown_style():
    with pytest.raises(ValueError):
        format_money(100, "sek")


def test_format_money_accepts_numpy_int():
    assert format_money(np.int64(4290000)) == sp("4,29 mkr")


# --- format_date ------------------------------------------------------------


def test_format_date():
    assert format_date(dt.date(2024, 3, 25)) == "2024-03-25"
    assert format_date(dt.date(2025, 1, 1)) == "2025-01-01"
    assert format_date(dt.datetime(2024, 3, 25, 23, 59)) == "2024-03-25"


@pytest.mark.parametrize("value", ["2024-03-25", None, 20240325])
def test_format_date_rejects_non_dates(value):
    with pytest.raises(TypeError):
        format_date(value)


# --- parse_swedish_decimal --------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,50", "1234.50"),
        ("1\u00a0234,50", "1234.50"),
        ("1\u202f234,50", "1234.50"),
        ("1234,50", "1234.50"),
        ("1234.50", "1234.50"),
        ("1 234 567", "1234567"),
        ("0", "0"),
        ("0,5", "0.5"),
        ("007", "7"),
        ("  42  ", "42"),
        ("-3,5", "-3.5"),
        ("−3,5", "-3.5"),
        ("− 3,5", "-3.5"),
        ("+12", "12"),
        ("1234567,891", "1234567.891"),
    ],
)
def test_parse_swedish_decimal(text, expected):
    result = parse_swedish_decimal(text)
    assert isinstance(result, Decimal)
    assert result == Decimal(expected)


def test_parse_keeps_trailing_zeros():
    assert str(parse_swedish_decimal("1 234,50")) == "1234.50"


@pytest.mark.parametrize(
    "text",
    [
        "12,3,4",
        "abc",
        "1,6 mkr",
        "100 kr",
        "83,5 %",
        "1.234,50",  # dot as thousands separator
        "1,234.50",  # English style
        "1 23",
        "1234 567",
        "1  234",
        ",5",
        "5,",
        "1e5",
        "--5",
        "٣",  # non-ASCII digit
        "NaN",
    ],
)
def test_parse_rejects_bad_input_with_swedish_message(text):
    with pytest.raises(ValueError) as info:
        parse_swedish_decimal(text)
    assert str(info.value) == MESSAGES["invalid_number"]


@pytest.mark.parametrize("text", ["", "   "])
def test_parse_empty(text):
    with pytest.raises(ValueError, match="Ange ett tal"):
        parse_swedish_decimal(text)


def test_parse_rejects_non_string():
    with pytest.raises(TypeError):
        parse_swedish_decimal(12)  # type: ignore[arg-type]


def test_messages_are_swedish():
    assert MESSAGES["empty"] == "Ange ett tal."
    assert "decimalkomma" in MESSAGES["invalid_number"]


# --- properties -------------------------------------------------------------

two_place_decimals = st.decimals(
    min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=2, allow_nan=False
)


@no_deadline
@given(two_place_decimals)
def test_property_round_trip_two_places(value):
    assert parse_swedish_decimal(format_number(value, 2)) == value


@no_deadline
@given(st.integers(min_value=-(10**20), max_value=10**20))
def test_property_round_trip_integers(value):
    text = format_number(value)
    assert parse_swedish_decimal(text) == value
    digits = text.lstrip(MINUS).replace(NBSP, "")
    assert digits == str(abs(value))
    groups = text.lstrip(MINUS).split(NBSP)
    assert all(len(group) == 3 for group in groups[1:])
    assert 1 <= len(groups[0]) <= 3


@no_deadline
@given(st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, places=4))
def test_property_rounding_is_half_up_and_close(value):
    rounded = parse_swedish_decimal(format_number(value, 1))
    assert abs(rounded - value) <= Decimal("0.05")
    if abs(rounded - value) == Decimal("0.05"):
        assert abs(rounded) > abs(value)  # ties go away from zero


@no_deadline
@given(st.integers(min_value=0, max_value=10**12))
def test_property_money_never_loses_its_unit(amount):
    text = format_money(amount)
    assert text.endswith((NBSP + "kr", NBSP + "tkr", NBSP + "mkr"))
    number, unit = text.rsplit(NBSP, 1)
    scale, tolerance = {"kr": (1, 0), "tkr": (1_000, 500), "mkr": (1_000_000, 5_000)}[unit]
    assert abs(parse_swedish_decimal(number) * scale - amount) <= tolerance
