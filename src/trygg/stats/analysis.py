"""Change between two periods ("förändring mellan två perioder").

:func:`rate_ratio` compares the number of events in a later period *b* with
an earlier period *a*, each with its exposure ("exponering": population,
person-years, or 1 when unknown and the periods are equally long), and says
whether the change is larger than chance would explain.

Method
------
The two counts are treated as independent Poisson counts. The rate ratio is
``(count_b / exposure_b) / (count_a / exposure_a)``.

* When both counts are positive the interval and p-value are statsmodels'
  score method (``method="score"``, W2A in ``statsmodels.stats.rates``, the
  statsmodels default and the method Gu, Ng, Tang & Schucany (2008)
  recommend): the p-value is
  :func:`statsmodels.stats.rates.test_poisson_2indep` for the null
  hypothesis ratio = 1; the interval is the set of ratios that test does not
  reject, i.e. what :func:`statsmodels.stats.rates.confint_poisson_2indep`
  with ``method="score"`` defines. Its limits are found here with Brent's
  method on statsmodels' score statistic rather than by calling
  ``confint_poisson_2indep``, whose Nelder–Mead search is off by up to
  0.4 % and returns a degenerate interval for very unequal counts (6 164
  against 99 774 gives ``(15.78, 15.78)``). The result equals the Wilson
  interval for the conditional binomial proportion, which the tests check.
* When one count is zero the ratio is 0 or infinite and statsmodels' score
  interval degenerates, so the exact conditional method is used instead: given the total ``n = count_a +
  count_b``, ``count_b`` is binomial; the Clopper–Pearson interval for its
  proportion (``statsmodels.stats.proportion.proportion_confint``,
  ``method="beta"``) is transformed into an interval for the ratio, and the
  p-value is ``test_poisson_2indep(method="exact-cond")``. With
  ``count_a == 0`` the upper limit is infinite; with ``count_b == 0`` the
  lower limit is 0.
* When both counts are zero nothing can be said: ratio NaN, interval
  ``(0, inf)``, p-value 1.

The verdict ("bedömning") follows the interval only: ``"ökning"`` if
``ci_low > 1``, ``"minskning"`` if ``ci_high < 1``, else ``"ingen säker
förändring"``.

Totals
------
A total is the sum of the counts, never the sum or mean of percentages:
:func:`total_from_counts` and :func:`share_table` show the rule.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

__all__ = [
    "DEFAULT_RATE_PER",
    "METHOD_EXACT",
    "METHOD_SCORE",
    "TOTAL_LABEL",
    "VERDICT_DECREASE",
    "VERDICT_INCREASE",
    "VERDICT_NO_CHANGE",
    "RateRatio",
    "ShareRow",
    "change_pct",
    "compare_counts",
    "rate_ratio",
    "share_table",
    "total_from_counts",
]

VERDICT_INCREASE = "ökning"
VERDICT_DECREASE = "minskning"
VERDICT_NO_CHANGE = "ingen säker förändring"

METHOD_SCORE = "score"
METHOD_EXACT = "exact-cond"

TOTAL_LABEL = "Totalt"

#: Rates are given per this many units of exposure when a population is known.
DEFAULT_RATE_PER = 1000


@dataclass(frozen=True, slots=True)
class RateRatio:
    """The comparison of period b (later) with period a (earlier).

    ``rate_a``/``rate_b`` are events per ``rate_per`` units of exposure
    (per 1 000 inhabitants when the exposure is a population; per period
    when the exposure is unknown). ``ratio`` is ``rate_b / rate_a``
    ("kvot"): ``inf`` when only period a is zero, ``nan`` when both are.
    ``change_pct`` is the change in rate in percent, ``None`` when period a
    has no events. ``ci_low``/``ci_high`` is the ``1 - alpha`` confidence
    interval for the ratio, ``p_value`` tests ratio = 1, ``method`` says how
    they were computed (:data:`METHOD_SCORE` or :data:`METHOD_EXACT`).
    """

    count_a: int
    count_b: int
    exposure_a: float
    exposure_b: float
    rate_a: float
    rate_b: float
    rate_per: float
    ratio: float
    ci_low: float
    ci_high: float
    p_value: float
    change_pct: float | None
    verdict: str
    alpha: float
    method: str

    @property
    def confidence_level(self) -> float:
        """The interval's nominal coverage, e.g. 0.95."""
        return 1 - self.alpha


def _check_count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{name} must not be negative")
    return int(value)


def _check_exposure(value: object, name: str) -> float:
    if value is None:
        return 1.0
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    result = float(value)
    if not math.isfinite(result) or result <= 0:
        raise ValueError(f"{name} must be a positive finite number")
    return result


