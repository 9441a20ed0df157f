"""Order lines of the orders that count, and the checks every products function shares.

Private helpers of :mod:`playbook_lib.products` (plus the public :func:`sold_items`, which the
package re-exports). Which orders count is decided in :mod:`playbook_lib._orders`: money
(GMV, margin, ABC revenue) counts :data:`~playbook_lib._orders.PAID_STATUSES`, stock (units
sold for turnover, days of inventory, sell-through, safety stock, stock-out risk) counts
:data:`~playbook_lib._orders.SHIPPED_STATUSES`.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .._checks import datetimes, require_numeric
from .._orders import PAID_STATUSES, check_statuses, status_mask
from ..errors import DataValidationError, format_examples, require_columns

__all__ = ["sold_items"]

_ONE_DAY = pd.Timedelta(days=1)


def _ns(s: pd.Series) -> pd.Series:
    """Datetimes in the data model's resolution (datetime64[ns])."""
    return s.astype("datetime64[ns]")


def _check_unique_orders(orders: pd.DataFrame, func: str) -> None:
    dup = orders["order_id"][orders["order_id"].duplicated()]
    if len(dup):
        raise DataValidationError(
            f"{func}: table 'orders' has {len(dup)} repeated order_id value(s), e.g. "
            f"{format_examples(dup.unique().tolist(), 3)}. One row per order is expected; "
            f"drop the duplicates (orders.drop_duplicates('order_id'))."
        )


def _check_orders(order_items: pd.DataFrame, orders: pd.DataFrame, item_cols: list[str],
                  func: str) -> None:
    require_columns(order_items, item_cols, table="order_items", func=func)
    require_columns(orders, ["order_id", "order_ts"], table="orders", func=func)
    _check_unique_orders(orders, func)
    datetimes(orders, "order_ts", table="orders", func=func)
    if "quantity" in item_cols:
        require_numeric(order_items, ["quantity"], table="order_items", func=func, min_value=0)


def _sold_lines(order_items: pd.DataFrame, orders: pd.DataFrame, item_cols: list[str],
                statuses: tuple[str, ...], func: str,
                order_cols: tuple[str, ...] = ()) -> pd.DataFrame:
    """Lines of counted orders with their ``order_ts``; inputs must be validated already."""
    keep = ["order_id", "order_ts", *order_cols]
    o = orders.loc[status_mask(orders, statuses), keep]
    if not pd.api.types.is_datetime64_any_dtype(o["order_ts"]):
        o = o.assign(order_ts=datetimes(o, "order_ts", table="orders", func=func))
    cols = list(dict.fromkeys(["order_id", *item_cols]))
    # order_id is unique in orders (checked by _check_orders), so this is many-to-one
    return order_items[cols].merge(o, on="order_id", how="inner")


def _product_table(products: pd.DataFrame, cols: list[str], func: str) -> pd.DataFrame:
    """Validated products indexed by sku with ``cols``."""
    require_columns(products, ["sku", *cols], table="products", func=func)
    dup = products["sku"][products["sku"].duplicated()]
    if len(dup):
        raise DataValidationError(
            f"{func}: table 'products' lists {len(dup)} SKU(s) more than once, e.g. "
            f"{format_examples(dup.unique().tolist(), 3)}. Keep one row per sku."
        )
    return products.set_index("sku")[cols]


def _check_known_skus(skus: pd.Series, products: pd.DataFrame, table: str, func: str) -> None:
    unknown = pd.Index(skus.unique()).difference(products.index)
    if len(unknown):
        raise DataValidationError(
            f"{func}: {len(unknown)} SKU(s) in table '{table}' are not in table 'products', "
            f"e.g. {format_examples(sorted(unknown), 3)}. Add them to products (with their "
            f"category and unit_cost) or drop those rows."
        )


def sold_items(order_items: pd.DataFrame, orders: pd.DataFrame, *,
               statuses: Iterable[str] = PAID_STATUSES) -> pd.DataFrame:
    """Order lines of the orders that count, with each order's time and customer.

    Which orders count follows :mod:`playbook_lib._orders`: money uses
    :data:`~playbook_lib._orders.PAID_STATUSES`, stock uses
    :data:`~playbook_lib._orders.SHIPPED_STATUSES`.

    Parameters
    ----------
    order_items : DataFrame
        Needs ``order_id``; every other column is kept.
    orders : DataFrame
        Needs ``order_id``, ``order_ts``; ``status`` and ``customer_id`` are used when present.
    statuses : iterable of str, default ("paid",)
        Order statuses that count. Without a ``status`` column every order counts.

    Returns
    -------
    DataFrame
        The counted lines: every column of ``order_items``, then ``order_ts`` and (when
        ``orders`` has it) ``customer_id``. Lines whose order is not in ``orders`` are dropped.

    Notes
    -----
    Paid lines (成交明细): the lines behind GMV. Refunded orders count only for stock.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"order_id": ["o1", "o2"], "status": ["paid", "refunded"],
    ...     "order_ts": pd.to_datetime(["2026-01-05", "2026-01-06"])})
    >>> items = pd.DataFrame({"order_id": ["o1", "o2"], "sku": ["s1", "s2"], "quantity": [1, 2]})
    >>> sold_items(items, orders)
      order_id sku  quantity   order_ts
    0       o1  s1         1 2026-01-05
    >>> from playbook_lib._orders import SHIPPED_STATUSES
    >>> len(sold_items(items, orders, statuses=SHIPPED_STATUSES))
    2
    """
    func = "sold_items"
    statuses = check_statuses(statuses, func)
    _check_orders(order_items, orders, ["order_id"], func)
    extra = ("customer_id",) if "customer_id" in orders.columns else ()
    return _sold_lines(order_items, orders, list(order_items.columns), statuses, func,
                       order_cols=extra).reset_index(drop=True)

