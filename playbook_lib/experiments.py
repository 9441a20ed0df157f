"""A/B tests and their planning: significance, uplift intervals, sample size, peeking.

The functions behind ``notebooks/02_products/03_detail_page.ipynb``: which experiments are
A/B tests of a page against its current version (:func:`ab_test_ids`), is version B of a
product page really better (:func:`ab_test`, :func:`ab_test_table`), how many visitors and
days a test needs (:func:`sample_size`, :func:`power_curve`, :func:`duration_plan`), why
looking at the result every day (:func:`running_test`) and stopping at the first
"significant" day inflates false positives (:func:`peeking_simulation`), and whether revenue
per visitor moved (:func:`revenue_per_visitor_test`).

The statistics come from statsmodels and scipy; this module chooses the methods, checks the
input and returns tidy results. Variant ``a`` is always the control, ``b`` the challenger.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.power import NormalIndPower
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_effectsize,
    proportions_ztest,
)

from ._checks import count, positive_int, probability, require_numeric
from .errors import DataValidationError, format_examples, require_columns, require_non_empty

__all__ = [
    "ABTestResult",
    "MeanTestResult",
    "PeekingResult",
    "ab_test",
    "ab_test_table",
    "ab_test_ids",
    "running_test",
    "sample_size",
    "power_curve",
    "duration_plan",
    "peeking_simulation",
    "revenue_per_visitor_test",
    "revenue_per_visitor_test_from_stats",
]


# --- checks ------------------------------------------------------------------------------------

def _alpha(alpha, func: str) -> float:
    return probability(alpha, name="alpha", func=func, hint="e.g. 0.05 for 95 % confidence")


# --- two proportions ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ABTestResult:
    """Result of :func:`ab_test`: variant b (challenger) against a (control).

    Attributes
    ----------
    conversions_a, visitors_a, conversions_b, visitors_b : int
        The input counts.
    rate_a, rate_b : float
        Conversion rates, conversions / visitors.
    diff : float
        rate_b - rate_a (absolute difference, in rate points).
    ci_low, ci_high : float
        Confidence interval of ``diff`` at level 1 - alpha (Newcombe hybrid score).
    uplift : float
        rate_b / rate_a - 1 (relative); NaN when rate_a is 0.
    uplift_ci_low, uplift_ci_high : float
        Confidence interval of ``uplift`` (log risk ratio, 0.5 added to counts); NaN when
        rate_a is 0.
    statistic : float
        z statistic of the pooled two-proportion test (positive when b converts better).
    p_value : float
        Two-sided p-value of that test.
    significant : bool
        p_value < alpha.
    alpha : float
        Significance level used.
    """

    conversions_a: int
    visitors_a: int
    conversions_b: int
    visitors_b: int
    rate_a: float
    rate_b: float
    diff: float
    ci_low: float
    ci_high: float
    uplift: float
    uplift_ci_low: float
    uplift_ci_high: float
    statistic: float
    p_value: float
    significant: bool
    alpha: float

    def to_frame(self) -> pd.DataFrame:
        """The result as a one-row DataFrame with one column per attribute, in order."""
        return pd.DataFrame([asdict(self)])


def ab_test(conversions_a, visitors_a, conversions_b, visitors_b, alpha=0.05) -> ABTestResult:
    """Compare two conversion rates: whether version b is better than version a (control).

    Parameters
    ----------
    conversions_a, visitors_a : int
        Control: visitors who converted, and visitors.
    conversions_b, visitors_b : int
        Challenger: the same.
    alpha : float, default 0.05
        Significance level; intervals are at 1 - alpha.

    Returns
    -------
    ABTestResult
        ``rate_a``, ``rate_b``, ``diff``, ``ci_low``, ``ci_high``, ``uplift``,
        ``uplift_ci_low``, ``uplift_ci_high``, ``statistic``, ``p_value``, ``significant``,
        ``alpha`` and the counts; ``.to_frame()`` gives one row.

    Raises
    ------
    DataValidationError
        When a count is not a whole number >= 0, visitors are 0, or conversions exceed visitors.

    Notes
    -----
    Three statsmodels calls, each the usual choice for its job:

    - p-value: pooled two-proportion z-test, ``proportions_ztest([cb, ca], [nb, na])``,
      z = (p_b - p_a) / sqrt(p (1 - p) (1/n_a + 1/n_b)) with p the pooled rate (the same as
      R's ``prop.test(correct = FALSE)``). When nobody or everybody converted in both groups
      the rates are equal and cannot differ: z = 0, p = 1 (statsmodels gives NaN there).
    - difference interval: ``confint_proportions_2indep(method="newcomb")``, Newcombe's
      hybrid score interval, which behaves at 0 % and 100 % where the textbook Wald interval
      collapses. It is not the inversion of the z-test, so at the border (p close to alpha)
      the interval may just include 0 while the test says significant, or the reverse.
    - uplift interval: ``confint_proportions_2indep(compare="ratio",
      method="log-adjusted")``, a log risk-ratio interval minus 1; it is asymmetric, as a
      ratio should be.

    A/B test (A/B 测试): ``significant`` means a difference this large would be rare
    (probability < alpha) if the two pages converted equally; the interval says how large
    the uplift (提升) plausibly is.

    Examples
    --------
    >>> r = ab_test(300, 10_000, 345, 10_000)
    >>> round(r.rate_a, 4), round(r.rate_b, 4), round(r.uplift, 3)
    (0.03, 0.0345, 0.15)
    >>> round(r.p_value, 4), r.significant
    (0.0717, False)
    >>> r.to_frame()[["diff", "ci_low", "ci_high"]].round(4)
         diff  ci_low  ci_high
    0  0.0045 -0.0004   0.0094
    """
    func = "ab_test"
    ca = count(conversions_a, name="conversions_a", func=func)
    na = count(visitors_a, name="visitors_a", func=func)
    cb = count(conversions_b, name="conversions_b", func=func)
    nb = count(visitors_b, name="visitors_b", func=func)
    for c, n, g in ((ca, na, "a"), (cb, nb, "b")):
        if n == 0:
            raise DataValidationError(f"{func}: visitors_{g} is 0; each variant needs visitors.")
        if c > n:
            raise DataValidationError(
                f"{func}: conversions_{g}={c} is above visitors_{g}={n}; conversions count "
                f"visitors who converted, so they cannot exceed visitors. Check the columns."
            )
    alpha = _alpha(alpha, func)
    rate_a, rate_b = ca / na, cb / nb
    pooled = (ca + cb) / (na + nb)
    if 0 < pooled < 1:
        z, p = proportions_ztest([cb, ca], [nb, na], alternative="two-sided")
    else:
        z, p = 0.0, 1.0
    lo, hi = confint_proportions_2indep(cb, nb, ca, na, method="newcomb", compare="diff",
                                        alpha=alpha)
    if ca > 0:
        rlo, rhi = confint_proportions_2indep(cb, nb, ca, na, method="log-adjusted",
                                              compare="ratio", alpha=alpha)
        uplift, ulo, uhi = rate_b / rate_a - 1.0, float(rlo) - 1.0, float(rhi) - 1.0
    else:
        uplift = ulo = uhi = float("nan")
    p = float(min(max(p, 0.0), 1.0))
    return ABTestResult(
        conversions_a=ca, visitors_a=na, conversions_b=cb, visitors_b=nb,
        rate_a=rate_a, rate_b=rate_b, diff=rate_b - rate_a,
        ci_low=min(max(float(lo), -1.0), 1.0), ci_high=min(max(float(hi), -1.0), 1.0),
        uplift=uplift, uplift_ci_low=ulo, uplift_ci_high=uhi, statistic=float(z), p_value=p,
        significant=bool(p < alpha), alpha=alpha,
    )


def ab_test_table(experiments: pd.DataFrame, *, control: str | Mapping[str, str] = "A",
                  alpha: float = 0.05,
                  experiment_col: str = "experiment_id", variant_col: str = "variant",
                  visitors_col: str = "visitors",
                  conversions_col: str = "conversions") -> pd.DataFrame:
    """:func:`ab_test` for every experiment and non-control variant of the experiments table.

    Parameters
    ----------
    experiments : DataFrame
        One row per day x experiment x variant: ``experiment_id``, ``variant``, ``visitors``,
        ``conversions`` (``name`` is used when present). Days are summed.
    control : str or mapping, default "A"
        Label of the control variant, which every experiment must have; or a mapping of
        experiment_id to its control label (e.g. ``{"EXP03": "threshold"}``) that covers
        every experiment in the table.
    alpha : float, default 0.05
        Significance level for every comparison (no correction for testing several
        variants or experiments: with many, expect some false positives).
    experiment_col, variant_col, visitors_col, conversions_col : str
        Column names.

    Returns
    -------
    DataFrame
        One row per experiment x non-control variant, sorted by experiment then variant:
        ``experiment_id`` (str), ``name`` (str: the experiment's name, or its id when the
        table has no ``name`` column), ``variant`` (str), then every :class:`ABTestResult`
        attribute in order (``a`` is the control, ``b`` this variant). An experiment with
        only its control gives no row.

    Notes
    -----
    Per experiment: sum visitors and conversions over its days, then :func:`ab_test`
    (pooled z-test, Newcombe interval of the difference, log-ratio interval of the uplift).
    Read an experiment (实验) only once it has run its planned days (see
    :func:`peeking_simulation`).

    Examples
    --------
    >>> import pandas as pd
    >>> exp = pd.DataFrame({"experiment_id": ["e1"] * 4, "variant": ["A", "B", "A", "B"],
    ...     "visitors": [5000, 5000, 5000, 5000], "conversions": [150, 170, 150, 175]})
    >>> ab_test_table(exp)[["experiment_id", "variant", "rate_a", "rate_b", "uplift"]]
      experiment_id variant  rate_a  rate_b  uplift
    0            e1       B    0.03  0.0345    0.15
    """
    func = "ab_test_table"
    cols = [experiment_col, variant_col, visitors_col, conversions_col]
    require_columns(experiments, cols, table="experiments", func=func)
    require_non_empty(experiments, table="experiments", func=func)
    alpha = _alpha(alpha, func)
    for col in (visitors_col, conversions_col):
        s = experiments[col]
        if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
            raise DataValidationError(
                f"{func}: column '{col}' of table 'experiments' must be numeric, got "
                f"{s.dtype}. Convert it with pd.to_numeric.")
        bad = s[s.isna() | (s < 0)]
        if len(bad):
            raise DataValidationError(
                f"{func}: column '{col}' of table 'experiments' has missing or negative "
                f"values in rows {format_examples(bad.index.tolist(), 3)}. Fix those rows.")
    over = experiments[experiments[conversions_col] > experiments[visitors_col]]
    if len(over):
        raise DataValidationError(
            f"{func}: {len(over)} row(s) of table 'experiments' have more conversions than "
            f"visitors, e.g. rows {format_examples(over.index.tolist(), 3)}. Conversions "
            f"count visitors who converted; check the columns.")
    df = experiments.assign(_e=experiments[experiment_col].astype("str"),
                            _v=experiments[variant_col].astype("str"))
    totals = df.groupby(["_e", "_v"], sort=True)[[visitors_col, conversions_col]].sum()
    variants = totals.index.to_frame(index=False).groupby("_e")["_v"].agg(list)
    if isinstance(control, Mapping):
        controls = {str(k): str(v) for k, v in control.items()}
        absent = [e for e in variants.index if e not in controls]
        if absent:
            raise DataValidationError(
                f"{func}: control has no entry for experiment(s) {format_examples(absent, 3)}; "
                f"add them (e.g. {{{absent[0]!r}: {variants[absent[0]][0]!r}}}) or drop "
                f"those experiments from the table first.")
    else:
        controls = {e: str(control) for e in variants.index}
    missing = [e for e in variants.index if controls[e] not in variants[e]]
    if missing:
        e = missing[0]
        raise DataValidationError(
            f"{func}: experiment(s) {format_examples(missing, 3)} have no control variant "
            f"{controls[e]!r} ({e!r} has {format_examples(variants[e])}). Pass control= with "
            f"the control's label, or one per experiment, e.g. "
            f"control={{{e!r}: {variants[e][0]!r}}}.")
    names = (df.groupby("_e")["name"].first().astype("str") if "name" in df.columns
             else pd.Series(variants.index, index=variants.index))
    rows = []
    for (exp_id, variant), row in totals.iterrows():
        if variant == controls[exp_id]:
            continue
        ctrl = totals.loc[(exp_id, controls[exp_id])]
        res = ab_test(int(ctrl[conversions_col]), int(ctrl[visitors_col]),
                      int(row[conversions_col]), int(row[visitors_col]), alpha=alpha)
        rows.append({"experiment_id": exp_id, "name": names[exp_id], "variant": variant,
                     **asdict(res)})
    columns = ["experiment_id", "name", "variant"] + [f.name for f in fields(ABTestResult)]
    out = pd.DataFrame(rows, columns=columns)
    return out.astype({"experiment_id": "str", "name": "str", "variant": "str",
                       "significant": bool})


def ab_test_ids(experiments: pd.DataFrame, *, control: str = "A",
                experiment_col: str = "experiment_id", variant_col: str = "variant") -> list[str]:
    """Ids of the experiments with exactly two variants, one of them labelled ``control``.

    Parameters
    ----------
    experiments : DataFrame
        The experiments table: ``experiment_id``, ``variant`` (one row per day x experiment x
        variant; other columns are ignored).
    control : str, default "A"
        Label of the control variant (the current version of the page).
    experiment_col, variant_col : str
        Column names.

    Returns
    -------
    list of str
        Sorted experiment ids: the A/B tests of a page against its current version
        (challenger against control). Experiments with more variants, or without the
        control, are left out.

    Notes
    -----
    An A/B test (A/B 测试) compares one challenger with the control; a test of two offers
    with no current version (e.g. two coupon forms) is read differently, on revenue.

    Examples
    --------
    >>> import pandas as pd
    >>> exp = pd.DataFrame({"experiment_id": ["e1", "e1", "e2", "e2", "e3"],
    ...                     "variant": ["A", "B", "x", "y", "A"]})
    >>> ab_test_ids(exp)
    ['e1']
    >>> ab_test_ids(exp, control="x")
    ['e2']
    """
    func = "ab_test_ids"
    require_columns(experiments, [experiment_col, variant_col], table="experiments", func=func)
    variants = experiments.groupby(experiment_col)[variant_col].unique()
    return sorted(str(e) for e, v in variants.items() if control in set(v) and len(v) == 2)


def running_test(experiments: pd.DataFrame, *, control: str = "A",
                 alpha: float = 0.05) -> pd.DataFrame:
    """Each A/B test read again at the end of every day, on its totals so far.

    Parameters
    ----------
    experiments : DataFrame
        The experiments table: ``experiment_id``, ``date``, ``variant``, ``visitors``,
        ``conversions``. Only experiments with two variants, one of them ``control``, are used
        (see :func:`ab_test_ids`).
    control : str, default "A"
        Label of the control variant.
    alpha : float, default 0.05
        Significance level of each daily reading.

    Returns
    -------
    DataFrame
        One row per experiment x day, by experiment then date: ``experiment_id`` (str),
        ``day`` (int, 1 = the test's first day), ``date``, ``visitors_a``, ``conversions_a``,
        ``visitors_b``, ``conversions_b`` (running totals; ``a`` is the control), ``uplift``,
        ``p_value`` (float) and ``significant`` (bool), from :func:`ab_test`. Days before
        both variants have a visitor are skipped.

    Raises
    ------
    DataValidationError
        When a column is missing, the counts are not numbers >= 0, or no experiment has two
        variants including ``control``.

    Notes
    -----
    Reading a test every day and stopping at the first significant day (偷看) inflates false
    positives; :func:`peeking_simulation` shows by how much. The curve is for watching, the
    decision waits for the planned sample size (:func:`sample_size`).

    Examples
    --------
    >>> import pandas as pd
    >>> exp = pd.DataFrame({"experiment_id": ["e1"] * 4, "variant": ["A", "B"] * 2,
    ...     "date": pd.to_datetime(["2026-01-01"] * 2 + ["2026-01-02"] * 2),
    ...     "visitors": [1000, 1000, 1000, 1000], "conversions": [30, 40, 30, 45]})
    >>> running_test(exp)[["day", "visitors_b", "conversions_b", "uplift"]].round(3)
       day  visitors_b  conversions_b  uplift
    0    1        1000             40   0.333
    1    2        2000             85   0.417
    """
    func = "running_test"
    require_columns(experiments, ["experiment_id", "date", "variant", "visitors", "conversions"],
                    table="experiments", func=func)
    require_non_empty(experiments, table="experiments", func=func)
    require_numeric(experiments, ["visitors", "conversions"], table="experiments", func=func,
                    min_value=0)
    alpha = _alpha(alpha, func)
    ids = ab_test_ids(experiments, control=control)
    if not ids:
        raise DataValidationError(
            f"{func}: no experiment has two variants with one labelled {control!r}. Pass "
            f"control= with the label of your control version.")
    rows = []
    for exp_id in ids:
        one = experiments[experiments["experiment_id"].astype("str") == exp_id]
        wide = one.pivot_table(index="date", columns="variant",
                               values=["visitors", "conversions"], aggfunc="sum",
                               fill_value=0).sort_index().cumsum()
        other = next(v for v in wide["visitors"].columns if v != control)
        for day, (date, r) in enumerate(wide.iterrows(), start=1):
            na, ca = int(r[("visitors", control)]), int(r[("conversions", control)])
            nb, cb = int(r[("visitors", other)]), int(r[("conversions", other)])
            if na == 0 or nb == 0:
                continue
            res = ab_test(ca, na, cb, nb, alpha=alpha)
            rows.append({"experiment_id": exp_id, "day": day, "date": date,
                         "visitors_a": na, "conversions_a": ca, "visitors_b": nb,
                         "conversions_b": cb, "uplift": res.uplift, "p_value": res.p_value,
                         "significant": res.significant})
    return pd.DataFrame(rows).astype({"experiment_id": "str", "day": "int64",
                                      "significant": bool})


# --- planning: sample size and power -----------------------------------------------------------

def _plan_inputs(baseline_rate, alpha, power, func):
    baseline_rate = probability(baseline_rate, name="baseline_rate", func=func,
                                hint="the control's conversion rate, e.g. 0.03")
    alpha = _alpha(alpha, func)
    power = probability(power, name="power", func=func, hint="e.g. 0.8")
    return baseline_rate, alpha, power


def _visitors(baseline_rate: float, uplift: float, alpha: float, power: float, func: str):
    if isinstance(uplift, (bool, np.bool_)) or not isinstance(uplift, (numbers.Real, np.floating)) \
            or not np.isfinite(uplift) or uplift <= 0:
        raise ValueError(f"{func}: min_detectable_uplift={uplift!r} must be a relative uplift "
                         f"> 0, e.g. 0.1 for +10 %.")
    target = baseline_rate * (1.0 + uplift)
    if target > 1:
        raise ValueError(f"{func}: baseline_rate={baseline_rate} x (1 + {uplift}) = {target:.3g} "
                         f"is above 1; choose a smaller min_detectable_uplift.")
    h = float(proportion_effectsize(target, baseline_rate))
    n = NormalIndPower().solve_power(effect_size=h, nobs1=None, alpha=alpha, power=power,
                                     ratio=1.0, alternative="two-sided")
    return target, h, int(math.ceil(float(np.squeeze(n)) - 1e-9))


def sample_size(baseline_rate, min_detectable_uplift, alpha=0.05, power=0.8) -> int:
    """Visitors each variant needs to detect a relative uplift in conversion.

    Parameters
    ----------
    baseline_rate : float
        Control conversion rate, in (0, 1).
    min_detectable_uplift : float
        Smallest relative uplift worth detecting, > 0 (0.1 = +10 %); the challenger's rate is
        baseline_rate x (1 + uplift), at most 1.
    alpha : float, default 0.05
        Two-sided significance level.
    power : float, default 0.8
        Probability of detecting the uplift if it is real.

    Returns
    -------
    int
        Visitors per variant (rounded up); the test needs twice this in total.

    Notes
    -----
    statsmodels ``NormalIndPower().solve_power`` on Cohen's effect size
    h = 2 asin(sqrt(p_b)) - 2 asin(sqrt(p_a)) (``proportion_effectsize``), i.e.
    n = (z_{1-alpha/2} + z_{power})^2 x 2 / h^2 per variant. Sample size (样本量): small
    uplifts on low conversion rates need far more traffic; run the test until it is reached.

    Examples
    --------
    >>> sample_size(0.03, 0.15)
    24165
    >>> sample_size(0.03, 0.30) < sample_size(0.03, 0.15)
    True
    """
    func = "sample_size"
    baseline_rate, alpha, power = _plan_inputs(baseline_rate, alpha, power, func)
    return _visitors(baseline_rate, min_detectable_uplift, alpha, power, func)[2]


def power_curve(baseline_rate, *, uplifts=None, alpha=0.05, power=0.8) -> pd.DataFrame:
    """Visitors per variant across detectable uplifts (the function behind the slider).

    Parameters
    ----------
    baseline_rate : float
        Control conversion rate, in (0, 1).
    uplifts : array-like, optional
        Relative uplifts > 0; default 0.02, 0.03, ..., 0.50.
    alpha, power : float
        As in :func:`sample_size`.

    Returns
    -------
    DataFrame
        One row per uplift, in the given order: ``min_detectable_uplift``, ``baseline_rate``,
        ``target_rate``, ``effect_size`` (Cohen's h) (float), ``visitors_per_variant`` (int).

    Notes
    -----
    n(u) = :func:`sample_size` (baseline_rate, u): halving the uplift roughly quadruples the
    visitors, since n grows with 1 / h^2. Use it to agree the smallest uplift worth testing
    (最小可检测提升) with the traffic the page actually gets.

    Examples
    --------
    >>> power_curve(0.03, uplifts=[0.1, 0.2])[["min_detectable_uplift", "visitors_per_variant"]]
       min_detectable_uplift  visitors_per_variant
    0                    0.1                 53182
    1                    0.2                 13887
    """
    func = "power_curve"
    baseline_rate, alpha, power = _plan_inputs(baseline_rate, alpha, power, func)
    if uplifts is None:
        uplifts = np.round(np.arange(2, 51) / 100, 2)
    u = np.atleast_1d(np.asarray(uplifts, dtype=float))
    rows = [_visitors(baseline_rate, float(x), alpha, power, func) for x in u]
    return pd.DataFrame({
        "min_detectable_uplift": u,
        "baseline_rate": np.full(len(u), baseline_rate),
        "target_rate": np.array([r[0] for r in rows], dtype=float),
        "effect_size": np.array([r[1] for r in rows], dtype=float),
        "visitors_per_variant": np.array([r[2] for r in rows], dtype="int64"),
    })


def duration_plan(baseline_rate, daily_visitors_per_variant, *, uplifts=None, alpha=0.05,
                  power=0.8) -> pd.DataFrame:
    """Visitors and days a test needs, across the smallest uplifts worth detecting.

    Parameters
    ----------
    baseline_rate : float
        The control's conversion rate, in (0, 1).
    daily_visitors_per_variant : float
        Visitors each variant gets per day (half the page's daily traffic in a 50/50 split),
        > 0.
    uplifts : array-like, optional
        Relative uplifts > 0 (0.1 is +10 %); default 0.02, 0.03, ..., 0.50.
    alpha, power : float
        Significance level and power, as in :func:`sample_size`.

    Returns
    -------
    DataFrame
        :func:`power_curve` (``min_detectable_uplift``, ``baseline_rate``, ``target_rate``,
        ``effect_size``, ``visitors_per_variant``) plus ``total_visitors`` (both variants,
        int) and ``days_needed`` (int): visitors per variant / daily visitors per variant,
        rounded up.

    Raises
    ------
    ValueError
        When ``daily_visitors_per_variant`` is not a positive number (and as
        :func:`power_curve` for the other arguments).

    Notes
    -----
    days = ceil(n / daily visitors per variant), n from :func:`sample_size`. Test duration
    (测试周期): run whole weeks in practice, so weekday and weekend shoppers both count.

    Examples
    --------
    >>> duration_plan(0.03, 1000, uplifts=[0.1, 0.2])[
    ...     ["min_detectable_uplift", "visitors_per_variant", "total_visitors", "days_needed"]]
       min_detectable_uplift  visitors_per_variant  total_visitors  days_needed
    0                    0.1                 53182          106364           54
    1                    0.2                 13887           27774           14
    """
    func = "duration_plan"
    d = daily_visitors_per_variant
    if isinstance(d, (bool, np.bool_)) or not isinstance(d, (numbers.Real, np.floating)) \
            or not np.isfinite(d) or d <= 0:
        raise ValueError(f"{func}: daily_visitors_per_variant={d!r} must be a number > 0, the "
                         f"visitors each version gets per day.")
    out = power_curve(baseline_rate, uplifts=uplifts, alpha=alpha, power=power)
    n = out["visitors_per_variant"]
    out["total_visitors"] = (2 * n).astype("int64")
    out["days_needed"] = np.ceil(n / float(d) - 1e-9).astype("int64")
    return out


# --- peeking ---------------------------------------------------------------------------------

def _pooled_z_pvalues(conv_b, n_b, conv_a, n_a) -> np.ndarray:
    """Two-sided p-values of the pooled two-proportion z-test, element-wise.

    Written in numpy because the simulation needs millions of tests at once; equal to
    ``statsmodels.stats.proportion.proportions_ztest`` (checked in the tests), with p = 1
    where the pooled rate is 0 or 1.
    """
    conv_b, n_b = np.asarray(conv_b, dtype=float), np.asarray(n_b, dtype=float)
    conv_a, n_a = np.asarray(conv_a, dtype=float), np.asarray(n_a, dtype=float)
    pooled = (conv_a + conv_b) / (n_a + n_b)
    se = np.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (conv_b / n_b - conv_a / n_a) / se
    p = 2 * stats.norm.sf(np.abs(z))
    return np.where(se > 0, p, 1.0)


@dataclass(frozen=True, eq=False)
class PeekingResult:
    """Result of :func:`peeking_simulation`.

    Attributes
    ----------
    rate, daily_visitors, days, n_sims, alpha
        The simulation's settings.
    ever_significant : float
        Share of A/A tests with p < alpha on at least one day (the false-positive rate of
        "stop as soon as it is significant").
    significant_at_end : float
        Share with p < alpha on the last day (close to alpha: the honest false-positive rate).
    by_day : DataFrame
        ``day`` (int, 1..days), ``significant_today`` (float): share significant that day,
        ``ever_significant`` (float): share significant on that day or any before.
    """

    rate: float
    daily_visitors: int
    days: int
    n_sims: int
    alpha: float
    ever_significant: float
    significant_at_end: float
    by_day: pd.DataFrame = field(repr=False)

    def to_frame(self) -> pd.DataFrame:
        """One row: the settings, ``ever_significant`` and ``significant_at_end``."""
        d = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "by_day"}
        return pd.DataFrame([d])


def peeking_simulation(*, rate, daily_visitors, days, n_sims=2000, alpha=0.05,
                       seed) -> PeekingResult:
    """Simulate A/A tests checked every day: how often "significant" appears by chance.

    Parameters
    ----------
    rate : float
        True conversion rate of both variants (there is no real difference), in (0, 1).
    daily_visitors : int
        Visitors per variant per day.
    days : int
        Days each test runs; the test is checked at the end of every day.
    n_sims : int, default 2000
        Number of simulated tests.
    alpha : float, default 0.05
        Significance level of each daily check.
    seed : int or numpy.random.Generator
        Source of randomness (required, so results are reproducible).

    Returns
    -------
    PeekingResult
        ``ever_significant``, ``significant_at_end`` and the ``by_day`` curve.

    Notes
    -----
    Each day adds Binomial(daily_visitors, rate) conversions to each variant (drawn as one
    array of shape (2, n_sims, days): variant a then b); the pooled two-proportion z-test runs
    on the running totals. Checking daily and stopping at the first p < alpha makes a false
    "win" several times likelier than alpha (偷看/提前停止的问题): fix the sample size first.

    Examples
    --------
    >>> r = peeking_simulation(rate=0.03, daily_visitors=1000, days=20, n_sims=500, seed=1)
    >>> r.significant_at_end < r.ever_significant
    True
    >>> r.by_day.shape
    (20, 3)
    """
    func = "peeking_simulation"
    rate = probability(rate, name="rate", func=func, hint="e.g. 0.03")
    daily_visitors = positive_int(daily_visitors, name="daily_visitors", func=func)
    days = positive_int(days, name="days", func=func)
    n_sims = positive_int(n_sims, name="n_sims", func=func)
    alpha = _alpha(alpha, func)
    if seed is None or isinstance(seed, bool) or not isinstance(
            seed, (numbers.Integral, np.random.Generator)):
        raise ValueError(f"{func}: seed={seed!r} must be an int or a numpy Generator, e.g. "
                         f"seed=0, so the simulation can be repeated.")
    rng = np.random.default_rng(seed)
    conv = rng.binomial(daily_visitors, rate, size=(2, n_sims, days)).cumsum(axis=2)
    n = daily_visitors * np.arange(1, days + 1)
    sig = _pooled_z_pvalues(conv[1], n, conv[0], n) < alpha
    ever = np.logical_or.accumulate(sig, axis=1)
    by_day = pd.DataFrame({"day": np.arange(1, days + 1, dtype="int64"),
                           "significant_today": sig.mean(axis=0),
                           "ever_significant": ever.mean(axis=0)})
    return PeekingResult(rate=rate, daily_visitors=daily_visitors, days=days, n_sims=n_sims,
                         alpha=alpha, ever_significant=float(ever[:, -1].mean()),
                         significant_at_end=float(sig[:, -1].mean()), by_day=by_day)


# --- revenue per visitor -----------------------------------------------------------------------

@dataclass(frozen=True)
class MeanTestResult:
    """Result of :func:`revenue_per_visitor_test`: mean of b against mean of a (control).

    Attributes
    ----------
    n_a, n_b : int
        Visitors per variant.
    mean_a, mean_b : float
        Mean revenue per visitor.
    diff : float
        mean_b - mean_a.
    ci_low, ci_high : float
        Welch confidence interval of ``diff`` at level 1 - alpha.
    uplift : float
        mean_b / mean_a - 1; NaN when mean_a is 0.
    statistic, df : float
        Welch t statistic and its Welch-Satterthwaite degrees of freedom.
    p_value : float
        Two-sided p-value (NaN when neither group varies).
    significant : bool
        p_value < alpha.
    alpha : float
        Significance level used.
    """

    n_a: int
    n_b: int
    mean_a: float
    mean_b: float
    diff: float
    ci_low: float
    ci_high: float
    uplift: float
    statistic: float
    df: float
    p_value: float
    significant: bool
    alpha: float

    def to_frame(self) -> pd.DataFrame:
        """The result as a one-row DataFrame with one column per attribute, in order."""
        return pd.DataFrame([asdict(self)])


def _sample(values, name: str, func: str) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise DataValidationError(f"{func}: {name} must be numbers (revenue per visitor, 0 for "
                                  f"visitors who did not buy).") from exc
    if arr.ndim != 1 or len(arr) < 2:
        raise DataValidationError(f"{func}: {name} needs a 1-d array of at least 2 visitors' "
                                  f"revenue, got shape {arr.shape}.")
    bad = arr[~np.isfinite(arr)]
    if len(bad):
        raise DataValidationError(f"{func}: {name} has {len(bad)} missing or infinite values, "
                                  f"e.g. {format_examples(bad.tolist(), 3)}; use 0 for visitors "
                                  f"who did not buy.")
    return arr


def _mean_result(n_a, n_b, mean_a, mean_b, t, dof, p, lo, hi, alpha) -> MeanTestResult:
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        uplift = mean_b / mean_a - 1.0 if mean_a != 0 else float("nan")
    p = float(p)
    return MeanTestResult(n_a=int(n_a), n_b=int(n_b), mean_a=float(mean_a), mean_b=float(mean_b),
                          diff=float(mean_b - mean_a), ci_low=float(lo), ci_high=float(hi),
                          uplift=float(uplift), statistic=float(t), df=float(dof), p_value=p,
                          significant=bool(p < alpha), alpha=alpha)


def revenue_per_visitor_test(revenue_a, revenue_b, *, alpha=0.05) -> MeanTestResult:
    """Welch t-test on revenue per visitor: whether version b changed what a visitor spends.

    Parameters
    ----------
    revenue_a, revenue_b : array-like of float
        Revenue of every visitor of each variant, 0 for visitors who did not buy.
    alpha : float, default 0.05
        Significance level; the interval is at 1 - alpha.

    Returns
    -------
    MeanTestResult
        Means, difference with its interval, uplift, t, df, p-value; ``.to_frame()`` gives
        one row.

    Notes
    -----
    ``scipy.stats.ttest_ind(revenue_b, revenue_a, equal_var=False)`` and its
    ``confidence_interval``: t = (m_b - m_a) / sqrt(s_a^2/n_a + s_b^2/n_b), Welch-Satterthwaite
    df. Revenue per visitor (UV价值) = conversion x AOV, so it catches a page that converts
    more but sells cheaper. Heavy-tailed revenue needs many visitors for the t-test to hold.

    Examples
    --------
    >>> r = revenue_per_visitor_test([0, 0, 100, 0, 50, 0], [0, 120, 100, 0, 80, 0])
    >>> round(r.mean_a, 2), round(r.mean_b, 2), round(r.p_value, 3)
    (25.0, 50.0, 0.404)
    """
    func = "revenue_per_visitor_test"
    a = _sample(revenue_a, "revenue_a", func)
    b = _sample(revenue_b, "revenue_b", func)
    alpha = _alpha(alpha, func)
    with np.errstate(divide="ignore", invalid="ignore"):
        res = stats.ttest_ind(b, a, equal_var=False)
        lo, hi = res.confidence_interval(confidence_level=1 - alpha)
    return _mean_result(len(a), len(b), a.mean(), b.mean(), res.statistic, res.df, res.pvalue,
                        lo, hi, alpha)


def revenue_per_visitor_test_from_stats(mean_a, std_a, n_a, mean_b, std_b, n_b, *,
                                        alpha=0.05) -> MeanTestResult:
    """:func:`revenue_per_visitor_test` from summary statistics (a BI export's mean and std).

    Parameters
    ----------
    mean_a, std_a, n_a : float, float, int
        Control: mean revenue per visitor, its sample standard deviation (ddof=1), visitors.
    mean_b, std_b, n_b : float, float, int
        Challenger: the same.
    alpha : float, default 0.05
        Significance level; the interval is at 1 - alpha.

    Returns
    -------
    MeanTestResult
        The same fields as :func:`revenue_per_visitor_test` gives on the raw data.

    Notes
    -----
    t and p from ``scipy.stats.ttest_ind_from_stats(equal_var=False)``; the interval
    diff +- t_{1-alpha/2, df} x se is written out because scipy returns none from summary
    statistics. df = (v_a + v_b)^2 / (v_a^2/(n_a-1) + v_b^2/(n_b-1)), v = s^2/n.

    Examples
    --------
    >>> r = revenue_per_visitor_test_from_stats(25.0, 41.833, 6, 50.0, 56.2139, 6)
    >>> round(r.p_value, 3), round(r.ci_low, 1), round(r.ci_high, 1)
    (0.404, -39.5, 89.5)
    """
    func = "revenue_per_visitor_test_from_stats"
    values = {"mean_a": mean_a, "std_a": std_a, "mean_b": mean_b, "std_b": std_b}
    for name, v in values.items():
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (numbers.Real, np.floating)) \
                or not np.isfinite(v) or (name.startswith("std") and v < 0):
            raise DataValidationError(f"{func}: {name}={v!r} must be a finite number"
                                      f"{' >= 0' if name.startswith('std') else ''}.")
    for name, n in (("n_a", n_a), ("n_b", n_b)):
        if count(n, name=name, func=func) < 2:
            raise DataValidationError(f"{func}: {name}={n!r} must be at least 2 visitors.")
    alpha = _alpha(alpha, func)
    n_a, n_b = int(n_a), int(n_b)
    va, vb = std_a**2 / n_a, std_b**2 / n_b
    se = math.sqrt(va + vb)
    with np.errstate(divide="ignore", invalid="ignore"):
        res = stats.ttest_ind_from_stats(mean_b, std_b, n_b, mean_a, std_a, n_a, equal_var=False)
        dof = (va + vb) ** 2 / (va**2 / (n_a - 1) + vb**2 / (n_b - 1)) if se > 0 else float("nan")
    half = stats.t.ppf(1 - alpha / 2, dof) * se if se > 0 else float("nan")
    diff = mean_b - mean_a
    return _mean_result(n_a, n_b, mean_a, mean_b, res.statistic, dof, res.pvalue, diff - half,
                        diff + half, alpha)
