"""The kit's standard charts.

Every function takes an already computed frame and an optional matplotlib ``ax``, draws on that
Axes only and returns it; none of them computes anything. The kit's look comes from an explicit
``use_theme()`` call (or ``with theme():``) in a notebook, never from importing this module.
"""

from __future__ import annotations

from contextlib import contextmanager

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.patches import Rectangle
from matplotlib.ticker import PercentFormatter

from .errors import DataValidationError, require_columns
from .users import RFM_SEGMENTS

__all__ = ["use_theme", "theme"]

_THEME = dict(style="whitegrid", context="notebook", palette="deep",
              rc={"figure.figsize": (9, 4.5), "axes.titleweight": "bold",
                  "axes.spines.top": False, "axes.spines.right": False})


def use_theme() -> None:
    """Apply the kit's seaborn theme globally (call once at the top of a notebook)."""
    sns.set_theme(**_THEME)


@contextmanager
def theme():
    """Apply the kit's theme inside a ``with`` block only."""
    with plt.rc_context(), sns.axes_style(_THEME["style"], rc=_THEME["rc"]), \
            sns.plotting_context(_THEME["context"]):
        yield


def _get_ax(ax):
    """Return ``ax`` or a new Axes on a new figure."""
    if ax is None:
        _, ax = plt.subplots()
    return ax

# --- users charts (owned by playbook_lib.users' author) -------------------------------------



__all__ += ["cohort_heatmap", "retention_curves", "segment_bar", "rfm_grid", "pareto_chart"]


def _cohort_labels(index) -> list[str]:
    """Short labels for cohort periods (a week shows as its Monday)."""
    if isinstance(index, pd.PeriodIndex) and index.freqstr.startswith("W"):
        return [str(p.start_time.date()) for p in index]
    return [str(v) for v in index]


def _is_share_table(values) -> bool:
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    return finite.size == 0 or finite.max() <= 1.0


def cohort_heatmap(retention, ax=None, *, annot=None, fmt=None, cbar=True):
    """Heatmap of a cohort table from :func:`playbook_lib.users.cohort_retention`.

    Parameters
    ----------
    retention : DataFrame
        Index = cohort, columns = periods since the first purchase, values = shares (or
        counts). NaN cells (after the end of the data) stay blank.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    annot : bool, optional
        Write each cell's value; default only when the table is at most 25 x 25. Colours
        scale to the largest value after period 0 (period 0 is always 100%).
    fmt : str, optional
        Format of the annotations; default ".0%" for shares and "g" for counts.
    cbar : bool, default True
        Draw a colour bar beside the Axes.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> ret = pd.DataFrame([[1.0, 0.4], [1.0, None]],
    ...     index=pd.PeriodIndex(["2026-01", "2026-02"], freq="M", name="cohort"),
    ...     columns=pd.Index([0, 1], name="period"))
    >>> len(cohort_heatmap(ret).texts)
    3
    """
    if not isinstance(retention, pd.DataFrame) or retention.empty:
        raise DataValidationError("cohort_heatmap: expected the non-empty DataFrame returned "
                                   "by users.cohort_retention().")
    ax = _get_ax(ax)
    shares = _is_share_table(retention.to_numpy())
    if annot is None:
        annot = retention.shape[0] <= 25 and retention.shape[1] <= 25
    data = retention.set_axis(_cohort_labels(retention.index), axis=0)
    # colour scale from the later periods: period 0 is always 100% and would wash them out
    later = data.iloc[:, 1:].to_numpy(dtype=float)
    top = np.nanmax(later) if np.isfinite(later).any() else None
    sns.heatmap(data, ax=ax, annot=annot, fmt=fmt or (".0%" if shares else "g"),
                cmap="Blues", vmin=0, vmax=top, cbar=cbar,
                mask=data.isna(), annot_kws={"fontsize": "x-small"})
    ax.set_xlabel("periods since first purchase")
    ax.set_ylabel("cohort (first purchase)")
    ax.set_title("Cohort retention" if shares else "Active customers per cohort")
    return ax


