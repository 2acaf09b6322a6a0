"""Time the estimation stage on the demo wave's usable responses replicated k times.

Run in its own process so the peak RSS is the stage's own:
    python bench/scale_estimate.py results/2021-demo/clean/responses.parquet 1000
Prints one JSON line: {"factor", "rows", "seconds", "peak_rss_mb", "estimates"}.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from memory import peak_rss_mb  # noqa: E402

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]


def replicate(df: pd.DataFrame, k: int) -> pd.DataFrame:
    """k copies of every usable response; population counts scaled with them (weights unchanged)."""
    out = pd.concat([df] * k, ignore_index=True)
    out["N_h"] = out["N_h"] * k
    out["n_h"] = out["n_h"] * k
    return out


def main() -> None:
    from aibarometer.config import load_codebook, load_config
    from aibarometer.estimate import estimate_all, read_for_estimation
    from aibarometer.strata import Strata

    src, k = Path(sys.argv[1]), int(sys.argv[2])
    cfg = load_config(ROOT / "config" / "config.yaml")
    from aibarometer.indicators import attach
    from aibarometer.spec import load_spec
    codebook = attach(load_codebook(ROOT / cfg["codebook"]), load_spec(ROOT / cfg["spec"]))
    strata = Strata(cfg["strata"])
    tmp = Path(sys.argv[3]) if len(sys.argv) > 3 else Path(f"/tmp/aibarometer-bench-x{k}.parquet")
    if not tmp.exists():
        replicate(pd.read_parquet(src), k).to_parquet(tmp, index=False)
    t0 = time.perf_counter()
    df = read_for_estimation(tmp, codebook)  # the stage reads its input too, as the stage does
    est, _ = estimate_all(df, codebook, strata.sector_codes, strata.size_codes, dict(cfg["estimation"]))
    seconds = time.perf_counter() - t0
    peak = peak_rss_mb()
    print(json.dumps({"factor": k, "rows": len(df["stratum"]), "seconds": round(seconds, 3), "peak_rss_mb": round(peak),
                      "estimates": len(est)}))


if __name__ == "__main__":
    main()
