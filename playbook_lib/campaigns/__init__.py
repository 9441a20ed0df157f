"""Campaigns: plan, monitor and review the shop's promotions (大促), and their calendar.

For now the campaign calendar (:mod:`playbook_lib.campaigns.calendar`): the next big campaign,
the days before each warm-up when its stock is built, and the peak days. The campaign lessons'
planning, monitoring and review modules will sit beside it.
"""

from .calendar import campaign_peak_days, next_campaign, pre_campaign_windows

__all__ = ["campaign_peak_days", "next_campaign", "pre_campaign_windows"]