def retention_curves(retention, ax=None, *, cohorts=None, legend=None):
    """One retention curve per cohort from :func:`playbook_lib.users.cohort_retention`.

    Parameters
    ----------
    retention : DataFrame
        Index = cohort, columns = periods since the first purchase, values = shares.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    cohorts : list, optional
        Only these cohorts (index labels); default all.
    legend : bool, optional
        Show a legend; default only with at most 12 curves.

    Returns
    -------
    matplotlib Axes
        One line per cohort; NaN cells (after the end of the data) end the line.

    Examples
    --------
    >>> import pandas as pd
    >>> ret = pd.DataFrame([[1.0, 0.4, 0.3], [1.0, 0.5, None]],
    ...     index=pd.PeriodIndex(["2026-01", "2026-02"], freq="M", name="cohort"),
    ...     columns=pd.Index([0, 1, 2], name="period"))
    >>> len(retention_curves(ret).lines)
    2
    """
    if not isinstance(retention, pd.DataFrame) or retention.empty:
        raise DataValidationError("retention_curves: expected the non-empty DataFrame returned "
                                   "by users.cohort_retention().")
    ax = _get_ax(ax)
    table = retention if cohorts is None else retention.loc[list(cohorts)]
    labels = _cohort_labels(table.index)
    colors = sns.color_palette("viridis", n_colors=max(len(table), 1))
    x = np.asarray(table.columns, dtype=float)
    # strict=False: the palette keeps one colour even when no cohort is picked
    for (_, row), label, color in zip(table.iterrows(), labels, colors, strict=False):
        y = row.to_numpy(dtype=float)
        ax.plot(x, y, marker="o" if len(x) <= 24 else None, markersize=3, color=color,
                label=label, linewidth=1.4)
    if _is_share_table(table.to_numpy()):
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_ylim(0, 1.05)
    ax.set_xlabel("periods since first purchase")
    ax.set_ylabel("share of cohort buying")
    ax.set_title("Retention curves by cohort")
    if legend if legend is not None else len(table) <= 12:
        ax.legend(title="cohort", fontsize="small", frameon=False, ncol=2 if len(table) > 6 else 1)
    return ax


def segment_bar(summary, ax=None, *, columns=("customer_share", "revenue_share")):
    """Share of customers beside share of revenue per segment (from ``segment_summary``).

    Parameters
    ----------
    summary : DataFrame
        :func:`playbook_lib.users.segment_summary` output: index = segment, with the
        ``columns`` to draw.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    columns : sequence of str, default ("customer_share", "revenue_share")
        Share columns drawn as grouped horizontal bars, in the frame's row order (top first).

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> summary = pd.DataFrame({"customer_share": [0.2, 0.8], "revenue_share": [0.6, 0.4]},
    ...     index=pd.Index(["champions", "lost"], name="segment"))
    >>> len(segment_bar(summary).patches)
    4
    """
    columns = list(columns)
    require_columns(summary, columns, table="summary", func="segment_bar")
    ax = _get_ax(ax)
    y = np.arange(len(summary))
    height = 0.8 / max(len(columns), 1)
    colors = sns.color_palette("deep", n_colors=max(len(columns), 1))
    # strict=False: the palette keeps one colour even when no column is asked for
    for i, (col, color) in enumerate(zip(columns, colors, strict=False)):
        ax.barh(y - 0.4 + height * (i + 0.5), summary[col].to_numpy(dtype=float), height=height,
                color=color, label=col.replace("_", " "))
    ax.set_yticks(y, [str(v) for v in summary.index])
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel("share")
    ax.set_title("Segments: customers vs revenue")
    ax.legend(frameon=False, loc="lower right")
    return ax


def rfm_grid(grid, ax=None, *, segments=True, annot=True):
    """R x F grid of customer counts from :func:`playbook_lib.users.rfm_grid_table`.

    Parameters
    ----------
    grid : DataFrame
        ``rfm_grid_table(scores)``: index ``r_score`` (highest first), columns ``f_score``,
        values = customers.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    segments : bool, default True
        On a 5 x 5 grid, outline and name the segments of
        :data:`playbook_lib.users.RFM_SEGMENTS`.
    annot : bool, default True
        Write the count in each cell.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> grid = pd.DataFrame([[3, 1], [0, 2]], index=pd.Index([2, 1], name="r_score"),
    ...     columns=pd.Index([1, 2], name="f_score"))
    >>> len(rfm_grid(grid, segments=False).texts)
    4
    """
    if not isinstance(grid, pd.DataFrame) or grid.empty:
        raise DataValidationError("rfm_grid: expected the non-empty DataFrame returned by "
                                   "users.rfm_grid_table(scores).")
    ax = _get_ax(ax)
    sns.heatmap(grid, ax=ax, annot=annot, fmt="d", cmap="Greens", cbar=False,
                linewidths=0.5, linecolor="white", annot_kws={"fontsize": "small"})
    r_values = [int(v) for v in grid.index]
    f_values = [int(v) for v in grid.columns]
    if segments and sorted(r_values) == [1, 2, 3, 4, 5] and f_values == [1, 2, 3, 4, 5]:
        for name, ((r_lo, r_hi), (f_lo, f_hi)) in RFM_SEGMENTS.items():
            top = r_values.index(r_hi)  # rows run from the highest R down
            ax.add_patch(Rectangle((f_lo - 1, top), f_hi - f_lo + 1, r_hi - r_lo + 1,
                                    fill=False, edgecolor="black", linewidth=1.5))
            # a pale box behind the label keeps it readable on the darkest cells too
            ax.text(f_lo - 1 + 0.05, top + 0.05, name.replace("_", " "), fontsize="xx-small",
                    va="top", ha="left", color="#222222",
                    bbox={"facecolor": "white", "alpha": 0.75, "edgecolor": "none", "pad": 1})
    ax.set_xlabel("F score (orders)")
    ax.set_ylabel("R score (recency)")
    ax.set_title("RFM grid: customers per R x F cell")
    return ax


