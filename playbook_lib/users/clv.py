"""Customer lifetime value (用户生命周期价值).

Historic spend, BTYD summaries, BG/NBD and Gamma-Gamma models, predicted CLV and its split by
membership tier.

The library half of the CLV part of ``notebooks/01_users/03_retention_loyalty``; the
conventions (paid orders, ``as_of``, BTYD's inclusive observation end) are in
:mod:`playbook_lib.users`.

The CLV models (BG/NBD, Gamma-Gamma) are written here from the published closed forms with
scipy, because lifetimes, the library that had them, is no longer maintained.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import optimize, special

from .._checks import numeric_values, positive_int, to_timestamp
from ..errors import (
    DataValidationError,
    format_examples,
    require_choice,
    require_columns,
    require_non_empty,
)
from ._rows import (
    _PERIOD_FREQS,
    _customer_stats,
    _day,
    _distinct_days,
    _group_min_max,
    _paid_rows,
    _period_index,
    _period_ordinals,
    _tier_order,
    _to_datetime_index_values,
    _ts_ns,
)

__all__ = [
    "ConvergenceWarning",
    "HistoricCLV",
    "historic_clv",
    "btyd_summary",
    "BGNBDModel",
    "fit_bgnbd",
    "GammaGammaModel",
    "fit_gamma_gamma",
    "predict_clv",
    "clv_by_tier",
]

# Length of one BTYD time unit in days (see btyd_summary); a month is 365.25 / 12 days.
_BTYD_UNIT_DAYS = MappingProxyType({"D": 1.0, "W": 7.0, "M": 365.25 / 12})
_DAYS_PER_MONTH = 365.25 / 12


class ConvergenceWarning(UserWarning):
    """A model fit that stopped before its optimiser converged (estimates are unreliable)."""


# ------------------------------------------------------------------------------------------
# customer lifetime value: historic
# ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class HistoricCLV:
    """Result of :func:`historic_clv`.

    Attributes
    ----------
    customers : DataFrame
        Indexed by ``customer_id``: ``group`` (cohort Period or segment label),
        ``first_order_ts``, ``orders`` (int), ``spend`` (yuan to date), ``tenure_days`` (int,
        days from the first paid order to ``as_of``).
    groups : DataFrame
        Indexed by ``group``: ``customers`` (int), ``total_spend``, ``mean_spend``,
        ``median_spend``, ``mean_orders``.
    """

    customers: pd.DataFrame
    groups: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The per-group table (``groups``)."""
        return self.groups


def historic_clv(orders: pd.DataFrame, *, as_of=None, by="cohort", freq: str = "M",
                 customer_col: str = "customer_id", ts_col: str = "order_ts",
                 amount_col: str = "net_amount", status_col: str = "status") -> HistoricCLV:
    """Historic customer value: spend to date per customer, averaged per cohort or segment.

    Parameters
    ----------
    orders : DataFrame
        The orders table (paid orders count).
    as_of : date-like, optional
        Count only orders before it (default: all orders).
    by : "cohort" or Series
        "cohort": group customers by the period of their first paid order. A Series (or dict)
        mapping customer id to a label (e.g. ``rfm_segments(...)["segment"]``) groups by that
        label; customers without a label are grouped as "unassigned".
    freq : {"W", "M", "Q"}, default "M"
        Cohort period length when ``by="cohort"``.
    customer_col, ts_col, amount_col, status_col : str
        Column names (schema defaults).

    Returns
    -------
    HistoricCLV
        ``customers`` (one row per customer) and ``groups`` (one row per group);
        ``.to_frame()`` returns ``groups``.

    Notes
    -----
    Historic CLV (历史用户价值) = net spend of paid orders to date. Older cohorts have had longer
    to spend, so compare cohorts at equal age, or use :func:`predict_clv` for the future.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "b", "c"],
    ...     "order_ts": pd.to_datetime(["2026-01-03", "2026-02-10", "2026-01-20", "2026-02-01"]),
    ...     "net_amount": [100.0, 50.0, 30.0, 80.0]})
    >>> historic_clv(orders).groups  # doctest: +NORMALIZE_WHITESPACE
             customers  total_spend  mean_spend  median_spend  mean_orders
    group
    2026-01          2        180.0        90.0          90.0          1.5
    2026-02          1         80.0        80.0          80.0          1.0
    """
    func = "historic_clv"
    require_choice(freq, _PERIOD_FREQS, name="freq", func=func)
    as_of_ts = None if as_of is None else to_timestamp(as_of, name="as_of", func=func)
    rows = _paid_rows(orders, func=func, customer_col=customer_col, ts_col=ts_col,
                      amount_col=amount_col, status_col=status_col, as_of=as_of_ts)
    st = _customer_stats(rows)
    ref = _ts_ns(as_of_ts) if as_of_ts is not None else int(rows.ts.max())
    if isinstance(by, str):
        require_choice(by, ("cohort",), name="by", func=func)
        group = _period_index(_period_ordinals(st["first"], freq), freq, "group")
    elif isinstance(by, (pd.Series, Mapping)):
        labels = pd.Series(by)
        group = pd.Index(rows.customers.map(labels.to_dict()), name="group")
        group = group.astype(object).where(group.notna(), "unassigned")
        if isinstance(labels.dtype, pd.CategoricalDtype):
            cats = list(labels.cat.categories) + (["unassigned"] if (group == "unassigned").any()
                                                  else [])
            group = pd.CategoricalIndex(group, categories=cats, name="group")
    else:
        raise ValueError(f"{func}: by must be 'cohort' or a Series mapping customer id to a "
                         f"label, got {type(by).__name__}.")
    customers = pd.DataFrame({
        "group": group, "first_order_ts": _to_datetime_index_values(st["first"]),
        "orders": st["orders"], "spend": st["monetary"],
        "tenure_days": (_day(ref) - _day(st["first"])).astype(np.int64)}, index=rows.customers)
    groups = customers.groupby("group", observed=True, sort=True).agg(
        customers=("spend", "size"), total_spend=("spend", "sum"), mean_spend=("spend", "mean"),
        median_spend=("spend", "median"), mean_orders=("orders", "mean"))
    groups["customers"] = groups["customers"].astype(np.int64)
    if isinstance(groups.index, pd.CategoricalIndex):
        groups.index = pd.Index(groups.index.astype(object), name="group", dtype="str")
    return HistoricCLV(customers=customers, groups=groups)


