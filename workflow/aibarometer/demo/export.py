"""The export as the survey tool writes it: one text column per codebook item.

Plants the platform's metadata (dates inside the fieldwork, durations, progress and
Finished that follow how far a respondent got, response ids, recipients' names and
e-mail, IP addresses from the documentation ranges of RFC 5737, coordinates), and the
noise of typed numbers: stray whitespace around head counts and, for large firms,
thousands typed the Dutch way (1.236), which ingest reads and records.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .context import Context
from .respondents import new_response_id
from .routing import Routing

TIME = "%Y-%m-%d %H:%M:%S"


def metadata(ctx: Context, fr: pd.DataFrame, routing: Routing) -> dict[str, list]:
    """The platform's columns, keyed by codebook var of the meta block."""
    rng, n = ctx.rng, len(fr)
    start0 = pd.Timestamp(ctx.p.fieldwork[0] + " 08:00:00")
    span = (pd.Timestamp(ctx.p.fieldwork[1] + " 18:00:00") - start0).total_seconds()
    start = start0 + pd.to_timedelta(np.sort(rng.random(n)) * span, unit="s")
    start = start[rng.permutation(n)]
    complete = routing.complete
    answered = np.zeros(n, bool)
    answered[routing.answering] = True
    share = routing.reach / len(routing.blocks)
    progress = np.where(complete, 100, np.where(~answered, rng.integers(3, 15, n),
                                                np.clip(15 + np.round(80 * share), 15, 95).astype(int)))
    duration = np.where(complete, rng.integers(420, 2400, n), rng.integers(40, 900, n))
    end = start + pd.to_timedelta(duration, unit="s")
    taken: set = set()
    rid = [new_response_id(rng, taken) for _ in range(n)]
    names = fr["contactpersoon"].str.split(" ")
    nets = np.array(["192.0.2", "198.51.100", "203.0.113"])
    ip = [f"{nets[a]}.{b}" for a, b in zip(rng.integers(0, 3, n), rng.integers(1, 255, n))]
    return {
        "start_date": start.strftime(TIME), "end_date": end.strftime(TIME), "status": ["0"] * n,
        "ip_address": ip, "progress": progress.astype(str), "duration": duration.astype(str),
        "finished": np.where(progress == 100, "1", "0"), "recorded_date": end.strftime(TIME),
        "response_id": rid, "recipient_last_name": names.str[1].to_numpy(),
        "recipient_first_name": names.str[0].to_numpy(), "recipient_email": fr["email"].to_numpy(),
        "invited_enterprise": fr["ondernemingsnummer"].str.replace(".", "", regex=False).to_numpy(),
        "latitude": [f"{x:.5f}" for x in rng.uniform(50.70, 51.40, n)],
        "longitude": [f"{x:.5f}" for x in rng.uniform(2.60, 5.90, n)],
        "distribution_channel": ["email"] * n, "user_language": ["NL"] * n,
    }


def as_text(values) -> list[str]:
    return ["" if (v is None or (isinstance(v, float) and np.isnan(v))) else str(v) for v in values]


def export(ctx: Context, fr: pd.DataFrame, answers: pd.DataFrame, routing: Routing) -> pd.DataFrame:
    rng, n = ctx.rng, len(fr)
    meta = metadata(ctx, fr, routing)
    out = {item.column: list(meta[item.var]) if item.block == "meta" else as_text(answers[item.var].to_numpy())
           for item in ctx.cb.items}
    emp = out[ctx.cb.role("employees").column]
    for k in rng.choice(n, 30, replace=False):  # stray whitespace, as typed in a text box
        if emp[k]:
            emp[k] = f" {emp[k]} "
    # large firms typed the Dutch way (1.236); a generator of its own, so every other
    # value stays as it was
    dutch = np.random.default_rng(ctx.p.seed + 1)
    for k in range(n):
        v = emp[k].strip()
        if v.isdigit() and int(v) >= 1000 and dutch.random() < 0.5:
            emp[k] = f"{int(v):,}".replace(",", ".")
    return pd.DataFrame(out)
