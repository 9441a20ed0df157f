"""The campaign calendar: the next big campaign, the days before each warm-up, the peak days.

Big campaigns (Double 11, 618, the Spring Festival fair) set the rhythm of stock, service and
budget. These helpers read the ``campaigns`` table (``campaign_id``, ``name``, ``kind``,
``warmup_start``, ``peak_start``, ``peak_end``) for the lessons that plan around it: which
campaign is next (:func:`next_campaign`), when its stock must be built
(:func:`pre_campaign_windows`) and which days are peak days (:func:`campaign_peak_days`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from .._checks import datetimes, positive_int, to_day
from ..errors import DataValidationError, format_examples, require_columns

__all__ = ["campaign_peak_days", "next_campaign", "pre_campaign_windows"]

_YEAR = re.compile(r"(19|20)\d{2}")
_CAMPAIGN_COLS = ["campaign_id", "name", "kind", "warmup_start", "peak_start", "peak_end"]


def _campaigns(campaigns: pd.DataFrame, kinds, func: str) -> pd.DataFrame:
    require_columns(campaigns, _CAMPAIGN_COLS, table="campaigns", func=func)
    kinds = [kinds] if isinstance(kinds, str) else list(kinds)
    c = campaigns.loc[campaigns["kind"].isin(kinds), _CAMPAIGN_COLS].copy()
    if c.empty:
        have = sorted(campaigns["kind"].dropna().astype(str).unique())
        raise DataValidationError(
            f"{func}: table 'campaigns' has no campaign of kind {format_examples(kinds)}; "
            f"it has kinds {format_examples(have)}. Pick one of those.")
    for col in ("warmup_start", "peak_start", "peak_end"):
        c[col] = pd.to_datetime(c[col]).dt.normalize()
    return c


def _shift_years(text: str, years: int) -> str:
    return _YEAR.sub(lambda m: str(int(m.group(0)) + years), str(text))


def next_campaign(campaigns: pd.DataFrame, *, as_of, kinds: Iterable[str] = ("festival",)) \
        -> pd.Series:
    """The next big campaign whose peak is still ahead on ``as_of``.

    Parameters
    ----------
    campaigns : DataFrame
        The campaigns table: ``campaign_id``, ``name``, ``kind``, ``warmup_start``,
        ``peak_start``, ``peak_end``.
    as_of : date-like
        Today (end of day).
    kinds : iterable of str, default ("festival",)
        Campaign kinds that count as big (Double 11, 618, the Spring Festival fair).

    Returns
    -------
    Series
        ``campaign_id``, ``name``, ``kind`` (str), ``warmup_start``, ``peak_start``,
        ``peak_end`` (Timestamp), ``days_to_peak`` (int: from ``as_of`` to ``peak_start``),
        ``projected`` (bool) and ``based_on`` (str: the campaign it was projected from, or
        its own id).

    Notes
    -----
    Big campaigns come back on the same dates every year. When the table lists no campaign
    still ahead, each listed one is moved forward by whole years until its peak is after
    ``as_of`` (its id and name get the new year), and the earliest is returned; of several
    editions landing on the same date, the latest one is the base.

    Examples
    --------
    >>> import pandas as pd
    >>> camps = pd.DataFrame({"campaign_id": ["D11-2025", "618-2026"],
    ...     "name": ["Double 11 2025", "618 Mid-Year Sale 2026"], "kind": "festival",
    ...     "warmup_start": pd.to_datetime(["2025-10-24", "2026-05-28"]),
    ...     "peak_start": pd.to_datetime(["2025-11-11", "2026-06-16"]),
    ...     "peak_end": pd.to_datetime(["2025-11-11", "2026-06-18"])})
    >>> nxt = next_campaign(camps, as_of="2026-09-30")
    >>> nxt["campaign_id"], nxt["name"], str(nxt["peak_start"].date()), nxt["projected"]
    ('D11-2026', 'Double 11 2026', '2026-11-11', True)
    """
    func = "next_campaign"
    as_of = to_day(as_of, name="as_of", func=func)
    c = _campaigns(campaigns, kinds, func)
    ahead = c[c["peak_end"] > as_of]
    if len(ahead):
        row = ahead.sort_values(["peak_start", "campaign_id"]).iloc[0]
        out = row.copy()
        out["projected"], out["based_on"] = False, str(row["campaign_id"])
    else:
        rows = []
        for _, r in c.iterrows():
            k = 1
            while r["peak_end"] + pd.DateOffset(years=k) <= as_of:
                k += 1
            shifted = r.copy()
            for col in ("warmup_start", "peak_start", "peak_end"):
                shifted[col] = r[col] + pd.DateOffset(years=k)
            shifted["campaign_id"] = _shift_years(r["campaign_id"], k)
            shifted["name"] = _shift_years(r["name"], k)
            shifted["based_on"] = str(r["campaign_id"])
            shifted["_years"] = k
            rows.append(shifted)
        # the same date projected from several years: take the latest edition (fewest years)
        proj = pd.DataFrame(rows).sort_values(["peak_start", "_years", "campaign_id"])
        out = proj.iloc[0].drop("_years").copy()
        out["projected"] = True
    out["days_to_peak"] = int((out["peak_start"] - as_of).days)
    return out[["campaign_id", "name", "kind", "warmup_start", "peak_start", "peak_end",
                "days_to_peak", "projected", "based_on"]]


def pre_campaign_windows(campaigns: pd.DataFrame, *, days: int = 30,
                         kinds: Iterable[str] = ("festival",), first=None, last=None) \
        -> pd.DataFrame:
    """The ``days`` days before each big campaign's warm-up: when its stock is built.

    Parameters
    ----------
    campaigns : DataFrame
        The campaigns table (see :func:`next_campaign`).
    days : int, default 30
        Length of the window, ending the day before the warm-up (预热期) starts.
    kinds : iterable of str, default ("festival",)
        Campaign kinds that count as big.
    first, last : date-like, optional
        The data's first and last day: windows that end before ``first`` or after ``last``
        are dropped, and a start before ``first`` is moved to ``first``.

    Returns
    -------
    DataFrame
        One row per campaign, in date order: ``campaign_id``, ``name`` (str),
        ``warmup_start``, ``start``, ``end`` (Timestamp; both ends included).

    Examples
    --------
    >>> import pandas as pd
    >>> camps = pd.DataFrame({"campaign_id": ["D11-2025"], "name": ["Double 11 2025"],
    ...     "kind": "festival", "warmup_start": pd.to_datetime(["2025-10-24"]),
    ...     "peak_start": pd.to_datetime(["2025-11-11"]),
    ...     "peak_end": pd.to_datetime(["2025-11-11"])})
    >>> pre_campaign_windows(camps, days=30)[["campaign_id", "start", "end"]]
      campaign_id      start        end
    0    D11-2025 2025-09-24 2025-10-23
    """
    func = "pre_campaign_windows"
    positive_int(days, name="days", func=func, hint="e.g. 30")
    c = _campaigns(campaigns, kinds, func)
    out = pd.DataFrame({
        "campaign_id": c["campaign_id"].astype("str").to_numpy(),
        "name": c["name"].astype("str").to_numpy(),
        "warmup_start": c["warmup_start"].to_numpy(),
        "start": (c["warmup_start"] - pd.Timedelta(days=int(days))).to_numpy(),
        "end": (c["warmup_start"] - pd.Timedelta(days=1)).to_numpy(),
    })
    if first is not None:
        first = to_day(first, name="first", func=func)
        out = out[out["end"] >= first]
        out["start"] = out["start"].clip(lower=first)
    if last is not None:
        out = out[out["end"] <= to_day(last, name="last", func=func)]
    for col in ("warmup_start", "start", "end"):
        out[col] = out[col].astype("datetime64[ns]")
    return out.sort_values(["start", "campaign_id"], ignore_index=True)



def campaign_peak_days(campaigns: pd.DataFrame, *, start_col: str = "peak_start",
                       end_col: str = "peak_end") -> pd.DatetimeIndex:
    """Every calendar day inside a campaign's peak phase (爆发期), sorted, each once.

    Parameters
    ----------
    campaigns : DataFrame
        The campaigns table (``peak_start``, ``peak_end``; both days included).
    start_col, end_col : str
        Column names.

    Returns
    -------
    DatetimeIndex
        Midnight of each peak day, named ``date``. Campaigns without peak dates are skipped.

    Notes
    -----
    Peak days (大促爆发日) carry several times an ordinary day's orders and service load; the
    service lesson compares response times on them with the other days.

    Examples
    --------
    >>> camps = pd.DataFrame({"peak_start": pd.to_datetime(["2026-06-16", "2026-11-11"]),
    ...     "peak_end": pd.to_datetime(["2026-06-18", "2026-11-11"])})
    >>> [str(d.date()) for d in campaign_peak_days(camps)]
    ['2026-06-16', '2026-06-17', '2026-06-18', '2026-11-11']
    """
    func = "campaign_peak_days"
    require_columns(campaigns, [start_col, end_col], table="campaigns", func=func)
    starts = datetimes(campaigns, start_col, table="campaigns", func=func)
    ends = datetimes(campaigns, end_col, table="campaigns", func=func)
    days = []
    for s, e in zip(starts, ends, strict=True):
        if pd.notna(s) and pd.notna(e):
            days.extend(pd.date_range(s.normalize(), e.normalize(), freq="D"))
    return pd.DatetimeIndex(sorted(set(days)), dtype="datetime64[ns]", name="date")
