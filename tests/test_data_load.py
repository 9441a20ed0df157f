"""Loader: file kinds, encodings, ids as text, dtypes, subsets, mapping files and presets."""

from __future__ import annotations

import pandas as pd
import pytest
from shopdata import tiny_shop, write_csvs

from playbook_lib import DataValidationError
from playbook_lib.data import Dataset, available_presets, load_dataset, load_mapping
from playbook_lib.data.schema import TABLES


def test_round_trip_csv_keeps_ids_and_parses_types(tmp_path):
    write_csvs(tiny_shop(), tmp_path)
    ds = load_dataset(tmp_path)
    assert isinstance(ds, Dataset)
    assert ds.customers["customer_id"].tolist() == ["007", "008", "010"]
    assert pd.api.types.is_string_dtype(ds.orders["customer_id"])
    assert ds.orders["order_ts"].dtype == "datetime64[ns]"
    assert ds.campaigns["peak_start"].dtype == "datetime64[ns]"
    assert ds.order_items["quantity"].dtype == "int64"
    assert ds.orders["net_amount"].dtype == "float64"
    assert ds.products["is_seasonal"].tolist() == [True, False]
    assert ds.orders.loc[2, "order_ts"] == pd.Timestamp("2026-06-17 20:00")
    assert ds.period == (pd.Timestamp("2026-01-05"), pd.Timestamp("2026-06-17"))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_encodings_detected_without_a_hint(tmp_path, encoding):
    frames = tiny_shop()
    frames["products"].loc[0, "name"] = "便携榨汁杯"
    frames["order_items"].loc[1, "return_reason"] = "尺码不合适"
    write_csvs(frames, tmp_path, encoding=encoding)
    ds = load_dataset(tmp_path)
    assert ds.products.loc[0, "name"] == "便携榨汁杯"
    assert ds.order_items.loc[1, "return_reason"] == "尺码不合适"
    assert list(ds.products.columns)[0] == "sku"  # no BOM glued to the first header


def test_excel_and_parquet_files(tmp_path):
    frames = tiny_shop()
    frames["customers"].to_excel(tmp_path / "customers.xlsx", index=False)
    frames["orders"].to_parquet(tmp_path / "orders.parquet")
    ds = load_dataset(tmp_path)
    assert ds.tables == ["customers", "orders"]
    assert ds.customers["customer_id"].tolist() == ["007", "008", "010"]
    assert ds.customers["signup_ts"].dtype == "datetime64[ns]"
    assert ds.orders["net_amount"].tolist() == [199.0, 188.0, 348.0]


def test_subset_of_tables_and_missing_tables_warn(tmp_path):
    write_csvs({"orders": tiny_shop()["orders"].drop(columns=["campaign_id", "coupon_id"])},
               tmp_path)
    ds = load_dataset(tmp_path)
    assert ds.tables == ["orders"]
    assert any("tables not present" in w for w in ds.warnings)
    with pytest.raises(AttributeError, match="no 'customers' table"):
        _ = ds.customers


def test_tables_argument_selects_and_requires(tmp_path):
    write_csvs(tiny_shop(), tmp_path)
    ds = load_dataset(tmp_path, tables=["products"])
    assert ds.tables == ["products"]
    with pytest.raises(DataValidationError, match="table 'traffic' was asked for"):
        load_dataset(tmp_path, tables=["traffic"])


def test_unknown_columns_are_kept_with_a_warning(tmp_path):
    frames = tiny_shop()
    frames["products"]["colour"] = ["red", "blue"]
    write_csvs(frames, tmp_path)
    ds = load_dataset(tmp_path)
    assert "colour" in ds.products.columns
    assert any("'colour'" in w for w in ds.warnings)


def test_same_table_twice_is_an_error(tmp_path):
    frames = tiny_shop()
    write_csvs({"products": frames["products"]}, tmp_path)
    frames["products"].to_parquet(tmp_path / "products.parquet")
    with pytest.raises(DataValidationError, match="given twice"):
        load_dataset(tmp_path)