# ------------------------------------------------------------------------------------------
# customer lifetime value: BTYD models (BG/NBD and Gamma-Gamma)
# ------------------------------------------------------------------------------------------

def btyd_summary(orders: pd.DataFrame, observation_end, freq: str = "W", *,
                 customer_col: str = "customer_id", ts_col: str = "order_ts",
                 amount_col: str = "net_amount", status_col: str = "status") -> pd.DataFrame:
    """Per-customer frequency, recency, T and monetary value for the BTYD models.

    Parameters
    ----------
    orders : DataFrame
        The orders table (paid orders count).
    observation_end : date-like
        Last day observed (inclusive): orders on that day count. T is measured up to it.
    freq : {"D", "W", "M"}, default "W"
        Time unit of ``recency`` and ``T``: days, weeks (7 days) or months (365.25/12 days).
    customer_col, ts_col, amount_col, status_col : str
        Column names (schema defaults).

    Returns
    -------
    DataFrame
        Indexed by ``customer_id`` (sorted), one row per customer with a paid order on or
        before ``observation_end``:

        - ``frequency`` (int): repeat purchases = distinct purchase days - 1;
        - ``recency`` (float): time from the first to the last purchase day;
        - ``T`` (float): time from the first purchase day to ``observation_end``'s day;
        - ``monetary_value`` (float): mean spend per repeat purchase day (the first purchase
          excluded), 0 for customers without a repeat purchase.

    Notes
    -----
    The summary of Fader, Hardie & Lee (2005) used by BG/NBD and Gamma-Gamma (BTYD, "buy till
    you die"). Orders on the same day collapse into one purchase whose spend is their sum, as
    in lifetimes' ``summary_data_from_transaction_data(..., freq="D", freq_multiplier=7)`` for
    weeks: times are whole days divided by the unit's length (exact, not rounded to weeks).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": ["a", "a", "a", "b"],
    ...     "order_ts": pd.to_datetime(["2026-01-01 09:00", "2026-01-15 09:00",
    ...         "2026-01-15 20:00", "2026-01-08 12:00"]), "net_amount": [30.0, 20.0, 10.0, 50.0]})
    >>> btyd_summary(orders, "2026-01-29")  # doctest: +NORMALIZE_WHITESPACE
                 frequency  recency    T  monetary_value
    customer_id
    a                    1      2.0  4.0            30.0
    b                    0      0.0  3.0             0.0
    """
    func = "btyd_summary"
    require_choice(freq, tuple(_BTYD_UNIT_DAYS), name="freq", func=func)
    end = to_timestamp(observation_end, name="observation_end", func=func).normalize()
    end_inclusive = end + pd.Timedelta(days=1) - pd.Timedelta(1, unit="ns")
    rows = _paid_rows(orders, func=func, customer_col=customer_col, ts_col=ts_col,
                      amount_col=amount_col, status_col=status_col, end=end_inclusive,
                      as_of_name="observation_end", shown=end.date())
    n = rows.n_customers
    days = _day(rows.ts)
    first_day, last_day = _group_min_max(rows.codes, days, n)
    n_days = _distinct_days(rows)
    # orders on one day are one purchase: the first purchase's spend is its whole day's
    total = np.bincount(rows.codes, weights=rows.amount, minlength=n)
    on_first_day = days == first_day[rows.codes]
    first_spend = np.bincount(rows.codes[on_first_day], weights=rows.amount[on_first_day],
                              minlength=n)
    frequency = (n_days - 1).astype(np.int64)
    monetary = np.where(frequency > 0, (total - first_spend) / np.maximum(frequency, 1), 0.0)
    end_day = int(_day(_ts_ns(end)))
    unit = _BTYD_UNIT_DAYS[freq]
    return pd.DataFrame({"frequency": frequency, "recency": (last_day - first_day) / unit,
                         "T": (end_day - first_day) / unit, "monetary_value": monetary},
                        index=rows.customers)


