"""Tests for change between two periods (förändring mellan två perioder)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats as scipy_stats
from statsmodels.stats import rates as sm_rates

from trygg.stats.analysis import (
    METHOD_EXACT,
    METHOD_SCORE,
    TOTAL_LABEL,
    VERDICT_DECREASE,
    VERDICT_INCREASE,
    VERDICT_NO_CHANGE,
    RateRatio,
    ShareRow,
    change_pct,
    compare_counts,
    rate_ratio,
    share_table,
    total_from_counts,
)

# --- rate_ratio: the seed cases ---------------------------------------------

# Timing varies when the suite runs in parallel with the database tests.
no_deadline = settings(deadline=None)


def test_goteborg_nordost_misshandel_no_certain_change():
    """Göteborg Nordost, misshandel: 1 282 in 2024, 1 259 in 2025."""
    result = rate_ratio(1282, 1, 1259, 1)
    assert isinstance(result, RateRatio)
    assert result.verdict == VERDICT_NO_CHANGE == "ingen säker förändring"
    assert result.ratio == pytest.approx(0.982, abs=0.0005)
    assert result.ratio == pytest.approx(1259 / 1282)
    assert result.ci_low < 1 < result.ci_high
    assert result.ci_low == pytest.approx(0.9086, abs=1e-4)
    assert result.ci_high == pytest.approx(1.0615, abs=1e-4)
    assert result.p_value == pytest.approx(0.648, abs=1e-3)
    assert result.change_pct == pytest.approx(-1.794, abs=1e-3)
    assert result.count_a == 1282
    assert result.count_b == 1259
    assert result.method == METHOD_SCORE


def wilson_ratio_interval(count_a, exposure_a, count_b, exposure_b, alpha=0.05):
    """Closed form of the score interval: Wilson's interval for the share of
    period b among all events, transformed into a rate ratio."""
    z = scipy_stats.norm.isf(alpha / 2)
    n = count_a + count_b
    share = count_b / n
    centre = (share + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z * math.sqrt(share * (1 - share) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    scale = exposure_a / exposure_b
    return tuple(p / (1 - p) * scale for p in (centre - half, centre + half))


def test_goteborg_agrees_with_statsmodels():
    result = rate_ratio(1282, 1, 1259, 1)
    low, high = sm_rates.confint_poisson_2indep(1259, 1, 1282, 1, method="score")
    assert result.ci_low == pytest.approx(low, rel=1e-6)
    assert result.ci_high == pytest.approx(high, rel=1e-6)
    expected_p = sm_rates.test_poisson_2indep(1259, 1, 1282, 1, method="score").pvalue
    assert result.p_value == pytest.approx(expected_p)


def test_very_unequal_counts_give_a_proper_interval():
    """statsmodels' own confint_poisson_2indep returns (15.78, 15.78) here."""
    result = compare_counts(6164, 99774)
    assert result.ci_low < result.ratio < result.ci_high
    assert (result.ci_low, result.ci_high) == pytest.approx(
        wilson_ratio_interval(6164, 1, 99774, 1), rel=1e-9
    )
    assert result.verdict == VERDICT_INCREASE


def test_unknown_exposure_defaults_to_equal_periods():
    assert rate_ratio(1282, None, 1259, None) == rate_ratio(1282, 1, 1259, 1)
    assert compare_counts(1282, 1259) == rate_ratio(1282, 1, 1259, 1)
    result = compare_counts(1282, 1259)
    assert result.exposure_a == result.exposure_b == 1.0
    assert result.rate_per == 1.0
    assert (result.rate_a, result.rate_b) == (1282.0, 1259.0)


def test_clear_increase():
    result = compare_counts(100, 200)
    assert result.verdict == VERDICT_INCREASE == "ökning"
    assert result.ratio == pytest.approx(2.0)
    assert result.ci_low > 1
    assert result.p_value < 0.001
    assert result.change_pct == pytest.approx(100.0)


def test_clear_decrease():
    result = compare_counts(200, 100)
    assert result.verdict == VERDICT_DECREASE == "minskning"
    assert result.ratio == pytest.approx(0.5)
    assert result.ci_high < 1
    assert result.p_value < 0.001
    assert result.change_pct == pytest.approx(-50.0)


def test_small_counts_are_uncertain():
    result = compare_counts(3, 1)
    assert result.verdict == VERDICT_NO_CHANGE
    assert result.change_pct == pytest.approx(-66.67, abs=0.01)


