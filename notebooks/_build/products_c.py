"""Build notebooks/02_products/03_detail_page.ipynb (committed without outputs).

Run from the repository root: ``.venv/bin/python notebooks/_build/products_c.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # _nbtools.py sits beside this script
from _nbtools import Notebook

OUT = Path(__file__).resolve().parents[1] / "02_products" / "03_detail_page.ipynb"

nb = Notebook()
md, code, exercise = nb.md, nb.code, nb.exercise


# --- 0. title and parameters ---------------------------------------------------------------------

md("""
# 02 · Products 3: the product detail page, and testing two versions of it

**The responsibility:** the product detail page (商品详情页) is where a visitor decides to buy or
to leave. The operator decides what the page leads with (its selling points, 卖点), which images
and reviews it shows, and, above all, proves with an **A/B test** (A/B 测试) that a new version
really sells better before it replaces the old one.

**After this lesson you can**

- say what a detail page must do and which of its parts an operator usually tests;
- read an A/B test by hand: each version's conversion rate (转化率), the relative uplift (相对提升)
  and the z statistic of the two-proportion test;
- read a p-value and a confidence interval (置信区间), and decide *ship* or *don't ship*;
- plan how many visitors a test needs (样本量, sample size and power) before it starts;
- explain, with a simulation, why looking at a test every day and stopping at the first
  "significant" day fools you;
- judge a test by revenue per visitor (UV价值) when the versions also change the order value.

About 35 minutes.
""")

code('''
DATA = "demo"  # shop folder with one file per table, or "demo" for the shipped demo shop
CONTROL = "A"  # label of the control version (the current page) in the experiments table
ALPHA = 0.05  # significance level: a difference counts as real when p < ALPHA
POWER = 0.8  # chance that a planned test detects a real uplift of the planned size
MIN_UPLIFT = 0.10  # smallest relative uplift worth detecting when planning (0.10 is +10 %)
PEEK_SIMS = 500  # simulated no-difference tests in the peeking section (more is slower)
SEED = 7  # random seed of the simulation, so a rerun gives the same numbers
''', tags=["parameters"])

md("""
The cell above holds the lesson's **parameters**; change them and re-run to read another shop or
plan with other targets. The next cell loads the shop and finds its A/B tests: every experiment
with exactly two versions, one of them labelled `CONTROL`. Nothing below names an experiment, a
date or a figure from the data: all of it is computed, so the lesson works on any shop.
""")

code('''
import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import display
from matplotlib.ticker import PercentFormatter
from scipy import stats

from playbook_lib import exercises, plots
from playbook_lib import experiments as ab
from playbook_lib.data import load_dataset
from playbook_lib.exercises import ____
from playbook_lib.exercises.products_detail_page import duration_plan, running_test

plots.use_theme()
ds = load_dataset(DATA)
experiments = ds.experiments

variants = experiments.groupby("experiment_id")["variant"].unique()
ab_ids = [e for e, v in variants.items() if CONTROL in set(v) and len(v) == 2]
other_ids = [e for e in variants.index if e not in ab_ids]
if not ab_ids:
    raise ValueError(f"No experiment has two versions with one labelled {CONTROL!r}; set CONTROL "
                     f"to the label of your control version. Labels found: "
                     f"{sorted(experiments['variant'].unique())}")
ab_tests = experiments[experiments["experiment_id"].isin(ab_ids)]
print(f"Shop: {ds.source}")
print(f"A/B tests (challenger against {CONTROL!r}): {ab_ids}    other experiments: {other_ids}")
''')

# --- 1. why it matters ----------------------------------------------------------------------------

md("""
## 1. Why the detail page matters

Every channel the shop pays for, search, ads, live streams, content, ends on the same page. If
that page does not convince, the traffic was bought for nothing. That makes the **product
detail page** (商品详情页) the point where conversion is won or lost, and the operator looks at it
through the buyer's eyes:

- **Selling points (卖点).** Lead with the two or three things that set the product apart, stated
  concretely: "no alcohol, no fragrance" or "tested on volunteers for four weeks" says more than
  "gentle and effective".
