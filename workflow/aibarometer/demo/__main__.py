"""``python -m aibarometer.demo --wave 2021 --out DIR [--formats legacy,single,choice,sav]``"""

from __future__ import annotations

import argparse
from pathlib import Path

from . import WAVES, generate, write_wave


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description="Seeded generator of the SYNTHETIC demo waves.")
    ap.add_argument("--wave", default="2021", choices=sorted(WAVES))
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--formats", default="legacy", help="comma-separated: legacy,single,choice,sav")
    args = ap.parse_args(argv)
    wave, codebook = generate(args.wave)
    for p in write_wave(wave, codebook, args.out, tuple(args.formats.split(","))):
        print(p)


if __name__ == "__main__":
    main()
