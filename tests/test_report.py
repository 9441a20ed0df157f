"""The notebook runner (papermill + nbconvert), the monthly KPIs and the review's rules
(:mod:`playbook_lib.review`).

Runner tests use small throwaway notebooks built with nbformat in a temporary folder.
"""

from __future__ import annotations

import json
import math
import os
import re
import sys

import nbformat
import numpy as np
import pandas as pd
import pytest

from playbook_lib import metrics, report, review
from playbook_lib.data import Dataset
from playbook_lib.errors import DataValidationError
from playbook_lib.report import NotebookRunError, ParameterError
from playbook_lib.report._files import atomic_write_text

# --- throwaway notebooks ---------------------------------------------------------------------

PARAMS_SOURCE = """STORE = "007"  # store id, text with leading zeros
N = 3  # how many rows to show
RATE = 0.5
FLAG = True  # include the chart
LABEL = None
"""


def _notebook(path, code_cells, params=PARAMS_SOURCE):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    cells = [nbformat.v4.new_markdown_cell("# Throwaway report\n\nA test notebook.")]
    cells.append(nbformat.v4.new_code_cell(params, metadata={"tags": ["parameters"]}))
    for c in code_cells:
        if c.startswith("#"):
            cells.append(nbformat.v4.new_markdown_cell(c))
        else:
            cells.append(nbformat.v4.new_code_cell(c))
    nb.cells = cells
    nbformat.write(nb, str(path))
    return path


GOOD_CELLS = [
    "## Inputs",
    ("import sys\nsecret_marker_code = 1\n"
    "print('RESULT', repr(STORE), type(STORE).__name__, N, RATE, FLAG, LABEL, sys.executable)"),
    "## A chart",
    ("import matplotlib\nmatplotlib.use('agg')\nimport matplotlib.pyplot as plt\n"
    "%matplotlib inline\nfig, ax = plt.subplots(figsize=(2, 2))\nax.plot([1, 2, 3])\nplt.show()"),
    "### Details",
    "print('done')",
]


@pytest.fixture(scope="module")
def good_run(tmp_path_factory):
    """One real run, shared by the output checks below (a kernel start costs ~1-2 s)."""
    tmp = tmp_path_factory.mktemp("good")
    nb = _notebook(tmp / "good.ipynb", GOOD_CELLS)
    res = report.run_notebook(nb, params={"STORE": "007", "N": "4", "FLAG": "no",
                                          "LABEL": "x1"}, out_dir=tmp / "out")
    return res


def _outputs_text(path) -> str:
    nb = nbformat.read(str(path), as_version=4)
    texts = []
    for c in nb.cells:
        for o in c.get("outputs", []):
            texts.append(o.get("text", "") or json.dumps(o.get("data", {})))
    return "\n".join(texts)


# --- parameters ------------------------------------------------------------------------------


def test_describe_parameters(tmp_path):
    nb = _notebook(tmp_path / "p.ipynb", [])
    params = {p.name: p for p in report.describe_parameters(nb)}
    assert list(params) == ["STORE", "N", "RATE", "FLAG", "LABEL"]
    assert (params["STORE"].type, params["STORE"].default, params["STORE"].help) == (
        "str", "007", "store id, text with leading zeros")
    assert (params["N"].type, params["N"].default) == ("int", 3)
    assert (params["FLAG"].type, params["LABEL"].type) == ("bool", "NoneType")
    text = report.format_parameters(nb)
    assert "STORE" in text and "how many rows to show" in text