- **Images and video.** Scene photos show the product in use, side-by-side pictures show the
  difference from the alternatives, a short video shows how to use it.
- **Copy and trust.** Plain words for what the product does; buyer reviews (用户评价) and buyer
  photos (买家秀) so that other customers, not the shop, vouch for it.

Which version works better is not a matter of taste. Shops that keep testing page versions
commonly report a **10-20 % higher conversion** of the page over time. The test is how the
operator finds those gains and, just as important, avoids changes that do nothing.

Data shows *where* to look: a new-customer conversion of 3 % is a symptom, and a detail page that
70 % of visitors leave at once (跳出率, bounce rate) points at the main image or the copy. An A/B
test then checks whether the fix worked: half of the visitors see the current page (the
**control**, 对照组), half the new one (the **challenger**, 实验组), at the same time, so season,
campaigns and weekdays hit both alike.
""")

# --- 2. the table ---------------------------------------------------------------------------------

md("""
## 2. The experiments table

`ds.experiments` has one row per day, experiment and version (`variant`): the visitors the
version got that day, how many of them bought (`conversions`) and the revenue they brought. An
overview, one row per experiment:
""")

code('''
overview = experiments.groupby("experiment_id").agg(
    name=("name", "first"),
    versions=("variant", lambda s: ", ".join(sorted(s.unique()))),
    first_day=("date", "min"),
    last_day=("date", "max"),
    days=("date", "nunique"),
    visitors=("visitors", "sum"),
)
overview
''')

md("""
The lesson first reads the A/B tests of pages (`ab_ids`): a challenger against the current
version `CONTROL`. In section 9 you read the other experiment(s) on your own.
""")

# --- 3. worked example ----------------------------------------------------------------------------

md("""
## 3. Worked example: one day proves nothing

The first instinct is to open the back-end and compare the two versions day by day. Here is each
A/B test's daily conversion rate, conversions / visitors, per version:
""")

code('''
daily = ab_tests.assign(conversion=ab_tests["conversions"] / ab_tests["visitors"])
fig, axes = plt.subplots(1, len(ab_ids), figsize=(5.5 * len(ab_ids), 3.4), squeeze=False,
                         sharey=True)
for ax, exp_id in zip(axes[0], ab_ids):
    one = daily[daily["experiment_id"] == exp_id]
    for variant, g in one.groupby("variant"):
        ax.plot(g["date"], g["conversion"], marker=".", label=variant)
    ax.set(title=exp_id, ylabel="conversion that day")
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.legend(title="variant", frameon=False)
fig.autofmt_xdate()
fig.tight_layout()
''')

code('''
by_day = daily.pivot_table(index=["experiment_id", "date"], columns="variant", values="conversion")
ahead = by_day.drop(columns=CONTROL).max(axis=1) > by_day[CONTROL]  # challenger ahead that day?
ahead.groupby(level="experiment_id").agg(days="size", days_challenger_ahead="sum")
''')

md("""
The lines cross again and again. With a few thousand visitors a day, each day's rate jumps by
chance by as much as the difference you are looking for, so the version that is ahead changes
from day to day, even in a test where one version really is better. Two habits follow:

1. **Add up the whole test** before comparing: all visitors and all conversions of each version.
2. **Ask whether the difference could be chance.** A statistical test answers that.

You do both by hand in the exercises, then compare with the library.
""")

# --- 4. exercises 1-3 -----------------------------------------------------------------------------

md("""
## 4. Exercises: read the tests by hand

Each exercise is a cell with blanks, `____`, for you to replace; `qN.check(...)` compares your
answer with the one the library computes from the same data. Stuck? Uncomment `qN.hint()` in the
cell below it (`qN.hint(2)` says more); `qN.solution()` shows the code.
""")

code('''
q1, q2, q3, q4, q5, q6, q7 = exercises.setup("02_products/03_detail_page", ds, control=CONTROL,
                                             alpha=ALPHA, power=POWER, min_uplift=MIN_UPLIFT)
''')

exercise(1, """
### Exercise 1: conversion of each version

