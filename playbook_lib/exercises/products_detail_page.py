"""Exercises of ``notebooks/02_products/03_detail_page.ipynb``: testing two product pages.

The notebook has, by the time the exercises run:

- ``ds`` (the shop), ``experiments`` (``ds.experiments``: one row per day x experiment x
  variant), the parameters ``CONTROL``, ``ALPHA``, ``POWER``, ``MIN_UPLIFT``;
- ``ab_ids``: the experiments with exactly two variants, one of them labelled ``CONTROL``
  (the A/B tests of a page against its current version); ``other_ids``: the rest;
  ``ab_tests``: the rows of ``experiments`` for ``ab_ids``;
- ``totals`` (visitors and conversions per experiment x variant of the A/B tests), ``ctrl``
  and ``chal`` (the control's and the challenger's totals, one row per experiment);
- ``results`` (:func:`playbook_lib.experiments.ab_test_table` of the A/B tests);
- ``latest_id`` (the A/B test that ended last) and ``baseline`` (its control's conversion);
- ``other_id``: the first experiment of ``other_ids`` (None when there is none).

Expected answers come from :mod:`playbook_lib.experiments` (``ab_test_ids``,
``ab_test_table``, ``sample_size``) or, for revenue per visitor, from the sums below.
``ab_test_ids``, ``duration_plan`` and ``running_test`` live in :mod:`playbook_lib.experiments`;
they are importable from here too until the notebook imports them from there.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from .. import experiments as ab
from ..errors import DataValidationError, require_columns
from ..experiments import ab_test_ids
from . import ExactAnswer, ExerciseSet, Mistake, Question, ScalarAnswer, SeriesAnswer

__all__ = ["EXERCISES"]

_KEYS = ["experiment_id", "variant"]


# --- what the notebook has defined -------------------------------------------------------------

def _resolve(ds, control=None, alpha=None, power=None, min_uplift=None) -> dict:
    """Empty parameters take the lesson's defaults."""
    def pick(value, default):
        return default if value is None or (isinstance(value, str) and not value.strip()) \
            else value
    return {"control": str(pick(control, "A")), "alpha": float(pick(alpha, 0.05)),
            "power": float(pick(power, 0.8)), "min_uplift": float(pick(min_uplift, 0.10))}


def _ab_tests(ds, control: str) -> pd.DataFrame:
    e = ds.experiments
    ids = ab_test_ids(e, control=control)
    if not ids:
        raise DataValidationError(
            f"no experiment in this shop has two variants with one labelled {control!r}; "
            f"set CONTROL to the label of your control version.")
    return e[e["experiment_id"].isin(ids)]


def _results(ds, control: str, alpha: float) -> pd.DataFrame:
    return ab.ab_test_table(_ab_tests(ds, control), control=control, alpha=alpha)


def _split(ds, control: str):
    totals = _ab_tests(ds, control).groupby(_KEYS)[["visitors", "conversions"]].sum()
    ctrl = totals.xs(control, level="variant")
    chal = totals.drop(index=control, level="variant").droplevel("variant")
    return totals, ctrl, chal


def _latest(ds, control: str):
    """The A/B test that ended last, and its control's conversion rate."""
    last_day = _ab_tests(ds, control).groupby("experiment_id")["date"].max()
    latest_id = last_day.idxmax()
    _, ctrl, _ = _split(ds, control)
    return latest_id, float(ctrl.loc[latest_id, "conversions"] / ctrl.loc[latest_id, "visitors"])


def _other_id(ds, control: str):
    e = ds.experiments
    ids = set(ab_test_ids(e, control=control))
    others = [str(x) for x in sorted(e["experiment_id"].astype("str").unique()) if x not in ids]
    return others[0] if others else None


# --- expected answers and typical mistakes -----------------------------------------------------

def _conversion(ds, control, alpha, power, min_uplift) -> pd.Series:
    """Conversion per experiment x variant of the A/B tests, from ab_test_table's rates."""
    r = _results(ds, control, alpha)
    parts = [pd.Series(r["rate_a"].to_numpy(),
                       index=pd.MultiIndex.from_arrays([r["experiment_id"], [control] * len(r)],
                                                       names=_KEYS)),
             pd.Series(r["rate_b"].to_numpy(),
                       index=pd.MultiIndex.from_arrays([r["experiment_id"], r["variant"]],
                                                       names=_KEYS))]
    return pd.concat(parts).sort_index().rename("conversion")


