"""House style of the figures: fonts, sizes, the Okabe-Ito palette, the notes.
"""

from __future__ import annotations

import functools

from .. import fmt


# --- house style -------------------------------------------------------------------------

FONTS = ("Liberation Sans", "DejaVu Sans")  # the report's body font first; DejaVu ships with matplotlib
FONT_SIZE = 8.5  # pt: labels
SMALL = 8.0  # pt: value labels, legend, footnotes (the minimum)
WIDTH_CM = 16.0
LABEL_COL_CM = 5.2  # the item-label column of bar and stacked figures (aligned across figures)
LINE_CM = FONT_SIZE * 1.2 / 72 * 2.54  # height of one text line
RIGHT_CM = 0.15  # right margin
PNG_DPI = 200
TEXT = "#1a1a1a"
MUTED = "#4d4d4d"

# Okabe, M. & Ito, K. (2008), Color Universal Design.
BLUE = "#0072B2"
ORANGE = "#E69F00"
SKY = "#56B4E9"
GREEN = "#009E73"
VERMILLION = "#D55E00"
PURPLE = "#CC79A7"
YELLOW = "#F0E442"
LIGHT_GREY = "#D0D0D0"  # neutral: unchanged, not known, no
MID_GREY = "#8C8C8C"  # don't know
SERIES = [BLUE, ORANGE, GREEN, VERMILLION, SKY, PURPLE, YELLOW]


def _tint(hex_colour: str, share: float) -> str:
    """Mix a colour with white: share 1 = the colour itself."""
    rgb = [int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * share):02X}" for c in rgb)


# Colours per answer scale (codebook code list, or a derived indicator), by category code.
SCHEMES: dict[str, dict[str, str]] = {
    "tech_use": {"1": BLUE, "2": ORANGE, "3": LIGHT_GREY},
    "yes_no": {"1": BLUE, "2": LIGHT_GREY},
    "yes_no_dk": {"1": BLUE, "2": LIGHT_GREY, "9": MID_GREY},
    "gap_scale": {"1": VERMILLION, "2": ORANGE, "3": SKY, "9": LIGHT_GREY},
    "budget_change": {"1": VERMILLION, "2": ORANGE, "3": LIGHT_GREY, "4": SKY, "5": BLUE, "9": MID_GREY},
    "employment_change": {"1": VERMILLION, "2": LIGHT_GREY, "3": BLUE, "9": MID_GREY},
    "initiative": {"1": BLUE, "2": SKY, "3": LIGHT_GREY},
    "n_technologies": {"1": _tint(BLUE, 0.4), "2": _tint(BLUE, 0.6), "3": _tint(BLUE, 0.8), "4+": BLUE,
                       "0_plans": ORANGE, "0_no_plans": LIGHT_GREY},
}

DOMAIN_LABELS = {
    "all": "Alle bedrijven",
    "adopter:yes": "AI-gebruikers",
    "adopter:no": "Niet-gebruikers",
    "size:micro": "Micro (5–9 werknemers)",
    "size:small": "Klein (10–49 werknemers)",
    "size:medium": "Middelgroot (50–249 werknemers)",
    "size:large": "Groot (250+ werknemers)",
}

FLAG_NOTE = "* beperkt betrouwbaar (kleine basis of breed interval)"
SUPPRESSED_NOTE = f"{fmt.DASH} niet getoond: te weinig antwoorden"
CI_NOTE = "Foutbalken: 95%-betrouwbaarheidsinterval."
SYNTHETIC_MARK = "SYNTHETISCHE DEMODATA"


@functools.lru_cache(maxsize=None)
def font_family() -> str:
    """Liberation Sans when its files are installed (registered with matplotlib here), else DejaVu Sans."""
    from pathlib import Path as _P

    from matplotlib import font_manager

    stem = FONTS[0].replace(" ", "")
    files = sorted({str(f) for d in font_manager.X11FontDirectories if _P(d).is_dir()
                    for f in _P(d).rglob(f"{stem}-*.ttf")})
    styles = {_P(f).stem.split("-", 1)[1] for f in files}
    if not {"Regular", "Bold", "Italic"} <= styles:
        return FONTS[1]
    for f in files:
        font_manager.fontManager.addfont(f)
    return FONTS[0]


def _rc() -> dict:
    return {
        "font.family": [font_family()],
        "font.size": FONT_SIZE,
        "text.color": TEXT,
        "text.parse_math": False,  # labels are plain text: "$" or "_" stay literal
        "svg.fonttype": "none",
        "svg.hashsalt": "aibarometer",
        "axes.linewidth": 0.8,
        "hatch.linewidth": 0.6,
        "path.simplify": False,
        "savefig.facecolor": "white",
    }


