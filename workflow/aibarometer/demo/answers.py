"""The answers: generic by the codebook's question type, routed by the codebook.

For each AI block after the first (technologies, see ``technologies.py``), in
questionnaire order, the respondents who reach it (``routing.py``) answer each of its
questions by type: a single-choice question by quotas over its codes, a multiple-
choice option by a quota of ticks, a percentage question (asked only where its
``condition`` holds) by gamma-shaped values with a target mean, a free-text box now
and then with personal details (which ingest must drop). The quotas are per stratum
and adopter group, so the weighted estimates land on the targets of ``targets.py``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from . import technologies
from .context import Context
from .draw import assign, pick, pick_share, solve_by_size, values_with_mean
from .firm import firmographics
from .frame import fake_people
from .routing import Routing, route
from .targets import FreeText, Mean, Single, Ticked, default, targets


class Answers:
    """Fills one column per codebook var for the responses (NaN = not answered)."""

    def __init__(self, ctx: Context, resp: pd.DataFrame, fr: pd.DataFrame):
        self.ctx, self.rng, self.n = ctx, ctx.rng, len(resp)
        self.A = pd.DataFrame(index=resp.index, columns=[i.var for i in ctx.cb.items if i.block != "meta"],
                              dtype=object)
        self.strat = np.stack([[ctx.sectors.index(s) for s in resp["sector"].fillna(fr["sector"])],
                               [ctx.sizes.index(c) for c in resp["size"].fillna(fr["grootteklasse"])]], axis=1)
        # weight N_h / n_h of each response's stratum, for the size shares of solved targets
        pop, n_h = ctx.population(), np.maximum(ctx.usable_counts(), 1)
        self.weight = pop[self.strat[:, 0], self.strat[:, 1]] / n_h[self.strat[:, 0], self.strat[:, 1]]
        self.targets = targets(ctx)

    def target(self, item):
        return self.targets.get(item.var) or default(self.ctx, item)

    def groups(self, rows: np.ndarray, group: str, routing: Routing):
        key = self.strat[rows, 1] if group == "size" else self.strat[rows, 0] * 100 + self.strat[rows, 1]
        key = key * 2 + routing.adopter[rows]
        return [rows[key == g] for g in np.unique(key)]

    def size_shares(self, rows: np.ndarray) -> np.ndarray:
        tot = np.array([self.weight[rows][self.strat[rows, 1] == c].sum() for c in range(len(self.ctx.sizes))])
        return tot / tot.sum() if tot.sum() else np.full(len(tot), 1 / len(tot))

    def fill_block(self, block: str, routing: Routing) -> None:
        rows = routing.rows(block)
        items = self.ctx.cb.block_items(block)
        for item in items:
            target = self.target(item)
            asked = rows
            if item.condition:
                values = self.A[item.condition["var"]].to_numpy()
                asked = rows[np.isin(values[rows], item.condition["in"])]
            if isinstance(target, Single):
                self.single(item, asked, target, routing)
            elif isinstance(target, Ticked):
                self.ticked(item, asked, target, routing)
            elif isinstance(target, Mean):
                self.mean(item, asked, target)
            elif isinstance(target, FreeText):
                self.free_text(item, asked, target)
        self.close_choice(items, rows)

    def single(self, item, rows, t: Single, routing: Routing) -> None:
        codes = list(item.codes)
        w = self.size_shares(rows)
        solved = {code: solve_by_size(t.shares[code], fixed, w) for code, fixed in t.by_size.items()}
        col = np.full(self.n, np.nan, dtype=object)
        for g in self.groups(rows, t.group, routing):
            shares = dict(t.shares if routing.adopter[g[0]] or t.non_adopters is None else t.non_adopters)
            shares |= {code: float(v[self.strat[g[0], 1]]) for code, v in solved.items()}
            col[g] = assign(len(g), _complete(shares, codes), codes, self.rng)
        if t.missing:
            col[pick_share(self.rng, rows, t.missing)] = np.nan
        self.A[item.var] = col

    def ticked(self, item, rows, t: Ticked, routing: Routing) -> None:
        col = np.full(self.n, np.nan, dtype=object)
        if not t.exclusive:
            for g in self.groups(rows, "stratum", routing):
                rate = t.rate if not isinstance(t.rate, dict) else \
                    t.rate.get(self.ctx.sectors[self.strat[g[0], 0]], np.mean(list(t.rate.values())))
                col[pick_share(self.rng, g, rate / 100)] = next(iter(item.codes))
        self.A[item.var] = col

    def close_choice(self, items, rows) -> None:
        """A fallback option for who ticked nothing, then an exclusive one for who still did not."""
        multi = [i for i in items if i.type == "multi"]
        for kind in ("fallback", "exclusive"):
            for item in multi:
                t = self.target(item)
                if getattr(t, kind, False):
                    others = [i.var for i in multi if i is not item and not getattr(self.target(i), "exclusive", False)]
                    nothing = rows[self.A.loc[rows, others].isna().all(axis=1).to_numpy()]
                    self.A.loc[nothing, item.var] = next(iter(item.codes))

    def mean(self, item, rows, t: Mean) -> None:
        col = np.full(self.n, np.nan, dtype=object)
        if isinstance(t.mean, dict):  # per answer of the question this one depends on
            parent = self.A[item.condition["var"]].to_numpy()
            parts = [(rows[parent[rows] == code], m) for code, m in t.mean.items()]
        else:
            by_size = solve_by_size(t.mean, t.by_size, self.size_shares(rows))
            parts = [(rows[self.strat[rows, 1] == c], m) for c, m in enumerate(by_size)]
        for part, m in parts:
            col[part] = values_with_mean(self.rng, m, len(part), t.shape, t.low)
        if t.missing:
            col[pick_share(self.rng, rows, t.missing)] = np.nan
        self.A[item.var] = col

    def free_text(self, item, rows, t: FreeText) -> None:
        col = np.full(self.n, np.nan, dtype=object)
        people = fake_people(self.rng, self.n)
        for k in pick(self.rng, rows, t.count):
            first, last = people.at[k, "first"], people.at[k, "last"]
            col[k] = f"Bel gerust: {first} {last}, +32 470 {k:02d} {k % 97:02d} 00" if t.style == "phone" \
                else f"{first} {last} <{people.at[k, 'email']}>"
        self.A[item.var] = col


def _complete(shares: dict[int, float], codes: list[int]) -> list[float]:
    """Percentages for every code: the remainder shared by the codes left out."""
    rest = [c for c in codes if c not in shares]
    left = max(100.0 - sum(shares.values()), 0.0)
    return [shares.get(c, left / len(rest) if rest else 0.0) for c in codes]


def answers(ctx: Context, resp: pd.DataFrame, fr: pd.DataFrame) -> tuple[pd.DataFrame, Routing]:
    """Answer codes per response keyed by codebook var, and who reached which block."""
    ans = Answers(ctx, resp, fr)
    for var, values in firmographics(ctx, resp, fr).items():
        ans.A[var] = values
    rules = resp["rules"].to_numpy()
    answering = np.flatnonzero(~np.isin(rules, ["c", "a,c", "b,c"]))  # (a, b, d) answer like usable ones
    tech = technologies.draw(ctx, answering, ans.strat, ans.n)
    for var, col in tech.items():
        ans.A[var] = col
    if ctx.panel is not None:
        _persist(ctx, ans, resp, fr, list(tech))
    uses = {i.var: next(iter(i.codes)) for i in ctx.cb.technology_items}
    adopter = np.column_stack([ans.A[v].to_numpy() == code for v, code in uses.items()]).any(1)
    routing = route(ctx, resp["rule"].to_numpy(), adopter, answering)
    if routing.blocks[0] != ctx.cb.technology_items[0].block:
        raise RuntimeError("the demo generator expects the technologies block first among the AI blocks")
    for block in routing.blocks[1:]:
        ans.fill_block(block, routing)
    complete = np.flatnonzero(routing.complete)
    for block in dict.fromkeys(i.block for i in ctx.cb.items):
        if block not in ctx.cb.ai_blocks and block not in ("meta", "firm"):
            _fill_rows(ans, block, complete)
    return ans.A, routing


def _persist(ctx: Context, ans: Answers, resp: pd.DataFrame, fr: pd.DataFrame, tech_vars: list[str]) -> None:
    """A firm that answered the earlier wave answers the technology questions as it did then,
    with the register's ``persist`` probability (demo/register.py): AI use persists."""
    from .register import REGISTER

    persist = {**REGISTER, **ctx.p.register}["persist"]
    panel = ctx.panel.set_index("enterprise")
    usable = (resp["rule"] == "").to_numpy()
    firms = fr["ondernemingsnummer"].to_numpy()
    rng = np.random.default_rng(ctx.p.seed + 7)  # a generator of its own: the other draws stay as they were
    for k in np.flatnonzero(usable & np.isin(firms, panel.index)):
        if rng.random() < persist:
            for var in tech_vars:
                if var in panel.columns:
                    ans.A.iat[k, ans.A.columns.get_loc(var)] = panel.at[firms[k], var]


def _fill_rows(ans: Answers, block: str, rows: np.ndarray) -> None:
    """Blocks outside the AI questions (closing remarks): answered by who completed them."""
    for item in ans.ctx.cb.block_items(block):
        t = ans.target(item)
        if isinstance(t, FreeText):
            ans.free_text(item, rows, t)