def _daily_mean_conversion(ds, control, alpha, power, min_uplift) -> pd.Series:
    t = _ab_tests(ds, control)
    return (t["conversions"] / t["visitors"]).groupby([t["experiment_id"], t["variant"]]).mean()


def _rates(ds, control):
    _, ctrl, chal = _split(ds, control)
    return ctrl["conversions"] / ctrl["visitors"], chal["conversions"] / chal["visitors"]


def _by_test(column: str):
    def expected(ds, control, alpha, power, min_uplift) -> pd.Series:
        return _results(ds, control, alpha).set_index("experiment_id")[column]
    expected.__name__ = f"results_{column}"
    return expected


def _z_unpooled(ds, control, alpha, power, min_uplift) -> pd.Series:
    _, ctrl, chal = _split(ds, control)
    pa, pb = _rates(ds, control)
    se = np.sqrt(pa * (1 - pa) / ctrl["visitors"] + pb * (1 - pb) / chal["visitors"])
    return (pb - pa) / se


def _z_no_sqrt(ds, control, alpha, power, min_uplift) -> pd.Series:
    _, ctrl, chal = _split(ds, control)
    pa, pb = _rates(ds, control)
    pooled = (ctrl["conversions"] + chal["conversions"]) / (ctrl["visitors"] + chal["visitors"])
    return (pb - pa) / (pooled * (1 - pooled) * (1 / ctrl["visitors"] + 1 / chal["visitors"]))


def _ship(ds, control, alpha, power, min_uplift) -> pd.Series:
    r = _results(ds, control, alpha).set_index("experiment_id")
    return ((r["p_value"] < alpha) & (r["uplift"] > 0)).rename("ship")


def _n_formula(baseline: float, target: float, z_alpha: float, z_power: float) -> float:
    h = 2 * math.asin(math.sqrt(target)) - 2 * math.asin(math.sqrt(baseline))
    return float(math.ceil((z_alpha + z_power) ** 2 * 2 / h**2))


def _sample_size(ds, control, alpha, power, min_uplift) -> int:
    _, baseline = _latest(ds, control)
    return ab.sample_size(baseline, min_uplift, alpha=alpha, power=power)


def _n_mistake(kind: str):
    def wrong(ds, control, alpha, power, min_uplift) -> float:
        _, p = _latest(ds, control)
        za, zp = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
        if kind == "total":
            return 2 * _n_formula(p, p * (1 + min_uplift), za, zp)
        if kind == "absolute":
            return _n_formula(p, min(p + min_uplift, 1.0), za, zp)
        if kind == "one_sided":
            return _n_formula(p, p * (1 + min_uplift), stats.norm.ppf(1 - alpha), zp)
        if kind == "no_power":
            return _n_formula(p, p * (1 + min_uplift), za, 0.0)
        raise ValueError(kind)  # pragma: no cover
    wrong.__name__ = f"n_{kind}"
    return wrong


def _all_sums(ds) -> pd.DataFrame:
    e = ds.experiments
    require_columns(e, ["experiment_id", "variant", "visitors", "conversions", "revenue"],
                    table="experiments", func="exercises 02_products/03_detail_page")
    return e.groupby(_KEYS)[["visitors", "conversions", "revenue"]].sum()


def _rpv(ds, control, alpha, power, min_uplift) -> pd.Series:
    s = _all_sums(ds)
    return (s["revenue"] / s["visitors"]).rename("revenue_per_visitor")


def _aov(ds, control, alpha, power, min_uplift) -> pd.Series:
    s = _all_sums(ds)
    return s["revenue"] / s["conversions"]


def _daily_mean_rpv(ds, control, alpha, power, min_uplift) -> pd.Series:
    e = ds.experiments
    return (e["revenue"] / e["visitors"]).groupby([e["experiment_id"], e["variant"]]).mean()