For every A/B test in `ab_tests` and each of its versions, compute the **conversion rate**
(转化率) over the whole test: total conversions / total visitors. Store a Series `conversion`
indexed by (`experiment_id`, `variant`), with fractions (0.04, not 4).
""", "conversion = ____  # sum visitors and conversions per experiment and variant, then divide",
         "conversion")

md("""
The next cell keeps those totals in two tables with one row per A/B test, so that the control and
the challenger sit side by side: `ctrl` (the `CONTROL` version) and `chal` (the other one).
""")

code('''
totals = ab_tests.groupby(["experiment_id", "variant"])[["visitors", "conversions"]].sum()
ctrl = totals.xs(CONTROL, level="variant")
chal = totals.drop(index=CONTROL, level="variant").droplevel("variant")
pd.concat({"control": ctrl, "challenger": chal}, axis=1)
''')

exercise(2, """
### Exercise 2: the relative uplift

Teams report a test's result as a **relative uplift** (相对提升): how much better the challenger
converts, as a share of the control's rate. `rate_chal / rate_ctrl - 1` = 0.08 means "+8 %".
Compute it for each A/B test as a Series `uplift` indexed by `experiment_id`.
""", '''rate_ctrl = ____  # control conversion, one value per experiment (from ctrl)
rate_chal = ____  # challenger conversion (from chal)
uplift = ____''', "uplift")

md("""
### Could it be luck? The two-proportion z-test

Suppose both pages converted equally well. Random visitors would still make one version come
out ahead, by a little. The **two-proportion z-test** measures how far apart the two rates are
in units of that chance wobble, the standard error:

$$z = \\frac{p_{chal} - p_{ctrl}}{\\sqrt{p\\,(1-p)\\,(1/n_{ctrl} + 1/n_{chal})}}$$

where $p$ is the **pooled** rate, both versions' conversions over both versions' visitors (under
"no difference" they share one rate). A $z$ near 0 is what chance produces all the time; beyond
about ±2 chance alone rarely gets there. The **p-value** (p值) turns $z$ into that probability: the
chance of a gap at least this large if the pages really were equal.
""")

exercise(3, """
### Exercise 3: the z statistic

Compute $z$ for each A/B test from `ctrl` and `chal` (and your `rate_ctrl`, `rate_chal` from
exercise 2), as a Series `z` indexed by `experiment_id`. A positive $z$ means the challenger
converts better.
""", '''pooled = ____  # all conversions / all visitors of the test
se = ____  # np.sqrt(pooled * (1 - pooled) * (1 / control visitors + 1 / challenger visitors))
z = ____''', "z")

# --- 5. library ----------------------------------------------------------------------------------

md("""
## 5. The library's verdict: p-value and confidence interval

`ab.ab_test_table` runs the same test on every A/B test at once (statsmodels underneath) and adds
two confidence intervals (置信区间): for the difference in rate points, and for the relative
uplift. Compare `rate_a`, `rate_b`, `uplift` and `statistic` with your answers (`a` is the
control, `b` the challenger).
""")

code('''
results = ab.ab_test_table(ab_tests, control=CONTROL, alpha=ALPHA)
results[["experiment_id", "variant", "rate_a", "rate_b", "uplift", "uplift_ci_low",
         "uplift_ci_high", "statistic", "p_value", "significant"]].round(4)
''')

code('''
ax = plots.uplift_chart(results)
ax.figure.set_size_inches(9, 1.2 + 0.7 * len(results))
''')

md("""
How to read it. A result is **significant** (显著) when its p-value is below `ALPHA`: a gap this
large would be rare if the pages converted equally. The interval is the range of uplifts the
data cannot rule out, at the 1 - `ALPHA` level. An interval entirely above 0 says the challenger
is better, and by at least its lower end; an interval that straddles 0 says the test cannot tell
the versions apart; a narrow interval around 0 is itself a finding: "whatever the difference is,
it is small". In words, for each test:
""")

code('''
def fmt_p(p):
    """A p-value for people: 'p = 0.1234', or 'p < 0.0001'."""
    return "p < 0.0001" if p < 0.0001 else f"p = {p:.4f}"


level = f"{1 - ALPHA:.0%}"
for _, r in results.iterrows():
    verdict = "significant" if r["significant"] else "not significant"
    print(f"{r['experiment_id']} ({r['name']}):\\n"
          f"    conversion {r['rate_a']:.2%} -> {r['rate_b']:.2%}, uplift {r['uplift']:+.1%}, "
          f"{fmt_p(r['p_value'])}, {verdict}\\n"
          f"    {level} interval of the uplift: {r['uplift_ci_low']:+.1%} to "
          f"{r['uplift_ci_high']:+.1%}")
''')

exercise(4, """
### Exercise 4: ship or don't ship?