def _summary_arrays(summary: pd.DataFrame, *, func: str, frequency_col: str, recency_col: str,
                    T_col: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    require_columns(summary, [frequency_col, recency_col, T_col], table="summary", func=func)
    require_non_empty(summary, table="summary", func=func, what="customers")
    x = numeric_values(summary, frequency_col, table="summary", func=func)
    tx = numeric_values(summary, recency_col, table="summary", func=func)
    T = numeric_values(summary, T_col, table="summary", func=func)
    problems = [
        ((x < 0) | (x != np.round(x)), f"'{frequency_col}' must be a whole number >= 0"),
        ((tx < 0) | (tx > T + 1e-9), f"'{recency_col}' must be between 0 and '{T_col}'"),
        ((T < 0), f"'{T_col}' must be >= 0 (time from the first purchase to the end of the "
                  f"observation)"),
        ((x == 0) & (tx != 0), f"'{recency_col}' must be 0 when '{frequency_col}' is 0"),
    ]
    for bad, what in problems:
        if bad.any():
            raise DataValidationError(
                f"{func}: {what}; {int(bad.sum())} customer(s) break this, e.g. "
                f"{format_examples(summary.index[bad])}. Build the summary with btyd_summary()."
            )
    return x, tx, T


def _require_penalizer(penalizer: float, *, func: str) -> None:
    if not penalizer >= 0:
        raise ValueError(f"{func}: penalizer must be >= 0, got {penalizer!r}.")


def _fit_ml(model: type[_FittedModel], loglik, names: list[str], weights: np.ndarray, *,
            n_customers: int, penalizer: float, func: str, advice: str) -> _FittedModel:
    """Maximum likelihood over log-parameters with the analytic gradient.

    ``loglik(params)`` returns per-row log-likelihoods (n,) and their gradient (k, n) with
    respect to the natural parameters; ``loglik(params, grad=False)`` only the former. The
    objective is lifetimes': the weighted mean negative log-likelihood plus
    ``penalizer * sum(params**2)``. L-BFGS-B starts from all parameters = 1; if it fails,
    Nelder-Mead continues from its best point. Returns a ``model`` holding the parameters
    (named ``names``), the total log-likelihood without the penalty, whether the fit converged,
    and a summary with standard errors from a finite-difference Hessian of the total
    log-likelihood (central differences of the analytic gradient). Warns with
    :class:`ConvergenceWarning` when the optimiser failed or a parameter ran off towards 0 or
    infinity (the data cannot pin it down).
    """
    wsum = weights.sum()

    def objective(log_params):
        params = np.exp(log_params)
        with np.errstate(all="ignore"):
            ll, grad = loglik(params)
        # elementwise sums: BLAS gemv on a (k, n) x (n,) product is far slower here
        value = -(weights * ll).sum() / wsum + penalizer * np.sum(params ** 2)
        gradient = (-(grad * weights).sum(axis=1) / wsum + 2 * penalizer * params) * params
        if not np.isfinite(value) or not np.all(np.isfinite(gradient)):
            return np.inf, np.zeros_like(log_params)
        return value, gradient

    start = np.zeros(len(names))
    best = optimize.minimize(objective, start, jac=True, method="L-BFGS-B",
                             options={"maxiter": 5000, "ftol": 1e-15, "gtol": 1e-10})
    small_gradient = np.isfinite(best.fun) and np.max(np.abs(best.jac)) < 1e-6
    if not (best.success or small_gradient):
        polish = optimize.minimize(lambda z: objective(z)[0], best.x if np.isfinite(best.fun)
                                   else start, method="Nelder-Mead",
                                   options={"maxiter": 20_000, "xatol": 1e-10, "fatol": 1e-14,
                                            "adaptive": True})
        if polish.fun <= best.fun:
            best = polish
            small_gradient = np.max(np.abs(objective(best.x)[1])) < 1e-6
    reason = None
    if not (np.all(np.isfinite(best.x)) and np.isfinite(best.fun)):
        reason = "the likelihood could not be evaluated"
    elif not (best.success or small_gradient):
        reason = f"the optimiser stopped early: {best.message}"
    elif np.any(np.abs(best.x) > 12):
        extreme = ", ".join(f"{n}={v:.3g}"
                            for n, v, lx in zip(names, np.exp(best.x), best.x, strict=True)
                            if abs(lx) > 12)
        reason = f"parameter(s) ran off to an extreme value ({extreme})"
    if reason:
        warnings.warn(f"{func}: the fit did not converge ({reason}); the estimates are not "
                      f"reliable. {advice}", ConvergenceWarning, stacklevel=3)
    params = np.exp(best.x)
    se = _standard_errors(loglik, params, weights)
    ll = float((weights * loglik(params, grad=False)).sum())
    series = pd.Series(params, index=pd.Index(names, name="param"), name="coef")
    return model(params_=series, log_likelihood_=ll, summary=_coef_table(series, se),
                 n_customers_=int(n_customers), penalizer=float(penalizer),
                 converged_=reason is None)


def _standard_errors(loglik, params: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Standard errors: the inverse Hessian of the total negative log-likelihood."""
    k = len(params)
    hess = np.empty((k, k))
    with np.errstate(all="ignore"):
        for i in range(k):
            h = 1e-5 * params[i]
            up, down = params.copy(), params.copy()
            up[i] += h
            down[i] -= h
            hess[:, i] = -((loglik(up)[1] - loglik(down)[1]) * weights).sum(axis=1) / (2 * h)
        hess = (hess + hess.T) / 2
        try:
            cov = np.linalg.inv(hess)
        except np.linalg.LinAlgError:
            return np.full(k, np.nan)
    diag = np.diag(cov)
    return np.where(np.isfinite(diag) & (diag > 0), np.sqrt(np.abs(diag)), np.nan)


def _coef_table(params: pd.Series, se: np.ndarray) -> pd.DataFrame:
    out = pd.DataFrame({"coef": params.to_numpy(), "se": se}, index=params.index)
    out["ci_low"] = out["coef"] - 1.959963984540054 * out["se"]
    out["ci_high"] = out["coef"] + 1.959963984540054 * out["se"]
    out.index.name = "param"
    return out


def _per_level(x: np.ndarray):
    """Evaluate ``f`` once per distinct value of the integer ``x`` and spread it back.

    The gamma-function terms of both models depend on the customer only through x (the
    number of repeat purchases), which takes few distinct values.
    """
    levels, inverse = np.unique(x, return_inverse=True)
    return lambda f: f(levels)[inverse]


def _bgnbd_loglik(params, x, tx, T, *, grad: bool = True, by_x=None):
    """Per-customer BG/NBD log-likelihood (Fader, Hardie & Lee 2005, eq. 6) and its gradient.

    Returns the log-likelihoods (n,) and, with ``grad``, their derivatives with respect to
    (r, alpha, a, b), shape (4, n). ``by_x`` (from :func:`_per_level`) speeds up the
    gamma-function terms.
    """
    r, alpha, a, b = params
    by_x = by_x or (lambda f: f(x))
    gammaln, psi = special.gammaln, special.digamma
    has = x > 0
    b_x1 = b + np.maximum(x, 1) - 1                  # b + x - 1, guarded where x == 0
    log_at, log_atx = np.log(alpha + T), np.log(alpha + tx)
    # log Γ(r+x) - log Γ(r) + r log α + log B(a, b+x) - log B(a, b)
    base = by_x(lambda v: gammaln(r + v) + gammaln(b + v) - gammaln(a + b + v)) \
        - gammaln(r) + r * np.log(alpha) - gammaln(b) + gammaln(a + b)
    a3 = -(r + x) * log_at
    a4 = np.log(a) - np.log(b_x1) - (r + x) * log_atx
    mix = np.where(has, np.logaddexp(a3, a4), a3)
    ll = base + mix
    if not grad:
        return ll
    w4 = np.where(has, np.exp(a4 - mix), 0.0)       # weight of the "dropped out at t_x" term
    w3 = 1.0 - w4
    psi_abx = by_x(lambda v: psi(a + b + v))
    d_r = by_x(lambda v: psi(r + v)) - psi(r) + np.log(alpha) - w3 * log_at - w4 * log_atx
    d_alpha = r / alpha - (r + x) * (w3 / (alpha + T) + w4 / (alpha + tx))
    d_a = psi(a + b) - psi_abx + w4 / a
    d_b = by_x(lambda v: psi(b + v)) - psi_abx - psi(b) + psi(a + b) - w4 / b_x1
    return ll, np.stack([d_r, d_alpha, d_a, d_b])


def _unique_rows(*cols: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Distinct rows of the given columns and how many customers share each (for weights)."""
    order = np.lexsort(cols[::-1])
    change = np.zeros(len(order), dtype=bool)
    change[0] = True
    for col in cols:
        c = col[order]
        change[1:] |= c[1:] != c[:-1]
    starts = np.flatnonzero(change)
    counts = np.diff(np.r_[starts, len(order)]).astype(float)
    return [col[order][starts] for col in cols], counts


_FITTED_MODEL_DOC = """A fitted {what} (returned by :func:`{fit}`).

    Attributes
    ----------
    params_ : Series
        {params}
    log_likelihood_ : float
        Total log-likelihood at the estimates (without the penalty).
    summary : DataFrame
        Index ``param``; ``coef``, ``se`` (from the numerical Hessian), ``ci_low``, ``ci_high``
        (95%).
    n_customers_ : int
        {customers}
    penalizer : float
        The L2 penalty used.
    converged_ : bool
        Whether the optimiser converged.
    """


@dataclass(frozen=True, repr=False)
class _FittedModel:
    """Fields shared by the fitted BTYD models; each documents them with ``_FITTED_MODEL_DOC``.

    The repr reads ``Name(param=value, ...; n customers)``, with the log-likelihood after the
    customers when ``_repr_log_likelihood`` is set.
    """

    _repr_name: ClassVar[str] = "_FittedModel"
    _repr_log_likelihood: ClassVar[bool] = False

    params_: pd.Series
    log_likelihood_: float
    summary: pd.DataFrame
    n_customers_: int
    penalizer: float
    converged_: bool

    def __repr__(self) -> str:
        p = ", ".join(f"{k}={v:.3g}" for k, v in self.params_.items())
        ll = f", LL={self.log_likelihood_:.1f}" if self._repr_log_likelihood else ""
        return f"{self._repr_name}({p}; {self.n_customers_} customers{ll})"


@dataclass(frozen=True, repr=False)
class BGNBDModel(_FittedModel):  # noqa: D101 - __doc__ is set from _FITTED_MODEL_DOC below
    __doc__ = _FITTED_MODEL_DOC.format(
        what="BG/NBD model", fit="fit_bgnbd",
        params="``r``, ``alpha`` (purchase-rate gamma shape and scale) and ``a``, ``b`` "
               "(drop-out\n        beta parameters).",
        customers="Customers the model was fitted on.")

    _repr_name: ClassVar[str] = "BGNBDModel"
    _repr_log_likelihood: ClassVar[bool] = True

    def predict(self, summary: pd.DataFrame, horizon: float, *, frequency_col: str = "frequency",
                recency_col: str = "recency", T_col: str = "T") -> pd.DataFrame:
        """Expected purchases in the next ``horizon`` time units and probability alive.

        Parameters
        ----------
        summary : DataFrame
            Per-customer ``frequency``, ``recency``, ``T`` (see :func:`btyd_summary`), in the
            same time unit as the data the model was fitted on.
        horizon : float
            Length of the future window, in that time unit (e.g. 52 weeks).
        frequency_col, recency_col, T_col : str
            Column names.

        Returns
        -------
        DataFrame
            Same index as ``summary``: ``expected_purchases`` (repeat purchases expected in
            ``(T, T + horizon]``) and ``prob_alive`` (probability the customer has not
            dropped out).

        Notes
        -----
        Fader, Hardie & Lee (2005), eq. 10 and 11: E[Y(t) | x, t_x, T] =
        (a+b+x-1)/(a-1) * [1 - ((α+T)/(α+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(α+T+t))] /
        (1 + δ(x>0) a/(b+x-1) ((α+T)/(α+t_x))^(r+x)), and P(alive) = 1 / (the same
        denominator). Whom to win back: customers with a high past frequency but a low
        probability of being alive (活跃概率).
        """
        func = "BGNBDModel.predict"
        x, tx, T = _summary_arrays(summary, func=func, frequency_col=frequency_col,
                                   recency_col=recency_col, T_col=T_col)
        if not np.isscalar(horizon) or not horizon >= 0:
            raise ValueError(f"{func}: horizon must be a number >= 0, got {horizon!r}.")
        expected, alive = _bgnbd_predict(self.params_.to_numpy(), x, tx, T, float(horizon))
        return pd.DataFrame({"expected_purchases": expected, "prob_alive": alive},
                            index=summary.index)


def _bgnbd_predict(params, x, tx, T, t):
    r, alpha, a, b = params
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        log_odds = (np.log(a) - np.log(b + np.maximum(x, 1) - 1)
                    + (r + x) * (np.log(alpha + T) - np.log(alpha + tx)))
        odds = np.where(x > 0, np.exp(log_odds), 0.0)
        denom = 1.0 + odds
        alive = 1.0 / denom
        if t == 0:
            return np.zeros_like(x, dtype=float), alive
        hyp = special.hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t))
        body = 1 - np.exp((r + x) * (np.log(alpha + T) - np.log(alpha + T + t))) * hyp
        expected = (a + b + x - 1) / (a - 1) * body / denom
    expected = np.where(np.isfinite(denom), expected, 0.0)
    return expected, alive