def test_period_b_is_compared_with_period_a():
    """statsmodels puts sample 1 in the numerator: check we did not swap."""
    result = compare_counts(50, 80)
    assert result.ratio > 1
    assert result.ci_low < result.ratio < result.ci_high


# --- exposure and rates -----------------------------------------------------


def test_population_exposure_gives_rates_per_thousand():
    # 5 000 crimes among 500 000 inhabitants, then 4 000 among 510 000.
    result = rate_ratio(5000, 500_000, 4000, 510_000)
    assert result.rate_per == 1000
    assert result.rate_a == pytest.approx(10.0)
    assert result.rate_b == pytest.approx(4000 / 510)
    assert result.ratio == pytest.approx((4000 / 510_000) / (5000 / 500_000))
    assert result.change_pct == pytest.approx((result.ratio - 1) * 100)
    assert result.verdict == VERDICT_DECREASE


def test_growing_population_can_turn_more_crimes_into_a_lower_rate():
    result = rate_ratio(1000, 50_000, 1010, 60_000)
    assert result.count_b > result.count_a
    assert result.rate_b < result.rate_a
    assert result.verdict == VERDICT_DECREASE


def test_rate_per_can_be_chosen():
    result = rate_ratio(30, 12_000, 45, 12_500, rate_per=100_000)
    assert result.rate_per == 100_000
    assert result.rate_a == pytest.approx(250.0)
    assert result.rate_b == pytest.approx(360.0)


def test_rate_per_does_not_change_the_inference():
    a = rate_ratio(30, 12_000, 45, 12_500)
    b = rate_ratio(30, 12_000, 45, 12_500, rate_per=1)
    assert (a.ratio, a.ci_low, a.ci_high, a.p_value) == (b.ratio, b.ci_low, b.ci_high, b.p_value)


def test_exposure_scale_does_not_change_the_inference():
    a = rate_ratio(30, 12_000, 45, 12_500)
    b = rate_ratio(30, 12, 45, 12.5)
    assert a.ratio == pytest.approx(b.ratio)
    assert a.ci_low == pytest.approx(b.ci_low)
    assert a.ci_high == pytest.approx(b.ci_high)
    assert a.p_value == pytest.approx(b.p_value)


def test_alpha_widens_the_interval():
    narrow = compare_counts(100, 130, alpha=0.10)
    wide = compare_counts(100, 130, alpha=0.01)
    assert wide.ci_low < narrow.ci_low < narrow.ci_high < wide.ci_high
    assert narrow.confidence_level == pytest.approx(0.90)
    # 100 → 130 is an increase at the 90 % and 95 % levels but not at 99 %.
    assert narrow.verdict == VERDICT_INCREASE
    assert compare_counts(100, 130).verdict == VERDICT_INCREASE
    assert wide.verdict == VERDICT_NO_CHANGE


# --- zero counts ------------------------------------------------------------


def test_zero_in_earlier_period():
    result = compare_counts(0, 5)
    assert result.ratio == math.inf
    assert result.ci_high == math.inf
    assert 0 < result.ci_low < 1
    assert result.change_pct is None
    assert result.verdict == VERDICT_NO_CHANGE
    assert result.method == METHOD_EXACT
    assert result.p_value == pytest.approx(0.0625)  # 2 * 0.5 ** 5


def test_zero_in_earlier_period_with_many_later_is_an_increase():
    result = compare_counts(0, 50)
    assert result.ratio == math.inf
    assert result.ci_low > 1
    assert result.verdict == VERDICT_INCREASE


def test_zero_in_later_period():
    result = compare_counts(5, 0)
    assert result.ratio == 0.0
    assert result.ci_low == 0.0
    assert 1 < result.ci_high < math.inf
    assert result.change_pct == pytest.approx(-100.0)
    assert result.verdict == VERDICT_NO_CHANGE


def test_zero_in_later_period_with_many_earlier_is_a_decrease():
    result = compare_counts(50, 0)
    assert result.ci_high < 1
    assert result.verdict == VERDICT_DECREASE


def test_both_zero():
    result = compare_counts(0, 0)
    assert math.isnan(result.ratio)
    assert (result.ci_low, result.ci_high) == (0.0, math.inf)
    assert result.p_value == 1.0
    assert result.change_pct is None
    assert result.verdict == VERDICT_NO_CHANGE