def _other_sums(ds, control) -> pd.DataFrame:
    other = _other_id(ds, control)
    if other is None:
        raise DataValidationError(
            f"this shop has no experiment other than the A/B tests with a {control!r} variant, "
            f"so there is no second kind of test to read.")
    return _all_sums(ds).xs(other, level="experiment_id")


def _best_rpv_variant(ds, control, alpha, power, min_uplift) -> str:
    s = _other_sums(ds, control)
    return str((s["revenue"] / s["visitors"]).idxmax())


def _best_conversion_variant(ds, control, alpha, power, min_uplift) -> str:
    s = _other_sums(ds, control)
    return str((s["conversions"] / s["visitors"]).idxmax())


Q1 = Question(
    "q1",
    prompt="What was the **conversion rate** (转化率) of each version in each A/B test? Build a "
           "Series `conversion` indexed by (`experiment_id`, `variant`): the version's "
           "conversions divided by its visitors over the whole test.",
    expected=_conversion,
    compare=SeriesAnswer(rel=1e-9, abs=1e-12),
    hints=[
        ("Work on `ab_tests`. Add up visitors and conversions per experiment and variant first, "
        "then divide once."),
        ("`ab_tests.groupby(['experiment_id', 'variant'])[['visitors', 'conversions']].sum()` "
        "gives one row per version; divide its two columns."),
        ("`sums = ab_tests.groupby(['experiment_id', 'variant'])[['visitors', 'conversions']]"
        ".sum()`, then `conversion = sums['conversions'] / sums['visitors']`."),
    ],
    answer_var="conversion",
    mistakes=[
        Mistake("daily_mean", _daily_mean_conversion,
                hint="You averaged the daily conversion rates. A quiet day then weighs as much "
                     "as a busy one. Add up visitors and conversions over the whole test "
                     "first, then divide once."),
        Mistake("percent", lambda ds, **p: 100 * _conversion(ds, **p), code="percent"),
        Mistake("inverted",
                lambda ds, **p: 1 / _conversion(ds, **p),
                hint="Your values are above 1: you divided visitors by conversions. A "
                     "conversion rate is conversions / visitors."),
    ],
)

Q2 = Question(
    "q2",
    prompt="By how much did the challenger beat the control in each A/B test? Compute the "
           "**relative uplift** (相对提升) `rate of the challenger / rate of the control - 1` "
           "as a Series `uplift`, one value per `experiment_id`.",
    expected=_by_test("uplift"),
    compare=SeriesAnswer(rel=1e-9, abs=1e-12),
    hints=[
        ("`ctrl` and `chal` hold the totals of the control and of the challenger, one row per "
        "experiment. Turn each into a rate first."),
        ("`rate_ctrl = ctrl['conversions'] / ctrl['visitors']`, the same for `chal`; the "
        "uplift compares the challenger with the control, relative to the control."),
        "`uplift = rate_chal / rate_ctrl - 1`.",
    ],
    answer_var="uplift",
    mistakes=[
        Mistake("absolute",
                lambda ds, control, **p: _rates(ds, control)[1] - _rates(ds, control)[0],
                hint="That is the absolute difference, in rate points. The relative uplift "
                     "divides it by the control's rate: rate_chal / rate_ctrl - 1."),
        Mistake("ratio",
                lambda ds, control, **p: _rates(ds, control)[1] / _rates(ds, control)[0],
                hint="That is the ratio of the two rates (1.1 means +10 %). Subtract 1 to get "
                     "the uplift."),
        Mistake("wrong_base",
                lambda ds, control, **p: 1 - _rates(ds, control)[0] / _rates(ds, control)[1],
                hint="You divided the difference by the challenger's rate. The uplift is "
                     "measured against where you started: divide by the control's rate."),
        Mistake("percent", lambda ds, **p: 100 * _by_test("uplift")(ds, **p), code="percent"),
    ],
)