def test_missing_and_empty_folders(tmp_path):
    with pytest.raises(DataValidationError, match="no such folder"):
        load_dataset(tmp_path / "nope")
    with pytest.raises(DataValidationError, match="holds no table files"):
        load_dataset(tmp_path)


def test_mapping_file_renames_columns_and_values(tmp_path):
    export = pd.DataFrame({
        "订单编号": ["0001", "0002"], "买家会员名": ["tb_anna", "tb_bo"],
        "订单创建时间": ["2026-03-01 10:00:00", "2026-03-02 11:30:00"],
        "买家实际支付金额": ["99.00", "1,299.50"], "订单状态": ["交易成功", "交易关闭"],
    })
    export.to_csv(tmp_path / "orders.csv", index=False, encoding="gbk")
    ds = load_dataset(tmp_path, mapping="taobao_orders")
    o = ds.orders
    assert o["order_id"].tolist() == ["0001", "0002"]
    assert o["status"].tolist() == ["paid", "cancelled"]
    assert o["net_amount"].tolist() == [99.0, 1299.5]
    assert o["order_ts"].iloc[1] == pd.Timestamp("2026-03-02 11:30")


def test_mapping_yaml_in_folder_is_used_and_drops_line_duplicates(tmp_path):
    export = pd.DataFrame({
        "Name": ["#1001", "#1001", "#1002"], "Email": ["a@x.com", "a@x.com", "b@x.com"],
        "Created at": ["2026-02-01 10:00:00 +0800", "2026-02-01 10:00:00 +0800",
                       "2026-02-03 09:15:00 +0800"],
        "Total": ["120.00", "", "80.00"], "Financial Status": ["paid", "", "refunded"],
    })
    export.to_csv(tmp_path / "shopify.csv", index=False)
    (tmp_path / "mapping.yaml").write_text(
        "preset: shopify_orders\ntables:\n  orders:\n    file: shopify.csv\n", encoding="utf-8")
    ds = load_dataset(tmp_path)
    o = ds.orders
    assert o["order_id"].tolist() == ["#1001", "#1002"]
    assert o["order_ts"].tolist() == [pd.Timestamp("2026-02-01 10:00"),
                                      pd.Timestamp("2026-02-03 09:15")]
    assert o["status"].tolist() == ["paid", "refunded"]


def test_mapping_errors_name_the_problem(tmp_path):
    with pytest.raises(DataValidationError, match="no mapping file or preset named 'nope'"):
        load_mapping("nope")
    with pytest.raises(DataValidationError, match="unknown table 'ordres'"):
        load_mapping({"tables": {"ordres": {"columns": {"a": "order_id"}}}})
    with pytest.raises(DataValidationError, match=r"unknown column\(s\) \['orderid'\]"):
        load_mapping({"tables": {"orders": {"columns": {"a": "orderid"}}}})
    assert {"shopify_orders", "taobao_orders"} <= set(available_presets())


def test_presets_only_map_to_schema_columns():
    for name in available_presets():
        m = load_mapping(name)
        for table, spec in m["tables"].items():
            assert set(spec["columns"].values()) <= set(TABLES[table].column_names)


def test_user_files_are_never_modified(tmp_path):
    frames = tiny_shop()
    frames["orders"].loc[0, "net_amount"] = -5.0
    write_csvs(frames, tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(DataValidationError, match=r"net_amount: negative amounts \[rule: >= 0\]"):
        load_dataset(tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_summary_lists_tables_rows_and_dates(tmp_path):
    write_csvs(tiny_shop(), tmp_path)
    s = load_dataset(tmp_path).summary()
    assert s.loc["orders", "rows"] == 3
    assert s.loc["orders", "zh"] == "订单表"
    assert s.loc["orders", "first"] == pd.Timestamp("2026-01-05")
