"""Tests of playbook_lib.campaigns: the campaign calendar.

``next_campaign`` and ``pre_campaign_windows`` are also tested on the inventory lesson's
fixtures in test_lessons_products_a.py; here, ``campaign_peak_days`` (moved from the service
lesson's exercise module) and the package's public names.
"""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_index_equal

from playbook_lib import campaigns
from playbook_lib.errors import DataValidationError


def test_public_names():
    assert campaigns.__all__ == ["campaign_peak_days", "next_campaign", "pre_campaign_windows"]
    assert campaigns.calendar.next_campaign is campaigns.next_campaign


def test_campaign_peak_days_full_result():
    camps = pd.DataFrame({
        "campaign_id": ["618", "D11", "FLASH", "DRAFT"],
        "peak_start": pd.to_datetime(["2026-06-16", "2026-11-11", "2026-06-18 09:00", None],
                                     format="ISO8601"),
        "peak_end": pd.to_datetime(["2026-06-18", "2026-11-11", "2026-06-19 20:00", None],
                                   format="ISO8601")})
    got = campaigns.campaign_peak_days(camps)
    # 618 and the flash sale overlap on 18 June: listed once; the draft has no dates: skipped
    expected = pd.DatetimeIndex(["2026-06-16", "2026-06-17", "2026-06-18", "2026-06-19",
                                 "2026-11-11"], dtype="datetime64[ns]", name="date")
    assert_index_equal(got, expected)


def test_campaign_peak_days_other_columns_and_text_dates():
    camps = pd.DataFrame({"from": ["2026-01-30"], "to": ["2026-02-01"]})
    got = campaigns.campaign_peak_days(camps, start_col="from", end_col="to")
    assert [str(d.date()) for d in got] == ["2026-01-30", "2026-01-31", "2026-02-01"]


def test_campaign_peak_days_errors():
    camps = pd.DataFrame({"peak_start": ["2026-06-16"], "peak_end": ["mid June"]})
    with pytest.raises(DataValidationError, match=r"campaign_peak_days: table 'campaigns' is "
                                                  r"missing column\(s\) 'peak_end'"):
        campaigns.campaign_peak_days(camps[["peak_start"]])
    with pytest.raises(DataValidationError, match=r"campaign_peak_days: column 'peak_end' of "
                                                  r"table 'campaigns' must hold dates"):
        campaigns.campaign_peak_days(camps)