Q3 = Question(
    "q3",
    prompt="Could the uplift be luck? Compute each A/B test's **z statistic** of the pooled "
           "two-proportion test: `(rate_chal - rate_ctrl) / se`, with "
           "`se = sqrt(p (1 - p) (1/n_ctrl + 1/n_chal))` and `p` the pooled rate (both "
           "versions' conversions over both versions' visitors). A Series `z` per "
           "`experiment_id`.",
    expected=_by_test("statistic"),
    compare=SeriesAnswer(rel=1e-7, abs=1e-9),
    hints=[
        "Three parts: the two rates (as in q2), the pooled rate, then the standard error.",
        ("`pooled = (ctrl['conversions'] + chal['conversions']) / (ctrl['visitors'] + "
        "chal['visitors'])`; the standard error uses `np.sqrt(...)` of pooled x (1 - pooled) x "
        "(1 / control visitors + 1 / challenger visitors)."),
        ("`se = np.sqrt(pooled * (1 - pooled) * (1 / ctrl['visitors'] + 1 / chal['visitors']))`"
        ", then `z = (rate_chal - rate_ctrl) / se`."),
    ],
    answer_var="z",
    mistakes=[
        Mistake("unpooled", _z_unpooled,
                hint="You used each version's own rate in the standard error (the unpooled "
                     "form). The test asks 'what if both pages convert the same?', so it uses "
                     "one pooled rate for both: all conversions over all visitors."),
        Mistake("no_sqrt", _z_no_sqrt,
                hint="The standard error is the square root of p (1 - p) (1/n_ctrl + "
                     "1/n_chal); without np.sqrt the z values are far too large."),
        Mistake("sign", lambda ds, **p: -_by_test("statistic")(ds, **p), code="sign"),
    ],
)

Q4 = Question(
    "q4",
    prompt="Decide: which A/B tests do you **ship** (上线 the challenger)? Build a boolean Series "
           "`ship`, one entry per `experiment_id`: True when the test is significant "
           "(`p_value < ALPHA`) **and** the challenger converts better (uplift > 0).",
    expected=_ship,
    compare=SeriesAnswer(),
    hints=[
        ("`results` has one row per A/B test with `p_value` and `uplift`; index it by "
        "`experiment_id`."),
        "Combine two conditions with `&`, each in brackets: `(a < b) & (c > 0)`.",
        ("`r = results.set_index('experiment_id')`, then "
        "`ship = (r['p_value'] < ALPHA) & (r['uplift'] > 0)`."),
    ],
    answer_var="ship",
    mistakes=[
        Mistake("ship_all", lambda ds, **p: _ship(ds, **p) | True,
                hint="You would ship every challenger. A test whose difference could well be "
                     "chance (p_value >= ALPHA) is no reason to change the page."),
        Mistake("reversed", lambda ds, control, alpha, **p: (
                    _results(ds, control, alpha).set_index("experiment_id")["p_value"] >= alpha),
                hint="The condition is the wrong way round: a SMALL p-value is the evidence. "
                     "Ship when p_value < ALPHA and the uplift is positive."),
    ],
)

Q5 = Question(
    "q5",
    prompt="Plan the next test before you start it. The current page converts at `baseline` "
           "(the control of the latest test). How many visitors **per version** does a test "
           "need to detect a relative uplift of `MIN_UPLIFT` with significance `ALPHA` "
           "(two-sided) and power `POWER`? Use Cohen's h, "
           "`h = 2 asin(sqrt(target)) - 2 asin(sqrt(baseline))` with "
           "`target = baseline (1 + MIN_UPLIFT)`, and "
           "`n = (z_(1-ALPHA/2) + z_POWER)^2 x 2 / h^2`, rounded up. Store it in `n_needed`.",
    expected=_sample_size,
    compare=ScalarAnswer(rel=0, abs=1.5),
    hints=[
        ("The z values come from the normal distribution: `stats.norm.ppf(0.975)` is about "
        "1.96. MIN_UPLIFT is relative, so the target rate is baseline x (1 + MIN_UPLIFT)."),
        ("`z_alpha = stats.norm.ppf(1 - ALPHA / 2)`, `z_power = stats.norm.ppf(POWER)`, "
        "`h = 2 * np.arcsin(np.sqrt(target)) - 2 * np.arcsin(np.sqrt(baseline))`."),
        ("`n_needed = np.ceil((z_alpha + z_power) ** 2 * 2 / h ** 2)`; "
        "`ab.sample_size(baseline, MIN_UPLIFT, ALPHA, POWER)` should agree."),
    ],
    answer_var="n_needed",
    mistakes=[
        Mistake("total", _n_mistake("total"),
                hint="That is the total for both versions. The question asks for visitors per "
                     "version: each of the two pages needs this many on its own."),
        Mistake("absolute", _n_mistake("absolute"),
                hint="You added MIN_UPLIFT to the rate as rate points. It is a relative "
                     "uplift: the target rate is baseline * (1 + MIN_UPLIFT)."),
        Mistake("one_sided", _n_mistake("one_sided"),
                hint="You used z at 1 - ALPHA, a one-sided test. The test is two-sided (a page "
                     "can also be worse): use stats.norm.ppf(1 - ALPHA / 2)."),
        Mistake("no_power", _n_mistake("no_power"),
                hint="The power term is missing: with z_alpha alone the test would catch a "
                     "real uplift only half of the time. Add stats.norm.ppf(POWER) to "
                     "z_alpha before squaring."),
    ],
)

