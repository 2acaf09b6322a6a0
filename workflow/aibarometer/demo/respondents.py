"""Who responds: the usable respondents per stratum and the exclusions planted on purpose.

Plants, against the frame of ``frame.py``:

* usable responses per stratum as in Table 2; about 6% of them answer a size class
  next to the frame's (the answers decide the stratum, as section 2.3 prescribes);
* (a) fewer than 5 employees: mostly firms the frame calls micro;
* (b) a sector outside the population (the answers give an out-of-scope NACE code);
* (c) no AI question answered, and the overlaps a+c and b+c the report counts once;
* (d) a second response for an enterprise that already answered, under another
  invitation, reporting the first one's enterprise number;
* rows that are no answers at all (rule v): previews and tests from the survey editor,
  responses recorded after the fieldwork, one that ends before it starts.

Each response records the rule the generator intended (``intended_exclusions.csv``),
so a test can check that cleaning finds exactly these.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .context import Context
from .draw import pick, stoch_round

ALPHABET = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"))


def respondents(ctx: Context, frame: pd.DataFrame, again: np.ndarray | None = None,
                weight_again: float = 1.0) -> pd.DataFrame:
    """One row per response: frame_row, intended stratum, rule (first), rules (all), twin_of.
    ``again``: per frame row, the firm gave a usable response in the earlier wave, and is
    ``weight_again`` times as likely to be a usable respondent now (demo/register.py)."""
    reached = frame.index[frame["email_status"] == "afgeleverd"].to_numpy()
    free = (frame["email_status"] == "afgeleverd").to_numpy().copy()
    weights = None if again is None else np.where(again, weight_again, 1.0)
    recs = _usable(ctx, frame, reached, free, weights)
    recs += _excluded_abc(ctx, frame, reached, free)
    recs += _duplicates(ctx, frame, reached, free, recs)
    resp = pd.DataFrame(recs)
    resp["twin_of"] = resp.get("twin_of", pd.Series(np.nan, index=resp.index))
    return resp


def _usable(ctx: Context, frame, reached, free, weights=None) -> list[dict]:
    rng, sizes = ctx.rng, ctx.sizes
    key = frame["sector"] + "|" + frame["grootteklasse"]
    n_usable = ctx.usable_counts()
    recs = []
    for j, c in enumerate(sizes):
        for i, s in enumerate(ctx.sectors):
            need = int(n_usable[i, j])
            same = reached[(key.iloc[reached] == f"{s}|{c}").to_numpy() & free[reached]]
            n_dis = int(stoch_round(need * ctx.p.frame_disagree_share, rng)) if need >= 8 else 0
            neighbours = [sizes[k] for k in (j - 1, j + 1) if 0 <= k < len(sizes)]
            other = reached[key.iloc[reached].isin([f"{s}|{x}" for x in neighbours]).to_numpy() & free[reached]]
            dis = pick(rng, other, n_dis)
            chosen = np.concatenate([pick(rng, same, need - len(dis), None if weights is None else weights[same]), dis])
            if len(chosen) < need:
                raise RuntimeError(f"stratum {s}|{c}: frame too small for {need} usable responses")
            free[chosen] = False
            recs += [{"frame_row": int(r), "sector": s, "size": c, "rule": "", "rules": ""} for r in chosen]
    return recs


def _excluded_abc(ctx: Context, frame, reached, free) -> list[dict]:
    rng, ex = ctx.rng, ctx.p.exclusions
    pool = reached[free[reached]]
    micro_pool = pool[(frame["grootteklasse"].iloc[pool] == ctx.sizes[0]).to_numpy()]
    a_rows = pick(rng, micro_pool, int(ex["a"] * 0.8))  # (a): mostly micro firms in the frame
    free[a_rows] = False
    a_rows = np.concatenate([a_rows, pick(rng, reached[free[reached]], ex["a"] - len(a_rows))])
    free[a_rows] = False
    recs = []
    for rule, overlap in (("a", ctx.p.overlap_a_c), ("b", ctx.p.overlap_b_c), ("c", 0)):
        if rule == "a":
            rows = a_rows
        else:
            rows = pick(rng, reached[free[reached]], ex[rule])
            free[rows] = False
        recs += [{"frame_row": int(r), "sector": None, "size": None, "rule": rule,
                  "rules": f"{rule},c" if k < overlap else rule} for k, r in enumerate(rows)]
    return recs


def _duplicates(ctx: Context, frame, reached, free, recs) -> list[dict]:
    """(d): a second response, under another invitation in the same sector, for an
    enterprise that already gave a usable one; it reports the first one's number."""
    rng = ctx.rng
    usable_idx = [k for k, r in enumerate(recs) if r["rule"] == ""]
    out = []
    for t in rng.choice(usable_idx, size=ctx.p.exclusions["d"], replace=False):
        sector = recs[t]["sector"]
        cand = reached[free[reached] & (frame["sector"].iloc[reached] == sector).to_numpy()]
        if len(cand) == 0:
            cand = reached[free[reached]]
        r = int(pick(rng, cand, 1)[0])
        free[r] = False
        out.append({"frame_row": r, "sector": sector, "size": recs[t]["size"], "rule": "d", "rules": "d",
                    "twin_of": int(t)})
    return out


