"""Eurostat's published adoption rate (resources/eurostat/isoc_eb_ai.csv) for the wave's
year, read by the report (section 3.8) and the workbook: per area the figure of the same
year or, failing that, the latest earlier one, or a row that says none was published."""

from __future__ import annotations

import pandas as pd

NOT_PUBLISHED = "niet beschikbaar: het gebruikte bestand met Europese cijfers bevat voor dit jaar of vroeger geen cijfer"


def published(path, year: int) -> list[dict]:
    """One row per area: label, year, value (percent, None when not published), same_year, source."""
    ref = pd.read_csv(path, comment="#")
    ref = ref[ref["indicator"] == "E_AI_TANY"]
    rows = []
    for _geo, grp in ref.groupby("geo", sort=False):
        pick = grp[grp["year"] == year]
        if pick.empty:
            pick = grp[grp["year"] <= year].sort_values("year").tail(1)
        if len(pick):
            r = pick.iloc[0]
            rows.append({"label": r["geo_label"], "year": int(r["year"]), "value": float(r["value"]),
                         "same_year": int(r["year"]) == year, "source": r["source"]})
        else:  # say so rather than leave the reader guessing
            rows.append({"label": grp["geo_label"].iloc[0], "year": year, "value": None, "same_year": True,
                         "source": NOT_PUBLISHED})
    return rows
