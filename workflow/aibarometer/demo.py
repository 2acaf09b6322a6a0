"""Seeded generator of the SYNTHETIC demo waves.

There is no real microdata. This module writes a sample frame, population counts
and a raw survey export that look and misbehave like a real wave (exclusions,
break-offs, item non-response, answers that disagree with the frame, stray
whitespace, personal data), calibrated to the numbers the 2021 AI-Barometer
publishes (resources/reference/ai-barometer-2021.yaml).

Calibration uses *quotas*: within each stratum (and adopter group) the number of
respondents giving an answer is the expected count, stochastically rounded, so
the weighted estimates land close to their targets while every individual
answer is still random. Per-stratum technology rates come from raking the
published by-sector (Table 3) and by-size (Table 4) rates to both margins.

Usage::

    python -m aibarometer.demo --wave 2021 --out resources/demo/2021
    python -m aibarometer.demo --wave 2021 --out /tmp/x --formats legacy,single,sav

All personal values are obviously fake: names start with "Demo-" or end in
"-fictief", e-mail addresses are at example.be/example.org, IP addresses come
from the documentation ranges (RFC 5737).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from . import enterprise
from .config import Codebook, load_codebook, load_config
from .strata import Strata

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "resources" / "reference" / "ai-barometer-2021.yaml"
TECHS = ["text_mining", "speech", "nlg", "image", "machine_learning", "process_automation", "autonomous"]
SIZES = ["micro", "small", "medium", "large"]

# ---------------------------------------------------------------------------
# Wave parameters. 2021 follows the published report; later demo waves are
# documented departures from it (see WAVES below).


@dataclass
class WaveParams:
    year: int
    seed: int
    fieldwork: tuple[str, str]
    # exclusions counted under their first rule (a, b, c, d) and extra overlaps
    exclusions: dict[str, int] = field(default_factory=lambda: {"a": 170, "b": 118, "c": 662, "d": 74})
    overlap_a_c: int = 30  # of the (a) exclusions, also no AI question answered
    overlap_b_c: int = 12
    # block bases among usable responses (the figures' N in 2021)
    stop_after_tech: int = 89  # 1717 - 1628
    knowledge_skipped: int = 394  # 1628 - 1234
    # adopters answering apps, sources, budget, impact; None: shares of the adopters
    adopter_chain: tuple[int, int, int, int] | None = (555, 545, 540, 532)
    policy_answered: int | None = 1559  # None: all but 2% of the non-adopters who reached that far
    # multiplicative odds factor on technology use (1 = as published in 2021)
    adoption_odds: float = 1.0
    # mean number of technologies per adopter, by size class
    k_mean: dict[str, float] = field(default_factory=lambda: {"micro": 1.75, "small": 1.85, "medium": 1.95, "large": 2.3})
    # usable responses per stratum: None = Table 2 of the reference; else a factor per size class
    usable_factor: dict[str, float] | None = None
    frame_disagree_share: float = 0.06
    codebook: str = "config/codebook.yaml"
    population_factor: float = 1.0  # population counts relative to 2021
    undeliverable: int | None = None  # None: as published for 2021
    extra_app_rates: dict[str, float] = field(default_factory=dict)  # options not in the 2021 questionnaire


WAVES = {
    "2021": WaveParams(year=2021, seed=20210503, fieldwork=("2021-05-03", "2021-08-31")),
    # 2023: a documented departure from 2021, to exercise the workflow on a second wave:
    # higher adoption (odds x1.6), fewer micro and more large respondents, a 3% larger
    # population, fewer bounced e-mails, a smaller exclusion split, and a questionnaire
    # with one new answer option (generative AI among the applications).
    "2023": WaveParams(
        year=2023, seed=20230502, fieldwork=("2023-05-02", "2023-08-25"),
        exclusions={"a": 150, "b": 96, "c": 590, "d": 58}, overlap_a_c=25, overlap_b_c=10,
        stop_after_tech=70, knowledge_skipped=330, adopter_chain=None, policy_answered=None,
        adoption_odds=1.6, usable_factor={"micro": 0.8, "small": 1.05, "medium": 1.0, "large": 1.2},
        codebook="config/codebook-2023.yaml", population_factor=1.03, undeliverable=1402,
        extra_app_rates={"generative_content": 26.0}),
}
CHAIN_SHARES = (0.975, 0.96, 0.95, 0.94)


# ---------------------------------------------------------------------------
# small random helpers


def stoch_round(x: np.ndarray | float, rng: np.random.Generator) -> np.ndarray:
    """Unbiased stochastic rounding: floor(x) + Bernoulli(frac(x))."""
    x = np.asarray(x, dtype=float)
    low = np.floor(x)
    return (low + (rng.random(x.shape) < (x - low))).astype(int)


def split_counts(n: int, probs: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Counts per category summing to n, each close to n*p (systematic rounding from a random start)."""
    probs = np.asarray(probs, dtype=float)
    probs = probs / probs.sum()
    cum = np.concatenate([[0.0], np.cumsum(probs) * n])
    start = rng.random()
    edges = np.floor(cum - start + 1.0).astype(int)
    edges[0], edges[-1] = 0, n
    return np.diff(edges)


def assign(n: int, probs, codes, rng: np.random.Generator) -> np.ndarray:
    """An array of n codes whose counts follow probs (quota), in random order."""
    counts = split_counts(n, np.asarray(probs, dtype=float), rng)
    out = np.repeat(np.asarray(codes), counts)
    rng.shuffle(out)
    return out


def pick(rng: np.random.Generator, idx: np.ndarray, k: int, weights: np.ndarray | None = None) -> np.ndarray:
    """k elements of idx without replacement, with probability proportional to weights."""
    k = int(min(k, len(idx)))
    if k <= 0:
        return idx[:0]
    if weights is None:
        return rng.choice(idx, size=k, replace=False)
    keys = np.log(np.maximum(weights, 1e-12)) + rng.gumbel(size=len(idx))
    return idx[np.argsort(-keys, kind="stable")[:k]]


def logit(p):
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def expit(x):
    return 1 / (1 + np.exp(-x))


# ---------------------------------------------------------------------------
# calibration targets from the reference