def pareto_chart(table, ax=None, *, value_col="returned_units", label_col="reason",
                 cumulative_col="cumulative_share", reference=0.8):
    """Pareto chart: bars largest first, cumulative share on a right-hand axis.

    Parameters
    ----------
    table : DataFrame
        Already sorted, largest first, e.g. :func:`playbook_lib.users.return_reasons` for one
        period (filter a before/after table to one period first).
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted. The cumulative line goes on a twin Axes.
    value_col, label_col, cumulative_col : str
        Bar heights, bar labels and the cumulative share (0-1) column.
    reference : float or None, default 0.8
        A dashed line at this cumulative share (the 80/20 rule); None for none.

    Returns
    -------
    matplotlib Axes
        The bar Axes (the twin is ``ax.right_ax``).

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame({"reason": ["size", "quality"], "returned_units": [30, 10],
    ...     "cumulative_share": [0.75, 1.0]})
    >>> ax = pareto_chart(table)
    >>> len(ax.patches), len(ax.right_ax.lines)
    (2, 2)
    """
    func = "pareto_chart"
    require_columns(table, [value_col, label_col, cumulative_col], table="table", func=func)
    if "period" in table.columns and table["period"].nunique() > 1:
        periods = ", ".join(map(str, table["period"].unique()))
        raise DataValidationError(
            f"{func}: the table holds several periods ({periods}); draw one at a time, "
            f"e.g. table[table['period'] == 'after'].")
    ax = _get_ax(ax)
    x = np.arange(len(table))
    ax.bar(x, table[value_col].to_numpy(dtype=float), color="#4C72B0")
    ax.set_xticks(x, [str(v) for v in table[label_col]], rotation=30, ha="right")
    ax.set_ylabel(value_col.replace("_", " "))
    right = ax.twinx()
    right.plot(x, table[cumulative_col].to_numpy(dtype=float), color="#C44E52", marker="o")
    if reference is not None:
        right.axhline(reference, color="#C44E52", linestyle="--", linewidth=1)
    right.set_ylim(0, 1.05)
    right.yaxis.set_major_formatter(PercentFormatter(1.0))
    right.set_ylabel("cumulative share")
    right.grid(False)
    ax.right_ax = right
    ax.set_title(f"Pareto: {value_col.replace('_', ' ')} by {label_col.replace('_', ' ')}")
    return ax

# --- products and experiments charts --------------------------------------------------------



__all__ += ["abc_chart", "inventory_cover_chart", "seasonality_chart", "uplift_chart"]

_ABC_COLORS = {"A": "#4C72B0", "B": "#DD8452", "C": "#8C8C8C"}


