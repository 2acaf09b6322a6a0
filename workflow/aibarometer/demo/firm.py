"""The firmographic answers: reported enterprise number, employees and NACE code,
found through their codebook roles (``reported_enterprise``, ``employees``, ``nace``).

Plants: answers that disagree with the frame (the stratum follows the answers), small
differences in head count within the same class, fewer than 5 employees for rule (a),
an out-of-scope NACE code for rule (b), the twin's enterprise number for rule (d), and
the noise of typed answers: numbers with and without dots, a BE prefix, stray spaces,
NACE codes without their dot (only where the frame settles the code), and a few
respondents who skip a firmographic question (the frame's value is then used).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import enterprise
from .context import Context
from .draw import pick
from .frame import draw_employees, draw_nace

OUT_OF_SCOPE = ["01.13", "01.50", "02.10", "64.19", "65.12", "66.19", "84.11",
                "85.31", "86.10", "86.21", "87.10", "88.91", "90.01", "93.12", "94.99", "96.02"]


def firmographics(ctx: Context, resp: pd.DataFrame, fr: pd.DataFrame) -> dict[str, np.ndarray]:
    """Answer values keyed by the var of each firmographic role."""
    rng = ctx.rng
    rule = resp["rule"].to_numpy()
    usable = rule == ""
    emp, nace = _answered_stratum(ctx, resp, fr, usable)
    emp[rule == "a"] = rng.integers(1, 5, (rule == "a").sum())
    nace[rule == "b"] = np.array(OUT_OF_SCOPE)[rng.integers(0, len(OUT_OF_SCOPE), (rule == "b").sum())]
    numbers = fr["ondernemingsnummer"].to_numpy().astype(object)
    for k in np.flatnonzero(rule == "d"):  # duplicates report the enterprise number of their twin
        numbers[k] = numbers[int(resp.at[k, "twin_of"])]
    shown = _typed_numbers(rng, numbers)
    emp_col = emp.astype(int).astype(object)
    nace_col = np.array(_typed_nace(rng, nace, fr["nace"].str[:2].to_numpy()), dtype=object)
    number_col = np.array(shown, dtype=object)
    # some usable respondents skip a firmographic question (frame values are then used)
    same_stratum = usable & (fr["grootteklasse"].to_numpy() == resp["size"].to_numpy()) & \
        (fr["sector"].to_numpy() == resp["sector"].to_numpy())
    cand = np.flatnonzero(same_stratum)
    emp_col[pick(rng, cand, 25)] = np.nan
    nace_col[pick(rng, cand, 12)] = np.nan
    number_col[pick(rng, np.flatnonzero(usable), 40)] = np.nan
    number_col[rule == "d"] = [shown[k] for k in np.flatnonzero(rule == "d")]
    role = ctx.cb.role
    return {role("reported_enterprise").var: number_col, role("employees").var: emp_col,
            role("nace").var: nace_col}


def _answered_stratum(ctx: Context, resp, fr, usable) -> tuple[np.ndarray, np.ndarray]:
    """Employees and NACE code as a usable respondent answers them: in its intended
    stratum, which may differ from the frame's."""
    rng = ctx.rng
    emp = fr["werknemers"].to_numpy().astype(float)
    nace = fr["nace"].to_numpy().astype(object)
    for k in np.flatnonzero(usable):
        s, c = resp.at[k, "sector"], resp.at[k, "size"]
        if fr.at[k, "grootteklasse"] != c:  # answer disagrees with the frame
            emp[k] = draw_employees(ctx, c, 1)[0]
        elif rng.random() < 0.5:  # same class, a slightly different count than the frame
            cls = next(x for x in ctx.strata.size_classes if x.code == c)
            emp[k] = np.clip(emp[k] + rng.integers(-2, 3), cls.min, cls.max if cls.max else 10**6)
        if fr.at[k, "sector"] != s:
            nace[k] = draw_nace(ctx, s, 1)[0]
    return emp, nace


def _typed_numbers(rng, numbers) -> list[str]:
    """Plain digits, dotted, with a BE prefix, or with stray whitespace."""
    form = rng.integers(0, 10, len(numbers))
    out = []
    for number, f in zip(numbers, form):
        digits = enterprise.normalise(number)
        out.append(digits if f < 4 else enterprise.dotted(digits) if f < 7 else
                   ("BE" + digits) if f < 8 else f" {enterprise.dotted(digits)} ")
    return out


def _typed_nace(rng, nace, frame_div) -> list[str]:
    """A leading space now and then, or the dot left out -- only where the frame's code
    settles a four-digit code (else ingest rightly stops on it: 1500 = 15.00 or 01.50?)."""
    out = []
    for k, x in enumerate(nace):
        if rng.random() < 0.03:
            out.append(f" {x}")
        elif rng.random() < 0.1 and (x[:2] == frame_div[k] or x[0] in "04"):
            out.append(x.replace(".", ""))
        else:
            out.append(x)
    return out
