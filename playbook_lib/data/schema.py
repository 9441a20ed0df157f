"""The shop data model: every table and column, in one place.

This module is the single source of truth for the data model. The pandera schemas used by
:func:`playbook_lib.data.validate`, the loader's dtype coercion and the data dictionary in
``datasets/README.md`` (``python -m playbook_lib.data.schema > datasets/README.md``) are all
built from :data:`TABLES`.

Conventions: ids are strings, money is float yuan, counts are integers, timestamps are naive
local time (``datetime64[ns]``), dates are ``datetime64[ns]`` at midnight.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "Column",
    "Table",
    "TABLES",
    "TABLE_ORDER",
    "ORDER_STATUSES",
    "DEVICES",
    "MEMBER_TIERS",
    "data_dictionary_markdown",
]

ORDER_STATUSES = ("paid", "unpaid", "cancelled", "refunded")
DEVICES = ("app", "mobile_web", "pc", "mini_program")
MEMBER_TIERS = ("regular", "silver", "gold")
SERVICE_STAGES = ("pre_sale", "in_sale", "after_sale")
HANDLERS = ("bot", "human")
STAFF_LEVELS = ("junior", "mid", "senior")
RATER_GROUPS = ("manager", "cross_dept", "peer")
CONTENT_FORMATS = ("article", "short_video", "live", "ugc")
COUPON_KINDS = ("threshold", "percent_off", "new_customer", "referral", "fixed")
CAMPAIGN_KINDS = ("festival", "platform_event", "store_event", "flash_sale")

# dtype kinds: "str", "int", "float", "datetime" (timestamp), "date" (midnight), "bool"


@dataclass(frozen=True)
class Column:
    """One column of a table.

    ``required`` columns must be present for the table to be usable; optional ones may be
    absent (functions that need them say so). ``nullable`` columns may hold missing values.
    ``min``/``max`` bound numeric values (inclusive); ``isin`` lists the allowed values;
    ``references`` is ``"table.column"`` for a foreign key (missing values are allowed there
    when the column is nullable).
    """

    name: str
    kind: str
    zh: str
    description: str
    required: bool = False
    nullable: bool = False
    min: float | None = None
    max: float | None = None
    isin: tuple | None = None
    references: str | None = None


@dataclass(frozen=True)
class Table:
    """One table: its columns, its key and what a row is."""

    name: str
    zh: str
    row: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def column_names(self) -> list[str]:
        """Names of all the columns, in table order."""
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        """Names of the required columns, in table order."""
        return [c.name for c in self.columns if c.required]

    def column(self, name: str) -> Column:
        """The column called ``name``; ``KeyError`` if the table has none."""
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


C = Column
_MONEY = dict(min=0.0)

TABLES: dict[str, Table] = {}


def _add(table: Table) -> None:
    TABLES[table.name] = table


_add(Table(
    "customers", "用户表", "a customer", ("customer_id",),
    (
        C("customer_id", "str", "用户ID", "Customer id (text; leading zeros kept).", required=True),
        C("signup_ts", "datetime", "注册时间", "When the customer registered.", required=True),
        C("acquisition_channel", "str", "获客渠道", "Channel that brought the customer in."),
        C("city_tier", "str", "城市等级", "City tier, e.g. tier1..tier5.", nullable=True),
        C("age_band", "str", "年龄段", "Age band, e.g. 18-24.", nullable=True),
        C("member_tier", "str", "会员等级", "Membership tier (普通/银卡/金卡).", isin=MEMBER_TIERS),
        C("points_earned", "int", "累计积分", "Points earned to date.", min=0),
        C("points_redeemed", "int", "已兑换积分", "Points redeemed to date (never above earned).", min=0),
        C("referred_by", "str", "邀请人", "customer_id of the referrer (老带新), if any.",
          nullable=True, references="customers.customer_id"),
    ),
    notes=("points_redeemed <= points_earned.",),
))

_add(Table(
    "products", "商品表", "a SKU", ("sku",),
    (
        C("sku", "str", "商品编码 (SKU)", "Stock-keeping unit id.", required=True),
        C("name", "str", "商品名称", "Product name."),
        C("category", "str", "类目", "Product category.", required=True),
        C("brand", "str", "品牌", "Brand.", nullable=True),
        C("list_price", "float", "标价", "List price, yuan.", required=True, min=0.0),
        C("unit_cost", "float", "单位成本", "Cost of goods per unit, yuan.", min=0.0),
        C("supplier_id", "str", "供应商ID", "Supplier id.", nullable=True),
        C("lead_time_days", "int", "补货周期(天)", "Days from reorder to stock arriving.", min=0),
        C("launch_date", "date", "上架日期", "Date the SKU was first listed.", nullable=True),
        C("is_seasonal", "bool", "是否季节性", "True for seasonal products."),
    ),
))

_add(Table(
    "orders", "订单表", "an order", ("order_id",),
    (
        C("order_id", "str", "订单号", "Order id.", required=True),
        C("customer_id", "str", "用户ID", "Buyer.", required=True, references="customers.customer_id"),
        C("order_ts", "datetime", "下单时间", "When the order was placed.", required=True),
        C("channel", "str", "渠道", "Traffic channel the order came from."),
        C("device", "str", "终端", "Device: app, mobile_web, pc or mini_program.", isin=DEVICES),
        C("campaign_id", "str", "活动ID", "Campaign the order belongs to, if any.",
          nullable=True, references="campaigns.campaign_id"),
        C("coupon_id", "str", "优惠券ID", "Coupon redeemed on the order, if any.",
          nullable=True, references="coupons.coupon_id"),
        C("gross_amount", "float", "商品总额", "Sum of quantity x unit price of its items.", **_MONEY),
        C("discount_amount", "float", "优惠金额", "Discounts on the order (sum of its items').", **_MONEY),
        C("shipping_fee", "float", "运费", "Shipping charged to the buyer.", **_MONEY),
        C("net_amount", "float", "实付金额", "What the buyer pays: gross - discount + shipping.",
          required=True, **_MONEY),
        C("status", "str", "订单状态", "paid, unpaid (checkout not paid), cancelled or refunded.",
          isin=ORDER_STATUSES),
        C("shipped_ts", "datetime", "发货时间", "When the order shipped.", nullable=True),
        C("delivered_ts", "datetime", "签收时间", "When the order was delivered.", nullable=True),
    ),
    notes=(
        "GMV counts net_amount of paid orders.",
        "net_amount - shipping_fee equals the sum of its items' net_amount (within 0.05 yuan).",
    ),
))

_add(Table(
    "order_items", "订单明细表", "an order line", ("order_id", "line_no"),
    (
        C("order_id", "str", "订单号", "Order the line belongs to.", required=True,
          references="orders.order_id"),
        C("line_no", "int", "行号", "Line number within the order, from 1.", required=True, min=1),
        C("sku", "str", "商品编码 (SKU)", "Product.", required=True, references="products.sku"),
        C("quantity", "int", "数量", "Units bought (at least 1).", required=True, min=1),
        C("unit_price", "float", "成交单价", "Price per unit before discounts.", required=True, **_MONEY),
        C("discount_amount", "float", "优惠分摊", "Discount allocated to the line.", **_MONEY),
        C("net_amount", "float", "实付金额", "quantity x unit_price - discount_amount.",
          required=True, **_MONEY),
        C("returned_qty", "int", "退货数量", "Units returned (never above quantity).", min=0),
        C("return_reason", "str", "退货原因", "Reason given for the return.", nullable=True),
    ),
    notes=("returned_qty <= quantity.",),
))

_add(Table(
    "traffic", "流量表", "a day x channel x device", ("date", "channel", "device"),
    (
        C("date", "date", "日期", "Day.", required=True),
        C("channel", "str", "渠道", "Traffic channel.", required=True),
        C("device", "str", "终端", "Device.", required=True, isin=DEVICES),
        C("visitors", "int", "访客数 (UV)", "Unique visitors that day.", required=True, min=0),
        C("product_views", "int", "商品浏览量", "Product detail page views.", min=0),
        C("add_to_cart", "int", "加购数", "Add-to-cart events.", min=0),
        C("checkouts", "int", "提交订单数", "Orders submitted (checkout reached).", min=0),
        C("orders", "int", "支付订单数", "Orders paid that day: status paid or refunded (paid at "
          "the time), matching the orders table.", required=True, min=0),
    ),
))

_add(Table(
    "traffic_hourly", "分时流量表", "an hour x channel x device on a campaign day",
    ("ts_hour", "channel", "device"),
    (
        C("ts_hour", "datetime", "小时", "Start of the hour.", required=True),
        C("channel", "str", "渠道", "Traffic channel.", required=True),
        C("device", "str", "终端", "Device.", required=True, isin=DEVICES),
        C("visitors", "int", "访客数", "Visitors in the hour.", required=True, min=0),
        C("product_views", "int", "商品浏览量", "Product page views.", min=0),
        C("add_to_cart", "int", "加购数", "Add-to-cart events.", min=0),
        C("orders", "int", "支付订单数", "Paid orders in the hour.", required=True, min=0),
        C("page_load_ms", "float", "页面加载时间(毫秒)", "Median page load time.", min=0.0),
    ),
))

_add(Table(
    "search_terms", "搜索词表", "a month x keyword", ("month", "keyword"),
    (
        C("month", "date", "月份", "First day of the month.", required=True),
        C("keyword", "str", "搜索词", "Search keyword.", required=True),
        C("impressions", "int", "展现量", "Times the shop was shown for the keyword.", required=True, min=0),
        C("clicks", "int", "点击量", "Clicks.", required=True, min=0),
        C("orders", "int", "成交订单数", "Paid orders from the keyword.", min=0),
        C("gmv", "float", "成交金额", "GMV from the keyword.", **_MONEY),
        C("avg_rank", "float", "平均排名", "Average search rank (1 = top).", min=1.0),
    ),
))

_add(Table(
    "marketing_spend", "营销投放表", "a day x channel", ("date", "channel"),
    (
        C("date", "date", "日期", "Day.", required=True),
        C("channel", "str", "渠道", "Paid channel.", required=True),
        C("spend", "float", "花费", "Spend, yuan.", required=True, **_MONEY),
        C("impressions", "int", "展现量", "Ad impressions.", min=0),
        C("clicks", "int", "点击量", "Ad clicks.", min=0),
    ),
))

_add(Table(
    "campaigns", "活动表", "a campaign", ("campaign_id",),
    (
        C("campaign_id", "str", "活动ID", "Campaign id.", required=True),
        C("name", "str", "活动名称", "Campaign name.", required=True),
        C("kind", "str", "活动类型", "festival, platform_event, store_event or flash_sale.",
          isin=CAMPAIGN_KINDS),
        C("warmup_start", "date", "预热开始", "First day of the warm-up phase (预热期).", required=True),
        C("peak_start", "date", "爆发开始", "First day of the peak phase (爆发期).", required=True),
        C("peak_end", "date", "爆发结束", "Last day of the peak phase.", required=True),
        C("end_date", "date", "返场结束", "Last day of the return phase (返场期).", required=True),
        C("budget", "float", "预算", "Planned spend, yuan.", **_MONEY),
        C("target_gmv", "float", "目标GMV", "GMV target for the whole campaign.", **_MONEY),
        C("target_new_customers", "int", "目标新客数", "New-customer target.", min=0),
        C("threshold", "float", "满减门槛", "Spend threshold of the 满减 offer.", **_MONEY),
        C("discount", "float", "满减金额", "Yuan off when the threshold is reached.", **_MONEY),
    ),
    notes=("warmup_start <= peak_start <= peak_end <= end_date.",),
))

_add(Table(
    "coupons", "优惠券表", "a coupon issued to a customer", ("coupon_id",),
    (
        C("coupon_id", "str", "优惠券ID", "Coupon id.", required=True),
        C("campaign_id", "str", "活动ID", "Campaign that issued it.", nullable=True,
          references="campaigns.campaign_id"),
        C("customer_id", "str", "用户ID", "Holder.", required=True, references="customers.customer_id"),
        C("kind", "str", "券类型", "threshold, percent_off, new_customer, referral or fixed.",
          required=True, isin=COUPON_KINDS),
        C("face_value", "float", "面额", "Yuan off; for percent_off, the rate off in (0, 1].",
          required=True, **_MONEY),
        C("threshold", "float", "使用门槛", "Minimum spend to use it (0 = none).", **_MONEY),
        C("issued_ts", "datetime", "发放时间", "When it was issued.", required=True),
        C("expires_ts", "datetime", "过期时间", "When it expires."),
        C("redeemed_order_id", "str", "核销订单号", "Order that used it, if redeemed.",
          nullable=True, references="orders.order_id"),
    ),
    notes=("percent_off coupons have face_value in (0, 1].",),
))

_add(Table(
    "inventory", "库存表", "a day x SKU (end-of-day stock)", ("date", "sku"),
    (
        C("date", "date", "日期", "Day.", required=True),
        C("sku", "str", "商品编码 (SKU)", "Product.", required=True, references="products.sku"),
        C("on_hand", "int", "在库数量", "Units in stock at the end of the day.", required=True, min=0),
        C("inbound_qty", "int", "入库数量", "Units received that day.", min=0),
    ),
    notes=("on_hand(d) = on_hand(d-1) + inbound_qty(d) - units sold on d (generated shops).",),
))

_add(Table(
    "referrals", "邀请表", "an invitation (老带新)", ("referral_id",),
    (
        C("referral_id", "str", "邀请ID", "Invitation id.", required=True),
        C("referrer_id", "str", "邀请人", "Existing customer who invited.", required=True,
          references="customers.customer_id"),
        C("invitee_id", "str", "被邀请人", "Customer id of the invitee once signed up.",
          nullable=True, references="customers.customer_id"),
        C("invited_ts", "datetime", "邀请时间", "When the invitation was sent.", required=True),
        C("signed_up_ts", "datetime", "注册时间", "When the invitee signed up.", nullable=True),
        C("first_order_id", "str", "首单订单号", "Invitee's first paid order.", nullable=True,
          references="orders.order_id"),
        C("reward_value", "float", "奖励金额", "Rewards paid to both sides, yuan.", **_MONEY),
    ),
))

_add(Table(
    "service_tickets", "客服工单表", "a customer-service contact", ("ticket_id",),
    (
        C("ticket_id", "str", "工单ID", "Ticket id.", required=True),
        C("customer_id", "str", "用户ID", "Customer.", required=True, references="customers.customer_id"),
        C("order_id", "str", "订单号", "Order concerned, if any.", nullable=True,
          references="orders.order_id"),
        C("stage", "str", "服务阶段", "pre_sale (售前), in_sale (售中) or after_sale (售后).",
          required=True, isin=SERVICE_STAGES),
        C("topic", "str", "咨询主题", "What the contact was about."),
        C("handled_by", "str", "处理方", "bot or human.", isin=HANDLERS),
        C("created_ts", "datetime", "创建时间", "When the contact started.", required=True),
        C("first_response_s", "float", "首次响应(秒)", "Seconds to the first answer.", min=0.0),
        C("resolved_ts", "datetime", "解决时间", "When it was resolved.", nullable=True),
        C("satisfaction", "int", "满意度", "Rating 1-5 if given.", nullable=True, min=1, max=5),
    ),
))

_add(Table(
    "content_posts", "内容表", "a piece of content", ("post_id",),
    (
        C("post_id", "str", "内容ID", "Post id.", required=True),
        C("platform", "str", "平台", "Where it was published.", required=True),
        C("format", "str", "形式", "article, short_video, live or ugc.", isin=CONTENT_FORMATS),
        C("topic", "str", "话题", "Topic or festival it rides on."),
        C("title", "str", "标题", "Title."),
        C("text", "str", "文案", "Body copy (checked for banned absolute claims)."),
        C("publish_date", "date", "发布日期", "Publication date.", required=True),
        C("views", "int", "阅读/播放量", "Views.", required=True, min=0),
        C("likes", "int", "点赞", "Likes.", min=0),
        C("comments", "int", "评论", "Comments.", min=0),
        C("shares", "int", "分享", "Shares.", min=0),
        C("link_clicks", "int", "链接点击", "Clicks to the shop.", min=0),
        C("orders", "int", "成交订单数", "Orders attributed.", min=0),
        C("gmv", "float", "成交金额", "GMV attributed.", **_MONEY),
        C("cost", "float", "成本", "Production and promotion cost.", **_MONEY),
    ),
))

_add(Table(
    "experiments", "实验表", "a day x experiment x variant", ("experiment_id", "date", "variant"),
    (
        C("experiment_id", "str", "实验ID", "Experiment id.", required=True),
        C("name", "str", "实验名称", "What is tested."),
        C("date", "date", "日期", "Day.", required=True),
        C("variant", "str", "版本", "Variant label, e.g. A (control) and B.", required=True),
        C("visitors", "int", "访客数", "Visitors assigned that day.", required=True, min=0),
        C("conversions", "int", "转化数", "Visitors who converted (never above visitors).",
          required=True, min=0),
        C("revenue", "float", "收入", "Revenue from converters.", **_MONEY),
    ),
    notes=("conversions <= visitors.",),
))

_add(Table(
    "staff", "运营人员表", "an operator", ("employee_id",),
    (
        C("employee_id", "str", "员工ID", "Employee id.", required=True),
        C("name", "str", "姓名", "Name."),
        C("level", "str", "职级", "junior, mid or senior.", isin=STAFF_LEVELS),
        C("team", "str", "小组", "Team."),
        C("hire_date", "date", "入职日期", "Hire date."),
    ),
))

_add(Table(
    "staff_kpis", "绩效指标表", "a quarter x employee x metric", ("employee_id", "quarter", "metric"),
    (
        C("employee_id", "str", "员工ID", "Operator.", required=True, references="staff.employee_id"),
        C("quarter", "str", "季度", "Quarter as YYYYQn, e.g. 2026Q3.", required=True),
        C("metric", "str", "指标", "Metric name, e.g. gmv, roi, repurchase_rate.", required=True),
        C("target", "float", "目标值", "Target.", required=True),
        C("actual", "float", "实际值", "Actual.", required=True),
    ),
    notes=("Metrics ending in _rate are fractions in [0, 1].",),
))

_add(Table(
    "staff_reviews", "360评估表", "a quarter x employee x rater group",
    ("employee_id", "quarter", "rater_group"),
    (
        C("employee_id", "str", "员工ID", "Operator.", required=True, references="staff.employee_id"),
        C("quarter", "str", "季度", "Quarter as YYYYQn.", required=True),
        C("rater_group", "str", "评价方", "manager, cross_dept or peer.", required=True, isin=RATER_GROUPS),
        C("score", "float", "评分", "Collaboration and conduct score, 1-5.", required=True, min=1.0, max=5.0),
    ),
))

TABLE_ORDER: tuple[str, ...] = tuple(TABLES)


def data_dictionary_markdown() -> str:
    """Render the data dictionary (``datasets/README.md``) from :data:`TABLES`."""
    out = [
        "# Data dictionary (数据字典)",
        "",
        "Generated from `playbook_lib/data/schema.py` by "
        "`python -m playbook_lib.data.schema > datasets/README.md`; do not edit by hand "
        "(a test fails when this file is stale).",
        "",
        "A shop is a folder with one file per table, named after the table "
        "(`orders.csv`, `orders.parquet` or `orders.xlsx`). Any subset of tables may be "
        "present. Ids are text, money is yuan, timestamps are local time.",
        "",
        "Kinds: `str` text, `int` whole number, `float` number, `datetime` date and time, "
        "`date` calendar day, `bool` true/false. Required columns must be present; "
        "`null ok` columns may be empty.",
        "",
    ]
    for t in TABLES.values():
        out += [f"## {t.name} ({t.zh})", "", f"One row is {t.row}. Key: "
                + ", ".join(f"`{k}`" for k in t.key) + ".", ""]
        out += ["| column | 中文 | kind | required | null ok | allowed | meaning |",
                "|---|---|---|---|---|---|---|"]
        for c in t.columns:
            allowed = []
            if c.isin:
                allowed.append(", ".join(c.isin))
            if c.min is not None or c.max is not None:
                lo = "" if c.min is None else f">= {c.min:g}"
                hi = "" if c.max is None else f"<= {c.max:g}"
                allowed.append(" and ".join(x for x in (lo, hi) if x))
            if c.references:
                allowed.append(f"in {c.references}")
            out.append(
                f"| `{c.name}` | {c.zh} | {c.kind} | {'yes' if c.required else ''} | "
                f"{'yes' if c.nullable else ''} | {'; '.join(allowed)} | {c.description} |"
            )
        if t.notes:
            out += [""] + [f"- {n}" for n in t.notes]
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":  # pragma: no cover
    print(data_dictionary_markdown(), end="")