def new_response_id(rng: np.random.Generator, taken: set) -> str:
    rid = "R_" + "".join(rng.choice(ALPHABET, 15))
    while rid in taken:
        rid = "R_" + "".join(rng.choice(ALPHABET, 15))
    taken.add(rid)
    return rid


def plant_not_real(ctx: Context, export: pd.DataFrame, intended: pd.DataFrame, frame: pd.DataFrame,
                   resp: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Rows a real export holds that are no answers (rule v): three previews from before
    the fieldwork and two tests (no invitation, as the survey editor makes them), two
    responses recorded after the fieldwork and one whose end lies before its start.
    Copies of usable rows, drawn with a generator of their own; the published counts
    (2,741 responses) are unchanged."""
    rng = np.random.default_rng(ctx.p.seed + 2)
    start0, end0 = pd.Timestamp(ctx.p.fieldwork[0]), pd.Timestamp(ctx.p.fieldwork[1])
    usable_rows = np.flatnonzero(intended["rule"].to_numpy() == "")
    answered = set(frame.iloc[resp["frame_row"].to_numpy()]["ondernemingsnummer"])
    idle = frame[(frame["email_status"] == "afgeleverd") & ~frame["ondernemingsnummer"].isin(answered)]
    idle = idle.iloc[rng.choice(len(idle), 3, replace=False)]
    taken = set(export["ResponseId"])
    plan = [("1", start0 - pd.Timedelta(days=d), None) for d in (5, 4, 2)] + \
           [("2", start0 + pd.Timedelta(days=d), None) for d in (1, 30)] + \
           [("0", end0 + pd.Timedelta(days=d), idle.iloc[k]) for k, d in ((0, 2), (1, 9))] + \
           [("0", start0 + pd.Timedelta(days=40), idle.iloc[2])]
    rows = [_not_real_row(ctx, export.iloc[int(rng.choice(usable_rows))].copy(), rng, taken, status, day, firm,
                          backwards=k == len(plan) - 1) for k, (status, day, firm) in enumerate(plan)]
    planted = pd.DataFrame(rows)
    export = pd.concat([export, planted], ignore_index=True)
    intended = pd.concat([intended, pd.DataFrame({"ResponseId": planted["ResponseId"], "rule": "v", "rules": "v",
                                                  "sector": "", "size_class": ""})], ignore_index=True)
    order = np.argsort(export["RecordedDate"].to_numpy(), kind="stable")
    return export.iloc[order].reset_index(drop=True), intended.iloc[order].reset_index(drop=True)


def _not_real_row(ctx: Context, row: pd.Series, rng, taken: set, status: str, day, firm, backwards: bool):
    fmt = "%Y-%m-%d %H:%M:%S"
    t0 = day + pd.Timedelta(hours=9, seconds=int(rng.integers(0, 8 * 3600)))
    dur = int(rng.integers(300, 1500))
    t1 = t0 - pd.Timedelta(seconds=dur) if backwards else t0 + pd.Timedelta(seconds=dur)
    row["StartDate"], row["EndDate"], row["RecordedDate"] = t0.strftime(fmt), t1.strftime(fmt), t1.strftime(fmt)
    row["Status"], row["Duration (in seconds)"], row["Progress"], row["Finished"] = status, str(dur), "100", "1"
    row["ResponseId"] = new_response_id(rng, taken)
    reported = ctx.cb.role("reported_enterprise").column
    nace = ctx.cb.role("nace").column
    if len(row[nace].strip()) == 4:  # the copy is about another firm (or none): its frame cannot settle 1500
        row[nace] = row[nace].strip()[:2] + "." + row[nace].strip()[2:]
    if firm is None:  # a preview or test from the survey editor: no invitation, no recipient
        for c in ("ExternalReference", "RecipientLastName", "RecipientFirstName", "RecipientEmail", reported,
                  "LocationLatitude", "LocationLongitude"):
            row[c] = ""
        row["DistributionChannel"] = "preview" if status == "1" else "test"
    else:
        first, last = firm["contactpersoon"].split(" ")[:2]
        row["ExternalReference"] = firm["ondernemingsnummer"].replace(".", "")
        row["RecipientFirstName"], row["RecipientLastName"] = first, last
        row["RecipientEmail"] = firm["email"]
        row[reported] = ""
    return row