def abc_chart(abc: pd.DataFrame, ax=None, *, max_labels: int = 30):
    """Pareto chart of :func:`playbook_lib.products.abc_classes`: shares and cumulative share.

    Parameters
    ----------
    abc : DataFrame
        ``abc_classes`` output: ``key``, ``share``, ``cumulative_share``, ``abc_class``, in
        its order (largest first).
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.
    max_labels : int, default 30
        Label the bars with their keys only when there are at most this many.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> abc = pd.DataFrame({"key": ["a", "b", "c"], "share": [0.7, 0.2, 0.1],
    ...     "cumulative_share": [0.7, 0.9, 1.0], "abc_class": ["A", "B", "C"]})
    >>> abc_chart(abc).get_ylabel()
    'share of revenue'
    """
    require_columns(abc, ["key", "share", "cumulative_share", "abc_class"], table="abc",
                    func="abc_chart")
    ax = _get_ax(ax)
    x = np.arange(len(abc))
    classes = abc["abc_class"].astype("str").to_numpy()
    for cls in ("A", "B", "C"):
        on = classes == cls
        if on.any():
            ax.bar(x[on], abc["share"].to_numpy()[on], width=0.85, color=_ABC_COLORS[cls],
                   label=f"class {cls}")
    ax.plot(x, abc["cumulative_share"].to_numpy(), color="black", marker="." if len(x) <= 60
            else None, linewidth=1.5, label="cumulative share")
    ax.set_ylim(0, 1.05)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    if len(x) <= max_labels:
        ax.set_xticks(x, abc["key"].astype("str").tolist(), rotation=90)
        ax.set_xlabel("")
    else:
        ax.set_xticks([])
        ax.set_xlabel(f"{len(x)} keys, ranked by revenue")
    ax.set_ylabel("share of revenue")
    ax.set_title("ABC classes: revenue concentration")
    ax.legend(loc="center right", frameon=False)
    return ax


def inventory_cover_chart(kpis: pd.DataFrame, ax=None, *, thresholds=(45, 180)):
    """Days of inventory per key from :func:`playbook_lib.products.inventory_kpis`.

    Parameters
    ----------
    kpis : DataFrame
        Needs ``key`` and ``days_of_inventory``; drawn in the frame's order, top to bottom
        (sort and cut it first, e.g. ``kpis.nlargest(20, "days_of_inventory")``). ``inf``
        (stock but no sale) is drawn to the edge, hatched; NaN (no stock) is left empty.
    thresholds : sequence of float, default (45, 180)
        Vertical reference lines: above 45 days needs a plan, above 180 is a slow mover.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib Axes

    Examples
    --------
    >>> import pandas as pd
    >>> kpis = pd.DataFrame({"key": ["s1", "s2"], "days_of_inventory": [30.0, float("inf")]})
    >>> inventory_cover_chart(kpis).get_xlabel()
    'days of inventory'
    """
    require_columns(kpis, ["key", "days_of_inventory"], table="kpis",
                    func="inventory_cover_chart")
    ax = _get_ax(ax)
    days = kpis["days_of_inventory"].astype(float).to_numpy()
    finite = days[np.isfinite(days)]
    edge = max([*finite.tolist(), *thresholds, 1.0]) * 1.1
    y = np.arange(len(days))
    shown = np.where(np.isinf(days), edge, np.nan_to_num(days, nan=0.0))
    slow = max(thresholds) if len(thresholds) else np.inf
    colors = np.where(np.nan_to_num(days, nan=0.0) > slow, "#C44E52", "#4C72B0")
    bars = ax.barh(y, shown, color=colors)
    for bar, d in zip(bars, days, strict=True):
        if np.isinf(d):
            bar.set_hatch("//")
            bar.set_alpha(0.6)
            ax.text(edge, bar.get_y() + bar.get_height() / 2, " no sales", va="center",
                    fontsize="small")
    # strict=False: three line styles; thresholds beyond the third are not drawn
    for t, style in zip(thresholds, ("--", "-", ":"), strict=False):
        ax.axvline(t, color="black", linestyle=style, linewidth=1)
        ax.text(t, 1.0, f" {t:g} d", va="bottom", fontsize="small",
                transform=ax.get_xaxis_transform())
    ax.set_yticks(y, kpis["key"].astype("str").tolist())
    ax.invert_yaxis()
    ax.set_xlim(0, edge * 1.15)
    ax.set_xlabel("days of inventory")
    ax.set_title("Days of inventory per SKU", pad=14)
    return ax


