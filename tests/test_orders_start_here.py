"""The two helpers 00_start_here's exercise set used to keep privately, now in _orders:
``month_orders`` (the orders placed in a month) and ``paid_orders`` (the paid ones)."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from playbook_lib import _orders
from playbook_lib.errors import DataValidationError
from playbook_lib.exercises import start_here


def _orders_table():
    return pd.DataFrame({
        "order_id": ["o1", "o2", "o3", "o4", "o5"],
        "order_ts": pd.to_datetime(["2026-02-28 23:59:59", "2026-03-01 00:00:00",
                                    "2026-03-15 12:00:00", "2026-03-31 23:59:59",
                                    "2026-04-01 00:00:00"]),
        "status": ["paid", "paid", "cancelled", "refunded", "paid"],
        "net_amount": [10.0, 20.0, 30.0, 40.0, 50.0]})


def test_month_orders_keeps_the_month_every_status():
    got = _orders.month_orders(_orders_table(), "2026-03")
    assert_frame_equal(got, _orders_table().iloc[1:4])
    assert_frame_equal(_orders.month_orders(_orders_table(), pd.Period("2026-02", "M")),
                       _orders_table().iloc[:1])


def test_month_orders_errors():
    with pytest.raises(DataValidationError, match=r"month_orders: month='March' is not a month; "
                                                  r"write it as YYYY-MM"):
        _orders.month_orders(_orders_table(), "March")
    with pytest.raises(DataValidationError, match=r"month_orders: table 'orders' is missing "
                                                  r"column\(s\) 'order_ts'"):
        _orders.month_orders(_orders_table().drop(columns="order_ts"), "2026-03")


def test_paid_orders_and_without_a_status_column():
    got = _orders.paid_orders(_orders.month_orders(_orders_table(), "2026-03"))
    assert got["order_id"].tolist() == ["o2"]
    no_status = _orders_table().drop(columns="status")
    assert_frame_equal(_orders.paid_orders(no_status), no_status)


def test_start_here_expected_answers_use_them(demo):
    month = _orders.latest_full_month(demo)
    in_month = _orders.month_orders(demo.orders, month)
    expected = (in_month["status"] == "paid").mean()  # the rule, spelled out once in the test
    assert start_here._paid_share(demo, month) == pytest.approx(expected)
    assert start_here._context(demo, month)["month_orders"].equals(in_month)