def fit_bgnbd(summary: pd.DataFrame, *, penalizer: float = 0.0, frequency_col: str = "frequency",
              recency_col: str = "recency", T_col: str = "T") -> BGNBDModel:
    """Fit the BG/NBD model of repeat purchasing to a BTYD summary.

    Parameters
    ----------
    summary : DataFrame
        One row per customer with ``frequency`` (repeat purchases), ``recency`` and ``T``
        (see :func:`btyd_summary`).
    penalizer : float, default 0.0
        L2 penalty on the parameters (``penalizer * sum(params**2)`` added to the mean negative
        log-likelihood), as in lifetimes; try 0.001-0.1 when the fit does not converge.
    frequency_col, recency_col, T_col : str
        Column names.

    Returns
    -------
    BGNBDModel
        ``params_`` (r, alpha, a, b), ``log_likelihood_``, ``summary`` and ``predict()``.

    Raises
    ------
    DataValidationError
        Missing columns, impossible values, or no customer with a repeat purchase.

    Warns
    -----
    ConvergenceWarning
        When the optimiser does not converge; the message says what to try.

    Notes
    -----
    BG/NBD (Fader, Hardie & Lee 2005): while alive, a customer buys at a Poisson rate λ ~
    Gamma(r, α); after each purchase they drop out with probability p ~ Beta(a, b). The
    likelihood of (x, t_x, T) is B(a, b+x)/B(a, b) Γ(r+x) α^r / Γ(r) [(α+T)^-(r+x) + δ(x>0)
    a/(b+x-1) (α+t_x)^-(r+x)], maximised over log-parameters (L-BFGS-B with the analytic gradient).
    It predicts how many orders each customer will place (预测复购次数) and who has gone.

    Examples
    --------
    >>> summary = pd.DataFrame({"frequency": [0, 0, 0, 1, 1, 2, 3, 5, 0, 2],
    ...     "recency": [0.0, 0.0, 0.0, 30.0, 4.0, 8.0, 36.0, 38.0, 0.0, 20.0], "T": [39.0] * 10})
    >>> model = fit_bgnbd(summary)
    >>> model.params_.round(1).to_dict()
    {'r': 1.0, 'alpha': 22.1, 'a': 0.9, 'b': 6.0}
    >>> model.predict(summary, 26).round(2).tail(3)
       expected_purchases  prob_alive
    7                2.08        0.91
    8                0.40        1.00
    9                0.84        0.71
    """
    func = "fit_bgnbd"
    x, tx, T = _summary_arrays(summary, func=func, frequency_col=frequency_col,
                               recency_col=recency_col, T_col=T_col)
    _require_penalizer(penalizer, func=func)
    if not (x > 0).any():
        raise DataValidationError(
            f"{func}: no customer in the summary has a repeat purchase (all '{frequency_col}' "
            f"are 0), so the model cannot learn how often customers buy or when they leave. "
            f"Use a longer observation period or more customers."
        )
    (ux, utx, uT), w = _unique_rows(x, tx, T)
    by_x = _per_level(ux)
    return _fit_ml(
        BGNBDModel, lambda p, grad=True: _bgnbd_loglik(p, ux, utx, uT, grad=grad, by_x=by_x),
        ["r", "alpha", "a", "b"], w, n_customers=len(x), penalizer=penalizer, func=func,
        advice="Try a penalizer (e.g. penalizer=0.01), more customers or a longer observation "
               "period, or leave out customers who bought once long ago and never again.")