The decision rule agreed before the tests: ship the challenger (上线新版本) when the test is
significant **and** the challenger converts better. Build a boolean Series `ship`, one entry
per `experiment_id`, from `results`.
""", "ship = ____  # True / False per experiment_id", "ship")

md("""
Significant with an uplift of the size the seed promises (10-20 %) is a page worth shipping. The
test without a real difference is just as useful: it saves the team from a change that would do
nothing, and from the fixed belief that it helped.
""")

# --- 6. planning ----------------------------------------------------------------------------------

md("""
## 6. Before the test: how many visitors?

A test that did not find a difference has only told you something if it *could* have found one.
That is its **power** (统计功效): the chance of a significant result when the uplift really is
as large as you hope. Small uplifts on low conversion rates need a lot of traffic, so you fix
three things **before** starting: the smallest uplift worth detecting (最小可检测提升,
`MIN_UPLIFT`), the significance level (`ALPHA`) and the power (`POWER`, usually 80 %). They give
the **sample size** (样本量) per version, and with the page's traffic, the number of days.

The next cell takes the current page's conversion as the baseline: the control of the A/B test
that ended last.
""")

code('''
latest_id = ab_tests.groupby("experiment_id")["date"].max().idxmax()
baseline = ctrl.loc[latest_id, "conversions"] / ctrl.loc[latest_id, "visitors"]
daily_per_variant = ab_tests.groupby(["experiment_id", "date", "variant"])["visitors"].sum().mean()
print(f"baseline conversion ({latest_id}, {CONTROL}): {baseline:.2%}; "
      f"visitors per version per day in the tests: {daily_per_variant:,.0f}")
''')

exercise(5, """
### Exercise 5: the sample size by hand

How many visitors **per version** does a test need to detect a relative uplift of `MIN_UPLIFT`
from `baseline`, two-sided at `ALPHA`, with power `POWER`? statsmodels' power calculation uses
Cohen's effect size $h$ for two proportions:

$$h = 2\\arcsin\\sqrt{p_{target}} - 2\\arcsin\\sqrt{p_{baseline}}, \\qquad
p_{target} = p_{baseline}\\,(1 + \\text{MIN\\_UPLIFT})$$

$$n = \\frac{(z_{1-\\alpha/2} + z_{power})^2 \\times 2}{h^2}\\ \\text{, rounded up}$$

The $z$ values are quantiles of the normal distribution: `stats.norm.ppf(...)`. Store $n$ in
`n_needed`.
""", '''target = ____
h = ____
n_needed = ____''', "n_needed")

md("""
The library does the same in one call, `ab.sample_size(baseline, MIN_UPLIFT, ALPHA, POWER)`.
Now look back at the tests that ran: what is the smallest uplift each could reliably detect with
the visitors it had?
""")

code('''
rows = []
for exp_id in ab_ids:
    rate0 = ctrl.loc[exp_id, "conversions"] / ctrl.loc[exp_id, "visitors"]
    n = min(ctrl.loc[exp_id, "visitors"], chal.loc[exp_id, "visitors"])
    ups = np.round(np.arange(1, 51) / 100, 2)  # +1 % to +50 %
    grid = ab.power_curve(rate0, uplifts=ups[rate0 * (1 + ups) <= 1], alpha=ALPHA, power=POWER)
    rows.append({"experiment_id": exp_id, "control_conversion": rate0,
                 "visitors_per_version": n,
                 "smallest_detectable_uplift": grid.loc[grid["visitors_per_variant"] <= n,
                                                        "min_detectable_uplift"].min()})
ran = pd.DataFrame(rows).set_index("experiment_id")
ran["observed_uplift"] = results.set_index("experiment_id")["uplift"]
print(f"needed per version for +{MIN_UPLIFT:.0%} from {baseline:.2%}: "
      f"{ab.sample_size(baseline, MIN_UPLIFT, ALPHA, POWER):,}")
ran.round(4)  # NaN: the test could not reliably detect even +50 %
''')

md("""
Read the last table with the verdicts above. A test that found nothing, but whose smallest detectable
uplift is small, tells you: "if the new version helps, it helps by less than that". For hopes
below that size the test was too short, and "not significant" then means "not known", not "no
effect".
""")

# --- 7. widget ------------------------------------------------------------------------------------

md("""
## 7. Interactive: sample size against the uplift you want to detect

