"""Validator: every rule against a file that breaks it, the full report, and the CLI."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from shopdata import tiny_shop, write_csvs

from playbook_lib import DataValidationError
from playbook_lib.cli import main
from playbook_lib.data import Dataset, validate
from playbook_lib.data.checks import pandera_schema
from playbook_lib.data.schema import TABLES


def broken(tmp_path, table, change):
    frames = tiny_shop()
    frames[table] = change(frames[table].copy())
    write_csvs(frames, tmp_path)
    return tmp_path


def set_cell(col, row, value):
    def change(df):
        df[col] = df[col].astype(object)
        df.loc[row, col] = value
        return df
    return change


def test_the_tiny_shop_is_valid(tmp_path):
    write_csvs(tiny_shop(), tmp_path)
    report = validate(tmp_path)
    assert report.ok, report.format()
    assert report.checked == ["customers", "products", "orders", "order_items",
                              "campaigns", "coupons", "experiments"]


# (table, change, regex the report must contain)
CASES = [
    ("orders", lambda df: df.drop(columns=["net_amount"]),
     r"net_amount: required column\(s\) missing"),
    ("orders", set_cell("order_ts", 1, "2026-13-45"),
     r"order_ts: values that are not a date and time \[rule: parseable as datetime\] - 1 row\n"
     r"\s+e\.g\. row 3: '2026-13-45'"),
    ("order_items", set_cell("quantity", 0, "1.5"),
     r"quantity: values that are not a whole number"),
    ("orders", set_cell("customer_id", 2, None), r"customer_id: empty cells"),
    ("orders", set_cell("order_id", 1, "O1"), r"order_id: the same key appears on more than one"),
    ("order_items", set_cell("order_id", 1, "O1"), r"order_id \+ line_no: the same key"),
    ("products", set_cell("list_price", 1, -3.0), r"list_price: negative amounts"),
    ("order_items", set_cell("quantity", 2, 0), r"quantity: values below 1 \[rule: >= 1\]"),
    ("orders", set_cell("status", 0, "PAID!"), r"status: values outside the allowed set"),
    ("customers", set_cell("points_redeemed", 0, 500), r"points_redeemed: more points redeemed"),
    ("order_items", set_cell("returned_qty", 0, 3), r"returned_qty: more units returned than"),
    ("order_items", set_cell("net_amount", 0, 150.0), r"net_amount: line amount does not match"),
    ("orders", set_cell("net_amount", 0, 150.0), r"net_amount: order total does not match"),
    ("orders", set_cell("customer_id", 1, "999"),
     r"customer_id: refers to a customer_id that is not in the customers table"),
    ("order_items", set_cell("sku", 0, "ZZZ"), r"sku: refers to a sku that is not in the products"),
    ("order_items", set_cell("order_id", 0, "O9"), r"order_id: refers to a order_id"),
    ("coupons", set_cell("redeemed_order_id", 1, "O404"),
     r"redeemed_order_id: refers to a order_id that is not in the orders table"),
    ("coupons", set_cell("redeemed_order_id", 0, "O1"),
     r"redeemed_order_id: the order it says it was redeemed on does not carry this coupon"),
    ("coupons", set_cell("face_value", 1, 15.0), r"face_value: percent_off coupon with a rate"),
    ("experiments", set_cell("conversions", 0, 2000), r"conversions: more conversions than"),
    ("campaigns", set_cell("peak_end", 0, "2026-06-10"), r"peak_start: campaign phases out of"),
    ("orders", set_cell("shipped_ts", 0, "2026-01-01 00:00"), r"shipped_ts: shipped before it"),
    ("orders", set_cell("device", 0, "tv"), r"device: values outside the allowed set"),
]


@pytest.mark.parametrize(("table", "change", "pattern"), CASES)
def test_each_rule_is_reported(tmp_path, table, change, pattern):
    folder = broken(tmp_path, table, change)
    with pytest.raises(DataValidationError, match=pattern):
        validate(folder)


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    frames = tiny_shop()
    frames["products"].loc[1, "list_price"] = -1.0
    frames["orders"].loc[0, "status"] = "weird"
    frames["order_items"].loc[2, "sku"] = "ZZZ"
    write_csvs(frames, tmp_path)
    report = validate(tmp_path, raise_on_error=False)
    assert {(p.table, p.column) for p in report.problems} == {
        ("products", "list_price"), ("orders", "status"), ("order_items", "sku")}
    text = report.format()
    assert "3 problem(s) in 3 table(s)" in text
    assert "products (products.csv)" in text
    assert "fix:" in text


def test_examples_capped_at_five_with_file_rows(tmp_path):
    frames = tiny_shop()
    big = pd.concat([frames["products"]] * 4, ignore_index=True)
    big["sku"] = [f"S{i}" for i in range(len(big))]
    big["list_price"] = -1.0
    frames = {"products": big}
    write_csvs(frames, tmp_path)
    report = validate(tmp_path, raise_on_error=False)
    (p,) = report.problems
    assert p.count == 8
    assert [r for r, _ in p.examples] == [2, 3, 4, 5, 6]  # header is row 1
    assert "(and 3 more)" in report.format()


def test_validate_in_memory_dataset_checks_kinds():
    df = pd.DataFrame({"sku": ["A"], "category": ["x"], "list_price": ["cheap"]})
    report = validate(Dataset({"products": df}), raise_on_error=False)
    assert [(p.column, p.rule) for p in report.problems] == [("list_price", "kind float")]


def test_pandera_schema_is_built_for_every_table():
    for name, t in TABLES.items():
        schema = pandera_schema(name)
        assert set(schema.columns) == set(t.column_names)
        assert schema.unique == list(t.key)


def test_rule_fires_only_on_bad_rows():
    # a wrong answer the validator must not give: flag every row when one is bad
    frames = tiny_shop()
    frames["order_items"].loc[1, "returned_qty"] = 5
    report = validate(Dataset(frames), raise_on_error=False)
    (p,) = report.problems
    assert (p.column, p.count, p.examples) == ("returned_qty", 1, [(2, np.int64(5))])


# --- the CLI ---------------------------------------------------------------------------------

def test_cli_validate_clean_exits_0(tmp_path, capsys):
    write_csvs(tiny_shop(), tmp_path)
    assert main(["validate", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "no problems" in out


def test_cli_validate_broken_folder_exits_2_without_traceback(tmp_path, capsys):
    frames = tiny_shop()
    frames["orders"].loc[0, "net_amount"] = -1.0
    frames["order_items"].loc[0, "sku"] = "NOPE"
    write_csvs(frames, tmp_path)
    assert main(["validate", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert "net_amount: negative amounts" in captured.out
    assert "sku: refers to a sku" in captured.out


def test_cli_missing_folder_is_a_clean_error(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no such folder")


def test_cli_warnings_exit_0(tmp_path, capsys):
    frames = tiny_shop()
    frames["products"]["colour"] = ["red", "blue"]
    write_csvs(frames, tmp_path)
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n")
    assert main(["validate", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Warnings:" in out and "'colour'" in out and "notes.csv: not a table" in out