def _gg_loglik(params, x, m, *, grad: bool = True):
    """Per-customer Gamma-Gamma log-likelihood of the mean spend m of x repeat purchases.

    Returns the log-likelihoods (n,) and, with ``grad``, their gradient wrt (p, q, v), (3, n).
    """
    p, q, v = params
    px = p * x
    log_xmv = np.log(x * m + v)
    ll = (special.gammaln(px + q) - special.gammaln(px) - special.gammaln(q) + q * np.log(v)
          + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * log_xmv)
    if not grad:
        return ll
    psi = special.digamma
    d_p = x * (psi(px + q) - psi(px) + np.log(m) + np.log(x) - log_xmv)
    d_q = psi(px + q) - psi(q) + np.log(v) - log_xmv
    d_v = q / v - (px + q) / (x * m + v)
    return ll, np.stack([d_p, d_q, d_v])


@dataclass(frozen=True, repr=False)
class GammaGammaModel(_FittedModel):  # noqa: D101 - __doc__ is set from _FITTED_MODEL_DOC
    __doc__ = _FITTED_MODEL_DOC.format(
        what="Gamma-Gamma spend model", fit="fit_gamma_gamma",
        params="``p`` (shape of spend per order), ``q`` and ``v`` (gamma prior on the "
               "customer's\n        mean-spend scale).",
        customers="Customers with a repeat purchase used for the fit.")

    _repr_name: ClassVar[str] = "GammaGammaModel"

    def conditional_expected_spend(self, summary: pd.DataFrame, *,
                                   frequency_col: str = "frequency",
                                   monetary_col: str = "monetary_value") -> pd.Series:
        """Expected spend per future purchase of each customer.

        Parameters
        ----------
        summary : DataFrame
            Per-customer ``frequency`` and ``monetary_value`` (see :func:`btyd_summary`).
        frequency_col, monetary_col : str
            Column names.

        Returns
        -------
        Series
            Named ``expected_spend``, same index as ``summary``. Customers without a repeat
            purchase get the population mean ``p v / (q - 1)``.

        Notes
        -----
        E[Z | x, z̄] = p (v + x z̄) / (p x + q - 1): a weighted average of the population mean
        and the customer's own mean, trusting the customer's more the more orders they have.
        """
        func = "GammaGammaModel.conditional_expected_spend"
        require_columns(summary, [frequency_col, monetary_col], table="summary", func=func)
        x = numeric_values(summary, frequency_col, table="summary", func=func)
        m = numeric_values(summary, monetary_col, table="summary", func=func)
        p, q, v = self.params_.to_numpy()
        m = np.where(x > 0, m, 0.0)
        return pd.Series(p * (v + x * m) / (p * x + q - 1), index=summary.index,
                         name="expected_spend")