Move the slider: the smaller the uplift you want to be able to see, the more visitors (and days)
the test needs. Halving the uplift roughly **quadruples** the traffic. Agree on `MIN_UPLIFT` with
the traffic the page actually gets before you start, not after. (The computation is
`duration_plan`, a plain function: `ab.power_curve` plus the days at the page's traffic.)
""")

code('''
def show_plan(min_uplift=0.10, power=0.8):
    curve = duration_plan(baseline, daily_per_variant, alpha=ALPHA, power=power)
    row = duration_plan(baseline, daily_per_variant, uplifts=[min_uplift], alpha=ALPHA,
                        power=power).iloc[0]
    fig, ax = plt.subplots(figsize=(8, 3.4))
    ax.plot(curve["min_detectable_uplift"], curve["visitors_per_variant"])
    ax.scatter([min_uplift], [row["visitors_per_variant"]], color="C3", zorder=3)
    ax.set_yscale("log")
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set(xlabel="smallest relative uplift to detect", ylabel="visitors per version (log)",
           title=f"Baseline {baseline:.2%}, alpha {ALPHA}, power {power:.0%}")
    plt.show()
    print(f"+{min_uplift:.0%}: {row['visitors_per_variant']:,} visitors per version "
          f"({row['total_visitors']:,} in all), about {row['days_needed']} days at "
          f"{daily_per_variant:,.0f} visitors per version per day")


widget = widgets.interactive(
    show_plan,
    min_uplift=widgets.FloatSlider(value=min(max(MIN_UPLIFT, 0.02), 0.5), min=0.02, max=0.5,
                                   step=0.01, readout_format=".0%",
                                   description="uplift"),
    power=widgets.FloatSlider(value=POWER, min=0.5, max=0.95, step=0.05, readout_format=".0%",
                              description="power"))
display(widget)
''')

md("The same function at a few values, for the printed report:")

code('''
duration_plan(baseline, daily_per_variant, uplifts=[0.05, MIN_UPLIFT, 0.15, 0.20], alpha=ALPHA,
              power=POWER)[["min_detectable_uplift", "visitors_per_variant", "total_visitors",
                            "days_needed"]]
''')

# --- 8. peeking -----------------------------------------------------------------------------------

md("""
## 8. Why you must not peek and stop early

It is tempting to open the test every morning and stop it on the first day it shows
"significant". That habit (偷看数据, peeking) breaks the test. Each daily look is another chance
for luck to cross the line, and once you stop there, the lucky crossing is your result.

A simulation shows it. Below, `PEEK_SIMS` tests in which **both versions are identical** (A/A
tests: the true uplift is zero), each with this shop's traffic and as many days as its longest
test, each read at the end of every day. An honest test, read once at the end, should call
about `ALPHA` of them significant.
""")

code('''
test_days = int(ab_tests.groupby("experiment_id")["date"].nunique().max())
peek = ab.peeking_simulation(rate=baseline, daily_visitors=int(round(daily_per_variant)),
                             days=test_days, n_sims=PEEK_SIMS, alpha=ALPHA, seed=SEED)
print(f"read once, at the end of day {test_days}: {peek.significant_at_end:.1%} false winners "
      f"(the design says {ALPHA:.0%})")
print(f"read daily, stopped at the first significant day: {peek.ever_significant:.1%} false "
      f"winners, {peek.ever_significant / ALPHA:.1f} times the promised rate")

ax = peek.by_day.plot(x="day", y=["ever_significant", "significant_today"], figsize=(8, 3.4),
                      label=["significant on this day or any earlier one", "significant on this day"])
ax.axhline(ALPHA, color="black", linestyle="--", linewidth=1)
ax.yaxis.set_major_formatter(PercentFormatter(1.0))
ax.set_ylim(0, None)
ax.set(xlabel="day of the test", ylabel="share of A/A tests",
       title="A/A tests: false winners when you peek every day");
''')

md("""
On any single day about `ALPHA` of the identical pairs look significant, but over the days the
share that has *ever* looked significant keeps climbing. Stop at the first green day and you
ship a change that does nothing several times more often than you think.

Peeking misleads the other way too. Here are this shop's A/B tests, read again at the end of each
day on the totals so far (`running_test`):
""")

code('''
running = running_test(ab_tests, control=CONTROL, alpha=ALPHA)
ax = running.pivot_table(index="day", columns="experiment_id", values="p_value").plot(
    figsize=(8, 3.4), logy=True, marker=".")
ax.axhline(ALPHA, color="black", linestyle="--", linewidth=1)
ax.set(xlabel="day of the test", ylabel="p-value so far (log)",
       title="The A/B tests, read every day")
plt.show()
for exp_id, g in running.groupby("experiment_id"):
    sig_days = g.loc[g["significant"], "day"]
    first = f"first on day {sig_days.min()}" if len(sig_days) else "never"
    print(f"{exp_id}: significant on {len(sig_days)} of {len(g)} days ({first}); at the end "
          f"{fmt_p(g['p_value'].iloc[-1])}")
''')

md("""
Early on the p-values swing widely: a real uplift can look like nothing for the first days, and a
null test can briefly look like a winner. The remedy is simple: fix the sample size (section 6),
run the test for whole weeks so weekdays and weekends both count, and read it once at the end.
""")

# --- 9. your turn ---------------------------------------------------------------------------------

md("""
## 9. Your turn: when the versions also change the order value

Not every test is a page against its current version. `other_ids` holds the shop's other
experiment(s); `other_id` below is the first of them. A classic example is the form of a coupon
(优惠券): a threshold discount (满减, "spend X, save Y") against a percentage off. Such versions
change both how many visitors buy and how much each order is worth, so conversion alone can point
the wrong way. What counts is **revenue per visitor** (UV价值) = revenue / visitors, which is
conversion × average order value.
""")

code('''
other_id = other_ids[0] if other_ids else None
if other_id is None:
    print("This shop has no experiment besides the A/B tests; exercises 6 and 7 still work on them "
          "(exercise 7 will say it cannot be checked).")
else:
    print(f"other_id = {other_id!r}: {variants[other_id].tolist()}")
''')

exercise(6, """
### Exercise 6: revenue per visitor

For **every** experiment in `experiments` and each version, compute revenue per visitor over
the whole test: total revenue / total visitors. A Series `rpv` indexed by (`experiment_id`,
`variant`).
""", "rpv = ____", "rpv")

exercise(7, """
### Exercise 7: which version earns more per visitor?

In the experiment `other_id`, which version (its `variant` label) brings in more revenue per
visitor? Store the label in `best_variant`.
""", "best_variant = ____  # a variant label, e.g. the text of one value of the variant column",
         "best_variant")

md("""
The whole picture for that experiment: conversion, average order value (客单价) and revenue per
visitor, with two tests. The p-value of the conversion test does not depend on which version you
call the control. The experiments table has only daily totals, not each visitor's spend, so the
revenue test below treats **each day** as one observation (a rougher test than one on every
visitor's revenue, which `ab.revenue_per_visitor_test` runs when you have it).
""")

code('''
if other_id is not None and variants[other_id].size >= 2:
    one = experiments[experiments["experiment_id"] == other_id]
    s = one.groupby("variant")[["visitors", "conversions", "revenue"]].sum()
    s["conversion"] = s["conversions"] / s["visitors"]
    s["aov"] = s["revenue"] / s["conversions"]
    s["revenue_per_visitor"] = s["revenue"] / s["visitors"]
    display(s.round(4))
    v1, v2 = s.index[0], s.index[-1]  # with more than two versions: the first and the last
    conv = ab.ab_test(s.loc[v1, "conversions"], s.loc[v1, "visitors"],
                      s.loc[v2, "conversions"], s.loc[v2, "visitors"], alpha=ALPHA)
    day_rpv = one.assign(rpv=one["revenue"] / one["visitors"])
    rev = ab.revenue_per_visitor_test(day_rpv.loc[day_rpv["variant"] == v1, "rpv"],
                                      day_rpv.loc[day_rpv["variant"] == v2, "rpv"], alpha=ALPHA)
    print(f"conversion: {s['conversion'].idxmax()} converts better, {fmt_p(conv.p_value)}")
    print(f"revenue per visitor: {s['revenue_per_visitor'].idxmax()} earns more per visitor, "
          f"{fmt_p(rev.p_value)} (days as observations)")
''')

md("""
When the two disagree, the version with more buyers is not automatically the better deal: a
bigger discount buys extra orders but makes every order smaller. Decide on revenue per visitor,
or better on gross profit per visitor once the discount cost is in, and keep conversion as the
explanation of *why*.
""")

# --- 10. in practice ------------------------------------------------------------------------------

md("""
## 10. In practice: the decisions

The operator's actions from this lesson's data, written from the numbers:
""")

code('''
for _, r in results.iterrows():
    if r["significant"] and r["uplift"] > 0:
        action = (f"SHIP version {r['variant']}: conversion {r['uplift']:+.1%} "
                  f"(interval {r['uplift_ci_low']:+.1%} to {r['uplift_ci_high']:+.1%}). Roll it out, "
                  f"then watch the page's conversion for a few weeks to confirm.")
    elif r["significant"]:
        action = (f"KEEP {CONTROL}: version {r['variant']} converts worse ({r['uplift']:+.1%}). "
                  f"Note what it changed so nobody tries it again.")
    else:
        action = (f"DON'T SHIP {r['variant']}: no detectable difference (p = {r['p_value']:.2f}, "
                  f"interval {r['uplift_ci_low']:+.1%} to {r['uplift_ci_high']:+.1%}). Keep "
                  f"{CONTROL} and spend the next test on a bigger change.")
    print(f"{r['experiment_id']} ({r['name']}):\\n    {action}")
''')

md("""
And the habits that make the next test trustworthy:

- **Test one clear idea per page version**, chosen from the data: the selling points the page
  leads with, the main image, scene photos or a short video, reviews and buyer photos higher up.
- **Plan the sample size before starting** (section 6): agree on the smallest uplift worth
  having, then compute visitors and days at the page's real traffic. If the test would take
  months, test a bolder change instead.
- **Don't stop early.** Run the planned days, in whole weeks, and read the result once. A
  "significant" day in the middle of a test is not a result.
- **Report the interval, not only the p-value**: the range of plausible uplifts is what a
  manager can plan with, and a "not significant" needs the smallest uplift the test could have
  detected beside it.
- **Judge offers by revenue (or profit) per visitor**, not conversion alone, when the versions
  change prices, discounts or the order value.
""")

# --- recap ----------------------------------------------------------------------------------------

md("""
## Recap

- The detail page turns paid traffic into orders: selling points, images and trust (reviews,
  buyer photos) are what an operator tests.
- Read a test on its totals: conversion per version, the relative uplift `rate_chal / rate_ctrl
  - 1`, and the pooled two-proportion z-test; the library's `ab_test_table` adds p-values and
  intervals.
- Ship when the test is significant and the uplift positive; a clean "no difference" is also a
  decision.
- Plan visitors and days from the smallest uplift worth detecting; halving it quadruples them.
- Peeking every day and stopping at the first significant day multiplies false winners.
- When versions change the order value, decide on revenue per visitor.

**Next:** `03_campaigns/01_planning.ipynb`: planning a campaign from visitors, conversion and
order value.
""")


def build() -> None:
    nb.write(OUT)


if __name__ == "__main__":
    build()
