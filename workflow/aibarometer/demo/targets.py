"""Where the 2021 calibration lives: what the answers to each question aim at.

A *target* per codebook var, taken from the published report (the reference file) where
it publishes the number and set by hand where it does not (marked "not published"):

* ``Single``: percentages per answer code, for adopters and non-adopters apart, per
  size class where the report gives one (the other classes are solved so the overall
  share holds);
* ``Ticked``: the percentage ticking a multiple-choice option, overall or per sector;
  an *exclusive* option ("none of these") is ticked exactly when nothing else is, a
  *fallback* option also when nothing else is (every adopter got its AI somewhere);
* ``Mean``: the mean of a percentage question, per answer of the question it depends on
  or per size class;
* ``FreeText``: how many respondents leave personal details in a free-text box.

A question without a target gets the documented default of ``default()``, and a
wave's ``rates`` (params.py) override one: a new question needs no code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .context import Context

DEFAULT_TICKED = 20.0  # % ticking an option the reference does not publish
DEFAULT_MEAN = 10.0  # mean of a percentage question the reference does not publish
DEFAULT_DONT_KNOW = 2.0  # % answering a "weet niet" code
DEFAULT_FREE_TEXT = 50  # respondents writing personal details in an unknown free-text box


@dataclass
class Single:
    shares: dict[int, float]  # % per code; codes left out share the remainder equally
    non_adopters: dict[int, float] | None = None  # None: as ``shares``
    by_size: dict[int, dict[int, float]] = field(default_factory=dict)  # code -> {size index: %}
    group: str = "stratum"  # quotas per stratum, or per size class only ("size")
    missing: float = 0.0  # share left unanswered by those who reached the question


@dataclass
class Ticked:
    rate: float | dict[str, float]  # %, or % per sector code
    exclusive: bool = False
    fallback: bool = False


@dataclass
class Mean:
    mean: float | dict[int, float]  # overall, or per code of the question it depends on
    by_size: dict[int, float] = field(default_factory=dict)  # size index -> mean; the rest solved
    shape: float = 2.0  # gamma shape of the values
    low: int = 0
    missing: float = 0.0


@dataclass
class FreeText:
    style: str  # "phone" (a name and a phone number) or "email" (a name and an address)
    count: int


def default(ctx: Context, item):
    """The target of a question the reference and the wave do not cover."""
    rate = ctx.p.rates.get(item.var)
    if item.type == "multi":
        return Ticked(DEFAULT_TICKED if rate is None else rate)
    if item.type == "percentage":
        return Mean(DEFAULT_MEAN)
    if item.type == "text":
        return FreeText("email", DEFAULT_FREE_TEXT) if item.personal else None
    dk = {c: DEFAULT_DONT_KNOW for c in item.codes if c in ctx.cb.dont_know_codes}
    return Single({**dk, next(iter(item.codes)): rate} if rate is not None else dk)


def targets(ctx: Context) -> dict:
    """var -> target, for every question the 2021 report publishes (or we set by hand)."""
    ref = ctx.ref
    out = {f"barrier_{k}": Single({1: a, 2: 100 - a}, {1: n, 2: 100 - n}, missing=0.005)
           for k, (a, n) in ref["figure4_barriers"].items()}
    out |= _knowledge(ref)
    t5 = ref["table5_applications_by_sector"]
    out |= {f"app_{c}": Ticked({s: t5[s][k] for s in ctx.sectors}) for k, c in enumerate(t5["columns"])}
    out["app_none"] = Ticked(0.0, exclusive=True)
    out |= _sources(ref)
    out["budget_change"] = Single({1: 2.4, 2: 6.5, 3: 58.0, 4: 26.1, 5: 4.0, 9: 3.0})  # partly not published
    out |= _impact(ref)
    f12 = ref["figure12_policy"]
    out["knows_action_plan"] = Single({1: f12["knows_action_plan"], 2: 100 - f12["knows_action_plan"]})
    initiatives = {"federation_sessions": (f12["federation_sessions_participated"],
                                           f12["federation_sessions_known_not_participated"]),
                   # not published
                   "vlaio_projects": (1.8, 10.5), "research_valorisation": (0.9, 8.2), "training": (1.2, 9.4),
                   "ethics_centre": (0.5, 6.3)}
    out |= {f"init_{k}": Single({1: a, 2: b}, missing=0.004) for k, (a, b) in initiatives.items()}
    out["remarks"] = FreeText("phone", 60)
    out["contact_for_results"] = FreeText("email", 180)
    for var, rate in ctx.p.rates.items():  # a wave's own rate for a published option
        if isinstance(out.get(var), Ticked):
            out[var] = Ticked(rate, out[var].exclusive, out[var].fallback)
    return out


def _knowledge(ref: dict) -> dict:
    """Figure 5 publishes four gaps of adopters and one of non-adopters; the rest is set
    by hand. Codes: 1 large gap, 2 some, 3 none, 9 don't know."""
    f5 = ref["figure5_knowledge_gaps"]
    adopters = {"basic_data_analytics": 30.0, "ai_technical": 41.0, "profitability": 39.0, **f5["adopters"]}
    non = {"ai_technical": 74.0, "ai_landscape": 72.0, "technical_feasibility": 71.0,
           "business_to_technical_specs": 70.0, "legal_ethical": 73.0, "profitability": 69.0, **f5["non_adopters"]}

    def shares(big: float, none: float | None = None) -> dict[int, float]:
        return {1: big, 3: (100 - big) * 0.38 if none is None else none, 9: DEFAULT_DONT_KNOW}
    return {f"gap_{k}": Single(shares(adopters[k], 42.4 if k == "technical_feasibility" else None),
                               shares(non[k]), missing=0.01) for k in adopters}


