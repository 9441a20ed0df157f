"""The `playbook` command end to end: generate, validate, summary; errors without tracebacks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from playbook_lib.cli import main


@pytest.mark.slow
def test_generate_then_validate_then_refuse_to_overwrite(tmp_path, capsys):
    out = tmp_path / "shop"
    args = ["generate", "--customers", "300", "--start", "2025-01-01", "--end", "2025-06-30",
            "--seed", "3", "--out", str(out)]
    assert main(args) == 0
    assert "Wrote a shop of 300 customers" in capsys.readouterr().out
    assert (out / "orders.parquet").is_file() and (out / "truth.json").is_file()
    assert main(["validate", str(out)]) == 0
    assert "no problems" in capsys.readouterr().out
    before = (out / "orders.parquet").read_bytes()
    assert main(args) == 2  # never overwrite a folder silently
    assert "error:" in capsys.readouterr().err
    assert (out / "orders.parquet").read_bytes() == before


def test_generate_bad_arguments_exit_2(tmp_path, capsys):
    assert main(["generate", "--customers", "10", "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error:") and "customers" in err


def test_summary_of_the_demo_shop(capsys):
    assert main(["summary"]) == 0
    out = capsys.readouterr().out
    assert "Shop: demo" in out and "Paid orders:" in out and "orders" in out


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "usage: playbook" in capsys.readouterr().out


def test_console_script_exits_2_without_traceback(tmp_path):
    bad = tmp_path / "shop"
    bad.mkdir()
    (bad / "products.csv").write_text("sku,category,list_price\nA,x,-1\nA,y,3\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "playbook_lib.cli", "validate", str(bad)],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stdout + proc.stderr
    assert "list_price: negative amounts" in proc.stdout
    assert "sku: the same key appears on more than one row" in proc.stdout