def test_unknown_parameter_lists_the_known_ones(tmp_path):
    nb = _notebook(tmp_path / "p.ipynb", [])
    with pytest.raises(ParameterError, match=r"no parameter 'STOER' \(did you mean STORE\?\)"
                                             r".*Its parameters: STORE, N, RATE, FLAG, LABEL"):
        report.run_notebook(nb, params={"STOER": "1"}, out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_values_take_the_type_of_the_default(tmp_path):
    nb = _notebook(tmp_path / "p.ipynb", [])
    got = report.resolve_parameters(nb, {"STORE": "007", "N": "3", "RATE": "2", "FLAG": "yes",
                                         "LABEL": "0042"})
    assert got == {"STORE": "007", "N": 3, "RATE": 2.0, "FLAG": True, "LABEL": "0042"}
    assert type(got["N"]) is int and type(got["RATE"]) is float
    for text, value in [("true", True), ("No", False), ("1", True), ("0", False),
                        ("off", False)]:
        assert report.resolve_parameters(nb, {"FLAG": text})["FLAG"] is value
    assert report.resolve_parameters(nb, {"N": 7, "STORE": 7}) == {"N": 7, "STORE": "7"}


@pytest.mark.parametrize(("name", "value", "message"), [
    ("N", "abc", r"parameter N expects a whole number \(its default is 3\); got 'abc'"),
    ("N", "2.5", r"parameter N expects a whole number"),
    ("N", True, r"parameter N expects a whole number"),
    ("RATE", "fast", r"parameter RATE expects a number \(its default is 0.5\); got 'fast'"),
    ("FLAG", "maybe", r"parameter FLAG expects true/false \(also yes/no, 1/0\)"),
])
def test_bad_values_get_a_clear_error(tmp_path, name, value, message):
    nb = _notebook(tmp_path / "p.ipynb", [])
    with pytest.raises(ParameterError, match=message):
        report.resolve_parameters(nb, {name: value})


def test_params_file_keeps_text_as_text(tmp_path):
    nb = _notebook(tmp_path / "p.ipynb", [])
    f = tmp_path / "params.yaml"
    f.write_text("STORE: 007\nN: 5\nFLAG: false\n", encoding="utf-8")
    got = report.resolve_parameters(nb, {"N": "6"}, params_file=f)
    assert got == {"STORE": "007", "N": 6, "FLAG": False}  # explicit params win over the file


def test_data_shortcut_and_paths_made_absolute(tmp_path, monkeypatch):
    nb = _notebook(tmp_path / "p.ipynb", [], params='DATA = "demo"  # shop folder\n')
    (tmp_path / "shop").mkdir()
    monkeypatch.chdir(tmp_path)
    assert report.resolve_parameters(nb, data="shop") == {"DATA": str(tmp_path / "shop")}
    assert report.resolve_parameters(nb, data="demo") == {"DATA": "demo"}
    with pytest.raises(ParameterError, match="DATA is given twice"):
        report.resolve_parameters(nb, {"DATA": "other"}, data="shop")
    nb2 = _notebook(tmp_path / "q.ipynb", [])
    with pytest.raises(ParameterError, match="no parameter 'DATA'"):
        report.resolve_parameters(nb2, data="shop")


def test_find_notebook_errors_name_the_kit_notebooks(tmp_path):
    with pytest.raises(FileNotFoundError, match="notebook 'no_such_lesson' not found"):
        report.find_notebook("no_such_lesson")


# --- running ---------------------------------------------------------------------------------


def test_run_passes_typed_values_on_this_interpreter(good_run):
    text = _outputs_text(good_run.ipynb_path)
    line = next(x for x in text.splitlines() if x.startswith("RESULT"))
    assert line.split()[1:7] == ["'007'", "str", "4", "0.5", "False", "x1"]
    assert os.path.realpath(line.split()[-1]) == os.path.realpath(sys.executable)
    assert good_run.parameters == {"STORE": "007", "N": 4, "FLAG": False, "LABEL": "x1"}


def test_html_hides_code_and_parameters_and_has_a_toc(good_run):
    html = good_run.html_path.read_text(encoding="utf-8")
    assert good_run.html_path.name == "good.html" and good_run.ipynb_path.name == "good.ipynb"
    assert "secret_marker_code" not in html  # code input hidden
    assert "how many rows to show" not in html and "# Parameters" not in html  # both cells gone
    assert "RESULT" in html  # outputs kept
    nav = re.search(r'<nav class="playbook-toc".*?</nav>', html, flags=re.DOTALL)
    assert nav, "no table of contents"
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', nav.group(0))
    assert [t for _, t in links] == ["Throwaway report", "Inputs", "A chart", "Details"]
    for anchor, _ in links:
        assert f'id="{anchor}"' in html
    assert "data:image/png;base64," in html  # the chart is embedded, no side files
    assert sorted(p.name for p in good_run.html_path.parent.iterdir()) == [
        "good.html", "good.ipynb"]  # no temporary or partial files left behind


def test_html_loads_nothing_from_the_network(good_run):
    html = good_run.html_path.read_text(encoding="utf-8")
    assert '<script src="http' not in html and "https://cdn" not in html
    assert "require.min.js" not in html and "mathjax" not in html.lower()
    assert "<title>Throwaway report</title>" in html


def _toc_links(html: str) -> list[str]:
    nav = re.search(r'<nav class="playbook-toc".*?</nav>', html, flags=re.DOTALL)
    assert nav, "no table of contents"
    return [text for _, text in re.findall(r'<a href="#([^"]+)">([^<]+)</a>', nav.group(0))]


def test_the_template_alone_hides_code_and_lists_the_headings():
    """The ``playbook`` template as ``jupyter nbconvert --template playbook`` uses it: no
    exporter flags, no precomputed contents."""
    from nbconvert import HTMLExporter

    from playbook_lib._resources import templates_dir

    nb = nbformat.v4.new_notebook()
    shown = nbformat.v4.new_output("display_data", data={
        "text/markdown": "## Written *by* code & co", "text/plain": "<Markdown>"})
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Title\n\nSome text.\n\n#### Too deep"),
        nbformat.v4.new_code_cell("SECRET = 1", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_markdown_cell("## Left out", metadata={"tags": ["remove-cell"]}),
        nbformat.v4.new_code_cell("hidden_source_line = 2", outputs=[shown]),
        nbformat.v4.new_markdown_cell("### Last one"),
    ]
    exporter = HTMLExporter(template_name="playbook",
                            extra_template_basedirs=[str(templates_dir())])
    html, _ = exporter.from_notebook_node(nb)
    assert _toc_links(html) == ["Title", "Written by code &amp; co", "Last one"]
    assert "hidden_source_line" not in html and "SECRET" not in html  # code hidden
    assert "Left out" not in html  # remove-cell dropped
    assert 'id="Written-by-code-&amp;-co"' in html and 'href="#Written-by-code-&amp;-co"' in html
    assert '<script src="http' not in html and "https://cdn" not in html
    assert not re.search(r'class="jp-(Input|Output)Prompt', html)  # no In [ ] / Out[ ] prompts


def test_failing_cell_keeps_the_notebook_and_explains(tmp_path):
    cells = ["x = 1", "y = x + 1\nraise ValueError('boom \\x1b[31mred\\x1b[0m for ' + STORE)",
             "print('never')"]
    nb = _notebook(tmp_path / "bad.ipynb", cells)
    out = tmp_path / "out"
    (out).mkdir()
    with pytest.raises(NotebookRunError, match=r"bad\.ipynb failed in cell 3: y = x \+ 1") as info:
        report.run_notebook(nb, out_dir=out)
    err = info.value
    msg = str(err)
    assert "\x1b" not in msg
    assert "bad.ipynb failed in cell 3: y = x + 1" in msg
    assert "at line 2: raise ValueError(" in msg
    assert "ValueError: boom red for 007" in msg
    assert (err.cell_index, err.ename) == (3, "ValueError")
    assert err.failed_path == out / "bad.FAILED.ipynb" and err.failed_path.exists()
    assert str(err.failed_path) in msg
    assert not (out / "bad.html").exists() and not (out / "bad.ipynb").exists()
    assert not list(out.glob(".*"))
    executed = nbformat.read(str(err.failed_path), as_version=4)
    assert any(o.get("ename") == "ValueError" for c in executed.cells
               for o in c.get("outputs", []))


def test_cell_time_limit(tmp_path):
    nb = _notebook(tmp_path / "slow.ipynb", ["import time\ntime.sleep(30)"])
    with pytest.raises(NotebookRunError, match=r"slow.ipynb did not finish.*time limit 1 s"):
        report.run_notebook(nb, out_dir=tmp_path / "out", timeout=1)
    assert not (tmp_path / "out" / "slow.html").exists()


def test_run_many_one_line_each_and_failures_at_the_end(tmp_path):
    ok = _notebook(tmp_path / "ok.ipynb", ["print(1)"])
    bad = _notebook(tmp_path / "bad.ipynb", ["1 / 0"])
    lines = []

    class Stream:
        def write(self, s):
            lines.append(s)

        def flush(self):
            pass

    with pytest.raises(NotebookRunError, match="1 of 2 notebooks failed"):
        report.run_many([bad, ok], out_dir=tmp_path / "out", stream=Stream())
    text = "".join(lines).splitlines()
    assert len(text) == 2
    assert text[0].startswith("[1/2] bad ... FAILED") and "ZeroDivisionError" in text[0]
    assert text[1].startswith("[2/2] ok ... ok")
    assert (tmp_path / "out" / "ok.html").exists()


# --- atomic writes ---------------------------------------------------------------------------


def test_atomic_write_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "r.html"
    target.write_text("old report", encoding="utf-8")

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        atomic_write_text(target, "<html>new</html>")
    assert target.read_text(encoding="utf-8") == "old report"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_export_html_is_atomic(tmp_path, monkeypatch):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# T")]
    monkeypatch.setattr(os, "replace", lambda s, d: (_ for _ in ()).throw(OSError("x")))
    with pytest.raises(OSError, match="^x$"):
        report.export_html(nb, tmp_path / "t.html")
    assert list(tmp_path.iterdir()) == []


# --- monthly KPIs ----------------------------------------------------------------------------


def _kpi_shop(traffic=True) -> Dataset:
    """Three customers over Jan 2025 .. Feb 2026; figures worked out by hand below."""
    rows = [  # order_id, customer, ts, amount, status
        ("1", "a", "2025-01-10", 100.0, "paid"),
        ("2", "b", "2025-02-03", 60.0, "paid"),
        ("3", "a", "2026-01-05", 200.0, "paid"),
        ("4", "c", "2026-01-20", 50.0, "paid"),
        ("5", "c", "2026-01-21", 70.0, "cancelled"),
        ("6", "a", "2026-02-02", 90.0, "paid"),
        ("7", "b", "2026-02-10", 30.0, "paid"),
        ("8", "d", "2026-02-27 23:00", 60.0, "paid"),
        ("9", "d", "2026-02-28 12:00", 99.0, "unpaid"),
    ]
    orders = pd.DataFrame(rows, columns=["order_id", "customer_id", "order_ts", "net_amount",
                                         "status"])
    orders["order_ts"] = pd.to_datetime(orders["order_ts"], format="mixed")
    tables = {"orders": orders}
    if traffic:
        days = pd.date_range("2025-01-01", "2026-02-28", freq="D")
        tables["traffic"] = pd.DataFrame({"date": days, "channel": "search", "device": "app",
                                          "visitors": 10, "orders": 0})
    return Dataset(tables)


def test_monthly_kpis_by_hand():
    k = metrics.monthly_kpis(_kpi_shop(), "2026-02")
    # Feb 2026: paid 6, 7, 8 -> GMV 180, 3 orders, buyers a, b, d; d is new (first paid order).
    # Jan 2026: paid 3, 4 -> GMV 250, 2 orders, buyers a (returning), c (new).
    # Feb 2025: paid 2 -> GMV 60, 1 order, buyer b new. Visitors: 10 a day (28 and 31 days).
    expected = pd.DataFrame({
        "value": [180.0, 3, 3, 60.0, 1, 2, 3 / 280, 2 / 3],
        "prev_month": [250.0, 2, 2, 125.0, 1, 1, 2 / 310, 1 / 2],
        "same_month_last_year": [60.0, 1, 1, 60.0, 1, 0, 1 / 280, 0.0],
    }, index=pd.Index(list(metrics.KPI_NAMES), name="metric"))
    expected["mom_change"] = expected["value"] / expected["prev_month"] - 1
    expected["yoy_change"] = expected["value"] / expected["same_month_last_year"] - 1
    expected.loc["returning_customers", "yoy_change"] = np.nan  # from 0: no relative change
    expected.loc["repurchase_rate", "yoy_change"] = np.nan
    expected["target"] = np.nan
    expected["attainment"] = np.nan
    pd.testing.assert_frame_equal(k, expected)


def test_monthly_kpis_targets_long_and_wide():
    long = pd.DataFrame({"month": ["2026-02", "2026-02", "2026-01"],
                         "metric": ["gmv", "orders", "gmv"], "target": [200.0, 3, 1.0]})
    k = metrics.monthly_kpis(_kpi_shop(), "2026-02", targets=long)
    assert k.loc["gmv", "target"] == 200 and k.loc["gmv", "attainment"] == pytest.approx(0.9)
    assert k.loc["orders", "attainment"] == 1.0 and math.isnan(k.loc["aov", "target"])
    wide = pd.DataFrame({"month": ["2026-02"], "gmv": [200.0], "orders": [3]})
    pd.testing.assert_frame_equal(metrics.monthly_kpis(_kpi_shop(), "2026-02", targets=wide), k)
    with pytest.raises(DataValidationError, match="unknown metric.*'revenue'.*the KPIs are gmv"):
        metrics.monthly_kpis(_kpi_shop(), "2026-02",
                             targets=pd.DataFrame({"month": ["2026-02"], "revenue": [1.0]}))


def test_monthly_kpis_without_traffic_has_nan_conversion():
    k = metrics.monthly_kpis(_kpi_shop(traffic=False), "2026-02")
    assert k.loc["conversion"].isna()[["value", "prev_month", "mom_change"]].all()
    assert k.loc["gmv", "value"] == 180.0


@pytest.mark.parametrize(("month", "message"), [
    ("2030-01", (r"month 2030-01 is outside the data: the orders run from 2025-01-10 to "
                r"2026-02-28")),
    ("2024-12", r"month 2024-12 is outside the data"),
    ("2025-06", r"month 2025-06 has no paid orders"),
    ("June", r"month='June' is not a month; write it as YYYY-MM"),
])
def test_monthly_kpis_bad_month(month, message):
    with pytest.raises(DataValidationError, match=message):
        metrics.monthly_kpis(_kpi_shop(), month)


def test_latest_full_month():
    assert metrics.latest_full_month(_kpi_shop()) == "2026-02"  # data reach Feb 28
    ds = _kpi_shop()
    cut = Dataset({"orders": ds.orders[ds.orders["order_ts"] < "2026-02-20"]})
    assert metrics.latest_full_month(cut) == "2026-01"


def test_monthly_trend_spans_13_months():
    t = metrics.monthly_trend(_kpi_shop(), "2026-02")
    assert list(t.index[[0, -1]]) == ["2025-02", "2026-02"] and len(t) == 13
    assert t.loc["2026-02", "gmv"] == 180.0 and t.loc["2025-06", "gmv"] == 0.0
    assert math.isnan(t.loc["2025-06", "aov"])
    t2 = metrics.monthly_trend(_kpi_shop(), "2025-03", months=4)
    assert math.isnan(t2.loc["2024-12", "gmv"])  # before the data: unknown, not zero


# --- the review's rules ----------------------------------------------------------------------


def _kpis(**changes):
    base = pd.DataFrame({"value": 100.0, "prev_month": 100.0, "same_month_last_year": 100.0,
                         "mom_change": 0.0, "yoy_change": 0.0, "target": np.nan,
                         "attainment": np.nan},
                        index=pd.Index(list(metrics.KPI_NAMES), name="metric"))
    for key, value in changes.items():
        metric, col = key.split("__")
        base.loc[metric, col] = value
    return base


def test_action_items_quiet_month():
    items = review.action_items(_kpis())
    assert len(items) == 1 and items[0].startswith("No KPI crossed an alert threshold")


@pytest.mark.parametrize(("changes", "expected"), [
    ({"gmv__target": 125.0, "gmv__attainment": 0.8}, ("GMV reached 80% of target (100 yuan "
                                                    "against 125 yuan)")),
    ({"gmv__mom_change": -0.15}, "GMV fell 15% against last month"),
    ({"gmv__yoy_change": -0.3}, "GMV fell 30% against the same month last year"),
    ({"conversion__value": 0.02, "conversion__mom_change": -0.2},
     "Payment conversion fell 20% against last month (2.0%): check the funnel by device"),
    ({"aov__mom_change": -0.12}, "Average order value fell 12%"),
    ({"new_customers__mom_change": -0.5}, "New customers fell 50%"),
    ({"repurchase_rate__value": 0.2, "repurchase_rate__yoy_change": -0.25},
     "Repurchase rate fell 25% against the same month last year (20.0%)"),
    ({"gmv__mom_change": 0.25}, "GMV grew 25% against last month"),
])
def test_action_items_rules(changes, expected):
    items = review.action_items(_kpis(**changes))
    assert any(expected in i for i in items), items
    assert not any(i.startswith("No KPI") for i in items)


def test_action_items_thresholds_are_arguments():
    k = _kpis(gmv__mom_change=-0.07)
    assert review.action_items(k)[0].startswith("No KPI")
    assert review.action_items(k, drop=0.05)[0].startswith("GMV fell 7%")


def test_load_targets_yaml_and_csv(tmp_path):
    y = tmp_path / "t.yaml"
    y.write_text("2026-02:\n  gmv: 200\n  orders: 3\n", encoding="utf-8")
    c = tmp_path / "t.csv"
    c.write_text("month,gmv,orders\n2026-02,200,3\n", encoding="utf-8")
    for f in (y, c):
        k = metrics.monthly_kpis(_kpi_shop(), "2026-02", targets=review.load_targets(f))
        assert k.loc["gmv", "attainment"] == pytest.approx(0.9), f
    bad = tmp_path / "bad.csv"
    bad.write_text("gmv\n1\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="needs a 'month' column"):
        review.load_targets(bad)


def test_kpis_to_dict_is_json_ready():
    d = review.kpis_to_dict(metrics.monthly_kpis(_kpi_shop(), "2026-02"))
    json.dumps(d, allow_nan=False)
    assert d["gmv"]["value"] == 180.0 and d["gmv"]["target"] is None


def test_review_rejects_a_month_outside_the_data_before_running(tmp_path):
    shop = tmp_path / "shop"
    shop.mkdir()
    _kpi_shop().orders.to_csv(shop / "orders.csv", index=False)
    with pytest.raises(DataValidationError, match="month 2030-01 is outside the data"):
        review.monthly_review(month="2030-01", data=shop, out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_review_options_are_keyword_only_positional_still_works_with_a_warning(tmp_path):
    shop = tmp_path / "shop"
    shop.mkdir()
    _kpi_shop().orders.to_csv(shop / "orders.csv", index=False)
    out = tmp_path / "out"
    with pytest.warns(FutureWarning, match="positional use is deprecated") as caught, \
            pytest.raises(DataValidationError, match="month 2030-01 is outside the data"):
        review.monthly_review("2030-01", shop, out)
    assert [str(w.message) for w in caught] == [
        f"monthly_review: pass {name} as a keyword ({name}={value!r}); positional use is "
        f"deprecated since 0.2 and will stop working in the next release."
        for name, value in (("month", "2030-01"), ("data", shop), ("out_dir", out))]
    assert caught[0].filename == __file__  # points at the caller
    with pytest.raises(TypeError, match="got multiple values for argument 'month'"):
        review.monthly_review("2030-01", month="2030-02")
    with pytest.raises(TypeError, match=r"takes 0 positional argument\(s\).* but 6 were given"):
        review.monthly_review("2030-01", shop, "out", None, "x", "extra")


def test_cli_run_help_lists_the_notebook_parameters(capsys):
    from playbook_lib.cli import main

    assert main(["run", "00_start_here", "--help"]) == 0
    out = capsys.readouterr().out
    assert "Parameters of 00_start_here.ipynb" in out
    assert "MONTH" in out and "the latest full month" in out


def test_cli_run_unknown_parameter(capsys):
    from playbook_lib.cli import main

    assert main(["run", "00_start_here", "-p", "MONTHS", "2026-01"]) == 2
    assert "has no parameter 'MONTHS' (did you mean MONTH?)" in capsys.readouterr().err


def test_cli_run_failure_exit_code(tmp_path, capsys):
    from playbook_lib.cli import main

    nb = _notebook(tmp_path / "bad.ipynb", ["raise KeyError('x')"])
    assert main(["run", str(nb), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "bad.ipynb failed in cell 2" in err and "KeyError" in err


def test_python3_is_this_interpreter_even_with_a_stray_kernelspec(tmp_path, monkeypatch):
    """A user-level "python3" kernelspec for another Python must not hijack the run."""
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": ["/nonexistent/python", "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Some other Python", "language": "python"}), encoding="utf-8")
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))  # searched first
    from jupyter_client.kernelspec import KernelSpecManager

    assert KernelSpecManager().get_kernel_spec("python3").argv[0] == "/nonexistent/python"
    nb = _notebook(tmp_path / "k.ipynb", ["import sys\nprint('EXE', sys.executable)"])
    res = report.run_notebook(nb, out_dir=tmp_path / "out")
    line = next(x for x in _outputs_text(res.ipynb_path).splitlines() if x.startswith("EXE"))
    assert os.path.realpath(line.split()[1]) == os.path.realpath(sys.executable)


def test_lab_without_jupyterlab_says_how_to_install(monkeypatch, capsys):
    import builtins

    real_import = builtins.__import__

    def no_jupyterlab(name, *args, **kwargs):
        if name == "jupyterlab":
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_jupyterlab)
    from playbook_lib.cli import main

    assert main(["lab"]) == 2
    assert "pip install -e '.[lab]'" in capsys.readouterr().err


def test_a_report_run_records_no_exercise_progress(tmp_path, monkeypatch):
    """playbook run / review are not somebody studying: checks inside record nothing."""
    home = tmp_path / "home"
    monkeypatch.setenv("PLAYBOOK_HOME", str(home))
    monkeypatch.delenv("PLAYBOOK_PROGRESS", raising=False)
    cell = ("import os\nfrom playbook_lib.exercises import _progress\n"
            "_progress.record('99_toy', 'q1', 'blank')\n"
            "print('RECORDING', os.environ.get('PLAYBOOK_PROGRESS'))")
    nb = _notebook(tmp_path / "quiet.ipynb", [cell])
    res = report.run_notebook(nb, out_dir=tmp_path / "out")
    assert "RECORDING off" in _outputs_text(res.ipynb_path)
    assert not (home / "progress.jsonl").exists()
    assert "PLAYBOOK_PROGRESS" not in os.environ  # put back as it was
    # the same record outside a report run is written (the check above can fail)
    from playbook_lib.exercises import _progress

    _progress.record("99_toy", "q1", "blank")
    assert (home / "progress.jsonl").read_text(encoding="utf-8").count("\n") == 1