def seasonality_chart(components: pd.DataFrame, ax=None, *, key=None):
    """STL components of one key from :func:`playbook_lib.products.seasonality`.

    Parameters
    ----------
    components : DataFrame
        ``seasonality`` output: ``period``, ``key``, ``observed``, ``trend``, ``seasonal``,
        ``resid``.
    key : str, optional
        Which key to draw; needed when the frame holds more than one.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib Axes
        Observed sales, trend and seasonal component as lines, the remainder as bars, on one
        shared scale.

    Examples
    --------
    >>> import pandas as pd
    >>> comp = pd.DataFrame({"period": pd.date_range("2026-01-01", periods=4, freq="MS"),
    ...     "key": "fan", "observed": [1.0, 5, 1, 5], "trend": [3.0] * 4,
    ...     "seasonal": [-2.0, 2, -2, 2], "resid": [0.0] * 4})
    >>> seasonality_chart(comp).get_title()
    'Seasonality: fan'
    """
    func = "seasonality_chart"
    require_columns(components, ["period", "key", "observed", "trend", "seasonal", "resid"],
                    table="components", func=func)
    keys = components["key"].astype("str").unique().tolist()
    if key is None:
        if len(keys) != 1:
            raise DataValidationError(
                f"{func}: the frame holds {len(keys)} keys; pass key= one of "
                f"{', '.join(repr(k) for k in keys[:5])}{' ...' if len(keys) > 5 else ''}.")
        key = keys[0]
    if str(key) not in keys:
        raise DataValidationError(
            f"{func}: key={key!r} is not in the frame; it has "
            f"{', '.join(repr(k) for k in keys[:5])}{' ...' if len(keys) > 5 else ''}.")
    c = components[components["key"].astype("str") == str(key)]
    ax = _get_ax(ax)
    t = pd.to_datetime(c["period"])
    width = (t.diff().median() if len(t) > 1 else pd.Timedelta(days=20)) * 0.6
    ax.bar(t, c["resid"], width=width, color="#8C8C8C", alpha=0.5, label="remainder")
    ax.plot(t, c["observed"], color="#4C4C4C", marker=".", linewidth=1, label="observed")
    ax.plot(t, c["trend"], color="#4C72B0", linewidth=2.5, label="trend")
    ax.plot(t, c["seasonal"], color="#DD8452", linewidth=2, label="seasonal")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_title(f"Seasonality: {key}")
    ax.set_ylabel("units")
    locator = mdates.AutoDateLocator()
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.legend(frameon=False, ncols=2, loc="best")
    return ax


def uplift_chart(results: pd.DataFrame, ax=None):
    """Relative uplift with its confidence interval per experiment (and variant).

    Parameters
    ----------
    results : DataFrame
        :func:`playbook_lib.experiments.ab_test_table` output or
        ``ab_test(...).to_frame()``: ``uplift``, ``uplift_ci_low``, ``uplift_ci_high``,
        ``significant``; rows are labelled by ``name`` (else ``experiment_id``, else the row
        number) and ``variant`` when present.
    ax : matplotlib Axes, optional
        Where to draw; a new figure when omitted.

    Returns
    -------
    matplotlib Axes
        One point per row with its interval; significant results in green.

    Examples
    --------
    >>> import pandas as pd
    >>> res = pd.DataFrame({"experiment_id": ["e1", "e2"], "uplift": [0.15, 0.01],
    ...     "uplift_ci_low": [0.05, -0.08], "uplift_ci_high": [0.26, 0.11],
    ...     "significant": [True, False]})
    >>> [t.get_text() for t in uplift_chart(res).get_yticklabels()]
    ['e1', 'e2']
    """
    require_columns(results, ["uplift", "uplift_ci_low", "uplift_ci_high", "significant"],
                    table="results", func="uplift_chart")
    ax = _get_ax(ax)
    if "name" in results.columns:
        labels = results["name"].astype("str")
    elif "experiment_id" in results.columns:
        labels = results["experiment_id"].astype("str")
    else:
        labels = pd.Series([str(i) for i in range(len(results))], index=results.index)
    if "variant" in results.columns and results["variant"].nunique() > 1:
        labels = labels + " (" + results["variant"].astype("str") + ")"
    y = np.arange(len(results))
    up = results["uplift"].astype(float).to_numpy()
    lo = results["uplift_ci_low"].astype(float).to_numpy()
    hi = results["uplift_ci_high"].astype(float).to_numpy()
    sig = results["significant"].astype(bool).to_numpy()
    for on, color, label in ((sig, "#55A868", "significant"), (~sig, "#8C8C8C", "not significant")):
        if on.any():
            ax.errorbar(up[on], y[on], xerr=[up[on] - lo[on], hi[on] - up[on]], fmt="o",
                        color=color, capsize=4, label=label)
    ax.axvline(0, color="black", linewidth=1)
    ax.set_yticks(y, labels.tolist())
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel("relative uplift of conversion, with confidence interval")
    ax.set_title("A/B tests")
    ax.legend(frameon=False, loc="best")
    return ax
