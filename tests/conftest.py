"""Shared fixtures: the shipped demo shop and a small generated shop with other dates."""

from __future__ import annotations

import pytest


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