def change_pct(a: float, b: float) -> float | None:
    """Change from ``a`` to ``b`` in percent ("förändring i procent").

    ``change_pct(100, 146)`` → ``46.0``; ``change_pct(100, 28)`` → ``-72.0``.
    Returns ``None`` when ``a`` is 0 (a change from nothing has no percent).
    """
    for value in (a, b):
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            raise TypeError(f"expected a number, got {type(value).__name__}")
    if a == 0:
        return None
    return (float(b) - float(a)) / abs(float(a)) * 100


def _verdict(ci_low: float, ci_high: float) -> str:
    if ci_low > 1:
        return VERDICT_INCREASE
    if ci_high < 1:
        return VERDICT_DECREASE
    return VERDICT_NO_CHANGE


def _score_statistic(
    count_a: int, exposure_a: float, count_b: int, exposure_b: float, ratio: float
) -> float:
    """statsmodels' score statistic for H0: rate_b / rate_a = ``ratio``."""
    # Imported here, not at start-up: the statistics stack costs about a second.
    from statsmodels.stats.rates import test_poisson_2indep

    # statsmodels compares sample 1 with sample 2: put period b first.
    result = test_poisson_2indep(
        count_b, exposure_b, count_a, exposure_a, value=ratio, method=METHOD_SCORE
    )
    return float(result.statistic)


def _score_interval(
    count_a: int, exposure_a: float, count_b: int, exposure_b: float, alpha: float
) -> tuple[float, float]:
    """Invert statsmodels' score test: the ratios it does not reject at ``alpha``.

    This is the interval ``confint_poisson_2indep(method="score")`` defines,
    but statsmodels finds its limits with a Nelder–Mead search on the p-value,
    which returns a degenerate interval for very unequal counts (e.g. 6 164
    and 99 774). The score statistic is strictly decreasing in the ratio, so
    each limit is found here by bracketing and Brent's method on log(ratio).
    """
    # Imported here, not at start-up: the statistics stack costs about a second.
    from scipy.optimize import brentq
    from scipy.stats import norm

    crit = float(norm.isf(alpha / 2))
    estimate = (count_b / exposure_b) / (count_a / exposure_a)

    def excess(log_ratio: float, target: float) -> float:
        return (
            _score_statistic(count_a, exposure_a, count_b, exposure_b, math.exp(log_ratio)) - target
        )

    centre = math.log(estimate)
    # Wald interval on the log scale as the first guess for the brackets.
    half = crit * math.sqrt(1 / count_a + 1 / count_b)
    limits = []
    for direction, target in ((-1.0, crit), (1.0, -crit)):
        step = 2 * half
        edge = centre + direction * step
        for _ in range(64):
            if excess(edge, target) * direction <= 0:
                break
            step *= 2
            edge = centre + direction * step
        else:  # pragma: no cover - the statistic is unbounded in both directions
            raise ArithmeticError("could not bracket the score confidence limit")
        low, high = sorted((centre, edge))
        limits.append(math.exp(brentq(excess, low, high, args=(target,), xtol=1e-12)))
    return limits[0], limits[1]


def _exact_conditional(
    count_a: int, exposure_a: float, count_b: int, exposure_b: float, alpha: float
) -> tuple[float, float, float]:
    """Clopper–Pearson interval and exact conditional p-value for the ratio."""
    # Imported here, not at start-up: the statistics stack costs about a second.
    from statsmodels.stats.proportion import proportion_confint
    from statsmodels.stats.rates import test_poisson_2indep

    total = count_a + count_b
    p_low, p_high = proportion_confint(count_b, total, alpha=alpha, method="beta")
    # count_b | total ~ Bin(total, p) with p / (1 - p) = ratio * exposure_b / exposure_a.
    scale = exposure_a / exposure_b

    def to_ratio(p: float) -> float:
        if p >= 1:
            return math.inf
        return p / (1 - p) * scale

    p_value = test_poisson_2indep(
        count_b, exposure_b, count_a, exposure_a, method="exact-cond"
    ).pvalue
    return to_ratio(float(p_low)), to_ratio(float(p_high)), float(p_value)


