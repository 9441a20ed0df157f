"""Products: selection, seasonality, margin, inventory, sell-through and bundles.

The functions behind ``notebooks/02_products``, one module per lesson topic:

* :mod:`~playbook_lib.products.selection`: what to list (category and search trends,
  seasonality and its strength, margin, a selection scorecard and its inputs, season lift,
  the re-assortment calendar);
* :mod:`~playbook_lib.products.inventory`: how to keep it in stock without tying up cash
  (ABC classes, turnover, days of inventory, sell-through, safety stock and reorder points,
  stock-out risk, slow movers, bundles that move them).

Every name is importable from here (``products.inventory_kpis``), however the package is split
inside. The campaign calendar (``next_campaign``, ``pre_campaign_windows``) lives in
:mod:`playbook_lib.campaigns`.

Which orders count
------------------
:mod:`playbook_lib._orders` decides, from the order ``status`` (all orders count when the
table has no status column), and :func:`sold_items` applies it:

* money (GMV, margin, ABC revenue) counts **paid** orders only, :data:`PAID_STATUSES`, as the
  glossary defines GMV; refunded orders are shown separately elsewhere, never in GMV;
* stock (units sold for turnover, days of inventory, sell-through, safety stock, stock-out
  risk) counts **shipped** orders, :data:`SHIPPED_STATUSES` (paid and refunded): a refunded
  order still took units off the shelf and still shows demand.

Every function that reads orders takes a ``statuses`` argument to change this.
"""

from .._orders import PAID_STATUSES, SHIPPED_STATUSES
from ._lines import sold_items
from .inventory import (
    abc_classes,
    bundle_candidates,
    inventory_kpis,
    inventory_period_start,
    reorder_point,
    reorder_table,
    safety_stock,
    sell_through_rate,
    service_level_curve,
    slow_movers,
    stockout_risk,
)
from .selection import (
    category_trends,
    reassortment_calendar,
    search_trends,
    season_lift,
    seasonal_strength,
    seasonality,
    selection_candidates,
    selection_scores,
    sku_margin,
)

__all__ = [
    "PAID_STATUSES",
    "SHIPPED_STATUSES",
    "sold_items",
    "category_trends",
    "search_trends",
    "seasonality",
    "seasonal_strength",
    "sku_margin",
    "selection_scores",
    "abc_classes",
    "inventory_kpis",
    "sell_through_rate",
    "safety_stock",
    "reorder_point",
    "reorder_table",
    "service_level_curve",
    "slow_movers",
    "bundle_candidates",
    "stockout_risk",
    "reassortment_calendar",
    "season_lift",
    "selection_candidates",
    "inventory_period_start",
]