def _sources(ref: dict) -> dict:
    """Figure 7; the two 'modified' sources are published only together (about 38-39%).
    Who ticks nothing else bought ready-made, so that option is drawn at a rate that
    lands on its published share once those respondents are added."""
    f7 = ref["figure7_sources"]
    rates = {"in_house": f7["developed_in_house"], "modified_commercial": 27.0, "modified_open_source": 17.5,
             "external_provider": f7["external_provider_developed"]}
    q_none = 1.0
    for v in rates.values():
        q_none *= 1 - v / 100
    target = f7["bought_ready_made_commercial"] / 100
    out = {f"source_{k}": Ticked(v) for k, v in rates.items()}
    out["source_ready_made_commercial"] = Ticked(100 * (target - q_none) / (1 - q_none), fallback=True)
    return out


def _impact(ref: dict) -> dict:
    """Figures 9-11: shares overall with the size classes the report singles out, and
    the mean percentages (micro firms' means published, the others solved)."""
    out = {}
    f9 = ref["figure9_competitiveness"]
    for var, key, mean_key in (("comp_new_products", "new_or_improved_products", "mean_turnover_share"),
                               ("comp_process_quality", "process_quality", "mean_turnover_increase"),
                               ("comp_cost_reduction", "cost_reduction", "mean_cost_reduction")):
        out[var] = Single({1: f9[key]["share"], 2: 100 - f9[key]["share"]}, group="size")
        out[f"{var}_pct"] = Mean(f9[key][mean_key], by_size={0: f9[key]["micro_mean"]}, missing=0.03)
    # size-class values (index 1 small, 2 medium, 3 large) and means of the changes: not published
    for var, fig, dec_size, inc_size, dec_mean, inc_mean in (
            ("emp_low_educated", "figure10_employment_low_educated", {3: 9.9}, {1: 7.5}, 9.5, 13.6),
            ("emp_high_educated", "figure11_employment_high_educated", {3: 5.2}, {3: 28.0, 2: 18.7}, 9.4, 7.0)):
        f = ref[fig]
        out[var] = Single({1: f["decrease"], 3: f["increase"], 9: 0.0}, by_size={1: dec_size, 3: inc_size},
                          group="size")
        out[f"{var}_pct"] = Mean({1: dec_mean, 3: inc_mean}, shape=2.5, low=1)
    return out