def fit_gamma_gamma(summary: pd.DataFrame, *, penalizer: float = 0.0,
                    frequency_col: str = "frequency",
                    monetary_col: str = "monetary_value") -> GammaGammaModel:
    """Fit the Gamma-Gamma model of spend per purchase to the repeat buyers of a summary.

    Parameters
    ----------
    summary : DataFrame
        Per-customer ``frequency`` (repeat purchases) and ``monetary_value`` (mean spend of
        repeat purchases), see :func:`btyd_summary`. Only customers with ``frequency > 0``
        are used (selected here, no need to filter first).
    penalizer : float, default 0.0
        L2 penalty on the parameters, as in :func:`fit_bgnbd`.
    frequency_col, monetary_col : str
        Column names.

    Returns
    -------
    GammaGammaModel
        ``params_`` (p, q, v), ``log_likelihood_``, ``summary`` and
        ``conditional_expected_spend()``.

    Warns
    -----
    UserWarning
        When repeat buyers with a mean spend of 0 or less are left out (the model needs
        positive spend).
    ConvergenceWarning
        When the optimiser does not converge.

    Notes
    -----
    Gamma-Gamma (Fader & Hardie 2013): spend per purchase z ~ Gamma(p, ν) around a
    customer-level ν ~ Gamma(q, v). The likelihood of a mean z̄ over x purchases is
    Γ(px+q)/(Γ(px)Γ(q)) v^q z̄^(px-1) x^(px) / (v + x z̄)^(px+q). It assumes spend does not
    depend on how often a customer buys; check the correlation of frequency and
    monetary_value first (客单价预测).

    Examples
    --------
    >>> summary = pd.DataFrame({"frequency": [0, 1, 1, 2, 3, 5, 2],
    ...     "monetary_value": [0.0, 20.0, 35.0, 25.0, 60.0, 30.0, 45.0]})
    >>> model = fit_gamma_gamma(summary)
    >>> model.n_customers_
    6
    >>> model.conditional_expected_spend(summary).round(2).tolist()
    [36.47, 25.48, 35.49, 27.29, 56.65, 30.59, 43.3]
    """
    func = "fit_gamma_gamma"
    require_columns(summary, [frequency_col, monetary_col], table="summary", func=func)
    require_non_empty(summary, table="summary", func=func, what="customers")
    _require_penalizer(penalizer, func=func)
    x = numeric_values(summary, frequency_col, table="summary", func=func)
    m = numeric_values(summary, monetary_col, table="summary", func=func)
    repeat = x > 0
    non_positive = repeat & (m <= 0)
    if non_positive.any():
        warnings.warn(
            f"{func}: left out {int(non_positive.sum())} repeat buyer(s) whose mean spend is 0 "
            f"or less (e.g. {format_examples(summary.index[non_positive])}); the model needs "
            f"positive spend.", UserWarning, stacklevel=2)
    use = repeat & (m > 0)
    if use.sum() < 2:
        raise DataValidationError(
            f"{func}: the model needs customers with a repeat purchase (frequency > 0) and a "
            f"positive monetary_value; found {int(use.sum())}. Use a longer observation period "
            f"or more customers."
        )
    (ux, um), w = _unique_rows(x[use], m[use])
    return _fit_ml(
        GammaGammaModel, lambda p, grad=True: _gg_loglik(p, ux, um, grad=grad),
        ["p", "q", "v"], w, n_customers=use.sum(), penalizer=penalizer, func=func,
        advice="Try a penalizer (e.g. penalizer=0.01), more repeat buyers, or remove extreme "
               "spend outliers.")