def load_reference(path: Path = REFERENCE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def rake_rates(pop: np.ndarray, sector_t: np.ndarray, size_t: np.ndarray, iters: int = 200) -> np.ndarray:
    """Per-stratum rates (sector x size) whose population-weighted margins hit both targets.

    pop: (S, C) population counts; sector_t: (S,) target rate per sector; size_t: (C,).
    Iterative proportional fitting on the logit scale.
    """
    S, C = pop.shape
    eta = np.zeros((S, C))
    for _ in range(iters):
        p = expit(eta)
        cur = (pop * p).sum(1) / pop.sum(1)
        eta += (logit(sector_t) - logit(cur))[:, None]
        p = expit(eta)
        cur = (pop * p).sum(0) / pop.sum(0)
        eta += (logit(size_t) - logit(cur))[None, :]
    return expit(eta)


def tilt(base: np.ndarray, target_mean: float) -> np.ndarray:
    """Exponentially tilt a distribution over 1..K to a target mean."""
    k = np.arange(1, len(base) + 1)
    lo, hi = -5.0, 5.0
    for _ in range(80):
        mid = (lo + hi) / 2
        q = base * np.exp(mid * k)
        q /= q.sum()
        if (q * k).sum() < target_mean:
            lo = mid
        else:
            hi = mid
    return q


# ---------------------------------------------------------------------------
# fake identities

FIRST = ["An", "Bart", "Els", "Tom", "Lies", "Pieter", "Sofie", "Koen", "Nathalie", "Wim", "Ine", "Joris",
         "Katrien", "Dirk", "Hanne", "Stijn", "Veerle", "Geert", "Leen", "Bram"]
LAST = ["Testmans", "Voorbeeldt", "Fictiefs", "Proefkens", "Nepaert", "Staalens", "Schijnaerts", "Demoens",
        "Namaeckers", "Verzinsel", "Placeboom", "Dummyns"]


def fake_people(rng: np.random.Generator, n: int) -> pd.DataFrame:
    first = np.array(["Demo-" + f for f in FIRST])[rng.integers(0, len(FIRST), n)]
    last = np.array([l + "-fictief" for l in LAST])[rng.integers(0, len(LAST), n)]
    serial = np.arange(n)
    email = [f"{f[5:].lower()}.{l[:-8].lower()}.{s:05d}@example.{'be' if s % 3 else 'org'}"
             for f, l, s in zip(first, last, serial)]
    return pd.DataFrame({"first": first, "last": last, "email": email})


# ---------------------------------------------------------------------------
# the generator


@dataclass
class DemoWave:
    frame: pd.DataFrame
    population: pd.DataFrame
    export: pd.DataFrame  # columns = codebook columns, values as the tool writes them (strings)
    intended: pd.DataFrame  # per response: the exclusion rule the generator intended ('' = usable) and stratum


class Generator:
    def __init__(self, params: WaveParams, config: dict, codebook: Codebook, reference: dict):
        self.p = params
        self.cfg = config
        self.cb = codebook
        self.ref = reference
        self.rng = np.random.default_rng(params.seed)
        self.strata = Strata(config["strata"])
        self.S = len(self.strata.sector_codes)
        self.C = len(SIZES)

    # -- design -------------------------------------------------------------
    def _matrix(self, key: str) -> np.ndarray:
        t = self.ref[key]
        return np.array([t[c] for c in SIZES], dtype=int).T  # (S, C)

    def population(self) -> pd.DataFrame:
        pop = self._population()
        rows = [{"sector": s, "size_class": c, "population": int(pop[i, j])}
                for j, c in enumerate(SIZES) for i, s in enumerate(self.strata.sector_codes)]
        return pd.DataFrame(rows)

    def _population(self) -> np.ndarray:
        pop = self._matrix("table1_population")
        return np.round(pop * self.p.population_factor).astype(int) if self.p.population_factor != 1 else pop

    def frame(self) -> pd.DataFrame:
        rng = self.rng
        sample = self._matrix("table1_sample")
        total = int(sample.sum())
        first8 = rng.choice(np.arange(2_000_000, 19_999_999), size=total, replace=False)
        numbers = [enterprise.make(int(f)) for f in first8]
        sectors, sizes, naces, emps = [], [], [], []
        for j, c in enumerate(SIZES):
            for i, s in enumerate(self.strata.sector_codes):
                n = int(sample[i, j])
                sectors += [s] * n
                sizes += [c] * n
                naces += self._draw_nace(s, n)
                emps += list(self._draw_employees(c, n))
        people = fake_people(rng, total)
        undeliverable = np.zeros(total, bool)
        undeliverable[rng.choice(total, size=int(self.p.undeliverable or self.ref["response_flow"]["undeliverable_email"]), replace=False)] = True
        return pd.DataFrame({
            "ondernemingsnummer": [enterprise.dotted(x) for x in numbers],
            "naam": [f"Voorbeeldbedrijf {k:05d} BV (fictief)" for k in range(total)],
            "nace": naces,
            "werknemers": emps,
            "sector": sectors,
            "grootteklasse": sizes,
            "contactpersoon": people["first"] + " " + people["last"],
            "email": people["email"],
            "email_status": np.where(undeliverable, "onbestelbaar", "afgeleverd"),
        })

    def _draw_nace(self, sector: str, n: int) -> list[str]:
        sec = next(s for s in self.strata.sectors if s.code == sector)
        divisions = [d for lo, hi in sec.ranges for d in range(int(lo), int(hi) + 1)]
        out = []
        for _ in range(n):
            if sec.prefixes and self.rng.random() < 0.03:
                out.append(f"{sec.prefixes[0]}{self.rng.integers(1, 3)}")
            else:
                d = divisions[self.rng.integers(0, len(divisions))]
                out.append(f"{d:02d}.{self.rng.integers(1, 10)}{self.rng.integers(0, 10)}")
        return out

    def _draw_employees(self, size: str, n: int) -> np.ndarray:
        c = next(x for x in self.strata.size_classes if x.code == size)
        lo = c.min
        hi = c.max if c.max is not None else 20000
        if c.max is None:
            return np.minimum(lo + self.rng.lognormal(5.0, 1.0, n).astype(int), hi)
        # skewed towards the lower end, as real size distributions are
        u = self.rng.random(n) ** 1.8
        return (lo + np.floor(u * (hi - lo + 1))).astype(int)

    # -- the answers ----------------------------------------------------------
    def tech_rates(self) -> np.ndarray:
        """(S, C, T) probability of using each technology, raked to Tables 3 and 4."""
        pop = self._population().astype(float)
        t3 = np.array([self.ref["table3_adoption_by_sector"][s] for s in self.strata.sector_codes]) / 100
        t4 = np.array([self.ref["table4_adoption_by_size"][c] for c in SIZES]) / 100
        out = np.stack([rake_rates(pop, t3[:, t], t4[:, t]) for t in range(len(TECHS))], axis=-1)
        if self.p.adoption_odds != 1.0:
            out = expit(logit(out) + np.log(self.p.adoption_odds))
        return out

    def usable_counts(self) -> np.ndarray:
        n = self._matrix("table2_responses")
        if self.p.usable_factor:
            f = np.array([self.p.usable_factor[c] for c in SIZES])
            n = np.maximum(1, np.round(n * f[None, :])).astype(int)
        return n

    def generate(self) -> DemoWave:
        rng = self.rng
        cb = self.cb
        frame = self.frame()
        population = self.population()
        n_usable = self.usable_counts()
        reached = frame.index[frame["email_status"] == "afgeleverd"].to_numpy()
        free = np.ones(len(frame), bool)
        free[frame["email_status"] != "afgeleverd"] = False
        key = frame["sector"] + "|" + frame["grootteklasse"]

        recs: list[dict] = []  # one dict per response: frame row, intended stratum, rule

        # usable responses, stratum by the answers
        for j, c in enumerate(SIZES):
            for i, s in enumerate(self.strata.sector_codes):
                need = int(n_usable[i, j])
                same = reached[(key.iloc[reached] == f"{s}|{c}").to_numpy() & free[reached]]
                n_dis = int(stoch_round(need * self.p.frame_disagree_share, rng)) if need >= 8 else 0
                neighbours = [SIZES[k] for k in (j - 1, j + 1) if 0 <= k < len(SIZES)]
                other = reached[key.iloc[reached].isin([f"{s}|{x}" for x in neighbours]).to_numpy() & free[reached]]
                dis = pick(rng, other, n_dis)
                chosen = np.concatenate([pick(rng, same, need - len(dis)), dis])
                if len(chosen) < need:
                    raise RuntimeError(f"stratum {s}|{c}: frame too small for {need} usable responses")
                free[chosen] = False
                for r in chosen:
                    recs.append({"frame_row": int(r), "sector": s, "size": c, "rule": "", "rules": ""})

        # excluded responses
        ex = self.p.exclusions
        pool = reached[free[reached]]
        micro_pool = pool[(frame["grootteklasse"].iloc[pool] == "micro").to_numpy()]
        a_rows = pick(rng, micro_pool, int(ex["a"] * 0.8))  # (a): mostly micro firms in the frame
        free[a_rows] = False
        pool = reached[free[reached]]
        a_rows = np.concatenate([a_rows, pick(rng, pool, ex["a"] - len(a_rows))])
        free[a_rows] = False
        for k, r in enumerate(a_rows):
            both = k < self.p.overlap_a_c
            recs.append({"frame_row": int(r), "sector": None, "size": None, "rule": "a", "rules": "a,c" if both else "a"})
        pool = reached[free[reached]]
        b_rows = pick(rng, pool, ex["b"])
        free[b_rows] = False
        for k, r in enumerate(b_rows):
            both = k < self.p.overlap_b_c
            recs.append({"frame_row": int(r), "sector": None, "size": None, "rule": "b", "rules": "b,c" if both else "b"})
        pool = reached[free[reached]]
        c_rows = pick(rng, pool, ex["c"])
        free[c_rows] = False
        for r in c_rows:
            recs.append({"frame_row": int(r), "sector": None, "size": None, "rule": "c", "rules": "c"})
        # (d): a second response for an enterprise that already answered, under
        # another invitation; the duplicate reports the other enterprise's number
        usable_idx = [k for k, r in enumerate(recs) if r["rule"] == ""]
        twins = rng.choice(usable_idx, size=ex["d"], replace=False)
        for t in twins:
            sector = recs[t]["sector"]
            cand = reached[free[reached] & (frame["sector"].iloc[reached] == sector).to_numpy()]
            if len(cand) == 0:
                cand = reached[free[reached]]
            r = int(pick(rng, cand, 1)[0])
            free[r] = False
            recs.append({"frame_row": r, "sector": sector, "size": recs[t]["size"], "rule": "d", "rules": "d",
                         "twin_of": int(t)})

        resp = pd.DataFrame(recs)
        resp["twin_of"] = resp.get("twin_of", pd.Series(np.nan, index=resp.index))
        answers = self._answers(resp, frame)
        export = self._export(resp, frame, answers)
        # shuffle the response order as a survey tool would (by recorded date)
        order = np.argsort(export["RecordedDate"].to_numpy(), kind="stable")
        export = export.iloc[order].reset_index(drop=True)
        intended = pd.DataFrame({
            "ResponseId": export["ResponseId"],
            "rule": resp["rule"].to_numpy()[order],
            "rules": resp["rules"].to_numpy()[order],
            "sector": resp["sector"].to_numpy()[order],
            "size_class": resp["size"].to_numpy()[order],
        })
        export, intended = self._plant_not_real(export, intended, frame, resp)
        return DemoWave(frame=frame, population=population, export=export, intended=intended)

    def _plant_not_real(self, export: pd.DataFrame, intended: pd.DataFrame, frame: pd.DataFrame,
                        resp: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Rows a real export holds that are no answers (exclusion rule v): three previews
        from before the fieldwork and two test responses (no invitation, as the survey
        editor makes them), two responses recorded after the fieldwork closed and one
        whose end lies before its start. Drawn with a generator of their own, so every
        other row stays as it was; the published counts (2,741 responses) are unchanged."""
        rng = np.random.default_rng(self.p.seed + 2)
        fmt = "%Y-%m-%d %H:%M:%S"
        start0, end0 = pd.Timestamp(self.p.fieldwork[0]), pd.Timestamp(self.p.fieldwork[1])
        usable_rows = np.flatnonzero(intended["rule"].to_numpy() == "")
        answered = set(frame.iloc[resp["frame_row"].to_numpy()]["ondernemingsnummer"])
        idle = frame[(frame["email_status"] == "afgeleverd") & ~frame["ondernemingsnummer"].isin(answered)]
        idle = idle.iloc[rng.choice(len(idle), 3, replace=False)]
        taken = set(export["ResponseId"])
        alphabet = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"))
        rows = []
        plan = [("1", start0 - pd.Timedelta(days=d), None) for d in (5, 4, 2)] + \
               [("2", start0 + pd.Timedelta(days=d), None) for d in (1, 30)] + \
               [("0", end0 + pd.Timedelta(days=d), idle.iloc[k]) for k, d in ((0, 2), (1, 9))] + \
               [("0", start0 + pd.Timedelta(days=40), idle.iloc[2])]
        for k, (status, day, firm) in enumerate(plan):
            row = export.iloc[int(rng.choice(usable_rows))].copy()
            t0 = day + pd.Timedelta(hours=9, seconds=int(rng.integers(0, 8 * 3600)))
            dur = int(rng.integers(300, 1500))
            t1 = t0 - pd.Timedelta(seconds=dur) if k == len(plan) - 1 else t0 + pd.Timedelta(seconds=dur)
            row["StartDate"], row["EndDate"], row["RecordedDate"] = t0.strftime(fmt), t1.strftime(fmt), t1.strftime(fmt)
            row["Status"], row["Duration (in seconds)"], row["Progress"], row["Finished"] = status, str(dur), "100", "1"
            rid = "R_" + "".join(rng.choice(alphabet, 15))
            while rid in taken:
                rid = "R_" + "".join(rng.choice(alphabet, 15))
            taken.add(rid)
            row["ResponseId"] = rid
            if firm is None:  # a preview or test from the survey editor: no invitation, no recipient
                for c in ("ExternalReference", "RecipientLastName", "RecipientFirstName", "RecipientEmail", "Q1",
                          "LocationLatitude", "LocationLongitude"):
                    row[c] = ""
                row["DistributionChannel"] = "preview" if status == "1" else "test"
            else:
                first, last = firm["contactpersoon"].split(" ")[:2]
                row["ExternalReference"] = firm["ondernemingsnummer"].replace(".", "")
                row["RecipientFirstName"], row["RecipientLastName"] = first, last
                row["RecipientEmail"] = firm["email"]
                row["Q1"] = ""
            rows.append(row)
        planted = pd.DataFrame(rows)
        export = pd.concat([export, planted], ignore_index=True)
        intended = pd.concat([intended, pd.DataFrame({"ResponseId": planted["ResponseId"], "rule": "v", "rules": "v",
                                                      "sector": "", "size_class": ""})], ignore_index=True)
        order = np.argsort(export["RecordedDate"].to_numpy(), kind="stable")
        return export.iloc[order].reset_index(drop=True), intended.iloc[order].reset_index(drop=True)

    # ------------------------------------------------------------------------
    def _answers(self, resp: pd.DataFrame, frame: pd.DataFrame) -> pd.DataFrame:
        """Answer codes per response, keyed by codebook var (NaN = not answered)."""
        rng = self.rng
        n = len(resp)
        A = pd.DataFrame(index=resp.index, columns=[i.var for i in self.cb.items if i.block != "meta"], dtype=object)
        usable = (resp["rule"] == "").to_numpy()
        fr = frame.iloc[resp["frame_row"].to_numpy()].reset_index(drop=True)

        # --- firmographics
        enterprise_no = fr["ondernemingsnummer"].to_numpy().astype(object)
        emp = fr["werknemers"].to_numpy().astype(float)
        nace = fr["nace"].to_numpy().astype(object)
        for k in np.flatnonzero(usable):
            s, c = resp.at[k, "sector"], resp.at[k, "size"]
            if fr.at[k, "grootteklasse"] != c:  # answer disagrees with the frame
                emp[k] = self._draw_employees(c, 1)[0]
            elif rng.random() < 0.5:  # same class, a slightly different count than the frame
                cls = next(x for x in self.strata.size_classes if x.code == c)
                emp[k] = np.clip(emp[k] + rng.integers(-2, 3), cls.min, cls.max if cls.max else 10**6)
            if fr.at[k, "sector"] != s:
                nace[k] = self._draw_nace(s, 1)[0]
        rule = resp["rule"].to_numpy()
        emp[rule == "a"] = rng.integers(1, 5, (rule == "a").sum())
        out_of_scope = ["01.13", "01.50", "02.10", "64.19", "65.12", "66.19", "84.11",
                        "85.31", "86.10", "86.21", "87.10", "88.91", "90.01", "93.12", "94.99", "96.02"]
        nb = (rule == "b").sum()
        nace[rule == "b"] = np.array(out_of_scope)[rng.integers(0, len(out_of_scope), nb)]
        # duplicates report the enterprise number of their twin
        for k in np.flatnonzero(rule == "d"):
            enterprise_no[k] = enterprise_no[int(resp.at[k, "twin_of"])]
        # formatting noise: plain digits, dots, BE prefix, stray whitespace
        fmt = rng.integers(0, 10, n)
        shown = []
        for k in range(n):
            digits = enterprise.normalise(enterprise_no[k])
            f = fmt[k]
            shown.append(digits if f < 4 else enterprise.dotted(digits) if f < 7 else
                          ("BE" + digits) if f < 8 else f" {enterprise.dotted(digits)} ")
        A["enterprise_number"] = shown
        A["employees"] = emp.astype(int).astype(object)
        # noise: a leading space, or the dot left out -- only where the frame's code for the
        # firm settles a four-digit code (else ingest rightly stops on it: 1500 = 15.00 or 01.50?)
        frame_div = fr["nace"].str[:2].to_numpy()

        def written(k: int, x: str) -> str:
            if rng.random() < 0.03:
                return f" {x}"
            if rng.random() < 0.1 and (x[:2] == frame_div[k] or x[0] in "04"):
                return x.replace(".", "")
            return x
        A["nace"] = [written(k, x) for k, x in enumerate(nace)]
        # some usable respondents skip a firmographic question (frame values are then used)
        same_stratum = usable & (fr["grootteklasse"].to_numpy() == resp["size"].to_numpy()) & \
            (fr["sector"].to_numpy() == resp["sector"].to_numpy())
        cand = np.flatnonzero(same_stratum)
        A.loc[pick(rng, cand, 25), "employees"] = np.nan
        A.loc[pick(rng, cand, 12), "nace"] = np.nan
        A.loc[pick(rng, np.flatnonzero(usable), 40), "enterprise_number"] = np.nan
        A.loc[rule == "d", "enterprise_number"] = [shown[k] for k in np.flatnonzero(rule == "d")]

        # --- who answers which block
        ai_answered = ~np.isin(resp["rules"].to_numpy(), ["c", "a,c", "b,c"])
        # excluded-but-answered responses (a, b, d) get answers like usable ones
        answering = np.flatnonzero(ai_answered)
        strat_idx = self._strata_for(resp, fr)

        adopter = np.zeros(n, bool)
        uses = np.zeros((n, len(TECHS)), bool)
        plans = np.zeros((n, len(TECHS)), bool)
        rates = self.tech_rates()
        base_k = np.array([.487, .263, .159, .055, .024, .008, .004])
        strat_key = strat_idx[:, 0] * 10 + strat_idx[:, 1]
        groups = [(divmod(int(k), 10), rows) for k, rows in pd.Series(answering).groupby(strat_key[answering])]
        for (si, ci), rows in groups:
            rows = rows.to_numpy()
            p = rates[si, ci]
            kdist = tilt(base_k, self.p.k_mean[SIZES[ci]])
            kmean = (kdist * np.arange(1, 8)).sum()
            a = int(stoch_round(len(rows) * min(0.95, p.sum() / kmean), rng))
            a = max(a, 0)
            adopters = pick(rng, rows, a)
            if a == 0:
                continue
            k = assign(a, kdist, np.arange(1, 8), rng)
            M = int(k.sum())
            m = np.minimum(split_counts(M, p / p.sum(), rng), a)
            # assign technologies: largest remaining capacity first
            cap = k.copy()
            for t in np.argsort(-m, kind="stable"):
                order = np.lexsort((rng.random(a), -cap))
                take = order[: m[t]]
                take = take[cap[take] > 0]
                uses[adopters[take], t] = True
                cap[take] -= 1
            adopter[adopters] = uses[adopters].any(1)
        # plans: non-adopters who plan (13.4 of 76.8) and adopters planning more
        f1 = self.ref["figure1_number_of_technologies"]
        plan_t = np.array([self._plan_target(t) for t in TECHS]) / 100
        share_planners = f1["none_with_plans"] / f1["none"]
        use_t = np.array([(rates[..., t] * self._matrix("table1_population")).sum() / self._matrix("table1_population").sum()
                          for t in range(len(TECHS))])
        any_rate = f1["any"] / 100
        kp = np.array([.55, .25, .12, .08])
        non_adopter_part = (f1["none_with_plans"] / 100) * (kp * np.arange(1, 5)).sum() * plan_t / plan_t.sum()
        r_adopt = np.clip((plan_t - non_adopter_part) / np.maximum(any_rate - use_t, 1e-3), 0, 0.9)
        for (si, ci), rows in groups:
            rows = rows.to_numpy()
            non = rows[~adopter[rows]]
            planners = pick(rng, non, int(stoch_round(len(non) * share_planners, rng)))
            for r in planners:
                kk = min(int(rng.choice([1, 2, 3, 4], p=kp)), len(TECHS))
                plans[r, pick(rng, np.arange(len(TECHS)), kk, plan_t)] = True
            ad = rows[adopter[rows]]
            for t in range(len(TECHS)):
                elig = ad[~uses[ad, t]]
                plans[pick(rng, elig, int(stoch_round(len(elig) * r_adopt[t], rng))), t] = True
        for t, name in enumerate(TECHS):
            col = np.where(uses[:, t], 1, np.where(plans[:, t], 2, 3)).astype(object)
            col[~ai_answered] = np.nan
            A[f"tech_{name}"] = col

        # --- break-offs and block bases among usable responses
        U = np.flatnonzero(usable)
        reach = np.full(n, 99)  # index of the last block reached (99 = all)
        stop = pick(rng, U, self.p.stop_after_tech, np.where(adopter[U], 0.3, 1.0))
        reach[stop] = 0  # only technologies
        ad_rest = U[adopter[U] & (reach[U] == 99)]
        chain = self.p.adopter_chain or tuple(int(round(len(ad_rest) * f)) for f in CHAIN_SHARES)
        if len(ad_rest) < chain[0]:
            raise RuntimeError(f"only {len(ad_rest)} adopters left for the applications block (need {chain[0]})")
        ordered = rng.permutation(ad_rest)
        # adopters break off in the adopter blocks: the first ones stop earliest
        cuts = [len(ad_rest) - chain[0], len(ad_rest) - chain[1], len(ad_rest) - chain[2], len(ad_rest) - chain[3]]
        for level, (lo, hi) in enumerate(zip([0] + cuts[:-1], cuts)):
            reach[ordered[lo:hi]] = 2 + level  # reached barriers+knowledge (2) .. stopped before impact (5)
        non_reaching = int((~adopter[U] & (reach[U] == 99)).sum())
        policy_answered = self.p.policy_answered or (len(U) - self.p.stop_after_tech) - cuts[-1] - int(round(0.02 * non_reaching))
        n_before_policy = (len(U) - self.p.stop_after_tech) - policy_answered
        extra = n_before_policy - cuts[-1]
        if extra < 0:
            raise RuntimeError("adopter break-offs exceed the policy base")
        non_rest = U[~adopter[U] & (reach[U] == 99)]
        reach[pick(rng, non_rest, extra)] = 6  # non-adopters stop before policy
        # excluded responses with AI answers: complete
        knowledge_skip = np.zeros(n, bool)
        knowledge_skip[pick(rng, U[reach[U] > 0], self.p.knowledge_skipped)] = True

        # helper to fill a block for the rows that reached it
        def rows_reaching(level: int, adopters_only: bool = False) -> np.ndarray:
            rows = answering[(reach[answering] > level) | (reach[answering] == 99)]
            if adopters_only:
                rows = rows[adopter[rows]]
            return rows

        def per_group(rows: np.ndarray, by_adopter: bool = True, by_size_only: bool = False):
            key = strat_idx[rows][:, 1] if by_size_only else strat_idx[rows][:, 0] * 10 + strat_idx[rows][:, 1]
            if by_adopter:
                key = key * 2 + adopter[rows]
            for g in np.unique(key):
                yield rows[key == g]

        def fill_single(var: str, rows: np.ndarray, probs_fn, codes, missing: float = 0.0, by_size_only=False):
            col = np.full(n, np.nan, dtype=object)
            for g in per_group(rows, by_size_only=by_size_only):
                vals = assign(len(g), probs_fn(g), codes, rng)
                col[g] = vals
            if missing:
                col[pick(rng, rows, int(stoch_round(len(rows) * missing, rng)))] = np.nan
            A[var] = col

        # barriers (all who reached block 1)
        bar_rows = rows_reaching(0)
        for name, (pa, pn) in self.ref["figure4_barriers"].items():
            fill_single(f"barrier_{name}", bar_rows,
                        lambda g, pa=pa, pn=pn: [pa, 100 - pa] if adopter[g[0]] else [pn, 100 - pn], [1, 2], 0.005)
        # knowledge
        kn_rows = bar_rows[~knowledge_skip[bar_rows]]
        f5 = self.ref["figure5_knowledge_gaps"]
        gaps_adopt = {"basic_data_analytics": 30.0, "ai_technical": 41.0, "ai_landscape": f5["adopters"]["ai_landscape"],
                      "technical_feasibility": f5["adopters"]["technical_feasibility"],
                      "business_to_technical_specs": f5["adopters"]["business_to_technical_specs"],
                      "legal_ethical": f5["adopters"]["legal_ethical"], "profitability": 39.0}
        gaps_non = {"basic_data_analytics": f5["non_adopters"]["basic_data_analytics"], "ai_technical": 74.0,
                    "ai_landscape": 72.0, "technical_feasibility": 71.0, "business_to_technical_specs": 70.0,
                    "legal_ethical": 73.0, "profitability": 69.0}
        for name in gaps_adopt:
            def probs(g, name=name):
                big = gaps_adopt[name] if adopter[g[0]] else gaps_non[name]
                none = 42.4 if (adopter[g[0]] and name == "technical_feasibility") else (100 - big) * 0.38
                dk = 2.0
                return [big, 100 - big - none - dk, none, dk]
            fill_single(f"gap_{name}", kn_rows, probs, [1, 2, 3, 9], 0.01)

        # adopter blocks
        apps_rows = rows_reaching(2, True)
        t5 = self.ref["table5_applications_by_sector"]
        cols5 = t5["columns"]
        app = np.zeros((n, len(cols5)), bool)
        for g in per_group(apps_rows, by_adopter=False):
            sec = resp.at[g[0], "sector"] if resp.at[g[0], "sector"] else self.strata.sector_codes[strat_idx[g[0]][0]]
            for t, name in enumerate(cols5):
                rate = t5[sec][t] / 100
                app[pick(rng, g, int(stoch_round(len(g) * rate, rng))), t] = True
        for t, name in enumerate(cols5):
            col = np.full(n, np.nan, dtype=object)
            col[apps_rows[app[apps_rows, t]]] = 1
            A[f"app_{name}"] = col
        extra = np.zeros(n, bool)
        for name, rate in self.p.extra_app_rates.items():
            if f"app_{name}" in self.cb.by_var:
                for g in per_group(apps_rows, by_adopter=False):
                    extra[pick(rng, g, int(stoch_round(len(g) * rate / 100, rng)))] = True
                col = np.full(n, np.nan, dtype=object)
                col[apps_rows[extra[apps_rows]]] = 1
                A[f"app_{name}"] = col
        none_col = np.full(n, np.nan, dtype=object)
        none_col[apps_rows[~app[apps_rows].any(1) & ~extra[apps_rows]]] = 1
        A["app_none"] = none_col

        src_rows = rows_reaching(3, True)
        f7 = self.ref["figure7_sources"]
        src_rates = {"in_house": f7["developed_in_house"], "modified_commercial": 27.0, "modified_open_source": 17.5,
                     "ready_made_commercial": f7["bought_ready_made_commercial"],
                     "external_provider": f7["external_provider_developed"]}
        # everyone got their AI somewhere: a respondent who ticks nothing else bought it
        # ready-made, so draw that option at a rate that lands on the published share
        q_none = np.prod([1 - v / 100 for k, v in src_rates.items() if k != "ready_made_commercial"])
        target = src_rates["ready_made_commercial"] / 100
        src_rates["ready_made_commercial"] = 100 * (target - q_none) / (1 - q_none)
        src = np.zeros((n, 5), bool)
        for g in per_group(src_rows, by_adopter=False):
            for t, name in enumerate(src_rates):
                src[pick(rng, g, int(stoch_round(len(g) * src_rates[name] / 100, rng))), t] = True
        nosrc = src_rows[~src[src_rows].any(1)]
        src[nosrc, 3] = True
        for t, name in enumerate(src_rates):
            col = np.full(n, np.nan, dtype=object)
            col[src_rows[src[src_rows, t]]] = 1
            A[f"source_{name}"] = col

        bud_rows = rows_reaching(4, True)
        fill_single("budget_change", bud_rows, lambda g: [2.4, 6.5, 58.0, 26.1, 4.0, 3.0], [1, 2, 3, 4, 5, 9])

        imp_rows = rows_reaching(5, True)
        w_size = self._adopter_size_shares(imp_rows, strat_idx)
        f9 = self.ref["figure9_competitiveness"]
        for var, key, mean_key in (("comp_new_products", "new_or_improved_products", "mean_turnover_share"),
                                   ("comp_process_quality", "process_quality", "mean_turnover_increase"),
                                   ("comp_cost_reduction", "cost_reduction", "mean_cost_reduction")):
            share = f9[key]["share"]
            fill_single(var, imp_rows, lambda g, s=share: [s, 100 - s], [1, 2], 0.0, by_size_only=True)
            micro_mean = f9[key]["micro_mean"]
            other_mean = (f9[key][mean_key] - w_size[0] * micro_mean) / (1 - w_size[0])
            self._fill_pct(A, f"{var}_pct", A[var].to_numpy() == 1, strat_idx,
                           {0: micro_mean, 1: other_mean, 2: other_mean, 3: other_mean}, missing=0.03)
        for var, fig, sizes_dec, sizes_inc, dec_mean, inc_mean in (
                ("emp_low_educated", "figure10_employment_low_educated", {3: 9.9}, {1: 7.5}, 9.5, 13.6),
                ("emp_high_educated", "figure11_employment_high_educated", {3: 5.2}, {3: 28.0, 2: 18.7}, 9.4, 7.0)):
            f = self.ref[fig]
            dec = self._solve_by_size(f["decrease"], sizes_dec, w_size)
            inc = self._solve_by_size(f["increase"], sizes_inc, w_size)
            fill_single(var, imp_rows, lambda g: [dec[strat_idx[g[0]][1]], 100 - dec[strat_idx[g[0]][1]] - inc[strat_idx[g[0]][1]],
                                                  inc[strat_idx[g[0]][1]]], [1, 2, 3], by_size_only=True)
            codes = A[var].to_numpy()
            pct = np.full(n, np.nan, dtype=object)
            for code, mean in ((1, dec_mean), (3, inc_mean)):
                m = codes == code
                pct[m] = self._values_with_mean(mean, m.sum(), 2.5, 1)
            A[f"{var}_pct"] = pct

        pol_rows = answering[(reach[answering] == 99)]
        fill_single("knows_action_plan", pol_rows, lambda g: [self.ref["figure12_policy"]["knows_action_plan"],
                                                              100 - self.ref["figure12_policy"]["knows_action_plan"]], [1, 2])
        f12 = self.ref["figure12_policy"]
        inits = {"federation_sessions": (f12["federation_sessions_participated"], f12["federation_sessions_known_not_participated"]),
                 "vlaio_projects": (1.8, 10.5), "research_valorisation": (0.9, 8.2), "training": (1.2, 9.4),
                 "ethics_centre": (0.5, 6.3)}
        for name, (part, known) in inits.items():
            fill_single(f"init_{name}", pol_rows, lambda g, a=part, b=known: [a, b, 100 - a - b], [1, 2, 3], 0.004)

        # closing: free text with personal data now and then
        remarks = np.full(n, np.nan, dtype=object)
        contact = np.full(n, np.nan, dtype=object)
        people = fake_people(rng, n)
        for k in pick(rng, pol_rows, 60):
            remarks[k] = f"Bel gerust: {people.at[k, 'first']} {people.at[k, 'last']}, +32 470 {k:02d} {k % 97:02d} 00"
        for k in pick(rng, pol_rows, 180):
            contact[k] = f"{people.at[k, 'first']} {people.at[k, 'last']} <{people.at[k, 'email']}>"
        A["remarks"] = remarks
        A["contact_for_results"] = contact

        # progress bookkeeping for the metadata
        self._reach = reach
        self._ai_answered = ai_answered
        return A

    def _plan_target(self, tech: str) -> float:
        plans = self.ref["figure2_adoption_by_technology"]["plans"]
        if tech in plans:
            return plans[tech]
        pot = self.ref["figure3_adoption_potential"][tech]
        uses = self.ref["figure2_adoption_by_technology"]["uses"].get(tech)
        if uses is None:  # speech, nlg: use rate from Table 4 weighted by size shares
            pop = self._matrix("table1_population").sum(0)
            t4 = np.array([self.ref["table4_adoption_by_size"][c][TECHS.index(tech)] for c in SIZES])
            uses = float((t4 * pop).sum() / pop.sum())
        return pot - uses

    def _strata_for(self, resp: pd.DataFrame, fr: pd.DataFrame) -> np.ndarray:
        sec = resp["sector"].fillna(fr["sector"]).to_numpy()
        siz = resp["size"].fillna(fr["grootteklasse"]).to_numpy()
        si = np.array([self.strata.sector_codes.index(s) for s in sec])
        ci = np.array([SIZES.index(c) for c in siz])
        return np.stack([si, ci], axis=1)

    def _adopter_size_shares(self, rows: np.ndarray, strat_idx: np.ndarray) -> np.ndarray:
        pop = self._population()
        n_h = self.usable_counts()
        w = np.array([pop[strat_idx[r][0], strat_idx[r][1]] / max(n_h[strat_idx[r][0], strat_idx[r][1]], 1) for r in rows])
        sizes = strat_idx[rows][:, 1]
        tot = np.array([w[sizes == c].sum() for c in range(self.C)])
        return tot / tot.sum()

    @staticmethod
    def _solve_by_size(overall: float, fixed: dict[int, float], w: np.ndarray) -> np.ndarray:
        free = [c for c in range(len(w)) if c not in fixed]
        rest = (overall - sum(w[c] * v for c, v in fixed.items())) / w[free].sum()
        out = np.full(len(w), max(rest, 0.1))
        for c, v in fixed.items():
            out[c] = v
        return out

    def _values_with_mean(self, mean: float, k: int, shape: float, low: int) -> np.ndarray:
        """k whole percentages, gamma-shaped, rescaled so their mean is close to ``mean``."""
        if k == 0:
            return np.array([], dtype=int)
        x = self.rng.gamma(shape, mean / shape, k)
        x = x * mean / x.mean()
        return np.clip(np.round(x), low, 100).astype(int)

    def _fill_pct(self, A, var, mask, strat_idx, means: dict[int, float], missing: float):
        rng = self.rng
        col = np.full(len(A), np.nan, dtype=object)
        for c, mean in means.items():
            m = mask & (strat_idx[:, 1] == c)
            col[m] = self._values_with_mean(mean, m.sum(), 2.0, 0)
        rows = np.flatnonzero(mask)
        col[pick(rng, rows, int(stoch_round(len(rows) * missing, rng)))] = np.nan
        A[var] = col

    # ------------------------------------------------------------------------
    def _export(self, resp: pd.DataFrame, frame: pd.DataFrame, A: pd.DataFrame) -> pd.DataFrame:
        rng = self.rng
        n = len(resp)
        fr = frame.iloc[resp["frame_row"].to_numpy()].reset_index(drop=True)
        start0 = pd.Timestamp(self.p.fieldwork[0] + " 08:00:00")
        span = (pd.Timestamp(self.p.fieldwork[1] + " 18:00:00") - start0).total_seconds()
        start = start0 + pd.to_timedelta(np.sort(rng.random(n)) * span, unit="s")
        start = start[rng.permutation(n)]
        reach = self._reach
        complete = (reach == 99) & self._ai_answered
        progress = np.where(complete, 100, np.where(~self._ai_answered, rng.integers(3, 15, n),
                                                    np.clip(15 + reach * 13, 15, 95)))
        duration = np.where(complete, rng.integers(420, 2400, n), rng.integers(40, 900, n))
        end = start + pd.to_timedelta(duration, unit="s")
        fmt = "%Y-%m-%d %H:%M:%S"
        alphabet = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"))
        ids = set()
        rid = []
        while len(rid) < n:
            r = "R_" + "".join(rng.choice(alphabet, 15))
            if r not in ids:
                ids.add(r)
                rid.append(r)
        first = fr["contactpersoon"].str.split(" ").str[0]
        last = fr["contactpersoon"].str.split(" ").str[1]
        nets = np.array(["192.0.2", "198.51.100", "203.0.113"])
        ip = [f"{nets[a]}.{b}" for a, b in zip(rng.integers(0, 3, n), rng.integers(1, 255, n))]
        meta = {
            "start_date": start.strftime(fmt), "end_date": end.strftime(fmt), "status": ["0"] * n,
            "ip_address": ip, "progress": progress.astype(str), "duration": duration.astype(str),
            "finished": np.where(progress == 100, "1", "0"), "recorded_date": end.strftime(fmt),
            "response_id": rid, "recipient_last_name": last.to_numpy(), "recipient_first_name": first.to_numpy(),
            "recipient_email": fr["email"].to_numpy(),
            "invited_enterprise": fr["ondernemingsnummer"].str.replace(".", "", regex=False).to_numpy(),
            "latitude": [f"{x:.5f}" for x in rng.uniform(50.70, 51.40, n)],
            "longitude": [f"{x:.5f}" for x in rng.uniform(2.60, 5.90, n)],
            "distribution_channel": ["email"] * n, "user_language": ["NL"] * n,
        }
        out = {}
        for item in self.cb.items:
            if item.block == "meta":
                out[item.column] = list(meta[item.var])
            else:
                vals = A[item.var].to_numpy()
                out[item.column] = ["" if (v is None or (isinstance(v, float) and np.isnan(v))) else str(v) for v in vals]
        # stray whitespace in a few number answers, as typed in a text box
        emp = out["Q2"]
        for k in rng.choice(n, 30, replace=False):
            if emp[k]:
                emp[k] = f" {emp[k]} "
        # large firms typed the Dutch way (1.236): ingest reads them and records it. A
        # separate generator, so every other value stays as it was.
        dutch = np.random.default_rng(self.p.seed + 1)
        for k in range(n):
            v = emp[k].strip()
            if v.isdigit() and int(v) >= 1000 and dutch.random() < 0.5:
                emp[k] = f"{int(v):,}".replace(",", ".")
        return pd.DataFrame(out)


# ---------------------------------------------------------------------------
# writers


def import_id(item) -> str:
    if item.block == "meta":
        meta_ids = {"StartDate": "startDate", "EndDate": "endDate", "RecordedDate": "recordedDate"}
        if item.column in meta_ids:
            return json.dumps({"ImportId": meta_ids[item.column], "timeZone": "Europe/Brussels"})
        return json.dumps({"ImportId": item.column[0].lower() + item.column[1:].replace(" ", "")})
    qid = item.column.replace("Q", "QID", 1)
    return json.dumps({"ImportId": qid})


def legacy_csv(export: pd.DataFrame, codebook: Codebook, header_rows: int = 3) -> bytes:
    """The export as Qualtrics writes it: UTF-8 with BOM, three header rows (or one)."""
    items = [codebook.by_column[c] for c in export.columns]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(export.columns)
    if header_rows == 3:
        w.writerow([i.text for i in items])
        w.writerow([import_id(i) for i in items])
    w.writerows(export.itertuples(index=False, name=None))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def choice_text_csv(export: pd.DataFrame, codebook: Codebook) -> bytes:
    """The export as Qualtrics writes it with "Use choice text": answer labels instead of
    codes (a ticked option as its choice text), Finished as True/False, Progress as 100.0."""
    out = export.copy()
    for item in (codebook.by_column[c] for c in export.columns):
        col = out[item.column]
        if item.column == "Finished":
            out[item.column] = col.map({"1": "True", "0": "False"}).fillna(col)
        elif item.column == "Status":
            out[item.column] = col.map({"0": "IP Address", "1": "Survey Preview", "2": "Survey Test"}).fillna(col)
        elif item.column == "Progress":
            out[item.column] = [f"{v}.0" if v else v for v in col]
        elif item.type == "multi":
            choice = item.text.rsplit(" - ", 1)[1] if " - " in item.text else item.label
            out[item.column] = [choice if v.strip() == "1" else v for v in col]
        elif item.type == "single":
            labels = {str(k): lab for k, lab in item.codes.items()}
            out[item.column] = [labels.get(v.strip(), v) for v in col]
    return legacy_csv(out, codebook, 3)


def write_sav(export: pd.DataFrame, codebook: Codebook, path: Path) -> None:
    import pyreadstat

    from .ingest import spss_name  # the same mapping ingest reads back
    df = pd.DataFrame()
    labels, value_labels = {}, {}
    for col in export.columns:
        item = codebook.by_column[col]
        name = spss_name(col)
        series = export[col]
        if item.type in ("single", "multi", "number", "percentage"):
            # a .sav stores numbers: the Dutch-typed 1.236 of the CSV is the number 1236 there
            text = series.str.strip().replace("", np.nan)
            if item.type == "number":
                text = text.str.replace(r"^(\d{1,3})\.(\d{3})$", r"\1\2", regex=True)
            df[name] = pd.to_numeric(text)
        else:
            df[name] = series
        labels[name] = item.text
        if item.codes:
            value_labels[name] = {float(k): v for k, v in item.codes.items()}
    pyreadstat.write_sav(df, str(path), column_labels=labels, variable_value_labels=value_labels)


def write_wave(wave: DemoWave, codebook: Codebook, out: Path, formats=("legacy",)) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []

    def put(name: str, data: bytes):
        p = out / name
        p.write_bytes(data)
        written.append(p)

    put("frame.csv", wave.frame.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    put("population.csv", wave.population.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    put("intended_exclusions.csv", wave.intended.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    if "legacy" in formats:
        put("export_legacy.csv", legacy_csv(wave.export, codebook, 3))
    if "single" in formats:
        put("export_single.csv", legacy_csv(wave.export, codebook, 1))
    if "choice" in formats:
        put("export_choice_text.csv", choice_text_csv(wave.export, codebook))
    if "sav" in formats:
        write_sav(wave.export, codebook, out / "export.sav")
        written.append(out / "export.sav")
    return written


def generate(wave: str = "2021", config_path: str | Path = ROOT / "config" / "config.yaml") -> tuple[DemoWave, Codebook]:
    config = load_config(config_path)
    params = WAVES[wave]
    codebook = load_codebook(ROOT / params.codebook)
    gen = Generator(params, config, codebook, load_reference())
    return gen.generate(), codebook


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wave", default="2021", choices=sorted(WAVES))
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--formats", default="legacy", help="comma-separated: legacy,single,choice,sav")
    args = ap.parse_args(argv)
    wave, codebook = generate(args.wave)
    for p in write_wave(wave, codebook, args.out, tuple(args.formats.split(","))):
        print(p)


if __name__ == "__main__":
    main()
