"""The schema is the one source of truth: the dictionary and conda list must agree with it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

from playbook_lib.data.schema import TABLES, data_dictionary_markdown

ROOT = Path(__file__).resolve().parents[1]
KINDS = {"str", "int", "float", "datetime", "date", "bool"}


def test_data_dictionary_is_current():
    committed = (ROOT / "datasets" / "README.md").read_text(encoding="utf-8")
    assert committed == data_dictionary_markdown(), (
        "datasets/README.md is stale: run "
        "`python -m playbook_lib.data.schema > datasets/README.md`")


def test_every_table_of_the_design_is_in_the_schema():
    assert list(TABLES) == [
        "customers", "products", "orders", "order_items", "traffic", "traffic_hourly",
        "search_terms", "marketing_spend", "campaigns", "coupons", "inventory", "referrals",
        "service_tickets", "content_posts", "experiments", "staff", "staff_kpis", "staff_reviews"]


def test_schema_is_self_consistent():
    for name, t in TABLES.items():
        cols = t.column_names
        assert len(cols) == len(set(cols)), name
        assert set(t.key) <= set(cols), name
        for c in t.columns:
            assert c.kind in KINDS, (name, c.name)
            assert c.zh and c.description, (name, c.name)
            if c.references:
                rt, rc = c.references.split(".")
                assert rc in TABLES[rt].column_names, (name, c.name)
        for k in t.key:
            assert t.column(k).required, f"{name}.{k} is a key column, so it must be required"


def _spec(req: str) -> tuple[str, str]:
    m = re.match(r"([A-Za-z0-9_.\-]+)(.*)", req.strip())
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = dict(_spec(r) for r in project["dependencies"]
                  + project["optional-dependencies"]["dev"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = dict(_spec(d) for d in env["dependencies"]
                 if isinstance(d, str) and not d.startswith(("python", "pip")))
    assert conda == wanted
