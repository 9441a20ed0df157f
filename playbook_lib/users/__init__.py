"""User operations (用户运营): segmentation, growth, retention, loyalty, CLV and service.

The library half of the ``notebooks/01_users`` lessons, one module per lesson topic:

- :mod:`~playbook_lib.users.segmentation`: RFM, lifecycle stages, purchase tiers, dormant
  share, segment summary, the per-segment touch budget;
- :mod:`~playbook_lib.users.growth`: new customers by channel, the refer-a-friend programme;
- :mod:`~playbook_lib.users.retention`: cohorts, repurchase, new-customer churn, membership;
- :mod:`~playbook_lib.users.clv`: historic CLV, BTYD summary, BG/NBD, Gamma-Gamma, predicted
  CLV;
- :mod:`~playbook_lib.users.service`: response times, chat-to-order, fulfilment, returns.

Every public name is re-exported here, so ``users.rfm_table`` works however the package is
split inside. Every function takes the shop's tables (``orders``, ``customers``,
``referrals``, ``service_tickets``, ``order_items``) as pandas DataFrames, needs only the
columns it names (their names are keyword arguments with the schema's defaults) and ignores
the rest, so a shop with only ``customer_id, order_ts, net_amount`` can still run RFM, cohorts
and CLV.

Conventions used throughout:

- Paid orders (支付订单): rows whose status is one of
  :data:`playbook_lib._orders.PAID_STATUSES` when the table has a status column, else every
  row (see :func:`paid_orders`, the kit's one definition).
- ``as_of`` is the moment of the analysis: only orders strictly before it count, and "within
  the last N days" means ``order_ts >= as_of - N days``. Day counts such as ``recency_days`` are
  whole calendar days between the order's day and ``as_of``'s day. A lesson's default ``as_of``
  is the day after the last order (:func:`default_as_of`, :func:`resolve_as_of`).
- BTYD summaries (:func:`btyd_summary`) follow the lifetimes package instead: the observation
  end is the last day observed (inclusive), as in the published CDNOW analyses.

The CLV models (BG/NBD, Gamma-Gamma) are written here from the published closed forms with
scipy, because lifetimes, the library that had them, is no longer maintained.
"""

from __future__ import annotations

from .._orders import default_as_of, paid_orders, resolve_as_of
from .clv import (
    BGNBDModel,
    ConvergenceWarning,
    GammaGammaModel,
    HistoricCLV,
    btyd_summary,
    clv_by_tier,
    fit_bgnbd,
    fit_gamma_gamma,
    historic_clv,
    predict_clv,
)
from .growth import (
    new_customers_by_channel,
    new_customers_table,
    referral_start_month,
    referral_summary,
    referral_what_if,
)
from .retention import (
    cohort_retention,
    membership_summary,
    new_customer_orders,
    no_repeat_within,
    repeat_purchase_rate,
)
from .segmentation import (
    LIFECYCLE_STAGES,
    PURCHASE_TIERS,
    RFM_SEGMENTS,
    DormantShare,
    dormant_share,
    lifecycle_stages,
    purchase_tiers,
    rfm_grid_table,
    rfm_scores,
    rfm_segments,
    rfm_table,
    segment_summary,
    touch_budget,
)
from .service import (
    chat_to_order,
    fulfilment_summary,
    reason_rate_by_month,
    response_time_summary,
    return_reasons,
    step_month,
)

__all__ = [
    # conventions and constants
    "paid_orders",
    "default_as_of",
    "resolve_as_of",
    "RFM_SEGMENTS",
    "LIFECYCLE_STAGES",
    "PURCHASE_TIERS",
    "ConvergenceWarning",
    # segmentation
    "rfm_table",
    "rfm_scores",
    "rfm_segments",
    "rfm_grid_table",
    "segment_summary",
    "lifecycle_stages",
    "purchase_tiers",
    "DormantShare",
    "dormant_share",
    "touch_budget",
    # growth
    "new_customers_by_channel",
    "new_customers_table",
    "referral_start_month",
    "referral_summary",
    "referral_what_if",
    # retention and loyalty
    "new_customer_orders",
    "cohort_retention",
    "repeat_purchase_rate",
    "no_repeat_within",
    "membership_summary",
    # customer lifetime value
    "HistoricCLV",
    "historic_clv",
    "btyd_summary",
    "BGNBDModel",
    "fit_bgnbd",
    "GammaGammaModel",
    "fit_gamma_gamma",
    "predict_clv",
    "clv_by_tier",
    # service
    "response_time_summary",
    "chat_to_order",
    "fulfilment_summary",
    "return_reasons",
    "reason_rate_by_month",
    "step_month",
]