def test_zero_count_interval_is_clopper_pearson_transformed():
    # Independent check with scipy: count_b | n ~ Bin(n, p), p/(1-p) = ratio * E_b/E_a.
    result = rate_ratio(0, 2.0, 7, 3.0, alpha=0.05)
    ci = scipy_stats.binomtest(7, 7).proportion_ci(0.95, method="exact")
    expected_low = ci.low / (1 - ci.low) * (2.0 / 3.0)
    assert result.ci_low == pytest.approx(expected_low)
    assert result.ci_high == math.inf


def test_zero_counts_emit_no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for a, b in [(0, 0), (0, 1), (1, 0), (0, 1000), (1000, 0), (1, 1)]:
            compare_counts(a, b)


# --- validation -------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "error"),
    [
        ((-1, 1, 5, 1), ValueError),
        ((1, 1, -5, 1), ValueError),
        ((1.5, 1, 5, 1), TypeError),
        ((True, 1, 5, 1), TypeError),
        (("3", 1, 5, 1), TypeError),
        ((1, 0, 5, 1), ValueError),
        ((1, -10, 5, 1), ValueError),
        ((1, math.inf, 5, 1), ValueError),
        ((1, math.nan, 5, 1), ValueError),
        ((1, "1", 5, 1), TypeError),
    ],
)
def test_invalid_input(args, error):
    with pytest.raises(error):
        rate_ratio(*args)


@pytest.mark.parametrize("alpha", [0, 1, -0.1, 1.5, True])
def test_invalid_alpha(alpha):
    with pytest.raises(ValueError):
        compare_counts(10, 20, alpha=alpha)


def test_invalid_rate_per():
    with pytest.raises(ValueError):
        rate_ratio(10, 100, 20, 100, rate_per=0)


def test_numpy_integers_are_accepted():
    result = rate_ratio(np.int64(1282), np.int64(1), np.int64(1259), np.float64(1.0))
    assert result == compare_counts(1282, 1259)
    assert type(result.count_a) is int
    assert type(result.ci_low) is float
    assert type(result.p_value) is float


def test_result_is_frozen():
    result = compare_counts(1, 2)
    with pytest.raises(AttributeError):
        result.verdict = VERDICT_INCREASE  # type: ignore[misc]


# --- properties of rate_ratio -----------------------------------------------

# Each call runs statsmodels a few dozen times: no deadline, fewer examples.
statsmodels_settings = settings(deadline=None, max_examples=60)

counts = st.integers(min_value=0, max_value=100_000)
exposures = st.floats(min_value=0.5, max_value=1e7, allow_nan=False, allow_infinity=False)


@statsmodels_settings
@given(count_a=counts, count_b=counts, exposure_a=exposures, exposure_b=exposures)
def test_property_never_crashes_and_is_consistent(count_a, count_b, exposure_a, exposure_b):
    result = rate_ratio(count_a, exposure_a, count_b, exposure_b)
    assert 0.0 <= result.p_value <= 1.0
    assert 0.0 <= result.ci_low <= result.ci_high
    assert result.verdict in (VERDICT_INCREASE, VERDICT_DECREASE, VERDICT_NO_CHANGE)
    if result.verdict == VERDICT_INCREASE:
        assert result.ci_low > 1
    elif result.verdict == VERDICT_DECREASE:
        assert result.ci_high < 1
    else:
        assert result.ci_low <= 1 <= result.ci_high
    if not math.isnan(result.ratio) and 0 < result.ratio < math.inf:
        assert result.ci_low <= result.ratio * (1 + 1e-9)
        assert result.ratio <= result.ci_high * (1 + 1e-9)


@statsmodels_settings
@given(count_a=st.integers(1, 5000), count_b=st.integers(1, 5000))
def test_property_swapping_periods_inverts_the_ratio(count_a, count_b):
    forward = compare_counts(count_a, count_b)
    backward = compare_counts(count_b, count_a)
    assert forward.ratio == pytest.approx(1 / backward.ratio)
    assert forward.ci_low == pytest.approx(1 / backward.ci_high, rel=1e-9)
    assert forward.ci_high == pytest.approx(1 / backward.ci_low, rel=1e-9)
    assert forward.p_value == pytest.approx(backward.p_value)
    swapped = {
        VERDICT_INCREASE: VERDICT_DECREASE,
        VERDICT_DECREASE: VERDICT_INCREASE,
        VERDICT_NO_CHANGE: VERDICT_NO_CHANGE,
    }
    assert backward.verdict == swapped[forward.verdict]


@statsmodels_settings
@given(count_a=st.integers(1, 10**6), count_b=st.integers(1, 10**6), exposure=exposures)
def test_property_score_interval_is_the_wilson_interval(count_a, count_b, exposure):
    result = rate_ratio(count_a, exposure, count_b, 1000.0)
    expected = wilson_ratio_interval(count_a, exposure, count_b, 1000.0)
    assert (result.ci_low, result.ci_high) == pytest.approx(expected, rel=1e-8)


