"""Shared fixtures: the shipped demo shop and a small generated shop with other dates."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def _private_playbook_home(tmp_path_factory):
    """Keep every test's exercise progress (and that of notebooks the tests run, which inherit
    the environment) out of the real ``~/.playbook``."""
    old = os.environ.get("PLAYBOOK_HOME")
    os.environ["PLAYBOOK_HOME"] = str(tmp_path_factory.mktemp("playbook_home"))
    yield
    if old is None:
        os.environ.pop("PLAYBOOK_HOME", None)
    else:
        os.environ["PLAYBOOK_HOME"] = old


@pytest.fixture(scope="session")
def demo():
    """The shipped demo shop (datasets/demo), loaded once per test session."""
    from playbook_lib.data import load_dataset

    return load_dataset("demo")


@pytest.fixture(scope="session")
def small_shop():
    """A small generated shop with a different date range and size than the demo."""
    from playbook_lib.data import generate

    return generate(customers=2500, start="2025-03-01", end="2026-08-31", seed=11)