def predict_clv(bgnbd: BGNBDModel, gg: GammaGammaModel, summary: pd.DataFrame, *,
                horizon: int = 12, discount_rate: float = 0.01, freq: str = "W",
                frequency_col: str = "frequency", recency_col: str = "recency",
                T_col: str = "T", monetary_col: str = "monetary_value") -> pd.DataFrame:
    """Predicted customer lifetime value over the next ``horizon`` months, discounted monthly.

    Parameters
    ----------
    bgnbd : BGNBDModel
        From :func:`fit_bgnbd`.
    gg : GammaGammaModel
        From :func:`fit_gamma_gamma`.
    summary : DataFrame
        Per-customer ``frequency``, ``recency``, ``T``, ``monetary_value``.
    horizon : int, default 12
        Months ahead.
    discount_rate : float, default 0.01
        Monthly discount rate (0.01 is about 12.7% a year).
    freq : {"D", "W", "M"}, default "W"
        Time unit of ``recency`` and ``T`` in ``summary`` (as passed to :func:`btyd_summary`).
    frequency_col, recency_col, T_col, monetary_col : str
        Column names.

    Returns
    -------
    DataFrame
        Same index as ``summary``: ``expected_purchases`` (over the horizon), ``prob_alive``,
        ``expected_spend`` (per purchase) and ``clv`` (yuan).

    Notes
    -----
    CLV (用户生命周期价值) = Σ_{m=1..horizon} E[spend per purchase] x (E[purchases by month m]
    - E[purchases by month m-1]) / (1 + discount_rate)^m, as lifetimes'
    ``customer_lifetime_value`` (a month is 365.25/12 days here). Compare it with the CAC
    of the channel that brought the customer.

    Examples
    --------
    >>> summary = pd.DataFrame({"frequency": [0, 0, 0, 1, 1, 2, 3, 5, 0, 2],
    ...     "recency": [0.0, 0.0, 0.0, 30.0, 4.0, 8.0, 36.0, 38.0, 0.0, 20.0], "T": [39.0] * 10,
    ...     "monetary_value": [0.0, 0.0, 0.0, 20.0, 35.0, 25.0, 60.0, 30.0, 0.0, 45.0]})
    >>> bgnbd, gg = fit_bgnbd(summary), fit_gamma_gamma(summary)
    >>> predict_clv(bgnbd, gg, summary, horizon=6).round(2).tail(4)
       expected_purchases  prob_alive  expected_spend    clv
    6                1.36        0.88           56.65  74.53
    7                2.09        0.91           30.59  61.74
    8                0.40        1.00           36.47  13.98
    9                0.84        0.71           43.30  35.10
    """
    func = "predict_clv"
    if not isinstance(bgnbd, BGNBDModel) or not isinstance(gg, GammaGammaModel):
        raise TypeError(f"{func}: pass the fitted models from fit_bgnbd() and fit_gamma_gamma().")
    require_choice(freq, tuple(_BTYD_UNIT_DAYS), name="freq", func=func)
    horizon = positive_int(horizon, name="horizon", func=func)
    if not discount_rate >= 0:
        raise ValueError(f"{func}: discount_rate must be >= 0, got {discount_rate!r}.")
    x, tx, T = _summary_arrays(summary, func=func, frequency_col=frequency_col,
                               recency_col=recency_col, T_col=T_col)
    spend = gg.conditional_expected_spend(summary, frequency_col=frequency_col,
                                          monetary_col=monetary_col).to_numpy()
    per_month = _DAYS_PER_MONTH / _BTYD_UNIT_DAYS[freq]
    params = bgnbd.params_.to_numpy()
    previous = np.zeros(len(x))
    value = np.zeros(len(x))
    for month in range(1, horizon + 1):
        cumulative, alive = _bgnbd_predict(params, x, tx, T, month * per_month)
        value += spend * (cumulative - previous) / (1 + discount_rate) ** month
        previous = cumulative
    return pd.DataFrame({"expected_purchases": previous, "prob_alive": alive,
                         "expected_spend": spend, "clv": value}, index=summary.index)


