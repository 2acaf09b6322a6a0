"""Time ingest + clean on the demo wave's raw inputs replicated k times.

    python bench/scale_ingest.py 100 [workdir]

Each copy of the sample frame gets new, valid enterprise numbers (and each copy of the
export new response ids and the matching invitations), so the replicated wave is a wave
of k times the size, not k duplicates. The population counts are scaled by k. Runs the
two stages as the rules do (their ``run`` functions) in this process, whose peak RSS is
reported. Prints one JSON line: {"factor", "responses", "frame_rows", "ingest_s",
"clean_s", "seconds", "peak_rss_mb"}.
"""

from __future__ import annotations

import csv
import io
import json
import sys
import time
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parent))
from memory import peak_rss_mb  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "resources" / "demo" / "2021"


def _mod97(first8: int) -> str:
    return f"{first8:08d}{97 - first8 % 97:02d}"


def replicate(k: int, out: Path) -> dict[str, Path]:
    """The demo export, frame and population, k times the size."""
    import pandas as pd

    out.mkdir(parents=True, exist_ok=True)
    frame = pd.read_csv(DEMO / "frame.csv", dtype=str, keep_default_na=False)
    digits = frame["ondernemingsnummer"].str.replace(".", "", regex=False)
    copies = []
    for j in range(k):  # copy j of frame row i: first eight digits i * k + j (unique, below 20,000,000)
        f = frame.copy()
        f["ondernemingsnummer"] = [_mod97(i * k + j) for i in range(len(frame))]
        copies.append(f)
    big = pd.concat(copies, ignore_index=True)
    assert big["ondernemingsnummer"].is_unique, "replicated enterprise numbers collide"
    big.to_csv(out / "frame.csv", index=False)
    mapping = [dict(zip(digits, c["ondernemingsnummer"])) for c in copies]

    rows = list(csv.reader(io.StringIO((DEMO / "export_legacy.csv").read_text(encoding="utf-8-sig"), newline="")))
    head, body = rows[:3], rows[3:]
    col = {c: i for i, c in enumerate(head[0])}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerows(head)
    for j in range(k):
        for r in body:
            r = list(r)
            r[col["ResponseId"]] = f"{r[col['ResponseId']]}_{j}"
            ext = r[col["ExternalReference"]]
            if ext:
                r[col["ExternalReference"]] = mapping[j][ext]
            q1 = "".join(ch for ch in r[col["Q1"]] if ch.isdigit())
            q1 = q1[-10:].zfill(10) if q1 else ""
            if q1:
                r[col["Q1"]] = mapping[j].get(q1, q1)
            w.writerow(r)
    (out / "export.csv").write_bytes(("\ufeff" + buf.getvalue()).encode("utf-8"))
    pop = pd.read_csv(DEMO / "population.csv")
    pop["population"] = pop["population"] * k
    pop.to_csv(out / "population.csv", index=False)
    return {"export": out / "export.csv", "frame": out / "frame.csv", "population": out / "population.csv"}


def main() -> None:
    from aibarometer import clean, ingest
    from aibarometer.config import load_config, load_wave
    from aibarometer.stage import Log

    k = int(sys.argv[1])
    work = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"/tmp/aibarometer-bench-ingest-x{k}")
    paths = {n: work / f"{n}.csv" for n in ("export", "frame", "population")}
    if not all(p.exists() for p in paths.values()):
        replicate(k, work)
    cfg = load_config(ROOT / "config" / "config.yaml")
    wave = load_wave("2021-demo", ROOT)
    res = work / "results"
    ing_out = SimpleNamespace(**{n: str(res / f"ingest_{n}.parquet") for n in ("responses", "frame", "population")},
                              report=str(res / "ingest_report.json"))
    t0 = time.perf_counter()
    ingest.run(SimpleNamespace(**{n: str(p) for n, p in paths.items()}, codebook=str(ROOT / cfg["codebook"])), ing_out,
               SimpleNamespace(strata=cfg["strata"], synthetic=True, key_env="AIBAROMETER_PSEUDONYM_KEY",
                               real_status_codes=cfg["cleaning"]["real_status_codes"]), Log(res / "ingest.log"))
    t1 = time.perf_counter()
    names = ("responses", "exclusions", "flow", "table1", "table2", "collapsed", "routing")
    clean.run(SimpleNamespace(responses=ing_out.responses, frame=ing_out.frame, population=ing_out.population,
                              codebook=str(ROOT / cfg["codebook"])),
              SimpleNamespace(**{n: str(res / f"clean_{n}.{'parquet' if n == 'responses' else 'csv'}") for n in names}),
              SimpleNamespace(strata=cfg["strata"], cleaning=cfg["cleaning"], fieldwork=wave["fieldwork"],
                              population_file=str(paths["population"]), export_file=str(paths["export"])),
              Log(res / "clean.log"))
    t2 = time.perf_counter()
    import pandas as pd
    flow = pd.read_csv(res / "clean_flow.csv").set_index("step")["count"]
    print(json.dumps({"factor": k, "responses": int(flow["export_rows"]), "frame_rows": int(flow["sampled"]),
                      "usable": int(flow["usable"]), "ingest_s": round(t1 - t0, 2), "clean_s": round(t2 - t1, 2),
                      "seconds": round(t2 - t0, 2),
                      "peak_rss_mb": round(peak_rss_mb())}))


if __name__ == "__main__":
    main()