@statsmodels_settings
@given(count=st.integers(0, 100_000))
def test_property_equal_counts_are_never_a_change(count):
    result = compare_counts(count, count)
    assert result.verdict == VERDICT_NO_CHANGE


# --- change_pct -------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (100, 146, 46.0),
        (100, 28, -72.0),
        (1282, 1259, -1.794071762870515),
        (50, 50, 0.0),
        (4, 0, -100.0),
        (2.5, 5.0, 100.0),
    ],
)
def test_change_pct(a, b, expected):
    assert change_pct(a, b) == pytest.approx(expected)


def test_change_pct_from_zero_is_undefined():
    assert change_pct(0, 5) is None
    assert change_pct(0, 0) is None


def test_change_pct_rejects_non_numbers():
    with pytest.raises(TypeError):
        change_pct("1", 2)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        change_pct(None, 2)  # type: ignore[arg-type]


# --- totals and shares ------------------------------------------------------


def test_total_from_counts_adds_counts():
    assert total_from_counts({"Angered": 512, "Östra Göteborg": 770}) == 1282
    assert total_from_counts([1, 2, 3]) == 6
    assert total_from_counts({}) == 0


def test_total_from_counts_is_not_a_sum_of_percentages():
    # Two districts: 10 of 100 and 90 of 900 cases took place outdoors.
    # The shares (10 % and 10 %) must not be added or averaged into a total;
    # the total share is computed from the summed counts.
    outdoors = {"Liten stadsdel": 10, "Stor stadsdel": 90}
    all_cases = {"Liten stadsdel": 100, "Stor stadsdel": 900}
    assert total_from_counts(outdoors) / total_from_counts(all_cases) * 100 == pytest.approx(10.0)
    # With different shares the naive mean of percentages is wrong:
    outdoors = {"Liten stadsdel": 50, "Stor stadsdel": 90}  # 50 % and 10 %
    right = total_from_counts(outdoors) / total_from_counts(all_cases) * 100
    naive = (50 / 100 * 100 + 90 / 900 * 100) / 2
    assert right == pytest.approx(14.0)
    assert naive == pytest.approx(30.0)


@pytest.mark.parametrize("bad", [{"a": -1}, {"a": 1.5}, [True], ["3"]])
def test_total_from_counts_rejects_bad_counts(bad):
    with pytest.raises((TypeError, ValueError)):
        total_from_counts(bad)


def test_share_table():
    rows = share_table({"Misshandel": 1259, "Rån": 141, "Skadegörelse": 600})
    assert [row.label for row in rows] == ["Misshandel", "Rån", "Skadegörelse", TOTAL_LABEL]
    assert all(isinstance(row, ShareRow) for row in rows)
    assert rows[0].share_pct == pytest.approx(62.95)
    assert rows[1].share_pct == pytest.approx(7.05)
    assert rows[2].share_pct == pytest.approx(30.0)
    total = rows[-1]
    assert total.is_total
    assert not any(row.is_total for row in rows[:-1])
    assert total.label == "Totalt"
    assert total.count == 2000
    assert total.share_pct == 100.0


def test_share_table_total_is_100_even_when_rounded_shares_are_not():
    rows = share_table({"a": 1, "b": 1, "c": 1})
    assert sum(round(row.share_pct, 1) for row in rows[:-1]) == pytest.approx(99.9)
    assert rows[-1].share_pct == 100.0
    assert rows[-1].count == 3


def test_share_table_with_zero_total():
    rows = share_table({"a": 0, "b": 0})
    assert [row.share_pct for row in rows] == [None, None, None]
    assert rows[-1].count == 0


def test_share_table_custom_total_label_and_empty():
    rows = share_table({}, total_label="Summa")
    assert rows == [ShareRow(label="Summa", count=0, share_pct=None, is_total=True)]


@no_deadline
@given(st.dictionaries(st.text(min_size=1, max_size=8), st.integers(0, 10**6), max_size=12))
def test_property_share_table_total_is_sum_of_counts(counts):
    rows = share_table(counts)
    total = rows[-1]
    assert total.count == sum(counts.values())
    assert len(rows) == len(counts) + 1
    if total.count:
        assert total.share_pct == 100.0
        assert sum(row.share_pct for row in rows[:-1]) == pytest.approx(100.0)
    else:
        assert total.share_pct is None