def clv_by_tier(bgnbd, gg, summary: pd.DataFrame, customers: pd.DataFrame, *,
                horizon: int = 12, discount_rate: float = 0.01, freq: str = "W",
                customer_col: str = "customer_id",
                tier_col: str = "member_tier") -> pd.DataFrame:
    """Predicted customer lifetime value per membership tier, for one horizon and discount rate.

    The computation behind the lesson's CLV slider.

    Parameters
    ----------
    bgnbd : BGNBDModel
        From :func:`fit_bgnbd`.
    gg : GammaGammaModel
        From :func:`fit_gamma_gamma`.
    summary : DataFrame
        :func:`btyd_summary` output the models describe (indexed by customer id).
    customers : DataFrame
        The customers table (``customer_id``, ``member_tier``).
    horizon : int, default 12
        Months ahead.
    discount_rate : float, default 0.01
        Monthly discount rate.
    freq : {"D", "W", "M"}, default "W"
        Time unit of ``summary``.
    customer_col, tier_col : str
        Column names in ``customers``.

    Returns
    -------
    DataFrame
        Index ``member_tier`` (the schema's tiers that occur, other labels sorted, then
        ``all``); columns ``customers`` (int, buyers in the summary), ``expected_purchases``
        (mean per customer over the horizon), ``mean_clv``, ``total_clv`` (yuan) and
        ``clv_share`` (of the shop's total predicted CLV). Customers of the summary missing
        from ``customers`` (or without a tier) are grouped as ``unknown``.

    Raises
    ------
    DataValidationError
        Missing columns, or a summary the models cannot use (see :func:`predict_clv`).
    TypeError
        ``bgnbd`` or ``gg`` is not a fitted model.

    Notes
    -----
    mean_clv of a tier = sum of :func:`predict_clv`'s ``clv`` over its customers / its
    customers; comparing it with what a tier's perks cost per member shows whether the
    perks pay (会员权益投入产出).

    Examples
    --------
    >>> summary = pd.DataFrame({"frequency": [0, 0, 0, 1, 1, 2, 3, 5, 0, 2],
    ...     "recency": [0.0, 0.0, 0.0, 30.0, 4.0, 8.0, 36.0, 38.0, 0.0, 20.0], "T": [39.0] * 10,
    ...     "monetary_value": [0.0, 0.0, 0.0, 20.0, 35.0, 25.0, 60.0, 30.0, 0.0, 45.0]},
    ...     index=pd.Index(list("abcdefghij"), name="customer_id"))
    >>> customers = pd.DataFrame({"customer_id": list("abcdefghij"),
    ...     "member_tier": ["regular"] * 6 + ["gold"] * 4})
    >>> bg, gg = fit_bgnbd(summary), fit_gamma_gamma(summary)
    >>> clv_by_tier(bg, gg, summary, customers, horizon=6)[["customers", "mean_clv"]].round(2)
    ... # doctest: +NORMALIZE_WHITESPACE
                 customers  mean_clv
    member_tier
    regular              6     14.61
    gold                 4     46.34
    all                 10     27.30
    """
    func = "clv_by_tier"
    require_columns(customers, [customer_col, tier_col], table="customers", func=func)
    clv = predict_clv(bgnbd, gg, summary, horizon=horizon, discount_rate=discount_rate,
                      freq=freq)
    tiers = customers.drop_duplicates(customer_col).set_index(customer_col)[tier_col]
    label = clv.index.map(tiers.to_dict())
    label = pd.Index(label, dtype=object).where(pd.notna(label), "unknown")
    frame = clv.assign(tier=np.asarray(label, dtype=object))
    order = _tier_order(pd.unique(frame["tier"]))
    g = frame.groupby("tier").agg(customers=("clv", "size"),
                                  expected_purchases=("expected_purchases", "mean"),
                                  mean_clv=("clv", "mean"), total_clv=("clv", "sum"))
    g = g.reindex(order)
    g.loc["all"] = [len(frame), frame["expected_purchases"].mean(), frame["clv"].mean(),
                    frame["clv"].sum()]
    g["customers"] = g["customers"].astype(np.int64)
    total = frame["clv"].sum()
    g["clv_share"] = g["total_clv"] / total if total else np.nan
    g.index = pd.Index(g.index.astype(object), name=tier_col, dtype="str")
    return g
