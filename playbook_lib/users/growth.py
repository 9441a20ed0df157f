"""Growth (拉新): new customers by channel and the refer-a-friend programme (老带新).

The library half of ``notebooks/01_users/02_growth``; the conventions (paid orders, ``as_of``)
are in :mod:`playbook_lib.users`.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .._checks import datetime_ns, numeric_values
from .._orders import paid_mask, parse_month
from ..errors import (
    DataValidationError,
    format_examples,
    require_choice,
    require_columns,
    require_non_empty,
)
from ._rows import _PERIOD_FREQS, _paid_rows, _period_index, _period_ordinals

__all__ = [
    "new_customers_by_channel",
    "new_customers_table",
    "referral_summary",
    "referral_start_month",
    "referral_what_if",
]


# ------------------------------------------------------------------------------------------
# new customers
# ------------------------------------------------------------------------------------------

def new_customers_by_channel(frame: pd.DataFrame, freq: str = "M", *, source: str = "auto",
                             customer_col: str = "customer_id", channel_col: str | None = None,
                             ts_col: str | None = None, status_col: str = "status") -> pd.DataFrame:
    """New customers per period and acquisition channel (拉新渠道).

    Parameters
    ----------
    frame : DataFrame
        The customers table (new = signed up; channel = ``acquisition_channel``) or the orders
        table (new = first paid order; channel = that order's ``channel``).
    freq : {"W", "M", "Q"}, default "M"
        Period length.
    source : {"auto", "customers", "orders"}, default "auto"
        Which table ``frame`` is; "auto" means orders when it has ``order_ts``, else customers.
    customer_col : str, default "customer_id"
    channel_col, ts_col : str, optional
        Defaults: ``acquisition_channel`` and ``signup_ts`` for customers, ``channel`` and
        ``order_ts`` for orders.
    status_col : str, default "status"
        Orders only: paid orders count.

    Returns
    -------
    DataFrame
        Columns ``period`` (Period), ``channel`` (str), ``new_customers`` (int) and ``share``
        (of the period's new customers); one row for every period from the first to the last
        and every channel (0 when a channel won nobody). A missing channel shows as "unknown".

    Notes
    -----
    New customers by channel (渠道新客数): the numerator of CAC per channel (spend / new
    customers); a channel's share shows where growth comes from.

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": ["a", "b", "c"],
    ...     "signup_ts": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-02-03"]),
    ...     "acquisition_channel": ["douyin", "search", "douyin"]})
    >>> new_customers_by_channel(customers)
        period channel  new_customers  share
    0  2026-01  douyin              1    0.5
    1  2026-01  search              1    0.5
    2  2026-02  douyin              1    1.0
    3  2026-02  search              0    0.0
    """
    func = "new_customers_by_channel"
    require_choice(freq, _PERIOD_FREQS, name="freq", func=func)
    require_choice(source, ("auto", "customers", "orders"), name="source", func=func)
    require_columns(frame, [], table="customers or orders", func=func)
    if source == "auto":
        source = "orders" if "order_ts" in frame.columns else "customers"
    if source == "customers":
        ts_col = ts_col or "signup_ts"
        channel_col = channel_col or "acquisition_channel"
        require_columns(frame, [customer_col, ts_col, channel_col], table="customers", func=func)
        require_non_empty(frame, table="customers", func=func, what="customers")
        ts = datetime_ns(frame, ts_col, table="customers", func=func)
        first = pd.DataFrame({"customer": frame[customer_col].to_numpy(), "ts": ts,
                              "channel": frame[channel_col].to_numpy()})
        first = first.sort_values(["ts"], kind="stable").drop_duplicates("customer")
    else:
        ts_col = ts_col or "order_ts"
        channel_col = channel_col or "channel"
        require_columns(frame, [channel_col], table="orders", func=func)
        rows = _paid_rows(frame, func=func, customer_col=customer_col, ts_col=ts_col,
                          amount_col=None, status_col=status_col)
        paid = frame.loc[paid_mask(frame, status_col=status_col), channel_col].to_numpy()
        order = np.lexsort((np.arange(len(rows.ts)), rows.ts, rows.codes))
        starts = order[np.r_[True, rows.codes[order][1:] != rows.codes[order][:-1]]]
        first = pd.DataFrame({"ts": rows.ts[starts], "channel": paid[starts]})
    channel = pd.Series(first["channel"].to_numpy(), dtype=object).where(
        first["channel"].notna().to_numpy(), "unknown").astype("str")
    ords = _period_ordinals(first["ts"].to_numpy(np.int64), freq)
    lo = int(ords.min())
    n_periods = int(ords.max()) - lo + 1
    ch_codes, ch_names = pd.factorize(channel, sort=True)
    counts = np.bincount((ords - lo) * len(ch_names) + ch_codes,
                         minlength=n_periods * len(ch_names)).reshape(n_periods, len(ch_names))
    totals = counts.sum(axis=1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(totals > 0, counts / np.where(totals > 0, totals, 1), np.nan)
    periods = _period_index(np.repeat(np.arange(lo, lo + n_periods), len(ch_names)), freq, "period")
    return pd.DataFrame({"period": periods,
                         "channel": pd.array(np.tile(np.asarray(ch_names, dtype=object), n_periods),
                                             dtype="str"),
                         "new_customers": counts.ravel().astype(np.int64),
                         "share": shares.ravel()})


def new_customers_table(customers: pd.DataFrame, *, start=None, end=None) -> pd.DataFrame:
    """New customers (sign-ups) per month and acquisition channel, as a month x channel table.

    Parameters
    ----------
    customers : DataFrame
        The customers table (``customer_id``, ``signup_ts``, ``acquisition_channel``).
    start, end : period-like, optional
        First and last month to keep, as ``"YYYY-MM"``, a date or a Period (e.g. the month of
        the first order and the lesson month); default: every month with a sign-up.

    Returns
    -------
    DataFrame
        Index ``period`` (monthly PeriodIndex), one column per channel (sorted), values =
        customers who signed up in that month through that channel (int, 0 when none).

    Raises
    ------
    DataValidationError
        Missing columns, or ``start`` / ``end`` that is not a month.

    Notes
    -----
    The wide form of :func:`new_customers_by_channel` (customers table): a stacked bar chart
    of it shows which channels growth comes from, month by month (渠道新客).

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": ["a", "b", "c"],
    ...     "signup_ts": pd.to_datetime(["2026-01-05", "2026-01-20", "2026-02-03"]),
    ...     "acquisition_channel": ["douyin", "search", "douyin"]})
    >>> new_customers_table(customers, start="2026-02")  # doctest: +NORMALIZE_WHITESPACE
    channel  douyin  search
    period
    2026-02       1       0
    """
    func = "new_customers_table"
    require_columns(customers, ["customer_id", "signup_ts", "acquisition_channel"],
                    table="customers", func=func)
    first = None if start is None else parse_month(start, func=func)
    last = None if end is None else parse_month(end, func=func)
    new = new_customers_by_channel(customers, "M", source="customers")
    if first is not None:
        new = new[new["period"] >= first]
    if last is not None:
        new = new[new["period"] <= last]
    table = new.pivot(index="period", columns="channel", values="new_customers")
    return table.fillna(0).astype(np.int64)


def referral_start_month(customers: pd.DataFrame, *, channel: str = "referral") -> str:
    """The first month in which the referral channel won a customer, as ``"YYYY-MM"``.

    Parameters
    ----------
    customers : DataFrame
        The customers table (``signup_ts``, ``acquisition_channel``).
    channel : str, default "referral"
        The ``acquisition_channel`` value of customers who came through an invitation.

    Returns
    -------
    str
        The month of the earliest sign-up through ``channel``.

    Raises
    ------
    DataValidationError
        Missing columns, or no customer came through ``channel``.

    Examples
    --------
    >>> customers = pd.DataFrame({"customer_id": ["a", "b", "c"],
    ...     "signup_ts": pd.to_datetime(["2026-01-05", "2026-03-20", "2026-02-03"]),
    ...     "acquisition_channel": ["search", "referral", "referral"]})
    >>> referral_start_month(customers)
    '2026-02'
    """
    func = "referral_start_month"
    require_columns(customers, ["customer_id", "signup_ts", "acquisition_channel"],
                    table="customers", func=func)
    new = new_customers_by_channel(customers, "M", source="customers")
    hits = new[(new["channel"] == channel) & (new["new_customers"] > 0)]
    if hits.empty:
        raise DataValidationError(
            f"{func}: no customer has acquisition_channel == {channel!r}; "
            f"channels found: {format_examples(sorted(new['channel'].unique()))}. Set "
            f"REFERRAL_CHANNEL to the value your shop uses for referred customers.")
    return str(hits["period"].min())


# ------------------------------------------------------------------------------------------
# refer-a-friend (老带新)
# ------------------------------------------------------------------------------------------

def referral_summary(referrals: pd.DataFrame, orders: pd.DataFrame | None = None, *,
                     referrer_reward: float | None = None, invitee_reward: float | None = None,
                     freq: str | None = None, referrer_col: str = "referrer_id",
                     invitee_col: str = "invitee_id", signed_up_col: str = "signed_up_ts",
                     first_order_col: str = "first_order_id", invited_col: str = "invited_ts",
                     reward_col: str = "reward_value", order_id_col: str = "order_id",
                     status_col: str = "status") -> pd.DataFrame:
    """Funnel, K-factor and cost of the refer-a-friend programme (老带新).

    Parameters
    ----------
    referrals : DataFrame
        The referrals table, one row per invitation.
    orders : DataFrame, optional
        The orders table. When given, an invitee's first order counts only if it is a paid
        order in this table.
    referrer_reward, invitee_reward : float, optional
        Reward per acquired customer to the inviter and to the invitee, yuan. Give both, or
        neither to use the ``reward_value`` column (rewards paid to both sides per invitation).
    freq : {None, "W", "M", "Q"}, default None
        None: one row for the whole table (index label "all"); else one row per period of
        ``invited_ts``.
    referrer_col, invitee_col, signed_up_col, first_order_col, invited_col, reward_col : str
        Column names in ``referrals`` (schema defaults).
    order_id_col, status_col : str
        Column names in ``orders``.

    Returns
    -------
    DataFrame
        Index ``period``; columns ``invitations``, ``sign_ups``, ``first_orders`` (int),
        ``sign_up_rate`` (sign-ups / invitations), ``first_order_rate`` (first orders /
        sign-ups), ``active_referrers`` (distinct inviters, int), ``invitations_per_referrer``,
        ``k_factor``, ``reward_cost`` and ``cost_per_acquired_customer`` (yuan).

    Notes
    -----
    K-factor (裂变系数) = first orders of invitees / active referrers = invitations per referrer
    x invitation-to-first-order conversion: the new paying customers each inviting customer
    brings. Above 1 the programme grows by itself. Cost per acquired customer = rewards to
    both sides / first orders, to compare with the CAC of paid channels. A sign-up is an
    invitation with a sign-up time (or an invitee id when that column is absent).

    Examples
    --------
    >>> referrals = pd.DataFrame({"referrer_id": ["a", "a", "b", "b"],
    ...     "invitee_id": ["x", "y", None, "z"],
    ...     "signed_up_ts": pd.to_datetime(["2026-01-02", "2026-01-03", None, "2026-01-09"]),
    ...     "first_order_id": ["o1", None, None, "o2"]})
    >>> summary = referral_summary(referrals, referrer_reward=20, invitee_reward=30)
    >>> summary[["invitations", "sign_ups", "first_orders", "k_factor"]]
    ... # doctest: +NORMALIZE_WHITESPACE
            invitations  sign_ups  first_orders  k_factor
    period
    all               4         3             2       1.0
    >>> float(summary.loc["all", "cost_per_acquired_customer"])
    50.0
    """
    func = "referral_summary"
    require_columns(referrals, [referrer_col, first_order_col], table="referrals", func=func)
    require_non_empty(referrals, table="referrals", func=func, what="invitations")
    if freq is not None:
        require_choice(freq, _PERIOD_FREQS, name="freq", func=func)
        require_columns(referrals, [invited_col], table="referrals", func=func)
    if (referrer_reward is None) != (invitee_reward is None):
        raise ValueError(f"{func}: give both referrer_reward and invitee_reward, or neither "
                         f"(then the '{reward_col}' column is used).")
    if referrer_reward is None:
        require_columns(referrals, [reward_col], table="referrals", func=func)
        reward = np.nan_to_num(numeric_values(referrals, reward_col, table="referrals", func=func,
                                              allow_missing=True))
    if signed_up_col in referrals.columns:
        signed = referrals[signed_up_col].notna().to_numpy()
    else:
        require_columns(referrals, [invitee_col], table="referrals", func=func)
        signed = referrals[invitee_col].notna().to_numpy()
    first_ids = referrals[first_order_col]
    ordered = first_ids.notna().to_numpy()
    if orders is not None:
        require_columns(orders, [order_id_col], table="orders", func=func)
        paid_ids = orders.loc[paid_mask(orders, status_col=status_col), order_id_col]
        ordered = ordered & first_ids.isin(paid_ids).to_numpy()
    frame = pd.DataFrame({"invitations": 1, "sign_ups": signed.astype(np.int64),
                          "first_orders": ordered.astype(np.int64),
                          "referrer": referrals[referrer_col].to_numpy()})
    if referrer_reward is None:
        frame["reward_cost"] = reward
    else:
        frame["reward_cost"] = ordered * (float(referrer_reward) + float(invitee_reward))
    if freq is None:
        key = np.zeros(len(frame), dtype=np.int64)
        index = pd.Index(["all"], name="period", dtype="str")
    else:
        ords = _period_ordinals(datetime_ns(referrals, invited_col, table="referrals", func=func),
                                freq)
        key = ords - ords.min()
        index = _period_index(np.arange(ords.min(), ords.max() + 1), freq, "period")
    g = frame.groupby(key)
    out = g[["invitations", "sign_ups", "first_orders", "reward_cost"]].sum()
    out["active_referrers"] = g["referrer"].nunique()
    out = out.reindex(np.arange(len(index)), fill_value=0)
    out.index = index
    for col in ("invitations", "sign_ups", "first_orders", "active_referrers"):
        out[col] = out[col].astype(np.int64)
    out["reward_cost"] = out["reward_cost"].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        def ratio(a, b):
            return (out[a] / out[b].where(out[b] > 0)).astype(float)
        out["sign_up_rate"] = ratio("sign_ups", "invitations")
        out["first_order_rate"] = ratio("first_orders", "sign_ups")
        out["invitations_per_referrer"] = ratio("invitations", "active_referrers")
        out["k_factor"] = ratio("first_orders", "active_referrers")
        out["cost_per_acquired_customer"] = ratio("reward_cost", "first_orders")
    return out[["invitations", "sign_ups", "first_orders", "sign_up_rate", "first_order_rate",
                "active_referrers", "invitations_per_referrer", "k_factor", "reward_cost",
                "cost_per_acquired_customer"]]


def referral_what_if(referrals: pd.DataFrame,
                     scenarios: Mapping[str, tuple[float, float]]) -> pd.DataFrame:
    """What the refer-a-friend funnel would give if sign-up or first-order conversion rose.

    Parameters
    ----------
    referrals : DataFrame
        The referrals table (``referrer_id``, ``signed_up_ts``, ``first_order_id``,
        ``reward_value``).
    scenarios : mapping of str to (float, float)
        Scenario name -> (relative rise of the sign-up rate, relative rise of the first-order
        rate), e.g. ``{"today": (0, 0), "shorter form": (0.2, 0)}``. A rise is a fraction
        (0.2 = +20%), >= 0.

    Returns
    -------
    DataFrame
        Index ``scenario``; columns ``sign_up_uplift``, ``first_order_uplift``,
        ``invitations``, ``sign_ups``, ``first_orders`` (expected counts, float),
        ``k_factor`` (first orders / active referrers), ``reward_cost`` and
        ``cost_per_acquired_customer`` (yuan).

    Raises
    ------
    DataValidationError
        Missing columns, no invitations, or a ``reward_value`` that is not a number.
    ValueError
        ``scenarios`` is not a mapping of pairs of rises >= 0.

    Notes
    -----
    The same invitations and referrers; sign-ups = invitations x sign-up rate x (1 + rise),
    at most the invitations; first orders = sign-ups x first-order rate x (1 + rise), at most
    the sign-ups. Rewards stay what the data shows per invitation: the mean ``reward_value``
    of an invitation with a first order, of a sign-up without one, and of an invitation that
    was not taken up. A shorter sign-up form (fewer required fields) and one-tap login
    (一键登录) lift the first two rates; the cost per customer falls only when more of the
    rewarded sign-ups go on to order.

    Examples
    --------
    >>> referrals = pd.DataFrame({"referrer_id": ["a", "a", "b", "b"],
    ...     "signed_up_ts": pd.to_datetime(["2026-01-02", "2026-01-03", None, "2026-01-09"]),
    ...     "first_order_id": ["o1", None, None, "o2"], "reward_value": [70.0, 50.0, 0.0, 70.0]})
    >>> referral_what_if(referrals, {"today": (0, 0), "first orders +50%": (0, 0.5)})[
    ...     ["sign_ups", "first_orders", "k_factor", "cost_per_acquired_customer"]]
    ... # doctest: +NORMALIZE_WHITESPACE
                       sign_ups  first_orders  k_factor  cost_per_acquired_customer
    scenario
    today                   3.0           2.0       1.0                        95.0
    first orders +50%       3.0           3.0       1.5                        70.0
    """
    func = "referral_what_if"
    require_columns(referrals, ["referrer_id", "signed_up_ts", "first_order_id", "reward_value"],
                    table="referrals", func=func)
    require_non_empty(referrals, table="referrals", func=func, what="invitations")
    if not isinstance(scenarios, Mapping) or not scenarios:
        raise ValueError(f"{func}: scenarios must be a non-empty mapping of scenario name to "
                         f"(sign-up rise, first-order rise), e.g. {{'today': (0, 0), "
                         f"'shorter form': (0.2, 0)}}; got {scenarios!r}.")
    rises = {}
    for name, pair in scenarios.items():
        try:
            su, fu = (float(v) for v in pair)
        except (TypeError, ValueError):
            raise ValueError(f"{func}: scenario {name!r} must be a pair of rises (sign-up, "
                             f"first order), e.g. (0.2, 0); got {pair!r}.") from None
        if not (su >= 0 and fu >= 0):
            raise ValueError(f"{func}: scenario {name!r} has a negative rise {tuple(pair)}; "
                             f"give rises as fractions >= 0 (0.2 for +20%).")
        rises[name] = (su, fu)
    signed = referrals["signed_up_ts"].notna().to_numpy()
    ordered = referrals["first_order_id"].notna().to_numpy() & signed
    reward = np.nan_to_num(numeric_values(referrals, "reward_value", table="referrals", func=func,
                                          allow_missing=True))

    def mean(mask):
        return float(reward[mask].mean()) if mask.any() else 0.0

    r_order, r_sign, r_none = mean(ordered), mean(signed & ~ordered), mean(~signed)
    n = float(len(referrals))
    s0, f0 = float(signed.sum()), float(ordered.sum())
    referrers = referrals["referrer_id"].nunique()
    rows = {}
    for name, (su, fu) in rises.items():
        s = min(s0 * (1 + su), n)
        f = min(f0 * (s / s0 if s0 else 0.0) * (1 + fu), s)
        cost = f * r_order + (s - f) * r_sign + (n - s) * r_none
        rows[name] = {"sign_up_uplift": float(su), "first_order_uplift": float(fu),
                      "invitations": n, "sign_ups": s, "first_orders": f,
                      "k_factor": f / referrers if referrers else np.nan,
                      "reward_cost": cost, "cost_per_acquired_customer": cost / f if f else np.nan}
    out = pd.DataFrame.from_dict(rows, orient="index")
    out.index.name = "scenario"
    return out
