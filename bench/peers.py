"""Peers benchmark (not part of the tests): the same estimates by R survey and, where it
is installed, the Python package svy, on the same file, against ours.

    .venv/bin/python bench/peers.py [--factor 100] [--svy-python /path/to/python]

The file: the demo wave's usable responses replicated --factor times (strata scaled as
bench/scale_estimate.py does), with three 0/1 indicators (uses text mining, uses machine
learning, lack of knowledge a barrier) and one mean (share of turnover from new
products). The estimates: each over all enterprises and by sector (10 domains), with
standard errors; R as usually written (svyciprop + svyby, svymean + svyby). Each tool's
time covers the estimation only, not reading the file. Prints one JSON object with the
seconds, the ratios to ours and the largest difference of estimates and SEs from ours.
R needs the survey package (Debian: r-cran-survey); svy is installed in a venv of its
own, e.g. `python3.11 -m venv /tmp/svyenv && /tmp/svyenv/bin/pip install svy`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
CLEAN = ROOT / "results" / "2021-demo" / "clean" / "responses.parquet"
VARS = {"y1": ("tech_text_mining", 1), "y2": ("tech_machine_learning", 1),
        "y3": ("barrier_lack_of_knowledge_skills", 1)}
MEAN = ("x", "comp_new_products_pct")

SVY = """
import json, sys, time
import polars as pl, svy
d = pl.read_csv(sys.argv[1], schema_overrides={"stratum": pl.Utf8, "sector": pl.Utf8}, null_values="NA")
s = svy.Sample(d, svy.Design(stratum="stratum", pop_size="N_h"))
t0 = time.perf_counter()
out = []
for v in ("y1", "y2", "y3", "x"):
    for by in (None, "sector"):
        est = s.estimation.mean(v, by=by, drop_nulls=True)
        out.append(str(est))
print(json.dumps({"seconds": time.perf_counter() - t0}))
"""


def subset(k: int) -> pd.DataFrame:
    d = pd.read_parquet(CLEAN)
    out = pd.DataFrame({"stratum": d["stratum"].astype(str), "N_h": d["N_h"] * k, "sector": d["sector"].astype(str)})
    for name, (var, code) in VARS.items():
        x = d[var].astype("Float64")
        out[name] = (x == code).astype("Float64").where(x.notna())
    out[MEAN[0]] = d[MEAN[1]].astype("Float64")
    return pd.concat([out] * k, ignore_index=True)


def ours(data: pd.DataFrame) -> tuple[float, pd.DataFrame]:
    from aibarometer.survey import estimate

    domains = {"all": np.ones(len(data), bool)}
    domains |= {f"sector:{s}": (data["sector"] == s).to_numpy() for s in sorted(data["sector"].unique())}
    t0 = time.perf_counter()
    parts = [estimate(data, stratum="stratum", popsize="N_h", variables=list(VARS), domains=domains),
             estimate(data, stratum="stratum", popsize="N_h", variables=[MEAN[0]], domains=domains, kind="mean")]
    return time.perf_counter() - t0, pd.concat(parts, ignore_index=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--factor", type=int, default=100)
    ap.add_argument("--svy-python", help="a Python with svy installed")
    args = ap.parse_args()
    data = subset(args.factor)
    result = {"factor": args.factor, "rows": len(data)}
    result["ours_s"], mine = ours(data)
    with tempfile.TemporaryDirectory() as tmp:
        csv = Path(tmp) / "data.csv"
        data.to_csv(csv, index=False, na_rep="NA")
        r = subprocess.run(["Rscript", str(ROOT / "bench" / "peers.R"), str(csv), str(Path(tmp) / "r.csv")],
                           capture_output=True, text=True)
        if r.returncode == 0:
            result["r_survey_s"] = float(r.stdout.strip().splitlines()[-1])
            theirs = pd.read_csv(Path(tmp) / "r.csv").merge(mine, on=["variable", "domain"], suffixes=("_r", ""))
            result["r_max_diff_estimate"] = float((theirs["estimate_r"] - theirs["estimate"]).abs().max())
            result["r_max_diff_se"] = float((theirs["se_r"] - theirs["se"]).abs().max())
            result["r_vs_ours"] = round(result["r_survey_s"] / result["ours_s"], 1)
        else:
            result["r_survey"] = "not run: " + r.stderr.strip()[-300:]
        if args.svy_python:
            s = subprocess.run([args.svy_python, "-c", SVY, str(csv)], capture_output=True, text=True)
            if s.returncode == 0:
                result["svy_s"] = json.loads(s.stdout.strip().splitlines()[-1])["seconds"]
                result["svy_vs_ours"] = round(result["svy_s"] / result["ours_s"], 1)
            else:
                result["svy"] = "not run: " + s.stderr.strip()[-300:]
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "workflow"))
    main()