def rate_ratio(
    count_a: int,
    exposure_a: float | None,
    count_b: int,
    exposure_b: float | None,
    alpha: float = 0.05,
    *,
    rate_per: float | None = None,
) -> RateRatio:
    """Compare the rate in period b (later) with period a (earlier).

    ``exposure_a``/``exposure_b`` are the population (or person-time) of each
    period; pass ``None`` (or 1) for both when it is unknown and the periods
    are equally long. ``rate_per`` scales the reported rates: by default 1
    when both exposures are 1 (rates are then counts per period), otherwise
    1 000 (rates per 1 000 inhabitants). It does not affect the ratio, the
    interval or the p-value. Never raises for zero counts; see the module
    docstring for the method.
    """
    # Imported here, not at start-up: the statistics stack costs about a second.
    import numpy as np
    from statsmodels.stats.rates import test_poisson_2indep

    count_a = _check_count(count_a, "count_a")
    count_b = _check_count(count_b, "count_b")
    exp_a = _check_exposure(exposure_a, "exposure_a")
    exp_b = _check_exposure(exposure_b, "exposure_b")
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real) or not 0 < alpha < 1:
        raise ValueError("alpha must be between 0 and 1")
    alpha = float(alpha)
    if rate_per is None:
        rate_per = 1.0 if exp_a == exp_b == 1.0 else float(DEFAULT_RATE_PER)
    elif isinstance(rate_per, bool) or not isinstance(rate_per, numbers.Real) or rate_per <= 0:
        raise ValueError("rate_per must be a positive number")
    rate_per = float(rate_per)

    rate_a = count_a / exp_a * rate_per
    rate_b = count_b / exp_b * rate_per

    with np.errstate(all="ignore"):
        if count_a > 0 and count_b > 0:
            method = METHOD_SCORE
            ratio = (count_b / exp_b) / (count_a / exp_a)
            ci_low, ci_high = _score_interval(count_a, exp_a, count_b, exp_b, alpha)
            # statsmodels compares sample 1 with sample 2: put period b first.
            p_value = float(
                test_poisson_2indep(count_b, exp_b, count_a, exp_a, method=METHOD_SCORE).pvalue
            )
        elif count_a + count_b > 0:
            method = METHOD_EXACT
            ratio = math.inf if count_a == 0 else 0.0
            ci_low, ci_high, p_value = _exact_conditional(count_a, exp_a, count_b, exp_b, alpha)
        else:
            method = METHOD_EXACT
            ratio, ci_low, ci_high, p_value = math.nan, 0.0, math.inf, 1.0

    if math.isnan(p_value):
        p_value = 1.0
    p_value = min(max(p_value, 0.0), 1.0)

    return RateRatio(
        count_a=count_a,
        count_b=count_b,
        exposure_a=exp_a,
        exposure_b=exp_b,
        rate_a=rate_a,
        rate_b=rate_b,
        rate_per=rate_per,
        ratio=ratio,
        ci_low=ci_low,
        ci_high=ci_high,
        p_value=p_value,
        change_pct=change_pct(rate_a, rate_b),
        verdict=_verdict(ci_low, ci_high),
        alpha=alpha,
        method=method,
    )


def compare_counts(count_a: int, count_b: int, alpha: float = 0.05) -> RateRatio:
    """:func:`rate_ratio` for two equally long periods with unknown population."""
    return rate_ratio(count_a, None, count_b, None, alpha)


def total_from_counts(counts: Mapping[str, int] | Iterable[int]) -> int:
    """Total number of events ("totalt antal"): the sum of the counts.

    Totals are always computed by adding counts. Percentages are derived
    from the total afterwards; adding or averaging percentages gives wrong
    totals whenever the groups differ in size.
    """
    values = counts.values() if isinstance(counts, Mapping) else counts
    return sum(_check_count(value, "count") for value in values)


@dataclass(frozen=True, slots=True)
class ShareRow:
    """One row of a share table ("andel"): a count and its share of the total.

    ``share_pct`` is in percent (0–100), unrounded; ``None`` when the total
    is 0. The total row has ``is_total=True``.
    """

    label: str
    count: int
    share_pct: float | None
    is_total: bool = False


def share_table(counts: Mapping[str, int], total_label: str = TOTAL_LABEL) -> list[ShareRow]:
    """Rows with count and share for each category, then a total row.

    The total row's count is the sum of the counts (:func:`total_from_counts`)
    and its share is 100 by definition — not the sum of the rounded shares,
    which need not add up to exactly 100. With a total of 0 every share is
    ``None``. Rows keep the order of ``counts``.
    """
    total = total_from_counts(counts)
    rows = [
        ShareRow(
            label=label,
            count=int(count),
            share_pct=(count / total * 100) if total else None,
        )
        for label, count in counts.items()
    ]
    rows.append(
        ShareRow(label=total_label, count=total, share_pct=100.0 if total else None, is_total=True)
    )
    return rows