Q6 = Question(
    "q6",
    prompt="Conversion is not the whole story. For **every** experiment and version, what was "
           "the **revenue per visitor** (UV价值): revenue divided by visitors over the whole "
           "test? A Series `rpv` indexed by (`experiment_id`, `variant`).",
    expected=_rpv,
    compare=SeriesAnswer(rel=1e-9, abs=1e-9),
    hints=[
        "Use `experiments` (all tests, not only `ab_tests`). Sum first, divide once, as in q1.",
        "`experiments.groupby(['experiment_id', 'variant'])[['visitors', 'revenue']].sum()`.",
        ("`sums = experiments.groupby(['experiment_id', 'variant'])[['visitors', 'revenue']]"
        ".sum()`, then `rpv = sums['revenue'] / sums['visitors']`."),
    ],
    answer_var="rpv",
    mistakes=[
        Mistake("aov", _aov,
                hint="You divided revenue by conversions: that is the average order value "
                     "(客单价) of the buyers. Revenue per visitor divides by all visitors, "
                     "buyers or not."),
        Mistake("daily_mean", _daily_mean_rpv,
                hint="You averaged the daily values, so a quiet day weighs as much as a busy "
                     "one. Add up revenue and visitors over the whole test, then divide."),
    ],
)

Q7 = Question(
    "q7",
    prompt="Your turn on the experiment `other_id` (a test of two offers rather than of a page "
           "against its current version). Which version (its `variant` label) brings **more "
           "revenue per visitor**? Store the label in `best_variant`.",
    expected=_best_rpv_variant,
    compare=ExactAnswer(),
    hints=[
        ("Keep the rows of `experiments` whose `experiment_id` is `other_id`, then compute "
        "revenue per visitor per variant as in q6."),
        "`.idxmax()` on a Series returns the label of its largest value.",
        ("`one = experiments[experiments['experiment_id'] == other_id]`, "
        "`s = one.groupby('variant')[['visitors', 'revenue']].sum()`, "
        "`best_variant = (s['revenue'] / s['visitors']).idxmax()`."),
    ],
    answer_var="best_variant",
    mistakes=[
        Mistake("best_conversion", _best_conversion_variant,
                hint="That version converts more visitors into buyers, but each of its orders "
                     "brings in less. Compare revenue / visitors: it folds conversion and "
                     "order value together."),
        Mistake("experiment_id", lambda ds, control, **p: _other_id(ds, control),
                hint="That is the experiment's id. The question asks for the label of one of "
                     "its versions (a value of the `variant` column)."),
        Mistake("tuple_label", lambda ds, control, **p: (
                    _other_id(ds, control), _best_rpv_variant(ds, control, **p)),
                code="wrong_type"),
        Mistake("the_value", lambda ds, control, **p: float(
                    (_other_sums(ds, control)["revenue"] / _other_sums(ds, control)["visitors"])
                    .max()),
                code="wrong_type"),
    ],
)

EXERCISES = ExerciseSet(
    notebook="02_products/03_detail_page",
    title="The product detail page: testing two versions",
    params=("control", "alpha", "power", "min_uplift"),
    resolve=_resolve,
    questions=[Q1, Q2, Q3, Q4, Q5, Q6, Q7],
)
